"""PDF files: the text of every page in reading order, as the page reads: paragraphs separated by a blank line.

- Reading order: pdfminer.six's layout analysis groups characters into lines and lines into
  text boxes, and orders the boxes, so a two-column page gives the left column, then the right
  one, even when the PDF draws its lines across both columns row by row (pypdf's plain and
  layout modes, pdfplumber and pypdfium2 all interleave the columns of such a page). pypdf
  reads the metadata and refuses encrypted files.
- Paragraphs: lines 1.5 or double spaced stay in one box (``line_margin`` 1.5, ``_layout_params``);
  a box is cut into paragraphs where the font size changes, where more space than the box's line
  spacing separates two lines, before a bullet, and after a line that ends short of the box's right
  edge (``_breaks``). The lines of a paragraph are joined by one space (by none after a hyphen that
  stays, ``well-`` / ``known``); paragraphs, boxes and pages are separated by a blank line.
- Spaces: a run of spaces inside a line is stored as one, so justified lines (wide gaps holding a
  space glyph, for which pdfminer adds a space of its own) read "Welcome to", not "Welcome  to".
- Ligature glyphs (``ﬁ``, ``ﬂ``, ``ﬀ``, ``ﬃ``, ``ﬄ``, ``ﬅ``, ``ﬆ``) are stored as their letters
  (their NFKC form; nothing else is normalised), so ``ﬁnance`` is served, matched and quoted
  as ``finance``.
- A word hyphenated across a line end (``regu-`` / ``lation``) is stored whole
  (``regulation``), unless the document also writes it with the hyphen inside a line
  (``well-known``). The stored text is what the API serves, so citations still verify:
  ``document.text[start:end] == quote``.

The start offset of each page is kept in the metadata (``page_starts``), so
``page_of(doc, offset)`` names the page a citation comes from.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from citeqa.index.corpus.html import PAGE_SEPARATOR
from citeqa.index.domain import Document
from citeqa.index.errors import CorpusError

if TYPE_CHECKING:
    from pdfminer.layout import LAParams

__all__ = ["PAGE_STARTS", "dehyphenate", "page_of", "read_pdf", "replace_ligatures"]

PAGE_STARTS = "page_starts"
_LIGATURES = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
_BROKEN_WORD = re.compile(r"(\w+)-[ \t]*\n[ \t]*([a-z]\w*)(\S*)[^\S\n]*(\n?)")
_HYPHEN_END = re.compile(r"\w[-\u2010]$")
_BULLET = re.compile(r"[\u2022\u25e6\u25aa\u25ab\u25cf\u25cb\u25a0\u25a1\u2023\u2043\u00b7*\-\u2013\u2014]\s")
_LIST_ITEM = re.compile(rf"\s*(?:{_BULLET.pattern}|\(?(?:\d{{1,2}}|[a-z])[.)]\s)")
_SPACES = re.compile(r"[ \t]{2,}")
_LINE_AFTER_HYPHEN = re.compile(r"(?<=\w[-\u2010])\n(?=[^\n])")
_LINE_BREAK = re.compile(r"(?<=[^\n])\n(?=[^\n])")


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
    pages = [_join_lines(page) for page in dehyphenate([_clean_page(replace_ligatures(page)) for page in pages])]
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
    """The text of each of ``count`` pages: pdfminer's text boxes in its reading order, split into paragraphs.

    Within a paragraph the lines are separated by one line break (joined later by ``_join_lines``,
    after dehyphenation), paragraphs and boxes by a blank line.
    """
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLineHorizontal
    from pdfminer.psparser import PSException

    pages: list[str] = []
    try:
        for layout in extract_pages(io.BytesIO(data), laparams=_layout_params()):
            boxes = [box for box in layout if isinstance(box, LTTextContainer)]
            lines = [line for box in boxes for line in box if isinstance(line, LTTextLineHorizontal)]
            texts = [_box_text(box, lines).strip("\n") for box in boxes]
            pages.append("\n\n".join(text for text in texts if text.strip()))
    except PSException as exc:
        raise ValueError(str(exc)) from None
    return (pages + [""] * count)[:count] if count else pages


def _layout_params() -> LAParams:
    """pdfminer's layout analysis with a wider ``line_margin`` than its default (0.5).

    The default keeps two lines in one text box only when the gap between them is under half a
    line's height, so the lines of a paragraph set at 1.5 line spacing (fpdf2's 6 mm lines at
    11 pt, Word's "1.5 lines") each become a box of their own. At 1.5 a double-spaced paragraph
    stays one box too; the paragraphs a box may then hold are told apart by ``_breaks``.
    """
    from pdfminer.layout import LAParams

    return LAParams(line_margin=1.5)


def _box_text(box: Any, page_lines: Sequence[Any]) -> str:
    """The lines of a text box, one line break inside a paragraph and a blank line between paragraphs.

    ``page_lines``: every horizontal line of the page; those starting where the box starts give the
    right edge of its column (``_column_right``).
    """
    from pdfminer.layout import LTTextLineHorizontal

    lines = [line for line in box if isinstance(line, LTTextLineHorizontal)]
    if not lines:
        return str(box.get_text())
    texts = [str(line.get_text()).strip("\n") for line in lines]
    breaks = _breaks(lines, _column_right(lines, page_lines))
    return texts[0] + "".join(("\n\n" if end else "\n") + text for end, text in zip(breaks, texts[1:], strict=True))


def _column_right(lines: Sequence[Any], page_lines: Sequence[Any]) -> float:
    """Where the lines of the box's column end: the right edge of the widest line of the page that starts
    where the box does (its own lines, and body text around a box of short lines such as an address)."""
    left, tolerance = min(line.x0 for line in lines), 0.5 * min(line.height for line in lines)
    same_start = [line.x1 for line in page_lines if abs(line.x0 - left) <= tolerance]
    return float(max([line.x1 for line in lines] + same_start))


def _breaks(lines: Sequence[Any], right: float) -> list[bool]:
    """For each pair of successive lines of a box: does a paragraph end between them?

    It does where the font size changes (a heading over its text), where the gap between the lines
    is wider than the box's line spacing by half a line (space between paragraphs), where the next
    line starts with a bullet, where the next line is indented further (a first-line indent, an
    indented block; not the lines of a list item under its bullet or number), and where the first
    word of the next line would have fitted at the end of this one, before the column's ``right``
    edge (the short last line of a paragraph, a heading, an address), unless this line ends with a
    word broken by a hyphen. Justified and ragged lines of one paragraph pass all five.
    """
    gaps = [line.y0 - after.y1 for line, after in itertools.pairwise(lines)]
    spacing = min(gaps, default=0.0)
    breaks: list[bool] = []
    item = bool(_LIST_ITEM.match(str(lines[0].get_text())))
    for (line, after), gap in zip(itertools.pairwise(lines), gaps, strict=True):
        height = min(line.height, after.height)
        text, next_text = str(line.get_text()).rstrip(), str(after.get_text()).lstrip()
        broken_word = bool(_HYPHEN_END.search(text))
        end = (
            abs(line.height - after.height) > 0.15 * height
            or gap > spacing + 0.5 * height
            or bool(_BULLET.match(next_text))
            or (not item and after.x0 - line.x0 > 0.5 * height)
            or (not broken_word and right - line.x1 > _first_word_width(after) + 0.3 * height)
        )
        breaks.append(end)
        item = bool(_LIST_ITEM.match(next_text)) if end else item
    return breaks


def _first_word_width(line: Any) -> float:
    """The width of the first word of a pdfminer text line, in points."""
    from pdfminer.layout import LTChar

    end = line.x0
    for item in line:
        if item.get_text().isspace():
            break
        if isinstance(item, LTChar):
            end = item.x1
    return float(end - line.x0)


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
    """``text`` with every line stripped and the runs of spaces inside it made one space.

    A justified line has real space glyphs in wide gaps, and pdfminer adds a space of its own for
    a gap over ``word_margin``: "Welcome  to  Harbourline". No layout parameter tells the two
    apart (a smaller ``word_margin`` loses the spaces of PDFs that draw words without them).
    """
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(_SPACES.sub(" ", line.strip()) for line in lines).strip()


def _join_lines(page: str) -> str:
    """``page`` with the lines of each paragraph joined: by a space, or by nothing after a hyphen that stays."""
    return _LINE_BREAK.sub(" ", _LINE_AFTER_HYPHEN.sub("", page))


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
