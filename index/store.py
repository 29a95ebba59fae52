"""FAISS files: vectors kept as .npy (the source for incremental rebuilds) and a FAISS index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.embedding import Vectors

VECTORS_FILE = "vectors.npy"
FAISS_FILE = "index.faiss"
INDEX_KINDS = ("auto", "flat", "hnsw", "ivf")
AUTO_APPROXIMATE_FROM = 200_000


def choose_kind(kind: str, count: int) -> str:
    """``auto`` is exact search below 200,000 vectors and HNSW from there on."""
    if kind not in INDEX_KINDS:
        raise ValueError(f"unknown index kind {kind!r}: use one of {', '.join(INDEX_KINDS)}")
    if kind == "auto":
        return "hnsw" if count >= AUTO_APPROXIMATE_FROM else "flat"
    return kind


def make_faiss_index(vectors: Vectors, kind: str = "flat") -> Any:
    """An inner-product FAISS index over unit vectors (inner product = cosine)."""
    dimension = vectors.shape[1]
    resolved = choose_kind(kind, len(vectors))
    index: Any
    if resolved == "hnsw":
        index = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    elif resolved == "ivf":
        lists = max(1, min(4096, int(4 * np.sqrt(len(vectors)))))
        quantizer = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
        index.train(vectors)
        index.nprobe = max(1, lists // 16)
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
