"""Sweep retrieval fusion settings on a BEIR folder, cheaply, in one process (issue 4).

The index is built ONCE with the default settings (as ``citeqa eval QUESTIONS --build`` does),
the queries are encoded ONCE, and the dense ranking and the BM25 scores are computed ONCE; each
setting then recomputes only the fusion. Like ``citeqa eval --k 10``, each query takes the top 10
fused passages, maps them to documents by first occurrence, and scores MRR@10 / hit@10 / nDCG@10
with ``citeqa.index.evaluation.metrics``.

Fusion methods:
- ``rrf``: weighted reciprocal rank fusion exactly as ``citeqa.index.retrieval.fusion`` (weights, rrf_k, depth).
- ``minmax`` / ``zscore``: score fusion, ``alpha * norm(dense) + (1 - alpha) * norm(bm25)`` over
  the union of the top-``depth`` candidates of each ranking, each score normalised over that
  ranking's own top-``depth`` (a candidate absent from a ranking gets that ranking's minimum).

Example:
    python bench/fusion_sweep.py ../shared/datasets/bbc-news-beir --index data/beir-index --json bench/work/sweep.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from citeqa.service import wiring

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

K = 10
Fuser = Callable[[npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.float32]], list[int]]


def rrf(depth: int, rrf_k: int, dense_weight: float, lexical_weight: float) -> Fuser:
    """The ranking ``citeqa.index.retrieval.fusion.rrf_fuse`` returns (same order, same ties)."""

    def fuse(dense_ids: npt.NDArray[np.int64], bm25: npt.NDArray[np.float32], _: npt.NDArray[np.float32]) -> list[int]:
        lexical = _top_positive(bm25, depth)
        scores: dict[int, float] = {}
        for weight, ranking in ((dense_weight, dense_ids[:depth].tolist()), (lexical_weight, lexical)):
            for rank, cid in enumerate(ranking, start=1):
                scores[cid] = scores.get(cid, 0.0) + weight / (rrf_k + rank)
        return sorted(scores, key=lambda cid: (-scores[cid], cid))[:K]

    return fuse


def score_fusion(depth: int, alpha: float, norm: str) -> Fuser:
    """``alpha * norm(dense) + (1 - alpha) * norm(bm25)`` over the candidates of both rankings."""

    def fuse(
        dense_ids: npt.NDArray[np.int64], bm25: npt.NDArray[np.float32], dense_scores: npt.NDArray[np.float32]
    ) -> list[int]:
        dense_top = dense_ids[:depth]
        lexical = np.asarray(_top_positive(bm25, depth), dtype=np.int64)
        candidates = np.union1d(dense_top, lexical)
        d = _normalise(dense_scores[candidates], dense_scores[dense_top], norm)
        if len(lexical):
            b = _normalise(bm25[candidates], bm25[lexical], norm)
        else:
            b = np.zeros(len(candidates), dtype=np.float64)
        fused = alpha * d + (1 - alpha) * b
        order = np.lexsort((candidates, -fused))
        return [int(c) for c in candidates[order[:K]]]

    return fuse


def _normalise(values: npt.NDArray[Any], reference: npt.NDArray[Any], norm: str) -> npt.NDArray[np.float64]:
    values = values.astype(np.float64)
    ref = reference.astype(np.float64)
    low = ref.min()
    values = np.maximum(values, low)  # a candidate outside this ranking's top counts as its worst
    if norm == "minmax":
        span = ref.max() - low
        return (
            (values - low) / span if span > 0 else (values >= low).astype(np.float64)
        )  # as citeqa.index.retrieval.hybrid
    std = ref.std()
    return (values - ref.mean()) / std if std > 0 else np.zeros_like(values)


def _top_positive(scores: npt.NDArray[np.float32], depth: int) -> list[int]:
    """``citeqa.index.retrieval.hybrid._top`` restricted to positive scores (as search_many does)."""
    depth = min(depth, len(scores))
    part = np.argpartition(-scores, depth - 1)[:depth]
    ranked = part[np.argsort(-scores[part], kind="stable")]
    return [int(i) for i in ranked if scores[i] > 0]


def build(beir: Path, index_dir: Path) -> None:
    from citeqa.index.embedding.factory import load_embedder
    from citeqa.index.evaluation.question_sets import load_beir
    from citeqa.index.indexing.build import build_documents
    from citeqa.service.settings import Settings

    settings = Settings()
    qset = load_beir(beir)
    embedder = load_embedder(settings.model, settings.embedding_backend, settings.device)
    started = time.perf_counter()
    report = build_documents(qset.documents, index_dir, embedder, wiring.build_params(settings))
    print(f"built {report} in {time.perf_counter() - started:.0f}s", flush=True)


class Sweep:
    """Everything computed once: document of each chunk, dense ranking and scores, BM25 scores."""

    def __init__(self, beir: Path, index_dir: Path, max_depth: int) -> None:
        from citeqa.index.embedding.factory import load_embedder
        from citeqa.index.evaluation.question_sets import load_beir
        from citeqa.index.store.loader import load_index
        from citeqa.service.settings import Settings

        settings = Settings()
        qset = load_beir(beir)
        embedder = load_embedder(settings.model, settings.embedding_backend, settings.device)
        data = load_index(index_dir, embedder.name, embedder.dimension)
        self.questions = qset.questions
        self.chunk_doc = [c.doc_id for c in data.chunks]
        texts = [q.question for q in qset.questions]
        started = time.perf_counter()
        vectors = embedder.encode(texts, batch_size=64)
        print(f"encoded {len(texts)} queries in {time.perf_counter() - started:.0f}s", flush=True)
        depth = min(max_depth, len(data.chunks))
        _, ids = data.faiss_index.search(np.ascontiguousarray(vectors, dtype=np.float32), depth)
        self.dense_ids = ids.astype(np.int64)
        self.dense_scores = (vectors @ data.vectors.T).astype(np.float32)  # full rows, for score fusion
        self.bm25 = data.lexical.score_many(texts)
        print(f"{len(data.chunks)} chunks, {len(self.questions)} queries", flush=True)

    def evaluate(self, fuse: Fuser) -> dict[str, float]:
        from citeqa.index.evaluation import metrics as m

        totals = {"mrr@10": 0.0, "hit@10": 0.0, "ndcg@10": 0.0}
        for row, q in enumerate(self.questions):
            passages = fuse(self.dense_ids[row], self.bm25[row], self.dense_scores[row])
            ranking = m.first_occurrences(self.chunk_doc[c] for c in passages)
            totals["mrr@10"] += m.reciprocal_rank_at(ranking, q.relevant, K)
            totals["hit@10"] += m.hit_at(ranking, q.relevant, K)
            totals["ndcg@10"] += m.ndcg_at(ranking, q.relevant, K)
        return {name: round(value / len(self.questions), 4) for name, value in totals.items()}


def settings_grid() -> list[tuple[dict[str, Any], Fuser]]:
    grid: list[tuple[dict[str, Any], Fuser]] = []
    for depth in (50, 100):
        for rrf_k in (10, 20, 30, 60, 100):
            for lexical_weight in (0.5, 0.7, 0.85, 1.0, 1.2, 1.5, 2.0):
                label = {"method": "rrf", "depth": depth, "rrf_k": rrf_k, "dense": 1.0, "lexical": lexical_weight}
                grid.append((label, rrf(depth, rrf_k, 1.0, lexical_weight)))
    for depth in (20, 200):
        for rrf_k in (20, 60):
            for lexical_weight in (0.7, 1.0, 1.5):
                label = {"method": "rrf", "depth": depth, "rrf_k": rrf_k, "dense": 1.0, "lexical": lexical_weight}
                grid.append((label, rrf(depth, rrf_k, 1.0, lexical_weight)))
    grid.append(({"method": "rrf", "depth": 50, "rrf_k": 60, "dense": 1.0, "lexical": 0.0}, rrf(50, 60, 1.0, 0.0)))
    grid.append(({"method": "rrf", "depth": 50, "rrf_k": 60, "dense": 0.0, "lexical": 1.0}, rrf(50, 60, 0.0, 1.0)))
    for norm in ("minmax", "zscore"):
        for depth in (50, 100):
            for alpha in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
                grid.append(({"method": norm, "depth": depth, "alpha": alpha}, score_fusion(depth, alpha, norm)))
    return grid


def fine_grid() -> list[tuple[dict[str, Any], Fuser]]:
    """Around the best of ``settings_grid`` (second pass), plus the default for reference."""
    grid: list[tuple[dict[str, Any], Fuser]] = [
        ({"method": "rrf", "depth": 50, "rrf_k": 60, "dense": 1.0, "lexical": 1.0}, rrf(50, 60, 1.0, 1.0))
    ]
    for depth in (50, 100):
        for rrf_k in (2, 5, 10, 15):
            for lexical_weight in (0.75, 0.8, 0.85, 0.9, 0.95):
                label = {"method": "rrf", "depth": depth, "rrf_k": rrf_k, "dense": 1.0, "lexical": lexical_weight}
                grid.append((label, rrf(depth, rrf_k, 1.0, lexical_weight)))
    for norm in ("minmax", "zscore"):
        for depth in (50, 100, 150, 200):
            for alpha in (0.5, 0.55, 0.6, 0.65):
                grid.append(({"method": norm, "depth": depth, "alpha": alpha}, score_fusion(depth, alpha, norm)))
    return grid


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("beir", type=Path, help="BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv)")
    parser.add_argument("--index", type=Path, required=True, help="Index directory (built here with --build)")
    parser.add_argument("--build", action="store_true", help="Build the index with the default settings first.")
    parser.add_argument("--json", type=Path, help="Write every setting's figures here.")
    parser.add_argument("--grid", choices=("coarse", "fine"), default="coarse", help="Settings to try.")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.build:
        build(args.beir, args.index)
    sweep = Sweep(args.beir, args.index, max_depth=200)
    results = []
    for label, fuse in settings_grid() if args.grid == "coarse" else fine_grid():
        figures = sweep.evaluate(fuse)
        results.append({**label, **figures})
        print(json.dumps(results[-1]), flush=True)
    results.sort(key=lambda r: -r["mrr@10"])
    print("\nbest by MRR@10:")
    for r in results[:15]:
        print(json.dumps(r))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
