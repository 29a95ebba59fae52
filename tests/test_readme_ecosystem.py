"""The README documents every HTTP route and the document commands (keeps the docs honest)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_route_is_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    routes = [f"{method.upper()} {path}" for path, methods in paths.items() for method in methods]
    assert [route for route in routes if route not in README] == []


@pytest.mark.parametrize("command", ["citeqa add", "citeqa remove", "citeqa list"])
def test_new_commands_are_documented(command: str) -> None:
    assert command in README
