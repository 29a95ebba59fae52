"""The onnx backends: exported locally, cached atomically, vectors compatible with torch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.embedding import load_embedder
from index.errors import EmbedderUnavailable

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


def test_onnx_fp32_reproduces_torch_at_every_length(embedder: Any, int8: Any, onnx_cache: Path) -> None:
    fp32 = load_embedder(backend="onnx", cache_dir=onnx_cache)  # reuses the export made for int8
    reference = embedder.encode(TEXTS)
    batched = fp32.encode(TEXTS, batch_size=2)
    assert fp32.name == embedder.name and fp32.dimension == embedder.dimension == 384
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    assert (batched * reference).sum(axis=1).min() > 0.9999
    single = np.vstack([fp32.encode([t]) for t in TEXTS])
    assert np.allclose(single, batched, atol=1e-5)


def test_int8_stays_close_to_fp32(embedder: Any, int8: Any) -> None:
    cosine = (int8.encode(TEXTS) * embedder.encode(TEXTS)).sum(axis=1)
    assert cosine.min() > 0.97 and cosine.mean() > 0.985
    assert int8.encode([]).shape == (0, 384)


def test_export_is_cached_and_published_whole(int8: Any, onnx_cache: Path) -> None:
    exports = [p for p in onnx_cache.iterdir()]
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
