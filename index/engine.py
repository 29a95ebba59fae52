"""The engine: an index and a model loaded once, answering batches of questions.

``ask_many`` and ``search_many`` are the primitives (one model call per batch: the questions'
own vectors, used for retrieval and compared by the answer step with the sentence vectors stored
in the index); the single-question forms call them. HTTP, CLI and evaluation all go through this class.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from citeqa.index.answering.extraction import AbstainModel, Answer, Extractor
from citeqa.index.answering.features import Prepared
from citeqa.index.corpus.identity import spelled_as_id
from citeqa.index.domain import Document, Vectors
from citeqa.index.embedding.base import Embedder
from citeqa.index.errors import DocumentNotFound
from citeqa.index.retrieval.fusion import RetrievalParams
from citeqa.index.retrieval.hybrid import Passage
from citeqa.index.retrieval.hybrid import search_many as retrieve_many
from citeqa.index.store.loader import IndexData
from citeqa.index.text.conversation import FEMALE, TITLES, resolve_followup
from citeqa.index.text.tokens import content_terms, normalise

ANSWER_CANDIDATES = 8
# Questions per model call (a micro-batch is split into calls of this size, run on every core): 4
# encoded 632 questions/s against 493 with calls of up to 64, and held 13 MB of activations instead
# of 49 (3,200 distinct BBC questions in batches of 32, onnx-int8, 2 cores; peak RSS of a server).
QUESTIONS_PER_CALL = 4
# chunks whose sentences ``Engine.most_tied`` reads: those BM25 ranks first for a follow-up's own words
TIE_CHUNKS = 5
# how far after a mention of a person ``Engine.gender_of`` looks for the pronoun that refers to them, in characters
GENDER_REACH = 200
_GENDERED = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
_TITLE_BEFORE = re.compile(r"\b(?:(?P<f>" + TITLES["f"] + r")|(?P<m>" + TITLES["m"] + r"))\.?\s+(?:[\w'’.-]+\s+){0,2}$")


@dataclass(frozen=True)
class Retrieved:
    """Questions on their way to answers (``Engine.retrieve_for_answers``): the questions as asked (made to
    stand alone), each one's passages, their unit vectors ``(len(questions), dimension)``, the ``k``
    passages an answer shows, and the milliseconds retrieval took."""

    questions: tuple[str, ...]
    passages: tuple[tuple[Passage, ...], ...]
    vectors: Vectors
    k: int
    retrieve_ms: float


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
        # the model reads what matching reads: fullwidth "ＮＳＡＴＵ" as "NSATU", no soft hyphens
        vectors = self._encode([normalise(q) for q in queries])
        passages = retrieve_many(self.data, queries, vectors, k, self.retrieval)
        return passages, vectors, (time.perf_counter() - started) * 1000

    def search_many(self, queries: Sequence[str], k: int = 5) -> list[SearchResult]:
        passages, _, ms = self._retrieve(queries, k)
        timing = {"retrieve": round(ms, 3), "total": round(ms, 3)}
        return [SearchResult(q, tuple(p), timing) for q, p in zip(queries, passages, strict=True)]

    def search(self, query: str, k: int = 5) -> SearchResult:
        return self.search_many([query], k)[0]

    def ask_many(self, questions: Sequence[str], k: int = 5) -> list[tuple[Answer, dict[str, float]]]:
        """Answers with their timings (retrieve, answer, total) in milliseconds. A question opening with
        statements that its last sentence leans on ("Henrik Vass created Larkspur. Where does he work
        now?") is asked as that sentence made to stand alone (``resolve_followup``): the answer's
        ``question`` says so. The same as ``answer_retrieved(retrieve_for_answers(questions, k))``."""
        return self.answer_retrieved(self.retrieve_for_answers(questions, k))

    def retrieve_for_answers(self, questions: Sequence[str], k: int = 5) -> Retrieved:
        """The first half of ``ask_many``: the questions made to stand alone, embedded (the model call)
        and their passages retrieved. The server's batcher runs it for the next batch while another
        thread runs ``answer_retrieved`` for this one (the model releases the GIL; the answer step holds it)."""
        questions = self.standing_alone(questions)
        passages, vectors, retrieve_ms = self._retrieve(questions, max(k, ANSWER_CANDIDATES))
        return Retrieved(tuple(questions), tuple(tuple(p) for p in passages), vectors, k, retrieve_ms)

    def answer_retrieved(self, retrieved: Retrieved) -> list[tuple[Answer, dict[str, float]]]:
        """The second half of ``ask_many``: the answer step over what ``retrieve_for_answers`` found (no model
        call), each answer with the batch's timings in milliseconds."""
        started = time.perf_counter()
        r = retrieved
        answers = self.extractor.answer_many(r.questions, r.passages, r.vectors, shown=r.k)
        answer_ms = (time.perf_counter() - started) * 1000
        timing = {
            "retrieve": round(r.retrieve_ms, 3),
            "answer": round(answer_ms, 3),
            "total": round(r.retrieve_ms + answer_ms, 3),
        }
        return [(answer, timing) for answer in answers]

    def prepare_many(self, questions: Sequence[str]) -> list[Prepared]:
        """The questions' candidate sentences with their features, for training answer models."""
        questions = self.standing_alone(questions)
        passages, vectors, _ = self._retrieve(questions, ANSWER_CANDIDATES)
        return self.extractor.prepare_many(questions, passages, vectors)

    def standing_alone(self, questions: Sequence[str]) -> list[str]:
        """Each question as ``resolve_followup`` makes it stand alone without history: unchanged unless it
        opens with statements its last sentence leans on."""
        return [resolve_followup(q, [], self.most_tied, self.gender_of) for q in questions]

    def most_tied(self, people: Sequence[str], words: str) -> int:
        """Index in ``people`` of the one the corpus ties most to ``words`` (a follow-up without its
        pronouns); 0 unless another is tied strictly more. Follow-ups use it to choose whom "he" is
        (``resolve_followup``): after "Who did Rutte meet?" answered with Iwaya, "What did he say at
        Keio?" means Rutte, whom a sentence places at Keio.

        A person's tie is the idf weight of the content terms of ``words`` (stopwords left out) in the
        best sentence that names them (one of their two rarest terms), among the sentences of the
        ``TIE_CHUNKS`` chunks BM25 ranks first for those terms. Costs one BM25 pass over the index
        (0.2 ms on the whole BBC index, warm), only for follow-ups naming several people."""
        own = content_terms(words)
        if len(people) < 2 or not own:
            return 0
        lexical = self.data.lexical
        weight = {t: lexical.term_idf(t) for t in own}
        keys = [set(sorted(content_terms(p), key=lexical.term_idf, reverse=True)[:2]) for p in people]
        scores = lexical.score_many([" ".join(own)])[0]
        best = [0.0] * len(people)
        for row in np.argsort(-scores)[:TIE_CHUNKS]:
            if scores[row] <= 0:
                break
            chunk = self.data.chunks[int(row)]
            known = self.extractor.terms_of(chunk.doc_id)
            for i, (start, end) in enumerate(self.extractor.spans_of(chunk.doc_id)):
                if end <= chunk.start or start >= chunk.end:
                    continue
                sentence = known.sentence(i)
                tie = sum(w for t, w in weight.items() if t in sentence)
                for j, key in enumerate(keys):
                    if key & sentence and tie > best[j]:
                        best[j] = tie
        top = max(range(len(people)), key=lambda j: (best[j], -j))
        return top if best[top] > best[0] else 0

    def gender_of(self, name: str) -> str | None:
        """ "f" or "m" when the corpus writes of ``name`` (a person's name; its last word is looked for) as of a
        woman or a man, else None. Follow-ups use it so that "What time does she start?" does not mean the Dr
        Daniel Whitlock the last answer named, whom the articles call "he" (``resolve_followup``).

        Read in the ``TIE_CHUNKS`` chunks BM25 ranks first for the name: a title before it ("Mrs", "Sir") and
        the first personal pronoun within ``GENDER_REACH`` characters after each mention each count once; one
        side must have at least twice the other's count. Costs one BM25 pass (as ``most_tied``), only for a
        follow-up with "he" or "she" that the last turn answers with someone."""
        surname = re.sub(r"['’]s$", "", name.split()[-1]) if name.split() else ""
        if not content_terms(surname):
            return None
        scores = self.data.lexical.score_many([surname])[0]
        mention = re.compile(r"\b" + re.escape(surname) + r"\b")
        votes = {"f": 0, "m": 0}
        for row in np.argsort(-scores)[:TIE_CHUNKS]:
            if scores[row] <= 0:
                break
            chunk = self.data.chunks[int(row)]
            text = self.data.documents[chunk.doc_id].text[chunk.start : chunk.end]
            for found in mention.finditer(text):
                titled = _TITLE_BEFORE.search(text, max(0, found.start() - 40), found.start())
                if titled:
                    votes["f" if titled.group("f") else "m"] += 1
                pronoun = _GENDERED.search(text, found.end(), found.end() + GENDER_REACH)
                if pronoun:
                    votes["f" if pronoun.group(0).lower() in FEMALE else "m"] += 1
        if votes["f"] > 2 * votes["m"]:
            return "f"
        if votes["m"] > 2 * votes["f"]:
            return "m"
        return None

    def ask(self, question: str, k: int = 5) -> tuple[Answer, dict[str, float]]:
        return self.ask_many([question], k)[0]

    def with_abstain_model(self, model: AbstainModel) -> Engine:
        return Engine(self.data, self.embedder, self.retrieval, model)

    def document(self, doc_id: str) -> Document:
        doc = self.data.documents.get(doc_id)
        if doc is None:
            spelled = spelled_as_id(doc_id, self.data.documents)
            raise DocumentNotFound(f"no document {doc_id!r}{spelled}: list them with GET /v1/documents")
        return doc

    def documents(self) -> list[tuple[Document, int]]:
        counts = self.data.chunk_counts
        return [(d, counts.get(d.doc_id, 0)) for d in self.data.documents.values()]


__all__ = ["Engine", "Retrieved", "SearchResult"]
