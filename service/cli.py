"""The ``citeqa`` command: build, ask, search, serve, add, remove, list. Thin: each calls the same core as HTTP.

Heavy modules (torch, FAISS) are imported inside commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from index.errors import CiteqaError

app = typer.Typer(
    name="citeqa",
    help="Answer questions over a corpus of articles with cited, verifiable quotes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

CorpusOpt = Annotated[
    Path | None, typer.Option("--corpus", help="Corpus directory (default: CITEQA_CORPUS_DIR or corpus/).")
]
IndexOpt = Annotated[
    Path | None, typer.Option("--index", help="Index directory (default: CITEQA_INDEX_DIR or data/index/).")
]
ModelOpt = Annotated[str | None, typer.Option("--model", help="sentence-transformers model name or path.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
KOpt = Annotated[int, typer.Option("-k", "--k", help="Passages to return (1 to 20).")]


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _settings(corpus: Path | None = None, index: Path | None = None, model: str | None = None) -> Any:
    from service.settings import Settings

    overrides: dict[str, Any] = {}
    if corpus is not None:
        overrides["corpus_dir"] = corpus
    if index is not None:
        overrides["index_dir"] = index
    if model is not None:
        overrides["model"] = model
    try:
        return Settings(**overrides)
    except ValueError as exc:
        fail(f"invalid setting: {exc}".splitlines()[0])


def _engine(settings: Any) -> Any:
    from service.runtime import load_engine

    try:
        return load_engine(settings)
    except CiteqaError as exc:
        fail(exc.message)


@app.command()
def build(
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    model: ModelOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when the index is up to date.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Build (or update) the index of the corpus and publish it atomically.

    Example: citeqa build --corpus corpus/ --index data/index/
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from index.build import build_index
    from service.faults import pause_hook

    settings = _settings(corpus, index, model)
    if not settings.corpus_dir.is_dir():
        fail(f"corpus directory {settings.corpus_dir} does not exist: create it and add articles")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    columns = (TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        embedder = settings.load_build_embedder()
        with Progress(*columns, transient=True, disable=as_json or not sys.stderr.isatty()) as bar:
            task = bar.add_task("embed", total=None)
            report = build_index(
                settings.corpus_dir,
                settings.index_dir,
                embedder,
                settings.build_params(),
                force=force,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                warn=lambda message: typer.echo(f"warning: {message}", err=True),
                stage=pause_hook(),
            )
    except CiteqaError as exc:
        fail(exc.message)
    except (OSError, ValueError) as exc:
        fail(str(exc))
    summary = {
        "index": str(report.directory),
        "documents": report.documents,
        "chunks": report.chunks,
        "embedded": report.embedded,
        "reused": report.reused,
        "seconds": round(report.seconds, 2),
        "up_to_date": report.up_to_date,
    }
    if as_json:
        typer.echo(json.dumps(summary))
    elif report.up_to_date:
        typer.echo(f"index is up to date: {report.documents} documents, {report.chunks} chunks ({report.directory})")
    else:
        typer.echo(
            f"built {report.documents} documents, {report.chunks} chunks "
            f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f}s -> {report.directory}"
        )


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    k: KOpt = 5,
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Answer a question with quotes from the articles.

    Example: citeqa ask "what is NSATU?"
    """
    from service.schemas import AskRequest, AskResponse

    request = _validated(AskRequest, question=question, k=k)
    engine = _engine(_settings(index=index))
    answer, timings = engine.ask(request.question, request.k)
    response = AskResponse.of(answer, timings, engine.data.documents)
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    typer.echo(answer.answer)
    for c in response.citations:
        page = f", page {c.page}" if c.page else ""
        typer.echo(f"  [{c.id}] {c.title} ({c.doc_id}, characters {c.start}-{c.end}{page})")
    if not answer.answerable:
        typer.echo(f"  reason: {answer.reason}")
        for p in answer.passages[:3]:
            typer.echo(f"  closest: {p.doc_id} {p.start}-{p.end}: {p.text[:100]}...")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Search text.")],
    k: KOpt = 5,
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show the passages nearest a query, with fused, dense and lexical scores.

    Example: citeqa search "Individually Tailored Partnership Program" -k 3
    """
    from service.schemas import PassageOut, SearchRequest

    request = _validated(SearchRequest, query=query, k=k)
    result = _engine(_settings(index=index)).search(request.query, request.k)
    if as_json:
        typer.echo(
            json.dumps(
                {"passages": [PassageOut.of(p).model_dump() for p in result.passages]}, ensure_ascii=False, indent=2
            )
        )
        return
    for rank, p in enumerate(result.passages, start=1):
        typer.echo(
            f"{rank}. {p.doc_id} [{p.start}:{p.end}] "
            f"score={p.score:.3f} dense={p.dense_score:.3f} bm25={p.lexical_score:.2f}"
        )
        typer.echo(f"   {p.text[:200]}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    index: IndexOpt = None,
) -> None:
    """Serve the HTTP API (and the demo page) on the built index.

    Example: citeqa serve --port 8000
    """
    import uvicorn

    from service.app import create_app
    from service.faults import exit_zero_on_sigterm

    settings = _settings(index=index)
    exit_zero_on_sigterm()
    settings = settings.model_copy(update={k: v for k, v in {"host": host, "port": port}.items() if v is not None})
    from service.observability import logging_config

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        log_config=logging_config(settings.log_format, settings.log_level),
        access_log=False,
        timeout_graceful_shutdown=30,
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
    as_json: JsonOpt = False,
) -> None:
    """Fit the answer model (sentence ranker + answerability) on labelled questions and choose the threshold.

    Prints the threshold, the abstention accuracy before and after and the precision/recall curve.

    Example: citeqa calibrate ../shared/eval/bbc_train_a.jsonl ../shared/eval/bbc_train_b.jsonl --write answer.json
    """
    from index.calibration import read_labelled
    from service.calibrate import run_calibration

    try:
        labelled = [q for path in questions for q in read_labelled(path)]
    except CiteqaError as exc:
        fail(exc.message)
    engine = _engine(_settings(index=index))
    try:
        run_calibration(engine, labelled, write=write, refit=not threshold_only, strength=strength, as_json=as_json)
    except CiteqaError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(f"cannot write {write}: {exc}")


@app.command()
def add(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories: HTML, PDF, Markdown or text.")],
    replace: Annotated[bool, typer.Option("--replace", help="Replace documents with the same id.")] = False,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Copy documents into the corpus and update the index incrementally.

    Example: citeqa add saved-page.html report.pdf notes.md
    """
    from service import corpus_commands

    try:
        corpus_commands.add(_settings(corpus, index), paths, replace, as_json, typer.echo, _stderr)
    except CiteqaError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(str(exc))


