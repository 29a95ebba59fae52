"""The typed client (``citeqa.service.client``) against a real ``citeqa serve`` on 127.0.0.1.

Every citation verifies against the document fetched through the client; each kind of bad input
raises its typed error with the API's code, status and message.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from citeqa.service.client import (
    Answer,
    ApiConnectionError,
    ApiError,
    ApiTimeout,
    AsyncClient,
    Client,
    Conflict,
    Document,
    InvalidArgument,
    InvalidRequest,
    NotFound,
    ServerError,
    Unauthorized,
    calls,
)
from tests.conftest import ADMIN_KEY, API_KEY, ROOT, Server, free_port

QUESTION = "what is NSATU?"
TIMEOUT = 30.0


def assert_citations_verify(answer: Answer, fetch: Callable[[str], Document]) -> None:
    assert answer.answerable, answer
    assert answer.citations and "NSATU" in answer.answer
    for c in answer.citations:
        assert fetch(c.doc_id).text[c.start : c.end] == c.quote, c


def test_ask_cites_exact_quotes(server: Server) -> None:
    with Client(server.url, timeout=TIMEOUT) as client:
        answer = client.ask(QUESTION, k=3)
        assert_citations_verify(answer, client.document)
        assert len(answer.passages) == 3
        assert answer.timings_ms["total"] > 0
        with pytest.raises(dataclasses.FrozenInstanceError):
            answer.answer = "changed"  # type: ignore[misc]


def test_async_client_gives_the_same_answer(server: Server) -> None:
    async def ask() -> tuple[Answer, list[Document]]:
        async with AsyncClient(server.url, timeout=TIMEOUT) as client:
            answer = await client.ask(QUESTION, k=3)
            return answer, [await client.document(c.doc_id) for c in answer.citations]

    answer, documents = asyncio.run(ask())
    by_id = {d.doc_id: d for d in documents}
    assert_citations_verify(answer, by_id.__getitem__)
    with Client(server.url, timeout=TIMEOUT) as client:
        assert client.ask(QUESTION, k=3).citations == answer.citations


FOLLOW_UP = "What did he say at Keio University?"


def test_ask_with_history_resolves_a_follow_up(server: Server) -> None:
    with Client(server.url, timeout=TIMEOUT) as client:
        first = client.ask("Who is the NATO Secretary General?")
        assert "Rutte" in first.answer, first
        history = [{"question": first.question, "answer": first.answer}]
        follow_up = client.ask(FOLLOW_UP, history=history)
        assert follow_up.question != FOLLOW_UP and "Rutte" in follow_up.question, follow_up.question
        assert client.ask(FOLLOW_UP).question == FOLLOW_UP  # without history it stands alone
        # the article calls Rutte "he": a "she" does not mean him (``Engine.gender_of``)
        other = "What did she say at Keio University?"
        assert client.ask(other, history=history).question == other
        with pytest.raises(InvalidRequest) as caught:
            client.ask(FOLLOW_UP, history=[{"question": "", "answer": ""}])
        assert caught.value.status == 422 and "history" in caught.value.message

    async def ask() -> str:
        async with AsyncClient(server.url, timeout=TIMEOUT) as client:
            return (await client.ask(FOLLOW_UP, history=history)).question

    assert asyncio.run(ask()) == follow_up.question


def test_search_documents_and_readiness(server: Server) -> None:
    with Client(server.url, timeout=TIMEOUT) as client:
        passages = client.search("NSATU command", k=2).passages
        listed = client.documents()
        ready = client.ready()
        assert len(passages) == 2 and passages[0].score >= passages[1].score
        for p in passages:
            assert client.document(p.doc_id).text[p.start : p.end] == p.text
        assert "japan-nato-rutte-visit" in {d.doc_id for d in listed}
        assert all(d.chunks > 0 for d in listed)
        assert ready.status == "ready" and ready.index["documents"] == len(listed)


@pytest.mark.parametrize(
    ("call", "error", "status", "code", "message"),
    [
        (lambda c: c.ask("   "), InvalidRequest, 422, "invalid_input", "question: empty or only spaces"),
        (lambda c: c.ask(QUESTION, k=0), InvalidRequest, 422, "invalid_input", "k: Input should be greater"),
        (lambda c: c.search(""), InvalidRequest, 422, "invalid_input", "query: empty or only spaces"),
        (lambda c: c.document("no-such-doc"), NotFound, 404, "document_not_found", "no document 'no-such-doc'"),
        (lambda c: c.delete_document("x"), Unauthorized, 401, "unauthorized", "admin endpoints are disabled"),
    ],
    ids=["empty-question", "bad-k", "empty-query", "unknown-document", "admin-disabled"],
)
def test_errors_are_typed_with_the_api_message(
    server: Server, call: Callable[[Client], Any], error: type[ApiError], status: int, code: str, message: str
) -> None:
    with Client(server.url, timeout=TIMEOUT) as client, pytest.raises(error) as caught:
        call(client)
    assert (caught.value.status, caught.value.code) == (status, code)
    assert message in caught.value.message
    assert message in str(caught.value) and f"HTTP {status}" in str(caught.value)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.document(""), "doc_id: must not be empty"),
        (lambda c: c.delete_document(""), "doc_id: must not be empty"),
        (lambda c: c.add_document("", "Title", "Text.", replace=True), "doc_id: must not be empty"),
        (lambda c: c.document(7), "doc_id: expected a string, got int"),
        (lambda c: c.ask("when?", history="hello"), "history: expected a list of turns"),
        (lambda c: c.ask("when?", history=["hello"]), "history[0]: expected a dict"),
        (lambda c: c.ask("when?", history=[{"question": 1}]), "history[0]['question']: expected a string, got int"),
        (lambda c: c.ask("when?", history=[{"q": "Who?", "a": "Ann."}]), "history[0]: unknown key 'a'"),
        (lambda c: c.ask("when?", history=[{"answer": "Ann."}]), "history[0]: no 'question'"),
        (lambda c: c.document("   "), "doc_id: must not be empty"),
        (lambda c: c.document("a/b"), "doc_id: 'a/b' is no document id"),
        (lambda c: c.document(".."), "doc_id: '..' is no document id"),
        (lambda c: c.ask(b"when?"), "question: expected a string, got bytes"),
        (lambda c: c.ask("when?", k="3"), "k: expected an integer, got str"),
        (lambda c: c.ask("when?", k=True), "k: expected an integer, got bool"),
        (lambda c: c.search({"q": 1}), "query: expected a string, got dict"),
        (lambda c: c.add_document("x", "T", "Text.", metadata=["a"]), "metadata: expected a dict of strings"),
        (lambda c: c.upload_document("notes.md", content="text"), "content: expected bytes, got str"),
    ],
    ids=[
        "empty-document-id",
        "empty-delete-id",
        "empty-replace-id",
        "document-id-not-a-string",
        "history-a-string",
        "history-turn-a-string",
        "history-question-not-a-string",
        "history-unknown-key",
        "history-no-question",
        "blank-document-id",
        "document-id-with-a-slash",
        "document-id-dot-dot",
        "question-bytes",
        "k-a-string",
        "k-a-bool",
        "query-a-dict",
        "metadata-a-list",
        "content-a-string",
    ],
)
def test_malformed_arguments_are_refused_before_any_request(call: Callable[[Client], Any], message: str) -> None:
    """An ``ApiError`` (``InvalidArgument``, an ``InvalidRequest``) saying what shape is expected; nothing sent."""
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens: a request would be a connection error
    with Client(url, timeout=5) as client, pytest.raises(InvalidArgument) as caught:
        call(client)
    assert isinstance(caught.value, InvalidRequest) and isinstance(caught.value, ApiError)
    assert (caught.value.status, caught.value.code) == (None, "invalid_input")
    assert caught.value.message.startswith(message), caught.value.message
    assert str(caught.value) == f"{caught.value.message} (not sent, invalid_input)"


def test_async_client_refuses_malformed_arguments_alike() -> None:
    async def run() -> None:
        async with AsyncClient(f"http://127.0.0.1:{free_port()}", timeout=5) as client:
            with pytest.raises(InvalidArgument, match="doc_id: must not be empty"):
                await client.document("")
            with pytest.raises(InvalidArgument, match="history: expected a list of turns"):
                await client.ask("when?", history="hello")

    asyncio.run(run())


def test_an_error_answer_never_has_an_empty_message(server: Server) -> None:
    """A redirect (``/v1/documents/``) is no citeqa error body: the message still says what answered."""
    with Client(server.url, timeout=TIMEOUT) as client, pytest.raises(ApiError) as caught:
        client._send(calls.Call("GET", "/v1/documents/", lambda body: body))
    assert caught.value.status == 307 and caught.value.code == "http_error"
    assert caught.value.message == (
        f"{server.url}/v1/documents/ answered 307 Temporary Redirect, "
        f"a redirect to {server.url}/v1/documents (not followed: check base_url)"
    )


@pytest.mark.parametrize("key", [None, "wrong-key", ADMIN_KEY + "x"])
def test_wrong_key_is_unauthorized(keyed_server: Server, key: str | None) -> None:
    with Client(keyed_server.url, api_key=key, timeout=TIMEOUT) as client, pytest.raises(Unauthorized) as caught:
        client.ask(QUESTION)
    assert caught.value.status == 401 and "missing or wrong API key" in caught.value.message


def test_no_server_is_a_connection_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with Client(url, timeout=5) as client, pytest.raises(ApiConnectionError) as caught:
        client.ready()
    assert caught.value.status is None and caught.value.code == "connection_error"
    assert caught.value.message.startswith(f"cannot reach {url}")


def test_malformed_url_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="must look like http://HOST:PORT"):
        Client("127.0.0.1:8000")


def test_add_ask_and_delete_documents_with_keys(keyed_server: Server) -> None:
    text = "The Vesper Lighthouse on Calder Island was automated in 1987. Its lamp is visible for 22 nautical miles."
    with Client(keyed_server.url, api_key=API_KEY, admin_api_key=ADMIN_KEY, timeout=120) as client:
        added = client.add_document("vesper", "Vesper Lighthouse", text, url="https://example.org/vesper")
        assert added.action == "added" and [d.doc_id for d in added.documents] == ["vesper"]
        assert added.documents[0].chunks >= 1
        with pytest.raises(Conflict) as caught:
            client.add_document("vesper", "Vesper Lighthouse", text)
        assert caught.value.status == 409
        answer = client.ask("When was the Vesper Lighthouse automated?")
        assert_citations_verify_doc(answer, client, "vesper")
        uploaded = client.upload_document("tide-notes.md", content=b"# Tide notes\n\nThe Calder ferry sails at dawn.\n")
        assert uploaded.documents[0].doc_id == "tide-notes" and uploaded.warnings == ()
        latin = client.upload_document("cafe.txt", content="Caf\u00e9 Renoir\n\nIt serves waffles.\n".encode("latin-1"))
        assert latin.documents[0].title == "Caf\u00e9 Renoir" and "windows-1252" in " ".join(latin.warnings)
        client.delete_document("cafe")
        replaced = client.add_document(
            "vesper", "Vesper Lighthouse", text, url="https://example.org/vesper", replace=True
        )
        assert replaced.action == "replaced"
        removed = client.delete_document("vesper")
        assert removed.action == "removed" and removed.documents[0].chunks == 0
        client.delete_document("tide-notes")
        with pytest.raises(NotFound):
            client.document("vesper")


def assert_citations_verify_doc(answer: Answer, client: Client, doc_id: str) -> None:
    assert answer.answerable and answer.citations[0].doc_id == doc_id, answer
    assert answer.citations[0].url == "https://example.org/vesper"
    for c in answer.citations:
        document = client.document(c.doc_id)
        assert document.text[c.start : c.end] == c.quote
        assert c.content_hash == document.content_hash and c.content_hash is not None


def test_a_silent_server_is_a_timeout() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)  # accepts the connection, never answers
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        with Client(url, timeout=0.5) as client, pytest.raises(ApiTimeout) as caught:
            client.ready()
    assert caught.value.status is None and caught.value.code == "timeout"
    assert caught.value.message == f"no answer from {url} within 0.5s"


class _NotCiteqa(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = 200 if self.path == "/readyz" else 502
        body = b"<html>hello</html>"
        self.send_response(status)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.parametrize(
    ("call", "error", "status", "message"),
    [
        (Client.ready, ApiError, 200, "/readyz did not answer JSON: is it a citeqa server?"),
        (Client.documents, ServerError, 502, "/v1/documents answered 502: <html>hello</html>"),
    ],
)
def test_another_kind_of_server_is_an_api_error(
    call: Callable[[Client], Any], error: type[ApiError], status: int, message: str
) -> None:
    http = ThreadingHTTPServer(("127.0.0.1", 0), _NotCiteqa)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        with Client(f"http://127.0.0.1:{http.server_address[1]}", timeout=10) as client, pytest.raises(error) as caught:
            call(client)
    finally:
        http.shutdown()
        http.server_close()
    assert type(caught.value) is error and caught.value.status == status
    assert caught.value.message.endswith(message)


def test_the_client_imports_neither_the_service_nor_models() -> None:
    code = (
        "import sys, citeqa.service.client\n"
        "bad = [m for m in ('fastapi', 'starlette', 'torch', 'index', 'mcp', 'typer') if m in sys.modules]\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)
