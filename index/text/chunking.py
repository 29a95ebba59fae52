"""Splitting documents into chunks with exact character spans.

Chunks come from langchain-text-splitters' recursive splitter, preferring paragraph, line
and sentence boundaries. Every chunk satisfies ``chunk.text == document.text[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from citeqa.index.domain import Chunk, Document

SENTENCE_SEPARATORS = ["\n\n", "\n", r"(?<=[.!?…])\s+", r"(?<=[;:])\s+", r"(?<=,)\s+", " ", ""]


@dataclass(frozen=True)
class ChunkingParams:
    """How documents are cut: target size and overlap in characters."""

    size: int = 800
    overlap: int = 120


def _splitter(params: ChunkingParams) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=params.size,
        chunk_overlap=params.overlap,
        separators=SENTENCE_SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",
        strip_whitespace=True,
    )


def chunk_spans(text: str, params: ChunkingParams) -> list[tuple[int, int]]:
    """Character spans of the chunks of ``text``, in order, each non-empty."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in _splitter(params).split_text(text):
        start = text.find(piece, cursor)
        if start < 0:  # the splitter never rewrites text; guard against a future change
            start = text.find(piece)
        if start < 0:
            raise ValueError("chunker produced text that is not in the document")
        spans.append((start, start + len(piece)))
        cursor = start + 1
    return spans


def chunk_document(doc: Document, params: ChunkingParams, first_id: int = 0) -> list[Chunk]:
    """The chunks of one document, numbered from ``first_id``."""
    return [
        Chunk(chunk_id=first_id + i, doc_id=doc.doc_id, start=s, end=e, text=doc.text[s:e])
        for i, (s, e) in enumerate(chunk_spans(doc.text, params))
    ]
