"""``Client`` (sync) and ``AsyncClient`` (asyncio) for the citeqa v1 API, on httpx.

Both have the same methods with the same arguments, results and errors; ``AsyncClient``'s are
coroutines. Every failure raises an ``ApiError`` subclass (see ``citeqa.service.client.errors``), never
an httpx exception.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

import httpx

from citeqa.service.client import calls
from citeqa.service.client.errors import ApiConnectionError, ApiTimeout
from citeqa.service.client.models import Answer, Document, DocumentsChanged, DocumentSummary, Readiness, SearchResult

T = TypeVar("T")
DEFAULT_URL = "http://127.0.0.1:8000"


def checked_url(base_url: str) -> str:
    """``base_url`` without a trailing slash; raises ``ValueError`` unless it looks like ``http(s)://HOST[:PORT]``."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base_url must look like http://HOST:PORT, not {base_url!r}")
    return base_url.rstrip("/")


class _Base:
    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        api_key: str | None = None,
        admin_api_key: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.base_url = checked_url(base_url)
        self.timeout = timeout
        self._api_key = api_key
        self._admin_api_key = admin_api_key or api_key

    def _request_args(self, call: calls.Call[Any]) -> dict[str, Any]:
        key = self._admin_api_key if call.admin else self._api_key
        headers = {"accept": "application/json"}
        if key:
            headers["authorization"] = f"Bearer {key}"
        args: dict[str, Any] = {"headers": headers}
        if call.json is not None:
            args["json"] = call.json
        if call.files is not None:
            args["files"] = dict(call.files)
            args["data"] = dict(call.data or {})
        return args

    def _no_answer(self, exc: httpx.TransportError) -> ApiConnectionError:
        if isinstance(exc, httpx.TimeoutException):
            return ApiTimeout(f"no answer from {self.base_url} within {self.timeout:g}s", code="timeout", status=None)
        return ApiConnectionError(
            f"cannot reach {self.base_url} ({exc or type(exc).__name__}): is `citeqa serve` running there?",
            code="connection_error",
            status=None,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_url!r})"


class Client(_Base):
    """A synchronous citeqa client; use it as a context manager or call ``close()``.

    ``api_key`` is sent as ``Authorization: Bearer KEY`` on every request (needed when the server
    sets ``CITEQA_API_KEY``); ``admin_api_key`` (default: ``api_key``) on document changes.
    ``timeout`` bounds each request in seconds. Raises ``ValueError`` for a malformed ``base_url``.

    Example::

        with Client("http://127.0.0.1:8000") as client:
            answer = client.ask("what is NSATU?")
    """

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        api_key: str | None = None,
        admin_api_key: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        super().__init__(base_url, api_key=api_key, admin_api_key=admin_api_key, timeout=timeout)
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout)

    def _send(self, call: calls.Call[T]) -> T:
        try:
            response = self._http.request(call.method, call.path, **self._request_args(call))
        except httpx.TransportError as exc:
            raise self._no_answer(exc) from None
        return calls.result(call, response)

    def ask(self, question: str, k: int = 5, *, history: Sequence[Mapping[str, str]] | None = None) -> Answer:
        """Answer ``question`` (1-1000 characters) from the ``k`` (1-20) nearest passages.

        ``history``: the earlier turns of a conversation, oldest first (at most 10), each
        ``{"question": ..., "answer": ...}`` as ``/v1/ask`` takes them (``answer``: the ``answer`` text
        you got, or empty); a follow-up ("When did he build it?") is resolved against the last one, and
        the result's ``question`` shows it resolved. Raises ``InvalidRequest`` (422) for an empty or too
        long question, a bad ``k`` or a malformed turn, ``Unauthorized`` without the right key,
        ``Unavailable`` before the index is loaded.
        """
        return self._send(calls.ask(question, k, history))

    def search(self, query: str, k: int = 5) -> SearchResult:
        """The ``k`` passages nearest ``query``, best first, with fused, dense and lexical scores."""
        return self._send(calls.search(query, k))

    def documents(self) -> list[DocumentSummary]:
        """Every indexed document (id, title, url, date, chunk count), without texts."""
        return self._send(calls.documents())

    def document(self, doc_id: str) -> Document:
        """One document with its full text; raises ``NotFound`` for an unknown id."""
        return self._send(calls.document(doc_id))

    def add_document(
        self,
        doc_id: str,
        title: str,
        text: str,
        *,
        url: str | None = None,
        date: str | None = None,
        metadata: Mapping[str, str] | None = None,
        replace: bool = False,
    ) -> DocumentsChanged:
        """Index a text document (admin key); returns once the updated index is served.

        Raises ``Conflict`` when the id or text exists (unless ``replace``), ``InvalidRequest``
        for a bad id (lowercase letters, digits, ``.``, ``_``, ``-``), ``Unauthorized`` without
        the admin key.
        """
        return self._send(calls.add_text(doc_id, title, text, url, date, metadata, replace))

    def upload_document(
        self, path: str | Path, *, content: bytes | None = None, replace: bool = False
    ) -> DocumentsChanged:
        """Index a file (HTML, PDF, Markdown or text; admin key): read from ``path``, or ``content`` named ``path``."""
        return self._send(calls.upload(path, content, replace))

    def delete_document(self, doc_id: str) -> DocumentsChanged:
        """Remove a document (admin key); raises ``NotFound`` for an unknown id."""
        return self._send(calls.delete(doc_id))

    def ready(self) -> Readiness:
        """The loaded index's summary; raises ``Unavailable`` (503) while none is loaded."""
        return self._send(calls.ready())

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncClient(_Base):
    """The asyncio twin of ``Client``: the same methods, as coroutines; ``async with`` or ``await aclose()``."""

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        api_key: str | None = None,
        admin_api_key: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        super().__init__(base_url, api_key=api_key, admin_api_key=admin_api_key, timeout=timeout)
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout)

    async def _send(self, call: calls.Call[T]) -> T:
        try:
            response = await self._http.request(call.method, call.path, **self._request_args(call))
        except httpx.TransportError as exc:
            raise self._no_answer(exc) from None
        return calls.result(call, response)

    async def ask(self, question: str, k: int = 5, *, history: Sequence[Mapping[str, str]] | None = None) -> Answer:
        """See ``Client.ask``."""
        return await self._send(calls.ask(question, k, history))

    async def search(self, query: str, k: int = 5) -> SearchResult:
        """See ``Client.search``."""
        return await self._send(calls.search(query, k))

    async def documents(self) -> list[DocumentSummary]:
        """See ``Client.documents``."""
        return await self._send(calls.documents())

    async def document(self, doc_id: str) -> Document:
        """See ``Client.document``."""
        return await self._send(calls.document(doc_id))

    async def add_document(
        self,
        doc_id: str,
        title: str,
        text: str,
        *,
        url: str | None = None,
        date: str | None = None,
        metadata: Mapping[str, str] | None = None,
        replace: bool = False,
    ) -> DocumentsChanged:
        """See ``Client.add_document``."""
        return await self._send(calls.add_text(doc_id, title, text, url, date, metadata, replace))

    async def upload_document(
        self, path: str | Path, *, content: bytes | None = None, replace: bool = False
    ) -> DocumentsChanged:
        """See ``Client.upload_document``."""
        return await self._send(calls.upload(path, content, replace))

    async def delete_document(self, doc_id: str) -> DocumentsChanged:
        """See ``Client.delete_document``."""
        return await self._send(calls.delete(doc_id))

    async def ready(self) -> Readiness:
        """See ``Client.ready``."""
        return await self._send(calls.ready())

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
