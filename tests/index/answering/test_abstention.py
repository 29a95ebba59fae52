"""The abstention model: JSON round trip, fitting, threshold choice, the P/R curve, bad files."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from citeqa.index.answering.abstention import (
    FEATURES,
    AbstainModel,
    abstention_curve,
    choose_threshold,
    fit_abstain_model,
    load_abstain_model,
    save_abstain_model,
)
from citeqa.index.errors import AbstainModelError


def test_packaged_model_loads_and_uses_every_signal() -> None:
    model = load_abstain_model()
    assert set(model.weights) == set(FEATURES)
    assert 0 < model.threshold < 1


def test_json_round_trip(tmp_path: Path) -> None:
    model = AbstainModel(-1.5, {"coverage": 3.0, "unknown": -2.0}, 0.42, "note")
    save_abstain_model(model, tmp_path / "m.json")
    again = load_abstain_model(tmp_path / "m.json")
    assert again == model
    assert again.probability({"coverage": 1.0}) == pytest.approx(model.probability({"coverage": 1.0}))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "cannot read"),
        ("[1, 2]", "expected a JSON object"),
        ('{"format": 1, "bias": 0, "weights": {"nonsense": 1}, "threshold": 0.5}', "unknown signals"),
        ('{"format": 1, "bias": 0, "weights": {}, "threshold": 3}', "threshold"),
        ('{"format": 2, "bias": 0, "weights": {}, "threshold": 0.5}', "format"),
    ],
)
def test_bad_model_files_are_refused_with_a_message(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AbstainModelError, match=message):
        load_abstain_model(path)


def test_fit_separates_a_learnable_signal() -> None:
    rng = random.Random(1)
    signals = [{"coverage": rng.uniform(0.6, 1.0)} for _ in range(30)] + [
        {"coverage": rng.uniform(0.0, 0.4)} for _ in range(30)
    ]
    labels = [True] * 30 + [False] * 30
    prior = AbstainModel(0.0, {"coverage": 0.0}, 0.5)
    fitted = fit_abstain_model(signals, labels, prior, strength=0.1)
    assert fitted.weights["coverage"] > 1.0
    assert all((fitted.probability(s) >= fitted.threshold) == y for s, y in zip(signals, labels, strict=True))


def test_strong_prior_keeps_weights_close() -> None:
    signals = [{"coverage": 1.0}, {"coverage": 0.0}]
    prior = AbstainModel(0.0, {"coverage": 2.0}, 0.5)
    fitted = fit_abstain_model(signals, [False, True], prior, strength=1000.0)
    assert fitted.weights["coverage"] == pytest.approx(2.0, abs=0.01)


def test_threshold_maximises_accuracy_in_the_middle_of_the_gap() -> None:
    probabilities = [0.1, 0.2, 0.3, 0.7, 0.8]
    labels = [False, False, False, True, True]
    assert choose_threshold(probabilities, labels) == pytest.approx(0.5)


def test_curve_precision_and_recall() -> None:
    curve = abstention_curve([0.1, 0.6, 0.4, 0.9], [False, False, True, True])
    at_half = next(p for p in curve if p["threshold"] == 0.6)
    # abstain below 0.6: questions with p 0.1 (unanswerable) and 0.4 (answerable)
    assert at_half["abstained"] == 2
    assert at_half["precision"] == 0.5
    assert at_half["recall"] == 0.5
    assert curve[-1]["recall"] == 1.0
    assert json.dumps(curve)
