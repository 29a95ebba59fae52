"""The widget's routes: files, content types and security headers (no browser needed here)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from citeqa.service.api.web import ASSETS, STATIC
from tests.conftest import Server

ROUTES = [
    ("/", "text/html"),
    ("/widget.js", "text/javascript"),
    *[(f"/assets/{name}", media) for name, media in ASSETS.items()],
]


@pytest.mark.parametrize(("path", "media_type"), ROUTES)
def test_widget_routes_send_strict_security_headers(client: Any, path: str, media_type: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "default-src 'none'" in csp


PAGES = [path for path, _ in ROUTES] + ["/docs", "/redoc"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_and_assets_answer_head_as_they_answer_get(client: Any, path: str) -> None:
    got, head = client.get(path), client.head(path)
    assert head.status_code == 200, f"HEAD {path}: {head.status_code}"
    assert head.content == b""
    for name in ("content-type", "content-length", "content-security-policy", "x-content-type-options"):
        assert head.headers.get(name) == got.headers.get(name), name


@pytest.mark.parametrize("path", ["/", "/widget.js", "/docs"])
def test_curl_head_works_on_a_real_server(server: Server, path: str) -> None:
    """What `curl -I` sees from uvicorn: 200, the length of the body it does not send."""
    head = httpx.head(f"{server.url}{path}", timeout=10)
    assert head.status_code == 200
    assert head.headers["content-length"] == str(len(httpx.get(f"{server.url}{path}", timeout=10).content))


def test_docs_keep_working_without_the_widget_policy(client: Any) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "content-security-policy" not in response.headers


@pytest.mark.parametrize("name", ["index.html", "../app.py", "widget.js.map", "%2e%2e%2fapp.py"])
def test_unknown_assets_are_404_in_the_error_shape(client: Any, name: str) -> None:
    response = client.get(f"/assets/{name}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_widget_routes_stay_out_of_the_api_schema(client: Any) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not {"/", "/widget.js", "/assets/{name}"} & set(paths)


@pytest.mark.parametrize("name", sorted(p.name for p in STATIC.iterdir() if p.suffix in {".js", ".html"}))
def test_static_files_never_parse_data_as_html(name: str) -> None:
    source = (STATIC / name).read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, f"{name} uses {sink}"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), f"{name} has an inline script"
    assert not re.search(r"\sstyle=", source), f"{name} has an inline style attribute"
    assert not re.search(r"\son[a-z]+=", source), f"{name} has an inline event handler"
