"""Fitting the answer model (sentence ranker + answerability) on labelled questions, and its cross-validation.

A labelled question's candidate sentences are marked good when they hold one of its acceptable
answers (case-insensitive). ``fit_answer_model`` learns the ranker listwise on the answerable
questions, computes each question's answerability signals with that ranker, fits the logistic
answerability model and chooses its threshold, all on the questions it is given.
``cross_validate`` repeats that on k-1 folds of articles and measures the held-out fold, so
every choice, the threshold included, is made without the questions it is measured on.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np

from citeqa.index.answering.abstention import (
    FEATURES,
    AbstainModel,
    abstention_curve,
    choose_capped_threshold,
    fit_abstain_model,
)
from citeqa.index.answering.extraction import Extractor, asked_first
from citeqa.index.answering.features import Prepared, answer_signals
from citeqa.index.answering.ranker import Ranker, RankingGroup, feature_matrix, fit_pointwise, fit_ranker


class Labelled(Protocol):
    """What training needs of a labelled question (``citeqa.index.evaluation.question_sets.Question`` has it)."""

    @property
    def id(self) -> str: ...
    @property
    def answers(self) -> tuple[str, ...]: ...
    @property
    def doc_id(self) -> str | None: ...
    @property
    def answerable(self) -> bool: ...


@dataclass(frozen=True)
class TrainingParams:
    """``ranker_l2`` and ``abstain_l2``: L2 penalties; ``max_wrong_abstain``: the largest share of the
    training's answerable questions the chosen threshold may abstain on; ``pointwise``: fit the ranker
    pointwise (comparable probabilities) rather than listwise; ``second_ratio``: see ``Ranker``."""

    ranker_l2: float = 3.0
    abstain_l2: float = 1.0
    max_wrong_abstain: float = 0.03
    pointwise: bool = True
    second_ratio: float = 0.6


@dataclass(frozen=True)
class Example:
    """A prepared labelled question; ``good[i]`` is True when candidate ``i`` holds an acceptable answer."""

    question: Labelled
    prepared: Prepared
    good: tuple[bool, ...]


def make_examples(extractor: Extractor, questions: Sequence[Labelled], prepared: Sequence[Prepared]) -> list[Example]:
    """Pair questions with their prepared candidates and mark the candidates holding an answer."""
    out = []
    for q, p in zip(questions, prepared, strict=True):
        answers = [a.lower() for a in q.answers]
        texts = [extractor.documents[c.doc_id].text[c.start : c.end].lower() for c in p.candidates]
        good = tuple(q.answerable and any(a in t for a in answers) for t in texts)
        out.append(Example(q, p, good))
    return out


def holds_answer(text: str, answers: Sequence[str]) -> bool:
    """Whether ``text`` contains one of ``answers`` (case-insensitive)."""
    lowered = text.lower()
    return any(a.lower() in lowered for a in answers)


def fit_answer_model(
    extractor: Extractor,
    examples: Sequence[Example],
    params: TrainingParams = TrainingParams(),
    note: str = "",
    ranker: Ranker | None = None,
) -> AbstainModel:
    """Ranker (unless ``ranker`` is given), answerability weights and threshold fitted on ``examples``.

    Raises ValueError when the examples lack either answerable or unanswerable questions, or
    (without ``ranker``) a candidate sentence holding an answer.
    """
    labels = [e.question.answerable for e in examples]
    if all(labels) or not any(labels):
        raise ValueError("fitting needs both answerable and unanswerable questions")
    groups = [
        RankingGroup(feature_matrix(e.prepared.candidates), np.asarray(e.good, dtype=bool))
        for e in examples
        if e.question.answerable or params.pointwise
    ]
    if ranker is None:
        fit = fit_pointwise if params.pointwise else fit_ranker
        ranker = replace(fit(groups, l2=params.ranker_l2), second_ratio=params.second_ratio)
    signals = [question_signals(extractor, e.prepared, ranker) for e in examples]
    prior = AbstainModel(0.0, dict.fromkeys(FEATURES, 0.0), 0.5, ranker=ranker)
    fitted = fit_abstain_model(signals, labels, prior, strength=params.abstain_l2)
    probabilities = [fitted.probability(s) for s in signals]
    threshold = choose_capped_threshold(probabilities, labels, params.max_wrong_abstain)
    curve = tuple(abstention_curve(probabilities, labels))
    note = note or f"fitted on {len(examples)} questions ({sum(labels)} answerable)"
    return AbstainModel(fitted.bias, dict(fitted.weights), threshold, note, curve, ranker)


def question_signals(extractor: Extractor, prepared: Prepared, ranker: Ranker) -> dict[str, float]:
    """Answerability signals of ``prepared`` when ``ranker`` chooses the answer sentence."""
    ranked = asked_first(prepared.question, ranker.rank(prepared.candidates), extractor.documents)
    return answer_signals(prepared, ranked, extractor.documents, extractor.terms_of, extractor.max_idf)


def article_folds(examples: Sequence[Example], folds: int, seed: int = 13) -> list[int]:
    """Fold number of each example; questions about one article share a fold (no ``doc_id``: its own)."""
    keys = sorted({_article(e) for e in examples})
    random.Random(seed).shuffle(keys)
    fold_of = {key: i % folds for i, key in enumerate(keys)}
    return [fold_of[_article(e)] for e in examples]


def _article(example: Example) -> str:
    doc = example.question.doc_id
    return f"doc:{doc}" if doc else f"question:{example.question.id}"


GRID: tuple[TrainingParams, ...] = tuple(
    TrainingParams(ranker_l2, abstain_l2, wrong)
    for ranker_l2 in (1.0, 3.0)
    for abstain_l2 in (0.3, 1.0, 3.0)
    for wrong in (0.03,)
)


def utility(rows: Sequence[dict[str, Any]]) -> float:
    """What settings are chosen by: answers holding an acceptable answer, plus unanswerable questions
    abstained on, minus twice the answerable ones abstained on (a wrong abstention costs more)."""
    return float(sum((r["contains"] - 2 * r["abstained"]) if r["answerable"] else r["abstained"] for r in rows))


def select_params(
    extractor: Extractor, examples: Sequence[Example], grid: Sequence[TrainingParams] = GRID, folds: int = 4
) -> TrainingParams:
    """The setting of ``grid`` with the best ``utility`` in a ``folds``-fold cross-validation by article
    of ``examples`` (ties: the first in ``grid``)."""
    scores = [utility(cross_validate(extractor, examples, params, folds)) for params in grid]
    return grid[scores.index(max(scores))]


def cross_validate(
    extractor: Extractor,
    examples: Sequence[Example],
    params: TrainingParams | None = TrainingParams(),
    folds: int = 5,
    seed: int = 13,
    grid: Sequence[TrainingParams] = GRID,
) -> list[dict[str, Any]]:
    """One row per example, measured by the model fitted on the other folds: ``contains`` (answered with an
    acceptable answer), ``abstained``, ``top_good`` (the ranker's first sentence holds an answer),
    ``params`` (the setting used). With ``params=None`` each fold's setting is chosen by ``select_params``
    on that fold's training examples only (a nested cross-validation) among ``grid``."""
    fold_of = article_folds(examples, folds, seed)
    rows: list[dict[str, Any]] = []
    for fold in range(folds):
        train = [e for e, f in zip(examples, fold_of, strict=True) if f != fold]
        chosen = params if params is not None else select_params(extractor, train, grid)
        model = fit_answer_model(extractor, train, chosen)
        for e, f in zip(examples, fold_of, strict=True):
            if f == fold:
                rows.append(_measure(extractor, e, model, fold, chosen))
    order = {e.question.id: i for i, e in enumerate(examples)}
    return sorted(rows, key=lambda r: order[r["id"]])


def served_rows(extractor: Extractor, examples: Sequence[Example], model: AbstainModel) -> list[dict[str, Any]]:
    """``cross_validate``'s rows for ``model`` as it is, fitted on none of ``examples`` (fold -1): the figures a
    refit's out-of-fold ones are to be weighed against."""
    return [_measure(extractor, e, model, -1, None) for e in examples]


def totals_utility(totals: dict[str, int]) -> int:
    """``utility`` of ``summarise``'s totals: answers holding an acceptable answer, plus unanswerable questions
    abstained on, less twice the answerable ones abstained on."""
    return totals["contains_answer"] + totals["abstained_unanswerable"] - 2 * totals["wrongly_abstained"]


def _measure(
    extractor: Extractor, e: Example, model: AbstainModel, fold: int, params: TrainingParams | None
) -> dict[str, Any]:
    answer = extractor.finish(e.prepared, model, 5)
    ranked = model.ranker.rank(e.prepared.candidates) if model.ranker else []
    good_keys = {c.key for c, g in zip(e.prepared.candidates, e.good, strict=True) if g}
    return {
        "id": e.question.id,
        "fold": fold,
        "params": vars(params) if params is not None else None,
        "answerable": e.question.answerable,
        "abstained": not answer.answerable,
        "contains": answer.answerable and holds_answer(answer.answer, e.question.answers),
        "top_good": bool(ranked) and ranked[0].key in good_keys,
        "any_good": any(e.good),
        "confidence": answer.confidence,
        "answer": answer.answer[:240],
        "reason": answer.abstention.code if answer.abstention else None,
    }


def summarise(rows: Sequence[dict[str, Any]], styles: dict[str, str] | None = None) -> dict[str, Any]:
    """Totals of ``cross_validate`` rows, overall and per ``styles[id]`` when given."""

    def totals(part: Sequence[dict[str, Any]]) -> dict[str, int]:
        answerable = [r for r in part if r["answerable"]]
        unanswerable = [r for r in part if not r["answerable"]]
        return {
            "answerable": len(answerable),
            "contains_answer": sum(r["contains"] for r in answerable),
            "top_sentence_good": sum(r["top_good"] for r in answerable),
            "wrongly_abstained": sum(r["abstained"] for r in answerable),
            "unanswerable": len(unanswerable),
            "abstained_unanswerable": sum(r["abstained"] for r in unanswerable),
        }

    out: dict[str, Any] = {"all": totals(rows)}
    if styles:
        for style in sorted(set(styles.values())):
            out[style] = totals([r for r in rows if styles.get(r["id"]) == style])
    return out
