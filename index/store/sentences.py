"""Sentence spans and sentence vectors of an index version: what the answer step compares with a question.

Both are computed by the build (``citeqa.index.indexing.sentence_vectors``) and stored with the
version, listed in the manifest's checksums, so answering a question embeds only the question:

- ``sentences.npy``: int32, shape ``(S, 3)``: the document's row in ``documents.jsonl``, then the
  sentence's ``start`` and ``end`` (character offsets into ``document.text``), documents in file
  order and each document's sentences in text order (``citeqa.index.text.sentences.sentence_spans``).
- ``sentence_vectors.npy``: float16, shape ``(S, dimension)``, unit rows (to fp16 rounding). At load
  only its header is read; the answer step reads the rows of the retrieved passages' sentences with
  ``pread`` (``StoredRows``), so they are never resident. Memory-mapped, a page fault maps the
  neighbouring cached pages too (the kernel's fault-around, 64 kB; ``MADV_RANDOM`` does not stop it):
  300 random rows made 15 MB of the 32 MB file resident, and a few hundred questions all of it.

fp16 because it left every answer of bbc_dev, bbc_holdout and seed_dev exactly as fp32 gave it, at
half the size (whole BBC: 32 MB for 42,090 sentences). int8 with a scale per row also left them
unchanged and would save 16 MB more on disk, but it is a coarser approximation (steps of 1/127 of a
row's largest component, against fp16's 1/2048 relative) and a second array to keep in step, while
memory-mapping already keeps unread rows out of memory (``bench/sentence_vectors.py``,
``bench/results/sentence_vectors.json``; docs/performance.md).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from citeqa.index.domain import Vectors
from citeqa.index.store.terms import ContentTerms, save_content_terms

__all__ = [
    "SENTENCES_FILE",
    "SENTENCE_VECTORS_FILE",
    "STORED_DTYPE",
    "SentenceStore",
    "StoredRows",
    "load_sentences",
    "save_sentences",
    "sentence_store",
]

SENTENCES_FILE = "sentences.npy"
SENTENCE_VECTORS_FILE = "sentence_vectors.npy"
STORED_DTYPE = np.float16
Spans = Sequence[tuple[int, int]]


class StoredRows:
    """Rows of a 2-D ``.npy`` file read on demand with ``pread`` (no mapping, so no page stays resident).

    The file stays open while this object lives, so a version directory removed after a newer index
    was published keeps serving the requests that started on it.
    """

    def __init__(self, path: Path) -> None:
        header: np.memmap[tuple[int, int], np.dtype[np.floating]] = np.load(path, mmap_mode="r", allow_pickle=False)
        self.shape: tuple[int, ...] = header.shape
        self.dtype = header.dtype
        self._offset = int(header.offset)
        self._row_bytes = int(header.dtype.itemsize * (header.shape[1] if header.ndim == 2 else 0))
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)

    def read(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.floating]:
        """The ``rows`` (in that order, repeats allowed), one ``pread`` per run of consecutive rows."""
        wanted = np.unique(rows)
        out = np.empty((len(wanted), self.shape[1]), dtype=self.dtype)
        if not len(wanted):
            return out
        breaks = np.flatnonzero(np.diff(wanted) != 1) + 1
        for first, last in zip(np.concatenate([[0], breaks]), np.concatenate([breaks, [len(wanted)]]), strict=True):
            size = int(last - first) * self._row_bytes
            data = os.pread(self._fd, size, self._offset + int(wanted[first]) * self._row_bytes)
            if len(data) != size:
                raise OSError(f"{size} bytes wanted, {len(data)} read: the file was truncated")
            out[first:last] = np.frombuffer(data, dtype=self.dtype).reshape(-1, self.shape[1])
        return out[np.searchsorted(wanted, rows)]


@dataclass(frozen=True)
class SentenceStore:
    """The sentences of every document of an index with one stored vector each.

    ``table``: int32 ``(S, 3)`` rows of (document row, start, end); ``vectors``: ``(S, dimension)``
    in memory (a build's), or ``StoredRows`` of ``sentence_vectors.npy`` (float16) when loaded from an
    index; ``rows``: document id -> its first row and row count; ``terms``: the content terms of every
    document's title, text and sentences (``citeqa.index.store.terms``), None when the version has none
    stored (made before they were, or by another tokeniser): the answer step then tokenises.
    """

    table: npt.NDArray[np.int32]
    vectors: npt.NDArray[np.floating] | StoredRows
    rows: Mapping[str, tuple[int, int]]
    terms: ContentTerms | None = None

    def __len__(self) -> int:
        return len(self.table)

    def spans_of(self, doc_id: str) -> list[tuple[int, int]]:
        """Spans (start, end) of the sentences of ``doc_id`` in text order; [] for an unknown document."""
        first, count = self.rows.get(doc_id, (0, 0))
        return [(int(s), int(e)) for s, e in self.table[first : first + count, 1:3]]

    def vectors_of(self, keys: Sequence[tuple[str, int]]) -> Vectors:
        """float32 ``(len(keys), dimension)``: the vectors of (document id, sentence index) pairs."""
        rows = np.asarray([self.rows[doc_id][0] + index for doc_id, index in keys], dtype=np.int64)
        stored = self.vectors.read(rows) if isinstance(self.vectors, StoredRows) else self.vectors[rows]
        return np.asarray(stored, dtype=np.float32)


def sentence_store(doc_ids: Sequence[str], spans: Sequence[Spans], vectors: npt.NDArray[np.floating]) -> SentenceStore:
    """A store of the documents ``doc_ids`` (in index order), each with its ``spans``, and one vector per span."""
    counts = [len(s) for s in spans]
    table = np.zeros((sum(counts), 3), dtype=np.int32)
    table[:, 0] = np.repeat(np.arange(len(doc_ids), dtype=np.int32), counts)
    if len(table):
        table[:, 1:3] = np.asarray([span for doc in spans for span in doc], dtype=np.int32)
    firsts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(int).tolist() if counts else []
    rows = {d: (int(f), c) for d, f, c in zip(doc_ids, firsts, counts, strict=True)}
    return SentenceStore(table, vectors, rows)


def save_sentences(store: SentenceStore, directory: Path) -> list[str]:
    """Write the spans, the vectors (as ``STORED_DTYPE``) and the content terms when the store has them;
    returns the file names written."""
    np.save(directory / SENTENCES_FILE, store.table, allow_pickle=False)
    vectors = (
        store.vectors.read(np.arange(len(store), dtype=np.int64))
        if isinstance(store.vectors, StoredRows)
        else store.vectors
    )
    np.save(directory / SENTENCE_VECTORS_FILE, np.asarray(vectors, dtype=STORED_DTYPE), allow_pickle=False)
    terms = save_content_terms(store.terms, directory) if store.terms is not None else []
    return [SENTENCES_FILE, SENTENCE_VECTORS_FILE, *terms]


def load_sentences(directory: Path, doc_ids: Sequence[str], text_lengths: Sequence[int]) -> SentenceStore:
    """The stored sentences of a version whose documents are ``doc_ids`` (file order) with these text lengths.

    Raises ``ValueError`` when the files disagree with each other or with the documents (the loader
    turns it into ``IndexCorrupt``), ``OSError`` when a file cannot be read.
    """
    table: npt.NDArray[np.int32] = np.load(directory / SENTENCES_FILE, allow_pickle=False)
    vectors = StoredRows(directory / SENTENCE_VECTORS_FILE)
    if table.ndim != 2 or table.shape[1] != 3 or len(vectors.shape) != 2 or vectors.shape[0] != len(table):
        raise ValueError("sentence spans and sentence vectors disagree on their shape")
    docs = table[:, 0]
    if len(table) and (docs.min() < 0 or docs.max() >= len(doc_ids) or np.any(np.diff(docs) < 0)):
        raise ValueError("a sentence names a document that is not in documents.jsonl")
    lengths = np.asarray(text_lengths, dtype=np.int64)[docs]
    if np.any(table[:, 1] < 0) or np.any(table[:, 2] <= table[:, 1]) or np.any(table[:, 2] > lengths):
        raise ValueError("a sentence span lies outside its document's text")
    counts = np.bincount(docs, minlength=len(doc_ids)) if len(table) else np.zeros(len(doc_ids), dtype=int)
    firsts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rows = {d: (int(f), int(c)) for d, f, c in zip(doc_ids, firsts, counts, strict=True)}
    return SentenceStore(table, vectors, rows)
