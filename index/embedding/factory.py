"""The one place an embedding backend is chosen by name: ``load_embedder``."""

from __future__ import annotations

from pathlib import Path

from citeqa.index.embedding.base import DEFAULT_MODEL, Backend, Embedder
from citeqa.index.errors import EmbedderUnavailable, InvalidInput

__all__ = ["load_embedder"]


def load_embedder(
    name: str = DEFAULT_MODEL,
    backend: str = Backend.TORCH,
    device: str = "cpu",
    cache_dir: Path | None = None,
) -> Embedder:
    """The embedding backend named by the settings; ``cache_dir`` holds the onnx backends' exports."""
    try:
        chosen = Backend.from_str(str(backend))
    except InvalidInput as exc:
        raise EmbedderUnavailable(exc.message) from None
    if chosen is Backend.TORCH:
        from citeqa.index.embedding.torch_backend import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(name, device=device, cache_dir=cache_dir)
    from citeqa.index.embedding.onnx_backend import OnnxEmbedder

    return OnnxEmbedder(name, quantize=chosen is Backend.ONNX_INT8, device=device, cache_dir=cache_dir)
