"""What every ``citeqa`` command shares: the typer app, common options, settings, one-line failures.

Heavy modules (torch, FAISS) are imported inside commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from citeqa.index.errors import CiteqaError

# Plain help (click's layout), not typer's rich panels: those print every option's type, flags
# included ("--json <bool>"), as if a flag took a value; the plain layout shows "--json" alone.
app = typer.Typer(
    name="citeqa",
    help="Answer questions over a corpus of articles with cited, verifiable quotes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

CorpusOpt = Annotated[
    Path | None, typer.Option("--corpus", help="Corpus directory (default: CITEQA_CORPUS_DIR or corpus/).")
]
IndexOpt = Annotated[
    Path | None, typer.Option("--index", help="Index directory (default: CITEQA_INDEX_DIR or data/index/).")
]
ModelOpt = Annotated[str | None, typer.Option("--model", help="sentence-transformers model name or path.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
WaitOpt = Annotated[
    float | None,
    typer.Option(
        "--wait",
        min=0,
        help="Seconds to wait for a build already running on the index, then fail changing nothing (default: 600).",
    ),
]
KOpt = Annotated[int, typer.Option("-k", "--k", help="Passages to return (1 to 20).")]


def _version(value: bool) -> None:
    if value:
        from citeqa import __version__

        typer.echo(f"citeqa {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Answer questions over a corpus of articles with cited, verifiable quotes."""


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def settings_from(
    corpus: Path | None = None, index: Path | None = None, model: str | None = None, **options: Any
) -> Any:
    """Settings from ``CITEQA_*`` variables, overridden by the options given (validated alike).

    A bad value fails with one line naming the setting, the value and what to do, e.g. ``CITEQA_PORT (or
    --port): Input should be less than or equal to 65535 (got 99999); give a valid value, or none for the
    default (8000)``. A ``CITEQA_*`` variable that is no setting, which the settings ignore, is warned about on
    stderr once the settings are read, with the setting it may be a misspelling of: "warning: CITEQA_ADMIN_KEY
    is not a citeqa setting and is ignored: did you mean CITEQA_ADMIN_API_KEY? (...)".
    """
    from pydantic import ValidationError

    from citeqa.service.settings import Settings, unknown_variables

    given = {"corpus_dir": corpus, "index_dir": index, "model": model, **options}
    overrides = {name: value for name, value in given.items() if value is not None}
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "settings"
        option = f" (or --{name.removesuffix('_dir').replace('_', '-')})" if name in overrides else ""
        field = Settings.model_fields.get(name)
        default = f" ({field.default})" if field is not None and field.default is not None else ""
        fail(
            f"invalid setting CITEQA_{name.upper()}{option}: {err['msg']} (got {err.get('input')!r}); "
            f"give a valid value, or none for the default{default}"
        )
    for warning in unknown_variables(os.environ):
        typer.echo(f"warning: {warning}", err=True)
    return settings


def engine_from(settings: Any) -> Any:
    """The engine over ``settings.index_dir``; one line and exit 1 when it cannot be loaded."""
    from citeqa.service.wiring import load_engine

    require_index(settings.index_dir)
    try:
        return load_engine(settings)
    except CiteqaError as exc:
        fail(exc.message)


def require_directories(settings: Any, *, corpus_must_exist: bool) -> None:
    """Fail with one line when the corpus or the index path is a file (or lies under one), before any model loads.

    ``corpus_must_exist``: ``build`` reads the corpus, ``add`` creates it when missing.
    """
    corpus: Path = settings.corpus_dir
    index: Path = settings.index_dir
    blocker = _file_in_the_way(index)
    if blocker == index:
        fail(
            f"index directory {index} is a file: give --index (or CITEQA_INDEX_DIR) a directory for the index "
            "(it is created if missing)"
        )
    if blocker is not None:
        fail(f"index directory {index} cannot be created: {blocker} is a file; give --index another directory")
    if corpus.is_file():
        fail(
            f"corpus directory {corpus} is a file: give --corpus (or CITEQA_CORPUS_DIR) the directory that holds "
            "the articles; `citeqa add FILE` copies a file into it"
        )
    if corpus_must_exist and not corpus.is_dir():
        fail(f"corpus directory {corpus} does not exist: create it and add articles, or give --corpus")


