"""Readers for article files, chosen by content: PDF, HTML pages, Markdown with front matter, plain text.

``read_document(data, doc_id, source)`` sniffs the bytes (``%PDF-`` magic, an HTML doctype or
root element, a ``---`` front-matter block) rather than trusting the file name, so a saved
page named ``.txt`` is still read as HTML and a PDF without a suffix is still a PDF.

- HTML: the main text and metadata (title, author, date, site name, canonical URL) are
  extracted with trafilatura; navigation, ads and footers are left out.
- PDF: ``citeqa.index.corpus.pdf``: the text of every page in reading order (pdfminer.six),
  paragraphs and pages separated by a blank line. The start offset of each page is kept in the
  metadata (``page_starts``), so ``page_of(doc, offset)`` names the page a citation comes from.
- Markdown with front matter and plain text: ``citeqa.index.corpus.markdown``.
- Text and HTML bytes are decoded by ``citeqa.index.corpus.encoding``: UTF-8, else the encoding a
  page declares, else a detected one, with a warning naming it.
- A document with almost no words (letters under ``MIN_LETTER_SHARE`` of the characters of its
  text other than spaces: digits and punctuation, a file of junk) is warned about, not refused, and so is
  an HTML page whose article text is under ``MIN_HTML_WORDS`` words (navigation only).

The heavy libraries are imported only when a file of their kind is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath

from citeqa.index.corpus.encoding import decode_text
from citeqa.index.corpus.html import read_html
from citeqa.index.corpus.markdown import MARKDOWN_SUFFIXES, parse_document
from citeqa.index.corpus.pdf import read_pdf
from citeqa.index.domain import Document

Warn = Callable[[str], None]

DOCUMENT_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".pdf"})
TEXT_SUFFIXES = MARKDOWN_SUFFIXES | {".txt", ".text"}
READER_FORMATS = frozenset({"html", "pdf"})
"""The ``metadata["format"]`` the HTML and PDF readers give a document."""
READABLE_SUFFIXES = TEXT_SUFFIXES | DOCUMENT_SUFFIXES | {""}  # a file without a suffix is read as text
SUPPORTED_TYPES = "Markdown (.md, .markdown), text (.txt, .text), HTML (.html, .htm, .xhtml) or PDF (.pdf)"
"""The file types a corpus holds, as messages name them."""
MIN_LETTER_SHARE = 0.25
"""A document's text with fewer letters than this share of its characters (spaces aside) is warned about.
English prose has about 0.8 (the lowest of the 2,225 BBC articles 0.84, release notes full of version
numbers 0.81); 3,000 random digits and punctuation marks have none, a Markdown table of figures 0.06."""
MIN_HTML_WORDS = 10
"""An HTML page whose article text has fewer words than this is warned about (``_warn_little_article``)."""
_HTML_START = re.compile(
    rb"\A(?:\s|<\?xml[^>]*\?>|<!--.*?-->)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I | re.S
)


def sniff(data: bytes) -> str:
    """The kind of a file from its first bytes: ``pdf``, ``html`` or ``text``."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if _HTML_START.match(head):
        return "html"
    return "text"


def read_document(data: bytes, doc_id: str, source: str = "", warn: Warn | None = None) -> Document:
    """One document from a file's bytes; raises ``CorpusError`` naming the file when nothing can be indexed."""
    say: Warn = warn or (lambda _msg: None)
    name = source or doc_id
    kind = sniff(data)
    if kind == "pdf":
        doc = read_pdf(data, doc_id, source)
    else:
        raw = decode_text(data, name, say, html=kind == "html")
        doc = read_html(raw, doc_id, source) if kind == "html" else parse_document(raw, doc_id, source, say)
        if kind == "html":
            _warn_little_article(doc.text, name, say)
    _warn_wordless(doc.text, name, say)
    return doc


def _warn_little_article(text: str, name: str, warn: Warn) -> None:
    """Warn when the article text found in an HTML page is under ``MIN_HTML_WORDS`` words: a page of navigation
    only (a new user's ``<nav><a>Home</a></nav>`` page became the document "Home"), or one whose article the
    reader could not tell from its surroundings."""
    found = text.split()
    if len(found) < MIN_HTML_WORDS:
        shown = " ".join(found)
        warn(
            f"{name}: almost no article text found in the page ({len(found)} word{'' if len(found) == 1 else 's'}: "
            f"{shown[:60]!r}); "
            "it may hold navigation only: check that this is the page you meant to index"
        )


def _warn_wordless(text: str, name: str, warn: Warn) -> None:
    """Warn when ``text`` has almost no words (letters under ``MIN_LETTER_SHARE`` of its other characters than spaces).

    A warning, not a refusal as for binary files: such bytes are text, and a table of figures, a
    log or a list of numbers is a document someone may mean to index; only questions about it are
    rarely answered (answers are sentences). Refusing would also make a build skip a file the user
    sees in the corpus. The warning says what was found, so a file of junk is noticed and removed.
    """
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return
    share = sum(ch.isalpha() for ch in visible) / len(visible)
    if share < MIN_LETTER_SHARE:
        warn(
            f"{name}: almost no words: only {share:.0%} of its characters are letters (the rest digits, "
            "punctuation or symbols); answers are sentences, so check that this is the text you meant to index"
        )


def document_format(doc: Document) -> str:
    """A document's format as ``citeqa list`` names it: ``html`` or ``pdf`` when that reader read it (its
    ``metadata["format"]``, chosen by content, whatever the file's name), else ``markdown`` for a file named
    ``.md`` or ``.markdown`` (``doc.source``) and ``text`` for any other. Markdown and text share one reader
    (``parse_document``: front matter read in either, body kept verbatim), so the name tells them apart."""
    given = doc.metadata.get("format", "")
    if given in READER_FORMATS:
        return given
    return "markdown" if PurePath(doc.source).suffix.lower() in MARKDOWN_SUFFIXES else "text"
