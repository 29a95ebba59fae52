"""The HTTP contract through the app (TestClient over the real engine and default index)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from citeqa.service.api.app import create_app
from citeqa.service.settings import Settings
from tests.conftest import wait_ready


def test_ask_returns_an_answer_with_exact_citations(client: Any) -> None:
    response = client.post("/v1/ask", json={"question": "what is NSATU?"})
    assert response.status_code == 200
    body = response.json()
    assert body["answerable"] is True
    assert "NATO Security Assistance and Training for Ukraine" in body["answer"]
    assert set(body) >= {"question", "answerable", "answer", "citations", "passages", "timings_ms"}
    assert set(body["timings_ms"]) >= {"retrieve", "answer", "total"}
    assert body["citations"] and len(body["passages"]) == 5
    for citation in body["citations"]:
        assert f"[{citation['id']}]" in body["answer"]
        document = client.get(f"/v1/documents/{citation['doc_id']}").json()
        assert document["text"][citation["start"] : citation["end"]] == citation["quote"]
        assert set(citation) >= {"id", "doc_id", "title", "url", "quote", "start", "end", "score"}
    for passage in body["passages"]:
        assert set(passage) >= {"doc_id", "title", "chunk_id", "text", "start", "end", "score", "dense_score"}
        assert "lexical_score" in passage


def test_off_corpus_question_abstains_but_returns_passages(client: Any) -> None:
    body = client.post("/v1/ask", json={"question": "Who painted the Mona Lisa?", "k": 3}).json()
    assert body["answerable"] is False
    assert body["citations"] == []
    assert "don't cover" in body["answer"]
    assert len(body["passages"]) == 3
    assert body["reason"]


def test_search_finds_acronyms_lexically(client: Any) -> None:
    body = client.post("/v1/search", json={"query": "ITPP", "k": 3}).json()
    assert len(body["passages"]) == 3
    assert "ITPP" in body["passages"][0]["text"]
    assert body["passages"][0]["lexical_score"] > 0


def test_documents_list_and_detail(client: Any) -> None:
    listing = client.get("/v1/documents").json()["documents"]
    assert listing == [
        {
            "doc_id": "japan-nato-rutte-visit",
            "title": "With Rutte Visit, Japan and NATO Seek ‘Next Level’ of Cooperation",
            "url": None,
            "date": "2025-04",
            "chunks": listing[0]["chunks"],
        }
    ]
    assert listing[0]["chunks"] > 5
    detail = client.get("/v1/documents/japan-nato-rutte-visit").json()
    assert detail["metadata"]["publication"] == "The Diplomat"
    assert detail["text"].startswith("NATO Secretary General Mark Rutte")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "question"),
        ({"question": ""}, "question"),
        ({"question": "   \n\t "}, "question"),
        ({"question": 42}, "question"),
        ({"question": ["a"]}, "question"),
        ({"question": None}, "question"),
        ({"question": "x" * 1001}, "question"),
        ({"question": "ok", "k": 0}, "k"),
        ({"question": "ok", "k": 21}, "k"),
        ({"question": "ok", "k": "5"}, "k"),
        ({"question": "ok", "k": 2.5}, "k"),
        ({"question": "ok", "extra": 1}, "extra"),
    ],
)
def test_bad_ask_bodies_get_a_422_naming_the_field(client: Any, body: Any, field: str) -> None:
    response = client.post("/v1/ask", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input" and field in error["message"]


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/v1/ask", {"question": "   "}, "question: empty or only spaces: write the question"),
        ("/v1/ask", {"question": ""}, "question: empty or only spaces: write the question"),
        # invisible characters only (a zero-width space, a soft hyphen, a NUL): nothing for matching to read
        ("/v1/ask", {"question": "\u200b\u00ad\u0000 "}, "question: empty or only spaces: write the question"),
        ("/v1/ask", {"question": "\x00\x01\x02"}, "question: empty or only spaces: write the question"),
        (
            "/v1/ask",
            {"question": "ok?", "history": [{"question": " \n"}]},
            "history.0.question: empty or only spaces: write the question",
        ),
        ("/v1/search", {"query": " \t "}, "query: empty or only spaces: write the words to search for"),
        # over the limit: how long it is and what to do, not pydantic's "String should have at most 1000 characters"
        (
            "/v1/ask",
            {"question": "why " * 300},
            "question: 1199 characters, over the limit of 1000: shorten it, or ask its parts as separate questions",
        ),
    ],
)
def test_a_blank_question_is_a_422_saying_what_to_write(client: Any, path: str, body: Any, message: str) -> None:
    """A question of only spaces got pydantic's "String should have at least 1 character"."""
    response = client.post(path, json=body)
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid_input",
        "message": f"{message} (request formats: /openapi.json)",
    }


