"""`citeqa calibrate`: fits on labelled questions, prints the P/R curve, writes a loadable model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from citeqa.service import wiring
from citeqa.service.cli import app
from tests.conftest import ROOT, SEED_DEV


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
    "How heavy is Mark Rutte?",  # answer_type_missing: no weight
    "How long did the Rutte visit to Tokyo take?",  # answer_type_missing: no duration
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


SMALL_OWN = ROOT / "eval" / "small_own.jsonl"  # 20 answerable and 18 unanswerable questions over six articles


def test_calibrate_folds_measure_the_fit_out_of_fold(small_index: Path) -> None:
    """`--folds K` reports what `training.cross_validate` measures: each question answered by a model fitted
    without its article's questions."""
    from citeqa.index.answering.training import TrainingParams, cross_validate, summarise, totals_utility
    from citeqa.index.evaluation.calibration import prepare_questions, read_labelled, with_articles
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    args = ["calibrate", str(SMALL_OWN), "--index", str(small_index), "--strength", "3", "--folds", "3", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    measured = json.loads(result.stdout)["cross_validation"]
    engine = load_engine(Settings(index_dir=small_index))
    # a question without a doc_id is put in the article holding its evidence, as `citeqa eval` finds it
    examples = prepare_questions(engine, with_articles(read_labelled(SMALL_OWN), engine.data.documents))
    expected = summarise(cross_validate(engine.extractor, examples, TrainingParams(3.0, 3.0), folds=3))["all"]
    assert measured == {"folds": 3, **expected, "utility": totals_utility(expected)}
    assert (measured["answerable"], measured["unanswerable"]) == (20, 18)
    text = CliRunner().invoke(app, args[:-1]).output
    by = "by article, or by question where neither doc_id nor evidence names one"
    assert f"cross-validated (3 folds {by}, penalties as given)" in text
    assert f"{expected['contains_answer']}/20 answers hold an acceptable answer" in text


def test_calibrate_select_chooses_the_penalties_by_cross_validation(small_index: Path) -> None:
    from citeqa.index.answering.training import GRID

    args = ["calibrate", str(SMALL_OWN), "--index", str(small_index), "--select", "--folds", "3", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    chosen = (payload["params"]["ranker_l2"], payload["params"]["abstain_l2"])
    assert chosen in {(p.ranker_l2, p.abstain_l2) for p in GRID}
    assert f"ranker L2 {chosen[0]:g}, answerability L2 {chosen[1]:g}" in payload["model"]["note"]
    assert payload["cross_validation"]["folds"] == 3


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--folds", "1"], "--folds must be 2 or more"),
        (["--folds", "3", "--threshold-only"], "leave out --threshold-only"),
        (["--folds", "30"], "--folds 30 is more than the questions' 24 groups (by article, or a question alone): "),
    ],
)
def test_calibrate_fold_options_refused_in_one_line(small_index: Path, extra: list[str], says: str) -> None:
    result = CliRunner().invoke(app, ["calibrate", str(SMALL_OWN), "--index", str(small_index), *extra])
    assert result.exit_code == 1 and says in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_calibrate_refuses_more_folds_than_articles(small_index: Path, tmp_path: Path) -> None:
    """`--folds 30` over questions about a few articles printed "30 folds by article" and measured nothing
    in the folds no article fell into."""
    rows = [json.loads(line) for line in SMALL_OWN.read_text(encoding="utf-8").splitlines()]
    articles = [row | ({} if row.get("answerable", True) else {"doc_id": "orla-phone"}) for row in rows]
    labelled = tmp_path / "articles.jsonl"
    labelled.write_text("".join(json.dumps(row) + "\n" for row in articles), encoding="utf-8")
    result = CliRunner().invoke(app, ["calibrate", str(labelled), "--index", str(small_index), "--folds", "9"])
    assert result.exit_code == 1, result.output
    assert result.output == "error: --folds 9 is more than the questions' 6 articles: use --folds 6 or fewer\n"


