"""Markdown with a YAML front-matter block, and plain text (first non-empty line as the title).

The body is kept verbatim (citation offsets point into it); front-matter fields become the
document's id, title, url, date and metadata. Without a ``title`` field, a Markdown file
(``.md``, ``.markdown``) that opens with a heading (``# Tram approved`` or a line underlined
by ``===`` or ``---``) takes the heading's text as its title, as CommonMark reads it
(markdown-it-py); any other file takes its first non-empty line as written.

Front matter is a block that opens the file with ``---``, is closed by a second ``---`` line
and holds a mapping; anything else (a file opening with a ``---`` horizontal rule) is plain
text. Values are read as the strings they are written as: no YAML 1.1 coercion turns
``id: 0755`` into ``493``, ``title: No`` into ``False`` or ``title: 1:20`` into ``80``
(``null``, ``~`` and empty values are absent). A line such as ``title: Breaking: council
approves tram`` or ``title: "Legions on the Edge" extended``, which YAML refuses, is read as the title
its writer meant (the second with its quotation marks); front matter that
is still not YAML fails with ``CorpusError`` naming the file and the line. An ``id`` that does
not follow the id rule (``citeqa.index.corpus.identity``) is normalised, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

import yaml
from markdown_it import MarkdownIt

from citeqa.index.corpus.identity import MAX_DOC_ID_CHARS, id_is_cut, normalise_doc_id
from citeqa.index.domain import Document
from citeqa.index.errors import CorpusError

__all__ = ["MARKDOWN_SUFFIXES", "parse_document", "read_front_matter"]

Warn = Callable[[str], None]

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n?^---[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_FIELD_LINE = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
_MAPPING_START = re.compile(r"^[\"']?[\w.-]+[\"']?[ \t]*:(?:[ \t]|$)")
_KEY = re.compile(r"[\w.:-]+")  # field names as front matter writes them: no spaces
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_FLOW_OR_BLOCK = tuple("[{|>&*!%@`")


def _stringify(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_stringify(v) for v in value)
    return str(value)


def read_front_matter(block: str, name: str, warn: Warn | None = None) -> dict[str, str] | None:
    """The fields of a front-matter block as strings; None when the block is not a mapping of field names.

    Raises ``CorpusError`` naming ``name`` and the line when the block looks like a mapping
    but cannot be read; ``warn`` hears about a mapping whose keys are not field names (prose).
    """
    try:
        # BaseLoader: every scalar is the string it is written as (no implicit int, bool, float, date)
        loaded = yaml.load(block, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        if not _looks_like_mapping(block):
            return None
        lenient = _read_lines(block)
        if lenient is None:
            # where the broken construct starts (an unclosed list) rather than where YAML noticed it
            mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 2}" if mark is not None else ""  # +1 for the opening ---
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise CorpusError(f"{name}: front matter is not valid YAML{where} ({problem}): quote the value") from None
        return lenient
    if loaded is None:  # an empty block (or only comments): front matter without fields
        return {}
    if not isinstance(loaded, dict):
        return None
    if not all(_KEY.fullmatch(str(k)) for k in loaded):  # prose between two rules ("The minutes say: ...")
        if warn is not None:
            odd = next(str(k) for k in loaded if not _KEY.fullmatch(str(k)))
            warn(f"{name}: the --- block at the top is read as text, not front matter ({odd[:40]!r} is no field name)")
        return None
    # an empty id is kept, so that it is warned about rather than silently replaced
    return {str(k): _stringify(v) for k, v in loaded.items() if k == "id" or _stringify(v).strip() not in _NULLS}


def _looks_like_mapping(block: str) -> bool:
    for line in block.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return _MAPPING_START.match(line) is not None
    return False


def _read_lines(block: str) -> dict[str, str] | None:
    """One ``key: value`` per line, the value taken as written (``title: Breaking: tram``); None if not that shape."""
    fields: dict[str, str] = {}
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _FIELD_LINE.match(line)
        if match is None:
            return None
        value = (match.group(2) or "").strip()
        if value.startswith(_FLOW_OR_BLOCK) or (value.startswith(("'", '"')) and value.count(value[0]) < 2):
            return None  # a flow collection, block scalar, anchor or unclosed quote: real YAML gone wrong
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        # else a quoted phrase opening the value is part of it: 'title: "Legions on the Edge" extended to May'

        if value not in _NULLS or match.group(1) == "id":
            fields[match.group(1)] = value
    return fields


def parse_document(raw: str, doc_id: str, source: str = "", warn: Warn | None = None) -> Document:
    """Read one file's text: Markdown with front matter, or plain text with its first line as title.

    ``doc_id`` is the id from the file's path, used when the front matter names none; ``warn``
    hears about a front-matter id that had to be normalised. Raises ``CorpusError`` for front
    matter that is a broken mapping.
    """
    name = source or doc_id
    markdown = PurePath(source).suffix.lower() in MARKDOWN_SUFFIXES
    match = _FRONT_MATTER.match(raw)
    fields = read_front_matter(match.group(1), name, warn) if match else None
    if match is None or fields is None:
        return Document(doc_id=doc_id, title=_title_line(raw, markdown) or doc_id, text=raw, source=source)
    body = raw[match.end() :]
    title = fields.pop("title", "") or _title_line(body, markdown) or doc_id
    return Document(
        doc_id=_front_matter_id(fields.pop("id", None), doc_id, name, warn),
        title=title,
        text=body,
        source=source,
        url=fields.pop("url", None),
        date=fields.pop("date", None),
        metadata=fields,
    )


def _front_matter_id(given: str | None, path_id: str, name: str, warn: Warn | None) -> str:
    if given is None:
        return path_id
    normalised = "" if given.strip() in _NULLS else normalise_doc_id(given)
    if (normalised != given or not normalised) and warn is not None:
        used = normalised or path_id
        why = (
            f"is longer than a document id may be ({MAX_DOC_ID_CHARS} characters)"
            if id_is_cut(given)
            else "is not a valid document id (lowercase letters, digits, '.', '_', '-')"
        )
        warn(f"{name}: id {given!r} {why}; using {used!r}")
    return normalised or path_id


def _title_line(text: str, markdown: bool) -> str:
    """The first non-empty line, or in Markdown the text of the heading it opens (``# Title`` -> ``Title``)."""
    lines = iter(text.splitlines())
    for line in lines:
        if line.strip():
            heading = _heading_text(f"{line}\n{next(lines, '')}") if markdown else ""
            return (heading or line.strip())[:200]
    return ""


def _heading_text(block: str) -> str:
    """The plain text of the heading that opens ``block`` (ATX or Setext, CommonMark's rules); "" if none."""
    tokens = MarkdownIt("commonmark").parse(block)
    if len(tokens) < 2 or tokens[0].type != "heading_open":
        return ""
    words = (
        " " if token.type in ("softbreak", "hardbreak") else token.content
        for token in tokens[1].children or []
        if token.type in ("text", "code_inline", "image", "softbreak", "hardbreak")
    )
    return " ".join("".join(words).split())
