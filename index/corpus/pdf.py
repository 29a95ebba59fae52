"""PDF files: the text of every page in reading order, pages separated by a blank line.

- Reading order: pdfminer.six's layout analysis groups characters into lines and lines into
  text boxes, and orders the boxes, so a two-column page gives the left column, then the right
  one, even when the PDF draws its lines across both columns row by row (pypdf's plain and
  layout modes, pdfplumber and pypdfium2 all interleave the columns of such a page). Boxes are
  separated by a blank line. pypdf reads the metadata and refuses encrypted files.
- Ligature glyphs (``ﬁ``, ``ﬂ``, ``ﬀ``, ``ﬃ``, ``ﬄ``, ``ﬅ``, ``ﬆ``) are stored as their letters
  (their NFKC form; nothing else is normalised), so ``ﬁnance`` is served, matched and quoted
  as ``finance``.
- A word hyphenated across a line end (``regu-`` / ``lation``) is stored whole
  (``regulation``, the line break after it), unless the document also writes it with the
  hyphen inside a line (``well-known``). The stored text is what the API serves, so citations
  still verify: ``document.text[start:end] == quote``.

The start offset of each page is kept in the metadata (``page_starts``), so
``page_of(doc, offset)`` names the page a citation comes from.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from citeqa.index.corpus.html import PAGE_SEPARATOR
from citeqa.index.domain import Document
from citeqa.index.errors import CorpusError

__all__ = ["PAGE_STARTS", "dehyphenate", "page_of", "read_pdf", "replace_ligatures"]

PAGE_STARTS = "page_starts"
_LIGATURES = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
_BROKEN_WORD = re.compile(r"(\w+)-[ \t]*\n[ \t]*([a-z]\w*)(\S*)[^\S\n]*(\n?)")


def read_pdf(data: bytes, doc_id: str, source: str = "") -> Document:
    """The text of every page in reading order, pages separated by a blank line, page start offsets in the metadata.

    Raises ``CorpusError`` for an encrypted, unreadable or text-less (scanned) PDF.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    name = source or doc_id
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise CorpusError(f"{name}: the PDF is encrypted; decrypt it first")
        count = len(reader.pages)
        info: Any = reader.metadata or {}
        pages = _page_texts(data, count)
    except PyPdfError as exc:
        raise CorpusError(f"{name}: not a readable PDF ({exc})") from None
    except (ValueError, KeyError, TypeError, OSError, IndexError, AssertionError) as exc:
        raise CorpusError(f"{name}: not a readable PDF ({type(exc).__name__})") from None
    pages = dehyphenate([_clean_page(replace_ligatures(page)) for page in pages])
    starts, parts, cursor = [], [], 0
    for page in pages:
        starts.append(cursor)
        parts.append(page)
        cursor += len(page) + len(PAGE_SEPARATOR)
    text = PAGE_SEPARATOR.join(parts)
    if not text.strip():
        raise CorpusError(f"{name}: the PDF has no extractable text (scanned images need OCR first)")
    title = replace_ligatures(str(info.get("/Title") or "")).strip() or text.strip().splitlines()[0][:200]
    metadata = {"format": "pdf", "pages": str(len(pages)), PAGE_STARTS: ",".join(map(str, starts))}
    if info.get("/Author"):
        metadata["author"] = str(info["/Author"])
    return Document(doc_id=doc_id, title=title, text=text, source=source, metadata=metadata)


def _page_texts(data: bytes, count: int) -> list[str]:
    """The text of each of ``count`` pages, text boxes in pdfminer's reading order, a blank line between boxes."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.psparser import PSException

    pages: list[str] = []
    try:
        for layout in extract_pages(io.BytesIO(data), laparams=LAParams()):
            boxes = [box.get_text().strip("\n") for box in layout if isinstance(box, LTTextContainer)]
            pages.append("\n\n".join(box for box in boxes if box.strip()))
    except PSException as exc:
        raise ValueError(str(exc)) from None
    return (pages + [""] * count)[:count] if count else pages


def replace_ligatures(text: str) -> str:
    """``text`` with the ligature code points U+FB00-U+FB06 replaced by their letters (``ﬁ`` -> ``fi``)."""
    return text.translate(_LIGATURES)


def dehyphenate(pages: Sequence[str]) -> list[str]:
    """Pages with words broken by a hyphen at a line end joined (``regu-\\nlation`` -> ``regulation\\n``).

    A break is kept as it is when the next line starts with a capital or a digit, when the word
    goes on with another hyphen (``state-`` / ``of-the-art``), or when the hyphenated form
    (``well-known``) appears inside a line anywhere in ``pages``.
    """
    whole = "\n".join(pages)

    def join(match: re.Match[str]) -> str:
        head, tail, rest = match.group(1), match.group(2), match.group(3)
        if rest.startswith("-"):  # "state-\nof-the-art": a compound broken at one of its hyphens
            return match.group(0)
        if re.search(rf"\b{re.escape(head)}-{re.escape(tail)}\b", whole):
            return match.group(0)
        more = match.group(4) or match.end() < len(match.string)  # the line break moves after the word
        return f"{head}{tail}{rest}" + ("\n" if more else "")

    return [_BROKEN_WORD.sub(join, page) for page in pages]


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
