"""citeqa's library: corpus reading, chunking, embedding, indexes, retrieval, answers, evaluation.

The names below are the library's public surface; each is imported on first use, so importing
``citeqa.index`` (or any of its modules, such as ``citeqa.index.errors``) stays cheap and has no side
effects. Nothing here imports FastAPI, a CLI framework or torch; heavy components load only when
asked to (``citeqa.index.embedding.factory.load_embedder``).

    from citeqa.index import Engine, build_index, load_embedder, load_index
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from citeqa import __version__

if TYPE_CHECKING:
    from citeqa.index.answering.extraction import Abstention, Answer, Citation
    from citeqa.index.domain import Chunk, Document, Vectors
    from citeqa.index.embedding.base import Backend, Embedder
    from citeqa.index.embedding.factory import load_embedder
    from citeqa.index.engine import Engine, SearchResult
    from citeqa.index.indexing.build import BuildParams, BuildReport, build_documents, build_index
    from citeqa.index.retrieval.fusion import FusionMode, RetrievalParams
    from citeqa.index.retrieval.hybrid import Passage
    from citeqa.index.store.kinds import IndexKind
    from citeqa.index.store.loader import IndexData, load_index
    from citeqa.index.text.chunking import ChunkingParams

_EXPORTS = {
    "Abstention": "citeqa.index.answering.extraction",
    "Answer": "citeqa.index.answering.extraction",
    "Backend": "citeqa.index.embedding.base",
    "BuildParams": "citeqa.index.indexing.build",
    "BuildReport": "citeqa.index.indexing.build",
    "Chunk": "citeqa.index.domain",
    "ChunkingParams": "citeqa.index.text.chunking",
    "Citation": "citeqa.index.answering.extraction",
    "Document": "citeqa.index.domain",
    "Embedder": "citeqa.index.embedding.base",
    "Engine": "citeqa.index.engine",
    "FusionMode": "citeqa.index.retrieval.fusion",
    "IndexData": "citeqa.index.store.loader",
    "IndexKind": "citeqa.index.store.kinds",
    "Passage": "citeqa.index.retrieval.hybrid",
    "RetrievalParams": "citeqa.index.retrieval.fusion",
    "SearchResult": "citeqa.index.engine",
    "Vectors": "citeqa.index.domain",
    "build_documents": "citeqa.index.indexing.build",
    "build_index": "citeqa.index.indexing.build",
    "load_embedder": "citeqa.index.embedding.factory",
    "load_index": "citeqa.index.store.loader",
}

__all__ = [
    "Abstention",
    "Answer",
    "Backend",
    "BuildParams",
    "BuildReport",
    "Chunk",
    "ChunkingParams",
    "Citation",
    "Document",
    "Embedder",
    "Engine",
    "FusionMode",
    "IndexData",
    "IndexKind",
    "Passage",
    "RetrievalParams",
    "SearchResult",
    "Vectors",
    "__version__",
    "build_documents",
    "build_index",
    "load_embedder",
    "load_index",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'citeqa.index' has no attribute {name!r}")
    return getattr(import_module(module), name)
