"""Changing the corpus directory: add article files or text, remove a document by id.

Every change is checked before it touches the corpus (the file must read as a document, its
id and text must not clash with another document), written atomically (temporary file, then
``os.replace``), and can be undone with ``Change.undo`` when the index build that follows fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import yaml

from citeqa.index.corpus.identity import is_doc_id, safe_name, spelled_as_id, text_fingerprint
from citeqa.index.corpus.readers import DOCUMENT_SUFFIXES, SUPPORTED_TYPES, TEXT_SUFFIXES, read_document
from citeqa.index.corpus.walk import (
    MAX_FILE_BYTES,
    distinct_documents,
    doc_id_note,
    has_id_characters,
    make_doc_id,
    read_corpus,
    read_corpus_files,
)
from citeqa.index.domain import Document
from citeqa.index.embedding.base import Embedder
from citeqa.index.errors import (
    CorpusError,
    DocumentConflict,
    DocumentNotFound,
    InvalidInput,
    UnsupportedMediaType,
)
from citeqa.index.indexing.build import LOCK_WAIT_SECONDS, BuildParams, BuildReport, Progress, build_index, build_lock
from citeqa.index.store.atomic import write_atomic

ChangeAction = Literal["added", "replaced", "removed"]


@dataclass(frozen=True)
class Change:
    """What a corpus change did, enough to undo it: files written (with what they replaced) and removed."""

    documents: tuple[Document, ...] = ()
    written: tuple[Path, ...] = ()
    removed: tuple[tuple[Path, bytes], ...] = ()
    replaced: tuple[tuple[Path, bytes], ...] = field(default=())
    notes: tuple[str, ...] = ()
    """Warnings about the given files that did not stop them (an id that was normalised or cut, an encoding)."""
    replaced_ids: tuple[str, ...] = ()
    """Ids of the given documents that replaced a document with the same id."""

    @property
    def action(self) -> ChangeAction:
        """What the change did to its documents: "replaced" (each replaced a document with its id),
        "removed" (a removal) or "added"."""
        if self.replaced_ids and len(self.replaced_ids) == len(self.documents):
            return "replaced"
        return "removed" if self.removed and not self.written else "added"

    def about_other_files(self, warnings: Iterable[str]) -> list[str]:
        """The ``warnings`` (of the build that follows the change) about other files than its documents':
        ``notes`` already told of those."""
        given = tuple(f"{d.source}: " for d in self.documents)
        return [w for w in warnings if not w.startswith(given)]

    def undo(self) -> None:
        for path in self.written:
            path.unlink(missing_ok=True)
        for path, data in (*self.removed, *self.replaced):
            write_atomic(path, data)


MAX_FILE_NAME_CHARS = 255
"""The longest file name stored (file systems refuse longer ones); a longer name given is cut before its suffix."""


def safe_file_name(name: str) -> str:
    """A file name without directories or unsafe characters (``../My Page.html`` -> ``My-Page.html``).

    Spelled in ASCII as ids are (``Résumé café.txt`` -> ``Resume-cafe.txt``, ``C++.txt`` -> ``C-plus-plus.txt``),
    so the stored file's id is the id of the name given; a name over ``MAX_FILE_NAME_CHARS`` is cut before its
    suffix, which keeps its id (cut to 128 characters anyway). A name with no letter or digit before its suffix
    (``().txt``) is refused: it has no id to keep.
    """
    given = Path(name.replace("\\", "/")).name
    base = safe_name(given)
    if not has_id_characters(given) or not Path(base).stem:  # "().txt" would be stored as "txt.txt", id "txt"
        raise InvalidInput(f"{name}: the file name has no letter or digit to make a document id of: rename the file")
    stem, suffix = Path(base).stem, Path(base).suffix
    if len(base) > MAX_FILE_NAME_CHARS and len(suffix) < 16:
        base = stem[: MAX_FILE_NAME_CHARS - len(suffix)].rstrip("-.") + suffix
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
    """Copy files (name, bytes) into the corpus root; all are checked before any is written.

    One file that cannot be added refuses them all, with one message naming every such file
    (``UnsupportedMediaType`` when each is of a type the corpus does not hold, else ``InvalidInput``).
    """
    existing = corpus_documents(corpus_dir)
    planned: list[tuple[Path, bytes, Document]] = []
    notes: list[str] = []
    refused: list[InvalidInput | UnsupportedMediaType] = []
    given = list(files)
    for name, data in given:
        try:
            target = corpus_dir / safe_file_name(name)
            if target.suffix == "":
                target = target.with_name(target.name + ".txt")  # the corpus reads a file without suffix as text
            elif target.suffix.lower() not in TEXT_SUFFIXES | DOCUMENT_SUFFIXES:
                raise UnsupportedMediaType(
                    f"{name}: unsupported file type {target.suffix!r}: add {SUPPORTED_TYPES} files"
                )
            planned.append((target, data, _check(data, target, corpus_dir, name, notes)))
        except (InvalidInput, UnsupportedMediaType) as exc:
            refused.append(exc)
    if refused:
        raise _refusal(refused, len(given))
    _check_clashes([(t, d) for t, _, d in planned], existing, corpus_dir, replace)
    return _apply(corpus_dir, planned, existing, tuple(notes))


def _refusal(refused: list[InvalidInput | UnsupportedMediaType], given: int) -> InvalidInput | UnsupportedMediaType:
    """One error for the files that cannot be added: the error itself when only one file was given."""
    if given == 1:
        return refused[0]
    kind = UnsupportedMediaType if all(isinstance(e, UnsupportedMediaType) for e in refused) else InvalidInput
    reasons = "; ".join(e.message for e in refused)
    return kind(f"{len(refused)} of the {given} files cannot be added, so none was: {reasons}")


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
    if not is_doc_id(doc_id):
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
    """Delete the file of document ``doc_id`` and every other corpus file with its text (skipped as duplicates).

    What is removed stays removed: a file skipped so far because it has the same id and another
    text would take the id back at the next build, so the removal is refused (``DocumentConflict``
    naming that file) and nothing is deleted.
    """
    every = read_corpus_files(corpus_dir, lambda _msg: None) if corpus_dir.is_dir() else []
    distinct = distinct_documents(every)
    doc = next((d for d in distinct if d.doc_id == doc_id), None)
    if doc is None:
        spelled = spelled_as_id(doc_id, {d.doc_id for d in distinct})
        raise DocumentNotFound(f"no document {doc_id!r}{spelled} in {corpus_dir}: list them with `citeqa list`")
    fingerprint = text_fingerprint(doc.text)
    same = [doc, *(d for d in every if d is not doc and text_fingerprint(d.text) == fingerprint)]
    sources = {d.source for d in same}
    left = distinct_documents(d for d in every if d.source not in sources)
    back = next((d for d in left if d.doc_id == doc_id), None)
    if back is not None:
        raise DocumentConflict(
            f"cannot remove {doc_id!r} ({doc.source}): {back.source}, skipped so far because its id is the same, "
            f"would be document {doc_id!r} at the next build; remove or rename that file first"
        )
    removed: list[tuple[Path, bytes]] = []
    for twin in same:
        path = _inside(corpus_dir, corpus_dir / twin.source)
        removed.append((path, path.read_bytes()))
    for path, _ in removed:
        path.unlink()
    notes = tuple(f"{d.source}: removed too, same text as {doc.source}" for d in same[1:])
    return Change(documents=tuple(same), removed=tuple(removed), notes=notes)


def _check(data: bytes, target: Path, corpus_dir: Path, name: str, notes: list[str] | None = None) -> Document:
    """The document ``data`` makes at ``target``; its problems name the file as sent (``name``: "x.bin"),
    not as it would be stored ("x.bin.txt")."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"{name}: {len(data)} bytes is over the {MAX_FILE_BYTES}-byte limit")
    if not data.strip():
        raise InvalidInput(f"{name}: the file is empty")
    problems: list[str] = []
    relative = target.relative_to(corpus_dir)
    path_id = make_doc_id(relative)
    try:
        doc = read_document(data, path_id, name, problems.append)
    except CorpusError as exc:
        raise InvalidInput(exc.message) from None
    if not doc.text.strip():
        raise InvalidInput(f"{name}: no text to index")
    note = doc_id_note(relative, name) if doc.doc_id == path_id else None  # front matter may name the id
    if notes is not None:
        notes.extend([*problems, *([note] if note else [])])
    return replace(doc, source=target.name)


