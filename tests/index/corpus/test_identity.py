"""The one document id rule and the text fingerprint (issue 15): near-duplicate files are one
document, ids from paths and front matter can always be put in a URL path."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from citeqa.index.corpus.identity import is_doc_id, normalise_doc_id, text_fingerprint
from citeqa.index.corpus.walk import make_doc_id, read_corpus
from citeqa.index.indexing.collection import safe_file_name

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
    [("_drafts/One.md", "drafts-one"), ("ÉTÉ 2024.txt", "ete-2024"), ("x" * 200 + ".md", "x" * 128)],
)
def test_ids_from_paths_follow_the_id_rule(path: str, expected: str) -> None:
    doc_id = make_doc_id(Path(path))
    assert doc_id == expected
    assert is_doc_id(doc_id)


NAMES = [
    # accents and other scripts are spelled in ASCII, one hyphen between words
    ("Résumé-café.txt", "resume-cafe"),
    (unicodedata.normalize("NFD", "Résumé-bistro.txt"), "resume-bistro"),
    ("Zoë.txt", "zoe"),
    ("Straße/Œuvre.md", "strasse-oeuvre"),
    ("Café – résumé (draft) #2.txt", "cafe-resume-draft-2"),
    ("Москва.txt", "moskva"),
    # symbols that tell names apart are words
    ("C.txt", "c"),
    ("C++.txt", "c-plus-plus"),
    ("C#.txt", "c-sharp"),
    ("AT&T.txt", "at-and-t"),
    ("AT-T.txt", "at-t"),
    ("100%.txt", "100-percent"),
    ("user@host.md", "user-at-host"),
    # ASCII names without those symbols keep the ids they always had
    ("A File.md", "a-file"),
    ("report_v2.1.md", "report_v2.1"),
    ("a - b.txt", "a---b"),
    ("1,000 words.txt", "1-000-words"),
    ("#2 (draft).txt", "2-draft"),
    ("My Report (final).pdf", "my-report-final"),
]


@pytest.mark.parametrize(("path", "expected"), NAMES, ids=[n for n, _ in NAMES])
def test_ids_spell_accents_and_symbols_in_ascii(path: str, expected: str) -> None:
    assert make_doc_id(Path(path)) == expected


@pytest.mark.parametrize("name", ["Résumé-café.txt", "Zoë.txt", "Ångström notes.md", "naïve café.html"])
def test_composed_and_decomposed_names_have_one_id(name: str) -> None:
    composed, decomposed = (unicodedata.normalize(form, name) for form in ("NFC", "NFD"))
    assert composed != decomposed
    assert make_doc_id(Path(composed)) == make_doc_id(Path(decomposed)) == normalise_doc_id(Path(name).stem)
    assert "--" not in make_doc_id(Path(decomposed))


def test_names_that_differ_by_a_symbol_are_different_documents(tmp_path: Path) -> None:
    names = ["C.txt", "C++.txt", "C#.txt", "AT&T.txt", "AT-T.txt"]
    for number, name in enumerate(names):
        (tmp_path / name).write_text(f"Article {number}\n\nA different text about {name}.\n", encoding="utf-8")
    warnings: list[str] = []
    documents = read_corpus(tmp_path, warnings.append)
    assert sorted(d.doc_id for d in documents) == ["at-and-t", "at-t", "c", "c-plus-plus", "c-sharp"]
    assert warnings == []


@pytest.mark.parametrize(
    "name", [n for n, _ in NAMES if "/" not in n] + ["../Saved Page.html", "a..b.txt", "harbour " * 40 + "end.txt"]
)
def test_an_uploaded_file_keeps_the_id_of_its_name(name: str) -> None:
    stored = safe_file_name(name)
    assert stored.isascii() and "/" not in stored and len(stored.encode()) <= 255
    assert make_doc_id(Path(stored)) == make_doc_id(Path(Path(name).name))


@pytest.mark.parametrize("value", ["news/2024/roof", "A B", "-x-", "é", "", "../..", "x" * 300, "a%2Fb"])
def test_normalised_ids_are_valid_or_empty(value: str) -> None:
    normalised = normalise_doc_id(value)
    assert normalised == "" or is_doc_id(normalised)
    assert normalise_doc_id(normalised) == normalised


LONG_NAME = "harbour-" * 25 + "reopens"  # 207 characters
LONG_ID = LONG_NAME[:128].rstrip("-")


def test_a_long_file_name_is_indexed_with_a_warning_naming_the_id_it_got(tmp_path: Path) -> None:
    (tmp_path / f"{LONG_NAME}.txt").write_text("Harbour news\n\nThe harbour reopened on Monday.\n", encoding="utf-8")
    warnings: list[str] = []
    (doc,) = read_corpus(tmp_path, warnings.append)
    assert doc.doc_id == LONG_ID and is_doc_id(doc.doc_id)
    assert warnings == [
        f"{LONG_NAME}.txt: the name is too long for a document id, so its id is cut to 128 characters: "
        f"'{LONG_ID}' (rename the file for a shorter one)"
    ]


def test_a_long_file_name_whose_front_matter_names_the_id_is_not_warned_about(tmp_path: Path) -> None:
    (tmp_path / f"{LONG_NAME}.md").write_text("---\nid: harbour\n---\nThe harbour reopened.\n", encoding="utf-8")
    warnings: list[str] = []
    assert [d.doc_id for d in read_corpus(tmp_path, warnings.append)] == ["harbour"]
    assert warnings == []


def test_a_long_front_matter_id_is_warned_about_as_too_long(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(f"---\nid: {'x' * 130}\n---\nThe harbour reopened.\n", encoding="utf-8")
    warnings: list[str] = []
    assert [d.doc_id for d in read_corpus(tmp_path, warnings.append)] == ["x" * 128]
    assert warnings == [
        f"a.md: id '{'x' * 130}' is longer than a document id may be (128 characters); using '{'x' * 128}'"
    ]


@pytest.mark.parametrize("name", ["().txt", "_.md", "—.txt"])
def test_a_corpus_file_named_without_letters_or_digits_is_document_with_a_warning(tmp_path: Path, name: str) -> None:
    """A build keeps it (`citeqa add` and uploads refuse such a name: test_collection.py)."""
    (tmp_path / name).write_text("Market news\n\nThe market moved to the square.\n", encoding="utf-8")
    warnings: list[str] = []
    assert [d.doc_id for d in read_corpus(tmp_path, warnings.append)] == ["document"]
    assert warnings == [
        f"{name}: the name has no letter or digit to make a document id of, so its id is 'document' "
        "(rename the file to choose one)"
    ]
