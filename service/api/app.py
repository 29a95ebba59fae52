"""The FastAPI application factory: lifespan (load once), error handling, middleware, routes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.routing import Route

from citeqa.index import __version__
from citeqa.service.api.batching import Batcher
from citeqa.service.api.docs_pages import install_docs_pages
from citeqa.service.api.errors import install_error_handlers
from citeqa.service.api.limits import install_limits
from citeqa.service.api.mcp_mount import MCP_PATH, LazyMcp
from citeqa.service.api.observability import install_observability
from citeqa.service.api.reloading import ReloadTriggers
from citeqa.service.api.routes.chat import router as chat_router
from citeqa.service.api.routes.documents import router as document_router
from citeqa.service.api.routes.operations import router as operations_router
from citeqa.service.api.routes.questions import router as questions_router
from citeqa.service.api.web import router as web_router
from citeqa.service.runtime import Runtime
from citeqa.service.settings import Settings, get_settings

log = logging.getLogger("citeqa")

DESCRIPTION = """Ask questions over a corpus of articles and get answers that quote the articles,
with every citation's exact text, document and character offsets. When the articles do not
cover a question, the answer says so (`answerable: false`) and cites nothing."""


def create_app(settings: Settings | None = None, *, load: bool = True) -> FastAPI:
    """The citeqa app. With ``load`` the model and index load in the background at start-up."""
    settings = settings or get_settings()
    runtime = Runtime(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loading = runtime.load_in_background() if load else None
        app.state.batcher = Batcher(
            runtime.engine, settings.batch_wait_ms, settings.max_batch, on_batch=app.state.metrics.observe_batch
        ).start()
        triggers = ReloadTriggers(runtime, settings.reload_poll_seconds)
        triggers.start(loading)
        yield
        await app.state.mcp.close()
        triggers.stop()
        app.state.batcher.close()

    app = FastAPI(
        title="citeqa", version=__version__, description=DESCRIPTION, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    install_docs_pages(app)  # /docs and /redoc with their scripts served from here: no CDN, works offline
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
    install_error_handlers(app)
    app.include_router(questions_router)
    app.include_router(operations_router)
    app.include_router(web_router)
    app.include_router(document_router)
    app.include_router(chat_router)
    app.state.mcp = LazyMcp(
        runtime.engine,
        lambda q, k: app.state.batcher.ask(q, k),
        lambda q, k: app.state.batcher.search(q, k),
        settings,
    )
    app.router.routes.append(Route(MCP_PATH, endpoint=app.state.mcp))
    install_observability(app, runtime, settings.log_questions)
    return app
