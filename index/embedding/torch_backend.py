"""The sentence-transformers (PyTorch) embedding backend, on ``cpu``, ``cuda`` or ``mps``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from citeqa.index.domain import Vectors
from citeqa.index.embedding.base import DEFAULT_MODEL, public_name, resolve_model_path
from citeqa.index.embedding.digest import model_digest
from citeqa.index.errors import EmbedderUnavailable

__all__ = ["SentenceTransformerEmbedder", "check_torch_device"]


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

    def __init__(self, name: str = DEFAULT_MODEL, device: str = "cpu", cache_dir: Path | None = None) -> None:
        """``cache_dir`` keeps the cached file hashes of the model's content digest (``digest``)."""
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

        check_torch_device(device)
        path = resolve_model_path(name)
        local = Path(path).is_dir()
        self.name = public_name(name)
        self.digest = model_digest(Path(path), cache_dir)
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
