"""The interactive API docs (/docs: Swagger UI, /redoc: ReDoc) work with no internet: their scripts and
styles are served by citeqa itself, and a real browser cut off from everything but the server renders
the operations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, Route, expect

from citeqa.service.api.app import create_app
from citeqa.service.settings import Settings
from tests.conftest import ROOT, Server

TIMEOUT_MS = 30_000  # the shared machine: a page that never renders still fails in bounded time
ARTIFACTS = ROOT / "test-artifacts"  # git-ignored
ASSET_TYPES = {"script": "javascript", "stylesheet": "css", "icon": "image/png"}


@pytest.fixture(scope="module")
def docs_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app with no index: the docs pages need none."""
    app = create_app(Settings(index_dir=tmp_path_factory.mktemp("no-index")), load=False)
    with TestClient(app) as client:
        yield client


def page_assets(html: str) -> dict[str, list[str]]:
    """The URLs a docs page loads: its scripts, stylesheets and icons."""
    scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html)
    links = re.findall(r"<link[^>]*\brel=\"([^\"]+)\"[^>]*\bhref=\"([^\"]+)\"", html)
    found: dict[str, list[str]] = {"script": scripts}
    for rel, href in links:
        kind = "stylesheet" if rel == "stylesheet" else "icon" if "icon" in rel else rel
        found.setdefault(kind, []).append(href)
    return found


@pytest.mark.parametrize(("path", "kinds"), [("/docs", {"script", "stylesheet", "icon"}), ("/redoc", {"script"})])
def test_docs_pages_load_their_assets_from_the_server_itself(
    docs_client: TestClient, path: str, kinds: set[str]
) -> None:
    page = docs_client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "cdn." not in page.text and "fonts.googleapis" not in page.text
    assets = page_assets(page.text)
    assert kinds <= {kind for kind, urls in assets.items() if urls}, assets
    for kind, urls in assets.items():
        for url in urls:
            assert url.startswith("/") and not url.startswith("//"), f"{path} loads {url} from elsewhere"
            served = docs_client.get(url)
            assert served.status_code == 200, url
            assert ASSET_TYPES.get(kind, "") in served.headers["content-type"], (url, served.headers)
            assert len(served.content) > (100_000 if kind != "icon" else 100), f"{url} is not the real asset"


def offline_page(browser: Any, server: Server) -> tuple[Page, list[str]]:
    """A page that can reach ``server`` and nothing else; the list collects the refused URLs."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    refused: list[str] = []

    def only_the_server(route: Route) -> None:
        if route.request.url.startswith(server.url + "/"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_the_server)
    return context.new_page(), refused


def test_swagger_ui_lists_the_operations_offline(server: Server, browser: Any) -> None:
    page, refused = offline_page(browser, server)
    try:
        page.goto(f"{server.url}/docs")
        ask = page.locator('.opblock-summary-path[data-path="/v1/ask"]')
        expect(ask).to_be_visible(timeout=TIMEOUT_MS)
        assert page.locator(".opblock").count() >= 5
        ask.click()
        expect(page.get_by_role("button", name="Try it out").first).to_be_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "docs-offline.png"))
        assert refused == []
    finally:
        page.context.close()


def test_redoc_lists_the_operations_offline(server: Server, browser: Any) -> None:
    summary = httpx.get(f"{server.url}/openapi.json", timeout=30).json()["paths"]["/v1/ask"]["post"]["summary"]
    page, refused = offline_page(browser, server)
    try:
        page.goto(f"{server.url}/redoc")
        expect(page.get_by_role("heading", name=summary)).to_be_visible(timeout=TIMEOUT_MS)
        expect(page.get_by_text("/v1/ask").first).to_be_attached()
        # only the "API docs by Redocly" credit's image, which ReDoc 2 links to its CDN (missing offline, harmless)
        assert [url for url in refused if not url.endswith("/logo-mini.svg")] == []
    finally:
        page.context.close()
