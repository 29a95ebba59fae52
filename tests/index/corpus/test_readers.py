"""Readers on real files: an HTML article page with boilerplate, a PDF written by fpdf2, Markdown, text."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeqa.index.corpus.markdown import parse_document
from citeqa.index.corpus.pdf import page_of
from citeqa.index.corpus.readers import document_format, read_document, sniff
from citeqa.index.corpus.walk import read_corpus
from citeqa.index.errors import CorpusError
from tests.article_files import (
    ARTICLE_AUTHOR,
    ARTICLE_DATE,
    ARTICLE_PARAGRAPHS,
    ARTICLE_SITE,
    ARTICLE_TITLE,
    ARTICLE_URL,
    BOILERPLATE,
    PDF_AUTHOR,
    PDF_PAGES,
    PDF_TITLE,
    article_html,
    dated_page,
    report_pdf,
)
from tests.conftest import ROOT


def test_html_page_gives_main_text_and_metadata() -> None:
    doc = read_document(article_html().encode(), "tidal", "tidal.html")
    assert doc is not None
    assert (doc.title, doc.url, doc.date) == (ARTICLE_TITLE, ARTICLE_URL, ARTICLE_DATE)
    assert doc.metadata["author"] == ARTICLE_AUTHOR
    assert doc.metadata["site"] == ARTICLE_SITE
    assert doc.metadata["format"] == "html"
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in doc.text
    for noise in (*BOILERPLATE, "Weather", "Wind farm delayed", "tracking", "color: red"):
        assert noise not in doc.text


def test_an_html_page_of_navigation_only_is_warned_about() -> None:
    """A new user's page of navigation only became the document "Home", without a word said."""
    page = b"<html><body><nav><a href='/'>Home</a></nav><footer>(c) Council</footer></body></html>"
    warnings: list[str] = []
    doc = read_document(page, "navonly", "navonly.html", warnings.append)
    assert doc.text.split() == ["Home"]
    assert warnings == [
        "navonly.html: almost no article text found in the page (1 word: 'Home'); it may hold navigation only: "
        "check that this is the page you meant to index"
    ]
    warnings.clear()
    read_document(article_html().encode(), "tidal", "tidal.html", warnings.append)
    assert warnings == []


@pytest.mark.parametrize(
    ("page", "date"),
    [
        (dated_page(), None),
        (dated_page(footer="Copyright 2023 Coastal Gazette, all rights reserved"), None),
        (dated_page(article="<p>The first turbine was ordered in 2019, the last one in 2022.</p>"), None),
        (dated_page('<meta property="article:published_time" content="2024-03-18T08:30:00Z">'), "2024-03-18"),
        (dated_page('<meta name="date" content="2021-06-30">'), "2021-06-30"),
        (
            dated_page(
                '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2022-07-04"}</script>'
            ),
            "2022-07-04",
        ),
        (dated_page(article='<p>Published <time datetime="2023-02-01">1 February</time>.</p>'), "2023-02-01"),
        (
            dated_page(
                '<meta property="article:published_time" content="2021-01-05">'
                '<meta property="article:modified_time" content="2024-06-01">'
            ),
            "2021-01-05",
        ),
    ],
    ids=["copyright-sign", "copyright-word", "years-in-text", "meta", "meta-date", "json-ld", "time", "published"],
)
def test_an_html_page_s_date_comes_from_its_metadata_only(page: bytes, date: str | None) -> None:
    """A new user's page without a date, its footer "© 2025", was listed as of 2025-01-01."""
    doc = read_document(page, "tidal", "tidal.html")
    assert doc.date == date
    assert ARTICLE_PARAGRAPHS[0] in doc.text


