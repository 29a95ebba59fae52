"""Body of ``citeqa calibrate``: fit the abstention model on labelled questions, print or write it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import typer

from citeqa.index.answering.abstention import save_abstain_model
from citeqa.index.engine import Engine
from citeqa.index.evaluation.calibration import Calibration, calibrate
from citeqa.index.evaluation.question_sets import Question
from citeqa.index.limits import DEFAULT_K


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
) -> Calibration:
    """Calibrate ``engine``'s abstention model on ``questions``; write it to ``write`` when given."""
    result = calibrate(
        engine, questions, engine.extractor.model, refit=refit, strength=strength, select=select, folds=folds
    )
    if write is not None:
        save_abstain_model(result.model, write)
    if as_json:
        payload = {
            "questions": result.questions,
            "accuracy_before": round(result.accuracy_before, 4),
            "accuracy_after": round(result.accuracy_after, 4),
            "threshold_before": result.threshold_before,
            "max_wrong_abstain": result.max_wrong_abstain,
            "improved": result.improved,
            "params": vars(result.params) if result.params else None,
            "cross_validation": (
                {"folds": result.folds, **result.cross_validation} if result.cross_validation is not None else None
            ),
            "written": str(write) if write else None,
            "model": result.model.to_json(),
        }
        typer.echo(json.dumps(payload, indent=2))
        return result
    model = result.model
    typer.echo(f"threshold {model.threshold:.4f} ({model.note})")
    cap = f"abstains on at most {result.max_wrong_abstain:.0%} of these answerable questions"
    if result.params is not None:
        typer.echo(f"  the most accurate that {cap}")
    else:
        typer.echo(f"  the most accurate for the current model's probability alone that {cap}")
    typer.echo(
        f"abstention accuracy {result.accuracy_before:.3f} before, {result.accuracy_after:.3f} after, on the "
        f"questions it was fitted on (the answers /v1/ask gives at k={DEFAULT_K}, rule checks included, "
        f"as `citeqa eval -k {DEFAULT_K}` counts them{'' if result.cross_validation else '; --folds K: out of fold'})"
    )
    typer.echo("weights: " + ", ".join(f"{k}={v:+.2f}" for k, v in model.weights.items()) + f", bias={model.bias:+.2f}")
    if result.cross_validation is not None:
        typer.echo(_cross_validated(result.cross_validation, result.folds, select, result.by_article))
    if model.ranker is not None:
        typer.echo("ranker: " + ", ".join(f"{k}={v:+.2f}" for k, v in model.ranker.weights.items()))
    typer.echo("the answerability model alone (without the rule checks), by threshold:")
    typer.echo("threshold  abstained  precision  recall  accuracy")
    for point in model.curve:
        typer.echo(
            f"{point['threshold']:9.4f}  {int(point['abstained']):9d}  {point['precision']:9.3f}"
            f"  {point['recall']:6.3f}  {point['accuracy']:8.3f}"
        )
    if write is not None:
        typer.echo(f"wrote {write}: serve with CITEQA_ABSTAIN_MODEL_FILE={write}")
    elif not refit and not result.improved:
        typer.echo(_keep_current(result))
    else:
        typer.echo(_how_to_use(model.threshold, refit))
    return result


def _cross_validated(totals: dict[str, int], folds: int, select: bool, by_article: bool) -> str:
    """One line of out-of-fold figures (``training.summarise``'s totals)."""
    how = "nested, penalties chosen in each fold" if select else "penalties as given"
    by = "by article" if by_article else "by article, or by question where neither doc_id nor evidence names one"
    return (
        f"cross-validated ({folds} folds {by}, {how}): "
        f"{totals['contains_answer']}/{totals['answerable']} answers hold an acceptable answer, "
        f"{totals['wrongly_abstained']}/{totals['answerable']} answerable abstained, "
        f"{totals['abstained_unanswerable']}/{totals['unanswerable']} unanswerable abstained"
    )


def _keep_current(result: Calibration) -> str:
    """Advice when ``--threshold-only`` chose a threshold no more accurate than the current one."""
    return (
        f"keep the current threshold {result.threshold_before:.4f}: {result.model.threshold:.4f} does not improve "
        f"on it (abstention accuracy {result.accuracy_before:.3f} before, {result.accuracy_after:.3f} after)"
    )


def _how_to_use(threshold: float, refit: bool) -> str:
    """How to serve what was fitted, when nothing was written."""
    if not refit:
        return f"use it: CITEQA_ABSTAIN_THRESHOLD={threshold:.4f} (the current weights with this threshold)"
    return (
        f"use it: --write FILE, then CITEQA_ABSTAIN_MODEL_FILE=FILE: the threshold {threshold:.4f} belongs to the "
        "new weights (CITEQA_ABSTAIN_THRESHOLD alone would set it on the current ones)"
    )
