"""The engine's model calls: answering a batch embeds the questions once and nothing else (sentence
vectors come from the index), and every citation is an exact span of its document."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from citeqa.index.domain import Vectors
from citeqa.index.engine import Engine
from citeqa.index.store.loader import load_index
from citeqa.service import wiring
from citeqa.service.settings import Settings

QUESTIONS = [
    "Which country wants to join the NSATU command?",
    "What does the NSATU coordinate?",
    "Who won the 1998 World Cup?",
]


class CountingEmbedder:
    """The real query model, recording every batch of texts it embeds."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name, self.dimension, self.digest = inner.name, inner.dimension, inner.digest
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> Vectors:
        self.calls.append(list(texts))
        vectors: Vectors = self.inner.encode(texts, batch_size)
        return vectors


def test_answering_embeds_only_the_questions(default_index: Path, embedder: Any) -> None:
    counting = CountingEmbedder(embedder)
    data = load_index(default_index, embedder.name, embedder.dimension)
    engine = wiring.assemble_engine(Settings(index_dir=default_index), data, counting)
    assert isinstance(engine, Engine)
    answered = engine.ask_many(QUESTIONS, k=5)
    assert counting.calls == [QUESTIONS]
    assert any(answer.citations for answer, _ in answered)
    for answer, timing in answered:
        assert timing["answer"] >= 0
        for c in answer.citations:
            assert data.documents[c.doc_id].text[c.start : c.end] == c.quote
    engine.prepare_many(QUESTIONS[:1])
    assert counting.calls == [QUESTIONS, QUESTIONS[:1]]
