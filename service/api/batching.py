"""Micro-batching: questions that arrive together share one model call.

Requests put work on a queue and await a future; one worker thread drains the queue,
groups by operation and ``k``, and calls the engine's batch primitives. By default nobody
waits for company (a lone question runs at once): questions that arrive while a batch runs
form the next batch, so batches grow with the load. ``wait_ms`` > 0 holds each batch open
that long for more.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from citeqa.index.engine import Engine

log = logging.getLogger("citeqa")


@dataclass
class _Job:
    op: str
    text: str
    k: int
    future: Future[Any] = field(default_factory=Future)


class Batcher:
    """Collects the queued jobs (up to ``max_batch``; waiting ``wait_ms`` for more) and runs them together.

    The constructor only stores configuration; ``start()`` starts the worker thread.
    """

    def __init__(
        self,
        engine_of: Callable[[], Engine],
        wait_ms: float = 0.0,
        max_batch: int = 64,
        on_batch: Callable[[str, int, dict[str, float]], None] | None = None,
    ) -> None:
        self._engine_of = engine_of
        self._on_batch = on_batch
        self._wait = wait_ms / 1000
        self._max = max_batch
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def start(self) -> Batcher:
        """Start the worker thread (from the app's lifespan); questions submitted before wait for it."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="citeqa-batcher", daemon=True)
            self._thread.start()
        return self

    async def ask(self, question: str, k: int) -> Any:
        return await self._submit("ask", question, k)

    async def search(self, query: str, k: int) -> Any:
        return await self._submit("search", query, k)

    async def _submit(self, op: str, text: str, k: int) -> Any:
        job = _Job(op, text, k)
        self._queue.put(job)
        return await asyncio.wrap_future(job.future)

    def close(self) -> None:
        """Stop the worker after the batches already queued."""
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _collect(self, first: _Job) -> list[_Job]:
        """``first`` and what queued behind it: with no wait, whatever arrived while the last batch ran."""
        jobs = [first]
        while len(jobs) < self._max:
            try:
                job = self._queue.get(timeout=self._wait) if self._wait > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            if job is None:
                self._queue.put(None)
                break
            jobs.append(job)
        return jobs

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            jobs = self._collect(first)
            groups: dict[tuple[str, int], list[_Job]] = {}
            for job in jobs:
                groups.setdefault((job.op, job.k), []).append(job)
            for (op, k), group in groups.items():
                self._execute(op, k, group)

    def _execute(self, op: str, k: int, group: list[_Job]) -> None:
        try:
            engine = self._engine_of()
            texts = [j.text for j in group]
            results: list[Any] = engine.ask_many(texts, k) if op == "ask" else engine.search_many(texts, k)
        except BaseException as exc:  # delivered to every waiting request, which maps it to an HTTP error
            for job in group:
                job.future.set_exception(exc)
            return
        for job, result in zip(group, results, strict=True):
            job.future.set_result(result)
        if self._on_batch is not None and results:
            try:
                self._on_batch(op, len(group), results[0][1] if op == "ask" else results[0].timings_ms)
            except Exception:  # metrics must never stop the batcher thread
                log.exception("batch observer failed")
