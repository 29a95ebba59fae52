"""The one document id rule and the text fingerprint (issue 15): near-duplicate files are one
document, ids from paths and front matter can always be put in a URL path."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from citeqa.index.corpus.identity import is_doc_id, normalise_doc_id, text_fingerprint
from citeqa.index.corpus.walk import make_doc_id, read_corpus

TEXT = "Café owners on the quay\n\nThe harbour café reopens on Monday after the flood.\nIt serves soup."


@pytest.mark.parametrize(
    "variant",
    [
        TEXT + "\n",
        TEXT.replace("\n", "\r\n"),
        TEXT.replace("\n", "\r\n") + "\r\n",
        TEXT.replace("\n", "  \n") + "\t\n\n",
        unicodedata.normalize("NFD", TEXT),
    ],
    ids=["final-newline", "crlf", "crlf-final-newline", "trailing-spaces", "nfd"],
)
def test_near_duplicate_files_are_one_document(tmp_path: Path, variant: str) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8", newline="")
    (tmp_path / "b.txt").write_text(variant, encoding="utf-8", newline="")
    warnings: list[str] = []
    documents = read_corpus(tmp_path, warnings.append)
    assert [d.doc_id for d in documents] == ["a"]
    assert [w.split(" (")[0] for w in warnings] == ["b.txt: skipped, same text as a.txt"]
    assert text_fingerprint(variant) == text_fingerprint(TEXT)


def test_different_texts_have_different_fingerprints() -> None:
    assert text_fingerprint(TEXT) != text_fingerprint(TEXT.replace("Monday", "Tuesday"))
    assert text_fingerprint("a\n\nb") != text_fingerprint("a\nb")


@pytest.mark.parametrize(
    ("path", "expected"),
    [("_drafts/One.md", "drafts-one"), ("ÉTÉ 2024.txt", "t-2024"), ("x" * 200 + ".md", "x" * 128)],
)
def test_ids_from_paths_follow_the_id_rule(path: str, expected: str) -> None:
    doc_id = make_doc_id(Path(path))
    assert doc_id == expected
    assert is_doc_id(doc_id)


@pytest.mark.parametrize("value", ["news/2024/roof", "A B", "-x-", "é", "", "../..", "x" * 300, "a%2Fb"])
def test_normalised_ids_are_valid_or_empty(value: str) -> None:
    normalised = normalise_doc_id(value)
    assert normalised == "" or is_doc_id(normalised)
    assert normalise_doc_id(normalised) == normalised
