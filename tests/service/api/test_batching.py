"""Micro-batching: concurrent questions share one engine call; errors reach every waiting request."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from typing import Any

from citeqa.service.api.batching import Batcher


class CountingEngine:
    """Records the batch sizes it is called with (plumbing test; the real engine is tested elsewhere)."""

    def __init__(self, fail: bool = False, seconds_per_call: float = 0.0) -> None:
        self.calls: list[int] = []
        self.fail = fail
        self.seconds_per_call = seconds_per_call
        self.lock = threading.Lock()

    def search_many(self, queries: Sequence[str], k: int) -> list[str]:
        with self.lock:
            self.calls.append(len(queries))
        time.sleep(self.seconds_per_call)
        if self.fail:
            raise RuntimeError("model failed")
        return [f"{q}:{k}" for q in queries]

    def ask_many(self, questions: Sequence[str], k: int) -> list[str]:
        return [f"answer {r}" for r in self.search_many(questions, k)]


async def _gather(batcher: Batcher, count: int) -> list[Any]:
    return await asyncio.gather(*(batcher.search(f"q{i}", 5) for i in range(count)), return_exceptions=True)


def test_concurrent_requests_share_calls_and_get_their_own_results() -> None:
    engine = CountingEngine()
    batcher = Batcher(lambda: engine, wait_ms=20, max_batch=64).start()  # type: ignore[arg-type, return-value]
    try:
        results = asyncio.run(_gather(batcher, 32))
    finally:
        batcher.close()
    assert results == [f"q{i}:5" for i in range(32)]
    assert sum(engine.calls) == 32 and len(engine.calls) <= 4


def test_without_a_wait_questions_arriving_during_a_call_share_the_next_one() -> None:
    """The default: a lone question runs at once; those queued behind a running call go together."""
    engine = CountingEngine(seconds_per_call=0.05)
    batcher = Batcher(lambda: engine, wait_ms=0, max_batch=64).start()  # type: ignore[arg-type, return-value]
    try:
        results = asyncio.run(_gather(batcher, 32))
    finally:
        batcher.close()
    assert results == [f"q{i}:5" for i in range(32)]
    assert sum(engine.calls) == 32 and len(engine.calls) <= 3, engine.calls


def test_max_batch_bounds_a_call() -> None:
    engine = CountingEngine()
    batcher = Batcher(lambda: engine, wait_ms=20, max_batch=8).start()  # type: ignore[arg-type, return-value]
    try:
        asyncio.run(_gather(batcher, 30))
    finally:
        batcher.close()
    assert sum(engine.calls) == 30 and max(engine.calls) <= 8


def test_an_engine_error_reaches_every_request_of_the_batch() -> None:
    batcher = Batcher(lambda: CountingEngine(fail=True), wait_ms=5).start()  # type: ignore[arg-type, return-value]
    try:
        results = asyncio.run(_gather(batcher, 5))
    finally:
        batcher.close()
    assert all(isinstance(r, RuntimeError) for r in results)


def test_constructing_a_batcher_starts_no_thread() -> None:
    before = {t.name for t in threading.enumerate()}
    batcher = Batcher(lambda: CountingEngine(), wait_ms=0)  # type: ignore[arg-type, return-value]
    assert "citeqa-batcher" not in {t.name for t in threading.enumerate()} - before
    batcher.start()
    assert any(t.name == "citeqa-batcher" for t in threading.enumerate())
    batcher.close()


def test_a_request_that_went_away_does_not_stop_its_batch() -> None:
    """One cancelled waiter (a client that disconnected) is skipped; the others get their results."""
    engine = CountingEngine(seconds_per_call=0.05)
    batcher = Batcher(lambda: engine, wait_ms=20).start()  # type: ignore[arg-type, return-value]

    async def scenario() -> list[Any]:
        tasks = [asyncio.ensure_future(batcher.search(f"q{i}", 5)) for i in range(4)]
        await asyncio.sleep(0.01)
        tasks[1].cancel()
        return await asyncio.gather(*tasks, return_exceptions=True)

    try:
        results = asyncio.run(scenario())
        after = asyncio.run(_gather(batcher, 2))
    finally:
        batcher.close()
    assert results[0] == "q0:5" and isinstance(results[1], asyncio.CancelledError) and results[2:] == ["q2:5", "q3:5"]
    assert after == ["q0:5", "q1:5"]
