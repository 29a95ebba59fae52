"""A ``Runner`` that evaluates a running citeqa server over HTTP (``citeqa eval --url``).

Questions go to ``POST /v1/ask`` (or ``/v1/search`` when retrieval only), one request each,
timed end to end; document texts come from ``GET /v1/documents/{id}``. All requests go through
the typed client (``citeqa.service.client.Client``); its errors become ``RemoteError``.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from citeqa.index.errors import RemoteError
from citeqa.index.evaluation.runner import Observation, refusal_observation
from citeqa.service.client import ApiConnectionError, ApiError, Client, NotFound

T = TypeVar("T")


class HttpRunner:
    """Asks a citeqa server, one question per request."""

    def __init__(
        self, url: str, retrieval_only: bool = False, api_key: str | None = None, timeout: float = 60.0
    ) -> None:
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise RemoteError(f"--url must look like http://HOST:PORT, not {url!r}")
        self.url = url.rstrip("/")
        self.retrieval_only = retrieval_only
        self.client = Client(self.url, api_key=api_key, timeout=timeout)
        self._ids: list[str] | None = None

    def _call(self, what: str, call: Callable[[], T]) -> T:
        try:
            return call()
        except ApiError as exc:
            raise self._error(what, exc) from None

    def _error(self, what: str, exc: ApiError) -> RemoteError:
        if isinstance(exc, ApiConnectionError):
            return RemoteError(exc.message)
        return RemoteError(f"{self.url} refused {what} ({exc.status}, {exc.code}): {exc.message}")

    def run(self, questions: Sequence[str], k: int) -> list[Observation]:
        return [self._one(q, k) for q in questions]

    def _one(self, question: str, k: int) -> Observation:
        started = time.perf_counter()
        if self.retrieval_only:
            found = self._call("a search", lambda: self.client.search(question, k))
            latency = (time.perf_counter() - started) * 1000
            return Observation(None, "", tuple((p.doc_id, p.start, p.end) for p in found.passages), (), latency)
        try:
            answer = self.client.ask(question, k)
        except ApiError as exc:
            if exc.code == "unsupported_language":  # refused, as in process: an abstention, not a failed run
                return refusal_observation(exc.message, (time.perf_counter() - started) * 1000)
            raise self._error("a question", exc) from None
        return Observation.of(answer, (time.perf_counter() - started) * 1000)

    def document_text(self, doc_id: str) -> str | None:
        try:
            return self.client.document(doc_id).text
        except NotFound:
            return None
        except ApiError as exc:
            raise self._error("a document", exc) from None

    def document_ids(self) -> list[str]:
        if self._ids is None:
            self._ids = [d.doc_id for d in self._call("the document list", self.client.documents)]
        return self._ids

    def describe(self) -> dict[str, Any]:
        ready = self._call("readiness", self.client.ready)
        return {"mode": f"http {self.url}", "index": ready.index}

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> HttpRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
