"""Labelled questions in, answer-quality figures and a calibrated abstention model out.

Used by ``citeqa calibrate`` and the quality tests. A labelled question is a JSON object a
line with ``question``, ``answers`` (acceptable strings), ``evidence`` (a verbatim fragment
or null), ``answerable`` (absent means true) and optionally ``doc_id``, as in
``../shared/eval/bbc_dev.jsonl``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from citeqa.index.answering.abstention import AbstainModel, abstention_curve, choose_capped_threshold
from citeqa.index.answering.extraction import Answer
from citeqa.index.answering.training import (
    Example,
    TrainingParams,
    cross_validate,
    fit_answer_model,
    make_examples,
    select_params,
    served_rows,
    summarise,
    totals_utility,
)
from citeqa.index.answering.training import question_signals as question_signals_for
from citeqa.index.domain import Document
from citeqa.index.engine import Engine
from citeqa.index.errors import QuestionSetError
from citeqa.index.evaluation import metrics
from citeqa.index.evaluation.question_sets import Question, load_question_set
from citeqa.index.limits import DEFAULT_K

BATCH = 16


def read_labelled(path: Path) -> list[Question]:
    """The questions of a labelled file (JSONL or CSV, as ``load_question_set``); ``QuestionSetError`` if bad."""
    return list(load_question_set(path).questions)


def run_questions(engine: Engine, questions: Sequence[Question], k: int = 5) -> list[Answer]:
    answers: list[Answer] = []
    for begin in range(0, len(questions), BATCH):
        batch = questions[begin : begin + BATCH]
        answers.extend(a for a, _ in engine.ask_many([q.question for q in batch], k))
    return answers


def evidence_span(question: Question, documents: dict[str, Document]) -> tuple[str, int, int] | None:
    if not question.evidence:
        return None
    named = [documents[d] for d in question.relevant if d in documents]
    docs = named or list(documents.values())
    for doc in docs:
        at = doc.text.find(question.evidence)
        if at >= 0:
            return doc.doc_id, at, at + len(question.evidence)
    return None


def evidence_found(answer: Answer, span: tuple[str, int, int] | None, k: int) -> bool:
    """A passage among the first ``k`` overlaps at least half of the evidence."""
    if span is None:
        return False
    doc_id, start, end = span
    need = (end - start) / 2
    return any(p.doc_id == doc_id and min(end, p.end) - max(start, p.start) >= need for p in answer.passages[:k])


def contains_answer(answer: Answer, acceptable: Sequence[str]) -> bool:
    """An answer (not an abstention) holding one of the acceptable strings (``metrics.contains_answer``)."""
    return answer.answerable and metrics.contains_answer(answer.answer, acceptable)


def answer_figures(engine: Engine, questions: Sequence[Question], k: int = 5) -> dict[str, Any]:
    """Per-question verdicts and their totals, plus the abstention precision/recall curve."""
    answers = run_questions(engine, questions, k)
    rows = []
    for q, a in zip(questions, answers, strict=True):
        span = evidence_span(q, engine.data.documents) if q.answerable else None
        rows.append(
            {
                "id": q.id,
                "answerable": q.answerable,
                "evidence_at_k": evidence_found(a, span, k) if q.answerable else None,
                "contains": contains_answer(a, q.answers) if q.answerable else None,
                "abstained": not a.answerable,
                "confidence": a.confidence,
                "reason": a.reason,
                "answer": a.answer[:200],
            }
        )
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    totals = {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        f"evidence_at_{k}": sum(bool(r["evidence_at_k"]) for r in answerable),
        "contains_answer": sum(bool(r["contains"]) for r in answerable),
        "abstained_unanswerable": sum(bool(r["abstained"]) for r in unanswerable),
        "abstained_answerable": sum(bool(r["abstained"]) for r in answerable),
    }
    probabilities = [a.confidence for a in answers]
    labels = [q.answerable for q in questions]
    summary = (
        f"evidence@{k} {totals[f'evidence_at_{k}']}/{len(answerable)}, "
        f"answer contained {totals['contains_answer']}/{len(answerable)}, "
        f"abstained {totals['abstained_unanswerable']}/{len(unanswerable)} unanswerable and "
        f"{totals['abstained_answerable']}/{len(answerable)} answerable"
    )
    return {"totals": totals, "summary": summary, "rows": rows, "curve": abstention_curve(probabilities, labels)}


def prepare_questions(engine: Engine, questions: Sequence[Question]) -> list[Example]:
    """The questions' candidate sentences with features and good/bad marks (batches of ``BATCH``)."""
    prepared = []
    for begin in range(0, len(questions), BATCH):
        prepared.extend(engine.prepare_many([q.question for q in questions[begin : begin + BATCH]]))
    return make_examples(engine.extractor, questions, prepared)


