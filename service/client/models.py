"""Results of the citeqa client: frozen dataclasses mirroring the v1 API's JSON field for field.

Each has ``from_json(data)``, which takes the decoded JSON of the matching API response and
raises ``KeyError``/``TypeError``/``ValueError`` when a field is missing or of the wrong type.
Offsets (``start``, ``end``) are character offsets into ``Document.text``: for every citation
``document.text[c.start:c.end] == c.quote``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True)
class Citation:
    """One quote of an answer: ``quote`` is ``text[start:end]`` of document ``doc_id``; ``id`` is its ``[n]``;
    ``content_hash`` the document's sha256 when answering (``Document.content_hash`` differs once replaced)."""

    id: int
    doc_id: str
    title: str
    url: str | None
    quote: str
    start: int
    end: int
    score: float
    page: int | None
    content_hash: str | None = None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Citation:
        return cls(
            id=int(d["id"]),
            doc_id=str(d["doc_id"]),
            title=str(d["title"]),
            url=_opt_str(d.get("url")),
            quote=str(d["quote"]),
            start=int(d["start"]),
            end=int(d["end"]),
            score=float(d["score"]),
            page=_opt_int(d.get("page")),
            content_hash=_opt_str(d.get("content_hash")),
        )


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk: ``text`` is ``text[start:end]`` of document ``doc_id``.

    ``score`` is the fused score (1.0 = first in both rankings), ``dense_score`` the cosine
    similarity, ``lexical_score`` the BM25 score; ``page`` the PDF page of ``start`` (else None).
    """

    doc_id: str
    title: str
    chunk_id: int
    text: str
    start: int
    end: int
    score: float
    dense_score: float
    lexical_score: float
    url: str | None = None
    page: int | None = None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Passage:
        return cls(
            doc_id=str(d["doc_id"]),
            title=str(d["title"]),
            chunk_id=int(d["chunk_id"]),
            text=str(d["text"]),
            start=int(d["start"]),
            end=int(d["end"]),
            score=float(d["score"]),
            dense_score=float(d["dense_score"]),
            lexical_score=float(d["lexical_score"]),
            url=_opt_str(d.get("url")),
            page=_opt_int(d.get("page")),
        )


@dataclass(frozen=True)
class Abstention:
    """Why an answer abstained: ``code`` (``not_in_corpus``, ``low_confidence``...), the words at issue."""

    code: str
    terms: tuple[str, ...]
    message: str
    signals: dict[str, float]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Abstention:
        return cls(
            code=str(d["code"]),
            terms=tuple(str(t) for t in d["terms"]),
            message=str(d["message"]),
            signals={str(k): float(v) for k, v in d["signals"].items()},
        )


@dataclass(frozen=True)
class Answer:
    """The answer to a question (``POST /v1/ask``).

    ``answer`` holds quoted sentences with ``[n]`` markers, one ``Citation`` per marker; when
    ``answerable`` is False it says the articles do not cover the question, ``citations`` is
    empty and ``reason`` (and ``abstention``) say why. ``passages`` are the nearest chunks.
    """

    question: str
    answerable: bool
    answer: str
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    confidence: float
    reason: str | None
    abstention: Abstention | None
    timings_ms: dict[str, float]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Answer:
        abstention = d.get("abstention")
        return cls(
            question=str(d["question"]),
            answerable=bool(d["answerable"]),
            answer=str(d["answer"]),
            citations=tuple(Citation.from_json(c) for c in d["citations"]),
            passages=tuple(Passage.from_json(p) for p in d["passages"]),
            confidence=float(d["confidence"]),
            reason=_opt_str(d.get("reason")),
            abstention=Abstention.from_json(abstention) if abstention else None,
            timings_ms={str(k): float(v) for k, v in d["timings_ms"].items()},
        )


@dataclass(frozen=True)
class SearchResult:
    """The passages nearest a query (``POST /v1/search``), best first."""

    passages: tuple[Passage, ...]
    timings_ms: dict[str, float]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> SearchResult:
        return cls(
            passages=tuple(Passage.from_json(p) for p in d["passages"]),
            timings_ms={str(k): float(v) for k, v in d["timings_ms"].items()},
        )


@dataclass(frozen=True)
class DocumentSummary:
    """One indexed document without its text (``GET /v1/documents``)."""

    doc_id: str
    title: str
    url: str | None
    date: str | None
    chunks: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> DocumentSummary:
        return cls(
            doc_id=str(d["doc_id"]),
            title=str(d["title"]),
            url=_opt_str(d.get("url")),
            date=_opt_str(d.get("date")),
            chunks=int(d["chunks"]),
        )


@dataclass(frozen=True)
class Document:
    """One document with its full ``text``, the text citation and passage offsets point into."""

    doc_id: str
    title: str
    url: str | None
    date: str | None
    metadata: dict[str, str]
    text: str
    content_hash: str | None = None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Document:
        return cls(
            doc_id=str(d["doc_id"]),
            title=str(d["title"]),
            url=_opt_str(d.get("url")),
            date=_opt_str(d.get("date")),
            metadata={str(k): str(v) for k, v in d["metadata"].items()},
            text=str(d["text"]),
            content_hash=_opt_str(d.get("content_hash")),
        )


@dataclass(frozen=True)
class ChangedDocument:
    """A document added, replaced or removed; ``chunks`` is 0 once removed, ``source`` its file in the corpus."""

    doc_id: str
    title: str
    url: str | None
    date: str | None
    source: str
    chunks: int
    metadata: dict[str, str]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ChangedDocument:
        return cls(
            doc_id=str(d["doc_id"]),
            title=str(d["title"]),
            url=_opt_str(d.get("url")),
            date=_opt_str(d.get("date")),
            source=str(d["source"]),
            chunks=int(d["chunks"]),
            metadata={str(k): str(v) for k, v in d["metadata"].items()},
        )


@dataclass(frozen=True)
class DocumentsChanged:
    """Outcome of adding or removing documents: what changed (``action``: ``added``, ``replaced`` when
    ``replace`` replaced a document with the same id, or ``removed``), the index version now served, and
    ``warnings`` about the files given (an encoding other than UTF-8, copies removed too)."""

    action: Literal["added", "replaced", "removed"]
    documents: tuple[ChangedDocument, ...]
    index: dict[str, Any]
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> DocumentsChanged:
        action = d["action"]
        if action not in ("added", "replaced", "removed"):
            raise ValueError(f"unknown action {action!r}")
        return cls(
            action=action,
            documents=tuple(ChangedDocument.from_json(x) for x in d["documents"]),
            index=dict(d["index"]),
            warnings=tuple(str(w) for w in d.get("warnings", ())),
        )


@dataclass(frozen=True)
class Readiness:
    """``GET /readyz`` when ready: the loaded index's summary; ``reload_error`` why the last reload failed."""

    status: str
    index: dict[str, Any]
    reload_error: str | None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Readiness:
        return cls(status=str(d["status"]), index=dict(d["index"]), reload_error=_opt_str(d.get("reload_error")))
