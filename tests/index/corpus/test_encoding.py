"""Text in other encodings than UTF-8 (index/corpus/encoding.py): read in the encoding a page declares,
else a detected one, with a warning naming it; damaged UTF-8 keeps U+FFFD; binary is skipped."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from citeqa.index.corpus.encoding import declared_encoding, decode_text
from citeqa.index.corpus.readers import read_document
from citeqa.index.corpus.walk import read_corpus
from citeqa.index.errors import CorpusError

LIEGE = "Café Renoir\n\nLe café est situé à Liège, près de la gare. On y mange des crêpes.\n"
PAGE = (
    "<!doctype html><html><head>{meta}<title>Café Renoir</title></head><body><article><h1>Café Renoir</h1>"
    "<p>Le café est situé à Liège, près de la gare, and it serves good crêpes every day of the week.</p>"
    "</article></body></html>"
)
DETECTED = "(detected; if the text reads wrong, convert the file to UTF-8)"


@pytest.mark.parametrize(
    ("data", "html", "text", "warning"),
    [
        (LIEGE.encode("utf-8"), False, LIEGE, None),
        (codecs.BOM_UTF8 + LIEGE.encode("utf-8"), False, LIEGE, None),
        (LIEGE.encode("latin-1"), False, LIEGE, f"windows-1252 {DETECTED}"),
        ("Café\n\nA small place.".encode("latin-1"), False, "Café\n\nA small place.", f"windows-1252 {DETECTED}"),
        ("It’s “great”: €5 at the café.".encode("cp1252"), False, "It’s “great”: €5 at the café.", "windows-1252"),
        ("東京は日本の首都です。人口は約千四百万人です。".encode("shift_jis"), False, "東京は日本の首都", "cp932"),
        (codecs.BOM_UTF16_LE + LIEGE.encode("utf-16-le"), False, LIEGE, "UTF-16 (it opens with a byte order mark)"),
        (
            PAGE.format(meta='<meta charset="iso-8859-1">').encode("latin-1"),
            True,
            "Liège",
            "windows-1252 (the page declares iso-8859-1)",
        ),
        (
            PAGE.format(meta='<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-15">').encode(
                "iso-8859-15"
            ),
            True,
            "Liège",
            "iso8859-15 (the page declares iso-8859-15)",
        ),
        (
            '<?xml version="1.0" encoding="windows-1251"?><html><body><p>Москва — столица.</p></body></html>'.encode(
                "cp1251"
            ),
            True,
            "Москва — столица.",
            "windows-1251 (the page declares windows-1251)",
        ),
    ],
    ids=["utf-8", "utf-8-bom", "latin-1", "latin-1-short", "cp1252", "shift-jis", "utf-16", "meta", "equiv", "xml"],
)
def test_text_is_read_in_its_encoding_and_the_encoding_is_named(
    data: bytes, html: bool, text: str, warning: str | None
) -> None:
    warnings: list[str] = []
    decoded = decode_text(data, "f.txt", warnings.append, html=html)
    assert decoded is not None and text in decoded
    assert "\ufffd" not in decoded and not decoded.startswith("\ufeff")
    if warning is None:
        assert warnings == []
    else:
        assert len(warnings) == 1 and warnings[0].startswith(f"f.txt: not UTF-8; read as {warning}"), warnings


def test_a_latin1_file_has_its_accents_in_title_and_text(tmp_path: Path) -> None:
    (tmp_path / "liege.txt").write_bytes(LIEGE.encode("latin-1"))
    page = PAGE.format(meta='<meta charset="iso-8859-1">')
    (tmp_path / "page.html").write_bytes(page.encode("latin-1"))
    warnings: list[str] = []
    docs = {d.doc_id: d for d in read_corpus(tmp_path, warnings.append)}
    assert docs["liege"].title == "Café Renoir" and docs["liege"].text == LIEGE
    assert "Liège" in docs["page"].text and "\ufffd" not in docs["page"].text
    assert sorted(warnings) == [
        f"liege.txt: not UTF-8; read as windows-1252 {DETECTED}",
        "page.html: not UTF-8; read as windows-1252 (the page declares iso-8859-1)",
    ]


RUSSIAN = [
    "Ярославль — один из старейших городов России.",
    "Эрмитаж — один из крупнейших художественных музеев мира.",
    "Хабаровск встречает выставку Эрмитажа.",
]


@pytest.mark.parametrize("sentence", RUSSIAN, ids=["yaroslavl", "hermitage", "khabarovsk"])
def test_russian_in_windows_1251_is_not_read_as_mac_cyrillic(sentence: str, tmp_path: Path) -> None:
    """charset-normalizer ranks Mac Cyrillic first for these: "ярославль Ч один из старейших городов –оссии."."""
    (tmp_path / "yaroslavl.txt").write_bytes(f"{sentence}\n\n{sentence}\n".encode("cp1251"))
    warnings: list[str] = []
    (doc,) = read_corpus(tmp_path, warnings.append)
    assert (doc.title, doc.text) == (sentence, f"{sentence}\n\n{sentence}\n")
    assert warnings == [f"yaroslavl.txt: not UTF-8; read as windows-1251 {DETECTED}"]


def test_utf8_damaged_in_a_few_places_keeps_utf8() -> None:
    data = "Café — fine\n\nOne bad byte here: ".encode() + b"\xff" + b" and the text goes on."
    warnings: list[str] = []
    decoded = decode_text(data, "f.txt", warnings.append)
    assert decoded is not None and decoded.startswith("Café — fine") and "here: \ufffd and" in decoded
    assert warnings == ["f.txt: not valid UTF-8 at byte 35; undecodable bytes replaced with U+FFFD"]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        bytes((i * 131 + 7) % 256 for i in range(4096)).replace(b"\x00", b"\x01"),
        b"\x01\x02\x03\x1b\x7f\x80\x81\x8d\x90" * 200,
    ],
    ids=["nul-bytes", "noise", "control-codes"],
)
def test_binary_is_refused_naming_the_file(data: bytes, tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"^f\.txt: looks binary"):
        read_document(data, "f", "f.txt")
    (tmp_path / "f.txt").write_bytes(data)
    (tmp_path / "ok.txt").write_text("Ok\n\nA text.\n")
    warnings: list[str] = []
    assert [d.doc_id for d in read_corpus(tmp_path, warnings.append)] == ["ok"]
    assert len(warnings) == 1 and warnings[0].startswith("f.txt: looks binary") and warnings[0].endswith("; skipped")


@pytest.mark.parametrize(
    ("head", "declared"),
    [
        (b'<meta charset="ISO-8859-1">', "iso-8859-1"),
        (b"<meta charset=windows-1252>", "windows-1252"),
        (b'<meta http-equiv="content-type" content="text/html; charset=koi8-r">', "koi8-r"),
        (b"<?xml version='1.0' encoding='Shift_JIS'?>", "shift_jis"),
        (b"<html><head><title>no declaration</title>", None),
    ],
)
def test_declared_encodings_are_found(head: bytes, declared: str | None) -> None:
    assert declared_encoding(b"<!doctype html>" + head) == declared
