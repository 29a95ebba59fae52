"""The performance figures in the docs and the README are the ones of bench/results/bench.json."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.docs import DEFAULT_RESULTS, PERFORMANCE, README, performance_section, readme_section, replace_block
from tests.conftest import ROOT


def test_docs_hold_the_figures_of_the_committed_results() -> None:
    """`python -m bench.docs --check` fails when someone edits a figure by hand or forgets to regenerate."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.docs", "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_generated_sections_name_the_command_and_every_floor() -> None:
    r = json.loads(DEFAULT_RESULTS.read_text(encoding="utf-8"))
    path = "bench/results/bench.json"
    for text in (performance_section(r, path), readme_section(r, path)):
        assert r["command"] in text
        assert all(f["floor"] in text for f in r["floors"])
    assert "<!-- bench:performance:begin -->" in PERFORMANCE.read_text(encoding="utf-8")
    assert "<!-- bench:readme:begin -->" in README.read_text(encoding="utf-8")


def test_replace_block_keeps_the_prose_and_needs_the_markers() -> None:
    text = "before\n<!-- bench:x:begin -->\nold\n<!-- bench:x:end -->\nafter\n"
    assert replace_block(text, "x", "new") == "before\n<!-- bench:x:begin -->\nnew\n<!-- bench:x:end -->\nafter\n"
    with pytest.raises(ValueError, match="markers"):
        replace_block("no markers here", "x", "new")
