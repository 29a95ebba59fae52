"""A closed-loop HTTP load generator: N clients, each sending its next request when the last returns.

The same generator drives citeqa and txtai. Loopback only; bounded by a request count and a deadline.
"""

from __future__ import annotations

import asyncio
import http.client
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

    def request(self, client: httpx.AsyncClient, text: str) -> Any:
        params = {self.field: text, **dict(self.extra)}
        if self.method == "GET":
            return client.get(self.url, params=params)
        return client.post(self.url, json=params)


def _check_loopback(url: str) -> None:
    host = httpx.URL(url).host
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"load tests target loopback only, not {host}")


async def _run(target: Target, queries: Sequence[str], clients: int, total: int, deadline_s: float) -> dict[str, Any]:
    _check_loopback(target.url)
    latencies: list[float] = []
    errors = 0
    sent = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    stop_at = time.monotonic() + deadline_s

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors, sent
        while sent < total and time.monotonic() < stop_at:
            text = queries[sent % len(queries)]
            sent += 1
            started = time.perf_counter()
            try:
                response = await target.request(client, text)
                if response.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
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
    """One client, one request at a time, over one kept-alive connection (latency, not throughput).

    The client is the standard library's ``http.client``: it adds ~0.1 ms to a round trip where
    httpx's async client adds ~1 ms, so the figure is the server's latency rather than the client's.
    """
    _check_loopback(target.url)
    url = httpx.URL(target.url)
    connection = http.client.HTTPConnection(url.host, url.port, timeout=30)
    latencies: list[float] = []
    errors = 0
    started_all = time.perf_counter()
    try:
        for i in range(total):
            params = {target.field: queries[i % len(queries)], **dict(target.extra)}
            started = time.perf_counter()
            try:
                if target.method == "GET":
                    connection.request("GET", f"{url.raw_path.decode()}?{urlencode(params)}")
                else:
                    body = json.dumps(params)
                    connection.request("POST", url.raw_path.decode(), body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                errors += response.status != 200
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    elapsed = time.perf_counter() - started_all
    return {
        "clients": 1,
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(elapsed, 3),
        "rps": round(len(latencies) / elapsed, 2),
        **percentiles(latencies),
    }