def test_pdf_keeps_pages_so_offsets_name_their_page() -> None:
    doc = read_document(report_pdf(), "report", "report.pdf")
    assert doc is not None
    assert doc.title == PDF_TITLE
    assert doc.metadata["author"] == PDF_AUTHOR
    assert doc.metadata["pages"] == "3"
    for number, lines in enumerate(PDF_PAGES, start=1):
        for line in lines:
            offset = doc.text.index(line)
            assert page_of(doc, offset) == number
            assert page_of(doc, offset + len(line) - 1) == number


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\xef\xbb\xbf  <!DOCTYPE html><html><body>x</body></html>", "html"),
        (b"<!-- saved --><html lang='en'><head></head><body></body></html>", "html"),
        (b"<HTML>\n<BODY>old page</BODY></HTML>", "html"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN"><html>', "html"),
        (b"How to write a page: start with <html> and then <body>.", "text"),
        (b"---\ntitle: x\n---\nbody with <html> in it", "text"),
        (b"Plain title\n\nA body that mentions <b>tags</b>.", "text"),
    ],
)
def test_kind_is_sniffed_from_content(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


def test_reader_is_chosen_by_content_not_extension(tmp_path: Path) -> None:
    (tmp_path / "saved-page.txt").write_text(article_html(), encoding="utf-8")
    (tmp_path / "report").write_bytes(report_pdf())
    (tmp_path / "notes.md").write_text("Plain notes\n\nNothing but text here.\n", encoding="utf-8")
    docs = {d.doc_id: d for d in read_corpus(tmp_path)}
    assert docs["saved-page"].title == ARTICLE_TITLE
    assert docs["report"].metadata["format"] == "pdf"
    assert docs["notes"].title == "Plain notes"
    assert page_of(docs["notes"], 3) is None


def test_format_names_the_reader_else_markdown_or_text_by_the_file_name(tmp_path: Path) -> None:
    """A new user's front-matter Markdown files were listed as "text": Markdown and text share a reader,
    so a .md or .markdown file is "markdown"; HTML and PDF are named by content, whatever the file's name."""
    (tmp_path / "saved-page.txt").write_text(article_html(), encoding="utf-8")
    (tmp_path / "report").write_bytes(report_pdf())
    (tmp_path / "front.md").write_text("---\ntitle: Front\nformat: interview\n---\nA body.\n", encoding="utf-8")
    (tmp_path / "bare.MARKDOWN").write_text("Bare notes\n\nNo front matter.\n", encoding="utf-8")
    (tmp_path / "plain.txt").write_text("Plain notes\n\nNothing but text here.\n", encoding="utf-8")
    (tmp_path / "fronted.txt").write_text("---\ntitle: Fronted\n---\nText with front matter.\n", encoding="utf-8")
    formats = {d.doc_id: document_format(d) for d in read_corpus(tmp_path)}
    assert formats == {
        "saved-page": "html",
        "report": "pdf",
        "front": "markdown",
        "bare": "markdown",
        "plain": "text",
        "fronted": "text",
    }
    (default,) = read_corpus(ROOT / "corpus")
    assert document_format(default) == "markdown"


def test_default_corpus_reads_exactly_as_before() -> None:
    path = ROOT / "corpus" / "japan-nato-rutte-visit.md"
    (doc,) = read_corpus(ROOT / "corpus")
    expected = parse_document(path.read_text(encoding="utf-8"), doc.doc_id, source=path.name)
    assert doc == expected
    assert doc.content_hash == expected.content_hash


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (report_pdf()[:400], "not a readable PDF"),
        (b"<!DOCTYPE html><html><head><title>T</title></head><body><script>x=1</script></body></html>", "no article"),
    ],
)
def test_unreadable_files_raise_corpus_error(data: bytes, message: str) -> None:
    with pytest.raises(CorpusError, match=message):
        read_document(data, "bad", "bad-file")


def test_corpus_skips_broken_files_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text("Good\n\nSome text.\n", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(report_pdf()[:300])
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    warnings: list[str] = []
    docs = read_corpus(tmp_path, warnings.append)
    assert [d.doc_id for d in docs] == ["good"]
    assert any(w.startswith("broken.pdf: not a readable PDF") for w in warnings)
    assert any(w.startswith("image.png: skipped, unsupported") for w in warnings)
