"""Exact FAISS search of a micro-batch: one question at a time or one matrix product (BLAS)?

FAISS scores a batch one query vector at a time below ``distance_compute_blas_threshold`` (questions
x dimensions; 128,000 by default in FAISS 1.15, so 333 questions of 384 dimensions) and as one matrix
product from it on. The server's micro-batches hold 1-32 questions. This times both ways on an
index's own FAISS file and questions embedded by its model, one FAISS thread (the service's
``CITEQA_FAISS_THREADS=1``), at each batch size: wall and CPU ms per batch (medians of ``--repeats``),
and whether the two ways return the same passages (top ``--depth``, as retrieval asks). Results:
``bench/results/faiss-blas.json``; the setting is ``CITEQA_FAISS_BLAS_QUERIES``.

Example (the figures in ``citeqa.index.store.dense.set_blas_queries``):
    HF_HUB_OFFLINE=1 .venv/bin/python bench/faiss_blas.py --index /work/measure/bbc-index \\
        ../shared/eval/bbc_train_a.jsonl ../shared/eval/bbc_train_b.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (1, 2, 3, 4, 8, 16, 32)
ONE_BY_ONE = 100_000  # questions: more than any batch, so FAISS never uses BLAS


def _time(search, queries: np.ndarray, depth: int, repeats: int) -> tuple[float, float]:
    """Median wall and CPU ms of ``search(queries, depth)`` over ``repeats`` calls."""
    wall, cpu = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        search(queries, depth)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return round(float(np.median(wall)) * 1000, 3), round(float(np.median(cpu)) * 1000, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", type=Path, nargs="+", help="JSONL files with a `question` field")
    parser.add_argument("--index", type=Path, default=Path("data/index"))
    parser.add_argument("--depth", type=int, default=200, help="passages per question (retrieval's depth)")
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/faiss-blas.json")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from citeqa.index.store.dense import BLAS_QUERIES, set_blas_queries, set_search_threads
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    engine = load_engine(Settings(index_dir=args.index))
    index = engine.data.faiss_index
    texts = [json.loads(line)["question"] for f in args.questions for line in f.read_text().splitlines() if line]
    vectors = np.ascontiguousarray(engine.embedder.encode(texts[: max(SIZES) * 4]), dtype=np.float32)
    dimension = vectors.shape[1]
    set_search_threads(1)
    rows = []
    for size in SIZES:
        batch = vectors[:size]
        row: dict[str, object] = {"questions": size}
        found = {}
        for label, queries in (("one_by_one", ONE_BY_ONE), ("blas", 1)):
            set_blas_queries(queries, dimension)
            row[f"{label}_wall_ms"], row[f"{label}_cpu_ms"] = _time(index.search, batch, args.depth, args.repeats)
            found[label] = index.search(batch, args.depth)[1]
        row["same_passages"] = all(set(a) == set(b) for a, b in zip(found["one_by_one"], found["blas"], strict=True))
        rows.append(row)
        print(row, flush=True)
    set_blas_queries(BLAS_QUERIES, dimension)
    out = {
        "index": str(args.index),
        "vectors": int(index.ntotal),
        "dimension": dimension,
        "depth": args.depth,
        "repeats": args.repeats,
        "faiss_threads": 1,
        "default_blas_queries": BLAS_QUERIES,
        "rows": rows,
    }
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
