"""The chat widget and the demo page: static files from ``service/api/static`` with strict security headers.

``/`` is an article page (the default corpus article) with the widget on it, ``/widget.js`` is the
one-tag embed, ``/assets/{name}`` its stylesheet and the demo page's files (and its icon). Only these
routes get the Content-Security-Policy (no inline script or style), so /docs (Swagger UI) keeps
working. Each answers ``HEAD`` as well as ``GET`` (``curl -I``, link checkers, uptime probes).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from citeqa.index.errors import AssetNotFound

STATIC = Path(__file__).parent / "static"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
ASSETS = {
    "widget.css": "text/css",
    "demo.js": "text/javascript",
    "demo.css": "text/css",
    "favicon.svg": "image/svg+xml",
}
STATIC_METHODS = ["GET", "HEAD"]


def _static(name: str, media_type: str) -> FileResponse:
    return FileResponse(STATIC / name, media_type=f"{media_type}; charset=utf-8", headers=SECURITY_HEADERS)


router = APIRouter(include_in_schema=False)


@router.api_route("/", methods=STATIC_METHODS)
def demo_page() -> FileResponse:
    return _static("index.html", "text/html")


@router.api_route("/widget.js", methods=STATIC_METHODS)
def widget_script() -> FileResponse:
    return _static("widget.js", "text/javascript")


@router.api_route("/assets/{name}", methods=STATIC_METHODS)
def asset(name: str) -> FileResponse:
    media_type = ASSETS.get(name)
    if media_type is None:
        raise AssetNotFound(f"no asset {name!r}: the widget's assets are {', '.join(sorted(ASSETS))}")
    return _static(name, media_type)
