"""`citeqa eval` as a new user met it: `--out` never destroys a directory, the report names the answer
model it measured, labels it cannot score are warned about, and `--by` says which fields it takes."""

from __future__ import annotations

import hashlib
import json
import os
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from citeqa.service.cli import app
from tests.conftest import ROOT

SMALL_OWN = ROOT / "eval" / "small_own.jsonl"  # 20 answerable and 18 unanswerable questions over six articles
SHIPPED = resources.files("citeqa.index.answering").joinpath("abstain_model.json").read_bytes()


def three_questions(tmp_path: Path, **changes: dict[str, object]) -> Path:
    """small_own's first three questions, each changed by ``changes[id]``."""
    rows = [json.loads(line) for line in SMALL_OWN.read_text(encoding="utf-8").splitlines()[:3]]
    path = tmp_path / "three.jsonl"
    path.write_text("".join(json.dumps(r | changes.get(r["id"], {})) + "\n" for r in rows), encoding="utf-8")
    return path


def one_line_error(result: object) -> str:
    output = getattr(result, "output", "")
    assert getattr(result, "exit_code", 0) == 1, output
    assert len(output.strip().splitlines()) == 1 and output.startswith("error: "), output
    return str(output.strip())


def test_an_out_directory_holding_other_files_is_refused_and_kept(small_index: Path, tmp_path: Path) -> None:
    out = tmp_path / "mydir"
    out.mkdir()
    (out / "notes.txt").write_text("precious\n")
    args = ["eval", str(three_questions(tmp_path)), "--index", str(small_index), "--out", str(out)]
    line = one_line_error(CliRunner().invoke(app, args))
    assert line == (
        f"error: --out {out} holds other files (notes.txt): give a new or empty directory, or an earlier report's"
    )
    assert [p.name for p in out.iterdir()] == ["notes.txt"] and (out / "notes.txt").read_text() == "precious\n"
    assert CliRunner().invoke(app, [*args[:-1], str(tmp_path / "report")]).exit_code == 0
    rerun = CliRunner().invoke(app, [*args[:-1], str(tmp_path / "report")])  # an earlier report is replaced
    assert rerun.exit_code == 0, rerun.output


