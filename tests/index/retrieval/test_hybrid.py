"""Candidate selection of hybrid retrieval, checked against the plain definitions (numpy unique, isin, argsort)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from citeqa.index.retrieval.fusion import RetrievalParams, minmax_fuse, scale_scores
from citeqa.index.retrieval.hybrid import _top_positive


def _reference_fuse(
    vectors: npt.NDArray[np.float32],
    query: npt.NDArray[np.float32],
    lexical_scores: npt.NDArray[np.float32],
    dense_rank: npt.NDArray[np.int64],
    lexical_rank: npt.NDArray[np.int64],
    k: int,
) -> list[tuple[int, float]]:
    params = RetrievalParams()
    candidates = np.unique(np.concatenate([dense_rank, lexical_rank]))
    dense = vectors[candidates] @ query
    lexical = lexical_scores[candidates]
    fused = (
        params.dense_weight * scale_scores(dense, dense[np.isin(candidates, dense_rank)])
        + params.lexical_weight * scale_scores(lexical, lexical[np.isin(candidates, lexical_rank)])
    ) / (params.dense_weight + params.lexical_weight)
    order = np.lexsort((candidates, -fused))[:k]
    return list(zip(candidates[order].tolist(), fused[order].tolist(), strict=True))


@pytest.mark.parametrize("matched", [0, 5, 50, 300], ids=["none", "few", "depth-minus", "over-depth"])
def test_top_positive_is_every_positive_score_best_first_up_to_depth(matched: int) -> None:
    rng = np.random.default_rng(matched)
    scores = np.zeros(1_000, dtype=np.float32)
    scores[rng.choice(1_000, matched, replace=False)] = rng.integers(1, 20, matched).astype(np.float32)  # ties
    top = _top_positive(scores, 100)
    assert len(top) == min(matched, 100) and np.all(scores[top] > 0)
    assert np.all(np.diff(scores[top]) <= 0)
    assert len(top) == 0 or scores[top[-1]] >= np.sort(scores)[::-1][min(matched, 100) - 1]


@pytest.mark.parametrize("seed", range(5))
def test_minmax_fuse_equals_its_definition(seed: int) -> None:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(500, 16)).astype(np.float32)
    query = rng.normal(size=16).astype(np.float32)
    lexical_scores = np.where(rng.random(500) < 0.2, rng.random(500) * 10, 0).astype(np.float32)
    dense_rank = np.argsort(-(vectors @ query))[:60].astype(np.int64)
    lexical_rank = _top_positive(lexical_scores, 60)
    fused = minmax_fuse(vectors, query, lexical_scores, dense_rank, lexical_rank, RetrievalParams(), 10)
    assert fused == _reference_fuse(vectors, query, lexical_scores, dense_rank, lexical_rank, 10)
