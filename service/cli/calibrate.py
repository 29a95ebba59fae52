"""Body of ``citeqa calibrate``: fit the abstention model on labelled questions, print or write it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import typer

from citeqa.index.answering.abstention import save_abstain_model
from citeqa.index.answering.training import totals_utility
from citeqa.index.engine import Engine
from citeqa.index.errors import CiteqaError
from citeqa.index.evaluation.calibration import Calibration, calibrate
from citeqa.index.evaluation.question_sets import Question
from citeqa.index.limits import DEFAULT_K

SMALL_SET = 200
"""Fewer labelled questions than this get a warning: a refit on them fits their wording (the shipped model was
fitted on 856, and more than that no longer helped: `bench/answer_model/protocol_session12.md`)."""


def run_calibration(
    engine: Engine,
    questions: Sequence[Question],
    *,
    write: Path | None,
    refit: bool,
    strength: float,
    as_json: bool,
    select: bool = False,
    folds: int = 0,
    force: bool = False,
) -> Calibration:
    """Calibrate ``engine``'s abstention model on ``questions``; write it to ``write`` when given, unless it does
    worse than the current model where that can be told (out of fold with ``folds``; on these questions with
    ``--threshold-only``) and ``force`` is not set: then raises ``NotWritten`` after printing the figures."""
    result = calibrate(
        engine, questions, engine.extractor.model, refit=refit, strength=strength, select=select, folds=folds
    )
    told_worse = not result.improved and (result.cross_validation is not None or not refit)
    written = write is not None and (force or not told_worse)
    if written:
        assert write is not None
        save_abstain_model(result.model, write)
    if as_json:
        typer.echo(json.dumps(_payload(result, write if written else None), indent=2))
    else:
        _print(result, refit, select)
        if write is not None and written:
            typer.echo(f"wrote {write}: serve with CITEQA_ABSTAIN_MODEL_FILE={write.resolve()}")
        elif write is None and not told_worse:
            typer.echo(_how_to_use(result.model.threshold, refit))
    if write is not None and not written:
        raise NotWritten(f"{write} not written: {_worse(result, refit)}; --force writes it anyway")
    return result


class NotWritten(CiteqaError):
    """``--write`` was refused: the fit does worse than the current model."""


def _payload(result: Calibration, written: Path | None) -> dict[str, object]:
    """``citeqa calibrate --json``'s object."""
    cv, current = result.cross_validation, result.current
    return {
        "questions": result.questions,
        "accuracy_before": round(result.accuracy_before, 4),
        "accuracy_after": round(result.accuracy_after, 4),
        "threshold_before": result.threshold_before,
        "max_wrong_abstain": result.max_wrong_abstain,
        "improved": result.improved,
        "params": vars(result.params) if result.params else None,
        "cross_validation": ({"folds": result.folds, **cv, "utility": totals_utility(cv)} if cv is not None else None),
        "current": ({**current, "utility": totals_utility(current)} if current is not None else None),
        "written": str(written) if written else None,
        "model": result.model.to_json(),
    }


