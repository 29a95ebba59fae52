"""Which FAISS structure holds the vectors: ``IndexKind`` and the ``auto`` rule."""

from __future__ import annotations

from citeqa.index.domain import Choice

__all__ = ["AUTO_APPROXIMATE_FROM", "IndexKind", "choose_kind"]

AUTO_APPROXIMATE_FROM = 200_000


class IndexKind(Choice):
    """``flat`` (exact), ``hnsw``, ``ivf``, or ``auto`` (exact below 200,000 vectors, IVF above)."""

    AUTO = "auto"
    FLAT = "flat"
    HNSW = "hnsw"
    IVF = "ivf"

    @classmethod
    def label(cls) -> str:
        return "index kind"


def choose_kind(kind: str, count: int) -> IndexKind:
    """The structure for ``count`` vectors: ``auto`` is exact search below 200,000 vectors, IVF from there on.

    IVF rather than HNSW: on 2 cores HNSW took ~110 s per 100k vectors to build, IVF ~9 s, both with
    recall@10 >= 0.95 (bench/scale.py). Raises ``InvalidInput`` for an unknown kind.
    """
    chosen = IndexKind.from_str(str(kind))
    if chosen is IndexKind.AUTO:
        return IndexKind.IVF if count >= AUTO_APPROXIMATE_FROM else IndexKind.FLAT
    return chosen
