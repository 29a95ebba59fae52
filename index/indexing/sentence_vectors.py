"""The sentence vectors of a build, pooled from the chunk pass's token embeddings.

Each sentence (``citeqa.index.text.sentences.sentence_spans``) is given to the chunk that holds it
whole with the most text around it; the model call that embeds that chunk also returns the sentence's
vector: the normalised mean of the token embeddings inside the sentence (``SpanEmbedder``). A
sentence that no chunk holds whole (longer than a chunk, cut by the model's token limit) and every
sentence of a backend without token outputs (``torch``) is encoded on its own (4 of 42,090 BBC
sentences with onnx-int8). On the whole BBC corpus pooling added no measurable time to the chunk pass
(279 s with it, 293 s without, on a loaded machine), where encoding every sentence on its own took
275 s more (as long again); answer figures were within one question of each other and of the fp32
answer step's (``bench/sentence_vectors.py``, ``bench/results/sentence_vectors.json``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from citeqa.index.domain import Chunk, Document, Vectors
from citeqa.index.embedding.base import Embedder, SpanEmbedder
from citeqa.index.store.sentences import SentenceStore, sentence_store
from citeqa.index.text.sentences import sentence_spans
from citeqa.index.text.tokens import normalise_for_model

__all__ = ["SentencePlan", "encode_chunks", "encode_leftovers", "plan_sentences"]

Span = tuple[int, int]


@dataclass(frozen=True)
class SentencePlan:
    """The sentences of a build's documents and the chunk each one's vector is pooled from.

    ``spans``: per document (in ``doc_ids`` order) its sentence spans; ``rows``: per sentence (flat,
    in store order) its document index, start and end; ``in_chunk``: chunk id -> the sentences' flat
    rows and their spans in the chunk's passage text (title prefix included).
    """

    doc_ids: tuple[str, ...]
    spans: tuple[tuple[Span, ...], ...]
    rows: tuple[tuple[int, int, int], ...]
    in_chunk: dict[int, tuple[list[int], list[Span]]]

    def store(self, vectors: Vectors) -> SentenceStore:
        return sentence_store(self.doc_ids, self.spans, vectors)

    def doc_rows(self, doc_index: int) -> slice:
        """The flat rows of one document's sentences."""
        first = self.firsts[doc_index]
        return slice(first, first + len(self.spans[doc_index]))

    @cached_property
    def firsts(self) -> list[int]:
        """Each document's first flat row."""
        return [0, *np.cumsum([len(s) for s in self.spans], dtype=np.int64).tolist()][: len(self.spans)]


def plan_sentences(documents: Sequence[Document], chunks: Sequence[Chunk], title_in_text: bool) -> SentencePlan:
    """Split every document into sentences and pick, for each, the chunk its vector is pooled from."""
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    spans = tuple(tuple(sentence_spans(d.text)) for d in documents)
    rows: list[tuple[int, int, int]] = []
    in_chunk: dict[int, tuple[list[int], list[Span]]] = {}
    for index, (doc, doc_spans) in enumerate(zip(documents, spans, strict=True)):
        prefix = len(doc.title) + 1 if title_in_text else 0
        for start, end in doc_spans:
            holder = _best_holder(by_doc.get(doc.doc_id, []), start, end)
            if holder is not None:
                ids, local = in_chunk.setdefault(holder.chunk_id, ([], []))
                ids.append(len(rows))
                local.append((start - holder.start + prefix, end - holder.start + prefix))
            rows.append((index, start, end))
    return SentencePlan(tuple(d.doc_id for d in documents), spans, tuple(rows), in_chunk)


def _best_holder(chunks: Sequence[Chunk], start: int, end: int) -> Chunk | None:
    """The chunk holding ``[start, end)`` whole with the most text on its shorter side; None if none does."""
    holders = [c for c in chunks if c.start <= start and end <= c.end]
    return max(holders, key=lambda c: min(start - c.start, c.end - end), default=None)


def encode_chunks(
    embedder: Embedder,
    texts: Sequence[str],
    chunk_ids: Sequence[int],
    plan: SentencePlan,
    sentence_vectors: Vectors,
    batch_size: int,
) -> Vectors:
    """The vectors of chunk ``texts``; the sentences pooled from them are written into ``sentence_vectors``.
    The model reads each text as matching does (``normalise_for_model``: fullwidth letters, ligatures and
    soft hyphens as their plain forms), the sentences' spans moved with it."""
    read = [normalise_for_model(text) for text in texts]
    if not isinstance(embedder, SpanEmbedder):
        return embedder.encode([text for text, _ in read], batch_size=batch_size)
    empty: tuple[list[int], list[Span]] = ([], [])
    spans = [
        [(at[s], at[e]) for s, e in plan.in_chunk.get(c, empty)[1]]
        if at is not None
        else plan.in_chunk.get(c, empty)[1]
        for c, (_, at) in zip(chunk_ids, read, strict=True)
    ]
    vectors, pooled = embedder.encode_spans([text for text, _ in read], spans, batch_size)
    for chunk_id, rows in zip(chunk_ids, pooled, strict=True):
        ids = plan.in_chunk.get(chunk_id, empty)[0]
        if ids:
            sentence_vectors[ids] = rows
    return vectors


def encode_leftovers(
    embedder: Embedder, documents: Sequence[Document], plan: SentencePlan, sentence_vectors: Vectors, batch_size: int
) -> int:
    """Encode on their own the sentences still without a vector (NaN rows); returns how many there were."""
    missing = np.flatnonzero(np.isnan(sentence_vectors[:, 0])) if len(sentence_vectors) else np.zeros(0, dtype=int)
    if len(missing):
        texts = [documents[plan.rows[r][0]].text[plan.rows[r][1] : plan.rows[r][2]] for r in missing]
        sentence_vectors[missing] = embedder.encode([normalise_for_model(t)[0] for t in texts], batch_size=batch_size)
    return len(missing)
