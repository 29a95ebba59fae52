"""Commands that measure and fit: eval (a labelled question set) and calibrate (abstention)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from citeqa.index.errors import CiteqaError
from citeqa.service.cli.common import (
    IndexOpt,
    JsonOpt,
    app,
    engine_from,
    fail,
    require_index_directory,
    settings_from,
)


@app.command()
def calibrate(
    questions: Annotated[
        list[Path], typer.Argument(help="Labelled questions, JSONL (question, answers, answerable); one or more files.")
    ],
    index: IndexOpt = None,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write", help="Write the fitted answer model here (JSON); serve it with CITEQA_ABSTAIN_MODEL_FILE."
        ),
    ] = None,
    threshold_only: Annotated[
        bool, typer.Option("--threshold-only", help="Keep the current model; choose only the threshold.")
    ] = False,
    strength: Annotated[
        float,
        typer.Option(
            "--strength", min=0.0, help="L2 penalty of the ranker and answerability fits (higher: smaller weights)."
        ),
    ] = 3.0,
    select: Annotated[
        bool,
        typer.Option(
            "--select",
            help="Choose both penalties by 4-fold cross-validation by article (as the shipped model's); "
            "overrides --strength.",
        ),
    ] = False,
    folds: Annotated[
        int,
        typer.Option(
            "--folds",
            min=0,
            help="Also measure the fit out of fold, K-fold by article (2 <= K <= articles; nested with --select): "
            "the figures to expect on unseen questions.",
        ),
    ] = 0,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="With --write, write the fit even when it does worse than the current model (--folds)."
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Fit the answer model and its threshold on labelled questions.

    The answer model is the sentence ranker and the answerability model. Prints the threshold, the
    abstention accuracy before and after and the precision/recall curve; with --folds, the answers
    and abstentions of a cross-validation by article beside the current model's on the same questions.
    --write writes only a fit that does better than the current model where that can be told (out of
    fold with --folds; with --threshold-only, on these questions); --force writes it anyway.

    Example: citeqa calibrate train_a.jsonl train_b.jsonl --select --folds 5 --write answer.json
    """
    from citeqa.index.evaluation.calibration import read_labelled
    from citeqa.service.cli.calibrate import run_calibration

    try:
        labelled = [q for path in questions for q in read_labelled(path)]
    except CiteqaError as exc:
        fail(exc.message)
    engine = engine_from(settings_from(index=index))
    try:
        run_calibration(
            engine,
            labelled,
            write=write,
            refit=not threshold_only,
            strength=strength,
            select=select,
            folds=folds,
            as_json=as_json,
            force=force,
        )
    except CiteqaError as exc:
        fail(exc.message)
    except OSError as exc:  # the reason alone: the message would name the temporary file written beside it
        fail(f"cannot write {write} ({exc.strerror or type(exc).__name__}): give --write a file path you can write")


@app.command("eval")
def eval_(
    questions: Annotated[Path, typer.Argument(help="Question set: .jsonl, .csv, or a BEIR folder.")],
    url: Annotated[str | None, typer.Option("--url", help="Evaluate a running server (http://HOST:PORT).")] = None,
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=20, help="Passages per question (1 to 20).")] = 10,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Report directory: new, empty or an earlier report (replaced atomically; never anything else).",
        ),
    ] = Path("data/eval/last"),
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Earlier report.json: exit 1 when a figure falls below it.")
    ] = None,
    tolerance: Annotated[
        list[str] | None,
        typer.Option(
            "--tolerance", metavar="<fall>", help="Allowed fall: 0.02 (all figures) or FIGURE=0.01; repeatable."
        ),
    ] = None,
    build: Annotated[bool, typer.Option("--build", help="BEIR: build a temporary index of its corpus.")] = False,
    slice_docs: Annotated[
        int | None, typer.Option("--slice", min=1, help="BEIR: first N documents and the queries they answer.")
    ] = None,
    split: Annotated[str, typer.Option("--split", help="BEIR qrels split (qrels/<split>.tsv).")] = "test",
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=1024, help="Questions per batch.")] = 32,
    retrieval_only: Annotated[
        bool, typer.Option("--retrieval-only", help="Only retrieve (search), skip answers and abstention.")
    ] = False,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="FIELD", help="Count verdicts by a field of the question set (e.g. style)."),
    ] = None,
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Evaluate answers and retrieval on a labelled question set.

    Writes report.json, a CSV, a summary and charts.

    Example: citeqa eval ../shared/datasets/bbc-news-beir --build --slice 300 --retrieval-only --out data/eval/bbc
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from citeqa.index.evaluation.report import format_differences, format_figure, verdict_table
    from citeqa.service.cli.evaluate import (
        EvalOptions,
        evidence_not_found_warning,
        parse_tolerances,
        refused_language_warning,
        regressions_message,
        run_eval,
        unknown_documents_warning,
        without_answers_warning,
    )

    settings = settings_from(index=index)
    if url is None and not build:
        require_index_directory(settings.index_dir)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        default, named = parse_tolerances(tolerance or [])
        options = EvalOptions(
            questions, out, k, url, baseline, default, named, build, slice_docs, split, batch_size, retrieval_only, by
        )
        with Progress(*columns, transient=True, disable=as_json or not sys.stderr.isatty()) as bar:
            tasks: dict[str, Any] = {}

            def progress(phase: str, done: int, total: int) -> None:
                if phase not in tasks:
                    tasks[phase] = bar.add_task(phase, total=total)
                bar.update(tasks[phase], completed=done, total=total)

            outcome = run_eval(options, settings, progress)
    except CiteqaError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps({"report": outcome.report, "regressions": [d.name for d in outcome.regressions]}))
    else:
        for name, value in outcome.report["figures"].items():
            typer.echo(f"{name:32} {format_figure(value)}")
        if by:
            typer.echo("\n".join(verdict_table(outcome.report["by"]["groups"], by)))
        typer.echo(f"report: {out}")
    warnings = (
        unknown_documents_warning(outcome.unknown, url),
        evidence_not_found_warning(outcome.evidence_not_found),
        without_answers_warning(outcome.without_answers),
        refused_language_warning(outcome.refused_language),
        *outcome.baseline_notes,
    )
    for warning in warnings:
        if warning:
            typer.echo(warning, err=True)
    for line in format_differences(outcome.differences):
        typer.echo(line, err=True)
    if outcome.regressions:
        fail(regressions_message(outcome.regressions, baseline))
