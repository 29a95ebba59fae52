"""The service's runtime state: which engine is loaded, or why none is."""

from __future__ import annotations

import gc
import logging
import threading
from dataclasses import dataclass
from typing import Any

from citeqa.index.engine import Engine
from citeqa.index.errors import CiteqaError, NotReady
from citeqa.index.store.dense import search_params_of
from citeqa.index.store.loader import stored_terms_current
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
            summary = index_summary(self.current)
            log.info(
                "index loaded: %s documents, %s chunks, version %s, search %s",
                summary["documents"],
                summary["chunks"],
                summary["version"],
                summary["search"],
            )
            _warn_unused_search_settings(self.settings, summary["search"])
            warn_older_tokeniser(self.current)
        except CiteqaError as exc:
            self.error = exc.message
            log.error("not ready, nothing served: %s", exc.message)  # the index or the answer model

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
            summary = index_summary(engine)
            log.info("index reloaded: version %s, search %s", summary["version"], summary["search"])
            _warn_unused_search_settings(self.settings, summary["search"])
            warn_older_tokeniser(engine)
            return summary

    def load_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.load, name="citeqa-loader", daemon=True)
        thread.start()
        return thread


def index_summary(engine: Engine) -> dict[str, Any]:
    """The manifest's summary of the served index plus ``search``: its FAISS structure and the query-time
    parameters in force (``{"kind": "ivf", "lists": 1000, "nprobe": 32}``), as /readyz reports them."""
    return engine.data.manifest.summary() | {"search": search_params_of(engine.data.faiss_index)}


def warn_older_tokeniser(engine: Engine) -> bool:
    """Log a warning, and return True, when the served index was built by a citeqa that read words otherwise
    (``stored_terms_current``): its BM25 terms are the old ones ("v2.3.1" as "v2" and "3.1"), so a question's
    term may find nothing there until ``citeqa build`` (``make serve`` runs it) writes a version of today's."""
    if stored_terms_current(engine.data.manifest):
        return False
    log.warning(
        "index version %s was built by an older citeqa that reads some words otherwise (versions, symbols): "
        "run `citeqa build` to bring it up to date (it reuses every vector)",
        engine.data.manifest.version,
    )
    return True


def _warn_unused_search_settings(settings: Settings, search: dict[str, Any]) -> None:
    """Say so when a query-time setting cannot act on the served index (it is kept, not refused: the
    same settings serve indexes of every size, and a rebuild may choose another structure)."""
    kind = search["kind"]
    if settings.ivf_nprobe is not None and kind != "ivf":
        log.warning("CITEQA_IVF_NPROBE=%s has no effect: the index is %s, not ivf", settings.ivf_nprobe, kind)
    elif settings.ivf_nprobe is not None and settings.ivf_nprobe > search["lists"]:
        log.warning(
            "CITEQA_IVF_NPROBE=%s is more than the index's %s lists: every list is scanned (an exact search)",
            settings.ivf_nprobe,
            search["lists"],
        )
    if settings.hnsw_ef_search is not None and kind != "hnsw":
        log.warning("CITEQA_HNSW_EF_SEARCH=%s has no effect: the index is %s, not hnsw", settings.hnsw_ef_search, kind)


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
