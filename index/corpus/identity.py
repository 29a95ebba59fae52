"""What identifies a document: the one document id rule, and the fingerprint of its text.

- Ids: 1 to 128 lowercase letters, digits, ``.``, ``_`` or ``-``, starting with a letter or a
  digit (``DOC_ID_PATTERN``). Every id that is cited can then be put in a URL path as it is
  (``GET``/``DELETE /v1/documents/{doc_id}``). Ids from file paths and from front matter are
  normalised to it (``normalise_doc_id``), cut to 128 characters when longer (``id_is_cut``: the
  build and the upload say so); ``POST /v1/documents`` refuses any other.
- Names are spelled in ASCII first (``spell_ascii``): accents and other scripts are transliterated
  by anyascii (``Résumé`` -> ``Resume``, composed or decomposed alike) and the symbols that tell
  names apart become words (``C++`` -> ``C plus plus``, ``C#`` -> ``C sharp``, ``AT&T`` ->
  ``AT and T``). A name of ASCII letters, digits and other punctuation keeps the id it always had.
- Fingerprints: two texts that differ only in line endings, trailing whitespace or Unicode
  form (composed or decomposed accents, ligatures) are the same document (``text_fingerprint``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Container

from anyascii import anyascii

__all__ = [
    "DOC_ID_PATTERN",
    "MAX_DOC_ID_CHARS",
    "SYMBOL_WORDS",
    "id_is_cut",
    "is_doc_id",
    "normalise_doc_id",
    "safe_name",
    "spell_ascii",
    "spelled_as_id",
    "text_fingerprint",
]

MAX_DOC_ID_CHARS = 128
DOC_ID_PATTERN = rf"[a-z0-9][a-z0-9._-]{{0,{MAX_DOC_ID_CHARS - 1}}}"
_DOC_ID = re.compile(DOC_ID_PATTERN)
_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

SYMBOL_WORDS: dict[str, str] = {"+": "plus", "#": "sharp", "&": "and", "@": "at", "%": "percent"}
"""Symbols spelled as words in ids, so that ``C``, ``C++`` and ``C#`` (or ``AT&T`` and ``AT-T``) differ.
``#`` only after a letter (``C#``, ``F#``); elsewhere (``#2``) it separates words like other punctuation."""
_SYMBOLS = re.compile(r"[+&@%]|(?<=[A-Za-z])#")
_HYPHENS = re.compile(r"-{2,}")
_BEFORE_SUFFIX = re.compile(r"-+(?=\.[^.]*\Z)")


def is_doc_id(value: str) -> bool:
    """Whether ``value`` follows the document id rule as it is."""
    return _DOC_ID.fullmatch(value) is not None


def spell_ascii(value: str) -> str:
    """``value`` in ASCII, case kept: transliterated (``Zoë`` -> ``Zoe``), symbols spelled (``C++`` -> ``C plus plus``).

    NFKC first, so a decomposed accent (a macOS file name) spells as the composed one does.
    """
    ascii_value = value if value.isascii() else anyascii(unicodedata.normalize("NFKC", value))
    return _SYMBOLS.sub(lambda m: f" {SYMBOL_WORDS[m.group()]} ", ascii_value)


def normalise_doc_id(value: str) -> str:
    """``value`` made a valid id (``News/2024/Roof`` -> ``news-2024-roof``); ``""`` when nothing usable is left.

    Spelled in ASCII (``Résumé café`` -> ``resume-cafe``, ``C++`` -> ``c-plus-plus``), then any other
    character becomes ``-``, as ids from file names always did: an ASCII name without those symbols keeps
    its id (``a - b`` -> ``a---b``); a respelled one gets one ``-`` between words (``Café – bar`` -> ``cafe-bar``).
    """
    return _whole_id(value)[:MAX_DOC_ID_CHARS].rstrip("-._")


def id_is_cut(value: str) -> bool:
    """Whether ``normalise_doc_id(value)`` is cut to ``MAX_DOC_ID_CHARS`` (a 200-character file name)."""
    return len(_whole_id(value)) > MAX_DOC_ID_CHARS


def _whole_id(value: str) -> str:
    """``normalise_doc_id(value)`` before it is cut to ``MAX_DOC_ID_CHARS``."""
    given = value.strip()
    spelled = spell_ascii(given)
    cleaned = _UNSAFE.sub("-", spelled.lower())
    if spelled != given:
        cleaned = _HYPHENS.sub("-", cleaned)
    return cleaned.strip("-._")


def spelled_as_id(doc_id: str, known: Container[str]) -> str:
    """ " (its id is 'resume-cafe')" when ``doc_id`` is not an id but spells one of ``known`` ("Résumé café",
    "C++"); "" otherwise: the end of a "no document" message."""
    spelled = normalise_doc_id(doc_id)
    return f" (its id is {spelled!r})" if spelled and spelled != doc_id and spelled in known else ""


def safe_name(name: str) -> str:
    """A file name spelled as ``normalise_doc_id`` spells ids, case kept (``Résumé café.txt`` -> ``Resume-cafe.txt``).

    Its id is the id of ``name``: an uploaded file keeps the id it was given under.
    """
    spelled = spell_ascii(name)
    cleaned = _UNSAFE_NAME.sub("-", spelled)
    if spelled != name:
        cleaned = _BEFORE_SUFFIX.sub("", _HYPHENS.sub("-", cleaned))  # C++.txt -> C-plus-plus.txt
    return cleaned.strip("-.")


def text_fingerprint(text: str) -> str:
    """sha256 of ``text`` with line endings, trailing whitespace and Unicode form (NFKC) normalised."""
    unified = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    body = "\n".join(line.rstrip() for line in unified.split("\n")).strip("\n")
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
