"""The ``serve`` command: the HTTP API, the demo page and the widget on the built index."""

from __future__ import annotations

from typing import Annotated

import typer

from citeqa.service.cli.common import (
    IndexOpt,
    app,
    settings_from,
)


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

    from citeqa.service.api.app import create_app
    from citeqa.service.faults import exit_zero_on_sigterm

    settings = settings_from(index=index)
    exit_zero_on_sigterm()
    settings = settings.model_copy(update={k: v for k, v in {"host": host, "port": port}.items() if v is not None})
    from citeqa.service.api.observability import logging_config

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        log_config=logging_config(settings.log_format, settings.log_level),
        access_log=False,
        timeout_graceful_shutdown=30,
    )
