"""Hybrid retrieval: dense (FAISS inner product) and lexical (BM25) rankings, fused by weighted RRF."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.embedding import Vectors
from index.loader import IndexData


@dataclass(frozen=True)
class RetrievalParams:
    """Fusion settings: candidate depth per ranking, RRF constant and the weight of each ranking."""

    depth: int = 50
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.0


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
        dense_rank = [int(i) for i in dense_ids[row] if 0 <= i < total]
        lexical_rank = [int(i) for i in _top(lexical_scores[row], depth) if lexical_scores[row, i] > 0]
        fused = _fuse(dense_rank, lexical_rank, params)[:k]
        dense = data.vectors[fused] @ query_vectors[row] if fused else np.zeros(0, dtype=np.float32)
        results.append(
            [
                _passage(data, cid, s, float(d), float(lexical_scores[row, cid]))
                for (cid, s), d in zip(fused_scores(fused, dense_rank, lexical_rank, params), dense, strict=True)
            ]
        )
    return results


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
