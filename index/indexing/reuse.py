"""What an incremental build keeps from the published version: the chunk vectors, sentence spans,
sentence vectors and content terms of every document whose content, chunking and model are unchanged."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from citeqa.index.domain import Chunk, Document, Vectors
from citeqa.index.indexing.sentence_vectors import SentencePlan
from citeqa.index.store.loader import IndexData
from citeqa.index.store.manifest import MODEL_DIGEST

Units = list[list[str]]

__all__ = ["Reusable", "reusable_vectors", "reuse", "reused_terms"]


@dataclass(frozen=True)
class Reusable:
    """What a published version holds of one document: the hash it was built from, its chunk vectors,
    its sentence spans and sentence vectors, and what reads its stored content terms (``ContentTerms.units_of``;
    None when the version has none under this tokeniser)."""

    content_hash: str
    vectors: Vectors
    spans: list[tuple[int, int]]
    sentence_vectors: Vectors
    terms: Callable[[], Units] | None = None


def reusable_vectors(previous: IndexData | None, params: dict[str, object], model_digest: str) -> dict[str, Reusable]:
    """Previous vectors by document id (with the content hash they were made from); none from another model
    or other build parameters (``BuildParams.identity()``)."""
    if previous is None or previous.manifest.extra.get("params") != params:
        return {}
    if previous.manifest.extra.get(MODEL_DIGEST) != model_digest:  # weights changed in place: embed again
        return {}
    rows: dict[str, list[int]] = {}
    for chunk in previous.chunks:
        rows.setdefault(chunk.doc_id, []).append(chunk.chunk_id)
    stored = previous.sentences
    return {
        doc_id: Reusable(
            previous.manifest.documents[doc_id],
            previous.vectors[ids],
            stored.spans_of(doc_id),
            stored.vectors_of([(doc_id, i) for i in range(stored.rows[doc_id][1])]),
            partial(stored.terms.units_of, doc_id) if stored.terms is not None else None,
        )
        for doc_id, ids in rows.items()
        if doc_id in previous.manifest.documents and doc_id in stored.rows
    }


def reuse(
    documents: Sequence[Document],
    chunks: Sequence[Chunk],
    plan: SentencePlan,
    reusable: dict[str, Reusable],
    vectors: Vectors,
    sentences: Vectors,
) -> list[Chunk]:
    """Copy the vectors of unchanged documents into ``vectors`` and ``sentences``; the chunks left to embed."""
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    todo: list[Chunk] = []
    for index, doc in enumerate(documents):
        old = reusable.get(doc.doc_id)
        mine = by_doc.get(doc.doc_id, [])
        same = old is not None and old.content_hash == doc.content_hash and len(old.vectors) == len(mine)
        if old is not None and same and old.spans == list(plan.spans[index]):
            vectors[[c.chunk_id for c in mine]] = old.vectors
            sentences[plan.doc_rows(index)] = old.sentence_vectors
        else:
            todo.extend(mine)
    return todo


def reused_terms(
    documents: Sequence[Document], plan: SentencePlan, reusable: dict[str, Reusable]
) -> Callable[[int], Units | None]:
    """Document ``i`` -> its stored content terms when it is unchanged (content and sentence spans), else None."""

    def units(index: int) -> Units | None:
        doc = documents[index]
        old = reusable.get(doc.doc_id)
        if old is None or old.terms is None or old.content_hash != doc.content_hash:
            return None
        return old.terms() if old.spans == list(plan.spans[index]) else None

    return units
