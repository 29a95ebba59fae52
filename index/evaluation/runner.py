"""Batch evaluation: run a question set through an engine (or a server) and score every answer.

A ``Runner`` answers batches of questions and gives document texts; ``InProcessRunner`` wraps
the same ``Engine`` the HTTP API uses (``citeqa.service.cli.remote`` has one that calls a server).
``evaluate`` turns what came back into per-question ``Scored`` rows and averaged figures
(definitions in ``citeqa.index.evaluation.metrics`` and docs/evaluation.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from citeqa.index.engine import Engine
from citeqa.index.errors import UnsupportedLanguage
from citeqa.index.evaluation import metrics as m
from citeqa.index.evaluation.question_sets import Question, QuestionSet
from citeqa.index.text.language import check_language

Progress = Callable[[int, int], None]
Span = tuple[str, int, int]


@dataclass(frozen=True)
class Observation:
    """What the service returned for one question: passages, answer, citations, latency; for an abstention, its
    ``abstention_code`` (``not_in_corpus``, ``low_confidence``...: ``/v1/ask``'s ``abstention.code``) and its
    ``reason`` for people (None when answered, or retrieval only)."""

    answerable: bool | None
    answer: str
    passages: tuple[Span, ...]
    citations: tuple[tuple[str, int, int, str], ...]
    latency_ms: float
    confidence: float | None = None
    abstention_code: str | None = None
    reason: str | None = None

    @classmethod
    def of(cls, answer: Any, latency_ms: float) -> Observation:
        """What ``answer`` says, an engine's ``Answer`` or the client's ``AskResponse`` (both have
        ``answerable``, ``answer``, ``confidence``, ``reason``, ``abstention`` with its ``code``, ``passages``
        and ``citations`` with offsets)."""
        return cls(
            answerable=answer.answerable,
            answer=answer.answer,
            passages=tuple((p.doc_id, p.start, p.end) for p in answer.passages),
            citations=tuple((c.doc_id, c.start, c.end, c.quote) for c in answer.citations),
            latency_ms=latency_ms,
            confidence=answer.confidence,
            abstention_code=answer.abstention.code if answer.abstention is not None else None,
            reason=answer.reason,
        )


def language_refusal(question: str) -> str | None:
    """The refusal of ``question`` when it is in a language the model does not handle
    (``citeqa.index.text.language.check_language``: the API's 422 ``unsupported_language``), else None."""
    try:
        check_language(question)
    except UnsupportedLanguage as exc:
        return str(exc)
    return None


def refusal_observation(message: str, latency_ms: float) -> Observation:
    """A question the service refused (another language): an abstention citing nothing, its ``answer`` the
    refusal's message, its code the API's error code (``unsupported_language``) and its reason the message."""
    return Observation(
        answerable=False,
        answer=f"{REFUSED_LANGUAGE}{message}",
        passages=(),
        citations=(),
        latency_ms=latency_ms,
        abstention_code=UnsupportedLanguage.code,
        reason=message,
    )


REFUSED_LANGUAGE = f"{UnsupportedLanguage.code}: "
"""How ``refusal_observation``'s answer begins."""


class Runner(Protocol):
    """Something that answers questions like ``POST /v1/ask`` and serves document texts."""

    retrieval_only: bool

    def run(self, questions: Sequence[str], k: int) -> list[Observation]: ...

    def document_text(self, doc_id: str) -> str | None: ...

    def document_ids(self) -> list[str]: ...

    def describe(self) -> dict[str, Any]: ...


class InProcessRunner:
    """Runs batches through ``Engine.ask_many`` (or ``search_many`` when ``retrieval_only``).

    A batch is timed as a whole; each question's latency is the batch time / batch size.
    """

    def __init__(self, engine: Engine, retrieval_only: bool = False) -> None:
        self.engine = engine
        self.retrieval_only = retrieval_only

    def run(self, questions: Sequence[str], k: int) -> list[Observation]:
        started = time.perf_counter()
        if self.retrieval_only:
            results = self.engine.search_many(questions, k)
            each = (time.perf_counter() - started) * 1000 / max(len(questions), 1)
            return [
                Observation(None, "", tuple((p.doc_id, p.start, p.end) for p in r.passages), (), each) for r in results
            ]
        # a question in a language the model does not handle is refused, as /v1/ask and ``citeqa ask`` refuse it
        refused = {i: message for i, q in enumerate(questions) if (message := language_refusal(q)) is not None}
        asked = [q for i, q in enumerate(questions) if i not in refused]
        answers = iter(self.engine.ask_many(asked, k) if asked else [])
        each = (time.perf_counter() - started) * 1000 / max(len(questions), 1)
        out = []
        for i in range(len(questions)):
            if i in refused:
                out.append(refusal_observation(refused[i], each))
                continue
            answer, _ = next(answers)
            out.append(Observation.of(answer, each))
        return out

    def document_text(self, doc_id: str) -> str | None:
        doc = self.engine.data.documents.get(doc_id)
        return doc.text if doc else None

    def document_ids(self) -> list[str]:
        return list(self.engine.data.documents)

    def describe(self) -> dict[str, Any]:
        return {"mode": "in-process", "index": self.engine.data.manifest.summary()}


@dataclass(frozen=True)
class Scored:
    """One question's outcome: what was expected, what came back, and its per-question metrics."""

    question: Question
    observation: Observation
    doc_ranking: tuple[str, ...]
    relevant: Mapping[str, float]
    doc_rank: int | None
    evidence_rank: int | None
    k: int
    metrics: dict[str, float | None] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """Wrong abstention decision, or an answer that misses every acceptable answer."""
        got = self.observation.answerable
        if got is not None and got != self.question.answerable:
            return True
        return self.metrics.get("answer.containment") == 0.0 or self.metrics.get(f"document.hit@{self.k}") == 0.0

    @property
    def evidence_not_found(self) -> bool:
        """The question has ``evidence`` that none of its relevant documents holds (a typo, most often): it
        counts in no evidence figure (``evidence.*``, ``answer.evidence_support``)."""
        return self.question.evidence is not None and f"evidence.hit@{self.k}" not in self.metrics

    @property
    def without_answers(self) -> bool:
        """An answerable question with no acceptable answers, in a run that answers: its answer cannot be
        checked, so it counts in no answer figure and is never ``correct``."""
        answered_run = self.observation.answerable is not None
        return answered_run and self.question.answerable and not self.question.answers


@dataclass(frozen=True)
class UnknownDocuments:
    """Relevant document ids (``doc_id``, BEIR qrels) the evaluated index does not hold, and how many
    questions name one: their document figures count them as misses."""

    ids: tuple[str, ...] = ()
    questions: int = 0


@dataclass(frozen=True)
class EvalResult:
    """Per-question rows, averaged figures and the recall@k curves of one run."""

    rows: tuple[Scored, ...]
    figures: dict[str, float | None]
    curves: dict[str, list[float | None]]
    k: int
    run: dict[str, Any]
    unknown: UnknownDocuments = UnknownDocuments()

    @property
    def evidence_not_found(self) -> tuple[str, ...]:
        """Ids of the questions whose evidence none of their documents holds (``Scored.evidence_not_found``)."""
        return tuple(r.question.id for r in self.rows if r.evidence_not_found)

    @property
    def without_answers(self) -> tuple[str, ...]:
        """Ids of the answerable questions with no answers to check (``Scored.without_answers``)."""
        return tuple(r.question.id for r in self.rows if r.without_answers)

    @property
    def refused_language(self) -> tuple[str, ...]:
        """Ids of the questions refused as written in a language the model does not handle (``refusal_observation``:
        abstentions, counted as such)."""
        return tuple(r.question.id for r in self.rows if r.observation.answer.startswith(REFUSED_LANGUAGE))


def evaluate(
    qset: QuestionSet, runner: Runner, k: int = 10, batch_size: int = 32, progress: Progress | None = None
) -> EvalResult:
    """Answer every question of ``qset`` in batches and score the answers."""
    questions = list(qset.questions)
    observations: list[Observation] = []
    for begin in range(0, len(questions), batch_size):
        batch = questions[begin : begin + batch_size]
        observations.extend(runner.run([q.question for q in batch], k))
        if progress:
            progress(len(observations), len(questions))
    scorer = _Scorer(runner, k)
    rows = tuple(scorer.score(q, o) for q, o in zip(questions, observations, strict=True))
    figures = aggregate(rows, k, retrieval_only=runner.retrieval_only)
    curves = {
        "document": [m.mean(_recall_curve_point(r.doc_ranking, r.relevant, i) for r in rows) for i in _ks(k)],
        "evidence": [m.mean(_evidence_curve_point(r, i) for r in rows) for i in _ks(k)],
    }
    run = {"questions": len(rows), "k": k, "batch_size": batch_size, **runner.describe()}
    return EvalResult(rows, figures, curves, k, run, unknown_documents(questions, runner))


def unknown_documents(questions: Sequence[Question], runner: Runner) -> UnknownDocuments:
    """The relevant document ids of ``questions`` that ``runner``'s index does not hold (sorted)."""
    labelled = [q for q in questions if q.relevant]
    if not labelled:
        return UnknownDocuments()
    known = set(runner.document_ids())
    missing = [[d for d in q.relevant if d not in known] for q in labelled]
    return UnknownDocuments(tuple(sorted({d for m in missing for d in m})), sum(bool(m) for m in missing))


def _ks(k: int) -> range:
    return range(1, k + 1)


def _recall_curve_point(ranking: Sequence[str], relevant: Mapping[str, float], i: int) -> float | None:
    return m.recall_at(ranking, relevant, i) if relevant else None


def _evidence_curve_point(row: Scored, i: int) -> float | None:
    if f"evidence.hit@{row.k}" not in row.metrics:
        return None
    return 1.0 if row.evidence_rank is not None and row.evidence_rank <= i else 0.0


class _Scorer:
    """Scores observations; finds evidence in document texts (cached per document)."""

    def __init__(self, runner: Runner, k: int) -> None:
        self.runner = runner
        self.k = k
        self._evidence_spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        self._texts: dict[str, str | None] = {}

    def text(self, doc_id: str) -> str | None:
        if doc_id not in self._texts:
            self._texts[doc_id] = self.runner.document_text(doc_id)
        return self._texts[doc_id]

    def evidence_spans(self, doc_id: str, evidence: str) -> list[tuple[int, int]]:
        key = (doc_id, evidence)
        if key not in self._evidence_spans:
            text = self.text(doc_id)
            self._evidence_spans[key] = m.find_spans(text, evidence) if text is not None else []
        return self._evidence_spans[key]

    def relevant_docs(self, q: Question) -> dict[str, float]:
        """The labelled documents, else those whose text holds the evidence."""
        if q.relevant or q.evidence is None:
            return dict(q.relevant)
        return {d: 1.0 for d in self.runner.document_ids() if self.evidence_spans(d, q.evidence)}

    def score(self, q: Question, o: Observation) -> Scored:
        ranking = tuple(m.first_occurrences(d for d, _, _ in o.passages))
        relevant = self.relevant_docs(q)
        values: dict[str, float | None] = {}
        doc_rank = None
        if relevant:
            values.update({f"document.{n}": v for n, v in m.ranking_metrics(ranking, relevant, self.k).items()})
            doc_rank = m.first_relevant_rank(ranking, relevant)
        evidence_rank = None
        evidence_found = q.evidence is not None and any(self.evidence_spans(d, q.evidence) for d in relevant)
        if evidence_found and q.evidence is not None:  # (the second test only narrows the type)
            passage_hits = [
                "evidence" if self._holds_evidence(p, q.evidence) else f"p{i}" for i, p in enumerate(o.passages)
            ]
            units = m.first_occurrences(passage_hits)
            values.update({f"evidence.{n}": v for n, v in m.ranking_metrics(units, {"evidence": 1.0}, self.k).items()})
            evidence_rank = m.first_relevant_rank(units, {"evidence": 1.0})
        if not self.runner.retrieval_only:
            values.update(self._answer_metrics(q, o, evidence_found))
        values["latency_ms"] = o.latency_ms
        return Scored(q, o, ranking, relevant, doc_rank, evidence_rank, self.k, values)

    def _holds_evidence(self, passage: Span, evidence: str) -> bool:
        doc_id, start, end = passage
        return any(m.span_contains((start, end), s) for s in self.evidence_spans(doc_id, evidence))

    def _quote_matches(self, doc_id: str, start: int, end: int, quote: str) -> bool:
        text = self.text(doc_id)
        return text is not None and text[start:end] == quote

    def _answer_metrics(self, q: Question, o: Observation, evidence_found: bool) -> dict[str, float | None]:
        """The answer figures of one question; ``answer.evidence_support`` only when its evidence was found
        in a relevant document (as ``evidence.*``): a typo in a label is not the service's failure."""
        out: dict[str, float | None] = {}
        answered = bool(o.answerable)
        if q.answerable and q.answers:
            out["answer.containment"] = float(answered and m.contains_answer(o.answer, q.answers))
            out["answer.token_f1"] = m.best_token_f1(o.answer, q.answers) if answered else 0.0
        if o.citations:
            valid = [self._quote_matches(d, s, e, quote) for d, s, e, quote in o.citations]
            out["answer.citation_validity"] = sum(valid) / len(valid)
        if q.answerable and evidence_found and q.evidence is not None:
            out["answer.evidence_support"] = float(
                answered
                and any(
                    m.spans_overlap((s, e), span)
                    for d, s, e, _ in o.citations
                    for span in self.evidence_spans(d, q.evidence)
                )
            )
        return out


ANSWER_FIGURES = ("answer.containment", "answer.token_f1", "answer.citation_validity", "answer.evidence_support")


def figure_order(k: int) -> tuple[str, ...]:
    """The order of the per-question figures, whatever order the questions gave them in, so that every
    run's figures line up: ``figure_order(5)[:2]`` is ``("document.hit@5", "document.recall@5")``, then
    the document and evidence figures and ``ANSWER_FIGURES``."""
    ranking = tuple(m.ranking_metrics([], {"x": 1.0}, k))
    return (
        *(f"document.{n}" for n in ranking),
        *(f"evidence.{n}" for n in ranking),
        *ANSWER_FIGURES,
    )


def aggregate(rows: Sequence[Scored], k: int, retrieval_only: bool = False) -> dict[str, float | None]:
    """Averages of the per-question metrics (in ``figure_order``), abstention figures and latency percentiles."""
    present = {n for r in rows for n in r.metrics if n != "latency_ms"}
    order = figure_order(k)
    names = [n for n in order if n in present] + sorted(present - set(order))
    figures: dict[str, float | None] = {name: m.mean(r.metrics.get(name) for r in rows) for name in names}
    if not retrieval_only:
        ab = m.abstention_metrics([bool(r.observation.answerable) for r in rows], [r.question.answerable for r in rows])
        figures.update(
            {
                "abstention.precision": ab.precision,
                "abstention.recall": ab.recall,
                "abstention.accuracy": ab.accuracy,
            }
        )
    latencies = [r.observation.latency_ms for r in rows]
    figures.update(
        {
            "latency.p50_ms": m.percentile(latencies, 50),
            "latency.p95_ms": m.percentile(latencies, 95),
            "latency.max_ms": max(latencies) if latencies else None,
        }
    )
    return figures


@dataclass(frozen=True)
class Difference:
    """A figure that moved between a baseline and a new run; ``missing`` says why a figure of the
    baseline has no value in the new run (empty otherwise)."""

    name: str
    baseline: float | None
    current: float | None
    tolerance: float
    missing: str = ""

    @property
    def regressed(self) -> bool:
        if self.baseline is None:
            return False
        if self.current is None:
            return True
        return self.current < self.baseline - self.tolerance - 1e-12


def compare(
    baseline: dict[str, float | None],
    current: dict[str, float | None],
    default_tolerance: float = 0.02,
    tolerances: dict[str, float] | None = None,
) -> list[Difference]:
    """Quality figures (all higher-is-better; latency excluded, it depends on the machine) that changed."""
    tolerances = tolerances or {}
    out = []
    for name in sorted(set(baseline) | set(current)):
        if name.startswith("latency."):
            continue
        old, new = baseline.get(name), current.get(name)
        if old == new:
            continue
        why = why_missing(name, current) if new is None and old is not None else ""
        out.append(Difference(name, old, new, tolerances.get(name, default_tolerance), why))
    return out


def why_missing(name: str, current: Mapping[str, float | None]) -> str:
    """Why figure ``name`` has no value in ``current`` (a run's figures), as a clause naming the fix:
    "is not in this report: the question sets differ (this one has no evidence labels); ..."."""
    same_set = "compare reports of the same question set"
    if name in current:
        return f"is n/a in this report: {_NOT_APPLICABLE.get(name, 'no question of this set counts for it')}"
    family, _, cutoff = name.partition("@")
    other = sorted({n.partition("@")[2] for n in current if "@" in n and n.partition("@")[0] == family} - {cutoff})
    if other:
        return (
            f"is not in this report: it was made with -k {other[0]}, the baseline with -k {cutoff}; "
            "compare reports made with the same -k"
        )
    if name.startswith(("answer.", "abstention.")) and not any(n.startswith("abstention.") for n in current):
        return (
            "is not in this report: it was made with --retrieval-only, the baseline without; "
            "compare reports made the same way"
        )
    lacks = next((why for prefix, why in _MISSING_LABELS if name.startswith(prefix)), "labels for it")
    return f"is not in this report: the question sets differ (this one has no {lacks}); {same_set}"


_MISSING_LABELS = (
    ("document.", "doc_id labels, nor evidence found in a document"),
    ("evidence.", "evidence labels, or none found in its documents"),
    ("answer.evidence_support", "answerable question with evidence labels"),
    ("answer.citation_validity", "answer with citations"),
    ("answer.", "answerable question with expected answers"),
)
_NOT_APPLICABLE = {
    "abstention.precision": "the service abstained on no question",
    "abstention.recall": "no question of this set is labelled unanswerable; compare reports of the same question set",
    "abstention.accuracy": "the set has no questions",
}
