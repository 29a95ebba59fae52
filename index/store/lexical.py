"""BM25 over chunks, stored as a sparse term-weight matrix (no pickle)."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse

from citeqa.index.text.tokens import terms

K1 = 1.2
B = 0.75
MATRIX_FILE = "lexical.npz"
VOCAB_FILE = "vocab.json"


@dataclass(frozen=True)
class LexicalIndex:
    """``weights[chunk, term]`` holds the BM25 contribution of the term to the chunk."""

    vocab: dict[str, int]
    weights: sparse.csr_matrix
    idf: npt.NDArray[np.float32]

    @property
    def size(self) -> int:
        return int(self.weights.shape[0])

    def term_idf(self, term: str) -> float:
        """idf of a stemmed term; terms never seen get the highest idf of the corpus."""
        column = self.vocab.get(term)
        if column is None:
            return math.log(1 + (self.size + 0.5) / 0.5)
        return float(self.idf[column])

    def document_frequency_known(self, term: str) -> bool:
        return term in self.vocab

    def score_many(self, queries: Sequence[str]) -> npt.NDArray[np.float32]:
        """BM25 scores, one row per query, one column per chunk."""
        rows, cols = [], []
        for row, query in enumerate(queries):
            for term in set(terms(query)):
                column = self.vocab.get(term)
                if column is not None:
                    rows.append(row)
                    cols.append(column)
        selector = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(queries), len(self.vocab)),
        )
        return np.asarray((selector @ self.by_term).toarray(), dtype=np.float32)

    @cached_property
    def by_term(self) -> sparse.csr_matrix:
        """The weights transposed (one row per term), made once: a query reads only its terms' rows."""
        return sparse.csr_matrix(self.weights.T)


def build_lexical(texts: Sequence[str]) -> LexicalIndex:
    """BM25 weights for ``texts`` (k1=1.2, b=0.75, idf = ln(1 + (N - df + 0.5)/(df + 0.5)))."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    counts: list[float] = []
    lengths = np.zeros(len(texts), dtype=np.float32)
    for row, text in enumerate(texts):
        tokens = terms(text)
        lengths[row] = len(tokens)
        for term, count in Counter(tokens).items():
            rows.append(row)
            cols.append(vocab.setdefault(term, len(vocab)))
            counts.append(count)
    tf = sparse.csr_matrix((np.asarray(counts, dtype=np.float32), (rows, cols)), shape=(len(texts), len(vocab)))
    df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(vocab)).astype(np.float32)
    n = float(len(texts))
    idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
    avg = float(lengths.mean()) if len(texts) else 1.0
    norm = K1 * (1 - B + B * lengths / max(avg, 1e-9))
    coo = tf.tocoo()
    weight = coo.data * (K1 + 1) / (coo.data + norm[coo.row]) * idf[coo.col]
    weights = sparse.csr_matrix((weight.astype(np.float32), (coo.row, coo.col)), shape=tf.shape)
    return LexicalIndex(vocab=vocab, weights=weights, idf=idf)


def save_lexical(index: LexicalIndex, directory: Path) -> list[str]:
    """Write the matrix and vocabulary; returns the file names written."""
    w = index.weights
    with (directory / MATRIX_FILE).open("wb") as fh:
        np.savez(fh, data=w.data, indices=w.indices, indptr=w.indptr, shape=np.asarray(w.shape), idf=index.idf)
    terms_by_column = sorted(index.vocab, key=index.vocab.__getitem__)
    (directory / VOCAB_FILE).write_text(json.dumps(terms_by_column, ensure_ascii=False), encoding="utf-8")
    return [MATRIX_FILE, VOCAB_FILE]


def load_lexical(directory: Path) -> LexicalIndex:
    """Read what ``save_lexical`` wrote (never unpickling)."""
    with np.load(directory / MATRIX_FILE, allow_pickle=False) as npz:
        shape = tuple(int(x) for x in npz["shape"])
        weights = sparse.csr_matrix((npz["data"], npz["indices"], npz["indptr"]), shape=shape)
        idf = npz["idf"]
    terms_by_column = json.loads((directory / VOCAB_FILE).read_text(encoding="utf-8"))
    index = LexicalIndex(vocab={t: i for i, t in enumerate(terms_by_column)}, weights=weights, idf=idf)
    _ = index.by_term  # made at load, not on the first question
    return index
