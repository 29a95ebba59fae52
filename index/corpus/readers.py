"""Readers for article files, chosen by content: PDF, HTML pages, Markdown with front matter, plain text.

``read_document(data, doc_id, source)`` sniffs the bytes (``%PDF-`` magic, an HTML doctype or
root element, a ``---`` front-matter block) rather than trusting the file name, so a saved
page named ``.txt`` is still read as HTML and a PDF without a suffix is still a PDF.

- HTML: the main text and metadata (title, author, date, site name, canonical URL) are
  extracted with trafilatura; navigation, ads and footers are left out.
- PDF: the text of every page (pypdf), pages separated by a blank line. The start offset of
  each page is kept in the metadata (``page_starts``), so ``page_of(doc, offset)`` names the
  page a citation comes from.
- Markdown with front matter and plain text: ``citeqa.index.corpus.markdown``.
- Text and HTML bytes are decoded by ``citeqa.index.corpus.encoding``: UTF-8, else the encoding a
  page declares, else a detected one, with a warning naming it.

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
        return read_pdf(data, doc_id, source)
    raw = decode_text(data, name, say, html=kind == "html")
    if kind == "html":
        return read_html(raw, doc_id, source)
    return parse_document(raw, doc_id, source, say)


def document_format(doc: Document) -> str:
    """A document's format as ``citeqa list`` names it: ``html`` or ``pdf`` when that reader read it (its
    ``metadata["format"]``, chosen by content, whatever the file's name), else ``markdown`` for a file named
    ``.md`` or ``.markdown`` (``doc.source``) and ``text`` for any other. Markdown and text share one reader
    (``parse_document``: front matter read in either, body kept verbatim), so the name tells them apart."""
    given = doc.metadata.get("format", "")
    if given in READER_FORMATS:
        return given
    return "markdown" if PurePath(doc.source).suffix.lower() in MARKDOWN_SUFFIXES else "text"
