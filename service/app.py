"""The FastAPI application factory: lifespan (load once), error handling, middleware, routes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from index import __version__
from index.errors import CiteqaError
from service.batching import Batcher
from service.chat import router as chat_router
from service.document_routes import router as document_router
from service.limits import install_limits
from service.mcp_server import EngineBackend, mount_mcp
from service.observability import install_observability
from service.reloading import ReloadTriggers
from service.routes import router
from service.runtime import Runtime
from service.settings import Settings, get_settings
from service.web import router as web_router

log = logging.getLogger("citeqa")

DESCRIPTION = """Ask questions over a corpus of articles and get answers that quote the articles,
with every citation's exact text, document and character offsets. When the articles do not
cover a question, the answer says so (`answerable: false`) and cites nothing."""


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) + " (see /docs for the request format)"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CiteqaError)
    async def on_citeqa_error(_: Request, exc: CiteqaError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_input", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def on_unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return error_response(500, "internal_error", "unexpected error; the log has the details")


def create_app(settings: Settings | None = None, *, load: bool = True) -> FastAPI:
    """The citeqa app. With ``load`` the model and index load in the background at start-up."""
    settings = settings or get_settings()
    runtime = Runtime(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loading = runtime.load_in_background() if load else None
        app.state.batcher = Batcher(
            runtime.engine, settings.batch_wait_ms, settings.max_batch, on_batch=app.state.metrics.observe_batch
        )
        triggers = ReloadTriggers(runtime, settings.reload_poll_seconds)
        triggers.start(loading)
        async with app.state.mcp.session_manager.run():
            yield
        triggers.stop()
        app.state.batcher.close()

    app = FastAPI(title="citeqa", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.runtime = runtime
    app.state.settings = settings
    install_limits(app, settings)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=False,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization", "X-API-Key"],
        )
    _install_error_handlers(app)
    app.include_router(router)
    app.include_router(web_router)
    app.include_router(document_router)
    app.include_router(chat_router)
    backend = EngineBackend(
        runtime.engine,
        lambda q, k: app.state.batcher.ask(q, k),
        lambda q, k: app.state.batcher.search(q, k),
        settings,
    )
    app.state.mcp = mount_mcp(app, backend, settings)
    install_observability(app, runtime, settings.log_questions)
    return app
