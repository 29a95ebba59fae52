"""`citeqa calibrate`: fits on labelled questions, prints the P/R curve, writes a loadable model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
