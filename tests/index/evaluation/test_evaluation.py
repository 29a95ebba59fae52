"""Scoring, aggregation, baseline comparison and report writing (a scripted runner for the plumbing).

The real engine and server paths are exercised in test_eval_gate.py.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from citeqa.index.errors import InvalidInput
from citeqa.index.evaluation import report as report_module
from citeqa.index.evaluation.question_sets import Question, QuestionSet
from citeqa.index.evaluation.report import (
    format_differences,
    read_report_figures,
    verdict_table,
    verdicts_by,
    write_report,
)
from citeqa.index.evaluation.runner import Observation, UnknownDocuments, compare, evaluate

TEXT = "Rutte visited Tokyo in April. He met Ishiba. NATO’s “next level” of cooperation was agreed."


class ScriptedRunner:
    """Returns prepared observations in order: plumbing only, no model."""

    def __init__(self, observations: list[Observation], retrieval_only: bool = False) -> None:
        self.observations = list(observations)
        self.retrieval_only = retrieval_only
        self.batches: list[int] = []

    def run(self, questions: Sequence[str], k: int) -> list[Observation]:
        self.batches.append(len(questions))
        return [self.observations.pop(0) for _ in questions]

    def document_text(self, doc_id: str) -> str | None:
        return {"a": TEXT, "b": "Another article."}.get(doc_id)

    def document_ids(self) -> list[str]:
        return ["a", "b"]

    def describe(self) -> dict[str, Any]:
        return {"mode": "scripted", "index": {}}


QUESTIONS = (
    Question("q1", "Who did Rutte meet?", ("Ishiba",), "He met Ishiba", True),
    Question("q2", "What level?", ("next level",), 'NATO\'s "next level"', True),
    Question("q3", "Speed of light?", (), None, False),
    Question("q4", "Where did Rutte go?", ("Tokyo",), None, True, {"a": 1.0}),
)


def observations() -> list[Observation]:
    return [
        # answered, evidence in the 2nd passage, quote valid and overlapping the evidence
        Observation(True, "He met Ishiba. [1]", (("b", 0, 7), ("a", 30, 44)), (("a", 30, 44, "He met Ishiba."),), 10.0),
        # answered with a quote that does not match the document at its offsets
        Observation(True, "wrong [1]", (("a", 45, 91),), (("a", 70, 75, "XXXXX"),), 20.0),
        # correctly abstained
        Observation(False, "The articles don't cover this question.", (("b", 0, 16),), (), 30.0),
        # wrongly abstained
        Observation(False, "The articles don't cover this question.", (("b", 0, 16), ("a", 0, 29)), (), 40.0),
    ]


def test_scores_each_question_and_averages() -> None:
    runner = ScriptedRunner(observations())
    result = evaluate(QuestionSet("t", "jsonl", QUESTIONS), runner, k=10, batch_size=3)
    assert runner.batches == [3, 1]
    rows = {r.question.id: r for r in result.rows}
    assert rows["q1"].relevant == {"a": 1.0}  # found through the evidence text
    assert rows["q1"].metrics["document.mrr@10"] == 0.5
    assert rows["q1"].evidence_rank == 2
    assert rows["q1"].metrics["answer.containment"] == 1.0
    assert rows["q1"].metrics["answer.citation_validity"] == 1.0
    assert rows["q1"].metrics["answer.evidence_support"] == 1.0
    assert rows["q2"].evidence_rank == 1  # typographic quotes in the text match plain ones in the label
    assert rows["q2"].metrics["answer.citation_validity"] == 0.0
    assert rows["q2"].metrics["answer.evidence_support"] == 0.0
    assert "document.hit@10" not in rows["q3"].metrics
    assert rows["q4"].metrics["answer.containment"] == 0.0 and rows["q4"].failed
    f = result.figures
    assert f["document.hit@10"] == 1.0
    assert f["document.mrr@10"] == pytest.approx((0.5 + 1 + 0.5) / 3)
    assert f["answer.containment"] == pytest.approx(1 / 3)
    assert f["answer.citation_validity"] == pytest.approx(0.5)
    assert (f["abstention.precision"], f["abstention.recall"], f["abstention.accuracy"]) == (0.5, 1.0, 0.75)
    assert f["latency.max_ms"] == 40.0
    assert f["latency.p50_ms"] == 25.0
    assert result.curves["document"][0] == pytest.approx(1 / 3)


def test_compare_flags_falls_beyond_tolerance_only() -> None:
    old = {"document.mrr@10": 0.80, "answer.containment": 0.9, "latency.p95_ms": 10.0, "gone": 0.5, "same": 1.0}
    new = {"document.mrr@10": 0.79, "answer.containment": 0.85, "latency.p95_ms": 900.0, "same": 1.0, "new": 0.1}
    diffs = {d.name: d for d in compare(old, new, 0.02, {"document.mrr@10": 0.005})}
    assert set(diffs) == {"document.mrr@10", "answer.containment", "gone", "new"}
    assert diffs["document.mrr@10"].regressed  # own tolerance 0.005
    assert diffs["answer.containment"].regressed
    assert diffs["gone"].regressed and not diffs["new"].regressed
    assert not any(d.regressed for d in compare(old, {**old, "answer.containment": 0.885}))


def test_report_files_and_atomic_replacement(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = evaluate(QuestionSet("t", "jsonl", QUESTIONS), ScriptedRunner(observations()), k=5)
    out = tmp_path / "report"
    data = write_report(result, out, "t.jsonl", {"k": 5})
    assert sorted(p.name for p in out.iterdir()) == [
        "latency.png",
        "questions.csv",
        "recall_at_k.png",
        "report.json",
        "summary.md",
    ]
    assert (out / "recall_at_k.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    saved = json.loads((out / "report.json").read_text())
    assert saved["figures"] == data["figures"] and saved["settings"] == {"k": 5}
    assert saved["citeqa_version"] and saved["run"]["mode"] == "scripted"
    with (out / "questions.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["verdict"] for r in rows] == ["correct", "wrong answer", "abstained", "wrongly abstained"]
    assert "| q4 |" in (out / "summary.md").read_text()
    assert read_report_figures(out / "report.json") == pytest.approx(data["figures"])

    def broken(*_: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(report_module, "_write_charts", broken)
    again = evaluate(QuestionSet("t", "jsonl", QUESTIONS), ScriptedRunner(observations()), k=5)
    with pytest.raises(RuntimeError):
        write_report(again, out, "other.jsonl", {})
    assert json.loads((out / "report.json").read_text()) == saved  # the old report is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # no staging left behind


@pytest.mark.parametrize(
    ("content", "message"),
    [("{", "not a readable report.json"), ('{"figures": {"a": "x"}}', "field 'figures'"), ("[]", "field 'figures'")],
)
def test_bad_baseline_report(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "report.json"
    path.write_text(content)
    with pytest.raises(InvalidInput, match=message):
        read_report_figures(path)
    with pytest.raises(InvalidInput, match="no such baseline"):
        read_report_figures(tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--build"], "--build needs a BEIR folder"),
        (["--slice", "5"], "--slice applies only to BEIR folders"),
        (["--url", "http://127.0.0.1:9", "--build"], "drop --url or --build"),
        (["--url", "ftp://x"], "--url must look like http://HOST:PORT"),
        (["--url", "http://127.0.0.1:{port}"], "cannot reach http://127.0.0.1:"),
        (["--tolerance", "lots"], "--tolerance 'lots': expected a number or FIGURE=NUMBER"),
        (["--baseline", "{tmp}/nope.json"], "no such baseline report"),
    ],
)
def test_cli_expected_failures_are_one_line(tmp_path: Path, extra: list[str], message: str) -> None:
    from typer.testing import CliRunner

    from citeqa.service.cli import app
    from tests.conftest import SEED_DEV, free_port

    port = free_port()
    args = [a.format(port=port, tmp=tmp_path) for a in extra]
    result = CliRunner().invoke(app, ["eval", str(SEED_DEV), "--out", str(tmp_path / "out"), *args])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.output
    assert not (tmp_path / "out").exists()


def test_parse_tolerances() -> None:
    from citeqa.service.cli.evaluate import parse_tolerances

    assert parse_tolerances([]) == (0.02, {})
    assert parse_tolerances(["0.05", "document.mrr@10=0.01"]) == (0.05, {"document.mrr@10": 0.01})
    with pytest.raises(InvalidInput, match="must not be negative"):
        parse_tolerances(["-1"])


def test_eval_help_has_an_example_and_imports_no_torch() -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from citeqa.service.cli import app\n"
        "out = CliRunner().invoke(app, ['eval', '--help']).output\n"
        "assert 'Example: citeqa eval' in out, out\n"
        "assert 'torch' not in sys.modules and 'matplotlib' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_document_ids_the_index_lacks_are_counted_and_reported(tmp_path: Path) -> None:
    questions = (
        *QUESTIONS,
        Question("q5", "who is rutte?", ("Rutte",), None, True, {"no-such-doc": 1.0}),
        Question("q6", "Tokyo?", ("Tokyo",), None, True, {"a": 1.0, "gone": 1.0}),
    )
    extra = [Observation(False, "", (("a", 0, 29),), (), 1.0), Observation(False, "", (("a", 0, 29),), (), 1.0)]
    result = evaluate(QuestionSet("t", "jsonl", questions), ScriptedRunner([*observations(), *extra]), k=5)
    assert result.unknown == UnknownDocuments(("gone", "no-such-doc"), 2)
    data = write_report(result, tmp_path / "report", "t.jsonl", {})
    assert data["unknown_doc_ids"] == {"ids": ["gone", "no-such-doc"], "questions": 2}
    assert "2 question(s) name documents the index does not hold (`gone`, `no-such-doc`)" in (
        (tmp_path / "report" / "summary.md").read_text()
    )
    known = evaluate(QuestionSet("t", "jsonl", QUESTIONS), ScriptedRunner(observations()), k=5)
    assert known.unknown == UnknownDocuments()
    assert write_report(known, tmp_path / "known", "t.jsonl", {})["unknown_doc_ids"] == {"ids": [], "questions": 0}


@pytest.mark.parametrize(
    ("name", "current", "says"),
    [
        (
            "evidence.hit@10",
            {"document.hit@10": 1.0, "abstention.accuracy": 1.0},
            "is not in this report: the question sets differ (this one has no evidence labels",
        ),
        ("document.mrr@10", {"abstention.accuracy": 1.0}, "the question sets differ (this one has no doc_id labels"),
        ("document.mrr@10", {"document.mrr@5": 0.9}, "it was made with -k 5, the baseline with -k 10"),
        ("answer.containment", {"document.hit@10": 1.0}, "it was made with --retrieval-only, the baseline without"),
        (
            "abstention.recall",
            {"abstention.recall": None},
            "is n/a in this report: no question of this set is labelled",
        ),
        ("abstention.precision", {"abstention.precision": None}, "the service abstained on no question"),
    ],
)
def test_a_baseline_figure_this_report_lacks_fails_and_says_why(
    name: str, current: dict[str, float | None], says: str
) -> None:
    (difference,) = [d for d in compare({name: 1.0}, current) if d.name == name]
    assert difference.regressed and says in difference.missing
    (line,) = format_differences([difference])
    assert line.startswith(f"REGRESSION: {name} (1.0000 in the baseline) ") and says in line
    assert "compare reports" in line or "abstained on no question" in line


def test_a_verdict_says_why_a_correct_answer_still_failed(tmp_path: Path) -> None:
    """An answer holding an acceptable string fails when its named document is not retrieved: the
    verdict says whether the document was missed or is not in the index at all (a new user's eval saw
    "failed" for a right answer whose doc_id was a typo)."""
    questions = (
        Question("q1", "Who did Rutte meet?", ("Ishiba",), None, True, {"b": 1.0}),
        Question("q2", "Who did Rutte meet?", ("Ishiba",), None, True, {"no-such-doc": 1.0}),
    )
    answered = Observation(True, "He met Ishiba. [1]", (("a", 30, 44),), (("a", 30, 44, "He met Ishiba."),), 10.0)
    result = evaluate(QuestionSet("t", "jsonl", questions), ScriptedRunner([answered, answered]), k=5)
    assert result.unknown.ids == ("no-such-doc",)
    write_report(result, tmp_path / "report", "t.jsonl", {"k": 5})
    with (tmp_path / "report" / "questions.csv").open(encoding="utf-8") as fh:
        assert [r["verdict"] for r in csv.DictReader(fh)] == ["document missed", "document not in index"]
    assert "| q2 | Who did Rutte meet? | document not in index |" in (tmp_path / "report" / "summary.md").read_text()


def test_verdicts_by_a_field_have_the_same_columns_in_every_run(tmp_path: Path) -> None:
    """A new user's `--by style` tables did not line up: a run where no question should have abstained
    dropped that column. Every verdict an answer run can give is a column (and a count, 0 included)."""
    questions = tuple(replace(q, extra={"style": "unanswerable" if not q.answerable else "own"}) for q in QUESTIONS)
    answered = Observation(True, "Sure. [1]", (("a", 0, 29),), (("a", 0, 29, "Rutte visited Tokyo in April."),), 1.0)
    runs = {
        "abstains": evaluate(QuestionSet("t", "jsonl", questions), ScriptedRunner(observations()), k=5),
        "answers": evaluate(
            QuestionSet("t", "jsonl", questions), ScriptedRunner([*observations()[:2], answered, answered]), k=5
        ),
    }
    verdicts = (
        "correct",
        "wrong answer",
        "document missed",
        "document not in index",
        "abstained",
        "should have abstained",
        "wrongly abstained",
        "answered (no answers to check)",
    )
    tables = {name: verdict_table(verdicts_by(result, "style"), "style") for name, result in runs.items()}
    assert tables["abstains"][0] == tables["answers"][0] == "| style | questions | " + " | ".join(verdicts) + " |"
    assert all(line.count("|") == len(verdicts) + 3 for table in tables.values() for line in table)
    assert tables["abstains"][2:] == [
        "| own | 3 | 1 | 1 | 0 | 0 | 0 | 0 | 1 | 0 |",
        "| unanswerable | 1 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0 |",
    ]
    groups = write_report(runs["abstains"], tmp_path / "r", "t.jsonl", {}, by="style")["by"]["groups"]
    assert groups["unanswerable"] == {"questions": 1, **dict.fromkeys(verdicts, 0), "abstained": 1}
    retrieval = [Observation(None, "", (("a", 0, 29),), (), 1.0) for _ in QUESTIONS]
    searched = evaluate(QuestionSet("t", "jsonl", questions), ScriptedRunner(retrieval, retrieval_only=True), k=5)
    header = verdict_table(verdicts_by(searched, "style"), "style")[0]
    assert header == "| style | questions | retrieved | missed |"