@pytest.mark.parametrize(
    "raw", [b"{not json", b"", b"[]", b'"just a string"', b"\xff\xfe", b'{"question": "a"' + b"}" * 3]
)
def test_malformed_json_is_a_422_not_a_500(client: Any, raw: bytes) -> None:
    response = client.post("/v1/ask", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


@pytest.mark.parametrize(
    "question",
    [
        "\x00\x01\x02 NSATU",  # only control characters is a 422 (test_a_blank_question_is_a_422_saying_what_to_write)
        "NSATU？？",
        "🙂" * 50,
        "a" * 1000,
        "NSATU " * 150,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
    ],
)
def test_odd_questions_never_break_the_service(client: Any, question: str) -> None:
    response = client.post("/v1/ask", json={"question": question, "k": 20})
    assert response.status_code == 200
    body = response.json()
    for citation in body["citations"]:
        text = client.get(f"/v1/documents/{citation['doc_id']}").json()["text"]
        assert text[citation["start"] : citation["end"]] == citation["quote"]


def test_unknown_document_and_route_are_404s(client: Any) -> None:
    response = client.get("/v1/documents/no-such-doc")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "document_not_found"
    assert client.get("/v2/nothing").json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path", "send", "status", "says"),
    [
        ("get", "/v2/nothing", {}, 404, "no route GET /v2/nothing: the API's routes are listed at /docs"),
        ("get", "/v1/ask", {}, 405, "/v1/ask does not take GET: use POST"),
        (
            "post",
            "/v1/ask",
            {"content": b'{"question": "caf\xe9"}', "headers": {"content-type": "application/json"}},
            400,
            "in UTF-8",
        ),
        (
            "post",
            "/v1/ask",
            {"content": b'{"question": "What is NSATU?"}', "headers": {"content-type": "text/plain"}},
            422,
            "not read as JSON (Content-Type: text/plain): send a JSON object with Content-Type: application/json",
        ),
        (
            "post",
            "/v1/ask",
            {"content": b"[" * 5000 + b"]" * 5000, "headers": {"content-type": "application/json"}},
            400,
            "body: not acceptable JSON (nested too deeply): send a JSON object with Content-Type: application/json",
        ),
        (
            "post",
            "/v1/search",
            {"content": b'{"query": ' * 3000 + b"1" + b"}" * 3000, "headers": {"content-type": "application/json"}},
            400,
            "body: not acceptable JSON (nested too deeply)",
        ),
    ],
)
def test_starlette_errors_say_what_to_do(
    client: Any, method: str, path: str, send: dict[str, Any], status: int, says: str
) -> None:
    response = getattr(client, method)(path, **send)
    assert response.status_code == status, response.text
    assert says in response.json()["error"]["message"]
    assert "UTF-8" not in response.json()["error"]["message"] or says == "in UTF-8"


def test_health_ready_and_openapi(client: Any) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["index"]["documents"] == 1
    spec = client.get("/openapi.json").json()
    ask = spec["paths"]["/v1/ask"]["post"]
    assert ask["summary"] and {"200", "422", "503"} <= set(ask["responses"])
    request = spec["components"]["schemas"]["AskRequest"]["properties"]
    assert request["question"]["description"] and request["question"]["examples"]
    assert client.get("/docs").status_code == 200


def test_not_ready_is_a_503_with_the_reason(tmp_path: Path) -> None:
    app = create_app(Settings(index_dir=tmp_path / "empty"), load=False)
    with TestClient(app) as early:
        response = early.post("/v1/ask", json={"question": "what is NSATU?"})
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "not_ready"
        assert early.get("/readyz").status_code == 503
        assert early.get("/healthz").status_code == 200


def test_missing_index_is_reported_on_readyz(tmp_path: Path) -> None:
    """The 503 names the build of the index this server waits for: `citeqa build` alone would build
    corpus/ into data/index."""
    index, corpus = tmp_path / "empty", tmp_path / "my articles"
    app = create_app(Settings(index_dir=index, corpus_dir=corpus))
    with TestClient(app) as broken:
        wait_ready(lambda: 200 if "citeqa build" in broken.get("/readyz").text else 0, timeout=60)
        response = broken.get("/readyz")
        assert response.status_code == 503
        assert "no index at" in response.json()["error"]["message"]
        asked = broken.post("/v1/ask", json={"question": "what is NSATU?"})
        assert asked.status_code == 503 and asked.json()["error"]["code"] == "not_ready"
        assert asked.json()["error"]["message"] == (
            f"not ready: no index at {index} ({index}/CURRENT is missing): "
            f"build it with `citeqa build --corpus '{corpus}' --index {index}`"
        )


def test_admin_reload_needs_a_key(client: Any) -> None:
    response = client.post("/v1/admin/reload")
    assert response.status_code == 401
    assert "CITEQA_ADMIN_API_KEY" in response.json()["error"]["message"]


def test_settings_reach_routes_through_a_dependency_tests_can_override(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient
    from pydantic import SecretStr

    from citeqa.service.api.app import create_app
    from citeqa.service.api.dependencies import get_settings
    from citeqa.service.settings import Settings

    app = create_app(Settings(index_dir=tmp_path / "no-index"), load=False)
    with TestClient(app) as http:
        disabled = http.post("/v1/admin/reload")
        assert disabled.status_code == 401 and "disabled" in disabled.json()["error"]["message"]
        app.dependency_overrides[get_settings] = lambda: Settings(admin_api_key=SecretStr("s3cret"))
        wrong = http.post("/v1/admin/reload", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and "wrong API key" in wrong.json()["error"]["message"]
        allowed = http.post("/v1/admin/reload", headers={"Authorization": "Bearer s3cret"})
        assert allowed.status_code == 503 and allowed.json()["error"]["code"] == "index_not_found"


def test_a_body_that_is_not_json_says_so(tmp_path: Path) -> None:
    app = create_app(Settings(index_dir=tmp_path / "no-index"), load=False)
    with TestClient(app) as http:
        response = http.post("/v1/ask", content=b"what is NSATU?", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("body: not valid JSON: send a JSON object")
