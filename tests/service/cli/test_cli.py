"""The ``citeqa`` command line, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def citeqa(*args: str, index: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    if index is not None:
        env["CITEQA_INDEX_DIR"] = str(index)
    return subprocess.run(
        [sys.executable, "-m", "citeqa.service.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("command", ["build", "ask", "search", "serve"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = citeqa(command, "--help")
    assert result.returncode == 0
    assert "Example: citeqa" in result.stdout


def test_help_does_not_import_torch() -> None:
    code = "import sys; from citeqa.service.cli import app; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_build_ask_and_search(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "port.md").write_text(
        "---\ntitle: Port news\n---\nThe Port of Tallinn (PoT) handles ferries. It opened a new terminal in 2019.\n"
    )
    index = tmp_path / "index"
    built = citeqa("build", "--corpus", str(corpus), "--index", str(index), "--json")
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["chunks"] == 1
    again = citeqa("build", "--corpus", str(corpus), "--index", str(index))
    assert "up to date" in again.stdout
    answer = json.loads(citeqa("ask", "What is PoT?", "--json", index=index).stdout)
    assert answer["answerable"] and "Port of Tallinn" in answer["answer"]
    human = citeqa("ask", "What is PoT?", index=index).stdout
    assert "[1]" in human and "port" in human
    found = json.loads(citeqa("search", "terminal", "-k", "1", "--json", index=index).stdout)
    assert found["passages"][0]["doc_id"] == "port"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "anything"), "no index at"),
        (("ask", "   "), "question"),
        (("build", "--corpus", "/nonexistent-corpus"), "does not exist"),
        (("search", "x", "-k", "99"), "less than or equal to 20"),
        (("search",), "Missing argument"),
    ],
)
def test_expected_failures_exit_1_with_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = citeqa(*args, index=tmp_path / "none")
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_ask_refuses_a_question_in_another_language(text_index: Path) -> None:
    result = citeqa("ask", "Quand le phare de Skerrow Point a-t-il été construit ?", index=text_index)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: the question looks like French")
    assert len(result.stderr.strip().splitlines()) == 1 and not result.stdout


def test_ask_answers_a_symbol_term_from_its_own_document(text_index: Path) -> None:
    result = citeqa("ask", "Who created the C programming language?", "--json", index=text_index)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["citations"][0]["doc_id"] == "c-language"


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["serve", "--port", "99999"],
            {},
            "invalid setting CITEQA_PORT (or --port): Input should be less than or equal",
        ),
        (["serve"], {"CITEQA_PORT": "99999"}, "invalid setting CITEQA_PORT: Input should be less than or equal"),
        (["ask", "what is NSATU?"], {"CITEQA_MAX_K": "abc"}, "invalid setting CITEQA_MAX_K: Input should be a valid"),
        (["serve", "--port", "-1"], {}, "invalid setting CITEQA_PORT (or --port): Input should be greater than"),
        (["serve"], {"CITEQA_IVF_NPROBE": "0"}, "invalid setting CITEQA_IVF_NPROBE: Input should be greater than"),
        (["ask", "what?"], {"CITEQA_HNSW_EF_SEARCH": "wide"}, "invalid setting CITEQA_HNSW_EF_SEARCH: Input should be"),
    ],
)
def test_a_bad_setting_is_named_on_one_line(args: list[str], env: dict[str, str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "citeqa.service.cli", *args],
        cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1", **env}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip() == result.stderr.strip().splitlines()[0]
    assert result.stderr.startswith(f"error: {message}"), result.stderr


def test_serve_on_a_port_in_use_fails_on_one_line_before_loading() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = citeqa("serve", "--port", str(port))
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"error: cannot listen on 127.0.0.1:{port}: Address already in use (another process? choose --port)"
    )