def _file_in_the_way(path: Path) -> Path | None:
    """``path`` or the first of its parents that exists as something other than a directory."""
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return None if candidate.is_dir() else candidate
    return None


def require_index(index_dir: Path) -> None:
    """Fail before any model loads when ``index_dir`` has no published index (no ``CURRENT`` pointer).

    The line names the absolute path tried: a relative one (the default ``data/index``) is taken from
    the working directory, which for ``citeqa mcp`` started by an MCP client is the client's choice.
    """
    from citeqa.index.store.manifest import POINTER_FILE

    if (index_dir / POINTER_FILE).is_file():
        return
    require_index_directory(index_dir)
    fail(
        f"no index at {_shown(index_dir)}: give --index or CITEQA_INDEX_DIR the absolute path of an index "
        "(build one with `citeqa build --index DIR`)"
    )


def require_index_directory(index_dir: Path) -> None:
    """Fail with one line when ``index_dir`` is a file, or lies under one: no index can ever be there
    (``build`` says the same of the directory it would create: ``require_directories``)."""
    blocker = _file_in_the_way(index_dir)
    if blocker == index_dir:
        fail(
            f"index directory {index_dir} is a file, not an index directory: give --index (or CITEQA_INDEX_DIR) "
            "the directory of an index (build one with `citeqa build --index DIR`)"
        )
    if blocker is not None:
        fail(f"index directory {index_dir} cannot exist: {blocker} is a file; give --index the directory of an index")


def require_index_or_corpus(settings: Any) -> None:
    """Fail with one line, before anything is written, when ``add`` or ``remove`` has no published index to
    change and starting one was not asked for.

    A new index is started at an index directory that is set (``--index`` or ``CITEQA_INDEX_DIR``) only when
    the corpus is set too (``--corpus`` or ``CITEQA_CORPUS_DIR``): otherwise a mistyped ``--index`` copied the
    file into (or deleted it from) the default ``corpus/`` and built a second index at the typo. With neither
    set, the defaults (``corpus/`` into ``data/index``) are used when ``corpus/`` exists.
    """
    import shlex

    from citeqa.index.store.manifest import POINTER_FILE

    index: Path = settings.index_dir
    if (index / POINTER_FILE).is_file():
        return
    if "index_dir" in settings.model_fields_set and "corpus_dir" not in settings.model_fields_set:
        fail(
            f"no index at {_shown(index)}: check --index (or CITEQA_INDEX_DIR), build the index first with "
            f"`citeqa build --corpus DIR --index {shlex.quote(str(index))}`, or pass --corpus DIR to start a new "
            "index there from the articles in DIR; nothing was changed"
        )
    if settings.corpus_dir.is_dir():
        return
    fail(
        f"no index at {_shown(index)} and no corpus directory at {settings.corpus_dir}: build the index first "
        f"with `citeqa build --corpus DIR --index {index}` (DIR: the directory of your articles)"
    )


def _shown(index_dir: Path) -> str:
    """``index_dir`` as messages name it: absolute, and as given when that was relative."""
    if index_dir.is_absolute():
        return str(index_dir)
    return f"{Path.cwd() / index_dir} ({index_dir} in the working directory)"


def validated(model: Any, **fields: Any) -> Any:
    """``model(**fields)``, or one line and exit 1: a field's error, or a refusal the model raises itself
    (a question in another language)."""
    from pydantic import ValidationError

    try:
        return model(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        fail(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}")
    except CiteqaError as exc:
        fail(exc.message)


def stderr(message: str) -> None:
    typer.echo(message, err=True)
