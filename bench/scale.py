"""Item 5: approximate search at scale: recall@10 against exact search, per-query latency on one core,
build time and memory, for 384-d vectors shaped like sentence embeddings, up to 1M.

The vectors (``derived_vectors``): real chunk vectors of the whole-BBC index (9,211) are the base; each
generated vector is a base vector moved a random fraction of the way to one of its 10 nearest
neighbours, plus Gaussian noise with the base set's covariance (x0.5), unit-normalised. So the set has
the base's spectrum (90% of the variance in ~160 dimensions, against 166 for the real chunks) and no
cluster structure of its own for IVF to find. The queries are real: eval questions and BBC headlines
embedded by the query model. (The earlier generator, 1,000 random well-separated centres, matched
sqrt(1M) = 1,000 IVF lists so exactly that one probe gave recall@10 0.98.)
"""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from bench.corpora import WORK, headlines, questions
from bench.stats import percentiles
from citeqa.index.indexing.build import build_index
from citeqa.index.store.dense import make_faiss_index, search_params_of, set_search_threads
from citeqa.index.store.kinds import choose_kind
from citeqa.index.store.loader import load_index

NOISE = 0.5
NEIGHBOURS = 10
K = 10
BUILD_THREADS = 2
FLAT_TIMED = 100  # exact search takes ~0.1 s a query at 1M: its latency is timed on this many queries
ROUNDS = 3  # the machine is shared: latency is the median of rounds
WARM_UP = 20


def _unit(a: np.ndarray) -> np.ndarray:
    out: np.ndarray = (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)
    return out


def derived_vectors(base: np.ndarray, count: int, seed: int = 1) -> np.ndarray:
    """``count`` unit vectors (count x d float32) on the manifold of the unit ``base`` vectors (see module doc)."""
    rng = np.random.default_rng(seed)
    exact = faiss.IndexFlatIP(base.shape[1])
    exact.add(base)
    _, neighbours = exact.search(base, NEIGHBOURS + 1)
    _, spread, axes = np.linalg.svd(base - base.mean(axis=0), full_matrices=False)
    shape = (NOISE * spread[:, None] / np.sqrt(len(base)) * axes).astype(np.float32)
    out = np.empty((count, base.shape[1]), dtype=np.float32)
    for begin in range(0, count, 100_000):
        n = min(100_000, count - begin)
        near = rng.integers(0, len(base), n)
        far = neighbours[near, rng.integers(1, NEIGHBOURS + 1, n)]
        part = rng.random(n, dtype=np.float32)[:, None]
        noise = rng.standard_normal((n, len(spread)), dtype=np.float32) @ shape
        out[begin : begin + n] = _unit(base[near] + part * (base[far] - base[near]) + noise)
    return out


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * 4096 / 1e6


def _timed_search(index: Any, queries: np.ndarray) -> tuple[np.ndarray, list[float]]:
    ids = np.empty((len(queries), K), dtype=np.int64)
    latencies = []
    for row in range(len(queries)):
        started = time.perf_counter()
        _, found = index.search(queries[row : row + 1], K)
        latencies.append((time.perf_counter() - started) * 1000)
        ids[row] = found[0]
    return ids, latencies


def _recall(found: np.ndarray, truth: np.ndarray) -> float:
    return round(float(np.mean([len(set(a) & set(b)) / K for a, b in zip(found, truth, strict=True)])), 4)


def _quality(index: Any, queries: dict[str, np.ndarray], truth: dict[str, np.ndarray]) -> dict[str, Any]:
    """recall@10 per query set; latency percentiles over all queries, one thread, median of ``ROUNDS``
    rounds (each after a warm-up pass), with every round's p50."""
    set_search_threads(1)
    out: dict[str, Any] = {}
    rounds: list[dict[str, float]] = []
    for _ in range(ROUNDS):
        latencies: list[float] = []
        for name, vectors in queries.items():
            _timed_search(index, vectors[:WARM_UP])
            found, timed = _timed_search(index, vectors)
            out[f"recall@10_{name}"] = _recall(found, truth[name])
            latencies += timed
        rounds.append(percentiles(latencies))
    medians = {key: round(float(np.median([r[key] for r in rounds])), 3) for key in rounds[0] if key != "n"}
    return {**out, "n": rounds[0]["n"], **medians, "rounds_p50_ms": [r["p50_ms"] for r in rounds]}


