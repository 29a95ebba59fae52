"""A closed-loop HTTP load generator: N clients, each sending its next request when the last returns.

The same generator drives citeqa and txtai. Loopback only; bounded by a request count and a deadline.
Each client is one kept-alive HTTP/1.1 connection written over asyncio streams (``_Connection``),
so the generator's own CPU cost stays small next to the servers' on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
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

    async def request(self, head: bytes, body: bytes) -> tuple[int, bytes]:
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
        content = await self.reader.readexactly(length)
        if close:
            self.close()
        return status, content

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


@dataclass
class Result:
    """One request: when it ended (seconds since start), its latency, status, and body when kept."""

    ended: float
    latency_ms: float
    status: int
    body: dict[str, Any] | None = None
    error: str | None = None


@dataclass
class Report:
    clients: int
    duration_s: float
    requests: int
    errors: int
    statuses: dict[str, int]
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    results: list[Result] = field(default_factory=list, repr=False)

    def summary(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "results"}


async def drive(
    target: Target,
    texts: Sequence[str],
    clients: int,
    *,
    total: int | None = None,
    duration_s: float = 60.0,
    keep_going: Callable[[], bool] | None = None,
    keep_bodies: bool = False,
) -> Report:
    """``clients`` closed-loop clients until ``total`` requests are sent (if given) or ``duration_s``
    has passed (and ``keep_going()`` is false). Every response other than 200 counts as an error."""
    _check_loopback(target.url)
    url = httpx.URL(target.url)
    results: list[Result] = []
    sent = 0
    started = time.monotonic()
    stop_at = started + duration_s

    def running() -> bool:
        if total is not None and sent >= total:
            return False
        return time.monotonic() < stop_at or (keep_going is not None and keep_going())

    async def client(offset: int) -> None:
        nonlocal sent
        connection = _Connection(url.host, url.port or 80)
        i = offset
        try:
            while running():
                head, body = _encode(target, url, texts[(sent if total is not None else i) % len(texts)])
                sent += 1
                i += 1
                begin = time.monotonic()
                try:
                    status, content = await asyncio.wait_for(connection.request(head, body), timeout=60)
                    parsed = json.loads(content) if keep_bodies and content.startswith(b"{") else None
                    results.append(
                        Result(time.monotonic() - started, (time.monotonic() - begin) * 1000, status, parsed)
                    )
                except (TimeoutError, OSError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
                    connection.close()
                    ended = time.monotonic()
                    results.append(Result(ended - started, (ended - begin) * 1000, 0, None, repr(exc)))
        finally:
            connection.close()

    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.monotonic() - started
    statuses: dict[str, int] = {}
    for r in results:
        statuses[str(r.status)] = statuses.get(str(r.status), 0) + 1
    spread = percentiles([r.latency_ms for r in results])
    return Report(
        clients=clients,
        duration_s=round(elapsed, 3),
        requests=len(results),
        errors=sum(1 for r in results if r.status != 200),
        statuses=statuses,
        requests_per_s=round(len(results) / elapsed, 2),
        p50_ms=spread.get("p50_ms", 0.0),
        p95_ms=spread.get("p95_ms", 0.0),
        p99_ms=spread.get("p99_ms", 0.0),
        max_ms=spread.get("max_ms", 0.0),
        results=results,
    )


def load(target: Target, queries: Sequence[str], clients: int, total: int, deadline_s: float = 60.0) -> dict[str, Any]:
    """Send ``total`` requests (or as many as fit before the deadline) from ``clients`` concurrent clients."""
    report = asyncio.run(drive(target, queries, clients, total=total, duration_s=deadline_s))
    return {
        "clients": clients,
        "requests": report.requests,
        "errors": report.errors,
        "seconds": report.duration_s,
        "rps": report.requests_per_s,
        **percentiles([r.latency_ms for r in report.results]),
    }


def sequential(target: Target, queries: Sequence[str], total: int) -> dict[str, Any]:
    """One client, one request at a time (latency, not throughput)."""
    return load(target, queries, 1, total, deadline_s=300.0)


DEFAULT_QUESTIONS = (
    "who won the match?",
    "what did the company report about profits?",
    "which film won the award?",
    "what did the minister say about the election?",
    "what new phone or software was launched?",
    "how much did the shares fall?",
)


async def run_load(
    url: str,
    clients: int = 32,
    duration: float = 30.0,
    questions: Sequence[str] = DEFAULT_QUESTIONS,
    keep_going: Callable[[], bool] | None = None,
) -> Report:
    """``POST /v1/ask`` from ``clients`` clients for ``duration`` seconds (and while ``keep_going()``),
    keeping every answer for the caller to check."""
    target = Target(f"{url.rstrip('/')}/v1/ask", field="question", extra=(("k", 5),))
    return await drive(target, questions, clients, duration_s=duration, keep_going=keep_going, keep_bodies=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="Closed-loop load on a running citeqa's /v1/ask (loopback only).")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=30.0)
    args = parser.parse_args()
    report = asyncio.run(run_load(args.url, args.clients, args.duration))
    print(json.dumps(report.summary(), indent=2))


if __name__ == "__main__":
    main()
