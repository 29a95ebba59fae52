"""Graceful shutdown of a real server process: on SIGTERM the in-flight request finishes,
new connections are refused, and the process exits 0."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from tests.conftest import start_server


def test_sigterm_finishes_in_flight_requests_refuses_new_ones_and_exits_0(default_index: Path, tmp_path: Path) -> None:
    server = start_server(default_index, tmp_path / "server.log")
    terminated = asyncio.Event()

    async def slow_body() -> AsyncIterator[bytes]:
        yield b'{"question": "what is '
        await terminated.wait()  # the request is in flight when SIGTERM arrives
        await asyncio.sleep(1.0)
        yield b'NSATU?", "k": 3}'

    async def scenario() -> tuple[httpx.Response, BaseException | None]:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            in_flight = asyncio.create_task(
                http.post("/v1/ask", content=slow_body(), headers={"content-type": "application/json"})
            )
            await asyncio.sleep(1.0)
            server.process.send_signal(signal.SIGTERM)
            await asyncio.sleep(0.5)
            terminated.set()
            refused: BaseException | None = None
            try:
                async with httpx.AsyncClient(timeout=5) as fresh:
                    await fresh.get(f"{server.url}/healthz")
            except httpx.HTTPError as exc:
                refused = exc
            return await in_flight, refused

    try:
        response, refused = asyncio.run(scenario())
        assert response.status_code == 200 and response.json()["answerable"]
        assert isinstance(refused, httpx.ConnectError), "a new connection was accepted during shutdown"
        assert server.process.wait(timeout=30) == 0
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert "Traceback" not in log
