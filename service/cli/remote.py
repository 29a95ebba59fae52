"""A ``Runner`` that evaluates a running citeqa server over HTTP (``citeqa eval --url``).

Questions go to ``POST /v1/ask`` (or ``/v1/search`` when retrieval only), one request each,
timed end to end; document texts come from ``GET /v1/documents/{id}``. Standard library only.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from typing import Any

from citeqa.index.errors import RemoteError
from citeqa.index.evaluation.runner import Observation


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
        self.api_key = api_key
        self.timeout = timeout
        self._ids: list[str] | None = None

    def _request(self, path: str, body: dict[str, Any] | None = None) -> Any:
        headers = {"accept": "application/json"}
        if body is not None:
            headers["content-type"] = "application/json"
        if self.api_key:
            headers["authorization"] = f"Bearer {self.api_key}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and path.startswith("/v1/documents/"):
                return None
            raise RemoteError(f"{self.url}{path} answered {exc.code}: {_error_message(exc)}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RemoteError(f"cannot reach {self.url} ({reason}): is `citeqa serve` running there?") from None
        except json.JSONDecodeError:
            raise RemoteError(f"{self.url}{path} did not answer JSON: is it a citeqa server?") from None

    def run(self, questions: Sequence[str], k: int) -> list[Observation]:
        return [self._one(q, k) for q in questions]

    def _one(self, question: str, k: int) -> Observation:
        started = time.perf_counter()
        if self.retrieval_only:
            body = self._request("/v1/search", {"query": question, "k": k})
        else:
            body = self._request("/v1/ask", {"question": question, "k": k})
        latency = (time.perf_counter() - started) * 1000
        passages = tuple((p["doc_id"], p["start"], p["end"]) for p in body["passages"])
        if self.retrieval_only:
            return Observation(None, "", passages, (), latency)
        return Observation(
            answerable=bool(body["answerable"]),
            answer=body["answer"],
            passages=passages,
            citations=tuple((c["doc_id"], c["start"], c["end"], c["quote"]) for c in body["citations"]),
            latency_ms=latency,
            confidence=body.get("confidence"),
        )

    def document_text(self, doc_id: str) -> str | None:
        body = self._request(f"/v1/documents/{urllib.parse.quote(doc_id, safe='')}")
        return None if body is None else str(body["text"])

    def document_ids(self) -> list[str]:
        if self._ids is None:
            self._ids = [d["doc_id"] for d in self._request("/v1/documents")["documents"]]
        return self._ids

    def describe(self) -> dict[str, Any]:
        ready = self._request("/readyz")
        return {"mode": f"http {self.url}", "index": ready.get("index", {})}


def _error_message(exc: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(exc.read())["error"]["message"])
    except (ValueError, KeyError, TypeError, OSError):
        return str(exc.reason)
