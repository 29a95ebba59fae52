"""The v1 API's endpoints as data: one ``Call`` per request, shared by ``Client`` and ``AsyncClient``.

A ``Call`` names the method, path and body of a request and the function that turns the JSON
answer into a result; ``result`` turns an HTTP answer into that result or a typed ``ApiError``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx

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
    body: dict[str, Any] = {"question": question, "k": k}
    if history:
        body["history"] = [dict(turn) for turn in history]
    return Call("POST", "/v1/ask", Answer.from_json, json=body)


def search(query: str, k: int) -> Call[SearchResult]:
    return Call("POST", "/v1/search", SearchResult.from_json, json={"query": query, "k": k})


def documents() -> Call[list[DocumentSummary]]:
    return Call("GET", "/v1/documents", _document_list)


def document(doc_id: str) -> Call[Document]:
    return Call("GET", f"/v1/documents/{quote(doc_id, safe='')}", Document.from_json)


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
        "doc_id": doc_id,
        "title": title,
        "text": text,
        "url": url,
        "date": date,
        "metadata": dict(metadata or {}),
        "replace": replace,
    }
    return Call("POST", "/v1/documents", DocumentsChanged.from_json, json=body, admin=True)


def upload(filename: str, content: bytes, replace: bool) -> Call[DocumentsChanged]:
    return Call(
        "POST",
        "/v1/documents",
        DocumentsChanged.from_json,
        files={"file": (filename, content)},
        data={"replace": "true" if replace else "false"},
        admin=True,
    )


def delete(doc_id: str) -> Call[DocumentsChanged]:
    return Call("DELETE", f"/v1/documents/{quote(doc_id, safe='')}", DocumentsChanged.from_json, admin=True)


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
    code, message = "http_error", f"{where} answered {response.status_code}: {response.text[:200]}"
    try:
        body = response.json()
        code, message = str(body["error"]["code"]), str(body["error"]["message"])
    except (ValueError, KeyError, TypeError):
        pass
    retry = response.headers.get("retry-after", "")
    retry_after = float(retry) if retry.replace(".", "", 1).isdigit() else None
    return error_for(response.status_code, code, message, retry_after)
