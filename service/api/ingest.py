"""Document management for the running service: change the corpus, rebuild, publish, reload.

One change at a time (a lock), run off the event loop by the routes. Each change is applied
to the corpus directory, built incrementally (only new or changed documents are embedded)
into a new index version published atomically, then loaded with ``Runtime.reload()``; the
service keeps answering from the previous version until the new one is in. If the build
fails, the corpus change is undone and the published index is untouched.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from citeqa.index.corpus.identity import spelled_as_id
from citeqa.index.domain import Document
from citeqa.index.embedding.base import Embedder
from citeqa.index.engine import Engine
from citeqa.index.errors import DocumentConflict, DocumentNotFound, StorageError
from citeqa.index.indexing.collection import (
    Change,
    ChangeAction,
    add_files,
    add_text,
    change_and_build,
    remove_document,
)
from citeqa.service import wiring
from citeqa.service.runtime import Runtime
from citeqa.service.settings import Settings

log = logging.getLogger("citeqa")


# What to do, said over HTTP: the request's own field and route (the CLI says `--replace`, `citeqa list`)
REPLACE_HINT = "set `replace` to true"
LIST_HINT = "list them with GET /v1/documents"


@dataclass(frozen=True)
class Outcome:
    """A finished change: the documents it touched, the engine now serving, the index summary,
    what was done (``Change.action``: added, replaced or removed) and warnings about the given files
    (``Change.notes``: a normalised id, an id cut from a long file name, a file read in another encoding than
    UTF-8)."""

    documents: tuple[Document, ...]
    engine: Engine
    index: dict[str, Any]
    action: ChangeAction
    warnings: tuple[str, ...] = ()


class DocumentManager:
    """Serializes corpus changes of one service and publishes each as a new index version."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._lock = threading.Lock()
        self._embedder: Embedder | None = None

    def _build_embedder(self) -> Embedder:
        """A model of its own for builds: a tokenizer shared with the question path is not thread-safe."""
        if self._embedder is None:
            self._embedder = wiring.build_embedder(self.runtime.settings)
        return self._embedder

    def add_file(self, name: str, data: bytes, replace: bool = False) -> Outcome:
        settings = self._settings()
        try:
            return self._run(settings, lambda: add_files(settings.corpus_dir, [(name, data)], replace=replace))
        except DocumentConflict as exc:
            raise exc.advising(REPLACE_HINT) from None

    def add_text(self, text: str, *, replace: bool = False, **fields: Any) -> Outcome:
        settings = self._settings()
        try:
            return self._run(settings, lambda: add_text(settings.corpus_dir, text, replace=replace, **fields))
        except DocumentConflict as exc:
            raise exc.advising(REPLACE_HINT) from None

    def remove(self, doc_id: str) -> Outcome:
        """Raises ``DocumentNotFound`` naming no server path (the corpus directory stays private)."""
        settings = self._settings()
        try:
            return self._run(settings, lambda: remove_document(settings.corpus_dir, doc_id))
        except DocumentNotFound:
            spelled = spelled_as_id(doc_id, self.runtime.engine().data.documents)
            raise DocumentNotFound(f"no document {doc_id!r}{spelled}: {LIST_HINT}") from None

    def _settings(self) -> Settings:
        """The service's settings with the corpus its index was built from (``wiring.with_index_corpus``)."""
        settings, warning = wiring.with_index_corpus(self.runtime.settings)
        if warning:
            log.warning("documents: %s", warning)
        return settings

    def _run(self, settings: Settings, change: Callable[[], Change]) -> Outcome:
        skipped: list[str] = []
        with self._lock:
            self.runtime.engine()  # not ready: refuse before touching the corpus
            embedder = self._build_embedder()
            try:
                done, report = change_and_build(
                    change,
                    settings.corpus_dir,
                    settings.index_dir,
                    embedder,
                    wiring.build_params(settings),
                    warn=skipped.append,
                )
            except OSError as exc:
                raise StorageError(
                    f"cannot write the corpus or the index ({exc.strerror or exc}: {exc.filename or ''}); "
                    "replicas with a read-only index take changes from the builder job instead"
                ) from None
            summary = self.runtime.reload()
        action = done.action
        for note in done.notes:
            log.warning("documents %s: %s", action, note)
        others = done.about_other_files(skipped)
        if others:
            log.warning("corpus: %d file(s) skipped or read with problems, e.g. %s", len(others), others[0])
        ids = ", ".join(d.doc_id for d in done.documents)
        log.info(
            "documents %s: %s (%d embedded, %d reused chunks), index version %s",
            action,
            ids,
            report.embedded,
            report.reused,
            summary["version"],
        )
        return Outcome(done.documents, self.runtime.engine(), summary, action, done.notes)


def chunk_counts(engine: Engine, doc_ids: Mapping[str, object] | set[str]) -> dict[str, int]:
    """Chunks of each of ``doc_ids`` in the engine's index (0 for a document it does not hold)."""
    counts = engine.data.chunk_counts
    return {doc_id: counts.get(doc_id, 0) for doc_id in doc_ids}
