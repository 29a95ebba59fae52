"""Settings in, components out: the only place an ``Engine`` is assembled.

The server (``citeqa.service.runtime``), the CLI, evaluation, calibration, the tests and the
benchmarks all build engines, embedders and build parameters through these functions, so a
setting means the same thing everywhere.
"""

from __future__ import annotations

import os
import shlex

from citeqa.index.answering.abstention import AbstainModel, load_abstain_model
from citeqa.index.answering.features import FULL_ABSENCE
from citeqa.index.embedding.base import Embedder
from citeqa.index.embedding.factory import load_embedder
from citeqa.index.engine import Engine
from citeqa.index.errors import CorpusError, IndexNotFound
from citeqa.index.indexing.build import BuildParams
from citeqa.index.retrieval.fusion import RetrievalParams
from citeqa.index.store.dense import SearchParams
from citeqa.index.store.loader import IndexData, load_index
from citeqa.index.store.manifest import recorded_corpus
from citeqa.index.text.chunking import ChunkingParams
from citeqa.index.text.specificity import load_frequencies
from citeqa.service.settings import Settings

__all__ = [
    "abstain_model",
    "assemble_engine",
    "build_command",
    "build_embedder",
    "build_params",
    "load_engine",
    "offline",
    "query_embedder",
    "retrieval_params",
    "search_params",
    "with_index_corpus",
]


def offline() -> None:
    """Nothing is downloaded at run time: the Hugging Face libraries are told so before they load."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")


def query_embedder(settings: Settings) -> Embedder:
    """The model that embeds questions: deterministic whatever else is in its micro-batch."""
    offline()
    return load_embedder(settings.model, settings.embedding_backend, settings.device, settings.model_cache_dir)


def build_embedder(settings: Settings) -> Embedder:
    """The model that embeds corpus chunks in builds (bulk throughput first)."""
    offline()
    backend = settings.embedding_backend if settings.build_backend == "same" else settings.build_backend
    return load_embedder(settings.model, backend, settings.device, settings.model_cache_dir)


def build_params(settings: Settings) -> BuildParams:
    """Chunking, index kind and title prefix of builds (the overlap is capped at half a chunk)."""
    return BuildParams(
        chunking=ChunkingParams(
            size=settings.chunk_size, overlap=min(settings.chunk_overlap, settings.chunk_size // 2)
        ),
        index_kind=settings.index_kind,
        title_in_text=settings.title_in_text,
    )


def retrieval_params(settings: Settings) -> RetrievalParams:
    """Fusion mode, depth, RRF constant and weights of retrieval."""
    return RetrievalParams(
        depth=settings.retrieval_depth,
        rrf_k=settings.rrf_k,
        dense_weight=settings.dense_weight,
        lexical_weight=settings.lexical_weight,
        fusion=settings.fusion,
    )


def search_params(settings: Settings) -> SearchParams:
    """The query-time parameters of the approximate FAISS indexes (unset: the values stored at build time)."""
    return SearchParams(nprobe=settings.ivf_nprobe, ef_search=settings.hnsw_ef_search)


def abstain_model(settings: Settings) -> AbstainModel:
    """The calibrated abstention model (``abstain_model_file`` or the packaged one), threshold overridable."""
    model = load_abstain_model(settings.abstain_model_file)
    return model if settings.abstain_threshold is None else model.with_threshold(settings.abstain_threshold)


def assemble_engine(settings: Settings, data: IndexData, embedder: Embedder | None = None) -> Engine:
    """An engine over loaded index ``data``; the model is loaded from ``settings`` unless given."""
    query = embedder or query_embedder(settings)
    return Engine(data, query, retrieval_params(settings), abstain_model(settings))


def load_engine(settings: Settings, previous: Engine | None = None) -> Engine:
    """Load the model (unless ``previous`` has it) and the verified index named by ``settings``.

    Raises the ``citeqa.index.errors`` of loading (``IndexNotFound``, saying the ``build_command`` of
    ``settings``; ``IndexCorrupt``, ``IndexMismatch``, ``EmbedderUnavailable``). Offline: nothing is downloaded.
    """
    from citeqa.index.store.dense import set_blas_queries, set_search_threads

    set_search_threads(settings.faiss_threads)
    query = previous.embedder if previous is not None else query_embedder(settings)
    set_blas_queries(settings.faiss_blas_queries, query.dimension)
    try:
        data = load_index(settings.index_dir, query.name, query.dimension, query.digest, search_params(settings))
    except IndexNotFound as exc:
        raise exc.with_fix(f"build it with `{build_command(settings)}`") from None
    if len(data.documents) < FULL_ABSENCE:
        load_frequencies()  # a small corpus weighs absent words by their English frequency: load it now
    return assemble_engine(settings, data, query)


def build_command(settings: Settings) -> str:
    """The ``citeqa build`` that builds the index ``settings`` serve: their corpus and index directories, and
    their model when it is not the default one (an index built with another model would not load)."""
    words = ["citeqa", "build", "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)]
    if settings.model != Settings.model_fields["model"].default:
        words += ["--model", settings.model]
    return shlex.join(words)


def with_index_corpus(settings: Settings) -> tuple[Settings, str | None]:
    """``settings`` whose corpus is the one the published index was built from, and a warning or None.

    With no corpus set (``--corpus`` or ``CITEQA_CORPUS_DIR``), an index that records another corpus
    directory (``recorded_corpus``) is rebuilt from that one: rebuilding it from the default
    ``corpus/`` would drop every document it holds. A corpus that is set and differs from the
    recorded one is used, with a warning (the previous versions stay under ``versions/``).
    Raises ``CorpusError`` when no corpus is set and the recorded directory no longer exists.
    """
    recorded = recorded_corpus(settings.index_dir)
    if recorded is None or recorded == settings.corpus_dir.resolve():
        return settings, None
    if "corpus_dir" in settings.model_fields_set:
        return settings, (
            f"the index {settings.index_dir} was built from {recorded}; it will hold the documents of "
            f"{settings.corpus_dir} instead (its previous versions stay under {settings.index_dir}/versions)"
        )
    if not recorded.is_dir():
        raise CorpusError(
            f"the index {settings.index_dir} was built from {recorded}, which no longer exists: "
            "pass --corpus (or set CITEQA_CORPUS_DIR) to the directory of its articles"
        )
    return settings.model_copy(update={"corpus_dir": recorded}), None
