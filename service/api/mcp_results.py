"""The MCP tools' structured results, built from the client's result types (one shape for every backend)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from citeqa.service.client.models import Answer, Document, SearchResult

DOCUMENT_URI = "citeqa://documents/{doc_id}"


class CitationOutput(BaseModel):
    id: int = Field(description="The number of the answer's [n] marker.")
    doc_id: str = Field(description="Document quoted.")
    title: str = Field(description="Title of that document.")
    url: str | None = Field(description="Source URL to link the quote to; null when unknown.")
    resource: str = Field(description="MCP resource with the document's full text.")
    quote: str = Field(description="Exact quote: the document text from start to end. Quote it verbatim.")
    start: int = Field(description="Start offset (characters) of the quote in the document text.")
    end: int = Field(description="End offset (exclusive).")
    page: int | None = Field(description="Page (1-based) of the quote in a PDF; null for other documents.")
    content_hash: str | None = Field(
        None, description="sha256 of the document when answering; get_document gives its current one."
    )


class AskOutput(BaseModel):
    question: str = Field(description="The question as understood (trimmed).")
    answerable: bool = Field(description="False when the articles do not cover the question.")
    answer: str = Field(description="Quoted sentences with [n] markers, or a not-covered message.")
    reason: str | None = Field(description="Why it is not answerable; null when answered.")
    confidence: float = Field(description="Probability that the question is answerable.")
    citations: list[CitationOutput] = Field(description="One per [n] marker; empty when not answerable.")


class PassageOutput(BaseModel):
    doc_id: str
    title: str
    url: str | None
    resource: str = Field(description="MCP resource with the document's full text.")
    chunk_id: int
    text: str = Field(description="The document text from start to end.")
    start: int
    end: int
    page: int | None
    score: float = Field(description="Fused score (1.0: first in both rankings).")
    dense_score: float = Field(description="Cosine similarity of query and passage.")
    lexical_score: float = Field(description="BM25 score (0 when no query term matches).")


class SearchOutput(BaseModel):
    passages: list[PassageOutput] = Field(description="Nearest passages, best first.")


class DocumentOutput(BaseModel):
    doc_id: str
    title: str
    url: str | None
    date: str | None
    resource: str
    metadata: dict[str, str]
    text: str = Field(description="Full text; citation offsets index into it.")
    content_hash: str | None = Field(
        None, description="sha256 of the document: a citation with the same one quotes this very text."
    )


def _resource(doc_id: str) -> str:
    return DOCUMENT_URI.format(doc_id=doc_id)


def ask_output(answer: Answer) -> AskOutput:
    """The ``ask`` tool's structured result for an answer."""
    citations = [
        CitationOutput(
            id=c.id,
            doc_id=c.doc_id,
            title=c.title,
            url=c.url,
            resource=_resource(c.doc_id),
            quote=c.quote,
            start=c.start,
            end=c.end,
            page=c.page,
            content_hash=c.content_hash,
        )
        for c in answer.citations
    ]
    return AskOutput(
        question=answer.question,
        answerable=answer.answerable,
        answer=answer.answer,
        reason=answer.reason,
        confidence=answer.confidence,
        citations=citations,
    )


def search_output(result: SearchResult) -> SearchOutput:
    """The ``search`` tool's structured result."""
    passages = [
        PassageOutput(
            doc_id=p.doc_id,
            title=p.title,
            url=p.url,
            resource=_resource(p.doc_id),
            chunk_id=p.chunk_id,
            text=p.text,
            start=p.start,
            end=p.end,
            page=p.page,
            score=p.score,
            dense_score=p.dense_score,
            lexical_score=p.lexical_score,
        )
        for p in result.passages
    ]
    return SearchOutput(passages=passages)


def document_output(d: Document) -> DocumentOutput:
    """The ``get_document`` tool's structured result."""
    return DocumentOutput(
        doc_id=d.doc_id,
        title=d.title,
        url=d.url,
        date=d.date,
        resource=_resource(d.doc_id),
        metadata=d.metadata,
        text=d.text,
        content_hash=d.content_hash,
    )
