"""Observability: Prometheus metrics, request ids and structured JSON logs.

- ``Metrics`` owns one ``CollectorRegistry`` per app (no module-level globals): request counts
  and latency per route template and status, stage timings from the engine, batch sizes from
  the batcher, and, read at scrape time, index document and chunk counts and build info.
- ``RequestMiddleware`` (pure ASGI, so streaming responses pass through untouched) takes the
  request id from ``X-Request-ID`` (or makes one), returns it in the response header, puts it
  on every log record of the request, records the metrics and writes one access log line.
  Questions are logged only with ``log_questions`` on.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import queue
import random
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from citeqa.index import __version__
from citeqa.service.api.errors import send_error
from citeqa.service.runtime import Runtime

log = logging.getLogger("citeqa")
access_log = logging.getLogger("citeqa.access")
request_id_var: ContextVar[str | None] = ContextVar("citeqa_request_id", default=None)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)
QUESTION_PATHS = frozenset({"/v1/ask", "/v1/search", "/v1/chat/completions"})
MAX_LOGGED_BODY = 65_536
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class _IndexCollector(Collector):
    """Index counts and build info of whatever engine is loaded when Prometheus scrapes."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def collect(self) -> Iterator[Metric]:
        engine = self._runtime.current
        documents = GaugeMetricFamily("citeqa_index_documents", "Documents in the loaded index.")
        chunks = GaugeMetricFamily("citeqa_index_chunks", "Chunks in the loaded index.")
        info = InfoMetricFamily("citeqa_build", "citeqa version, embedding model and loaded index version.")
        manifest = engine.data.manifest if engine is not None else None
        documents.add_metric([], len(manifest.documents) if manifest else 0)
        chunks.add_metric([], manifest.chunk_count if manifest else 0)
        info.add_metric(
            [],
            {
                "version": __version__,
                "model": manifest.model if manifest else self._runtime.settings.model,
                "index_version": manifest.version if manifest else "",
            },
        )
        yield from (documents, chunks, info)


