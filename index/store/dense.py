"""FAISS files: vectors kept as .npy (the source for incremental rebuilds) and a FAISS index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import faiss
import numpy as np

from citeqa.index.domain import Vectors
from citeqa.index.store.kinds import IndexKind, choose_kind

VECTORS_FILE = "vectors.npy"
FAISS_FILE = "index.faiss"
IVF_PROBE_DIVISOR = 8
IVF_MIN_PROBES = 32  # at 10k vectors (100 lists) 12 probes gave recall@10 0.934, below the 0.95 floor


def set_search_threads(count: int) -> None:
    """OpenMP threads per FAISS call. One thread per search avoids the contention that made a single
    exact search over 10k vectors take 56 ms instead of 1 ms on a busy 2-core machine (bench/scale.py)."""
    faiss.omp_set_num_threads(max(1, count))


def make_faiss_index(vectors: Vectors, kind: str = IndexKind.FLAT) -> Any:
    """An inner-product FAISS index over unit vectors (inner product = cosine)."""
    dimension = vectors.shape[1]
    resolved = choose_kind(kind, len(vectors))
    index: Any
    if resolved is IndexKind.HNSW:
        index = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    elif resolved is IndexKind.IVF:
        # sqrt(n) lists trained on a sample of 64 vectors per list (k-means on all 1M vectors takes minutes);
        # probing 1/8 of the lists (at least 32) keeps recall@10 >= 0.95 (bench/scale.py)
        lists = max(1, min(4096, int(np.sqrt(len(vectors)))))
        quantizer = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(0).permutation(len(vectors))[: 64 * lists]
        index.train(vectors[np.sort(sample)])
        index.nprobe = max(lists // IVF_PROBE_DIVISOR, min(lists, IVF_MIN_PROBES))
    else:
        index = faiss.IndexFlatIP(dimension)
    if len(vectors):
        index.add(vectors)
    return index


def save_vectors(vectors: Vectors, directory: Path, kind: str) -> list[str]:
    """Write the vectors and their FAISS index; returns the file names written."""
    np.save(directory / VECTORS_FILE, vectors, allow_pickle=False)
    faiss.write_index(make_faiss_index(vectors, kind), str(directory / FAISS_FILE))
    return [VECTORS_FILE, FAISS_FILE]


def load_vectors(directory: Path) -> Vectors:
    loaded: Vectors = np.load(directory / VECTORS_FILE, allow_pickle=False)
    return loaded


def load_faiss(directory: Path) -> Any:
    return faiss.read_index(str(directory / FAISS_FILE))
