from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citeqa.index.text.sentences import sentence_spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two!", ["One.", "Two!"]),
        ("Met in Tokyo, Apr. 8, 2025. Then left.", ["Met in Tokyo, Apr. 8, 2025.", "Then left."]),
        ("The U.S. base in Germany. Next.", ["The U.S. base in Germany.", "Next."]),
        ("He said “hi.” Then more.", ["He said “hi.”", "Then more."]),
        ("Para one\n\nPara two", ["Para one", "Para two"]),
        ("John F. Kennedy spoke.", ["John F. Kennedy spoke."]),
    ],
)
def test_sentence_spans(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


@given(st.text(max_size=500), st.integers(0, 1000))
def test_spans_are_offset_and_trimmed(text: str, offset: int) -> None:
    for start, end in sentence_spans(text, offset):
        piece = text[start - offset : end - offset]
        assert piece and piece == piece.strip()
