"""Bodies of ``citeqa add``, ``citeqa remove`` and ``citeqa list`` (the commands in cli.py stay thin).

``add`` and ``remove`` change the corpus directory and publish an incremental build of it
(only new or changed documents are embedded); a failed build undoes the corpus change, and a failure
where no index was published yet leaves no lock file or directory behind (``no_trace_on_failure``).
A running service on the same index loads the new version by itself within
``CITEQA_RELOAD_POLL_SECONDS`` (or on SIGHUP or ``POST /v1/admin/reload`` when that watch is off).
"""

from __future__ import annotations

import fcntl
import json
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from itertools import takewhile
from pathlib import Path
from typing import Any

from citeqa.index.corpus.readers import document_format
from citeqa.index.errors import DocumentConflict, InvalidInput
from citeqa.index.indexing.build import LOCK_FILE, LOCK_WAIT_SECONDS, BuildReport
from citeqa.index.indexing.collection import Change, add_files, change_and_build, remove_document
from citeqa.index.store.manifest import POINTER_FILE, VERSIONS_DIR, current_version_dir, read_manifest
from citeqa.index.store.records import chunks_per_document, read_chunks, read_documents
from citeqa.service import wiring

Echo = Callable[[str], None]


def read_paths(paths: Sequence[Path]) -> list[tuple[str, bytes]]:
    """(name, bytes) of every file given, directories expanded (hidden files skipped)."""
    files: list[tuple[str, bytes]] = []
    for path in paths:
        if path.is_dir():
            inner = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            files.extend((p.name, p.read_bytes()) for p in inner)
        elif path.is_file():
            files.append((path.name, path.read_bytes()))
        else:
            raise InvalidInput(f"{path}: no such file or directory")
    if not files:
        raise InvalidInput("no files to add")
    return files


