"""Item 5: search latency and recall@10 against exact search at 10k, 100k and 1M vectors of dimension 384.

The vectors are clustered like sentence embeddings (random unit centres, each vector a perturbed
centre); queries are perturbed copies of stored vectors. The approximate indexes are the ones the
service builds (``citeqa.index.store.dense.make_faiss_index``), with its efSearch / nprobe.
"""

from __future__ import annotations

import time
from typing import Any

import faiss
import numpy as np

from bench.stats import percentiles
from citeqa.index.store.dense import make_faiss_index

DIMENSION = 384
QUERIES = 200


def _unit(a: np.ndarray) -> np.ndarray:
    out: np.ndarray = (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)
    return out


def clustered_vectors(count: int, seed: int = 0, centres_seed: int = 0) -> np.ndarray:
    centres = _unit(np.random.default_rng(centres_seed).standard_normal((1000, DIMENSION), dtype=np.float32))
    rng = np.random.default_rng(seed)
    out = np.empty((count, DIMENSION), dtype=np.float32)
    step = 100_000
    for begin in range(0, count, step):
        n = min(step, count - begin)
        picked = centres[rng.integers(0, len(centres), n)]
        out[begin : begin + n] = _unit(picked + 0.6 * rng.standard_normal((n, DIMENSION), dtype=np.float32) / 19.6)
    return out


def _timed_search(index: Any, queries: np.ndarray, k: int) -> tuple[np.ndarray, list[float]]:
    ids = np.empty((len(queries), k), dtype=np.int64)
    latencies = []
    for row in range(len(queries)):
        started = time.perf_counter()
        _, found = index.search(queries[row : row + 1], k)
        latencies.append((time.perf_counter() - started) * 1000)
        ids[row] = found[0]
    return ids, latencies


def measure(count: int, kinds: tuple[str, ...] = ("hnsw", "ivf")) -> dict[str, Any]:
    vectors = clustered_vectors(count)
    queries = clustered_vectors(QUERIES, seed=1)  # fresh samples of the same distribution, not stored vectors
    started = time.perf_counter()
    exact = faiss.IndexFlatIP(DIMENSION)
    exact.add(vectors)
    result: dict[str, Any] = {"vectors": count, "flat": {"build_s": round(time.perf_counter() - started, 3)}}
    truth, latencies = _timed_search(exact, queries, 10)
    result["flat"].update({"recall@10": 1.0, **percentiles(latencies)})
    for kind in kinds:
        started = time.perf_counter()
        index = make_faiss_index(vectors, kind)
        build_s = time.perf_counter() - started
        found, latencies = _timed_search(index, queries, 10)
        recall = np.mean([len(set(found[i]) & set(truth[i])) / 10 for i in range(QUERIES)])
        result[kind] = {"build_s": round(build_s, 3), "recall@10": round(float(recall), 4), **percentiles(latencies)}
        del index
    return result
