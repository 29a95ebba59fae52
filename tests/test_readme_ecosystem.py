"""The README documents every setting, the new endpoints and commands (keeps the docs honest)."""

from __future__ import annotations

import pytest
from conftest import ROOT
from fastapi.testclient import TestClient

from service.settings import Settings

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_has_a_configuration_row(name: str) -> None:
    assert f"| `CITEQA_{name.upper()}` |" in README


def test_every_route_is_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    routes = [f"{method.upper()} {path}" for path, methods in paths.items() for method in methods]
    assert [route for route in routes if route not in README] == []


@pytest.mark.parametrize("command", ["citeqa add", "citeqa remove", "citeqa list"])
def test_new_commands_are_documented(command: str) -> None:
    assert command in README
