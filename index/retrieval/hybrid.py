"""Hybrid retrieval: a dense (FAISS inner product) and a lexical (BM25) ranking, fused into passages.

How the two rankings become one is ``citeqa.index.retrieval.fusion`` (``FusionMode``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from citeqa.index.domain import Vectors
from citeqa.index.retrieval.fusion import FusionMode, RetrievalParams, fused_scores, minmax_fuse, rrf_fuse
from citeqa.index.store.loader import IndexData

__all__ = ["Passage", "search_many"]


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


def _top_positive(scores: npt.NDArray[np.float32], depth: int) -> npt.NDArray[np.int64]:
    """The ids of the ``depth`` best positive scores, best first. Most queries match fewer chunks than
    ``depth``: then only those are sorted (ties by id), not all the chunks partitioned."""
    matched = np.flatnonzero(scores > 0)
    if len(matched) > depth:
        top = _top(scores, depth)
        return top[scores[top] > 0]
    return matched[np.argsort(-scores[matched], kind="stable")].astype(np.int64)


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
        lexical_rank = _top_positive(lexical_scores[row], depth)
        if params.fusion is FusionMode.MINMAX:
            scored = minmax_fuse(
                data.vectors, query_vectors[row], lexical_scores[row], dense_rank, lexical_rank, params, k
            )
        else:
            dense_list, lexical_list = dense_rank.tolist(), lexical_rank.tolist()
            scored = fused_scores(rrf_fuse(dense_list, lexical_list, params)[:k], dense_list, lexical_list, params)
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
