from __future__ import annotations

from pathlib import Path

import pytest

from citeqa.index.corpus.markdown import parse_document
from citeqa.index.corpus.walk import make_doc_id, read_corpus
from citeqa.index.errors import CorpusError
from tests.conftest import ROOT

RAW = ROOT.parent / "shared" / "corpus" / "japan-nato-rutte-visit.raw.txt"


def test_default_corpus_keeps_the_body_verbatim_and_metadata_apart() -> None:
    (doc,) = read_corpus(ROOT / "corpus")
    raw = RAW.read_text(encoding="utf-8")
    assert doc.doc_id == "japan-nato-rutte-visit"
    assert doc.text in raw and raw.rstrip().endswith(doc.text.rstrip())
    assert doc.text.startswith("NATO Secretary General Mark Rutte, visited Japan")
    assert "Recent Features" not in doc.text and "Credit: NATO" not in doc.text
    assert doc.title == "With Rutte Visit, Japan and NATO Seek ‘Next Level’ of Cooperation"
    assert doc.metadata["publication"] == "The Diplomat"
    assert doc.metadata["section"] == "Asia Defense"
    assert doc.metadata["standfirst"].startswith("Two major themes emerged")
    assert doc.date == "2025-04"
    assert "’" in doc.text and "–" in doc.text


def test_plain_text_takes_its_first_line_as_title() -> None:
    doc = parse_document("Headline here\n\nBody text.", "x")
    assert (doc.title, doc.text) == ("Headline here", "Headline here\n\nBody text.")


def test_front_matter_fields_become_metadata() -> None:
    doc = parse_document("---\ntitle: T\nurl: https://e.org/a\nauthor: A\nid: custom\n---\nBody", "file-id")
    assert (doc.doc_id, doc.title, doc.url, doc.text, dict(doc.metadata)) == (
        "custom",
        "T",
        "https://e.org/a",
        "Body",
        {"author": "A"},
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [("business/001.txt", "business-001"), ("A File.md", "a-file"), ("x/../y z.txt", "x-..-y-z")],
)
def test_doc_ids_come_from_paths(path: str, expected: str) -> None:
    assert make_doc_id(Path(path)) == expected


def test_doc_ids_are_stable_across_reads(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("Title\n\nText one.")
    (tmp_path / "two.md").write_text("---\ntitle: Two\n---\nText two.")
    first = [d.doc_id for d in read_corpus(tmp_path)]
    assert first == [d.doc_id for d in read_corpus(tmp_path)] == ["a-one", "two"]


def test_unreadable_files_are_skipped_with_a_warning_naming_them(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Good\n\nA fine article.")
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 story\n\nText.".encode("latin-1"))
    (tmp_path / "copy.txt").write_text("Good\n\nA fine article.")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    warnings: list[str] = []
    docs = read_corpus(tmp_path, warnings.append)
    assert sorted(d.doc_id for d in docs) == ["copy", "latin1"] or sorted(d.doc_id for d in docs) == ["good", "latin1"]
    joined = "\n".join(warnings)
    for name in ("empty.txt", "binary.txt", "latin1.txt", "image.png"):
        assert name in joined
    assert "same text as" in joined


def test_symlinks_leaving_the_corpus_are_not_followed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("Secret\n\nDo not index.")
    (corpus / "ok.txt").write_text("Ok\n\nIndexed.")
    (corpus / "leak.txt").symlink_to(secret)
    warnings: list[str] = []
    docs = read_corpus(corpus, warnings.append)
    assert [d.doc_id for d in docs] == ["ok"]
    assert any("leak.txt" in w and "outside" in w for w in warnings)


def test_a_corpus_with_nothing_indexable_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(CorpusError, match="nothing indexable"):
        read_corpus(tmp_path)
    with pytest.raises(CorpusError, match="does not exist"):
        read_corpus(tmp_path / "missing")
    with pytest.raises(CorpusError, match=r"corpus directory .*empty\.txt is a file: give the directory"):
        read_corpus(tmp_path / "empty.txt")
