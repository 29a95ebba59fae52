"""A small closed-loop load generator for citeqa: N concurrent clients POST /v1/ask for a
fixed time against a running server; reports requests, errors, throughput and latency
percentiles as JSON.

    .venv/bin/python bench/loadgen.py --url http://127.0.0.1:8000 --clients 32 --duration 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

DEFAULT_QUESTIONS = (
    "who won the match?",
    "what did the company report about profits?",
    "which film won the award?",
    "what did the minister say about the election?",
    "what new phone or software was launched?",
    "how much did the shares fall?",
)


@dataclass
class Result:
    """One request: when it ended (seconds since start), its latency, status and body (parsed)."""

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


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))], 1)


async def _client(
    http: httpx.AsyncClient,
    questions: Sequence[str],
    offset: int,
    running: Callable[[], bool],
    started: float,
    out: list[Result],
) -> None:
    i = offset
    while running():
        question = questions[i % len(questions)]
        i += 1
        begin = time.monotonic()
        try:
            response = await http.post("/v1/ask", json={"question": question, "k": 5})
            body = response.json() if response.headers.get("content-type", "").startswith("application/json") else None
            out.append(
                Result(time.monotonic() - started, (time.monotonic() - begin) * 1000, response.status_code, body)
            )
        except httpx.HTTPError as exc:
            out.append(Result(time.monotonic() - started, (time.monotonic() - begin) * 1000, 0, None, repr(exc)))


async def run_load(
    url: str,
    clients: int = 32,
    duration: float = 30.0,
    questions: Sequence[str] = DEFAULT_QUESTIONS,
    keep_going: Callable[[], bool] | None = None,
) -> Report:
    """Run ``clients`` concurrent clients for ``duration`` seconds (and while ``keep_going()``).

    Every response other than 200 counts as an error.
    """
    out: list[Result] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        started = time.monotonic()
        stop_at = started + duration

        def running() -> bool:
            return time.monotonic() < stop_at or (keep_going is not None and keep_going())

        await asyncio.gather(*(_client(http, questions, n, running, started, out) for n in range(clients)))
        elapsed = time.monotonic() - started
    latencies = [r.latency_ms for r in out]
    statuses: dict[str, int] = {}
    for r in out:
        statuses[str(r.status)] = statuses.get(str(r.status), 0) + 1
    return Report(
        clients=clients,
        duration_s=round(elapsed, 1),
        requests=len(out),
        errors=sum(1 for r in out if r.status != 200),
        statuses=statuses,
        requests_per_s=round(len(out) / elapsed, 1),
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
        p99_ms=percentile(latencies, 99),
        max_ms=round(max(latencies, default=0.0), 1),
        results=out,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=30.0)
    args = parser.parse_args()
    report = asyncio.run(run_load(args.url, args.clients, args.duration))
    print(json.dumps(report.summary(), indent=2))


if __name__ == "__main__":
    main()
