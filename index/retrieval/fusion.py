"""Fusing a dense and a lexical ranking into one: the fusion modes and their parameters.

- ``minmax`` (the default): each ranking's scores are scaled to 0-1 over its own top ``depth``
  (a candidate outside that top counts as its worst), then averaged with the two weights.
- ``rrf``: weighted reciprocal rank fusion, ``sum(weight / (rrf_k + rank))``.

The defaults are the service's defaults (``citeqa.service.settings`` reads them from here):
min-max fusion, depth 200, weights 0.55 / 0.45, chosen on the BBC BEIR set with
``bench/fusion_sweep.py`` (MRR@10 0.801 against 0.790 for RRF; docs/evaluation.md, "Retrieval quality").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from citeqa.index.domain import Choice, Vectors

__all__ = ["FusionMode", "RetrievalParams", "fused_scores", "minmax_fuse", "rrf_fuse", "scale_scores"]


class FusionMode(Choice):
    """How two rankings are fused: ``minmax`` score fusion or ``rrf`` reciprocal rank fusion."""

    MINMAX = "minmax"
    RRF = "rrf"

    @classmethod
    def label(cls) -> str:
        return "fusion mode"


@dataclass(frozen=True)
class RetrievalParams:
    """Fusion settings: candidates taken from each ranking (``depth``), the RRF constant and the weights."""

    depth: int = 200
    rrf_k: int = 60
    dense_weight: float = 0.55
    lexical_weight: float = 0.45
    fusion: FusionMode = FusionMode.MINMAX

    def __post_init__(self) -> None:
        object.__setattr__(self, "fusion", FusionMode.from_str(str(self.fusion)))


def minmax_fuse(
    vectors: Vectors,
    query: npt.NDArray[np.float32],
    lexical_scores: npt.NDArray[np.float32],
    dense_rank: npt.NDArray[np.int64],
    lexical_rank: npt.NDArray[np.int64],
    params: RetrievalParams,
    k: int,
) -> list[tuple[int, float]]:
    """The ``k`` best candidates of both rankings by weighted mean of 0-1 scaled scores (1.0 = first in both)."""
    total = params.dense_weight + params.lexical_weight
    if (len(dense_rank) == 0 and len(lexical_rank) == 0) or total <= 0:
        return []
    # membership as flags over the chunk ids (their union, ascending, is np.unique of both rankings):
    # two scatters and a gather instead of a unique and two isin, ~0.1 ms a query on 9,211 chunks
    in_dense = np.zeros(len(vectors), dtype=bool)
    in_dense[dense_rank] = True
    in_lexical = np.zeros(len(vectors), dtype=bool)
    in_lexical[lexical_rank] = True
    candidates = np.flatnonzero(in_dense | in_lexical).astype(np.int64)
    dense = vectors[candidates] @ query
    scaled_dense = scale_scores(dense, dense[in_dense[candidates]])
    lexical = lexical_scores[candidates]
    scaled_lexical = scale_scores(lexical, lexical[in_lexical[candidates]])
    fused = (params.dense_weight * scaled_dense + params.lexical_weight * scaled_lexical) / total
    order = np.lexsort((candidates, -fused))[:k]
    return list(zip(candidates[order].tolist(), fused[order].tolist(), strict=True))


def scale_scores(values: npt.NDArray[np.float32], reference: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    """``values`` scaled so that the reference's best is 1 and its worst (or anything lower) is 0."""
    if len(reference) == 0:
        return np.zeros(len(values), dtype=np.float64)
    low, high = float(reference.min()), float(reference.max())
    if high <= low:
        return (values >= high).astype(np.float64)
    return (np.maximum(values.astype(np.float64), low) - low) / (high - low)


def rrf_fuse(dense_rank: list[int], lexical_rank: list[int], params: RetrievalParams) -> list[int]:
    """Chunk ids of both rankings ordered by weighted reciprocal rank fusion (ties by id)."""
    scores: dict[int, float] = {}
    for weight, ranking in ((params.dense_weight, dense_rank), (params.lexical_weight, lexical_rank)):
        for rank, cid in enumerate(ranking, start=1):
            scores[cid] = scores.get(cid, 0.0) + weight / (params.rrf_k + rank)
    return sorted(scores, key=lambda cid: (-scores[cid], cid))


def fused_scores(
    ids: list[int], dense_rank: list[int], lexical_rank: list[int], params: RetrievalParams
) -> list[tuple[int, float]]:
    """RRF scores of ``ids`` scaled so that first place in both rankings scores 1.0."""
    dense_pos = {cid: r for r, cid in enumerate(dense_rank, start=1)}
    lexical_pos = {cid: r for r, cid in enumerate(lexical_rank, start=1)}
    best = (params.dense_weight + params.lexical_weight) / (params.rrf_k + 1)
    out = []
    for cid in ids:
        raw = 0.0
        if cid in dense_pos:
            raw += params.dense_weight / (params.rrf_k + dense_pos[cid])
        if cid in lexical_pos:
            raw += params.lexical_weight / (params.rrf_k + lexical_pos[cid])
        out.append((cid, raw / best))
    return out
