"""Commands that change the corpus and its index: build, add, remove, list."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from citeqa.index.errors import CiteqaError
from citeqa.service.cli.common import (
    CorpusOpt,
    IndexOpt,
    JsonOpt,
    ModelOpt,
    WaitOpt,
    app,
    fail,
    require_directories,
    require_index,
    require_index_or_corpus,
    settings_from,
    stderr,
)


@app.command()
def build(
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    model: ModelOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when the index is up to date.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Build or update the index of the corpus, published atomically.

    Example: citeqa build --corpus corpus/ --index data/index/
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from citeqa.index.indexing.build import build_index
    from citeqa.service import wiring
    from citeqa.service.cli import corpus as corpus_commands
    from citeqa.service.faults import pause_hook

    try:
        settings = corpus_commands.index_corpus(settings_from(corpus, index, model), stderr)
    except CiteqaError as exc:
        fail(exc.message)
    require_directories(settings, corpus_must_exist=True)
    columns = (TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        embedder = wiring.build_embedder(settings)
        skipped: list[str] = []

        def warn(message: str) -> None:
            typer.echo(f"warning: {message}", err=True)
            if re.search(r"\bskipped\b", message):
                skipped.append(message)

        with (
            corpus_commands.no_trace_on_failure(settings.index_dir),
            Progress(*columns, transient=True, disable=as_json or not sys.stderr.isatty()) as bar,
        ):
            task = bar.add_task("embed", total=None)
            report = build_index(
                settings.corpus_dir,
                settings.index_dir,
                embedder,
                wiring.build_params(settings),
                force=force,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                warn=warn,
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
        "skipped": len(skipped),
    }
    # a skipped file is easy to miss among the warnings of a build that succeeds: the summary counts them
    not_read = f"; {len(skipped)} file(s) skipped, see the warnings above" if skipped else ""
    if as_json:
        typer.echo(json.dumps(summary))
    elif report.up_to_date:
        typer.echo(
            f"index is up to date: {report.documents} documents, {report.chunks} chunks ({report.directory}){not_read}"
        )
    else:
        typer.echo(
            f"built {report.documents} documents, {report.chunks} chunks "
            f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f}s -> {report.directory}"
            f"{not_read}"
        )


@app.command()
def add(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories: HTML, PDF, Markdown or text.")],
    replace: Annotated[bool, typer.Option("--replace", help="Replace documents with the same id.")] = False,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    wait: WaitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Copy documents into the corpus and update the index.

    The index is updated incrementally. Waits for a build already running on the index (--wait seconds), then runs.

    Example: citeqa add saved-page.html report.pdf notes.md
    """
    from citeqa.service.cli import corpus as corpus_commands

    try:
        settings = corpus_commands.index_corpus(settings_from(corpus, index), stderr)
        require_directories(settings, corpus_must_exist=False)
        require_index_or_corpus(settings)
        corpus_commands.add(settings, paths, replace, as_json, typer.echo, stderr, wait)
    except CiteqaError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(str(exc))


@app.command()
def remove(
    doc_id: Annotated[str, typer.Argument(help="Id of the document (see `citeqa list`).")],
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    wait: WaitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Delete a document from the corpus and update the index.

    Waits for a build already running on the index (--wait seconds), then runs.

    Example: citeqa remove saved-page
    """
    from citeqa.service.cli import corpus as corpus_commands

    try:
        settings = corpus_commands.index_corpus(settings_from(corpus, index), stderr)
        require_directories(settings, corpus_must_exist=False)
        require_index_or_corpus(settings)
        corpus_commands.remove(settings, doc_id, as_json, typer.echo, stderr, wait)
    except CiteqaError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(str(exc))


@app.command(name="list")
def list_(index: IndexOpt = None, as_json: JsonOpt = False) -> None:
    """List the documents of the published index.

    Prints each document's id, chunks, format and title.

    Example: citeqa list --json
    """
    from citeqa.service.cli import corpus as corpus_commands

    index_dir = settings_from(index=index).index_dir
    require_index(index_dir)
    try:
        corpus_commands.list_documents(index_dir, as_json, typer.echo)
    except CiteqaError as exc:
        fail(exc.message)
