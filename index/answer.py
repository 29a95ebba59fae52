"""Extractive answers: pick the sentence(s) that answer, cite them exactly, or abstain.

No language model: sentences of the retrieved passages are scored by how much of the
question's weighted terms they hold, how well their passage was retrieved, and whether they
hold the kind of thing the question asks for (a name, a date, an amount, an expansion of an
acronym...). Abstention combines several signals in a small logistic model (``AbstainModel``)
whose weights are settings and can be recalibrated on labelled questions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from index.corpus import Document
from index.embedding import Vectors
from index.lexical import LexicalIndex
from index.retrieval import Passage
from index.sentences import sentence_spans
from index.tokens import STOPWORDS, content_terms, words

MAX_ANSWER_CHARS = 350
SEMANTIC_POOL = 10
SEMANTIC_WEIGHT = 1.0
Encode = Callable[[Sequence[str]], Vectors]
NOT_COVERED = "The articles don't cover this question."

_MONTHS = "january february march april may june july august september october november december"
_DATE = re.compile(
    r"\b(?:\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+(?:"
    + "|".join(_MONTHS.split())
    + r")|(?:"
    + "|".join(_MONTHS.split())
    + r")|last (?:year|month|week)|yesterday|today|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"[$£€]\s?\d|\d[\d,.]*\s?(?:%|m\b|bn\b|million|billion|euros?|dollars?|pounds?)|\b\d[\d,.]*\b")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")
_CAUSE = re.compile(
    r"\b(?:because|due to|as a result|since|after|so that|in order to|led to|caused|forced|after|mistake|to)\b",
    re.IGNORECASE,
)
_PLACE = re.compile(r"\b(?:in|at|near|from)\s+(?:the\s+)?[A-Z][\w’'-]+")


@dataclass(frozen=True)
class Citation:
    """An exact quote: ``quote == document.text[start:end]``."""

    id: int
    doc_id: str
    title: str
    url: str | None
    quote: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Answer:
    """The answer to one question, with its citations and the passages it was drawn from."""

    question: str
    answerable: bool
    answer: str
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    confidence: float = 0.0
    reason: str | None = None
    signals: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class AbstainModel:
    """Logistic model over abstention signals; the question is answered when p >= threshold."""

    bias: float = -4.0
    coverage: float = 6.0
    unknown: float = -4.0
    dense: float = 3.0
    agreement: float = 1.0
    type_match: float = 0.5
    threshold: float = 0.5

    def probability(self, signals: dict[str, float]) -> float:
        z = (
            self.bias
            + self.coverage * signals["coverage"]
            + self.unknown * signals["unknown"]
            + self.dense * signals["dense"]
            + self.agreement * signals["agreement"]
            + self.type_match * signals["type_match"]
        )
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class Candidate:
    """A sentence that may answer, with the features it was scored on."""

    doc_id: str
    start: int
    end: int
    score: float
    coverage: float
    type_match: float
    passage_rank: int
    novelty: float
    similarity: float = 0.0

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.doc_id, self.start, self.end)


def question_type(question: str) -> str:
    q = question.lower().strip()
    first = words(q)[:3]
    if not first:
        return "other"
    if first[0] in ("who", "whom", "whose") or " which coach" in q or "which person" in q:
        return "who"
    if first[0] == "when" or "what year" in q or "what date" in q or "in what year" in q:
        return "when"
    if q.startswith(("how many", "how much", "how big", "how long", "how large", "by what score", "by what majority")):
        return "amount"
    if first[0] == "where" or "where in" in q:
        return "where"
    if first[0] == "why":
        return "why"
    if re.match(r"^(what|who)\s+(is|are|was|were)\s+(an?\s+|the\s+)?[\w\s.-]{1,40}\??$", q):
        return "definition"
    return "other"


def _acronyms(question: str) -> list[str]:
    return re.findall(r"\b[A-Z][A-Z0-9&]{1,9}s?\b", question)


def _type_match(kind: str, sentence: str, question: str) -> float:
    if kind == "when":
        return 1.0 if _DATE.search(sentence) else 0.0
    if kind == "amount":
        return 1.0 if _NUMBER.search(sentence) else 0.0
    if kind == "who":
        q_words = set(words(question))
        names = [n for n in _NAME.findall(sentence) if not set(words(n)) <= q_words]
        return 1.0 if names else 0.0
    if kind == "where":
        return 1.0 if _PLACE.search(sentence) else 0.0
    if kind == "why":
        return 1.0 if _CAUSE.search(sentence) else 0.0
    if kind == "definition":
        for acronym in _acronyms(question):
            if re.search(r"\(" + re.escape(acronym) + r"\)", sentence):
                return 1.0
        return 0.0
    return 0.0


class Extractor:
    """Chooses answer sentences from passages using corpus term statistics and sentence similarity."""

    def __init__(
        self,
        lexical: LexicalIndex,
        documents: dict[str, Document],
        encode: Encode,
        model: AbstainModel | None = None,
        cache_size: int = 50_000,
    ) -> None:
        self.lexical = lexical
        self.documents = documents
        self.encode = encode
        self.model = model or AbstainModel()
        self._vectors: dict[tuple[str, int, int], Vectors] = {}
        self._cache_size = cache_size

    def answer_many(
        self,
        questions: Sequence[str],
        passages: Sequence[Sequence[Passage]],
        question_vectors: Vectors,
        shown: int,
    ) -> list[Answer]:
        """Answers for a batch; the candidate sentences of all questions are embedded in one call."""
        weights = [{t: self.lexical.term_idf(t) for t in content_terms(q)} for q in questions]
        kinds = [question_type(q) for q in questions]
        pools = [
            self._candidates(q, p, w, k)[:SEMANTIC_POOL]
            for q, p, w, k in zip(questions, passages, weights, kinds, strict=True)
        ]
        self._embed_missing([c for pool in pools for c in pool])
        out = []
        for i, question in enumerate(questions):
            ranked = self._rescore(pools[i], question_vectors[i])
            out.append(self._decide(question, ranked, passages[i], weights[i], kinds[i], shown))
        return out

    def _decide(
        self,
        question: str,
        ranked: list[Candidate],
        passages: Sequence[Passage],
        weights: dict[str, float],
        kind: str,
        shown: int,
    ) -> Answer:
        signals = self._signals(question, weights, ranked, passages, kind)
        p = self.model.probability(signals)
        shown_passages = tuple(passages[:shown])
        if not ranked or p < self.model.threshold:
            reason = self._reason(question, weights, ranked)
            return Answer(question, False, NOT_COVERED, (), shown_passages, round(p, 4), reason, signals)
        citations = tuple(self._cite(i + 1, span) for i, span in enumerate(self._choose(ranked)))
        text = " ".join(f"{c.quote} [{c.id}]" for c in citations)
        return Answer(question, True, text, citations, shown_passages, round(p, 4), None, signals)

    def _candidates(
        self, question: str, passages: Sequence[Passage], weights: dict[str, float], kind: str
    ) -> list[Candidate]:
        total = sum(weights.values()) or 1.0
        seen: set[tuple[str, int]] = set()
        out = []
        for rank, passage in enumerate(passages):
            for start, end in sentence_spans(passage.text, passage.start):
                if (passage.doc_id, start) in seen:
                    continue
                seen.add((passage.doc_id, start))
                sentence = self.documents[passage.doc_id].text[start:end]
                present = set(content_terms(sentence))
                coverage = _coverage(weights, present) / total
                match = _type_match(kind, sentence, question)
                novelty = min(len(present - set(weights)), 3) / 3
                score = coverage + 0.25 * match + 0.2 * passage.score + 0.1 * novelty - 0.02 * rank
                out.append(Candidate(passage.doc_id, start, end, score, coverage, match, rank, novelty))
        out.sort(key=lambda c: -c.score)
        return out

    def _embed_missing(self, candidates: Sequence[Candidate]) -> None:
        keys = list(dict.fromkeys(c.key for c in candidates if c.key not in self._vectors))
        if not keys:
            return
        if len(self._vectors) + len(keys) > self._cache_size:
            self._vectors.clear()
        vectors = self.encode([self.documents[d].text[s:e] for d, s, e in keys])
        self._vectors.update(zip(keys, vectors, strict=True))

    def _rescore(self, pool: list[Candidate], question_vector: Vectors) -> list[Candidate]:
        rescored = []
        for c in pool:
            similarity = float(self._vectors[c.key] @ question_vector)
            rescored.append(replace(c, similarity=similarity, score=c.score + SEMANTIC_WEIGHT * similarity))
        return sorted(rescored, key=lambda c: -c.score)

    def _signals(
        self,
        question: str,
        weights: dict[str, float],
        ranked: list[Candidate],
        passages: Sequence[Passage],
        kind: str,
    ) -> dict[str, float]:
        specific = specific_terms(question)
        unknown = [t for t in specific if not self.lexical.document_frequency_known(t)]
        best = ranked[0] if ranked else None
        top = passages[0] if passages else None
        return {
            "coverage": best.coverage if best else 0.0,
            "unknown": len(unknown) / len(specific) if specific else 0.0,
            "dense": max(top.dense_score, best.similarity if best else 0.0) if top else 0.0,
            "agreement": 1.0 if top and top.lexical_score > 0 and top.score >= 0.9 else 0.0,
            "type_match": best.type_match if best and kind != "other" else 0.0,
        }

    def _reason(self, question: str, weights: dict[str, float], ranked: list[Candidate]) -> str:
        missing = [t for t in specific_terms(question) if not self.lexical.document_frequency_known(t)]
        missing += [
            t for t in sorted(weights, key=lambda t: -weights[t]) if not self.lexical.document_frequency_known(t)
        ]
        if missing:
            return f"no passage mentions {missing[0]!r}"
        if not ranked:
            return "no passage was retrieved"
        return "no sentence holds enough of the question's terms"

    def _choose(self, ranked: list[Candidate]) -> list[tuple[str, int, int, float]]:
        """One or two sentences: the best, extended by its follower when it says little on its own."""
        best = ranked[0]
        text = self.documents[best.doc_id].text
        spans = [(best.doc_id, best.start, best.end, best.score)]
        sentence = text[best.start : best.end]
        if best.novelty < 0.5 or sentence.rstrip().endswith(":"):
            following = sentence_spans(text[best.end : best.end + MAX_ANSWER_CHARS * 2], best.end)
            if following and following[0][1] - best.start <= MAX_ANSWER_CHARS * 1.5:
                spans = [(best.doc_id, best.start, following[0][1], best.score)]
        return spans

    def _cite(self, number: int, span: tuple[str, int, int, float]) -> Citation:
        doc_id, start, end, score = span
        doc = self.documents[doc_id]
        start, end = _window(doc.text, start, end)
        return Citation(number, doc.doc_id, doc.title, doc.url, doc.text[start:end], start, end, round(score, 4))


def _coverage(weights: dict[str, float], present: set[str]) -> float:
    """Weighted share of question terms in a sentence; a shared 5-letter prefix counts half."""
    prefixes = {t[:5] for t in present if len(t) >= 5}
    got = 0.0
    for term, weight in weights.items():
        if term in present:
            got += weight
        elif len(term) >= 5 and term[:5] in prefixes:
            got += weight / 2
    return got


def specific_terms(question: str) -> list[str]:
    """Stemmed names, acronyms and numbers of a question: what an answering sentence must mention."""
    found = re.findall(r"(?<!^)(?<![.?!]\s)\b[A-Z][\w’'&-]*|\b\d[\d,.]*\b", question.strip())
    return [t for t in dict.fromkeys(content_terms(" ".join(found))) if t not in STOPWORDS]


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a sentence longer than the answer limit to its first clauses, at a word boundary."""
    if end - start <= MAX_ANSWER_CHARS:
        return start, end
    cut = text.rfind(" ", start, start + MAX_ANSWER_CHARS)
    return start, cut if cut > start else start + MAX_ANSWER_CHARS


__all__ = ["NOT_COVERED", "STOPWORDS", "AbstainModel", "Answer", "Citation", "Extractor", "question_type"]