class Metrics:
    """The app's Prometheus metrics."""

    def __init__(self, runtime: Runtime) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "citeqa_http_requests", "HTTP requests by route and status.", ["method", "route", "status"],
            registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "citeqa_http_request_duration_seconds", "HTTP request latency by route and status.",
            ["method", "route", "status"], buckets=LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.stages = Histogram(
            "citeqa_stage_duration_seconds", "Engine stage time per batch (retrieve, answer).", ["stage"],
            buckets=LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.batch_size = Histogram(
            "citeqa_batch_size", "Questions per micro-batch.", ["op"], buckets=BATCH_BUCKETS, registry=self.registry
        )
        self.registry.register(_IndexCollector(runtime))

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        labels = (method, route, str(status))
        self.requests.labels(*labels).inc()
        self.latency.labels(*labels).observe(seconds)

    def observe_batch(self, op: str, size: int, timings_ms: dict[str, float]) -> None:
        """Called by the batcher once per executed batch with the engine's timings."""
        self.batch_size.labels(op).observe(size)
        for stage in ("retrieve", "answer"):
            if stage in timings_ms:
                self.stages.labels(stage).observe(timings_ms[stage] / 1000)

    def exposition(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class RequestMiddleware:
    """Request id in and out, metrics per route template and status, one access log line per request."""

    def __init__(self, app: ASGIApp, metrics: Metrics, log_questions: bool = False) -> None:
        self.app = app
        self.metrics = metrics
        self.log_questions = log_questions
        # Request ids need to be unique, not secret: 128 bits of a generator seeded from os.urandom
        # (as uuid4's hex) without uuid4's read of os.urandom per request, a system call that
        # releases the GIL, so the event loop waited to take it back from the batcher's threads
        # (~10% of the event loop's samples under 32 clients, py-spy).
        self._ids = random.Random()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope) or f"{self._ids.getrandbits(128):032x}"
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500
        body = bytearray()
        keep_body = self.log_questions and scope["path"] in QUESTION_PATHS

        async def receive_and_keep() -> Message:
            message = await receive()
            if keep_body and message["type"] == "http.request" and len(body) < MAX_LOGGED_BODY:
                body.extend(message.get("body", b"")[: MAX_LOGGED_BODY - len(body)])
            return message

        started_response = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                status, started_response = message["status"], True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                message = {**message, "headers": [*headers, (b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, receive_and_keep, send_with_id)
        except Exception:
            if started_response:
                raise
            log.exception("unexpected error")  # answered here, so the 500 carries the request id too
            await send_error(send_with_id, 500, "internal_error", "unexpected error; the log has the details")
        finally:
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.observe_request(scope["method"], route, status, seconds)
            extra: dict[str, Any] = {"method": scope["method"], "path": scope["path"], "route": route}
            extra.update(status=status, duration_ms=round(seconds * 1000, 2))
            if keep_body:
                extra["question"] = question_of(bytes(body))
            access_log.info("%s %s %s", scope["method"], scope["path"], status, extra={"fields": extra})
            request_id_var.reset(token)


def _incoming_request_id(scope: Scope) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"x-request-id":
            text = value.decode("latin-1").strip()
            return text if _REQUEST_ID.fullmatch(text) else None
    return None


def question_of(body: bytes) -> str | None:
    """The question of an ask, search or chat request body (for logs), or None."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("question") or data.get("query"), str):
        return str(data.get("question") or data.get("query"))
    messages = data.get("messages")
    if isinstance(messages, list):
        users = [m.get("content") for m in messages if isinstance(m, dict) and m.get("role") == "user"]
        return users[-1] if users and isinstance(users[-1], str) else None
    return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and structured fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class BackgroundStreamHandler(logging.handlers.QueueHandler):
    """Log lines written to a stream (stderr) by a thread of its own: the thread that logs (the event
    loop, for access lines) only queues the record; formatting and the write happen on the listener
    thread. Filters still run on the logging thread, so the request id is taken there."""

    def __init__(self, stream: Any = None) -> None:
        self.target = logging.StreamHandler(stream)
        super().__init__(queue.SimpleQueue())
        self.listener = logging.handlers.QueueListener(self.queue, self.target)
        self.listener.start()
        self._running = True

    def setFormatter(self, fmt: logging.Formatter | None) -> None:
        self.target.setFormatter(fmt)

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        return record  # formatted by the listener, not here

    def close(self) -> None:
        if self._running:
            self._running = False
            self.listener.stop()  # writes what is queued
        self.target.close()
        super().close()


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        return True


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for uvicorn and citeqa: JSON lines or plain text, request ids in both,
    written to stderr off the event loop (``BackgroundStreamHandler``)."""
    formatter: dict[str, Any] = (
        {"()": JsonFormatter}
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    names: Sequence[str] = ("citeqa", "uvicorn", "uvicorn.error")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"main": formatter},
        "handlers": {
            "stderr": {
                "class": f"{__name__}.BackgroundStreamHandler",
                "formatter": "main",
                "filters": ["request_id"],
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {name: {"handlers": ["stderr"], "level": level.upper(), "propagate": False} for name in names},
    }


BatchObserver = Callable[[str, int, dict[str, float]], None]


def install_observability(app: FastAPI, runtime: Runtime, log_questions: bool) -> Metrics:
    """Metrics on ``app.state.metrics``, the request middleware, and ``GET /metrics``."""
    metrics = Metrics(runtime)
    app.state.metrics = metrics
    app.add_middleware(RequestMiddleware, metrics=metrics, log_questions=log_questions)
    router = APIRouter()

    @router.get("/metrics", tags=["operations"], summary="Prometheus metrics", response_class=Response)
    def prometheus_metrics() -> Response:
        payload, content_type = metrics.exposition()
        return Response(payload, media_type=content_type)

    # HEAD as the widget's routes answer it (``curl -I``); one operation in the schema, the GET
    router.add_api_route("/metrics", prometheus_metrics, methods=["HEAD"], include_in_schema=False)

    app.include_router(router)
    return metrics
