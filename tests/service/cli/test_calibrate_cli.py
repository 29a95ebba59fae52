"""`citeqa calibrate`: fits on labelled questions, prints the P/R curve, writes a loadable model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from citeqa.service import wiring
from citeqa.service.cli import app
from tests.conftest import SEED_DEV


def test_calibrate_writes_a_model_the_service_loads(default_index: Path, tmp_path: Path) -> None:
    from citeqa.index.answering.abstention import load_abstain_model
    from citeqa.service.settings import Settings

    out = tmp_path / "abstain.json"
    result = CliRunner().invoke(app, ["calibrate", str(SEED_DEV), "--index", str(default_index), "--write", str(out)])
    assert result.exit_code == 0, result.output
    assert "threshold" in result.output and "precision" in result.output and "recall" in result.output
    model = load_abstain_model(out)
    assert model.curve and "calibrated on 20 questions" in model.note
    settings = Settings(index_dir=default_index, abstain_model_file=out)
    assert wiring.abstain_model(settings).threshold == model.threshold
    override = Settings(index_dir=default_index, abstain_model_file=out, abstain_threshold=0.9)
    assert wiring.abstain_model(override).threshold == 0.9


def test_calibrate_json_threshold_only(default_index: Path) -> None:
    args = ["calibrate", str(SEED_DEV), "--index", str(default_index), "--threshold-only", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(result.stdout)
    assert payload["accuracy_after"] >= payload["accuracy_before"] - 1e-9
    assert 0.0 <= payload["model"]["threshold"] <= 1.0


def test_calibrate_bad_file_is_one_line_error(default_index: Path, tmp_path: Path) -> None:
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"question": "ok?", "answerable": true}\n{"answers": []}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["calibrate", str(bad), "--index", str(default_index)])
    assert result.exit_code == 1
    assert result.output.strip().startswith("error:") and "line 2" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_calibrate_needs_both_labels(default_index: Path, tmp_path: Path) -> None:
    only = tmp_path / "q.jsonl"
    only.write_text('{"question": "what is NSATU?", "answers": ["NSATU"]}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["calibrate", str(only), "--index", str(default_index)])
    assert result.exit_code == 1 and "both answerable and unanswerable" in result.output


# Unanswerable questions over the default corpus that the answerability model alone would answer
# (confidence above the shipped threshold) but the answer path's rule checks refuse.
RULE_REFUSED = (
    "How tall is Mark Rutte?",  # answer_type_missing: no height in the article
    "How long did Rutte's visit to Japan last?",  # answer_type_missing: no duration
    "Which planet is the largest in the solar system?",  # off_topic
)


def test_calibrate_accuracy_counts_the_rule_checks_as_eval_does(
    default_index: Path, engine: Any, tmp_path: Path
) -> None:
    for question in RULE_REFUSED:
        answer, _ = engine.ask(question)
        assert not answer.answerable and answer.confidence >= engine.extractor.model.threshold, answer
    questions = tmp_path / "questions.jsonl"
    extra = [json.dumps({"question": q, "answers": [], "answerable": False}) for q in RULE_REFUSED]
    questions.write_text(SEED_DEV.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(extra) + "\n")
    where = ["--index", str(default_index)]
    calibrated = CliRunner().invoke(app, ["calibrate", str(questions), *where, "--threshold-only", "--json"])
    assert calibrated.exit_code == 0, calibrated.output
    evaluated = CliRunner().invoke(
        app, ["eval", str(questions), *where, "-k", "5", "--out", str(tmp_path / "ev"), "--json"]
    )
    assert evaluated.exit_code == 0, evaluated.output
    eval_accuracy = json.loads(evaluated.stdout)["report"]["figures"]["abstention.accuracy"]
    assert json.loads(calibrated.stdout)["accuracy_before"] == pytest.approx(eval_accuracy, abs=1e-4)
    text = CliRunner().invoke(app, ["calibrate", str(questions), *where, "--threshold-only"]).output
    assert "rule checks included" in text and "the answerability model alone" in text
