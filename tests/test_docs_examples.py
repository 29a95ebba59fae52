"""Every ```python example in the ecosystem pages of docs/ runs against a real server (docs stay honest).

A comment ending in ``...`` after a ``print(...)`` shows how a printed line starts (an error's text:
``# 422 invalid_input question: empty or only spaces: ...``); some printed line must start so."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, Server

PAGES = ("client.md", "mcp.md", "langchain.md", "llamaindex.md")
DOC_URL = "http://127.0.0.1:8000"
EXAMPLES = [
    pytest.param(page, n, code, id=f"{page}-{n}")
    for page in PAGES
    for n, code in enumerate(re.findall(r"```python\n(.*?)```", (ROOT / "docs" / page).read_text(), re.S))
]
PRINTED_START = re.compile(r"^\s*print\(.*\)  # (.+?)\s*\.\.\.$", re.M)


def test_every_page_has_an_example() -> None:
    assert {page for page, _, _ in (p.values for p in EXAMPLES)} == set(PAGES)


@pytest.mark.parametrize(("page", "n", "code"), EXAMPLES)
def test_example_runs_against_a_real_server(server: Server, tmp_path: Path, page: str, n: int, code: str) -> None:
    assert DOC_URL in code
    script = tmp_path / "example.py"
    script.write_text(code.replace(DOC_URL, server.url))
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "PATH": path, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip(), "the example prints nothing"
    printed = done.stdout.splitlines()
    for start in PRINTED_START.findall(code):
        assert any(line.startswith(start) for line in printed), f"no printed line starts {start!r}:\n{done.stdout}"


def test_printed_starts_are_checked_where_pages_show_errors() -> None:
    shown = {(page, start) for page, _, code in (p.values for p in EXAMPLES) for start in PRINTED_START.findall(code)}
    assert ("client.md", "422 invalid_input question: empty or only spaces:") in shown
    assert ("mcp.md", "True Error executing tool ask: question: empty or only spaces:") in shown
