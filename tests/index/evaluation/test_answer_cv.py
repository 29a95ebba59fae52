"""5-fold cross-validation by article of the learned answer model on bbc_train_a + bbc_train_b (issue 13).

Real model, whole-BBC index (the session's ``bbc_index``). In each fold the L2 penalties are chosen
by an inner 4-fold cross-validation of the four training folds, then the ranker, the answerability
weights and the threshold are fitted on them; the held-out fold's articles are answered with that
model. The candidate features are computed once (one retrieval and embedding pass, about a minute);
the nested fits take about a minute more.

Floors are a little under what bench/answer_model/train_cv.py measured (bench/answer_model/RESULTS.md,
results_session9.json): answers 99/120 (issue 13's floor 90, met), wrongly abstained 2/120 (floor <= 6,
met), unanswerable abstained 32/40 (floor >= 28, met) with near misses 18/24 (floor >= 15, met), false
premises 6/8. The checks that need no fitting were written after reading these sets' failures, so the
figures flatter: over all 360 BBC questions we may fit on, the same nested cross-validation gives 71%
answers and 55% abstained (bench/answer_model/pool_cv_session9.log).

This is the recipe on the training sets alone. The shipped model is fitted on 856 BBC questions (a + b and
seven helper sets); the same nested cross-validation over them, read on the a + b rows, gives 97/120 answers,
2/120 wrongly abstained, 29/40 abstained (bench/answer_model/pool_cv_session11_856.log, eleventh session).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from citeqa.service import wiring
from tests.conftest import SHARED

TRAIN = [SHARED / "eval" / "bbc_train_a.jsonl", SHARED / "eval" / "bbc_train_b.jsonl"]


@pytest.fixture(scope="module")
def cv(bbc_index: Path, embedder: Any) -> dict[str, Any]:
    from citeqa.index.answering.training import cross_validate, summarise
    from citeqa.index.evaluation.calibration import prepare_questions, read_labelled
    from citeqa.index.store.loader import load_index
    from citeqa.service.settings import Settings

    data = load_index(bbc_index, embedder.name, embedder.dimension)
    engine = wiring.assemble_engine(Settings(index_dir=bbc_index), data, embedder)
    questions = [q for path in TRAIN for q in read_labelled(path)]
    styles = {str(r["id"]): r["style"] for path in TRAIN for r in map(json.loads, path.read_text().splitlines())}
    rows = cross_validate(engine.extractor, prepare_questions(engine, questions), params=None)
    return summarise(rows, styles)


@pytest.mark.slow
def test_cross_validated_answers(cv: dict[str, Any]) -> None:
    total = cv["all"]
    assert (total["answerable"], total["unanswerable"]) == (120, 40)
    assert total["contains_answer"] >= 94, cv  # issue 13's floor: 90 (75%)
    assert total["wrongly_abstained"] <= 3, cv  # issue 13's floor: 6 (5%)
    assert cv["numeric"]["contains_answer"] >= 12 and cv["long"]["contains_answer"] >= 31, cv
    assert cv["context"]["contains_answer"] >= 14, cv


@pytest.mark.slow
def test_cross_validated_abstention(cv: dict[str, Any]) -> None:
    assert cv["all"]["abstained_unanswerable"] >= 30, cv  # issue 13's floor: 28 (70%)
    assert cv["near_miss"]["abstained_unanswerable"] >= 16, cv  # issue 13's floor: 15 (60%)
    assert cv["false_premise"]["abstained_unanswerable"] >= 5, cv
    assert cv["off_topic"]["abstained_unanswerable"] >= 8, cv
