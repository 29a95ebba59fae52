"""``citeqa eval``'s report, from a new user's trial: a destination never destroyed, its mode, labels the
service cannot be scored on (evidence in no document, no answers to check), a fixed figure order and
answers shortened at a word (a scripted runner: plumbing only, no model)."""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from citeqa.index.errors import InvalidInput
from citeqa.index.evaluation import report
from citeqa.index.evaluation.question_sets import Question, QuestionSet
from citeqa.index.evaluation.report import VERDICTS, write_report
from citeqa.index.evaluation.runner import EvalResult, Observation, evaluate
from tests.conftest import ROOT
from tests.index.evaluation.test_evaluation import QUESTIONS, ScriptedRunner, observations

REPORT_FILES = ["latency.png", "questions.csv", "recall_at_k.png", "report.json", "summary.md"]


def a_result() -> EvalResult:
    return evaluate(QuestionSet("t", "jsonl", QUESTIONS), ScriptedRunner(observations()), k=5)


def test_a_directory_holding_other_files_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    """`--out DIR` replaced DIR whole: a user's notes (and a copy of a corpus) were deleted."""
    out = tmp_path / "mydir"
    (out / "sub").mkdir(parents=True)
    (out / "notes.txt").write_text("precious")
    (out / "sub" / "page.md").write_text("a page")
    with pytest.raises(InvalidInput) as caught:
        write_report(a_result(), out, "t.jsonl", {})
    assert str(caught.value) == (
        f"--out {out} holds other files (notes.txt, sub): give a new or empty directory, or an earlier report's"
    )
    assert (out / "notes.txt").read_text() == "precious" and (out / "sub" / "page.md").read_text() == "a page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mydir"]  # no staging left behind


def test_a_report_with_a_file_added_or_a_report_json_of_another_tool_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "report"
    write_report(a_result(), out, "t.jsonl", {})
    (out / "mine.csv").write_text("x")
    with pytest.raises(InvalidInput, match=r"holds other files \(mine.csv\)"):
        write_report(a_result(), out, "t.jsonl", {})
    other = tmp_path / "other"
    other.mkdir()
    (other / "report.json").write_text('{"figures": {}}')
    with pytest.raises(InvalidInput, match=r"holds a report\.json not written by citeqa eval: give a new or empty"):
        write_report(a_result(), other, "t.jsonl", {})
    assert (other / "report.json").read_text() == '{"figures": {}}'
    many = tmp_path / "many"
    many.mkdir()
    for name in "abcde":
        (many / f"{name}.txt").write_text(name)
    with pytest.raises(InvalidInput, match=r"\(a.txt, b.txt, c.txt and 2 more\)"):
        write_report(a_result(), many, "t.jsonl", {})


