"""PDF files: the text of every page (pypdf), pages separated by a blank line.

The start offset of each page is kept in the metadata (``page_starts``), so
``page_of(doc, offset)`` names the page a citation comes from.
"""

from __future__ import annotations

import io
import logging
from bisect import bisect_right
from typing import Any

from citeqa.index.corpus.html import PAGE_SEPARATOR
from citeqa.index.domain import Document
from citeqa.index.errors import CorpusError

__all__ = ["PAGE_STARTS", "page_of", "read_pdf"]

PAGE_STARTS = "page_starts"


def read_pdf(data: bytes, doc_id: str, source: str = "") -> Document:
    """The text of every page, pages separated by a blank line, page start offsets in the metadata."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

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
