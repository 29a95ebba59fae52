"""The engine: an index and a model loaded once, answering batches of questions.

``ask_many`` and ``search_many`` are the primitives (one model call per batch: the questions'
own vectors, used for retrieval and compared by the answer step with the sentence vectors stored
in the index); the single-question forms call them. HTTP, CLI and evaluation all go through this class.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from citeqa.index.answering.extraction import AbstainModel, Answer, Extractor
from citeqa.index.answering.features import Prepared
from citeqa.index.domain import Document, Vectors
from citeqa.index.embedding.base import Embedder
from citeqa.index.errors import DocumentNotFound
from citeqa.index.retrieval.fusion import RetrievalParams
from citeqa.index.retrieval.hybrid import Passage
from citeqa.index.retrieval.hybrid import search_many as retrieve_many
from citeqa.index.store.loader import IndexData

ANSWER_CANDIDATES = 8
# Questions per model call (a micro-batch is split into calls of this size, run on every core): 4
# encoded 632 questions/s against 493 with calls of up to 64, and held 13 MB of activations instead
# of 49 (3,200 distinct BBC questions in batches of 32, onnx-int8, 2 cores; peak RSS of a server).
QUESTIONS_PER_CALL = 4


@dataclass(frozen=True)
class SearchResult:
    query: str
    passages: tuple[Passage, ...]
    timings_ms: dict[str, float]


class Engine:
    """Answers questions over one loaded index with one embedding model."""

    def __init__(
        self,
        data: IndexData,
        embedder: Embedder,
        retrieval: RetrievalParams | None = None,
        abstain: AbstainModel | None = None,
    ) -> None:
        """``embedder`` embeds the questions, the only model call of searching and answering."""
        self.data = data
        self.embedder = embedder
        self.retrieval = retrieval or RetrievalParams()
        self.extractor = Extractor(data.lexical, data.documents, data.sentences, abstain)

    def _encode(self, texts: Sequence[str]) -> Vectors:
        return self.embedder.encode(list(texts), batch_size=QUESTIONS_PER_CALL)

    def _retrieve(self, queries: Sequence[str], k: int) -> tuple[list[list[Passage]], Vectors, float]:
        started = time.perf_counter()
        vectors = self._encode(queries)
        passages = retrieve_many(self.data, queries, vectors, k, self.retrieval)
        return passages, vectors, (time.perf_counter() - started) * 1000

    def search_many(self, queries: Sequence[str], k: int = 5) -> list[SearchResult]:
        passages, _, ms = self._retrieve(queries, k)
        timing = {"retrieve": round(ms, 3), "total": round(ms, 3)}
        return [SearchResult(q, tuple(p), timing) for q, p in zip(queries, passages, strict=True)]

    def search(self, query: str, k: int = 5) -> SearchResult:
        return self.search_many([query], k)[0]

    def ask_many(self, questions: Sequence[str], k: int = 5) -> list[tuple[Answer, dict[str, float]]]:
        """Answers with their timings (retrieve, answer, total) in milliseconds."""
        passages, vectors, retrieve_ms = self._retrieve(questions, max(k, ANSWER_CANDIDATES))
        started = time.perf_counter()
        answers = self.extractor.answer_many(questions, passages, vectors, shown=k)
        answer_ms = (time.perf_counter() - started) * 1000
        timing = {
            "retrieve": round(retrieve_ms, 3),
            "answer": round(answer_ms, 3),
            "total": round(retrieve_ms + answer_ms, 3),
        }
        return [(answer, timing) for answer in answers]

    def prepare_many(self, questions: Sequence[str]) -> list[Prepared]:
        """The questions' candidate sentences with their features, for training answer models."""
        passages, vectors, _ = self._retrieve(questions, ANSWER_CANDIDATES)
        return self.extractor.prepare_many(questions, passages, vectors)

    def ask(self, question: str, k: int = 5) -> tuple[Answer, dict[str, float]]:
        return self.ask_many([question], k)[0]

    def with_abstain_model(self, model: AbstainModel) -> Engine:
        return Engine(self.data, self.embedder, self.retrieval, model)

    def document(self, doc_id: str) -> Document:
        doc = self.data.documents.get(doc_id)
        if doc is None:
            raise DocumentNotFound(f"no document {doc_id!r}: list them with GET /v1/documents")
        return doc

    def documents(self) -> list[tuple[Document, int]]:
        counts = self.data.chunk_counts
        return [(d, counts.get(d.doc_id, 0)) for d in self.data.documents.values()]


__all__ = ["Engine", "SearchResult"]
