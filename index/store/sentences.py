"""Sentence spans and sentence vectors of an index version: what the answer step compares with a question.

Both are computed by the build (``citeqa.index.indexing.sentence_vectors``) and stored with the
version, listed in the manifest's checksums, so answering a question embeds only the question:

- ``sentences.npy``: int32, shape ``(S, 3)``: the document's row in ``documents.jsonl``, then the
  sentence's ``start`` and ``end`` (character offsets into ``document.text``), documents in file
  order and each document's sentences in text order (``citeqa.index.text.sentences.sentence_spans``).
- ``sentence_vectors.npy``: float16, shape ``(S, dimension)``, unit rows (to fp16 rounding),
  memory-mapped at load (only the rows of retrieved passages are read into memory).

fp16 because it left every answer of bbc_dev, bbc_holdout and seed_dev exactly as fp32 gave it, at
half the size (whole BBC: 32 MB for 42,090 sentences). int8 with a scale per row also left them
unchanged and would save 16 MB more on disk, but it is a coarser approximation (steps of 1/127 of a
row's largest component, against fp16's 1/2048 relative) and a second array to keep in step, while
memory-mapping already keeps unread rows out of memory (``bench/sentence_vectors.py``,
``bench/results/sentence_vectors.json``; docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from citeqa.index.domain import Vectors

__all__ = [
    "SENTENCES_FILE",
    "SENTENCE_VECTORS_FILE",
    "STORED_DTYPE",
    "SentenceStore",
    "load_sentences",
    "save_sentences",
    "sentence_store",
]

SENTENCES_FILE = "sentences.npy"
SENTENCE_VECTORS_FILE = "sentence_vectors.npy"
STORED_DTYPE = np.float16
Spans = Sequence[tuple[int, int]]


@dataclass(frozen=True)
class SentenceStore:
    """The sentences of every document of an index with one stored vector each.

    ``table``: int32 ``(S, 3)`` rows of (document row, start, end); ``vectors``: ``(S, dimension)``
    (float16 when loaded from an index); ``rows``: document id -> its first row and row count.
    """

    table: npt.NDArray[np.int32]
    vectors: npt.NDArray[np.floating]
    rows: Mapping[str, tuple[int, int]]

    def __len__(self) -> int:
        return len(self.table)

    def spans_of(self, doc_id: str) -> list[tuple[int, int]]:
        """Spans (start, end) of the sentences of ``doc_id`` in text order; [] for an unknown document."""
        first, count = self.rows.get(doc_id, (0, 0))
        return [(int(s), int(e)) for s, e in self.table[first : first + count, 1:3]]

    def vectors_of(self, keys: Sequence[tuple[str, int]]) -> Vectors:
        """float32 ``(len(keys), dimension)``: the vectors of (document id, sentence index) pairs."""
        rows = np.asarray([self.rows[doc_id][0] + index for doc_id, index in keys], dtype=np.int64)
        return np.asarray(self.vectors[rows], dtype=np.float32)


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
    """Write the spans and the vectors (as ``STORED_DTYPE``); returns the file names written."""
    np.save(directory / SENTENCES_FILE, store.table, allow_pickle=False)
    np.save(directory / SENTENCE_VECTORS_FILE, np.asarray(store.vectors, dtype=STORED_DTYPE), allow_pickle=False)
    return [SENTENCES_FILE, SENTENCE_VECTORS_FILE]


def load_sentences(directory: Path, doc_ids: Sequence[str], text_lengths: Sequence[int]) -> SentenceStore:
    """The stored sentences of a version whose documents are ``doc_ids`` (file order) with these text lengths.

    Raises ``ValueError`` when the files disagree with each other or with the documents (the loader
    turns it into ``IndexCorrupt``), ``OSError`` when a file cannot be read.
    """
    table: npt.NDArray[np.int32] = np.load(directory / SENTENCES_FILE, allow_pickle=False)
    vectors: npt.NDArray[np.floating] = np.load(directory / SENTENCE_VECTORS_FILE, mmap_mode="r", allow_pickle=False)
    if table.ndim != 2 or table.shape[1] != 3 or vectors.ndim != 2 or len(vectors) != len(table):
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
