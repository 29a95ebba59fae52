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

The heavy libraries are imported only when a file of their kind is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from citeqa.index.corpus.html import read_html
from citeqa.index.corpus.markdown import parse_document
from citeqa.index.corpus.pdf import read_pdf
from citeqa.index.domain import Document

Warn = Callable[[str], None]

DOCUMENT_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".pdf"})
TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".text"})
READABLE_SUFFIXES = TEXT_SUFFIXES | DOCUMENT_SUFFIXES | {""}  # a file without a suffix is read as text
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


def read_document(data: bytes, doc_id: str, source: str = "", warn: Warn | None = None) -> Document | None:
    """One document from a file's bytes, or None (with a warning) when nothing can be indexed."""
    say: Warn = warn or (lambda _msg: None)
    name = source or doc_id
    kind = sniff(data)
    if kind == "pdf":
        return read_pdf(data, doc_id, source)
    raw = decode_text(data, name, say)
    if raw is None:
        return None
    if kind == "html":
        return read_html(raw, doc_id, source)
    return parse_document(raw, doc_id, source, say)


def decode_text(data: bytes, name: str, warn: Warn) -> str | None:
    """UTF-8 text (BOM dropped); None for binary data; undecodable bytes replaced with a warning."""
    if b"\x00" in data[:4096]:
        warn(f"{name}: skipped, looks binary (NUL bytes)")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        invalid = _invalid_utf8_bytes(data)
        if invalid > max(MAX_INVALID_UTF8_BYTES, len(data) // 100):
            warn(f"{name}: skipped, {invalid} bytes are not valid UTF-8 (binary, or another encoding: convert it)")
            return None
        warn(f"{name}: not valid UTF-8 at byte {exc.start}; undecodable bytes replaced with U+FFFD")
        return data.decode("utf-8", errors="replace")


MAX_INVALID_UTF8_BYTES = 8


def _invalid_utf8_bytes(data: bytes) -> int:
    """How many bytes do not decode as UTF-8 (more than 1% of them: not text)."""
    return sum(1 for ch in data.decode("utf-8", errors="surrogateescape") if "\udc80" <= ch <= "\udcff")
