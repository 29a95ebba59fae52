"""Request limits: body size (413), question length and k (422), concurrency (503 with
Retry-After, no pile-up) and the optional per-client rate limit (429)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import start_server, stop_server, wait_ready


def make_client(index: Path, **settings: Any) -> TestClient:
    from citeqa.service.api.app import create_app
    from citeqa.service.settings import Settings

    return TestClient(create_app(Settings(index_dir=index, reload_poll_seconds=0, **settings)))


@pytest.fixture
def limited(default_index: Path) -> Iterator[TestClient]:
    with make_client(
        default_index, max_body_bytes=2048, max_question_chars=50, max_k=3, rate_limit_per_minute=60, rate_limit_burst=5
    ) as client:
        wait_ready(lambda: client.get("/readyz").status_code)
        yield client


def test_body_over_the_limit_is_413_before_reading_it(limited: TestClient) -> None:
    response = limited.post("/v1/ask", content=b'{"question": "' + b"a" * 4000 + b'"}', headers=_json())
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert "CITEQA_MAX_BODY_BYTES" in response.json()["error"]["message"]


def test_chunked_body_over_the_limit_is_413(limited: TestClient) -> None:
    def body() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(10):
            yield b"a" * 500
        yield b'"}'

    response = limited.post("/v1/ask", content=body(), headers=_json())
    assert response.status_code == 413


def test_chunked_body_under_the_limit_is_served(limited: TestClient) -> None:
    def body() -> Iterator[bytes]:
        yield b'{"question": "what is'
        yield b' NSATU?", "k": 2}'

    response = limited.post("/v1/ask", content=body(), headers=_json())
    assert response.status_code == 200 and response.json()["answerable"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"question": "x" * 51}, "question"),
        ({"question": "what is NSATU?", "k": 4}, "k"),
        ({"query": "y" * 51}, "query"),
    ],
)
def test_question_length_and_k_limits_from_settings(limited: TestClient, payload: dict[str, Any], field: str) -> None:
    path = "/v1/search" if "query" in payload else "/v1/ask"
    response = limited.post(path, json=payload)
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith(f"{field}: at most")


def test_rate_limit_per_client_is_429_with_retry_after(limited: TestClient) -> None:
    statuses = [limited.get("/v1/documents").status_code for _ in range(8)]
    assert statuses[:5] == [200] * 5
    assert 429 in statuses[5:]
    refused = limited.get("/v1/documents")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert refused.json()["error"]["code"] == "rate_limited"
    assert limited.get("/readyz").status_code == 200  # probes are never rate limited


def test_no_rate_limit_by_default(client: TestClient) -> None:
    assert {client.get("/v1/documents").status_code for _ in range(30)} == {200}


def test_defaults_are_the_documented_ones() -> None:
    from citeqa.service.settings import Settings

    settings = Settings()
    assert (settings.max_body_bytes, settings.max_question_chars, settings.max_k) == (65_536, 1000, 20)
    assert (settings.max_concurrency, settings.rate_limit_per_minute) == (64, 0)


def test_saturation_is_503_with_retry_after_not_a_pile_up(default_index: Path, tmp_path: Path) -> None:
    server = start_server(default_index, tmp_path / "server.log", {"CITEQA_MAX_CONCURRENCY": "2"})
    try:

        async def burst() -> list[httpx.Response]:
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
                asks = [http.post("/v1/ask", json={"question": f"what is NSATU? {i}", "k": 20}) for i in range(48)]
                return await asyncio.gather(*asks)

        responses = asyncio.run(burst())
        statuses = [r.status_code for r in responses]
        assert set(statuses) <= {200, 503} and statuses.count(200) >= 2 and 503 in statuses
        busy = next(r for r in responses if r.status_code == 503)
        assert busy.headers["retry-after"] == "1" and busy.json()["error"]["code"] == "busy"
        assert httpx.post(f"{server.url}/v1/ask", json={"question": "what is NSATU?"}).status_code == 200
    finally:
        stop_server(server)


def _json() -> dict[str, str]:
    return {"content-type": "application/json"}


def test_input_limit_dependency_only_when_settings_lower_the_ceilings(default_index: Path) -> None:
    """At the API's ceilings the schemas enforce them; the per-request dependency is not installed."""
    from citeqa.service.api.app import create_app
    from citeqa.service.settings import Settings

    plain = create_app(Settings(index_dir=default_index), load=False)
    lowered = create_app(Settings(index_dir=default_index, max_k=3), load=False)
    assert plain.router.dependencies == []
    assert len(lowered.router.dependencies) == 1
