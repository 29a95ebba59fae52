"""The ``citeqa`` command: build, ask, search, serve, add, remove, list, eval, calibrate.

One typer app (``common.app``); each group of commands is a module that registers on it:
``documents`` (build, add, remove, list), ``questions`` (ask, search), ``serving`` (serve),
``evaluation`` (eval, calibrate). Commands are thin and call the same core as HTTP.
"""

from __future__ import annotations

import sys

import typer

from citeqa.service.cli import documents, evaluation, questions, serving
from citeqa.service.cli.common import app

__all__ = ["app", "main"]
_COMMAND_GROUPS = (documents, questions, serving, evaluation)


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