def _check_clashes(
    planned: list[tuple[Path, Document]], existing: list[Document], corpus_dir: Path, replace: bool
) -> None:
    by_id = {d.doc_id: d for d in existing}
    by_text = {text_fingerprint(d.text): d for d in existing}
    seen: set[str] = set()
    for target, doc in planned:
        if doc.doc_id in seen:
            raise DocumentConflict(f"two of the given files would both be document {doc.doc_id!r}: rename one")
        seen.add(doc.doc_id)
        old = by_id.get(doc.doc_id)
        if old is not None and not replace:
            raise DocumentConflict.same_id(doc.doc_id, old.source)
        twin = by_text.get(text_fingerprint(doc.text))
        if twin is not None and twin.doc_id != doc.doc_id:
            raise DocumentConflict(
                f"the text of {target.name} is already in the corpus as {twin.doc_id!r} "
                "(line endings, spaces at line ends and Unicode form aside)"
            )
        by_text[text_fingerprint(doc.text)] = doc
        if target.exists() and (old is None or corpus_dir / old.source != target):
            raise DocumentConflict(f"{target.name} already exists in the corpus as another document's file: rename it")


def _apply(
    corpus_dir: Path, planned: list[tuple[Path, bytes, Document]], existing: list[Document], notes: tuple[str, ...] = ()
) -> Change:
    corpus_dir.mkdir(parents=True, exist_ok=True)
    by_id = {d.doc_id: d for d in existing}
    written: list[Path] = []
    replaced: list[tuple[Path, bytes]] = []
    removed: list[tuple[Path, bytes]] = []
    replaced_ids: list[str] = []
    for target, data, doc in planned:
        old = by_id.get(doc.doc_id)
        if old is not None:
            replaced_ids.append(doc.doc_id)
            old_path = _inside(corpus_dir, corpus_dir / old.source)
            if old_path == target:
                replaced.append((target, target.read_bytes()))
            else:
                removed.append((old_path, old_path.read_bytes()))
                old_path.unlink()
        if target not in {p for p, _ in replaced}:
            written.append(target)
        write_atomic(target, data)
    documents = tuple(d for _, _, d in planned)
    return Change(documents, tuple(written), tuple(removed), tuple(replaced), notes, tuple(replaced_ids))


def _inside(root: Path, path: Path) -> Path:
    if not path.resolve().is_relative_to(root.resolve()):
        raise CorpusError(f"{path} is outside the corpus directory {root}")
    return path


def change_and_build(
    change: Callable[[], Change],
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    params: BuildParams,
    *,
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
    lock_wait: float = LOCK_WAIT_SECONDS,
    on_wait: Callable[[str], None] | None = None,
) -> tuple[Change, BuildReport]:
    """Apply a corpus change and publish an incremental build of it; the change is undone if the build fails.

    The change is checked, applied, built and (on failure) undone while the build lock of
    ``index_dir`` is held, so no other build ever reads a change that is then undone. A change
    waits up to ``lock_wait`` seconds for a running build (``on_wait`` is told), then raises
    ``CorpusError`` without touching the corpus.
    """
    with build_lock(index_dir, lock_wait, on_wait):
        done = change()
        try:
            report = build_index(corpus_dir, index_dir, embedder, params, progress=progress, warn=warn, lock=False)
        except BaseException:
            done.undo()
            raise
    return done, report
