"""FAISS files: vectors kept as .npy (the source for incremental rebuilds) and a FAISS index."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from citeqa.index.domain import Vectors
from citeqa.index.errors import InvalidInput
from citeqa.index.store.kinds import IndexKind, choose_kind

__all__ = [
    "FAISS_FILE",
    "VECTORS_FILE",
    "SearchParams",
    "apply_search_params",
    "default_nprobe",
    "ivf_lists",
    "load_faiss",
    "load_vectors",
    "make_faiss_index",
    "save_vectors",
    "search_params_of",
    "set_blas_queries",
    "set_search_threads",
]

VECTORS_FILE = "vectors.npy"
FAISS_FILE = "index.faiss"
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 512  # 1M vectors: recall@10 0.96 / 0.99 (128: 0.90 / 0.96; bench/results/scale-1m-hnsw.json)
IVF_TRAIN_PER_LIST = 64
IVF_PROBE_DIVISOR = 32  # 1,000 lists at 1M vectors: 32 probes (bench/results/scale-1m.json)
IVF_MIN_PROBES = 32  # at 20k vectors (141 lists) 16 probes gave recall@10 0.92 on question-like queries (tests)


@dataclass(frozen=True)
class SearchParams:
    """Query-time parameters of the approximate indexes; ``None`` keeps the value stored in the index file.

    ``nprobe``: IVF lists scanned per query (more: higher recall, slower); ``ef_search``: HNSW candidate
    list length (more: higher recall, slower). A flat index has neither and ignores them.
    """

    nprobe: int | None = None
    ef_search: int | None = None

    def __post_init__(self) -> None:
        for name in ("nprobe", "ef_search"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise InvalidInput(f"{name} must be at least 1 (got {value})")


def set_search_threads(count: int) -> None:
    """OpenMP threads per FAISS call. One thread per search avoids the contention that made a single
    exact search over 10k vectors take 56 ms instead of 1 ms on a busy 2-core machine (bench/scale.py)."""
    faiss.omp_set_num_threads(max(1, count))


BLAS_QUERIES = 4


def set_blas_queries(queries: int, dimension: int) -> None:
    """Exact searches of at least ``queries`` questions at once (``dimension``-wide vectors) compute their
    inner products as one matrix product (BLAS), fewer one vector at a time.

    FAISS switches at ``distance_compute_blas_threshold``, in questions x dimensions, 128,000 by default in
    FAISS 1.15: 333 questions of 384 dimensions, so a micro-batch of 4-32 questions was scored one by one.
    On this machine (one thread, 9,211 vectors of 384, top 200, the same passages either way;
    ``bench/faiss_blas.py``, ``bench/results/faiss-blas.json``): 16 questions 8.6 ms one by one, 2.5 ms as
    one product; 4 questions 2.1 against 1.4 ms; 1-3 questions are as fast or faster one by one (0.5, 1.1
    and 1.6 ms against 1.4, 1.4 and 1.6). Global to the process, like FAISS's thread count; IVF's coarse quantizer
    uses it too.
    """
    faiss.cvar.distance_compute_blas_threshold = max(1, queries) * dimension


def ivf_lists(count: int) -> int:
    """IVF lists for ``count`` vectors: sqrt(n), between 1 and 4096 (1,000 at 1M vectors)."""
    return max(1, min(4096, int(np.sqrt(count))))


def default_nprobe(lists: int) -> int:
    """Lists probed by default: 1/32 of them, at least 32 (all of them when there are fewer).

    At 1M vectors 32 of 1,000 lists gave recall@10 0.97-0.99 at p50 1.5-1.8 ms on one core; 50 lists
    0.975-0.999 at 2-6 ms, the upper end past the 5 ms budget when the machine was busy (bench/scale.py).
    """
    return min(lists, max(lists // IVF_PROBE_DIVISOR, IVF_MIN_PROBES))


def make_faiss_index(vectors: Vectors, kind: str = IndexKind.FLAT) -> Any:
    """An inner-product FAISS index over unit ``vectors`` (n x d float32; inner product = cosine).

    ``ivf``: sqrt(n) lists of fp16 codes (half the fp32 bytes; 8-bit codes lost 1.5% recall@10 at 1M
    vectors for no speed gain, bench/scale.py), lists trained on 64 vectors each; ``hnsw``: M=32 over
    fp32 vectors, efSearch 512. Their query-time parameters (nprobe, efSearch) are stored in the file and can be
    overridden at load time (``SearchParams``). Raises ``InvalidInput`` for an unknown kind.
    """
    dimension = vectors.shape[1]
    resolved = choose_kind(kind, len(vectors))
    index: Any
    if resolved is IndexKind.HNSW:
        index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    elif resolved is IndexKind.IVF:
        lists = ivf_lists(len(vectors))
        quantizer = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIVFScalarQuantizer(
            quantizer, dimension, lists, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
        )
        # k-means on a sample: training on all 1M vectors takes minutes for no measured recall gain
        sample = np.random.default_rng(0).permutation(len(vectors))[: IVF_TRAIN_PER_LIST * lists]
        index.train(vectors[np.sort(sample)])
        index.nprobe = default_nprobe(lists)
    else:
        index = faiss.IndexFlatIP(dimension)
    if len(vectors):
        index.add(vectors)
    return index


def apply_search_params(index: Any, params: SearchParams) -> None:
    """Set ``params`` on a loaded FAISS ``index`` in place (nprobe on IVF, efSearch on HNSW)."""
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is not None and params.nprobe is not None:
        ivf.nprobe = params.nprobe
    if isinstance(index, faiss.IndexHNSW) and params.ef_search is not None:
        index.hnsw.efSearch = params.ef_search


def search_params_of(index: Any) -> dict[str, int | str]:
    """The structure and query-time parameters of a FAISS ``index``: ``{"kind": "ivf", "lists": 1000, "nprobe": 32}``,
    ``{"kind": "hnsw", "m": 32, "ef_search": 512}`` or ``{"kind": "flat"}``."""
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is not None:
        return {"kind": IndexKind.IVF.value, "lists": int(ivf.nlist), "nprobe": int(ivf.nprobe)}
    if isinstance(index, faiss.IndexHNSW):
        return {
            "kind": IndexKind.HNSW.value,
            "m": int(index.hnsw.nb_neighbors(1)),  # type: ignore[attr-defined]
            "ef_search": int(index.hnsw.efSearch),
        }
    return {"kind": IndexKind.FLAT.value}


def save_vectors(vectors: Vectors, directory: Path, kind: str) -> list[str]:
    """Write the vectors and their FAISS index; returns the file names written."""
    np.save(directory / VECTORS_FILE, vectors, allow_pickle=False)
    faiss.write_index(make_faiss_index(vectors, kind), str(directory / FAISS_FILE))
    return [VECTORS_FILE, FAISS_FILE]


def load_vectors(directory: Path, index: Any = None) -> Vectors:
    """The chunk vectors ``(chunks, dimension)`` float32, read-only.

    When ``index`` (the loaded FAISS index of ``directory``) holds them as they are (flat, or HNSW over
    flat storage), a view of its memory: the ~14 MB of the whole BBC corpus once, not a second
    time in the pages of ``vectors.npy`` that re-scoring touches (a page fault maps its neighbours too,
    so a few hundred rows a question made the whole file resident). Otherwise (IVF stores fp16 codes)
    ``vectors.npy`` memory-mapped: only the pages of the rows read come into memory. The view is
    valid while ``index`` lives (``IndexData`` holds both).
    """
    stored: Vectors = np.load(directory / VECTORS_FILE, mmap_mode="r", allow_pickle=False)
    held = _flat_vectors(index) if index is not None else None
    return held if held is not None and held.shape == stored.shape else stored


def _flat_vectors(index: Any) -> Vectors | None:
    """A read-only view of the float32 vectors a flat (or HNSW-over-flat) FAISS index stores, else None.
    The view's base holds ``index``, so the memory lives as long as the view."""
    storage = faiss.downcast_index(index.storage) if isinstance(index, faiss.IndexHNSW) else index
    if not isinstance(storage, faiss.IndexFlat) or storage.ntotal == 0:
        return None
    shape = (int(storage.ntotal), int(storage.d))
    address = faiss.rev_swig_ptr(storage.get_xb(), shape[0] * shape[1]).__array_interface__["data"][0]
    return np.asarray(_Owned(index, {"shape": shape, "typestr": "<f4", "data": (address, True), "version": 3}))


class _Owned:
    """Memory of a FAISS index seen by numpy (``__array_interface__``), keeping the index alive."""

    def __init__(self, owner: Any, interface: dict[str, Any]) -> None:
        self.owner = owner
        self.__array_interface__ = interface


def load_faiss(directory: Path, params: SearchParams | None = None) -> Any:
    """The FAISS index of ``directory`` as written (no rebuild), with ``params`` applied when given."""
    index = faiss.read_index(str(directory / FAISS_FILE))
    if params is not None:
        apply_search_params(index, params)
    return index
