"""The learned answer model: ranker fits and JSON, the answer model file with its ranker, capped thresholds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from citeqa.index.answering.abstention import (
    AbstainModel,
    AbstainModelError,
    choose_capped_threshold,
    load_abstain_model,
)
from citeqa.index.answering.abstention import save_abstain_model as save
from citeqa.index.answering.features import CANDIDATE_FEATURES, Candidate
from citeqa.index.answering.ranker import Ranker, RankingGroup, feature_matrix, fit_pointwise, fit_ranker


def _groups(seed: int = 3) -> list[RankingGroup]:
    """Questions whose good sentence has the highest ``type`` but not the highest ``similarity``."""
    rng = np.random.default_rng(seed)
    names = ("type", "similarity")
    out = []
    for _ in range(40):
        x = rng.uniform(0.0, 0.5, size=(6, 2))
        good = int(rng.integers(6))
        x[good, 0] += 0.6
        x[(good + 1) % 6, 1] += 0.6
        out.append(RankingGroup(x, np.arange(6) == good))
    assert feature_matrix([], names).shape == (0, 2)
    return out


@pytest.mark.parametrize("fit", [fit_ranker, fit_pointwise])
def test_fits_learn_which_feature_marks_the_answer(fit: Callable[..., Ranker]) -> None:
    ranker = fit(_groups(), ("type", "similarity"), 0.1)
    assert ranker.weights["type"] > 2.0 > ranker.weights["similarity"]
    held_out = _groups(seed=4)
    w = np.array([ranker.weights["type"], ranker.weights["similarity"]])
    assert sum(bool(g.good[int(np.argmax(g.features @ w))]) for g in held_out) >= 38


def test_fit_without_an_answer_sentence_is_refused() -> None:
    empty = [RankingGroup(np.zeros((3, 2)), np.zeros(3, dtype=bool))]
    with pytest.raises(ValueError, match="no question"):
        fit_ranker(empty, ("type", "similarity"))
    with pytest.raises(ValueError, match="no candidate"):
        fit_pointwise(empty, ("type", "similarity"))


def test_ranker_ranks_and_gives_probabilities() -> None:
    ranker = Ranker({"type": 2.0, "similarity": 1.0}, bias=-1.0)
    low = Candidate("d", 0, 5, 1, {"type": 0.0, "similarity": 0.5})
    high = Candidate("d", 6, 9, 2, {"type": 1.0, "similarity": 0.2})
    ranked = ranker.rank([low, high])
    assert [c.key for c in ranked] == [high.key, low.key]
    assert ranked[0].score == pytest.approx(1.2)
    assert ranker.probability(high.features) == pytest.approx(1 / (1 + np.exp(-1.2)))


def test_answer_model_file_round_trips_with_its_ranker(tmp_path: Path) -> None:
    ranker = Ranker(dict.fromkeys(CANDIDATE_FEATURES, 0.25), bias=-2.0, second_ratio=0.6)
    model = AbstainModel(-1.0, {"coverage": 2.0, "top_score": 3.0}, 0.4, "note", ranker=ranker)
    save(model, tmp_path / "m.json")
    data = json.loads((tmp_path / "m.json").read_text())
    assert data["ranker"]["second_ratio"] == 0.6 and data["ranker"]["bias"] == -2.0
    assert load_abstain_model(tmp_path / "m.json") == model
    assert model.with_threshold(0.7).ranker == ranker


def test_packaged_model_has_a_learned_ranker_over_every_feature() -> None:
    model = load_abstain_model()
    assert model.ranker is not None and set(model.ranker.weights) == set(CANDIDATE_FEATURES)
    assert "bbc_train_a" in model.note


def test_unknown_ranker_feature_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    bad = {"format": 1, "bias": 0, "weights": {}, "threshold": 0.5, "ranker": {"weights": {"nonsense": 1}}}
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(AbstainModelError, match="unknown ranker features"):
        load_abstain_model(path)


def test_capped_threshold_abstains_on_few_answerable_questions() -> None:
    probabilities = [0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.6, 0.7, 0.8, 0.9]
    answerable = [False, False, False, True, False, False, True, True, True, True]
    free = choose_capped_threshold(probabilities, answerable, 1.0)
    capped = choose_capped_threshold(probabilities, answerable, 0.0)
    assert 0.45 < free <= 0.6  # most accurate (9/10): abstain below 0.6, once wrongly
    assert 0.3 < capped <= 0.35  # never abstaining on an answerable question: 8/10 at best


def test_folds_keep_an_articles_questions_together() -> None:
    from dataclasses import dataclass

    from citeqa.index.answering.features import Prepared, QuestionTerms
    from citeqa.index.answering.training import Example, article_folds

    @dataclass(frozen=True)
    class Q:
        id: str
        doc_id: str | None
        answers: tuple[str, ...] = ()
        answerable: bool = True

    empty = Prepared(QuestionTerms("q", "other", {}, (), (), ()), (), ())
    questions = [Q(f"q{i}", f"doc{i % 7}") for i in range(28)] + [Q(f"off{i}", None) for i in range(5)]
    folds = article_folds([Example(q, empty, ()) for q in questions], 5)
    by_doc: dict[str | None, set[int]] = {}
    for q, fold in zip(questions, folds, strict=True):
        by_doc.setdefault(q.doc_id, set()).add(fold)
    assert all(len(f) == 1 for doc, f in by_doc.items() if doc is not None)
    assert set(folds) == set(range(5))


def test_utility_counts_a_wrong_abstention_twice() -> None:
    from citeqa.index.answering.training import utility

    rows = [
        {"answerable": True, "contains": True, "abstained": False},
        {"answerable": True, "contains": False, "abstained": True},
        {"answerable": False, "contains": False, "abstained": True},
    ]
    assert utility(rows) == 1 - 2 + 1
