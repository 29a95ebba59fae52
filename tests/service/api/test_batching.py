"""Micro-batching: concurrent questions share one engine call; errors reach every waiting request; the
answer step of one batch runs while the next batch is embedded and retrieved."""

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

    def retrieve_for_answers(self, questions: Sequence[str], k: int) -> list[str]:
        return self.search_many(questions, k)

    def answer_retrieved(self, retrieved: list[str]) -> list[str]:
        return [f"answer {r}" for r in retrieved]


class TimedEngine:
    """Records when each half of each question batch ran, and on which thread."""

    def __init__(self, retrieve_s: float, answer_s: float, fail_answer: bool = False) -> None:
        self.retrieve_s, self.answer_s, self.fail_answer = retrieve_s, answer_s, fail_answer
        self.spans: list[tuple[str, tuple[str, ...], float, float, str]] = []

    def _span(self, step: str, texts: Sequence[str], seconds: float) -> None:
        started = time.perf_counter()
        time.sleep(seconds)
        self.spans.append((step, tuple(texts), started, time.perf_counter(), threading.current_thread().name))

    def retrieve_for_answers(self, questions: Sequence[str], k: int) -> list[str]:
        self._span("retrieve", questions, self.retrieve_s)
        return list(questions)

    def answer_retrieved(self, retrieved: list[str]) -> list[str]:
        self._span("answer", retrieved, self.answer_s)
        if self.fail_answer and "bad" in retrieved:
            raise RuntimeError("answer step failed")
        return [f"answer {q}" for q in retrieved]


async def _staggered(batcher: Batcher, texts: Sequence[str], gap_s: float) -> list[Any]:
    tasks = []
    for text in texts:
        tasks.append(asyncio.ensure_future(batcher.ask(text, 5)))
        await asyncio.sleep(gap_s)
    return await asyncio.gather(*tasks, return_exceptions=True)


def test_the_next_batch_is_retrieved_while_this_one_is_answered() -> None:
    """q1 alone, then q2 and q3 (arriving during q1's retrieval) together: their retrieval runs on the
    batcher thread while q1's answer step runs on the answerer thread."""
    engine = TimedEngine(retrieve_s=0.05, answer_s=0.15)
    batcher = Batcher(lambda: engine, wait_ms=0).start()  # type: ignore[arg-type, return-value]
    try:
        results = asyncio.run(_staggered(batcher, ["q1", "q2", "q3"], 0.01))
    finally:
        batcher.close()
    assert results == ["answer q1", "answer q2", "answer q3"]
    spans = {(step, texts): (start, end, thread) for step, texts, start, end, thread in engine.spans}
    first_answer, next_retrieval = spans["answer", ("q1",)], spans["retrieve", ("q2", "q3")]
    assert first_answer[2] == "citeqa-answerer" and next_retrieval[2] == "citeqa-batcher"
    assert next_retrieval[0] < first_answer[1] and next_retrieval[1] < first_answer[1]


def test_an_answer_step_error_reaches_its_batch_only() -> None:
    engine = TimedEngine(retrieve_s=0.0, answer_s=0.05, fail_answer=True)
    batcher = Batcher(lambda: engine, wait_ms=0).start()  # type: ignore[arg-type, return-value]
    try:
        results = asyncio.run(_staggered(batcher, ["bad", "q2"], 0.01))
    finally:
        batcher.close()
    assert isinstance(results[0], RuntimeError) and results[1] == "answer q2"


def test_closing_stops_both_threads() -> None:
    before = set(threading.enumerate())
    batcher = Batcher(lambda: CountingEngine(), wait_ms=0).start()  # type: ignore[arg-type, return-value]
    started = set(threading.enumerate()) - before
    assert {t.name for t in started} == {"citeqa-batcher", "citeqa-answerer"}
    asyncio.run(_staggered(batcher, ["q1"], 0.0))
    batcher.close()
    assert not any(t.is_alive() for t in started)


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
