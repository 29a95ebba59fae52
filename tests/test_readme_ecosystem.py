"""The documentation names every HTTP route and the document commands (keeps the docs honest).

The full reference lives in docs/ (docs/api.md, docs/cli.md, docs/corpus.md); the README keeps a
table of the API's routes at a glance, and every route a client can call (the OpenAPI document)
appears in both.
"""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
API_DOC = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
CORPUS_DOC = (ROOT / "docs" / "corpus.md").read_text(encoding="utf-8")


def openapi_routes() -> list[str]:
    from citeqa.service.api.app import create_app

    paths = create_app(load=False).openapi()["paths"]
    return [f"{method.upper()} {path}" for path, methods in paths.items() for method in methods]


def test_every_route_is_documented() -> None:
    routes = openapi_routes()
    assert "POST /v1/ask" in routes
    assert [route for route in routes if route not in API_DOC] == []


def test_every_route_is_in_the_readme_at_a_glance() -> None:
    assert [route for route in openapi_routes() if f"`{route}`" not in README] == []


@pytest.mark.parametrize("command", ["citeqa add", "citeqa remove", "citeqa list"])
def test_new_commands_are_documented(command: str) -> None:
    assert command in CLI_DOC
    assert command in CORPUS_DOC
    assert command in README
