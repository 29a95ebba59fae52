"""Readers for article files, chosen by content: PDF, HTML pages, Markdown with front matter, plain text.

``read_document(data, doc_id, source)`` sniffs the bytes (``%PDF-`` magic, an HTML doctype or
root element, a ``---`` front-matter block) rather than trusting the file name, so a saved
page named ``.txt`` is still read as HTML and a PDF without a suffix is still a PDF.

- HTML: the main text and metadata (title, author, date, site name, canonical URL) are
  extracted with trafilatura; navigation, ads and footers are left out.
- PDF: the text of every page (pypdf), pages separated by a blank line. The start offset of
  each page is kept in the metadata (``page_starts``), so ``page_of(doc, offset)`` names the
  page a citation comes from.
- Markdown with front matter and plain text: ``index.corpus.parse_document``.

The heavy libraries are imported only when a file of their kind is read.
"""

from __future__ import annotations

import io
import logging
import re
from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from index.errors import CorpusError

if TYPE_CHECKING:
    from index.corpus import Document

Warn = Callable[[str], None]

DOCUMENT_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".pdf"})
PAGE_STARTS = "page_starts"
PAGE_SEPARATOR = "\n\n"
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
    from index.corpus import parse_document

    return parse_document(raw, doc_id, source)


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


def read_html(html: str, doc_id: str, source: str = "") -> Document:
    """The main text of an article page with its title, author, date, site name and canonical URL."""
    import trafilatura

    from index.corpus import Document

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    extracted: Any = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True
    )
    raw_text = (getattr(extracted, "text", None) or "") if extracted is not None else ""
    text = PAGE_SEPARATOR.join(line.strip() for line in raw_text.splitlines() if line.strip())
    if not text:
        raise CorpusError(f"{source or doc_id}: no article text found in the HTML page")
    fields = {
        "author": getattr(extracted, "author", None),
        "site": getattr(extracted, "sitename", None),
        "description": getattr(extracted, "description", None),
        "format": "html",
    }
    title = (getattr(extracted, "title", None) or "").strip() or text.splitlines()[0][:200]
    return Document(
        doc_id=doc_id,
        title=title,
        text=text,
        source=source,
        url=getattr(extracted, "url", None) or None,
        date=getattr(extracted, "date", None) or None,
        metadata={k: str(v) for k, v in fields.items() if v},
    )


def read_pdf(data: bytes, doc_id: str, source: str = "") -> Document:
    """The text of every page, pages separated by a blank line, page start offsets in the metadata."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    from index.corpus import Document

    name = source or doc_id
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise CorpusError(f"{name}: the PDF is encrypted; decrypt it first")
        pages = [_clean_page(page.extract_text() or "") for page in reader.pages]
        info: Any = reader.metadata or {}
    except PyPdfError as exc:
        raise CorpusError(f"{name}: not a readable PDF ({exc})") from None
    except (ValueError, KeyError, TypeError, OSError) as exc:
        raise CorpusError(f"{name}: not a readable PDF ({type(exc).__name__})") from None
    starts, parts, cursor = [], [], 0
    for page in pages:
        starts.append(cursor)
        parts.append(page)
        cursor += len(page) + len(PAGE_SEPARATOR)
    text = PAGE_SEPARATOR.join(parts)
    if not text.strip():
        raise CorpusError(f"{name}: the PDF has no extractable text (scanned images need OCR first)")
    title = str(info.get("/Title") or "").strip() or text.strip().splitlines()[0][:200]
    metadata = {"format": "pdf", "pages": str(len(pages)), PAGE_STARTS: ",".join(map(str, starts))}
    if info.get("/Author"):
        metadata["author"] = str(info["/Author"])
    return Document(doc_id=doc_id, title=title, text=text, source=source, metadata=metadata)


def _clean_page(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def page_of(doc: Document, offset: int) -> int | None:
    """The 1-based page holding character ``offset`` of a PDF document; None for other documents."""
    starts = doc.metadata.get(PAGE_STARTS)
    if not starts:
        return None
    try:
        offsets = [int(s) for s in starts.split(",")]
    except ValueError:
        return None
    return max(1, bisect_right(offsets, offset))