def test_calibrate_folds_without_both_labels_in_a_fold(small_index: Path, tmp_path: Path) -> None:
    """Every unanswerable question about one article: the fold holding it trains without any."""
    rows = [json.loads(line) for line in SMALL_OWN.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if not row.get("answerable", True):
            row["doc_id"] = "orla-phone"
    skewed = tmp_path / "skewed.jsonl"
    skewed.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = CliRunner().invoke(app, ["calibrate", str(skewed), "--index", str(small_index), "--folds", "3"])
    assert result.exit_code == 1, result.output
    assert "in every training fold" in result.output and len(result.output.strip().splitlines()) == 1


def test_eval_counts_verdicts_by_a_field_of_the_set(small_index: Path, tmp_path: Path) -> None:
    """`citeqa eval --by style`: a table of verdicts per value, in stdout, report.json, summary.md and the CSV."""
    import csv

    out = tmp_path / "report"
    args = ["eval", str(SMALL_OWN), "--index", str(small_index), "-k", "5", "--out", str(out), "--by", "style"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "| style | questions | correct |" in result.output
    groups = json.loads((out / "report.json").read_text(encoding="utf-8"))["by"]["groups"]
    assert list(groups) == ["own", "near_miss"]
    assert (groups["own"]["questions"], groups["near_miss"]["questions"]) == (20, 18)
    assert groups["near_miss"].get("abstained", 0) + groups["near_miss"].get("should have abstained", 0) == 18
    assert "## Verdicts by style" in (out / "summary.md").read_text(encoding="utf-8")
    with (out / "questions.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["style"] for r in rows} == {"own", "near_miss"}
    assert sum(r["verdict"] == "abstained" for r in rows if r["style"] == "near_miss") == groups["near_miss"].get(
        "abstained", 0
    )


def test_eval_by_a_field_no_question_has(small_index: Path, tmp_path: Path) -> None:
    args = ["eval", str(SMALL_OWN), "--index", str(small_index), "--out", str(tmp_path / "r"), "--by", "stile"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "--by stile: no question of" in result.output
    assert "(its own fields: style; or answerable, doc_id)" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_eval_by_answerable(small_index: Path, tmp_path: Path) -> None:
    """A built-in field groups too: a new user's first choice to split a labelled set."""
    out = tmp_path / "r"
    args = ["eval", str(SMALL_OWN), "--index", str(small_index), "--out", str(out), "--by", "answerable"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    groups = json.loads((out / "report.json").read_text(encoding="utf-8"))["by"]["groups"]
    assert set(groups) == {"true", "false"} and (groups["true"]["questions"], groups["false"]["questions"]) == (20, 18)
    assert groups["true"].get("should have abstained", 0) == 0 and groups["false"].get("wrongly abstained", 0) == 0


@pytest.fixture(scope="module")
def too_trusting(small_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """small_own without the answerable questions the packaged model abstains on: a team's set on which
    the packaged threshold answers some unanswerable questions that a higher one, abstaining on no
    answerable question, would refuse."""
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    engine = load_engine(Settings(index_dir=small_index))
    rows = [json.loads(line) for line in SMALL_OWN.read_text(encoding="utf-8").splitlines()]
    kept = [r for r in rows if not r.get("answerable", True) or engine.ask(r["question"])[0].answerable]
    assert sum(r.get("answerable", True) for r in kept) >= 18, "small_own is about what its articles say"
    path = tmp_path_factory.mktemp("calibrate") / "too_trusting.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in kept), encoding="utf-8")
    return path


def test_calibrate_says_how_to_serve_what_it_fitted(small_index: Path, too_trusting: Path) -> None:
    """A new user set CITEQA_ABSTAIN_THRESHOLD from a refit: that threshold belongs to the new weights."""
    where = [str(too_trusting), "--index", str(small_index)]
    refit = CliRunner().invoke(app, ["calibrate", *where]).output
    assert "--write FILE, then CITEQA_ABSTAIN_MODEL_FILE=FILE" in refit
    assert "at most 3% of these answerable questions" in refit and "on the questions it was fitted on" in refit
    kept = CliRunner().invoke(app, ["calibrate", *where, "--threshold-only"]).output
    assert "use it: CITEQA_ABSTAIN_THRESHOLD=" in kept and "the current weights with this threshold" in kept
    assert "probability alone that abstains on at most 3% of these answerable questions" in kept


def test_calibrate_threshold_only_abstains_on_few_answerable_questions(small_index: Path, too_trusting: Path) -> None:
    """A new user's `--threshold-only` threshold refused 15 of 30 answerable questions for no gain in accuracy:
    it is chosen as the refit's is, abstaining on at most `max_wrong_abstain` of the answerable questions."""
    from citeqa.index.answering.training import TrainingParams, question_signals
    from citeqa.index.evaluation.calibration import prepare_questions, read_labelled
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    args = ["calibrate", str(too_trusting), "--index", str(small_index), "--threshold-only", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    engine = load_engine(Settings(index_dir=small_index))
    prior = engine.extractor.model
    ranker = prior.ranker or engine.extractor.ranker
    answerable = [e for e in prepare_questions(engine, read_labelled(too_trusting)) if e.question.answerable]
    probabilities = [prior.probability(question_signals(engine.extractor, e.prepared, ranker)) for e in answerable]
    abstained = sum(p < payload["model"]["threshold"] for p in probabilities)
    assert abstained <= TrainingParams.max_wrong_abstain * len(answerable)
    assert payload["max_wrong_abstain"] == TrainingParams.max_wrong_abstain
    assert payload["improved"] and payload["accuracy_after"] > payload["accuracy_before"]


def test_calibrate_threshold_only_says_to_keep_a_threshold_it_does_not_beat(default_index: Path) -> None:
    """Every answer of seed_dev is already right (accuracy 1.000): no threshold improves on the current one."""
    where = [str(SEED_DEV), "--index", str(default_index), "--threshold-only"]
    text = CliRunner().invoke(app, ["calibrate", *where]).output
    assert "abstention accuracy 1.0000 before, 1.0000 after" in text
    assert "use it:" not in text
    payload = json.loads(CliRunner().invoke(app, ["calibrate", *where, "--json"]).stdout)
    current = f"{payload['threshold_before']:.4f}"
    assert f"keep the current threshold {current}: {payload['model']['threshold']:.4f} does not improve on it" in text
    assert payload["accuracy_before"] == payload["accuracy_after"] == 1.0 and not payload["improved"]


def test_questions_without_doc_id_fold_by_the_article_of_their_evidence(default_index: Path) -> None:
    from citeqa.index.evaluation.calibration import read_labelled, with_articles
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    engine = load_engine(Settings(index_dir=default_index))
    questions = with_articles(read_labelled(SEED_DEV), engine.data.documents)
    answerable = [q for q in questions if q.answerable]
    assert answerable and all(q.doc_id == "japan-nato-rutte-visit" for q in answerable)
    assert all(q.doc_id is None for q in questions if not q.answerable)  # no evidence: its own article


def test_calibrate_weighs_the_refit_against_the_current_model_and_writes_only_a_better_one(
    small_index: Path, tmp_path: Path
) -> None:
    """A new user's refit on 83 questions was worse out of fold than the shipped model (utility 50 against 57),
    yet calibrate printed an in-sample "0.807 before, 0.867 after", said `improved` and wrote it. With --folds the
    current model's figures on the same questions are given beside the refit's, `improved` compares the two,
    and --write writes only a better model (--force: any)."""
    out = tmp_path / "model.json"
    args = ["calibrate", str(SMALL_OWN), "--index", str(small_index), "--folds", "3"]
    payload = json.loads(CliRunner().invoke(app, [*args, "--json"]).stdout)
    refit, current = payload["cross_validation"], payload["current"]
    assert (current["answerable"], current["unanswerable"]) == (20, 18)
    assert payload["improved"] is (refit["utility"] > current["utility"])
    result = CliRunner().invoke(app, [*args, "--write", str(out)])
    assert "the current model on the same questions, as it is" in result.output
    if payload["improved"]:
        assert result.exit_code == 0 and out.is_file(), result.output
    else:
        assert result.exit_code == 1 and not out.exists(), result.output
        assert (
            f"keep the current model: out of fold the refit does no better (utility {refit['utility']}" in result.output
        )
        assert result.output.rstrip().splitlines()[-1].startswith(f"error: {out} not written: keep the current model")


def test_calibrate_threshold_only_does_not_write_a_threshold_it_does_not_beat(
    default_index: Path, tmp_path: Path
) -> None:
    """`--threshold-only --write` wrote the worse threshold and dropped the advice to keep the current one."""
    out = tmp_path / "threshold.json"
    args = ["calibrate", str(SEED_DEV), "--index", str(default_index), "--threshold-only", "--write", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1 and not out.exists(), result.output
    assert "keep the current threshold" in result.output and "--force writes it anyway" in result.output


def test_calibrate_refuses_a_question_given_twice(default_index: Path) -> None:
    """The same file twice: cross-validation would score questions it was fitted on."""
    result = CliRunner().invoke(app, ["calibrate", str(SEED_DEV), str(SEED_DEV), "--index", str(default_index)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "appears twice among the files" in result.output, result.output


def test_calibrate_force_writes_a_threshold_it_does_not_beat(default_index: Path, tmp_path: Path) -> None:
    out = tmp_path / "threshold.json"
    args = ["calibrate", str(SEED_DEV), "--index", str(default_index), "--threshold-only", "--write", str(out)]
    result = CliRunner().invoke(app, [*args, "--force"])
    assert result.exit_code == 0 and out.is_file(), result.output


def test_calibrate_write_to_a_directory_is_one_line_without_a_temporary_path(
    default_index: Path, tmp_path: Path
) -> None:
    args = ["calibrate", str(SEED_DEV), "--index", str(default_index), "--write", str(tmp_path), "--force"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert result.output.startswith(f"error: cannot write {tmp_path} (") and ".tmp" not in result.output