def change_index(
    settings: Any, change: Callable[[], Change], as_json: bool, echo: Echo, wait: float | None = None
) -> tuple[Change, BuildReport]:
    """Apply ``change`` to the corpus and publish the incremental build, with a progress bar.

    The change is applied and built under the index's build lock: a second ``citeqa add`` waits
    up to ``wait`` seconds for the first (``echo`` is told) instead of being refused, and a change
    that gives up waiting (``CorpusError``) is never applied, let alone published.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    skipped: list[str] = []
    embedder = wiring.build_embedder(settings)
    columns = (TextColumn("embedding"), BarColumn(), MofNCompleteColumn())
    with (
        no_trace_on_failure(settings.index_dir),
        Progress(*columns, transient=True, disable=as_json or not sys.stderr.isatty()) as bar,
    ):
        task = bar.add_task("embed", total=None)
        done, report = change_and_build(
            change,
            settings.corpus_dir,
            settings.index_dir,
            embedder,
            wiring.build_params(settings),
            progress=lambda count, total: bar.update(task, completed=count, total=total),
            warn=skipped.append,
            lock_wait=LOCK_WAIT_SECONDS if wait is None else wait,
            on_wait=lambda message: echo(f"{message} ..."),
        )
    for note in done.notes:
        echo(f"warning: {note}")
    others = done.about_other_files(skipped)
    if others:  # problems of files already in the corpus: one line, `citeqa build` lists them
        echo(f"warning: {len(others)} corpus file(s) skipped or read with problems; `citeqa build` lists them")
    return done, report


@contextmanager
def no_trace_on_failure(index_dir: Path) -> Iterator[None]:
    """Run a build of ``index_dir``; when it fails before any index is published there, remove what it left.

    That is the build lock file it created (a failed ``citeqa remove X --index NEW`` left ``NEW/.build.lock``),
    unfinished staging versions, and the directories it created. A published index keeps its lock file (every
    build reuses it), and so does a directory that had one before or whose lock another build holds now.
    """
    created = list(takewhile(lambda d: not (d.exists() or d.is_symlink()), (index_dir, *index_dir.parents)))
    had_lock = (index_dir / LOCK_FILE).exists()
    try:
        yield
    except BaseException:
        if not had_lock:
            with suppress(OSError):
                _remove_unpublished(index_dir, created)
        raise


def _remove_unpublished(index_dir: Path, created: Sequence[Path]) -> None:
    """Remove the lock file, staging versions and then the ``created`` directories (deepest first, while empty)
    of ``index_dir``, unless an index has been published there or another build holds its lock."""
    lock = index_dir / LOCK_FILE
    if not lock.is_file():
        return
    with lock.open("rb") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        if (index_dir / POINTER_FILE).exists():
            return
        versions = index_dir / VERSIONS_DIR
        for staging in versions.glob(".staging-*"):
            shutil.rmtree(staging, ignore_errors=True)
        with suppress(OSError):
            versions.rmdir()
        lock.unlink()
    for directory in created:
        directory.rmdir()  # OSError (not empty): the caller stops here


def index_corpus(settings: Any, err: Echo) -> Any:
    """``settings`` with the corpus the index was built from (``wiring.with_index_corpus``); its warning to ``err``."""
    from citeqa.service import wiring

    settings, warning = wiring.with_index_corpus(settings)
    if warning:
        err(f"warning: {warning}")
    return settings


def add(
    settings: Any,
    paths: Sequence[Path],
    replace: bool,
    as_json: bool,
    echo: Echo,
    err: Echo,
    wait: float | None = None,
) -> None:
    files = read_paths(paths)
    try:
        done, report = change_index(
            settings, lambda: add_files(settings.corpus_dir, files, replace=replace), as_json, err, wait
        )
    except DocumentConflict as exc:
        raise exc.advising("pass --replace") from None
    _report(done, report, as_json, echo, settings.reload_poll_seconds)


def remove(settings: Any, doc_id: str, as_json: bool, echo: Echo, err: Echo, wait: float | None = None) -> None:
    done, report = change_index(settings, lambda: remove_document(settings.corpus_dir, doc_id), as_json, err, wait)
    _report(done, report, as_json, echo, settings.reload_poll_seconds)


def reload_note(poll_seconds: float) -> str:
    """What a running service does about a newly published index version, with these settings."""
    if poll_seconds > 0:
        return (
            f"a running service on this index loads it by itself within {poll_seconds:g}s (CITEQA_RELOAD_POLL_SECONDS)"
        )
    return "CITEQA_RELOAD_POLL_SECONDS is 0: a running service loads it on SIGHUP or `POST /v1/admin/reload`"


def _report(done: Change, report: BuildReport, as_json: bool, echo: Echo, poll: float) -> None:
    """What changed; ``action`` (and each document's, which differs when some of several files replaced
    documents and others are new) is added, replaced or removed."""
    verb = {d.doc_id: _verb(done, d.doc_id) for d in done.documents}
    docs = [
        {"doc_id": d.doc_id, "title": d.title, "source": d.source, "action": verb[d.doc_id]} for d in done.documents
    ]
    summary = {"action": done.action, "documents": docs, "index": str(report.directory), "embedded": report.embedded}
    summary.update(reused=report.reused, chunks=report.chunks, total_documents=report.documents)
    if as_json:
        echo(json.dumps(summary, ensure_ascii=False))
        return
    for d in done.documents:
        echo(f"{verb[d.doc_id]} {d.doc_id}: {d.title} ({d.source})")
    echo(
        f"index now has {report.documents} documents, {report.chunks} chunks "
        f"({report.embedded} embedded, {report.reused} reused) -> {report.directory}"
    )
    echo(reload_note(poll))


def _verb(done: Change, doc_id: str) -> str:
    if done.action == "removed":
        return "removed"
    return "replaced" if doc_id in done.replaced_ids else "added"


def list_documents(index_dir: Path, as_json: bool, echo: Echo) -> None:
    directory = current_version_dir(index_dir)
    manifest = read_manifest(directory)
    documents = {d.doc_id: d for d in read_documents(directory)}
    counts = chunks_per_document(read_chunks(directory, documents))
    rows = [
        {"doc_id": d.doc_id, "title": d.title, "source": d.source, "url": d.url, "date": d.date,
         "chunks": counts.get(d.doc_id, 0), "format": document_format(d)}
        for d in documents.values()
    ]  # fmt: skip
    if as_json:
        echo(json.dumps({"index_version": manifest.version, "documents": rows}, ensure_ascii=False, indent=2))
        return
    for row in rows:
        echo(f"{row['doc_id']}\t{row['chunks']} chunks\t{row['format']}\t{row['title']}")
    echo(f"{len(rows)} documents, {manifest.chunk_count} chunks (index version {manifest.version})")
