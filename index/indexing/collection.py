"""Changing the corpus directory: add article files or text, remove a document by id.

Every change is checked before it touches the corpus (the file must read as a document, its
id and text must not clash with another document), written atomically (temporary file, then
``os.replace``), and can be undone with ``Change.undo`` when the index build that follows fails.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from citeqa.index.corpus.readers import DOCUMENT_SUFFIXES, TEXT_SUFFIXES, read_document
from citeqa.index.corpus.walk import MAX_FILE_BYTES, make_doc_id, read_corpus
from citeqa.index.domain import Document
from citeqa.index.embedding.base import Embedder
from citeqa.index.errors import CorpusError, DocumentConflict, DocumentNotFound, InvalidInput
from citeqa.index.indexing.build import BuildParams, BuildReport, Progress, build_index
from citeqa.index.store.atomic import write_atomic

_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DOC_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")


@dataclass(frozen=True)
class Change:
    """What a corpus change did, enough to undo it: files written (with what they replaced) and removed."""

    documents: tuple[Document, ...] = ()
    written: tuple[Path, ...] = ()
    removed: tuple[tuple[Path, bytes], ...] = ()
    replaced: tuple[tuple[Path, bytes], ...] = field(default=())

    def undo(self) -> None:
        for path in self.written:
            path.unlink(missing_ok=True)
        for path, data in (*self.removed, *self.replaced):
            write_atomic(path, data)


def safe_file_name(name: str) -> str:
    """A file name without directories or unsafe characters (``../My Page.html`` -> ``My-Page.html``)."""
    base = _NAME_UNSAFE.sub("-", Path(name.replace("\\", "/")).name).strip("-.")
    if not base or not Path(base).stem:
        raise InvalidInput(f"file name {name!r} has no usable characters: rename the file")
    return base


def corpus_documents(corpus_dir: Path) -> list[Document]:
    """The documents of the corpus as the build reads them (an empty corpus is an empty list)."""
    try:
        return read_corpus(corpus_dir)
    except CorpusError:
        if corpus_dir.is_dir():
            return []
        raise


def add_files(corpus_dir: Path, files: Iterable[tuple[str, bytes]], *, replace: bool = False) -> Change:
    """Copy files (name, bytes) into the corpus root; all are checked before any is written."""
    existing = corpus_documents(corpus_dir)
    planned: list[tuple[Path, bytes, Document]] = []
    for name, data in files:
        target = corpus_dir / safe_file_name(name)
        if target.suffix.lower() not in TEXT_SUFFIXES | DOCUMENT_SUFFIXES:
            target = target.with_name(target.name + ".txt")
        doc = _check(data, target, corpus_dir, name)
        planned.append((target, data, doc))
    _check_clashes([(t, d) for t, _, d in planned], existing, corpus_dir, replace)
    return _apply(corpus_dir, planned, existing)


def add_text(
    corpus_dir: Path,
    text: str,
    *,
    doc_id: str,
    title: str,
    url: str | None = None,
    date: str | None = None,
    metadata: Mapping[str, str] | None = None,
    replace: bool = False,
) -> Change:
    """Write ``text`` with its metadata as ``<doc_id>.md`` (front matter + the text verbatim)."""
    if not _DOC_ID.fullmatch(doc_id):
        raise InvalidInput(f"doc_id {doc_id!r}: use 1 to 128 lowercase letters, digits, '.', '_' or '-'")
    fields: dict[str, str] = {**(metadata or {}), "id": doc_id, "title": title}
    fields.update({k: v for k, v in {"url": url, "date": date}.items() if v})
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10_000)
    data = f"---\n{front}---\n{text}".encode()
    target = corpus_dir / f"{doc_id}.md"
    doc = _check(data, target, corpus_dir, f"{doc_id}.md")
    existing = corpus_documents(corpus_dir)
    _check_clashes([(target, doc)], existing, corpus_dir, replace)
    return _apply(corpus_dir, [(target, data, doc)], existing)


def remove_document(corpus_dir: Path, doc_id: str) -> Change:
    """Delete the file holding document ``doc_id`` from the corpus."""
    for doc in corpus_documents(corpus_dir):
        if doc.doc_id == doc_id:
            path = _inside(corpus_dir, corpus_dir / doc.source)
            data = path.read_bytes()
            path.unlink()
            return Change(documents=(doc,), removed=((path, data),))
    raise DocumentNotFound(f"no document {doc_id!r} in {corpus_dir}: list them with `citeqa list`")


def _check(data: bytes, target: Path, corpus_dir: Path, name: str) -> Document:
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"{name}: {len(data)} bytes is over the {MAX_FILE_BYTES}-byte limit")
    if not data.strip():
        raise InvalidInput(f"{name}: the file is empty")
    problems: list[str] = []
    try:
        doc = read_document(data, make_doc_id(target.relative_to(corpus_dir)), target.name, problems.append)
    except CorpusError as exc:
        raise InvalidInput(exc.message) from None
    if doc is None or not doc.text.strip():
        reason = problems[0] if problems else f"{name}: no text to index"
        raise InvalidInput(reason)
    return doc


def _check_clashes(
    planned: list[tuple[Path, Document]], existing: list[Document], corpus_dir: Path, replace: bool
) -> None:
    by_id = {d.doc_id: d for d in existing}
    by_text = {_text_hash(d): d for d in existing}
    seen: set[str] = set()
    for target, doc in planned:
        if doc.doc_id in seen:
            raise DocumentConflict(f"two of the given files would both be document {doc.doc_id!r}: rename one")
        seen.add(doc.doc_id)
        old = by_id.get(doc.doc_id)
        if old is not None and not replace:
            raise DocumentConflict(f"document {doc.doc_id!r} already exists ({old.source}): pass replace to update it")
        twin = by_text.get(_text_hash(doc))
        if twin is not None and twin.doc_id != doc.doc_id:
            raise DocumentConflict(f"the text of {target.name} is already in the corpus as {twin.doc_id!r}")
        if target.exists() and (old is None or corpus_dir / old.source != target):
            raise DocumentConflict(f"{target.name} already exists in {corpus_dir} as another document: rename it")


def _apply(corpus_dir: Path, planned: list[tuple[Path, bytes, Document]], existing: list[Document]) -> Change:
    corpus_dir.mkdir(parents=True, exist_ok=True)
    by_id = {d.doc_id: d for d in existing}
    written: list[Path] = []
    replaced: list[tuple[Path, bytes]] = []
    removed: list[tuple[Path, bytes]] = []
    for target, data, doc in planned:
        old = by_id.get(doc.doc_id)
        if old is not None:
            old_path = _inside(corpus_dir, corpus_dir / old.source)
            if old_path == target:
                replaced.append((target, target.read_bytes()))
            else:
                removed.append((old_path, old_path.read_bytes()))
                old_path.unlink()
        if target not in {p for p, _ in replaced}:
            written.append(target)
        write_atomic(target, data)
    return Change(tuple(d for _, _, d in planned), tuple(written), tuple(removed), tuple(replaced))


def _inside(root: Path, path: Path) -> Path:
    if not path.resolve().is_relative_to(root.resolve()):
        raise CorpusError(f"{path} is outside the corpus directory {root}")
    return path


def _text_hash(doc: Document) -> str:
    return hashlib.sha256(doc.text.encode("utf-8")).hexdigest()


def change_and_build(
    change: Callable[[], Change],
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    params: BuildParams,
    *,
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
) -> tuple[Change, BuildReport]:
    """Apply a corpus change and publish an incremental build of it; the change is undone if the build fails."""
    done = change()
    try:
        report = build_index(corpus_dir, index_dir, embedder, params, progress=progress, warn=warn)
    except BaseException:
        done.undo()
        raise
    return done, report
