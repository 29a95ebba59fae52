"""The serving item of ``make bench``: ``/v1/ask`` and ``/v1/search`` the way users meet them, next to txtai.

For each round and each level of concurrent clients (1, 8, 32) a fresh ``citeqa serve`` process
(cold caches: the answer step's caches of article terms and spans start empty) gets ``REQUESTS[level]`` distinct
searches (fewer, in proportion, when the corpus's question pool cannot supply a round), then as many
distinct questions to ``/v1/ask`` (``bench.questions``: no process gets a question twice). Every round
hands out the same questions again, to new processes: rounds differ only by the machine's state. The
two routes take alternate questions of the pool (the same mix). A fresh txtai process too, whose
``/search`` gets the texts ``/v1/ask`` gets at the same level (the floors compare those two; until
2026-12-01 it got the searches', while ``/v1/ask`` got the next slice of the pool, other questions; and one
txtai process for the whole run served its later rounds more slowly than its first), and LangChain's
in-process store the one-client searches. Each server gets ``WARMUP`` requests first. The order of the
three turns round by round, so that a slow spell of the shared machine does not always fall on
one side. Each system gets at most ``DEADLINE_S`` per level (then the figures cover the requests
done by then; ``requests`` says how many). Figures are medians over rounds; the peak RSS is the
largest VmHWM of the citeqa processes.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench import servers
from bench.httpload import Target, load
from bench.questions import QuestionSource
from bench.stats import percentiles, repeated

LEVELS = (1, 8, 32)
# At 32 clients citeqa answers 1,200 requests in 2-5 s and txtai in 15-18 s (with 400, a round of citeqa
# lasted under 2 s). Rounds still differ when the machine has a slow spell (searches at 32 clients:
# 654, 419, 425 req/s in the three rounds of one run, 2026-12-01): ratios pair rounds, and 5 rounds.
REQUESTS = {1: 150, 8: 400, 32: 1200}
WARMUP = 5
DEADLINE_S = 30.0  # per system and level: a slow system sends fewer requests rather than stretch the run


def _targets(url: str) -> dict[str, Target]:
    return {
        "search": Target(f"{url}/v1/search", field="query", extra=(("k", 5),)),
        "ask": Target(f"{url}/v1/ask", field="question", extra=(("k", 5),)),
    }


def _txtai_target(url: str) -> Target:
    return Target(f"{url}/search", method="GET", field="query", extra=(("limit", 5),))


def _langchain(store: Any, queries: list[str]) -> dict[str, Any]:
    samples = []
    for q in queries:
        started = time.perf_counter()
        store.similarity_search(q, k=5)
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def planned_requests(pool: int, servers_warmed: int = 3) -> dict[int, int]:
    """Requests per level and system in a round: ``REQUESTS``, scaled down evenly when ``pool`` distinct
    questions cannot cover a round's warm-ups (``WARMUP`` for each of ``servers_warmed`` targets a level),
    searches and questions (each level at least ``WARMUP``)."""
    warmups = len(LEVELS) * servers_warmed * WARMUP
    share = min(1.0, (pool - warmups) / (2 * sum(REQUESTS.values())))
    return {n: max(WARMUP, int(REQUESTS[n] * share)) for n in LEVELS}


def _one_level(
    index: Path, env: dict[str, str], logs: Path, txtai_index: Path | None, store: Any, clients: int,
    source: QuestionSource, turn: int, requests: int,
) -> dict[str, Any]:  # fmt: skip
    """Fresh citeqa and txtai processes at one level: search, ask, txtai (and one-client LangChain) figures."""
    server = servers.start_citeqa(index, env, logs / "ours.log")
    txtai = servers.start_txtai(txtai_index, logs / "txtai.log") if txtai_index is not None else None
    try:
        ours = _targets(server.url)
        warm = [*ours.values(), *([_txtai_target(txtai.url)] if txtai is not None else [])]
        for target in warm:  # first-request costs (lazy sessions, page faults), not caches
            load(target, source.take(WARMUP), 1, WARMUP)
        # alternate questions of the pool, so that both routes get the same mix; txtai the questions /v1/ask
        # gets (the floors compare those two), LangChain the searches (compared with /v1/search)
        texts = source.take(2 * requests)
        searches, questions = texts[0::2], texts[1::2]
        jobs = {
            "search": lambda: load(ours["search"], searches, clients, len(searches), DEADLINE_S),
            "ask": lambda: load(ours["ask"], questions, clients, len(questions), DEADLINE_S),
        }
        if txtai is not None:
            jobs["txtai"] = lambda: load(_txtai_target(txtai.url), questions, clients, len(questions), DEADLINE_S)
        if store is not None and clients == 1:
            jobs["langchain"] = lambda: _langchain(store, searches)
        names = list(jobs)
        out = {name: jobs[name]() for name in names[turn % len(names) :] + names[: turn % len(names)]}
        out["peak_rss_mb"] = server.peak_rss_mb()
        out["startup_s"] = round(server.startup_s, 3)
        if txtai is not None:
            out["txtai_peak_rss_mb"], out["txtai_startup_s"] = txtai.peak_rss_mb(), round(txtai.startup_s, 3)
        return out
    finally:
        server.stop()
        if txtai is not None:
            txtai.stop()


def bench_serving(
    index: Path, env: dict[str, str], logs: Path, txtai_index: Path | None, store: Any,
    source: QuestionSource, rounds: int,
) -> dict[str, Any]:  # fmt: skip
    """Per level: medians over rounds of every figure, peak RSS; with ``txtai_index``, txtai's figures
    and its footprint (largest peak RSS, median start-up) under ``txtai``."""
    runs: dict[int, list[dict[str, Any]]] = {n: [] for n in LEVELS}
    plan = planned_requests(len(source.pool), 3 if txtai_index is not None else 2)
    for r in range(rounds):
        source.restart()
        for at, clients in enumerate(LEVELS):
            # which system goes first turns by round and level (``r + clients`` gave 8 and 32 clients one order)
            result = _one_level(index, env, logs, txtai_index, store, clients, source, r + at, plan[clients])
            runs[clients].append(result)
            print(f"  round {r + 1}, {clients} clients: {_line(result)}", flush=True)
    levels = {str(n): _merge_level(rows) for n, rows in runs.items()}
    return {
        "requests": {str(n): plan[n] for n in LEVELS},
        "deadline_s": DEADLINE_S,
        "questions_used": source.used,  # in a round; every round sends the same ones to new processes
        "questions_available": len(source.pool),
        "levels": levels,
        "peak_rss_mb": max(row["peak_rss_mb"] for rows in runs.values() for row in rows),
        "startup_s": repeated([row["startup_s"] for rows in runs.values() for row in rows]),
        "index_mb": servers.directory_mb(index),
        **({"txtai": _txtai_footprint(runs, txtai_index)} if txtai_index is not None else {}),
    }


def _txtai_footprint(runs: dict[int, list[dict[str, Any]]], txtai_index: Path) -> dict[str, Any]:
    rows = [row for level in runs.values() for row in level]
    return {
        "peak_rss_mb": max(row["txtai_peak_rss_mb"] for row in rows),
        "startup_s": round(float(repeated([row["txtai_startup_s"] for row in rows])["median"]), 3),
        "index_mb": servers.directory_mb(txtai_index),
    }


def _line(result: dict[str, Any]) -> str:
    parts = [
        f"{name} {result[name]['rps']} req/s p50 {result[name]['p50_ms']} p99 {result[name]['p99_ms']} ms"
        + (f" ({result[name]['errors']} errors)" if result[name]["errors"] else "")
        for name in ("search", "ask", "txtai")
        if name in result
    ]
    return "; ".join(parts) + f"; RSS {result['peak_rss_mb']} MB"


def _merge_level(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per system: each numeric figure as median over rounds with its spread."""
    out: dict[str, Any] = {}
    for name in ("search", "ask", "txtai", "langchain"):
        if name in rows[0]:
            keys = [k for k, v in rows[0][name].items() if isinstance(v, (int, float))]
            out[name] = {k: repeated([row[name][k] for row in rows]) for k in keys}
    out["peak_rss_mb"] = max(row["peak_rss_mb"] for row in rows)
    return out
