"""Reading a corpus directory into documents: one document per file, stable ids.

Readers are chosen by content: a file that opens with a ``---`` front-matter block is read
as Markdown with metadata, anything else that decodes as text as plain text (first line as
title). Files that cannot be indexed are skipped with a warning naming them; nothing outside
the corpus directory is read. HTML pages and PDFs are recognised and read by ``citeqa.index.corpus.readers``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from citeqa.index.corpus.identity import MAX_DOC_ID_CHARS, id_is_cut, normalise_doc_id, text_fingerprint
from citeqa.index.corpus.readers import READABLE_SUFFIXES, SUPPORTED_TYPES, Warn, read_document
from citeqa.index.domain import Document
from citeqa.index.errors import CorpusError

MAX_FILE_BYTES = 5_000_000


NAMELESS_DOC_ID = "document"
"""The id of a file whose path has no letter or digit (``().txt``); a build says so."""


def make_doc_id(relative: Path) -> str:
    """A stable id from a path relative to the corpus root: ``business/001.txt`` -> ``business-001``.

    Follows the one id rule (``citeqa.index.corpus.identity``); ``document`` when no character is usable.
    """
    return normalise_doc_id(_id_source(relative)) or NAMELESS_DOC_ID


def has_id_characters(name: str) -> bool:
    """Whether a file name has a letter or digit before its suffix to make an id of (``().txt`` and
    ``.txt`` have none)."""
    if name.lower() in READABLE_SUFFIXES:  # ".txt": a suffix alone (Path takes it for a hidden file's name)
        return False
    return bool(normalise_doc_id(_id_source(Path(name))))


def doc_id_note(relative: Path, name: str) -> str | None:
    """A warning naming the file (``name``) and its id when the id does not simply spell its path: the
    path has no letter or digit (``().txt`` is ``document``), or is longer than an id may be (cut to
    ``MAX_DOC_ID_CHARS``)."""
    source = _id_source(relative)
    if not normalise_doc_id(source):
        return (
            f"{name}: the name has no letter or digit to make a document id of, so its id is "
            f"{NAMELESS_DOC_ID!r} (rename the file to choose one)"
        )
    if not id_is_cut(source):
        return None
    return (
        f"{name}: the name is too long for a document id, so its id is cut to {MAX_DOC_ID_CHARS} characters: "
        f"{make_doc_id(relative)!r} (rename the file for a shorter one)"
    )


def _id_source(relative: Path) -> str:
    return relative.with_suffix("").as_posix().replace("/", "-")


def _unsafe_name(name: str) -> bool:
    """Names that cannot be stored or shown safely: bytes not valid UTF-8, control characters."""
    return any(ord(ch) < 32 or ord(ch) == 127 or "\ud800" <= ch <= "\udfff" for ch in name)


def iter_corpus_files(root: Path, warn: Warn) -> Iterator[Path]:
    """Regular text files under ``root``, sorted, never following links out of it."""
    real_root = root.resolve()
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if _unsafe_name(name):
            warn(f"{name!a}: skipped, unsafe file name (control characters or not UTF-8): rename it")
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(real_root):
            warn(f"{name}: skipped, symlink leads outside the corpus directory")
            continue
        if path.is_dir():
            continue
        if not path.is_file():  # what no reading of a file can be: a FIFO would block the build
            what = "broken symlink" if path.is_symlink() else "not a regular file (a FIFO, socket or device)"
            warn(f"{name}: skipped, {what}")
            continue
        if path.suffix.lower() not in READABLE_SUFFIXES:
            warn(f"{name}: skipped, unsupported file type {path.suffix!r} (supported: {SUPPORTED_TYPES})")
            continue
        yield path


def read_corpus(root: Path, warn: Warn | None = None) -> list[Document]:
    """Every indexable document under ``root``; raises CorpusError when there is none."""
    say: Warn = warn or (lambda _msg: None)
    if root.exists() and not root.is_dir():
        raise CorpusError(f"corpus directory {root} is a file: give the directory that holds the articles")
    if not root.is_dir():
        raise CorpusError(f"corpus directory {root} does not exist: create it and add articles")
    documents = distinct_documents(read_corpus_files(root, say), say)
    if not documents:
        raise CorpusError(f"nothing indexable in {root}: add articles as {SUPPORTED_TYPES}")
    return documents


def read_corpus_files(root: Path, warn: Warn) -> list[Document]:
    """The document of every readable file under ``root`` in path order, duplicates included."""
    documents: list[Document] = []
    for path in iter_corpus_files(root, warn):
        doc = _read_file(path, root, path.relative_to(root).as_posix(), warn)
        if doc is not None:
            documents.append(doc)
    return documents


def distinct_documents(documents: Iterable[Document], warn: Warn | None = None) -> list[Document]:
    """The documents a corpus holds: the first of each text and of each id, in order; ``warn`` hears of the others.

    Texts that differ only in line endings, spaces at line ends or Unicode form are one text (``text_fingerprint``).
    """
    say: Warn = warn or (lambda _msg: None)
    kept: list[Document] = []
    seen_ids: set[str] = set()
    seen_hashes: dict[str, str] = {}
    for doc in documents:
        body_hash = text_fingerprint(doc.text)  # CRLF, a final newline or NFD accents make no new document
        if body_hash in seen_hashes:
            first = seen_hashes[body_hash]
            say(f"{doc.source}: skipped, same text as {first} (line endings, spaces at line ends, Unicode form aside)")
            continue
        if doc.doc_id in seen_ids:
            say(f"{doc.source}: skipped, document id {doc.doc_id!r} already used")
            continue
        seen_ids.add(doc.doc_id)
        seen_hashes[body_hash] = doc.source
        kept.append(doc)
    return kept


def _read_file(path: Path, root: Path, name: str, warn: Warn) -> Document | None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        warn(f"{name}: skipped, {size} bytes is over the {MAX_FILE_BYTES}-byte limit")
        return None
    data = path.read_bytes()
    if not data.strip():
        warn(f"{name}: skipped, empty")
        return None
    relative = path.relative_to(root)
    path_id = make_doc_id(relative)
    try:
        doc = read_document(data, path_id, source=name, warn=warn)
    except CorpusError as exc:
        warn(f"{exc.message}; skipped")
        return None
    if not doc.text.strip():
        warn(f"{name}: skipped, no body text after the front matter")
        return None
    note = doc_id_note(relative, name) if doc.doc_id == path_id else None  # front matter may name the id
    if note is not None:
        warn(note)
    return doc
