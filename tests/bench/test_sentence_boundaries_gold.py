"""The hand-written sentence-boundary set of ``bench/sentence_boundaries.py`` is there, tracked and well formed.

An earlier set was lost because ``.gitignore`` ignored every folder named ``data``; a fresh checkout
without the file fails here rather than the benchmark failing later.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from bench.sentence_boundaries import GOLD, Spans, gold_figures
from tests.conftest import ROOT

_LAYOUT_ONLY = re.compile(r"[\s|:\-]*")  # what may lie between sentences: spaces, a table's |---| row


def _cases() -> list[tuple[str, list[str]]]:
    """(text, sentences) of each line; the types are checked by ``test_cases_are_text_and_sentences``."""
    cases = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(case["text"], case["sentences"]) for case in cases]


def _spans(text: str, sentences: list[str]) -> Spans:
    spans, cursor = [], 0
    for sentence in sentences:
        start = text.index(sentence, cursor)
        cursor = start + len(sentence)
        spans.append((start, cursor))
    return spans


def test_gold_set_is_not_ignored_by_git() -> None:
    out = subprocess.run(
        ["git", "check-ignore", "-v", str(GOLD.relative_to(ROOT))], cwd=ROOT, capture_output=True, text=True
    )
    # the tests run from a checkout (CI clones the repository): 128 here means git cannot read it
    assert out.returncode != 128, f"git check-ignore failed: {out.stderr.strip()}"
    assert out.returncode == 1, f"{GOLD} is ignored by git: {out.stdout.strip()}"


def test_gold_set_has_enough_texts() -> None:
    cases = _cases()
    assert len(cases) >= 80
    assert len({text for text, _ in cases}) == len(cases), "a text appears twice"


def test_cases_are_text_and_sentences() -> None:
    lines = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert all(set(line) == {"text", "sentences"} for line in lines)


@pytest.mark.parametrize(("text", "sentences"), _cases(), ids=[text[:40] for text, _ in _cases()])
def test_sentences_are_verbatim_trimmed_and_in_order(text: str, sentences: list[str]) -> None:
    assert isinstance(text, str) and isinstance(sentences, list) and sentences
    assert all(isinstance(s, str) and s and s == s.strip() for s in sentences)
    spans = _spans(text, sentences)  # raises ValueError when a sentence is not in the text, in order
    gaps = [text[a:b] for a, b in zip([0] + [e for _, e in spans], [s for s, _ in spans] + [len(text)], strict=True)]
    assert all(_LAYOUT_ONLY.fullmatch(gap) for gap in gaps), gaps


def test_gold_figures_of_the_gold_spans_are_perfect() -> None:
    """The scoring agrees with the labels: a segmenter that returns the gold spans scores 1 everywhere."""
    gold = {text: _spans(text, sentences) for text, sentences in _cases()}
    figures = gold_figures(lambda text: gold[text])
    assert figures["wrong"] == []
    assert figures["boundary_f1"] == figures["exact"] == 1.0
