"""The text of a file's bytes: UTF-8 as it is, else the encoding the file declares, else a detected one.

In order (``decode_text``):

1. UTF-8, with or without a BOM, is read as it is; so is UTF-16 with a BOM.
2. Bytes that are not UTF-8 in an HTML page that declares its encoding (``<meta charset>``, a
   ``Content-Type`` ``<meta http-equiv>``, an XML declaration) are read in that encoding;
   ``iso-8859-1`` and ``us-ascii`` as ``windows-1252``, as browsers read them (WHATWG Encoding).
3. UTF-8 damaged in a few places (it holds valid multi-byte characters, and at most 1% of its bytes,
   or 8, are not UTF-8) stays UTF-8, the damaged bytes replaced with U+FFFD.
4. Anything else is detected with charset-normalizer: ``windows-1252`` whenever it fits (Western
   text; charset-normalizer's own first choice among Latin code pages is unreliable on short texts,
   ``café`` in ``windows-1250``), else charset-normalizer's best match (``shift_jis``, ``koi8-r``...),
   except that ``windows-1251`` is preferred to Mac Cyrillic when both fit (Russian with « » and —
   is windows-1251 far more often; charset-normalizer gives "Ярославль — один из старейших городов
   России." Mac Cyrillic, read as "ярославль Ч один из старейших городов –оссии.").
5. Bytes no text encoding fits, NUL bytes, or text full of control characters are binary:
   ``CorpusError`` naming the file.

Every file read in another encoding than UTF-8 is warned about, naming the encoding used.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

from citeqa.index.errors import CorpusError

__all__ = ["declared_encoding", "decode_text"]

Warn = Callable[[str], None]

MAX_DAMAGED_UTF8_BYTES = 8
"""UTF-8 with up to this many (or 1% of its bytes) damaged bytes is read as UTF-8 with U+FFFD."""
WESTERN = "cp1252"
CYRILLIC = "cp1251"
_RARE_CYRILLIC = frozenset({"mac_cyrillic"})
"""Code pages charset-normalizer may rank above windows-1251 for windows-1251 text, though they are rarely
met: Russian with « » and — (bytes that are capitals and symbols in Mac Cyrillic) reads as Mac Cyrillic."""
_LATIN1_CODECS = frozenset({"iso8859-1", "ascii"})  # WHATWG: iso-8859-1, us-ascii -> windows-1252
_DECLARED = re.compile(
    rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)|<\?xml\s[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)",
    re.I,
)
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # control characters other than \t \n \v \f \r


def decode_text(data: bytes, name: str, warn: Warn, *, html: bool = False) -> str:
    """The text of ``data``; ``warn`` hears how it was read when not as UTF-8. Raises ``CorpusError`` for binary.

    ``html``: the bytes are an HTML page, whose declared encoding is honoured when they are not UTF-8.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(_try(data, "utf-16"), name, warn, "UTF-16 (it opens with a byte order mark)")
    if b"\x00" in data[:4096]:
        raise CorpusError(f"{name}: looks binary (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    label = declared_encoding(data) if html else None
    if label is not None:
        text, codec = _declared(data, label)
        if text is not None:
            return _checked(text, name, warn, f"{_shown(codec)} (the page declares {label})")
        warn(f"{name}: the page declares encoding {label!r}, which does not decode it; detecting the encoding")
    damaged, multibyte = _utf8_census(data)
    if multibyte and damaged <= max(MAX_DAMAGED_UTF8_BYTES, len(data) // 100):
        warn(f"{name}: not valid UTF-8 at byte {first_bad}; undecodable bytes replaced with U+FFFD")
        return data.decode("utf-8", errors="replace")
    detected = _detected(data)
    if detected is None:
        raise _binary(name)
    how = f"{_shown(detected)} (detected; if the text reads wrong, convert the file to UTF-8)"
    return _checked(_try(data, detected), name, warn, how)


def declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML page or XML document declares in its first 4 KB (``<meta charset>``...)."""
    match = _DECLARED.search(data[:4096])
    if match is None:
        return None
    return (match.group(1) or match.group(2)).decode("ascii").strip().lower()


def _declared(data: bytes, label: str) -> tuple[str | None, str]:
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None, label
    if codec in _LATIN1_CODECS:
        codec = WESTERN if _try(data, WESTERN) is not None else "latin_1"
    return _try(data, codec), codec


def _detected(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    if any(WESTERN == m.encoding or WESTERN in m.could_be_from_charset for m in matches):
        return WESTERN
    best = str(matches[0].encoding)
    if best in _RARE_CYRILLIC and any(CYRILLIC == m.encoding or CYRILLIC in m.could_be_from_charset for m in matches):
        return CYRILLIC
    return best


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _binary(name: str) -> CorpusError:
    return CorpusError(f"{name}: looks binary: not valid UTF-8 and no other text encoding fits (convert text to UTF-8)")


def _checked(text: str | None, name: str, warn: Warn, how: str) -> str:
    """``text`` with a warning saying how it was read; ``CorpusError`` (binary) when it is mostly control codes."""
    if text is None or len(_CONTROLS.findall(text)) > max(MAX_DAMAGED_UTF8_BYTES, len(text) // 100):
        raise _binary(name)
    warn(f"{name}: not UTF-8; read as {how}")
    return text.removeprefix("\ufeff")


def _utf8_census(data: bytes) -> tuple[int, int]:
    """Bytes that are not UTF-8, and valid multi-byte UTF-8 characters (none: another encoding, not damage)."""
    text = data.decode("utf-8", errors="surrogateescape")
    damaged = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    return damaged, sum(1 for ch in text if ord(ch) > 127) - damaged


def _shown(codec: str) -> str:
    """A codec as people name it: ``cp1252`` -> ``windows-1252``, ``shift_jis`` -> ``shift-jis``."""
    name = codecs.lookup(codec).name if codec else codec
    return re.sub(r"^cp(125\d)$", r"windows-\1", name).replace("_", "-")
