"""Serving commands: ``serve`` (the HTTP API, /mcp, the demo page and the widget) and ``mcp`` (MCP over stdio)."""

from __future__ import annotations

from typing import Annotated

import typer

from citeqa.service.cli.common import IndexOpt, app, engine_from, fail, require_index_directory, settings_from


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    index: IndexOpt = None,
) -> None:
    """Serve the HTTP API (and the demo page) on the built index.

    Every other setting (API key, limits, CORS, search parameters such as CITEQA_IVF_NPROBE) is a
    CITEQA_* environment variable: docs/configuration.md lists them.

    Example: citeqa serve --port 8000
    """
    import uvicorn

    from citeqa.service.api.app import create_app
    from citeqa.service.api.observability import logging_config
    from citeqa.service.faults import exit_zero_on_sigterm

    settings = settings_from(index=index, host=host, port=port)
    require_index_directory(settings.index_dir)  # a missing index may yet be built; a file never becomes one
    _check_free(settings.host, settings.port)
    exit_zero_on_sigterm()

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
def mcp(
    url: Annotated[
        str | None,
        typer.Option("--url", help="Proxy to a running server (http://HOST:PORT) instead of the local index."),
    ] = None,
    api_key: Annotated[
        str | None, typer.Option("--api-key", help="Key for --url (default: CITEQA_API_KEY).", show_default=False)
    ] = None,
    index: IndexOpt = None,
) -> None:
    """Serve the MCP tools and document resources over stdio.

    The tools are ask, search and get_document. Without --url the local index is loaded in this
    process; with --url every call goes to that server. `citeqa serve` also serves them over
    Streamable HTTP at /mcp.

    Example: citeqa mcp --url http://127.0.0.1:8000
    """
    import anyio

    from citeqa.service.api import mcp as mcp_server
    from citeqa.service.client.client import checked_url

    settings = settings_from(index=index)
    if url is not None:
        try:
            url = checked_url(url)
        except ValueError as exc:
            fail(f"--url: {exc}")
        key = api_key or (settings.api_key.get_secret_value() if settings.api_key else None)
        anyio.run(mcp_server.proxy_stdio, url, key, 60.0)
        return
    anyio.run(mcp_server.serve_stdio, mcp_server.engine_backend(engine_from(settings), settings))


def _check_free(host: str, port: int) -> None:
    """Fail with one line, before loading anything, when ``host:port`` cannot be listened on."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc} (check --host / CITEQA_HOST)")
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            fail(f"cannot listen on {host}:{port}: {exc.strerror or exc} (another process? choose --port)")
