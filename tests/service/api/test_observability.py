"""Prometheus metrics, request ids and structured JSON logs."""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from citeqa.index import __version__
from citeqa.service.api.app import create_app
from citeqa.service.api.observability import JsonFormatter, question_of, request_id_var
from citeqa.service.settings import Settings
from tests.conftest import Server


def _samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def _value(samples: dict[str, list[tuple[dict[str, str], float]]], name: str, **labels: str) -> float:
    return sum(v for got, v in samples.get(name, []) if all(got.get(k) == x for k, x in labels.items()))


def test_metrics_count_requests_stages_batches_and_index(client: TestClient) -> None:
    before = _samples(client.get("/metrics").text)
    for _ in range(2):
        assert client.post("/v1/ask", json={"question": "what is NSATU?"}).status_code == 200
    assert client.post("/v1/ask", json={"question": ""}).status_code == 422
    assert client.get("/v1/documents/nope").status_code == 404
    response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    after = _samples(response.text)

    def grew(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew("citeqa_http_requests_total", route="/v1/ask", status="200", method="POST") == 2
    assert grew("citeqa_http_requests_total", route="/v1/ask", status="422") == 1
    assert grew("citeqa_http_requests_total", route="/v1/documents/{doc_id}", status="404") == 1
    assert grew("citeqa_http_request_duration_seconds_count", route="/v1/ask", status="200") == 2
    assert grew("citeqa_stage_duration_seconds_count", stage="retrieve") >= 1
    assert grew("citeqa_stage_duration_seconds_count", stage="answer") >= 1
    assert grew("citeqa_stage_duration_seconds_sum", stage="retrieve") > 0
    assert grew("citeqa_batch_size_count", op="ask") >= 1
    assert grew("citeqa_batch_size_sum", op="ask") == 2
    assert _value(after, "citeqa_index_documents") == 1
    assert _value(after, "citeqa_index_chunks") > 1
    ((info, value),) = after["citeqa_build_info"]
    version = client.get("/readyz").json()["index"]["version"]
    assert value == 1
    assert info == {"version": __version__, "model": "sentence-transformers/all-MiniLM-L6-v2", "index_version": version}


def test_request_id_is_taken_or_made_and_returned(client: TestClient) -> None:
    given = f"req-{uuid.uuid4().hex[:8]}"
    assert client.get("/healthz", headers={"X-Request-ID": given}).headers["x-request-id"] == given
    made = {client.get("/healthz").headers["x-request-id"] for _ in range(5)}
    assert len(made) == 5 and all(len(m) == 32 and int(m, 16) >= 0 for m in made)
    injected = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"}).headers["x-request-id"]
    assert injected != "bad id\nwith newline"
    assert client.get("/v1/nothing").headers["x-request-id"]


def test_server_writes_json_logs_with_request_ids_and_no_questions(server: Server) -> None:
    request_id = f"log-{uuid.uuid4().hex[:12]}"
    secret = "what is the secret NSATU codeword?"
    response = httpx.post(f"{server.url}/v1/ask", json={"question": secret}, headers={"X-Request-ID": request_id})
    assert response.headers["x-request-id"] == request_id
    deadline = time.monotonic() + 10
    mine: list[dict[str, Any]] = []
    while not mine and time.monotonic() < deadline:
        lines = [line for line in server.log.read_text(errors="replace").splitlines() if line.startswith("{")]
        mine = [entry for entry in map(json.loads, lines) if entry.get("request_id") == request_id]
        time.sleep(0.1)
    (entry,) = mine
    assert entry["logger"] == "citeqa.access"
    assert (entry["method"], entry["route"], entry["status"]) == ("POST", "/v1/ask", 200)
    assert entry["duration_ms"] > 0
    assert "question" not in entry
    assert secret not in server.log.read_text(errors="replace")
    assert any(json.loads(line)["logger"] == "citeqa" for line in lines)


def test_questions_are_logged_only_when_enabled(caplog: pytest.LogCaptureFixture) -> None:
    question = "which harbour has a tidal plant?"
    for enabled in (False, True):
        caplog.clear()
        app = create_app(Settings(log_questions=enabled), load=False)
        with caplog.at_level(logging.INFO, logger="citeqa.access"), TestClient(app) as test_client:
            assert test_client.post("/v1/ask", json={"question": question}).status_code == 503
        (record,) = [r for r in caplog.records if r.name == "citeqa.access"]
        fields = record.__dict__["fields"]
        assert fields["status"] == 503
        assert fields.get("question") == (question if enabled else None)


@pytest.mark.parametrize(
    ("body", "question"),
    [
        (b'{"question": "q1"}', "q1"),
        (b'{"query": "q2", "k": 3}', "q2"),
        (b'{"model": "citeqa", "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]}', "b"),
        (b"not json", None),
        (b"[1, 2]", None),
    ],
)
def test_question_of_request_bodies(body: bytes, question: str | None) -> None:
    assert question_of(body) == question


def test_json_formatter_adds_request_id_and_fields() -> None:
    token = request_id_var.set("abc123")
    try:
        record = logging.LogRecord("citeqa", logging.INFO, __file__, 1, "hello %s", ("world",), None)
        record.fields = {"status": 200}
        entry = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert entry["message"] == "hello world"
    assert (entry["request_id"], entry["status"], entry["level"]) == ("abc123", 200, "info")


def test_unexpected_errors_are_500s_with_the_request_id_logged(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(Settings(), load=False)

    def boom() -> None:
        raise RuntimeError("kaput")

    app.add_api_route("/boom", boom)
    with caplog.at_level(logging.INFO), TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/boom", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response.json() == {
        "error": {"code": "internal_error", "message": "unexpected error; the log has the details"}
    }
    assert response.headers["x-request-id"] == "boom-1"
    formatter = JsonFormatter()
    logged = [json.loads(formatter.format(r)) for r in caplog.records if r.exc_info]
    assert logged and "kaput" in logged[0]["exception"]
    access = [r for r in caplog.records if r.name == "citeqa.access"]
    assert access[0].__dict__["fields"]["status"] == 500


def test_background_handler_writes_every_line_in_order_with_its_request_id_and_flushes_on_close() -> None:
    """The access log leaves the event loop: the logging thread queues, the listener formats and writes."""
    import io
    import logging.config

    from citeqa.service.api.observability import logging_config

    stream = io.StringIO()
    config = logging_config("json", "info")
    config["handlers"]["stderr"]["stream"] = stream
    config["loggers"] = {"citeqa.test-background": {"handlers": ["stderr"], "level": "INFO", "propagate": False}}
    logging.config.dictConfig(config)
    logger = logging.getLogger("citeqa.test-background")
    (handler,) = logger.handlers
    token = request_id_var.set("req-42")
    try:
        for i in range(200):
            logger.info("line %d", i, extra={"fields": {"n": i}})
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("failed")
    finally:
        request_id_var.reset(token)
    handler.close()
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [e["n"] for e in lines[:200]] == list(range(200))
    assert {e["request_id"] for e in lines} == {"req-42"}
    assert lines[-1]["message"] == "failed" and "ValueError: boom" in lines[-1]["exception"]
    logger.handlers.clear()


def test_metrics_answer_head_too(client: TestClient) -> None:
    """docs/api.md: /metrics answers HEAD (``curl -I``), as the widget's routes do; a new user's trial got a 405."""
    response = client.head("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    assert response.content == b""
