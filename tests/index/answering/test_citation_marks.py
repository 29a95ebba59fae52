"""A citation quotes the article's words, not the marks of a Markdown heading (a new user's trial, 2026-12-01:
an answer began "# Lindqvist promoted to chief executive [1]")."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from citeqa.index.answering.extraction import Extractor
from citeqa.index.domain import Document

TEXT = "# Lindqvist promoted to chief executive\n\nMaria Lindqvist has been promoted. ## Not a heading"


@pytest.mark.parametrize(
    ("start", "end", "quote"),
    [
        (0, 39, "Lindqvist promoted to chief executive"),  # the heading line, without its "# "
        (41, 75, "Maria Lindqvist has been promoted."),  # a body sentence: unchanged
        (76, 92, "## Not a heading"),  # marks inside a line are the text's own
        (0, 2, "# "),  # marks alone would leave nothing: kept
    ],
)
def test_a_heading_is_quoted_without_its_marks(start: int, end: int, quote: str) -> None:
    doc = Document("appointment", "Lindqvist promoted to chief executive", TEXT)
    extractor = SimpleNamespace(documents={doc.doc_id: doc})
    citation = Extractor._cite(extractor, 1, doc.doc_id, start, end, 0.5)  # type: ignore[arg-type]
    assert citation.quote == quote
    assert TEXT[citation.start : citation.end] == citation.quote


CODE = "Install it with winget:\n```powershell\nwinget install Quillstone.Quillstone\n```\nDone."


@pytest.mark.parametrize(
    ("line", "quote"),
    [
        ("```powershell\nwinget install Quillstone.Quillstone", "winget install Quillstone.Quillstone"),
        ("Install it with winget:", "Install it with winget:"),
    ],
)
def test_a_code_block_is_quoted_without_its_fence(line: str, quote: str) -> None:
    """Seventeenth session's trial: "```powershell dotnet add package ..." was quoted fence and all."""
    doc = Document("install", "Install", CODE)
    extractor = SimpleNamespace(documents={doc.doc_id: doc})
    start = CODE.index(line)
    citation = Extractor._cite(extractor, 1, doc.doc_id, start, start + len(line), 0.5)  # type: ignore[arg-type]
    assert citation.quote == quote
    assert CODE[citation.start : citation.end] == citation.quote


def test_a_fence_alone_is_never_an_answer() -> None:
    from citeqa.index.answering.features import heads_text

    start = CODE.index("```\nDone")
    assert heads_text(CODE, start, start + 3)
    assert not heads_text(CODE, 0, len("Install it with winget:"))
