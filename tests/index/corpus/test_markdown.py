"""Front matter as people write it (issue 15): values stay the strings written, an unquoted colon in
a title, a `---` horizontal rule that opens a file, ids that must be fetchable; broken front matter
names its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeqa.index.corpus.markdown import parse_document
from citeqa.index.corpus.walk import read_corpus
from citeqa.index.errors import CorpusError


def front(fields: str, body: str = "The body of the article.\n") -> str:
    return f"---\n{fields}\n---\n{body}"


@pytest.mark.parametrize(
    ("fields", "attribute", "expected"),
    [
        ("id: 0755", "doc_id", "0755"),
        ("title: No", "title", "No"),
        ("title: yes", "title", "yes"),
        ("title: 1:20", "title", "1:20"),
        ("title: 1e3", "title", "1e3"),
        ("title: 0x1F", "title", "0x1F"),
        ("date: 2024-03-01", "date", "2024-03-01"),
        ("date: 2024-03-01 09:30:00", "date", "2024-03-01 09:30:00"),
        ("title: T\nurl: ~", "url", None),
        ("title: T\nurl:", "url", None),
        ("title: 'quoted: fine'", "title", "quoted: fine"),
    ],
)
def test_front_matter_values_are_the_strings_written(fields: str, attribute: str, expected: str | None) -> None:
    doc = parse_document(front(fields), "file-id", "a.md")
    assert getattr(doc, attribute) == expected


def test_other_fields_keep_their_spelling_in_metadata() -> None:
    doc = parse_document(front("title: T\nversion: 1.10\ndraft: off\ntags: [roads, 2024]"), "x", "a.md")
    assert dict(doc.metadata) == {"version": "1.10", "draft": "off", "tags": "roads, 2024"}


def test_an_unquoted_colon_in_a_title_is_the_title_meant() -> None:
    doc = parse_document(front("id: tram\ntitle: Breaking: council approves tram\nauthor: Kim"), "x", "tram.md")
    assert (doc.doc_id, doc.title, dict(doc.metadata)) == ("tram", "Breaking: council approves tram", {"author": "Kim"})
    assert doc.text == "The body of the article.\n"


def test_a_title_opening_with_a_quoted_name_is_the_title_meant() -> None:
    """A museum's press release, 'title: "Legions on the Edge" extended until 31 May 2027', was skipped."""
    doc = parse_document(
        front('title: "Legions on the Edge" extended until 31 May 2027\ndate: 2026-11-02'), "x", "a.md"
    )
    assert (doc.title, doc.date) == ('"Legions on the Edge" extended until 31 May 2027', "2026-11-02")
    with pytest.raises(CorpusError, match=r"front matter is not valid YAML"):
        parse_document(front('title: "Legions on the Edge extended\ndate: 2026-11-02'), "x", "a.md")  # never closed


def test_front_matter_that_is_still_not_yaml_names_the_file_and_line() -> None:
    with pytest.raises(CorpusError, match=r"^notes/a\.md: front matter is not valid YAML at line 3 "):
        parse_document(front("title: Fine\nsummary: [unclosed, list\nauthor: Kim"), "x", "notes/a.md")


@pytest.mark.parametrize(
    "raw",
    [
        "---\n\nA paragraph after a horizontal rule.\n\n---\n\nMore text.\n",
        "---\nJust a rule and prose, never closed.\n\nSecond paragraph.\n",
        "---\n- a list, not a mapping\n- second item\n---\nBody.\n",
        "---\nThe minutes say: the depot moves in May.\n---\nBody.\n",
    ],
)
def test_a_horizontal_rule_opening_a_file_is_not_front_matter(raw: str) -> None:
    warnings: list[str] = []
    doc = parse_document(raw, "minutes", "minutes.md", warnings.append)
    assert (doc.doc_id, doc.text, dict(doc.metadata)) == ("minutes", raw, {})
    said = "minutes.md: the --- block at the top is read as text, not front matter ('The minutes say' is no field name)"
    assert warnings == ([said] if "minutes say" in raw else [])


def test_field_names_may_hold_colons_and_dots() -> None:
    doc = parse_document(front("title: T\nog:image: https://e.org/i.png\nsource.name: Gazette"), "x", "a.md")
    assert dict(doc.metadata) == {"og:image": "https://e.org/i.png", "source.name": "Gazette"}


def test_a_file_opening_with_a_horizontal_rule_is_indexed(tmp_path: Path) -> None:
    (tmp_path / "minutes.md").write_text("---\n\nThe depot moves in May.\n\n---\n\nSigned, the clerk.\n")
    warnings: list[str] = []
    (doc,) = read_corpus(tmp_path, warnings.append)
    assert doc.doc_id == "minutes" and "depot moves in May" in doc.text
    assert warnings == []


@pytest.mark.parametrize(
    ("given", "expected", "warned"),
    [
        ("news/2024/roof", "news-2024-roof", True),
        ("Report 2024", "report-2024", True),
        ('""', "file-id", True),
        ("'  '", "file-id", True),
        ("_draft", "draft", True),
        ("roof.v2", "roof.v2", False),
    ],
)
def test_front_matter_ids_follow_the_one_id_rule(given: str, expected: str, warned: bool) -> None:
    warnings: list[str] = []
    doc = parse_document(front(f"id: {given}\ntitle: Roof"), "file-id", "roof.md", warnings.append)
    assert doc.doc_id == expected
    assert bool(warnings) is warned
    assert all(w.startswith("roof.md: id ") and repr(expected) in w for w in warnings)


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("# Corvane Air pilots strike\n\nPilots walked out.\n", "Corvane Air pilots strike"),
        ("  ### Corvane Air pilots strike ###\n", "Corvane Air pilots strike"),
        ("Corvane Air pilots strike\n=========================\n\nPilots walked out.\n", "Corvane Air pilots strike"),
        ("Corvane Air pilots strike\n---\n\nPilots walked out.\n", "Corvane Air pilots strike"),
        ("\n# *Corvane* Air pilots `strike`\n", "Corvane Air pilots strike"),
        (front("id: strike", "# Corvane Air pilots strike\n\nPilots walked out.\n"), "Corvane Air pilots strike"),
        ("#5 bus route cut\n\nThe council voted.\n", "#5 bus route cut"),
        ("    # indented code, not a heading\n", "# indented code, not a heading"),
        ("Corvane Air pilots strike\nPilots walked out.\n", "Corvane Air pilots strike"),
    ],
)
def test_a_markdown_heading_is_the_title_without_its_markers(raw: str, title: str) -> None:
    doc = parse_document(raw, "strike", "strike.md")
    body = raw.split("---\n", 2)[2] if raw.startswith("---\n") else raw
    assert (doc.title, doc.text) == (title, body)


def test_plain_text_keeps_its_first_line_as_written(tmp_path: Path) -> None:
    text, markdown = "# Pilots strike\n\nPilots walked out.\n", "# Corvane Air pilots strike\n\nPilots walked out.\n"
    (tmp_path / "notes.txt").write_text(text)
    (tmp_path / "strike.md").write_text(markdown)
    by_source = {doc.source: (doc.title, doc.text) for doc in read_corpus(tmp_path)}
    assert by_source == {"notes.txt": ("# Pilots strike", text), "strike.md": ("Corvane Air pilots strike", markdown)}
