"""A closed-loop HTTP load generator: N clients, each sending its next request when the last returns.

The same generator drives citeqa and txtai. Loopback only; bounded by a request count and a deadline.
Each client is one kept-alive HTTP/1.1 connection written over asyncio streams (``_Connection``),
so the generator's own CPU cost stays small next to the servers' on a 2-core machine.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from bench.stats import percentiles


@dataclass(frozen=True)
class Target:
    """How to send one query: ``POST url`` with a JSON body, or ``GET url`` with query parameters."""

    url: str
    method: str = "POST"
    field: str = "query"
    extra: tuple[tuple[str, Any], ...] = ()


def _check_loopback(url: str) -> None:
    host = httpx.URL(url).host
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"load tests target loopback only, not {host}")


class _Connection:
    """One kept-alive HTTP/1.1 connection over asyncio streams: a request costs ~0.1 ms of client CPU.

    httpx's async client costs ~1-2 ms of CPU per request; on a 2-core machine shared with the
    servers, that made the load generator, not the server, the limit at 32 clients.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, head: bytes, body: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("connection closed by the server")
        status = int(status_line.split()[1])
        length, close = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
            elif name.strip().lower() == b"connection" and value.strip().lower() == b"close":
                close = True
        await self.reader.readexactly(length)
        if close:
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _encode(target: Target, url: httpx.URL, text: str) -> tuple[bytes, bytes]:
    params = {target.field: text, **dict(target.extra)}
    if target.method == "GET":
        head = f"GET {url.raw_path.decode()}?{urlencode(params)} HTTP/1.1\r\nHost: {url.host}\r\n\r\n"
        return head.encode(), b""
    body = json.dumps(params).encode()
    head = (
        f"POST {url.raw_path.decode()} HTTP/1.1\r\nHost: {url.host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode(), body


async def _run(target: Target, queries: Sequence[str], clients: int, total: int, deadline_s: float) -> dict[str, Any]:
    _check_loopback(target.url)
    url = httpx.URL(target.url)
    latencies: list[float] = []
    errors = 0
    sent = 0
    stop_at = time.monotonic() + deadline_s

    async def worker() -> None:
        nonlocal errors, sent
        connection = _Connection(url.host, url.port or 80)
        try:
            while sent < total and time.monotonic() < stop_at:
                head, body = _encode(target, url, queries[sent % len(queries)])
                sent += 1
                started = time.perf_counter()
                try:
                    status = await asyncio.wait_for(connection.request(head, body), timeout=30)
                    errors += status != 200
                except (TimeoutError, OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                    errors += 1
                    connection.close()
                latencies.append((time.perf_counter() - started) * 1000)
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(elapsed, 3),
        "rps": round(len(latencies) / elapsed, 2),
        **percentiles(latencies),
    }


def load(target: Target, queries: Sequence[str], clients: int, total: int, deadline_s: float = 60.0) -> dict[str, Any]:
    """Send ``total`` requests (or as many as fit before the deadline) from ``clients`` concurrent clients."""
    return asyncio.run(_run(target, queries, clients, total, deadline_s))


def sequential(target: Target, queries: Sequence[str], total: int) -> dict[str, Any]:
    """One client, one request at a time (latency, not throughput)."""
    return load(target, queries, 1, total, deadline_s=300.0)
