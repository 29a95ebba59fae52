"""The v1 API's endpoints as data: one ``Call`` per request, shared by ``Client`` and ``AsyncClient``.

A ``Call`` names the method, path and body of a request and the function that turns the JSON
answer into a result; ``result`` turns an HTTP answer into that result or a typed ``ApiError``.
Making a call checks its arguments' shapes first (``citeqa.service.client.arguments``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx

from citeqa.service.client import arguments
from citeqa.service.client.errors import ApiError, error_for
from citeqa.service.client.models import (
    Answer,
    Document,
    DocumentsChanged,
    DocumentSummary,
    Readiness,
    SearchResult,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request: ``admin`` calls send the admin key; ``parse`` reads the decoded JSON answer."""

    method: str
    path: str
    parse: Callable[[Any], T]
    json: Any = None
    files: Mapping[str, tuple[str, bytes]] | None = None
    data: Mapping[str, str] | None = None
    admin: bool = False


def _document_list(body: Any) -> list[DocumentSummary]:
    return [DocumentSummary.from_json(d) for d in body["documents"]]


def ask(question: str, k: int, history: Sequence[Mapping[str, str]] | None = None) -> Call[Answer]:
    body: dict[str, Any] = {"question": arguments.string("question", question), "k": arguments.integer("k", k)}
    turns = arguments.history(history)
    if turns:
        body["history"] = turns
    return Call("POST", "/v1/ask", Answer.from_json, json=body)


def search(query: str, k: int) -> Call[SearchResult]:
    body = {"query": arguments.string("query", query), "k": arguments.integer("k", k)}
    return Call("POST", "/v1/search", SearchResult.from_json, json=body)


def documents() -> Call[list[DocumentSummary]]:
    return Call("GET", "/v1/documents", _document_list)


def document(doc_id: str) -> Call[Document]:
    return Call("GET", f"/v1/documents/{quote(arguments.doc_id(doc_id), safe='')}", Document.from_json)


def add_text(
    doc_id: str,
    title: str,
    text: str,
    url: str | None,
    date: str | None,
    metadata: Mapping[str, str] | None,
    replace: bool,
) -> Call[DocumentsChanged]:
    body = {
        "doc_id": arguments.doc_id(doc_id),
        "title": arguments.string("title", title),
        "text": arguments.string("text", text),
        "url": arguments.optional_string("url", url),
        "date": arguments.optional_string("date", date),
        "metadata": arguments.strings("metadata", metadata),
        "replace": arguments.flag("replace", replace),
    }
    return Call("POST", "/v1/documents", DocumentsChanged.from_json, json=body, admin=True)


def upload(path: str | PathLike[str], content: bytes | None, replace: bool) -> Call[DocumentsChanged]:
    """The upload of ``content`` named ``path``, else of the file at ``path`` (read now)."""
    name, data = arguments.file(path, content)
    return Call(
        "POST",
        "/v1/documents",
        DocumentsChanged.from_json,
        files={"file": (name, data)},
        data={"replace": "true" if arguments.flag("replace", replace) else "false"},
        admin=True,
    )


def delete(doc_id: str) -> Call[DocumentsChanged]:
    path = f"/v1/documents/{quote(arguments.doc_id(doc_id), safe='')}"
    return Call("DELETE", path, DocumentsChanged.from_json, admin=True)


def ready() -> Call[Readiness]:
    return Call("GET", "/readyz", Readiness.from_json)


def result(call: Call[T], response: httpx.Response) -> T:
    """The parsed result of a 2xx answer; raises the typed ``ApiError`` of any other."""
    where = f"{response.request.url.copy_with(query=None)}"
    if response.is_success:
        try:
            return call.parse(response.json())
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ApiError(
                f"{where} did not answer JSON: is it a citeqa server?",
                code="unexpected_response",
                status=response.status_code,
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ApiError(
                f"{where} answered JSON of another shape ({type(exc).__name__}: {exc}): is it a citeqa v1 server?",
                code="unexpected_response",
                status=response.status_code,
            ) from None
    raise _error(response, where)


def _error(response: httpx.Response, where: str) -> ApiError:
    code, message = "http_error", ""
    try:
        body = response.json()
        code, message = str(body["error"]["code"]), str(body["error"]["message"])
    except (ValueError, KeyError, TypeError):
        pass
    if not message.strip():  # not a citeqa error body (a proxy's page, a redirect): say what answered
        message = _plain_message(response, where)
    retry = response.headers.get("retry-after", "")
    retry_after = float(retry) if retry.replace(".", "", 1).isdigit() else None
    return error_for(response.status_code, code, message, retry_after)


def _plain_message(response: httpx.Response, where: str) -> str:
    """What answered, never empty: "URL answered 502: <body>", or its status phrase when the body is empty,
    and where a redirect points (the client does not follow redirects)."""
    text = response.text.strip()[:200]
    message = f"{where} answered {response.status_code}" + (f": {text}" if text else f" {response.reason_phrase}")
    if response.is_redirect:
        message += f", a redirect to {response.headers.get('location', '?')} (not followed: check base_url)"
    return message.rstrip()
