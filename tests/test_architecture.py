"""The layering and conventions of HOUSE_STYLE.md, checked."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import citeqa
from tests.conftest import ROOT

MODULES = sorted(m.name for m in pkgutil.walk_packages(citeqa.__path__, "citeqa.") if not m.name.endswith("__main__"))


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
        assert not re.search(r"^\s*(from|import) (citeqa\.)?service", source, re.M), path


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_the_layer_contract_holds() -> None:
    """``.importlinter``: layers only point down, no import circles (imports inside functions too)."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("name", MODULES)
def test_every_exported_name_exists(name: str) -> None:
    module = importlib.import_module(name)
    for exported in getattr(module, "__all__", ()):
        assert hasattr(module, exported), f"{name}.__all__ names {exported!r}, which it does not define"


def test_the_library_exports_its_public_surface_lazily() -> None:
    code = (
        "import sys, citeqa.index as ci\n"
        "assert 'faiss' not in sys.modules\n"
        "assert ci.Engine.__module__ == 'citeqa.index.engine' and callable(ci.build_index)\n"
        "assert all(hasattr(ci, name) for name in ci.__all__)\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)


def test_the_tree_has_a_test_package_per_library_package() -> None:
    packages = sorted(p.name for p in (ROOT / "index").iterdir() if (p / "__init__.py").is_file())
    missing = [name for name in packages if not list((ROOT / "tests" / "index" / name).glob("test_*.py"))]
    assert not missing, f"library packages without their own tests under tests/index/: {missing}"