def _built(vectors: np.ndarray, kind: str) -> tuple[Any, dict[str, Any]]:
    set_search_threads(BUILD_THREADS)
    gc.collect()
    before, started = _rss_mb(), time.perf_counter()
    index = make_faiss_index(vectors, kind)
    build_s = time.perf_counter() - started
    report = {
        "build_s": round(build_s, 2),
        "build_threads": BUILD_THREADS,
        "index_bytes": int(faiss.serialize_index(index).size),
        "rss_delta_mb": round(_rss_mb() - before, 1),
        **search_params_of(index),
    }
    return index, report


def _sweep(index: Any, queries: dict[str, np.ndarray], truth: dict[str, np.ndarray], values: list[int]) -> list[Any]:
    """recall and latency at other query-time parameter values (nprobe or efSearch)."""
    name = "nprobe" if faiss.try_extract_index_ivf(index) is not None else "efSearch"
    ivf = faiss.try_extract_index_ivf(index)
    rows = []
    for value in values:
        if ivf is not None:
            ivf.nprobe = value
        else:
            index.hnsw.efSearch = value
        rows.append({name: value, **_quality(index, queries, truth)})
    return rows


def measure(
    base: np.ndarray,
    count: int,
    queries: dict[str, np.ndarray],
    kinds: tuple[str, ...] = ("auto",),
    sweep: tuple[int, ...] = (),
    real: bool = False,
) -> dict[str, Any]:
    """Exact search next to each of ``kinds`` (``auto``: the service's choice) over ``count`` derived vectors,
    or over the ``base`` vectors themselves when ``real``.

    ``queries``: named sets of unit query vectors (m x d). ``sweep``: other nprobe / efSearch values to
    measure the chosen index at. Latencies are per query on one thread; builds use two.
    """
    vectors = base if real else derived_vectors(base, count)
    count = len(vectors)
    set_search_threads(BUILD_THREADS)
    exact, flat = _built(vectors, "flat")
    truth = {name: exact.search(q, K)[1] for name, q in queries.items()}
    timed = {name: q[: FLAT_TIMED // len(queries)] for name, q in queries.items()}
    flat.update(_quality(exact, timed, {name: t[: len(timed[name])] for name, t in truth.items()}))
    del exact
    result: dict[str, Any] = {"vectors": count, "real": real, "queries": {n: len(q) for n, q in queries.items()}}
    result["flat"] = flat
    for kind in kinds:
        index, report = _built(vectors, kind)
        report.update(_quality(index, queries, truth))
        if sweep and choose_kind(kind, count) != "flat":
            report["sweep"] = _sweep(index, queries, truth, list(sweep))
        result[kind] = report
        del index
    return result


def query_sets(embedder: Any) -> dict[str, np.ndarray]:
    """Real queries, none used to choose the defaults: bbc_dev and holdout questions, 1,000 BBC headlines.

    (The nprobe default was chosen on bbc_train_a/b questions and the first 1,000 headlines.)
    """
    texts = {
        "questions": [q["question"] for name in ("bbc_dev", "bbc_holdout") for q in questions(name)],
        "headlines": headlines(2000)[1000:],
    }
    return {name: np.asarray(embedder.encode(batch), dtype=np.float32) for name, batch in texts.items()}


def base_vectors(index_dir: Path | None, corpus: Path, embedder: Any, params: Any) -> np.ndarray:
    """The chunk vectors of a built index (``index_dir``), or of the whole BBC corpus built into bench/work."""
    if index_dir is None:
        index_dir = WORK / "index-scale-base"
        build_index(corpus, index_dir, embedder, params, warn=lambda _: None)
    return np.asarray(load_index(index_dir).vectors, dtype=np.float32)


def run(
    counts: list[int],
    index_dir: Path | None,
    corpus: Path,
    embedder: Any,
    params: Any,
    sweep: tuple[int, ...],
    real: bool = False,
    kinds: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """``measure`` at each count: ``kinds`` (default: the service's ``auto`` choice, and HNSW too up to 100k
    vectors); with ``real``, IVF and HNSW over the real chunk vectors first (below ``auto``'s IVF threshold)."""
    base = base_vectors(index_dir, corpus, embedder, params)
    queries = query_sets(embedder)
    results = [measure(base, len(base), queries, ("ivf", "hnsw"), real=True)] if real else []
    for count in counts:
        measured = kinds or (("auto", "hnsw") if count <= 100_000 else ("auto",))
        results.append(measure(base, count, queries, measured, sweep if count >= 1_000_000 else ()))
        print(f"  scale {count}: {results[-1]}", flush=True)
    return results
