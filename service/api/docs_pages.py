"""The interactive API documentation, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), working with no internet.

FastAPI's own pages load Swagger UI and ReDoc from a CDN (cdn.jsdelivr.net) and ReDoc's fonts from
Google: with no internet they are blank. These are FastAPI's documented self-hosting instead
(https://fastapi.tiangolo.com/how-to/custom-docs-ui-assets/): the app is created with
``docs_url=None, redoc_url=None`` and the pages are ``get_swagger_ui_html`` / ``get_redoc_html`` with
their script, style and icon URLs under ``/docs-assets/``, a static mount of the files the
``fastapi-offline`` package ships (``swagger-ui-dist`` 5, ReDoc 2's standalone bundle).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["ASSETS", "ASSETS_URL", "install_docs_pages"]

ASSETS_URL = "/docs-assets"
# swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js, favicon.png
ASSETS = Path(str(files("fastapi_offline").joinpath("static")))


def install_docs_pages(app: FastAPI) -> None:
    """Serve ``/docs``, ``/redoc`` and their files (``ASSETS_URL``) on ``app`` (made with ``docs_url=None``)."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs-assets")

    def asset(request: Request, name: str) -> str:
        return f"{request.scope.get('root_path', '')}{ASSETS_URL}/{name}"

    def openapi_url(request: Request) -> str:
        return f"{request.scope.get('root_path', '')}{app.openapi_url}"

    @app.api_route("/docs", methods=["GET", "HEAD"], include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url(request),
            title=f"{app.title} - Swagger UI",
            swagger_js_url=asset(request, "swagger-ui-bundle.js"),
            swagger_css_url=asset(request, "swagger-ui.css"),
            swagger_favicon_url=asset(request, "favicon.png"),
        )

    @app.api_route("/redoc", methods=["GET", "HEAD"], include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url(request),
            title=f"{app.title} - ReDoc",
            redoc_js_url=asset(request, "redoc.standalone.js"),
            redoc_favicon_url=asset(request, "favicon.png"),
            with_google_fonts=False,
        )