def test_a_new_an_empty_directory_and_an_earlier_report_are_written(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (tmp_path / "new" / "report", empty):
        write_report(a_result(), out, "t.jsonl", {})
        assert sorted(p.name for p in out.iterdir()) == REPORT_FILES
    (empty / "latency.png").unlink()  # an earlier report, whatever files it lacks
    again = write_report(a_result(), empty, "again.jsonl", {})
    assert json.loads((empty / "report.json").read_text())["questions_file"] == again["questions_file"]
    assert sorted(p.name for p in empty.iterdir()) == REPORT_FILES


@pytest.fixture
def working_directory(tmp_path: Path) -> Iterator[Path]:
    here = Path.cwd()
    work = tmp_path / "work" / "cwd"
    work.mkdir(parents=True)
    os.chdir(work)
    try:
        yield work
    finally:
        os.chdir(here)


@pytest.mark.parametrize("given", [".", "..", "/", "./.", "sub/.."])
def test_the_working_directory_or_one_holding_it_is_refused_in_one_line(working_directory: Path, given: str) -> None:
    """`--out .` crashed (`ValueError: PosixPath('.') has an empty name`); `..` and `/` hold the working
    directory: never replaced."""
    (working_directory / "sub").mkdir()
    refused = rf"^--out {re.escape(str(Path(given)))} (holds other files|is the working directory or holds it)"
    with pytest.raises(InvalidInput, match=refused):
        write_report(a_result(), Path(given), "t.jsonl", {})
    assert sorted(p.name for p in working_directory.iterdir()) == ["sub"]
    (working_directory / "sub").rmdir()
    with pytest.raises(InvalidInput, match=refused):
        write_report(a_result(), Path(given), "t.jsonl", {})  # even when empty
    assert list(working_directory.iterdir()) == []


def test_a_path_ending_in_a_dot_names_its_directory(working_directory: Path) -> None:
    write_report(a_result(), Path("report/."), "t.jsonl", {})
    assert sorted(p.name for p in (working_directory / "report").iterdir()) == REPORT_FILES
    assert sorted(p.name for p in working_directory.iterdir()) == ["report"]


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_the_report_directory_has_the_mode_of_mkdir(tmp_path: Path, umask: int) -> None:
    """Made by tempfile.mkdtemp, every report directory was 0700 whatever the umask."""
    before = os.umask(umask)
    try:
        write_report(a_result(), tmp_path / "report", "t.jsonl", {})
        (tmp_path / "plain").mkdir()
    finally:
        os.umask(before)
    assert (tmp_path / "report").stat().st_mode & 0o777 == (tmp_path / "plain").stat().st_mode & 0o777
    assert (tmp_path / "report").stat().st_mode & 0o777 == 0o777 & ~umask


TYPO = Question("q5", "Who did Rutte meet?", ("Ishiba",), "He met Ishbia", True)


def test_evidence_found_in_no_document_is_left_out_of_every_evidence_figure_and_listed(tmp_path: Path) -> None:
    """A typo in `evidence` left the question out of evidence.* but counted it as the service's failure
    in answer.evidence_support, with no warning."""
    answered = Observation(True, "He met Ishiba. [1]", (("a", 30, 44),), (("a", 30, 44, "He met Ishiba."),), 10.0)
    result = evaluate(QuestionSet("t", "jsonl", (*QUESTIONS, TYPO)), ScriptedRunner([*observations(), answered]), k=5)
    assert result.evidence_not_found == ("q5",)
    row = result.rows[-1]
    assert not any(n.startswith("evidence.") or n == "answer.evidence_support" for n in row.metrics)
    assert result.figures["answer.evidence_support"] == 0.5  # q1 and q2 only, as evidence.hit@5
    assert result.figures["evidence.hit@5"] == 1.0
    data = write_report(result, tmp_path / "report", "t.jsonl", {})
    assert data["evidence_not_found"] == ["q5"]
    assert (
        "1 question(s) have evidence found in none of their documents (`q5`)"
        in (tmp_path / "report" / "summary.md").read_text()
    )
    assert a_result().evidence_not_found == ()


def test_an_answerable_question_without_answers_is_not_counted_correct(tmp_path: Path) -> None:
    """`answers: []` on an answerable question got the verdict `correct` whatever the answer."""
    unlabelled = (
        Question("q5", "What is the UCAS code?", (), None, True),
        Question("q6", "What is the UCAS code again?", (), None, True),
    )
    answered = Observation(True, "Anything at all. [1]", (("a", 0, 29),), (), 1.0)
    abstained = Observation(False, "The articles don't cover this question.", (("a", 0, 29),), (), 1.0)
    result = evaluate(
        QuestionSet("t", "jsonl", (*QUESTIONS, *unlabelled)),
        ScriptedRunner([*observations(), answered, abstained]),
        k=5,
    )
    assert result.without_answers == ("q5", "q6")
    data = write_report(result, tmp_path / "report", "t.jsonl", {})
    assert data["without_answers"] == ["q5", "q6"]
    with (tmp_path / "report" / "questions.csv").open(encoding="utf-8") as fh:
        verdicts = {r["id"]: r["verdict"] for r in csv.DictReader(fh)}
    assert verdicts["q5"] == "answered (no answers to check)" and verdicts["q6"] == "wrongly abstained"
    assert verdicts["q1"] == "correct"
    summary = (tmp_path / "report" / "summary.md").read_text()
    assert "2 answerable question(s) have no answers to check (`q5`, `q6`)" in summary
    retrieval = [Observation(None, "", (("a", 0, 29),), (), 1.0) for _ in range(6)]
    searched = evaluate(QuestionSet("t", "jsonl", (*QUESTIONS, *unlabelled)), ScriptedRunner(retrieval, True), k=5)
    assert searched.without_answers == ()  # a retrieval-only run checks no answer


EARLIER_COLUMNS = [
    "id",
    "question",
    "expected_answers",
    "evidence",
    "labelled_answerable",
    "answerable",
    "answer",
    "confidence",
    "relevant_docs",
    "retrieved_docs",
    "doc_rank",
    "evidence_rank",
    "verdict",
    "metrics",
    "latency_ms",
]
"""questions.csv's columns before the abstention's were added: still first, in this order."""


@pytest.mark.parametrize("by", [None, "answerable"])
def test_questions_csv_says_why_each_abstention_abstained(tmp_path: Path, by: str | None) -> None:
    """A new user could not tell from questions.csv why a question was abstained on, nor so whether
    recalibrating could change it: the abstention's code and reason are the last columns (before --by's)."""
    scripted = observations()
    reasons = [("not_in_corpus", "no passage mentions “light”"), ("low_confidence", "no sentence clearly answers it")]
    for i, (code, reason) in zip((2, 3), reasons, strict=True):
        scripted[i] = dataclasses.replace(scripted[i], abstention_code=code, reason=reason)
    result = evaluate(QuestionSet("t", "jsonl", QUESTIONS), ScriptedRunner(scripted), k=5)
    write_report(result, tmp_path / "report", "t.jsonl", {}, by)
    with (tmp_path / "report" / "questions.csv").open(encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    assert header == [*EARLIER_COLUMNS, "abstention_code", "reason", *([by] if by else [])]
    cells = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(c["verdict"], c["abstention_code"], c["reason"]) for c in cells] == [
        ("correct", "", ""),
        ("wrong answer", "", ""),
        ("abstained", "not_in_corpus", "no passage mentions “light”"),
        ("wrongly abstained", "low_confidence", "no sentence clearly answers it"),
    ]


def test_figures_come_in_the_same_order_whatever_the_first_question_got() -> None:
    """The first question abstaining (no citation_validity) moved answer.citation_validity after
    answer.evidence_support: the figures of two runs did not line up."""
    forward = evaluate(QuestionSet("t", "jsonl", QUESTIONS), ScriptedRunner(observations()), k=5)
    backward = evaluate(QuestionSet("t", "jsonl", QUESTIONS[::-1]), ScriptedRunner(observations()[::-1]), k=5)
    assert list(backward.figures) == list(forward.figures)
    assert list(forward.figures)[:12] == [
        "document.hit@5",
        "document.recall@5",
        "document.mrr@5",
        "document.ndcg@5",
        "evidence.hit@5",
        "evidence.recall@5",
        "evidence.mrr@5",
        "evidence.ndcg@5",
        "answer.containment",
        "answer.token_f1",
        "answer.citation_validity",
        "answer.evidence_support",
    ]


def test_a_long_answer_in_the_summary_is_cut_at_a_word_with_an_ellipsis(tmp_path: Path) -> None:
    assert report.shorten("short answer", 200) == "short answer"
    assert report.shorten("through the Room Booking system for students", 30) == "through the Room Booking…"
    assert report.shorten("x" * 50, 20) == "x" * 19 + "…"
    long = "Rooms are booked " + "through the Room Booking system for " * 10
    question = Question("q1", "How are rooms booked?", ("porters",), None, True)
    answered = Observation(True, long, (("a", 0, 29),), (), 1.0)
    result = evaluate(QuestionSet("t", "jsonl", (question,)), ScriptedRunner([answered]), k=5)
    write_report(result, tmp_path / "report", "t.jsonl", {})
    (row,) = [line for line in (tmp_path / "report" / "summary.md").read_text().splitlines() if "| q1 |" in line]
    cell = row.split(" | ")[-1].removesuffix(" |")
    assert cell.endswith("…") and len(cell) <= 200 and long.startswith(cell[:-1])
    assert long[len(cell) - 1] == " "  # cut between words


def test_the_docs_list_every_verdict() -> None:
    text = (ROOT / "docs" / "evaluation.md").read_text(encoding="utf-8")
    table = text[text.index("| verdict | meaning |") :].split("\n\n")[0]
    listed = {v.strip() for line in table.splitlines() for v in re.findall(r"`([^`]+)`", line.split("|")[1])}
    assert listed == set(VERDICTS)