def question_signals(engine: Engine, questions: Sequence[Question]) -> list[dict[str, float]]:
    return [dict(a.signals) for a in run_questions(engine, questions)]


@dataclass(frozen=True)
class Calibration:
    """The calibrated model and the abstention accuracy of the answers the service gives with the model
    before (``prior``) and after: the full answer path (``Extractor.finish``), its rule checks included
    (off-topic, another year's case, the person or measure asked for missing), as ``citeqa eval`` counts it.

    ``threshold_before``: the prior's threshold (a probability, 0 to 1); ``max_wrong_abstain``: the cap
    the threshold was chosen under, the largest share (0 to 1) of the answerable questions its
    probability may abstain on (``TrainingParams.max_wrong_abstain``, with or without a refit)."""

    model: AbstainModel
    questions: int
    accuracy_before: float
    accuracy_after: float
    params: TrainingParams | None = None
    cross_validation: dict[str, int] | None = None
    folds: int = 0
    by_article: bool = True
    threshold_before: float = 0.5
    max_wrong_abstain: float = TrainingParams.max_wrong_abstain
    current: dict[str, int] | None = None

    @property
    def improved(self) -> bool:
        """Whether the new model does better than the prior: out of fold when measured (``cross_validation``
        against the prior's ``current`` figures on the same questions, by ``training.totals_utility``; out of
        sample for the prior too unless it was fitted on them), else by abstention accuracy on the questions it
        was fitted on (flattering)."""
        if self.cross_validation is not None and self.current is not None:
            return totals_utility(self.cross_validation) > totals_utility(self.current)
        return self.accuracy_after > self.accuracy_before


def calibrate(
    engine: Engine,
    questions: Sequence[Question],
    prior: AbstainModel,
    *,
    refit: bool = True,
    strength: float = TrainingParams.ranker_l2,
    select: bool = False,
    folds: int = 0,
) -> Calibration:
    """Fit the sentence ranker and the answerability model (L2 penalty ``strength``) on ``questions`` and
    choose the threshold (``citeqa.index.answering.training.fit_answer_model``); with ``refit=False`` keep ``prior`` and
    choose only the threshold, as the refit does: the one maximising the accuracy of its probability alone
    among those abstaining on at most ``TrainingParams.max_wrong_abstain`` of the answerable questions
    (``choose_capped_threshold``; rule checks abstain whatever the threshold). Whether it does better than
    the prior's is ``Calibration.improved``.

    ``select``: choose the two penalties instead, by 4-fold cross-validation by article over
    ``training.GRID`` (``select_params``), as the shipped model's were chosen. ``folds`` (2 or more):
    also measure the recipe out of fold, ``folds``-fold by article (nested when ``select``), into
    ``cross_validation``: ``summarise``'s totals (answers holding an acceptable answer, answerable
    abstained, unanswerable abstained), the figures to expect on questions the fit never saw.

    Raises QuestionSetError without both labels, with more ``folds`` than articles, or when a fold of the
    cross-validation lacks them."""
    labels = [q.answerable for q in questions]
    if all(labels) or not any(labels):
        raise QuestionSetError("calibration needs both answerable and unanswerable questions")
    if (select or folds) and not refit:
        raise QuestionSetError("--select and --folds refit the model: leave out --threshold-only")
    if folds == 1 or folds < 0:
        raise QuestionSetError(f"--folds must be 2 or more (or 0 for none), not {folds}")
    _check_distinct(questions)
    questions = with_articles(questions, engine.data.documents)
    if folds:
        _check_folds(folds, questions)
    examples = prepare_questions(engine, questions)
    ranker = prior.ranker or engine.extractor.ranker
    before = served_accuracy(engine, examples, prior)
    current = summarise(served_rows(engine.extractor, examples, prior))["all"] if folds else None
    note = f"calibrated on {len(questions)} questions ({sum(labels)} answerable)"
    params: TrainingParams | None = None
    measured: dict[str, int] | None = None
    cap = TrainingParams.max_wrong_abstain
    if refit:
        try:
            params = select_params(engine.extractor, examples) if select else TrainingParams(strength, strength)
            if folds:
                rows = cross_validate(engine.extractor, examples, None if select else params, folds)
                measured = summarise(rows)["all"]
        except ValueError:
            raise QuestionSetError(
                "cross-validation needs answerable and unanswerable questions, and an answer sentence among the "
                "candidates, in every training fold: label more questions, over more articles, or use fewer --folds"
            ) from None
        note += f", ranker L2 {params.ranker_l2:g}, answerability L2 {params.abstain_l2:g}"
        cap = params.max_wrong_abstain
        try:
            model = fit_answer_model(engine.extractor, examples, params, note)
        except ValueError:  # no question with a sentence holding its answer: keep the prior's ranker
            model = fit_answer_model(engine.extractor, examples, params, note, ranker=ranker)
    else:
        probabilities = [
            prior.probability(question_signals_for(engine.extractor, e.prepared, ranker)) for e in examples
        ]
        model = prior.with_threshold(choose_capped_threshold(probabilities, labels, cap))
    signals = [question_signals_for(engine.extractor, e.prepared, model.ranker or ranker) for e in examples]
    curve = tuple(abstention_curve([model.probability(s) for s in signals], labels))
    model = AbstainModel(model.bias, dict(model.weights), model.threshold, note, curve, model.ranker or ranker)
    after = served_accuracy(engine, examples, model)
    by_article = all(q.doc_id for q in questions)
    return Calibration(
        model,
        len(questions),
        before,
        after,
        params,
        measured,
        folds if measured else 0,
        by_article,
        prior.threshold,
        cap,
        current,
    )


