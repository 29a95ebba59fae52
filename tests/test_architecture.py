"""The layering and conventions of HOUSE_STYLE.md, checked."""

from __future__ import annotations

import re
import subprocess
import sys

from citeqa.service.settings import Settings
from tests.conftest import ROOT


def test_importing_the_library_pulls_in_no_web_cli_or_torch() -> None:
    code = (
        "import sys, citeqa.index.engine, citeqa.index.indexing.build, citeqa.index.answering.extraction, citeqa.index.store.loader\n"
        "bad = [m for m in ('fastapi', 'typer', 'torch', 'uvicorn', 'starlette') if m in sys.modules]\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_library_never_reads_the_environment_or_imports_the_service() -> None:
    for path in (ROOT / "index").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "os.environ" not in source and "getenv" not in source, path
        assert not re.search(r"^\s*(from|import) service", source, re.M), path


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`CITEQA_{name.upper()}`" not in readme]
    assert not missing, f"settings missing from README's configuration table: {missing}"
    for name, field in Settings.model_fields.items():
        assert field.description, name


def test_readme_shows_the_two_commands_first() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```", 2)[1]
    assert "make serve" in first_block and "make test" in first_block


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()
