"""FAISS index kinds: the approximate ones keep recall@10 >= 0.95 against exact search."""

from __future__ import annotations

import faiss
import numpy as np
import pytest

from citeqa.index.store.dense import make_faiss_index, set_search_threads
from citeqa.index.store.kinds import choose_kind


def _unit(a: np.ndarray) -> np.ndarray:
    return (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_approximate_recall_at_10(kind: str) -> None:
    rng = np.random.default_rng(0)
    centres = _unit(rng.standard_normal((200, 384)))
    vectors = _unit(centres[rng.integers(0, 200, 20_000)] + 0.03 * rng.standard_normal((20_000, 384)))
    queries = _unit(centres[rng.integers(0, 200, 100)] + 0.03 * rng.standard_normal((100, 384)))
    set_search_threads(1)
    exact = faiss.IndexFlatIP(384)
    exact.add(vectors)
    _, truth = exact.search(queries, 10)
    _, found = make_faiss_index(vectors, kind).search(queries, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth, strict=True)])
    assert recall >= 0.95


@pytest.mark.parametrize(
    ("kind", "count", "expected"),
    [("auto", 10, "flat"), ("auto", 199_999, "flat"), ("auto", 200_000, "ivf"), ("hnsw", 5, "hnsw")],
)
def test_choose_kind(kind: str, count: int, expected: str) -> None:
    assert choose_kind(kind, count) == expected