def _check_distinct(questions: Sequence[Question]) -> None:
    """Refuse a question given twice (the same id, or the same words, as when two files overlap): cross-validation
    would score questions it was fitted on, and the threshold would lean on the copies."""
    seen: dict[str, str] = {}
    ids: set[str] = set()
    for q in questions:
        if q.id in ids:
            raise QuestionSetError(
                f"question id {q.id!r} appears twice among the files: ids must be unique across them"
            )
        ids.add(q.id)
        words = " ".join(q.question.casefold().split())
        if words in seen:
            raise QuestionSetError(
                f"question {q.id!r} repeats question {seen[words]!r} ({q.question!r}): remove the copy, or "
                "cross-validation scores questions it was fitted on"
            )
        seen[words] = q.id


def _check_folds(folds: int, questions: Sequence[Question]) -> None:
    """Refuse more folds than groups of questions: cross-validation keeps an article's questions in one fold
    (``training.article_folds``; a question naming no article is a group of its own), so the rest would be empty."""
    groups = len({q.doc_id or f"question:{q.id}" for q in questions})
    if folds <= groups:
        return
    what = "articles" if all(q.doc_id for q in questions) else "groups (by article, or a question alone)"
    fix = f"use --folds {groups} or fewer" if groups >= 2 else "label questions about more articles"
    raise QuestionSetError(f"--folds {folds} is more than the questions' {groups} {what}: {fix}")


def with_articles(questions: Sequence[Question], documents: dict[str, Document]) -> list[Question]:
    """``questions``, each without a ``doc_id`` but with ``evidence`` given the document holding that evidence
    (``evidence_span``, as ``citeqa eval`` finds it): cross-validation then keeps an article's questions in one
    fold. A question with neither stays its own article."""
    out = []
    for q in questions:
        span = evidence_span(q, documents) if q.evidence and not q.relevant else None
        out.append(replace(q, relevant={span[0]: 1.0}) if span else q)
    return out


def served_accuracy(engine: Engine, examples: Sequence[Example], model: AbstainModel) -> float:
    """Share of ``examples`` whose answer with ``model`` (answered or abstained, rule checks included:
    ``Extractor.finish``, as ``/v1/ask`` with ``k`` up to ``ANSWER_CANDIDATES``) matches the label."""
    right = sum(
        engine.extractor.finish(e.prepared, model, DEFAULT_K).answerable == e.question.answerable for e in examples
    )
    return right / len(examples) if examples else 0.0
