"""Micro-batching: questions that arrive together share one model call.

Requests put work on a queue and await an asyncio future; one worker thread drains the queue,
groups by operation and ``k``, calls the engine's batch primitives, and hands a batch's results to
the event loop in one ``call_soon_threadsafe`` (one wake-up of the loop a batch, not a
``concurrent.futures`` hand-off and a wake-up a request; see docs/performance.md). By default nobody
waits for company (a lone question runs at once): questions that arrive while a batch runs
form the next batch, so batches grow with the load. ``wait_ms`` > 0 holds each batch open
that long for more.

Questions to answer go through two threads, a pipeline: the worker embeds a batch and retrieves its
passages (``Engine.retrieve_for_answers``: the model call, which releases the GIL and runs on every
core), then hands it to the answerer thread, which runs the answer step (``Engine.answer_retrieved``:
Python, holding the GIL) while the worker embeds the next batch. One batch at most waits between
the two, so under load questions queue before the model, where they form larger batches. Serving
the whole BBC index to 32 clients, the machine's cores were a third idle with one thread doing both
(docs/performance.md).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from citeqa.index.engine import Engine, Retrieved

log = logging.getLogger("citeqa")


@dataclass
class _Job:
    op: str
    text: str
    k: int
    future: asyncio.Future[Any]


def _deliver(jobs: Sequence[_Job], results: Sequence[Any] | None, error: BaseException | None) -> None:
    """On the event loop: each job's result (or the batch's error), unless its request went away."""
    for i, job in enumerate(jobs):
        if job.future.done():
            continue
        if error is not None:
            job.future.set_exception(error)
        else:
            job.future.set_result(results[i] if results is not None else None)


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
        self._answering: queue.Queue[tuple[Engine, list[_Job], Retrieved] | None] = queue.Queue(maxsize=1)
        self._threads: list[threading.Thread] = []

    def start(self) -> Batcher:
        """Start the worker and answerer threads (from the app's lifespan); questions submitted before wait."""
        if not self._threads:
            self._threads = [
                threading.Thread(target=self._run, name="citeqa-batcher", daemon=True),
                threading.Thread(target=self._answer, name="citeqa-answerer", daemon=True),
            ]
            for thread in self._threads:
                thread.start()
        return self

    async def ask(self, question: str, k: int) -> Any:
        return await self._submit("ask", question, k)

    async def search(self, query: str, k: int) -> Any:
        return await self._submit("search", query, k)

    async def _submit(self, op: str, text: str, k: int) -> Any:
        job = _Job(op, text, k, asyncio.get_running_loop().create_future())
        self._queue.put(job)
        return await job.future

    def close(self) -> None:
        """Stop both threads after the batches already queued."""
        self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=5)

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
                self._answering.put(None)
                return
            jobs = self._collect(first)
            groups: dict[tuple[str, int], list[_Job]] = {}
            for job in jobs:
                groups.setdefault((job.op, job.k), []).append(job)
            for (op, k), group in groups.items():
                self._execute(op, k, group)

    def _execute(self, op: str, k: int, group: list[_Job]) -> None:
        """A search batch from start to end; a question batch up to its passages, then to the answerer."""
        try:
            engine = self._engine_of()
            texts = [j.text for j in group]
            if op == "ask":  # the same engine for both halves, even if a reload swaps it in between
                self._answering.put((engine, group, engine.retrieve_for_answers(texts, k)))
                return
            results: list[Any] = engine.search_many(texts, k)
        except BaseException as exc:  # delivered to every waiting request, which maps it to an HTTP error
            self._hand_over(group, None, exc)
            return
        self._done(op, group, results)

    def _answer(self) -> None:
        while True:
            item = self._answering.get()
            if item is None:
                return
            engine, group, retrieved = item
            try:
                results: list[Any] = engine.answer_retrieved(retrieved)
            except BaseException as exc:
                self._hand_over(group, None, exc)
                continue
            self._done("ask", group, results)

    def _done(self, op: str, group: list[_Job], results: list[Any]) -> None:
        self._hand_over(group, results, None)
        if self._on_batch is not None and results:
            try:
                self._on_batch(op, len(group), results[0][1] if op == "ask" else results[0].timings_ms)
            except Exception:  # metrics must never stop the batcher thread
                log.exception("batch observer failed")

    @staticmethod
    def _hand_over(group: list[_Job], results: list[Any] | None, error: BaseException | None) -> None:
        """One call onto each waiting event loop (normally one) for the whole group."""
        loops: dict[asyncio.AbstractEventLoop, list[int]] = {}
        for i, job in enumerate(group):
            loops.setdefault(job.future.get_loop(), []).append(i)
        for loop, rows in loops.items():
            jobs = [group[i] for i in rows]
            part = [results[i] for i in rows] if results is not None else None
            try:
                loop.call_soon_threadsafe(_deliver, jobs, part, error)
            except RuntimeError:  # that loop has closed: nobody is waiting any more
                log.debug("batch results for a closed event loop dropped")