@app.command()
def remove(
    doc_id: Annotated[str, typer.Argument(help="Id of the document (see `citeqa list`).")],
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Delete a document from the corpus and update the index.

    Example: citeqa remove saved-page
    """
    from service import corpus_commands

    try:
        corpus_commands.remove(_settings(corpus, index), doc_id, as_json, typer.echo, _stderr)
    except CiteqaError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(str(exc))


@app.command(name="list")
def list_(index: IndexOpt = None, as_json: JsonOpt = False) -> None:
    """List the documents of the published index: id, chunks, format, title.

    Example: citeqa list --json
    """
    from service import corpus_commands

    try:
        corpus_commands.list_documents(_settings(index=index).index_dir, as_json, typer.echo)
    except CiteqaError as exc:
        fail(exc.message)


def _stderr(message: str) -> None:
    typer.echo(message, err=True)


@app.command("eval")
def eval_(
    questions: Annotated[Path, typer.Argument(help="Question set: .jsonl, .csv, or a BEIR folder.")],
    url: Annotated[str | None, typer.Option("--url", help="Evaluate a running server (http://HOST:PORT).")] = None,
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=20, help="Passages per question (1 to 20).")] = 10,
    out: Annotated[Path, typer.Option("--out", help="Report directory (replaced atomically).")] = Path("data/eval"),
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Earlier report.json: exit 1 when a figure falls below it.")
    ] = None,
    tolerance: Annotated[
        list[str] | None,
        typer.Option("--tolerance", help="Allowed fall: 0.02 (all figures) or FIGURE=0.01; repeatable."),
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
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Evaluate answers and retrieval on a labelled question set; write report.json, CSV, summary and charts.

    Example: citeqa eval ../shared/datasets/bbc-news-beir --build --slice 300 --retrieval-only --out data/eval/bbc
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from index.report import format_differences
    from service.evaluate import EvalOptions, parse_tolerances, run_eval

    settings = _settings(index=index)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        default, named = parse_tolerances(tolerance or [])
        options = EvalOptions(
            questions, out, k, url, baseline, default, named, build, slice_docs, split, batch_size, retrieval_only
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
            typer.echo(f"{name:32} {'n/a' if value is None else value}")
        typer.echo(f"report: {out}")
    for line in format_differences(outcome.differences):
        typer.echo(line, err=True)
    if outcome.regressions:
        fail(f"{len(outcome.regressions)} figure(s) fell below the baseline {baseline} by more than the tolerance")


def _validated(model: Any, **fields: Any) -> Any:
    from pydantic import ValidationError

    try:
        return model(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        fail(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}")


def main() -> None:
    """Entry point: usage errors too end with one line and exit code 1."""
    try:
        code = app(standalone_mode=False)
    except typer.exceptions.TyperException as exc:
        format_message = getattr(exc, "format_message", None)
        message = format_message() if callable(format_message) else str(exc)
        if type(exc).__name__ == "NoArgsIsHelpError":
            typer.echo(message)
            sys.exit(0)
        typer.echo(f"error: {message}", err=True)
        sys.exit(1)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("error: aborted", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
