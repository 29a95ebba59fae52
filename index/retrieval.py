"""Hybrid retrieval: dense (FAISS inner product) and lexical (BM25) rankings, fused by weighted RRF.

``fusion="minmax"`` fuses scores instead of ranks: each ranking's scores are scaled to 0-1 over its own
top ``depth`` (a candidate outside that top counts as its worst), then averaged with the two weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.embedding import Vectors
from index.loader import IndexData


@dataclass(frozen=True)
class RetrievalParams:
    """Fusion settings: candidate depth per ranking, RRF constant and the weight of each ranking.

    ``fusion`` is ``rrf`` (reciprocal rank fusion, uses ``rrf_k``) or ``minmax`` (score fusion).
    """

    depth: int = 50
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    fusion: str = "rrf"


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its fused score (1.0 = first in both rankings) and component scores."""

    doc_id: str
    title: str
    chunk_id: int
    text: str
    start: int
    end: int
    score: float
    dense_score: float
    lexical_score: float


def _top(scores: npt.NDArray[np.float32], depth: int) -> npt.NDArray[np.int64]:
    depth = min(depth, len(scores))
    if depth <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, depth - 1)[:depth]
    return part[np.argsort(-scores[part], kind="stable")]


def search_many(
    data: IndexData,
    queries: Sequence[str],
    query_vectors: Vectors,
    k: int,
    params: RetrievalParams | None = None,
) -> list[list[Passage]]:
    """The ``k`` best passages for each query (fewer when the index holds fewer chunks)."""
    params = params or RetrievalParams()
    total = len(data.chunks)
    depth = min(max(params.depth, k), total)
    if not queries or total == 0:
        return [[] for _ in queries]
    _, dense_ids = data.faiss_index.search(np.ascontiguousarray(query_vectors, dtype=np.float32), depth)
    lexical_scores = data.lexical.score_many(queries)
    results = []
    for row in range(len(queries)):
        ids = dense_ids[row]
        dense_rank = ids[(ids >= 0) & (ids < total)].astype(np.int64)
        top = _top(lexical_scores[row], depth)
        lexical_rank = top[lexical_scores[row, top] > 0]
        if params.fusion == "minmax":
            scored = _minmax_fuse(
                data.vectors, query_vectors[row], lexical_scores[row], dense_rank, lexical_rank, params, k
            )
        else:
            dense_list, lexical_list = dense_rank.tolist(), lexical_rank.tolist()
            scored = fused_scores(_fuse(dense_list, lexical_list, params)[:k], dense_list, lexical_list, params)
        scored = scored[:k]
        fused = [cid for cid, _ in scored]
        dense = data.vectors[fused] @ query_vectors[row] if fused else np.zeros(0, dtype=np.float32)
        results.append(
            [
                _passage(data, cid, s, float(d), float(lexical_scores[row, cid]))
                for (cid, s), d in zip(scored, dense, strict=True)
            ]
        )
    return results


def _minmax_fuse(
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
    candidates = np.unique(np.concatenate([dense_rank, lexical_rank]))
    dense = vectors[candidates] @ query
    scaled_dense = _scale(dense, dense[np.isin(candidates, dense_rank, assume_unique=True)])
    lexical = lexical_scores[candidates]
    scaled_lexical = _scale(lexical, lexical[np.isin(candidates, lexical_rank, assume_unique=True)])
    fused = (params.dense_weight * scaled_dense + params.lexical_weight * scaled_lexical) / total
    order = np.lexsort((candidates, -fused))[:k]
    return list(zip(candidates[order].tolist(), fused[order].tolist(), strict=True))


def _scale(values: npt.NDArray[np.float32], reference: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    """``values`` scaled so that the reference's best is 1 and its worst (or anything lower) is 0."""
    if len(reference) == 0:
        return np.zeros(len(values), dtype=np.float64)
    low, high = float(reference.min()), float(reference.max())
    if high <= low:
        return (values >= high).astype(np.float64)
    return (np.maximum(values.astype(np.float64), low) - low) / (high - low)


def _fuse(dense_rank: list[int], lexical_rank: list[int], params: RetrievalParams) -> list[int]:
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


def _passage(data: IndexData, chunk_id: int, score: float, dense: float, lexical: float) -> Passage:
    chunk = data.chunks[chunk_id]
    return Passage(
        doc_id=chunk.doc_id,
        title=data.documents[chunk.doc_id].title,
        chunk_id=chunk.chunk_id,
        text=chunk.text,
        start=chunk.start,
        end=chunk.end,
        score=round(score, 6),
        dense_score=round(dense, 6),
        lexical_score=round(lexical, 6),
    )
