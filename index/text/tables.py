"""Markdown tables in a document's text: which line of a table a sentence is, and the header it falls under.

A table reaches the text as lines of cells between bars, its header row over a separator row (Markdown
files as written; HTML tables as the HTML reader writes them, a blank line between rows, a ``<caption>``
as a header row of its own over an empty-celled one)::

    | Band | Annual charge |
    |---|---|
    | D | £2,268.60 |

A data row means something only with its header: "| D | £2,268.60 |" answers "What is the annual charge
for Band D?" with the words of the row above it. The header and the separator say nothing of their own,
and are never answers (``citeqa.index.answering.features``).
"""

from __future__ import annotations

import re
from enum import Enum

# "|---|:---:|", "| --- | --- |", "---|---" (outer bars optional, alignment colons)
_SEPARATOR = re.compile(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?|\|\s*:?-{3,}:?\s*\|")
# the farthest a row looks up for its header, in lines (a long table of a few hundred rows)
MAX_TABLE_LINES = 400


class Role(Enum):
    """What a line of text is to a table."""

    NONE = "none"  # no table line
    SEPARATOR = "separator"  # "|---|---|"
    HEADER = "header"  # the row over a separator
    ROW = "row"  # a data row


def _line(text: str, pos: int) -> tuple[int, int]:
    """Start and end (before its newline) of the line of ``text`` holding position ``pos``."""
    end = text.find("\n", pos)
    return text.rfind("\n", 0, pos) + 1, len(text) if end < 0 else end


def _next_line(text: str, end: int) -> tuple[int, int] | None:
    """The next line after the line ending at ``end`` that is not blank, or None."""
    while end < len(text):
        start, end = _line(text, end + 1)
        if text[start:end].strip():
            return start, end
    return None


def _previous_line(text: str, start: int) -> tuple[int, int] | None:
    """The last line before the line starting at ``start`` that is not blank, or None."""
    while start > 0:
        start, end = _line(text, start - 1)
        if text[start:end].strip():
            return start, end
    return None


def is_separator(line: str) -> bool:
    """Whether ``line`` is a table's separator row ("|---|---|")."""
    return _SEPARATOR.fullmatch(line.strip()) is not None


def _is_table_line(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") or is_separator(stripped)


def role(text: str, start: int, end: int) -> Role:
    """What the line holding ``text[start:end]`` is to a table: a data row, a header (a row over a
    separator row), a separator, or no table line (``Role.NONE``, also for a row not alone on its line)."""
    line_start, line_end = _line(text, start)
    if end > line_end or text[line_start:start].strip() or text[end:line_end].strip():
        return Role.NONE
    line = text[start:end].strip()
    if is_separator(line):
        return Role.SEPARATOR
    if not line.startswith("|"):
        return Role.NONE
    following = _next_line(text, line_end)
    return Role.HEADER if following is not None and is_separator(text[following[0] : following[1]]) else Role.ROW


def header_of(text: str, start: int) -> tuple[int, int] | None:
    """The span of the header row of the table whose data row starts at ``start`` (the nearest row over a
    separator above it, the table's lines and the blank lines between them only), or None (no table row,
    or a table without a header)."""
    line = _line(text, start)
    if not text[line[0] : line[1]].strip().startswith("|"):
        return None
    for _ in range(MAX_TABLE_LINES):
        above = _previous_line(text, line[0])
        if above is None or not _is_table_line(text[above[0] : above[1]]):
            return None
        if is_separator(text[line[0] : line[1]]) and not is_separator(text[above[0] : above[1]]):
            return above
        line = above
    return None
