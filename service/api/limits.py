"""Request limits as small ASGI middleware and one dependency, all driven by ``Settings``.

- body size: 413 beyond ``max_body_bytes`` (document uploads: twice ``max_upload_bytes``, the
  route checks the document itself), checked on Content-Length before reading, and while
  buffering chunked bodies;
- concurrency: at most ``max_concurrency`` requests to ``/v1/`` and ``/mcp`` at once, then 503 with
  Retry-After at once (no queue pile-up);
- rate: optional token bucket per client address on ``/v1/`` and ``/mcp`` (429 with Retry-After);
- question length and ``k``: the API's ceilings (``citeqa.index.limits``), lowered by settings (422).
"""

from __future__ import annotations

import math
import time
from typing import Any

from fastapi import Depends, FastAPI, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from citeqa.index.errors import InvalidInput
from citeqa.index.limits import MAX_K, MAX_QUESTION_CHARS
from citeqa.service.api.dependencies import SettingsDep
from citeqa.service.api.errors import send_error
from citeqa.service.settings import Settings

LIMITED_PREFIXES = ("/v1/", "/mcp")
MAX_TRACKED_CLIENTS = 10_000
UPLOAD_PATH = "/v1/documents"


class TokenBuckets:
    """Per-client token buckets: ``burst`` tokens, refilled at ``per_minute`` a minute."""

    def __init__(self, per_minute: int, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}

    def wait(self, client: str, now: float) -> float:
        """0 when the request may go (a token is taken), else the seconds until the next token."""
        tokens, last = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1:
            self._buckets[client] = (tokens - 1, now)
            self._prune(now)
            return 0.0
        self._buckets[client] = (tokens, now)
        return (1 - tokens) / self.rate

    def _prune(self, now: float) -> None:
        if len(self._buckets) > MAX_TRACKED_CLIENTS:
            full = [c for c, (t, last) in self._buckets.items() if t + (now - last) * self.rate >= self.burst]
            for client in full:
                del self._buckets[client]


class LimitsMiddleware:
    """Body size, concurrency and rate limits in front of the app."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.active = 0
        self.buckets = (
            TokenBuckets(settings.rate_limit_per_minute, settings.rate_limit_burst)
            if settings.rate_limit_per_minute
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limited = str(scope["path"]).startswith(LIMITED_PREFIXES) and scope["method"] != "OPTIONS"
        if limited and self.buckets is not None:
            client = scope["client"][0] if scope.get("client") else "unknown"
            wait = self.buckets.wait(client, time.monotonic())
            if wait > 0:
                retry = str(max(1, math.ceil(wait)))
                message = f"too many requests from {client}: retry in {retry}s (CITEQA_RATE_LIMIT_PER_MINUTE)"
                await send_error(send, 429, "rate_limited", message, {"retry-after": retry})
                return
        bounded = await self._bounded_body(scope, receive, send)
        if bounded is None:
            return
        if not limited:
            await self.app(scope, bounded, send)
            return
        if self.active >= self.settings.max_concurrency:
            retry = str(self.settings.retry_after_seconds)
            message = f"busy: {self.active} requests in progress (CITEQA_MAX_CONCURRENCY); retry in {retry}s"
            await send_error(send, 503, "busy", message, {"retry-after": retry})
            return
        self.active += 1
        try:
            await self.app(scope, bounded, send)
        finally:
            self.active -= 1

    async def _bounded_body(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """``receive`` to hand on, or None when a 413 (or a disconnect) ended the request."""
        headers = dict(scope.get("headers", []))
        upload = scope["method"] == "POST" and str(scope["path"]).rstrip("/") == UPLOAD_PATH
        limit = (
            2 * self.settings.max_upload_bytes + self.settings.max_body_bytes
            if upload
            else self.settings.max_body_bytes
        )
        setting = "CITEQA_MAX_UPLOAD_BYTES" if upload else "CITEQA_MAX_BODY_BYTES"
        too_large = (
            f"request body over {limit} bytes: send a smaller one (to /v1/chat/completions, fewer or shorter "
            f"earlier messages: only the last turns are used) or raise {setting} on the server"
        )
        declared = headers.get(b"content-length")
        if declared is not None:
            if declared.isdigit() and int(declared) > limit:
                await send_error(send, 413, "payload_too_large", too_large)
                return None
            return receive
        if b"chunked" not in headers.get(b"transfer-encoding", b"").lower():
            return receive
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None
            parts.append(message.get("body", b""))
            size += len(parts[-1])
            if size > limit:
                await send_error(send, 413, "payload_too_large", too_large)
                return None
            if not message.get("more_body", False):
                break
        return _replay(b"".join(parts), receive)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def check_input_limits(request: Request, settings: SettingsDep) -> None:
    """422 when a question/query is longer than ``max_question_chars`` or ``k`` over ``max_k``."""
    if settings.max_question_chars >= MAX_QUESTION_CHARS and settings.max_k >= MAX_K:
        return  # the request schemas already enforce the ceilings
    if request.method != "POST" or "json" not in request.headers.get("content-type", ""):
        return
    try:
        body: Any = await request.json()
    except ValueError:
        return  # the route's own validation reports malformed JSON
    if isinstance(body, dict):
        check_question_limits(settings, body)


def check_question_limits(settings: Settings, fields: dict[str, Any]) -> None:
    """Raise InvalidInput when ``question``/``query`` is over ``max_question_chars`` or ``k`` over ``max_k``."""
    for name in ("question", "query"):
        value = fields.get(name)
        if isinstance(value, str) and len(value.strip()) > settings.max_question_chars:
            raise InvalidInput(f"{name}: at most {settings.max_question_chars} characters (CITEQA_MAX_QUESTION_CHARS)")
    k = fields.get("k")
    if isinstance(k, int) and not isinstance(k, bool) and k > settings.max_k:
        raise InvalidInput(f"k: at most {settings.max_k} (CITEQA_MAX_K)")


def install_limits(app: FastAPI, settings: Settings) -> None:
    """Add the limits middleware, and the input-limit dependency when the settings lower the API's
    ceilings (call before including routers). At the ceilings the request schemas enforce them, and
    a dependency on every route would cost each request a body parse and two dependency calls."""
    app.add_middleware(LimitsMiddleware, settings=settings)
    if settings.max_question_chars < MAX_QUESTION_CHARS or settings.max_k < MAX_K:
        app.router.dependencies.append(Depends(check_input_limits))