def _print(result: Calibration, refit: bool, select: bool) -> None:
    """The threshold, weights and curve, then the figures that decide (out of fold against the current model)
    and the advice, last."""
    model = result.model
    typer.echo(f"threshold {model.threshold:.4f} ({model.note})")
    cap = f"abstains on at most {result.max_wrong_abstain:.0%} of these answerable questions"
    if result.params is not None:
        typer.echo(f"  the most accurate that {cap}")
    else:
        typer.echo(f"  the most accurate for the current model's probability alone that {cap}")
    typer.echo("weights: " + ", ".join(f"{k}={v:+.2f}" for k, v in model.weights.items()) + f", bias={model.bias:+.2f}")
    if model.ranker is not None:
        typer.echo("ranker: " + ", ".join(f"{k}={v:+.2f}" for k, v in model.ranker.weights.items()))
    typer.echo("the answerability model alone (without the rule checks), by threshold:")
    typer.echo("threshold  abstained  precision  recall  accuracy")
    for point in model.curve:
        typer.echo(
            f"{point['threshold']:9.4f}  {int(point['abstained']):9d}  {point['precision']:9.3f}"
            f"  {point['recall']:6.3f}  {point['accuracy']:8.3f}"
        )
    typer.echo(
        f"abstention accuracy {result.accuracy_before:.4f} before, {result.accuracy_after:.4f} after, on the "
        f"questions it was fitted on (the answers /v1/ask gives at k={DEFAULT_K}, rule checks included, "
        f"as `citeqa eval -k {DEFAULT_K}` counts them; in sample, so the after flatters)"
    )
    if result.cross_validation is not None and result.current is not None:
        typer.echo(_cross_validated(result.cross_validation, result.folds, select, result.by_article))
        typer.echo(_current(result.current))
    if result.questions < SMALL_SET and refit:
        typer.echo(
            f"warning: {result.questions} questions: a refit on few questions fits their wording (the shipped model "
            "was fitted on 856); "
            + ("weigh the out-of-fold figures above" if result.cross_validation else "measure it with --folds 5")
        )
    if not result.improved and (result.cross_validation is not None or not refit):
        typer.echo(_worse(result, refit))


def _current(totals: dict[str, int]) -> str:
    """One line of the current model's figures on the same questions, as it is (out of sample unless it was fitted on
    them, as the shipped model on bbc_train_a and _b)."""
    return (
        f"the current model on the same questions, as it is: {totals['contains_answer']}/"
        f"{totals['answerable']} answers hold an acceptable answer, {totals['wrongly_abstained']}/"
        f"{totals['answerable']} answerable abstained, {totals['abstained_unanswerable']}/{totals['unanswerable']} "
        f"unanswerable abstained (utility {totals_utility(totals)})"
    )


def _worse(result: Calibration, refit: bool) -> str:
    """Why to keep the current model: the refit's out-of-fold utility, or the new threshold's accuracy."""
    if not refit:
        return _keep_current(result)
    assert result.cross_validation is not None and result.current is not None
    refitted, current = totals_utility(result.cross_validation), totals_utility(result.current)
    return (
        f"keep the current model: out of fold the refit does no better (utility {refitted} against {current}: "
        "answers + unanswerable abstained - 2 x answerable abstained)"
    )


def _cross_validated(totals: dict[str, int], folds: int, select: bool, by_article: bool) -> str:
    """One line of out-of-fold figures (``training.summarise``'s totals)."""
    how = "nested, penalties chosen in each fold" if select else "penalties as given"
    by = "by article" if by_article else "by article, or by question where neither doc_id nor evidence names one"
    return (
        f"cross-validated ({folds} folds {by}, {how}): "
        f"{totals['contains_answer']}/{totals['answerable']} answers hold an acceptable answer, "
        f"{totals['wrongly_abstained']}/{totals['answerable']} answerable abstained, "
        f"{totals['abstained_unanswerable']}/{totals['unanswerable']} unanswerable abstained "
        f"(utility {totals_utility(totals)})"
    )


def _keep_current(result: Calibration) -> str:
    """Advice when ``--threshold-only`` chose a threshold no more accurate than the current one."""
    return (
        f"keep the current threshold {result.threshold_before:.4f}: {result.model.threshold:.4f} does not improve "
        f"on it (abstention accuracy {result.accuracy_before:.4f} before, {result.accuracy_after:.4f} after)"
    )


def _how_to_use(threshold: float, refit: bool) -> str:
    """How to serve what was fitted, when nothing was written."""
    if not refit:
        return f"use it: CITEQA_ABSTAIN_THRESHOLD={threshold:.4f} (the current weights with this threshold)"
    return (
        f"use it: --write FILE, then CITEQA_ABSTAIN_MODEL_FILE=FILE: the threshold {threshold:.4f} belongs to the "
        "new weights (CITEQA_ABSTAIN_THRESHOLD alone would set it on the current ones)"
    )
