"""Extractive answers: pick the sentence(s) that answer, cite them exactly, or abstain.

No language model: sentences of the retrieved passages are scored by how much of the
question's idf-weighted terms they (and their neighbours) hold, how well their passage was
retrieved, whether they hold the kind of thing the question asks for (a name, a date, an
amount, a cause, an acronym's expansion; ``citeqa.index.text.questions``) and their cosine similarity to
the question. Abstention combines several signals in a small logistic model
(``citeqa.index.answering.abstention``) whose weights are stored as JSON and recalibrated with ``citeqa calibrate``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from citeqa.index.answering.abstention import AbstainModel, load_abstain_model
from citeqa.index.domain import Document, Vectors
from citeqa.index.retrieval.hybrid import Passage
from citeqa.index.store.lexical import LexicalIndex
from citeqa.index.text.questions import (
    focus_terms,
    question_type,
    specific_terms,
    surface_words,
    type_match,
    without_question_form,
)
from citeqa.index.text.sentences import sentence_spans
from citeqa.index.text.tokens import STOPWORDS, content_terms

MAX_ANSWER_CHARS = 350
SEMANTIC_POOL = 12
SCORE_WEIGHTS = {  # chosen on bbc_dev + eval/bbc_holdout (bench/answer_quality.py); see docs/evaluation.md
    "coverage": 0.5,
    "context": 0.8,
    "focus": 0.8,
    "type": 0.8,
    "passage": 0.2,
    "novelty": 0.1,
    "rank": -0.015,
    "similarity": 0.8,
}
Encode = Callable[[Sequence[str]], Vectors]
NOT_COVERED = "The articles don't cover this question."


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
class Abstention:
    """Why a question was not answered: a stable ``code``, the question words at issue, a message."""

    code: str
    message: str
    terms: tuple[str, ...] = ()


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
    abstention: Abstention | None = None


@dataclass(frozen=True)
class Candidate:
    """A sentence that may answer, with the features it was scored on."""

    doc_id: str
    start: int
    end: int
    score: float
    features: dict[str, float]
    similarity: float = 0.0

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.doc_id, self.start, self.end)


@dataclass(frozen=True)
class _Question:
    text: str
    kind: str
    weights: dict[str, float]
    specific: list[str]
    focus: list[str]
    unknown: list[str]


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
        self.model = model or load_abstain_model()
        self._vectors: dict[tuple[str, int, int], Vectors] = {}
        self._cache_size = cache_size
        self._max_idf = lexical.term_idf("\0never-a-term")

    def answer_many(
        self,
        questions: Sequence[str],
        passages: Sequence[Sequence[Passage]],
        question_vectors: Vectors,
        shown: int,
    ) -> list[Answer]:
        """Answers for a batch; the candidate sentences of all questions are embedded in one call."""
        parsed = [self._parse(q) for q in questions]
        pools = [self._candidates(q, p)[:SEMANTIC_POOL] for q, p in zip(parsed, passages, strict=True)]
        self._embed_missing([c for pool in pools for c in pool])
        out = []
        for i, question in enumerate(parsed):
            ranked = self._rescore(pools[i], question_vectors[i])
            out.append(self._decide(question, ranked, passages[i], shown))
        return out

    def _parse(self, question: str) -> _Question:
        """Weights are idf; a plain word the corpus never uses ("give" where it says "gave") is left out,
        while a name or number it never mentions keeps the highest weight (it must be matched)."""
        specific = specific_terms(question)
        terms = content_terms(without_question_form(question))
        unknown = [t for t in terms if t not in self.lexical.vocab]
        weights = {t: self.lexical.term_idf(t) for t in terms if t in self.lexical.vocab or t in specific}
        return _Question(question, question_type(question), weights, specific, focus_terms(question), unknown)

    def _decide(self, q: _Question, ranked: list[Candidate], passages: Sequence[Passage], shown: int) -> Answer:
        signals = self._signals(q, ranked, passages)
        p = self.model.probability(signals)
        shown_passages = tuple(passages[:shown])
        if not ranked or p < self.model.threshold:
            why = self._abstention(q, ranked, passages, p)
            return Answer(q.text, False, NOT_COVERED, (), shown_passages, round(p, 4), why.message, signals, why)
        citations = tuple(self._cite(i + 1, span) for i, span in enumerate(self._choose(ranked)))
        text = " ".join(f"{c.quote} [{c.id}]" for c in citations)
        return Answer(q.text, True, text, citations, shown_passages, round(p, 4), None, signals)

    def _candidates(self, q: _Question, passages: Sequence[Passage]) -> list[Candidate]:
        total = sum(q.weights.values()) or 1.0
        seen: set[tuple[str, int]] = set()
        out = []
        for rank, passage in enumerate(passages):
            doc = self.documents[passage.doc_id]
            title_terms = set(content_terms(doc.title))
            spans = sentence_spans(passage.text, passage.start)
            sentence_terms = [set(content_terms(doc.text[s:e])) for s, e in spans]
            for i, (start, end) in enumerate(spans):
                if (passage.doc_id, start) in seen:
                    continue
                seen.add((passage.doc_id, start))
                present = sentence_terms[i]
                around = present | title_terms | (sentence_terms[i - 1] if i else set())
                coverage = _coverage(q.weights, present) / total
                features = {
                    "coverage": coverage,
                    "context": _coverage(q.weights, around) / total,
                    "focus": _coverage(dict.fromkeys(q.focus, 1.0), present) / len(q.focus) if q.focus else coverage,
                    "type": type_match(q.kind, doc.text[start:end], q.text, doc.text),
                    "passage": passage.score,
                    "novelty": len(present - set(q.weights)) / max(len(present), 1),
                    "rank": float(rank),
                }
                score = sum(SCORE_WEIGHTS[name] * value for name, value in features.items())
                out.append(Candidate(passage.doc_id, start, end, score, features))
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
            rescored.append(replace(c, similarity=similarity, score=c.score + SCORE_WEIGHTS["similarity"] * similarity))
        return sorted(rescored, key=lambda c: -c.score)

    def _signals(self, q: _Question, ranked: list[Candidate], passages: Sequence[Passage]) -> dict[str, float]:
        if not ranked or not passages:
            return {"unknown": 1.0 if q.specific else 0.0}
        best = ranked[0]
        passage = next(p for p in passages if p.doc_id == best.doc_id and p.start <= best.start < p.end)
        doc = self.documents[best.doc_id]
        in_passage = set(content_terms(doc.title + "\n" + passage.text))
        in_doc = set(content_terms(doc.title + "\n" + doc.text))
        missing = [t for t in q.weights if t not in in_passage and t in self.lexical.vocab]
        rare_missing = max((q.weights[t] for t in missing), default=0.0) / self._max_idf
        others = [c.score for c in ranked[1:] if c.doc_id != best.doc_id]
        top_dense = max(passages, key=lambda p: p.dense_score)
        top_lexical = max(passages, key=lambda p: p.lexical_score)
        agreement = 0.5 * (top_dense.doc_id == best.doc_id) + 0.5 * (top_lexical.doc_id == best.doc_id)
        return {
            "coverage": round(best.features["context"], 4),
            "rare_missing": round(rare_missing, 4),
            "specific_missing": round(_share_missing(q.specific, in_doc), 4),
            "unknown": round(_share_missing(q.specific, self.lexical.vocab), 4),
            "dense": round(max(p.dense_score for p in passages), 4),
            "similarity": round(best.similarity, 4),
            "agreement": agreement,
            "type_match": best.features["type"],
            "focus": round(best.features["focus"], 4),
            "margin": round(min(1.0, best.score - max(others, default=0.0)), 4),
        }

    def _abstention(self, q: _Question, ranked: list[Candidate], passages: Sequence[Passage], p: float) -> Abstention:
        surface = surface_words(q.text)
        unknown = [t for t in q.specific if t in q.unknown] + q.unknown
        if unknown:
            terms = tuple(dict.fromkeys(surface.get(t, t) for t in unknown))
            return Abstention("not_in_corpus", f"no passage mentions {_quoted(terms)}", terms)
        if not ranked or not passages:
            return Abstention("no_passage", "no passage was retrieved")
        best = ranked[0]
        doc = self.documents[best.doc_id]
        passage_terms = set(
            content_terms(doc.title + "\n" + " ".join(x.text for x in passages if x.doc_id == doc.doc_id))
        )
        missing = sorted((t for t in q.weights if t not in passage_terms), key=lambda t: -q.weights[t])
        if missing:
            terms = tuple(dict.fromkeys(surface.get(t, t) for t in missing[:3]))
            return Abstention(
                "terms_not_in_passage",
                f"the closest article ({doc.title!r}) does not mention {_quoted(terms)}",
                terms,
            )
        return Abstention(
            "low_confidence",
            f"no sentence clearly answers it (confidence {p:.2f} < {self.model.threshold:.2f})",
        )

    def _choose(self, ranked: list[Candidate]) -> list[tuple[str, int, int, float]]:
        """One or two sentences: the best, extended by its follower when it says little on its own."""
        best = ranked[0]
        text = self.documents[best.doc_id].text
        spans = [(best.doc_id, best.start, best.end, best.score)]
        sentence = text[best.start : best.end]
        if best.features["novelty"] < 0.3 or sentence.rstrip().endswith(":"):
            following = sentence_spans(text[best.end : best.end + MAX_ANSWER_CHARS * 2], best.end)
            if following and following[0][1] - best.start <= MAX_ANSWER_CHARS:
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


def _share_missing(terms: Sequence[str], known: set[str] | dict[str, int]) -> float:
    return sum(t not in known for t in terms) / len(terms) if terms else 0.0


def _quoted(terms: Sequence[str]) -> str:
    quoted = [repr(t) for t in terms]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a sentence longer than the answer limit to its first clauses, at a word boundary."""
    if end - start <= MAX_ANSWER_CHARS:
        return start, end
    cut = text.rfind(" ", start, start + MAX_ANSWER_CHARS)
    return start, cut if cut > start else start + MAX_ANSWER_CHARS


__all__ = ["NOT_COVERED", "STOPWORDS", "AbstainModel", "Abstention", "Answer", "Citation", "Extractor", "question_type"]
