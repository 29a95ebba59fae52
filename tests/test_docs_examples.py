"""Every ```python example in the ecosystem pages of docs/ runs against a real server (docs stay honest)."""

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
