"""The onnx backends: exported locally, cached atomically, vectors compatible with torch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from citeqa.index.embedding.factory import load_embedder
from citeqa.index.errors import EmbedderUnavailable

TEXTS = [
    "what is NSATU?",
    "Japan and NATO seek a next level of cooperation.",
    "Mark Rutte visited Japan on April 8-9, 2025, and met Prime Minister Ishiba " * 12,  # truncated at 256
    "a",
    "Individually Tailored Partnership Program",
]


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def int8(onnx_cache: Path) -> Any:
    return load_embedder(backend="onnx-int8", cache_dir=onnx_cache)


def test_onnx_fp32_reproduces_torch_at_every_length(torch_embedder: Any, int8: Any, onnx_cache: Path) -> None:
    fp32 = load_embedder(backend="onnx", cache_dir=onnx_cache)  # reuses the export made for int8
    reference = torch_embedder.encode(TEXTS)
    batched = fp32.encode(TEXTS, batch_size=2)
    assert fp32.name == torch_embedder.name and fp32.dimension == torch_embedder.dimension == 384
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    assert (batched * reference).sum(axis=1).min() > 0.9999
    single = np.vstack([fp32.encode([t]) for t in TEXTS])
    assert np.allclose(single, batched, atol=1e-5)


def test_int8_stays_close_to_fp32(torch_embedder: Any, int8: Any) -> None:
    cosine = (int8.encode(TEXTS) * torch_embedder.encode(TEXTS)).sum(axis=1)
    assert cosine.min() > 0.99 and cosine.mean() > 0.995
    assert int8.encode([]).shape == (0, 384)


def test_int8_vectors_do_not_depend_on_batch_padding_or_parallel_calls(int8: Any, onnx_cache: Path) -> None:
    """Per-token activation scales: a text's int8 vector is the same alone, padded in a batch, or in bulk."""
    alone = np.vstack([int8.encode([t]) for t in TEXTS])
    assert np.array_equal(int8.encode(TEXTS, batch_size=len(TEXTS)), alone)
    bulk = load_embedder(backend="onnx-int8", cache_dir=onnx_cache)
    many = TEXTS * 7
    assert np.array_equal(bulk.encode(many, batch_size=2), np.vstack([alone] * 7))


def test_export_is_cached_and_published_whole(int8: Any, onnx_cache: Path) -> None:
    exports = [p for p in onnx_cache.iterdir() if p.is_dir()]  # besides the cached file digests
    assert len(exports) == 1 and not exports[0].name.startswith(".")
    assert {"model.onnx", "model.int8.onnx", "tokenizer.json", "export.json"} <= {p.name for p in exports[0].iterdir()}
    before = (exports[0] / "model.int8.onnx").stat().st_mtime_ns
    load_embedder(backend="onnx-int8", cache_dir=onnx_cache)
    assert (exports[0] / "model.int8.onnx").stat().st_mtime_ns == before


@pytest.mark.parametrize(
    ("backend", "device", "message"),
    [
        ("onnx-int8", "mps", "not supported by the onnx backends"),
        ("onnx", "cuda", "needs onnxruntime-gpu"),
        ("torch", "cuda", "not available"),
        ("torch", "tpu", "unknown device"),
        ("tensorflow", "cpu", "unknown embedding backend"),
    ],
)
def test_unusable_backend_or_device_is_refused(backend: str, device: str, message: str, onnx_cache: Path) -> None:
    with pytest.raises(EmbedderUnavailable, match=message):
        load_embedder(backend=backend, device=device, cache_dir=onnx_cache)


def test_question_vectors_do_not_depend_on_what_else_is_in_the_batch(embedder: Any) -> None:
    """Micro-batching must not change answers: the default question backend is batch-independent."""
    question = ["Who won best actress for Maria Full of Grace?"]
    alone = embedder.encode(question)[0]
    crowded = embedder.encode(question + [t * 3 for t in TEXTS])[0]
    assert np.allclose(alone, crowded, atol=1e-5)