def test_out_dot_is_one_line_not_a_traceback(small_index: Path, tmp_path: Path) -> None:
    questions = three_questions(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("precious\n")
    here = Path.cwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(app, ["eval", str(questions), "--index", str(small_index), "--out", "."])
    finally:
        os.chdir(here)
    assert one_line_error(result).startswith("error: --out . holds other files (notes.txt): ")
    assert [p.name for p in work.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("field", ["id", "question", "evidence", "answers"])
def test_by_a_per_question_field_says_so_and_names_the_fields_to_use(
    small_index: Path, tmp_path: Path, field: str
) -> None:
    args = ["eval", str(SMALL_OWN), "--index", str(small_index), "--out", str(tmp_path / "r"), "--by", field]
    line = one_line_error(CliRunner().invoke(app, args))
    assert line == (
        f"error: --by {field}: id, question, answers and evidence are per question, nothing to count by: "
        "give a field of your own (style), or answerable or doc_id"
    )
    assert not (tmp_path / "r").exists()


def test_the_report_names_the_answer_model_it_measured(small_index: Path, tmp_path: Path) -> None:
    """Reports before and after `citeqa calibrate` had the same settings: nothing said which model ran."""
    questions = three_questions(tmp_path)
    where = ["eval", str(questions), "--index", str(small_index), "-k", "5"]
    shipped = CliRunner().invoke(app, [*where, "--out", str(tmp_path / "shipped")])
    assert shipped.exit_code == 0, shipped.output
    model = json.loads(SHIPPED)
    settings = json.loads((tmp_path / "shipped" / "report.json").read_text())["settings"]
    assert settings["answer_model"] == {
        "file": "shipped",
        "sha256": hashlib.sha256(SHIPPED).hexdigest()[:12],
        "threshold": model["threshold"],
        "threshold_from": "the model file",
    }
    summary = (tmp_path / "shipped" / "summary.md").read_text()
    assert f"Answer model: shipped (sha256 {hashlib.sha256(SHIPPED).hexdigest()[:12]}), threshold " in summary

    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(model | {"threshold": 0.25}), encoding="utf-8")
    env = {"CITEQA_ABSTAIN_MODEL_FILE": str(mine)}
    refit = CliRunner().invoke(app, [*where, "--out", str(tmp_path / "mine")], env=env)
    assert refit.exit_code == 0, refit.output
    settings = json.loads((tmp_path / "mine" / "report.json").read_text())["settings"]
    assert settings["answer_model"] == {
        "file": str(mine),
        "sha256": hashlib.sha256(mine.read_bytes()).hexdigest()[:12],
        "threshold": 0.25,
        "threshold_from": "the model file",
    }
    env |= {"CITEQA_ABSTAIN_THRESHOLD": "0.5"}
    both = CliRunner().invoke(app, [*where, "--out", str(tmp_path / "both")], env=env)
    assert both.exit_code == 0, both.output
    settings = json.loads((tmp_path / "both" / "report.json").read_text())["settings"]
    assert (settings["answer_model"]["threshold"], settings["answer_model"]["threshold_from"]) == (
        0.5,
        "CITEQA_ABSTAIN_THRESHOLD",
    )
    assert "threshold 0.5000 (CITEQA_ABSTAIN_THRESHOLD)" in (tmp_path / "both" / "summary.md").read_text()


def test_a_server_run_says_its_answer_model_is_not_known() -> None:
    from citeqa.service.cli.evaluate import EvalOptions, _settings_summary
    from citeqa.service.settings import Settings

    url = "http://127.0.0.1:8190"
    summary = _settings_summary(EvalOptions(Path("q.jsonl"), Path("out"), url=url), Settings())
    assert summary["answer_model"] == {"file": None, "sha256": None, "threshold": None, "server": url}


def test_labels_eval_cannot_score_are_warned_about(small_index: Path, tmp_path: Path) -> None:
    """An evidence typo and an answerable question without answers passed silently (the first counted
    as the service's failure, the second as correct)."""
    questions = three_questions(tmp_path, **{"sm-02": {"evidence": "£12,00O"}, "sm-03": {"answers": []}})
    out = tmp_path / "report"
    result = CliRunner().invoke(
        app, ["eval", str(questions), "--index", str(small_index), "-k", "5", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (
        "warning: 1 question(s) have evidence found in none of their documents: 'sm-02'; "
        "no evidence figure nor answer.evidence_support counts them: fix their evidence (a verbatim fragment "
        "of the document) or doc_id"
    ) in result.output
    assert (
        "warning: 1 answerable question(s) have no answers to check: 'sm-03'; "
        "their verdict is 'answered (no answers to check)' when answered and no answer figure counts them: "
        "give their acceptable answers"
    ) in result.output
    data = json.loads((out / "report.json").read_text())
    assert (data["evidence_not_found"], data["without_answers"]) == (["sm-02"], ["sm-03"])


def test_a_baseline_of_another_question_set_or_answer_model_is_said_to_be(small_index: Path, tmp_path: Path) -> None:
    """A new user compared a 3-question run with an 84-question baseline and was told only that a figure fell."""
    first = tmp_path / "first"
    base = ["eval", str(three_questions(tmp_path)), "--index", str(small_index), "-k", "5"]
    assert CliRunner().invoke(app, [*base, "--out", str(first)]).exit_code == 0
    again = CliRunner().invoke(app, [*base, "--out", str(tmp_path / "again"), "--baseline", str(first)])
    assert "another question set" not in again.output and "another answer model" not in again.output
    other = ["eval", str(SMALL_OWN), "--index", str(small_index), "-k", "5", "--out", str(tmp_path / "other")]
    result = CliRunner().invoke(app, [*other, "--baseline", str(first), "--tolerance", "1"])
    assert (
        "warning: the baseline measured another question set (three.jsonl, 3 questions; this run small_own.jsonl, 38)"
        in (result.output)
    )


def test_questions_refused_as_another_language_are_warned_about(small_index: Path, tmp_path: Path) -> None:
    """A question in Spanish became a wrong abstention, its answer column the refusal, without a word said."""
    first = json.loads(SMALL_OWN.read_text(encoding="utf-8").splitlines()[0])["id"]
    spanish = {first: {"question": "¿Cuándo se construyó el nuevo puente sobre el río y quién lo pagó?"}}
    out = tmp_path / "report"
    args = ["eval", str(three_questions(tmp_path, **spanish)), "--index", str(small_index), "-k", "5"]
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"warning: 1 question(s) were refused as written in a language the model does not handle: {first!r}" in (
        result.output
    )
    assert json.loads((out / "report.json").read_text())["refused_language"] == [first]


CODES = {"not_in_corpus", "no_passage", "low_confidence", "answer_type_missing", "off_topic", "terms_not_in_passage"}
"""The codes of ``Abstention`` in ``index/answering/extraction.py`` (``AbstentionOut.code`` lists them)."""


def test_questions_csv_gives_each_abstention_the_code_and_reason_ask_gives(small_index: Path, tmp_path: Path) -> None:
    """A new user's questions.csv said which questions were abstained on but not why, so not whether a
    recalibration could change them: `abstention_code` and `reason` are its last columns, as `citeqa ask --json`
    gives them."""
    import csv

    out = tmp_path / "r"
    args = ["eval", str(SMALL_OWN), "--index", str(small_index), "-k", "5", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    with (out / "questions.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[-3:] == ["latency_ms", "abstention_code", "reason"]
    answered = [r for r in rows if r["answerable"] == "True"]
    abstained = [r for r in rows if r["answerable"] == "False"]
    assert answered and abstained
    assert all(r["abstention_code"] == r["reason"] == "" for r in answered)
    assert {r["abstention_code"] for r in abstained} <= CODES and all(r["reason"] for r in abstained)
    first = abstained[0]
    asked = CliRunner().invoke(app, ["ask", first["question"], "--index", str(small_index), "--json"])
    assert asked.exit_code == 0, asked.output
    answer = json.loads(asked.output)
    assert (answer["abstention"]["code"], answer["reason"]) == (first["abstention_code"], first["reason"])
