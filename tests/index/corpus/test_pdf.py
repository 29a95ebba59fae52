"""PDFs as real users' files are typeset (issue 15): two columns read in reading order, words
hyphenated at line ends stored whole, ligature glyphs stored as their letters; page offsets kept.
Justified, 1.5-spaced paragraphs (trial s16) read as the page shows them: one space between
words, the lines of a paragraph joined, a blank line between paragraphs."""

from __future__ import annotations

import pytest

from citeqa.index.corpus.pdf import dehyphenate, page_of
from citeqa.index.corpus.readers import read_document
from citeqa.index.domain import Document
from tests.article_files import (
    COLUMN_LEFT,
    COLUMN_RIGHT,
    JUSTIFIED_HEADING,
    JUSTIFIED_LIST,
    JUSTIFIED_PARAGRAPHS,
    justified_pdf,
    two_column_pdf,
    typeset_pdf,
)

TYPESET = (
    "The new parking regu-",
    "lation applies to all Resi-",
    "dents of the \ufb01rst district, their of\ufb01ce \ufb02oor and sta\ufb00.",
    "It is a well-known rule: the well-",
    "known rule of the ward.",
)


def read(data: bytes) -> Document:
    doc = read_document(data, "page", "page.pdf")
    assert doc is not None
    return doc


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("row_by_row", [True, False], ids=["drawn-row-by-row", "drawn-column-by-column"])
def test_two_column_pages_are_read_column_by_column(row_by_row: bool) -> None:
    doc = read(two_column_pdf(row_by_row))
    text = words(doc.text)
    assert text.index("Town news") < text.index(COLUMN_LEFT) < text.index(COLUMN_RIGHT)
    assert "move to In other" not in text and "market hall becomes a the depot" not in text


def test_words_hyphenated_at_line_ends_are_stored_whole() -> None:
    doc = read(typeset_pdf(TYPESET))
    assert doc.text.startswith("The new parking regulation applies to all Residents of the first district")
    assert "regu-" not in doc.text and "Resi-" not in doc.text
    assert "the well-known rule of the ward" in doc.text  # the document writes it with its hyphen: not a broken word


@pytest.mark.parametrize("font", ["Helvetica", "DejaVu"])
def test_justified_paragraphs_read_as_the_page_shows_them(font: str) -> None:
    doc = read(justified_pdf(font))
    assert doc.text == "\n\n".join([JUSTIFIED_HEADING, *JUSTIFIED_PARAGRAPHS, *JUSTIFIED_LIST])
    assert "  " not in doc.text


def test_ligature_glyphs_are_stored_as_their_letters() -> None:
    doc = read(typeset_pdf(TYPESET, title="O\ufb03cial \ufb01gures"))
    assert "first district, their office floor and staff." in doc.text
    assert doc.title == "Official figures"
    assert not any("\ufb00" <= ch <= "\ufb06" for ch in doc.text)


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (["a regu-\nlation, of x"], ["a regulation,\nof x"]),
        (["a regu-\nlation\nnext"], ["a regulation\nnext"]),
        (["ends with regu-\nlation"], ["ends with regulation"]),
        (["Pre-\nWar Europe"], ["Pre-\nWar Europe"]),
        (["pages 10-\n12"], ["pages 10-\n12"]),
        (["a co-\nop", "the co-op"], ["a co-\nop", "the co-op"]),
        (["state-\nof-the-art tools"], ["state-\nof-the-art tools"]),
        (["one line-\n", "next page"], ["one line-\n", "next page"]),
    ],
)
def test_dehyphenate(pages: list[str], expected: list[str]) -> None:
    assert dehyphenate(pages) == expected


def test_pages_of_a_typeset_pdf_keep_their_offsets() -> None:
    doc = read(typeset_pdf(TYPESET))
    assert page_of(doc, doc.text.index("Residents")) == 1
    assert doc.metadata["pages"] == "1"
