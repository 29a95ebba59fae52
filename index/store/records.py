"""Document and chunk records as JSON Lines (the human-readable part of an index)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from citeqa.index.domain import Chunk, Document

DOCUMENTS_FILE = "documents.jsonl"
CHUNKS_FILE = "chunks.jsonl"


def write_documents(documents: Iterable[Document], directory: Path) -> str:
    with (directory / DOCUMENTS_FILE).open("w", encoding="utf-8") as fh:
        for doc in documents:
            record = {
                "doc_id": doc.doc_id,
                "title": doc.title,
                "source": doc.source,
                "url": doc.url,
                "date": doc.date,
                "metadata": dict(doc.metadata),
                "text": doc.text,
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return DOCUMENTS_FILE


def read_documents(directory: Path) -> list[Document]:
    documents = []
    with (directory / DOCUMENTS_FILE).open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            documents.append(Document(**record))
    return documents


def write_chunks(chunks: Iterable[Chunk], directory: Path) -> str:
    with (directory / CHUNKS_FILE).open("w", encoding="utf-8") as fh:
        for chunk in chunks:
            fh.write(json.dumps([chunk.chunk_id, chunk.doc_id, chunk.start, chunk.end]) + "\n")
    return CHUNKS_FILE


def read_chunks(directory: Path, documents: dict[str, Document]) -> list[Chunk]:
    chunks = []
    with (directory / CHUNKS_FILE).open(encoding="utf-8") as fh:
        for line in fh:
            chunk_id, doc_id, start, end = json.loads(line)
            text = documents[doc_id].text[start:end]
            chunks.append(Chunk(chunk_id=chunk_id, doc_id=doc_id, start=start, end=end, text=text))
    return chunks


def chunks_per_document(chunks: Iterable[Chunk]) -> dict[str, int]:
    """How many chunks each document has, by document id (the one place chunks are counted)."""
    return dict(Counter(chunk.doc_id for chunk in chunks))
