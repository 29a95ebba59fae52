"""What identifies a document: the one document id rule, and the fingerprint of its text.

- Ids: 1 to 128 lowercase letters, digits, ``.``, ``_`` or ``-``, starting with a letter or a
  digit (``DOC_ID_PATTERN``). Every id that is cited can then be put in a URL path as it is
  (``GET``/``DELETE /v1/documents/{doc_id}``). Ids from file paths and from front matter are
  normalised to it (``normalise_doc_id``); ``POST /v1/documents`` refuses any other.
- Fingerprints: two texts that differ only in line endings, trailing whitespace or Unicode
  form (composed or decomposed accents, ligatures) are the same document (``text_fingerprint``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["DOC_ID_PATTERN", "MAX_DOC_ID_CHARS", "is_doc_id", "normalise_doc_id", "text_fingerprint"]

MAX_DOC_ID_CHARS = 128
DOC_ID_PATTERN = rf"[a-z0-9][a-z0-9._-]{{0,{MAX_DOC_ID_CHARS - 1}}}"
_DOC_ID = re.compile(DOC_ID_PATTERN)
_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def is_doc_id(value: str) -> bool:
    """Whether ``value`` follows the document id rule as it is."""
    return _DOC_ID.fullmatch(value) is not None


def normalise_doc_id(value: str) -> str:
    """``value`` made a valid id (``News/2024/Roof`` -> ``news-2024-roof``); ``""`` when nothing usable is left.

    Other characters become ``-`` (``Café`` -> ``caf``), as ids from file names always did: ids stay stable.
    """
    lowered = value.strip().lower()
    cleaned = _UNSAFE.sub("-", lowered).strip("-._")
    return cleaned[:MAX_DOC_ID_CHARS].rstrip("-._")


def text_fingerprint(text: str) -> str:
    """sha256 of ``text`` with line endings, trailing whitespace and Unicode form (NFKC) normalised."""
    unified = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    body = "\n".join(line.rstrip() for line in unified.split("\n")).strip("\n")
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
