"""Markdown with a YAML front-matter block, and plain text (first non-empty line as the title).

The body is kept verbatim (citation offsets point into it); front-matter fields become the
document's id, title, url, date and metadata.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from citeqa.index.domain import Document
from citeqa.index.errors import CorpusError

__all__ = ["parse_document"]

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)


def _stringify(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_stringify(v) for v in value)
    return str(value)


def parse_document(raw: str, doc_id: str, source: str = "") -> Document:
    """Read one file's text: Markdown with front matter, or plain text with its first line as title."""
    match = _FRONT_MATTER.match(raw)
    if match:
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            raise CorpusError(f"{source or doc_id}: front matter is not valid YAML ({exc})") from None
        if not isinstance(meta, dict):
            raise CorpusError(f"{source or doc_id}: front matter must be a mapping of fields")
        body = raw[match.end() :]
        fields = {str(k): _stringify(v) for k, v in meta.items() if v is not None}
        title = fields.pop("title", "") or _first_line(body) or doc_id
        return Document(
            doc_id=fields.pop("id", doc_id),
            title=title,
            text=body,
            source=source,
            url=fields.pop("url", None),
            date=fields.pop("date", None),
            metadata=fields,
        )
    return Document(doc_id=doc_id, title=_first_line(raw) or doc_id, text=raw, source=source)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""
