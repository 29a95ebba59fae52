"""The service's runtime state: which engine is loaded, or why none is."""

from __future__ import annotations

import gc
import logging
import threading
from dataclasses import dataclass

from citeqa.index.engine import Engine
from citeqa.index.errors import CiteqaError, NotReady
from citeqa.index.store.manifest import published_version
from citeqa.index.text.language import load_detector
from citeqa.service.settings import Settings
from citeqa.service.wiring import load_engine

log = logging.getLogger("citeqa")


@dataclass
class Runtime:
    """Holds the current engine; routes read it through ``engine()``, which raises NotReady before."""

    settings: Settings
    current: Engine | None = None
    error: str | None = "loading the model and index"
    reload_error: str | None = None
    attempted: str | None = None

    def __post_init__(self) -> None:
        self._reload_lock = threading.Lock()

    def engine(self) -> Engine:
        if self.current is None:
            raise NotReady(f"not ready: {self.error}")
        return self.current

    def load(self) -> None:
        """Load the published index (errors are kept in ``error`` for /readyz and logged, not raised)."""
        self.attempted = published_version(self.settings.index_dir)
        load_detector()  # the language check of questions, loaded with the model rather than on the first question
        try:
            self.current = load_engine(self.settings)
            self.error = None
            settle_heap()
            summary = self.current.data.manifest.summary()
            log.info(
                "index loaded: %s documents, %s chunks, version %s",
                summary["documents"],
                summary["chunks"],
                summary["version"],
            )
        except CiteqaError as exc:
            self.error = exc.message
            log.error("index not loaded: %s", exc.message)

    def reload(self) -> dict[str, object]:
        """Load and verify the published index off the request path, then swap it in.

        On failure the previous engine keeps serving and the error is reported (and raised).
        Requests hold the engine they started with, so each sees the old or the new index.
        The loaded model is reused: only the index is read and verified again.
        """
        with self._reload_lock:
            previous = self.current
            try:
                engine = load_engine(self.settings, previous)
            except CiteqaError as exc:
                self.reload_error = exc.message
                if previous is None:
                    self.error = exc.message
                still = "still serving the previous index" if previous is not None else "no index is served"
                log.error("reload refused, %s: %s", still, exc.message)
                raise
            self.current = engine
            self.error = None
            self.reload_error = None
            settle_heap()
            summary = engine.data.manifest.summary()
            log.info("index reloaded: version %s", summary["version"])
            return summary

    def load_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.load, name="citeqa-loader", daemon=True)
        thread.start()
        return thread


def settle_heap() -> None:
    """Exempt the loaded index's objects from the garbage collector's full passes (``gc.freeze``).

    The whole BBC index holds ~170,000 Python objects (documents, chunks, spans, vocabulary), and a
    full (generation 2) collection walked them all: 30-80 ms with the GIL held, every ~130 young
    collections under load, in the middle of whichever requests were running (p99 of /v1/search at
    32 clients). Frozen objects are still freed by reference counting when an index is replaced;
    the previous freeze is undone first, so cycles among them are collected once, here.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
