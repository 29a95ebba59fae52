"""The layering and conventions of HOUSE_STYLE.md, checked."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_importing_the_library_pulls_in_no_web_cli_or_torch() -> None:
    code = (
        "import sys, citeqa.index.engine, citeqa.index.indexing.build, citeqa.index.answering.extraction\n"
        "import citeqa.index.store.loader, citeqa.index.evaluation.runner\n"
        "bad = [m for m in ('fastapi', 'typer', 'torch', 'uvicorn', 'starlette') if m in sys.modules]\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_library_never_reads_the_environment_or_imports_the_service() -> None:
    for path in (ROOT / "index").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "os.environ" not in source and "getenv" not in source, path
        assert not re.search(r"^\s*(from|import) service", source, re.M), path


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()
