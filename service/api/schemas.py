"""HTTP request and response models (pydantic at the edge), built from domain values here only."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import fields
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from citeqa.index.answering.extraction import Abstention, Answer, Citation
from citeqa.index.corpus.pdf import page_of
from citeqa.index.domain import Document
from citeqa.index.limits import DEFAULT_K, MAX_HISTORY_ANSWER_CHARS, MAX_HISTORY_TURNS, MAX_K, MAX_QUESTION_CHARS
from citeqa.index.retrieval.hybrid import Passage
from citeqa.index.text.conversation import Choose, Gender, Turn, resolve_followup
from citeqa.index.text.language import check_language

_BLANK = {"query": "the words to search for"}  # what a blank field should hold; a question otherwise


def _not_blank(value: Any, info: ValidationInfo) -> Any:
    """Refuse an empty or all-space question saying what to write (pydantic would say "String should have at
    least 1 character" of ``"   "``), and one over ``MAX_QUESTION_CHARS`` after trimming saying how long it is
    and what to do (pydantic: "String should have at most 1000 characters"); any other value goes on to the
    string constraints as it is."""
    if isinstance(value, str) and _blank(value):
        what = _BLANK.get(info.field_name or "", "the question")
        raise PydanticCustomError("string_blank", "empty or only spaces: write {what}", {"what": what})
    if isinstance(value, str) and len(value.strip()) > MAX_QUESTION_CHARS:
        raise PydanticCustomError(
            "string_too_long",
            "{length} characters, over the limit of {limit}: shorten it, or ask its parts as separate questions",
            {"length": len(value.strip()), "limit": MAX_QUESTION_CHARS},
        )
    return value


def _blank(text: str) -> bool:
    """Whether ``text`` holds nothing matching could read: only spaces, control characters (NUL) and
    invisible format characters (zero-width space, soft hyphen, byte-order mark: categories Cc and Cf)."""
    return all(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in text)


Question = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION_CHARS, strict=True),
    BeforeValidator(_not_blank),
]
K = Annotated[
    StrictInt, Field(ge=1, le=MAX_K, description=f"How many passages to return (1 to {MAX_K}).", examples=[DEFAULT_K])
]


class HistoryTurn(BaseModel):
    """One earlier exchange of a conversation, so that a follow-up question can lean on it."""

    model_config = ConfigDict(extra="forbid")

    question: Question = Field(description="The earlier question, as asked.", examples=["Who built the lighthouse?"])
    answer: str = Field(
        "",
        max_length=MAX_HISTORY_ANSWER_CHARS,
        description="The answer given to it (its `answer` text, `[n]` markers and all); empty when none was.",
        examples=["Robert Stevenson built the Bell Rock Lighthouse between 1807 and 1810. [1]"],
    )

    def turn(self) -> Turn:
        return Turn(self.question, self.answer)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Question = Field(
        description=f"The question, 1 to {MAX_QUESTION_CHARS} characters after trimming. It must be in "
        "English (the model's language); another language is refused with `unsupported_language`.",
        examples=["what is NSATU?"],
    )
    k: K = DEFAULT_K
    history: list[HistoryTurn] = Field(
        default_factory=list,
        max_length=MAX_HISTORY_TURNS,
        description=f"Optional: the earlier turns of the conversation, oldest first (at most {MAX_HISTORY_TURNS}). "
        'A follow-up that leans on them ("When did he build it?") is resolved against the last one; '
        "the response's `question` shows the question as resolved. Without it each question stands alone.",
    )

    @field_validator("question")
    @classmethod
    def _in_english(cls, question: str) -> str:
        """Refuse another language while validating, so that every surface that takes a question through
        this model (``/v1/ask``, ``citeqa ask``, the MCP ``ask`` tool) refuses it alike: ``check_language``
        raises ``UnsupportedLanguage`` (not a ``ValueError``), which pydantic lets through as it is."""
        check_language(question)
        return question

    def resolved(self, choose: Choose | None = None, gender: Gender | None = None) -> str:
        """The question to ask (English: checked on validation), resolved against ``history`` (``choose``:
        whom a pronoun means when the last turn names several people, ``Engine.most_tied``; ``gender``: whom
        the corpus writes of as of a woman or a man, ``Engine.gender_of``)."""
        return resolve_followup(self.question, [t.turn() for t in self.history], choose, gender)


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: Question = Field(
        description=f"Search text, 1 to {MAX_QUESTION_CHARS} characters after trimming.", examples=["NSATU command"]
    )
    k: K = DEFAULT_K


class PassageOut(BaseModel):
    doc_id: str = Field(description="Document the passage belongs to.", examples=["japan-nato-rutte-visit"])
    title: str = Field(description="Title of that document.")
    chunk_id: int = Field(description="Row of the chunk in the index.", examples=[7])
    text: str = Field(description="Passage text, equal to the document text from `start` to `end`.")
    start: int = Field(description="Start offset (characters) in the document text.", examples=[2843])
    end: int = Field(description="End offset (exclusive) in the document text.", examples=[3590])
    score: float = Field(description="Fused score; 1.0 means first in both the dense and lexical rankings.")
    dense_score: float = Field(description="Cosine similarity of the question and the passage.")
    lexical_score: float = Field(description="BM25 score of the passage for the question (0 when no term matches).")
    url: str | None = Field(None, description="Source URL of the document, when known.")
    page: int | None = Field(None, description="Page (1-based) of `start` in a PDF document; null for others.")

    @classmethod
    def of(cls, p: Passage, document: Document | None = None) -> PassageOut:
        return cls(
            url=document.url if document is not None else None,
            page=page_of(document, p.start) if document is not None else None,
            doc_id=p.doc_id,
            title=p.title,
            chunk_id=p.chunk_id,
            text=p.text,
            start=p.start,
            end=p.end,
            score=p.score,
            dense_score=p.dense_score,
            lexical_score=p.lexical_score,
        )


class CitationOut(BaseModel):
    id: int = Field(description="The number used in the answer's `[n]` marker.", examples=[1])
    doc_id: str = Field(description="Document quoted.", examples=["japan-nato-rutte-visit"])
    title: str = Field(description="Title of that document.")
    url: str | None = Field(description="Source URL of the document, when known.")
    quote: str = Field(description="Exact quote: the document text from `start` to `end`.")
    start: int = Field(description="Start offset (characters) of the quote in the document text.")
    end: int = Field(description="End offset (exclusive) of the quote in the document text.")
    score: float = Field(
        description="The answer ranker's log-odds that the quoted answer sentence holds the answer (higher is "
        "better; the sentences of one answer share the best one's score)."
    )
    page: int | None = Field(None, description="Page (1-based) of the quote in a PDF document; null for others.")
    content_hash: str | None = Field(
        None,
        description="sha256 of the document as it was when answering; `GET /v1/documents/{doc_id}` gives the "
        "document's current one: when they differ, the document was replaced since (ask again).",
    )

    @classmethod
    def of(cls, c: Citation, document: Document | None = None) -> CitationOut:
        page = page_of(document, c.start) if document is not None else None
        return cls(
            id=c.id,
            doc_id=c.doc_id,
            title=c.title,
            url=c.url,
            quote=c.quote,
            start=c.start,
            end=c.end,
            score=c.score,
            page=page,
            content_hash=document.content_hash if document is not None else None,
        )

    def source(self, url: bool = False) -> str:
        """Where the quote is, for people: "Title (doc-id, characters 3620-3847, page 2)", and the
        document's URL last when ``url`` and it is known (as ``citeqa ask`` and chat footnotes print it)."""
        where = [self.doc_id, f"characters {self.start}-{self.end}"]
        where += [f"page {self.page}"] if self.page else []
        where += [self.url] if url and self.url else []
        return f"{self.title} ({', '.join(where)})"


class AbstentionOut(BaseModel):
    code: str = Field(
        description="Why it abstained: `not_in_corpus` (no passage holds some question words), "
        "`terms_not_in_passage` (the closest article lacks them), `off_topic` (no passage is about the question), "
        "`answer_type_missing` (the answer would not hold the person, weight, duration, number, birth... asked "
        "for, or says it is not given), "
        "`low_confidence`, `no_passage`.",
        examples=["not_in_corpus"],
    )
    terms: list[str] = Field(description="The question's words at issue, as written.", examples=[["Jupiter"]])
    message: str = Field(description="The same, for people.", examples=["no passage mentions “Jupiter”"])
    signals: dict[str, float] = Field(description="The abstention model's inputs for this question.")

    @classmethod
    def of(cls, a: Abstention, signals: dict[str, float]) -> AbstentionOut:
        return cls(code=a.code, terms=list(a.terms), message=a.message, signals=dict(signals))


class Timings(BaseModel):
    retrieve: float = Field(description="Milliseconds spent embedding and retrieving.")
    answer: float = Field(0.0, description="Milliseconds spent choosing answer sentences.")
    total: float = Field(description="Milliseconds in the engine in all.")


class AskResponse(BaseModel):
    question: str = Field(
        description="The question as understood: trimmed, and a follow-up resolved against the `history` sent."
    )
    answerable: bool = Field(description="False when the articles do not cover the question.")
    answer: str = Field(description="Quoted sentence(s) with `[n]` citation markers, or a not-covered message.")
    citations: list[CitationOut] = Field(description="One per `[n]` marker; empty when not answerable.")
    passages: list[PassageOut] = Field(description="The nearest passages (also when not answerable).")
    confidence: float = Field(description="Probability that the question is answerable, from the abstention model.")
    reason: str | None = Field(
        description='Why it abstained, e.g. "no passage mentions “Jupiter”"; null when answered.'
    )
    abstention: AbstentionOut | None = Field(
        None, description="Machine-readable reason when `answerable` is false (code, words at issue, signals)."
    )
    timings_ms: Timings

    @classmethod
    def of(
        cls, answer: Answer, timings: dict[str, float], documents: Mapping[str, Document] | None = None
    ) -> AskResponse:
        docs = documents or {}
        return cls(
            question=answer.question,
            answerable=answer.answerable,
            answer=answer.answer,
            citations=[CitationOut.of(c, docs.get(c.doc_id)) for c in answer.citations],
            passages=[PassageOut.of(p, docs.get(p.doc_id)) for p in answer.passages],
            confidence=answer.confidence,
            reason=answer.reason,
            abstention=AbstentionOut.of(answer.abstention, answer.signals) if answer.abstention else None,
            timings_ms=Timings(**timings),
        )


class SearchResponse(BaseModel):
    passages: list[PassageOut]
    timings_ms: Timings


class DocumentSummary(BaseModel):
    doc_id: str = Field(examples=["japan-nato-rutte-visit"])
    title: str
    url: str | None
    date: str | None
    chunks: int = Field(description="Number of chunks indexed for the document.")


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class DocumentOut(BaseModel):
    doc_id: str = Field(examples=["japan-nato-rutte-visit"])
    title: str
    url: str | None
    date: str | None
    metadata: dict[str, str] = Field(description="Other metadata (publication, section, standfirst...).")
    text: str = Field(description="Full text; citation and passage offsets point into it.")
    content_hash: str = Field(
        description="sha256 of the document as indexed (text, title, metadata): a citation carrying the same "
        "value quotes this very text."
    )

    @classmethod
    def of(cls, d: Document) -> DocumentOut:
        shared = {f.name: getattr(d, f.name) for f in fields(d) if f.name in cls.model_fields}
        return cls(**{**shared, "metadata": dict(d.metadata), "content_hash": d.content_hash})


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code.", examples=["invalid_input"])
    message: str = Field(description="What is wrong and what to do.")


class ErrorResponse(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: str = Field(examples=["ok"])


class Ready(BaseModel):
    status: str = Field(examples=["ready"])
    index: dict[str, Any] = Field(
        description="Summary of the loaded index manifest, and `search`: its FAISS structure and the query-time "
        'parameters in force (`{"kind": "ivf", "lists": 1000, "nprobe": 32}`, `{"kind": "flat"}`).'
    )
    reload_error: str | None = Field(
        None,
        description="Why the last reload was refused (file and fix) while the index above keeps serving; "
        "null when the last reload succeeded.",
    )


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Malformed request body (e.g. not UTF-8)."},
    401: {"model": ErrorResponse, "description": "Missing or wrong API key."},
    404: {"model": ErrorResponse, "description": "Unknown document."},
    413: {"model": ErrorResponse, "description": "Request body too large."},
    422: {"model": ErrorResponse, "description": "Invalid request; the message names the field."},
    429: {"model": ErrorResponse, "description": "Rate limit reached; see the Retry-After header."},
    503: {"model": ErrorResponse, "description": "No verified index loaded yet, or busy (see Retry-After)."},
}
