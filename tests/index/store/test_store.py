"""FAISS index kinds: the approximate ones keep recall@10 >= 0.95 against exact search, with their
query-time parameters stored in the file and overridable when it is loaded."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from citeqa.index.errors import InvalidInput
from citeqa.index.store.dense import (
    HNSW_EF_SEARCH,
    SearchParams,
    default_nprobe,
    ivf_lists,
    load_faiss,
    load_vectors,
    make_faiss_index,
    save_vectors,
    search_params_of,
    set_blas_queries,
    set_search_threads,
)
from citeqa.index.store.kinds import choose_kind
from citeqa.index.store.sentences import StoredRows


def _unit(a: np.ndarray) -> np.ndarray:
    return (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)


def _like_sentences(count: int, seed: int, noise: float) -> np.ndarray:
    """Vectors with a decaying spectrum, between 2,000 anchors rather than in well-separated clusters."""
    scales = (1.0 / np.sqrt(np.arange(1, 385))).astype(np.float32)
    anchors = _unit(np.random.default_rng(0).standard_normal((2000, 384), dtype=np.float32) * scales)
    rng = np.random.default_rng(seed)
    near, far = rng.integers(0, 2000, count), rng.integers(0, 2000, count)
    part = 0.3 * rng.random((count, 1), dtype=np.float32)
    jitter = noise * rng.standard_normal((count, 384), dtype=np.float32) * scales
    return _unit(anchors[near] + part * (anchors[far] - anchors[near]) + jitter)


def _recall(index: faiss.Index, queries: np.ndarray, truth: np.ndarray) -> float:
    _, found = index.search(queries, 10)
    return float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth, strict=True)]))


@pytest.fixture(scope="module")
def vectors_and_truth() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """20,000 stored vectors, 200 queries noisier than them (like questions against chunks), exact top 10."""
    vectors, queries = _like_sentences(20_000, 1, 0.1), _like_sentences(200, 2, 0.2)
    set_search_threads(1)
    exact = faiss.IndexFlatIP(384)
    exact.add(vectors)
    return vectors, queries, exact.search(queries, 10)[1]


def test_a_batch_scored_as_one_matrix_product_finds_what_one_by_one_finds(
    vectors_and_truth: tuple[np.ndarray, ...],
) -> None:
    vectors, queries, _ = vectors_and_truth
    exact = faiss.IndexFlatIP(384)
    exact.add(vectors)
    try:
        set_blas_queries(100_000, 384)
        one_by_one = exact.search(queries[:16], 50)
        set_blas_queries(4, 384)
        assert faiss.cvar.distance_compute_blas_threshold == 4 * 384
        batched = exact.search(queries[:16], 50)
    finally:
        set_blas_queries(4, 384)
    assert np.allclose(batched[0], one_by_one[0], atol=1e-5)
    # equal scores may swap places; every id of one is in the other
    assert all(set(a) == set(b) for a, b in zip(batched[1], one_by_one[1], strict=True))


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_approximate_recall_at_10(kind: str, vectors_and_truth: tuple[np.ndarray, ...]) -> None:
    vectors, queries, truth = vectors_and_truth
    index = make_faiss_index(vectors, kind)
    assert _recall(index, queries, truth) >= 0.95
    # the query-time parameter is what buys it: one probe / a one-entry candidate list falls far short
    if kind == "ivf":
        index.nprobe = 1
    else:
        index.hnsw.efSearch = 1
    assert _recall(index, queries, truth) < 0.8


def test_ivf_stores_fp16_codes_and_its_nprobe(tmp_path: Path) -> None:
    vectors = _like_sentences(5_000, 3, 0.1)
    save_vectors(vectors, tmp_path, "ivf")
    index = load_faiss(tmp_path)
    assert isinstance(index, faiss.IndexIVFScalarQuantizer)
    assert index.code_size == 768  # two bytes a dimension: half the fp32 vectors
    assert search_params_of(index) == {"kind": "ivf", "lists": 70, "nprobe": default_nprobe(70)}
    assert ivf_lists(1_000_000) == 1000 and default_nprobe(1000) == 32 and default_nprobe(4096) == 128


@pytest.mark.parametrize(("kind", "held"), [("flat", True), ("hnsw", True), ("ivf", False)])
def test_loaded_vectors_are_the_faiss_index_s_own_when_it_stores_them_as_they_are(
    tmp_path: Path, kind: str, held: bool
) -> None:
    vectors = _like_sentences(3_000, 3, 0.1)
    save_vectors(vectors, tmp_path, kind)
    loaded = load_vectors(tmp_path, load_faiss(tmp_path))
    assert np.array_equal(loaded, vectors) and not loaded.flags.writeable
    assert isinstance(loaded, np.memmap) is not held  # IVF keeps fp16 codes: the rows come from vectors.npy


@pytest.mark.parametrize(
    ("kind", "params", "expected"),
    [
        ("ivf", SearchParams(nprobe=7), {"nprobe": 7}),
        ("ivf", SearchParams(ef_search=300), {"nprobe": default_nprobe(44)}),
        ("hnsw", SearchParams(ef_search=300), {"ef_search": 300}),
        ("hnsw", SearchParams(nprobe=7), {"ef_search": HNSW_EF_SEARCH}),
        ("flat", SearchParams(nprobe=7, ef_search=300), {"kind": "flat"}),
    ],
)
def test_search_params_reach_the_loaded_index(
    kind: str, params: SearchParams, expected: dict[str, int | str], tmp_path: Path
) -> None:
    save_vectors(_like_sentences(2_000, 4, 0.1), tmp_path, kind)
    loaded = search_params_of(load_faiss(tmp_path, params))
    assert expected.items() <= loaded.items()


@pytest.mark.parametrize("field", ["nprobe", "ef_search"])
def test_a_search_param_below_one_is_refused(field: str) -> None:
    with pytest.raises(InvalidInput, match=f"{field} must be at least 1"):
        SearchParams(**{field: 0})


@pytest.mark.parametrize(
    ("kind", "count", "expected"),
    [("auto", 10, "flat"), ("auto", 24_999, "flat"), ("auto", 25_000, "ivf"), ("hnsw", 5, "hnsw")],
)
def test_choose_kind(kind: str, count: int, expected: str) -> None:
    assert choose_kind(kind, count) == expected


@pytest.mark.parametrize(
    "rows",
    [[], [0], [7, 3, 3, 4, 5, 19], list(range(20)), [19, 0]],
    ids=["none", "first", "unsorted-with-repeats", "all", "last-and-first"],
)
def test_stored_rows_read_what_the_file_holds_in_the_order_asked(tmp_path: Path, rows: list[int]) -> None:
    table = np.arange(20 * 6, dtype=np.float16).reshape(20, 6)
    np.save(tmp_path / "rows.npy", table)
    stored = StoredRows(tmp_path / "rows.npy")
    assert stored.shape == (20, 6) and stored.dtype == np.float16
    wanted = np.asarray(rows, dtype=np.int64)
    assert np.array_equal(stored.read(wanted), table[wanted])
