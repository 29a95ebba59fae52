"""Hostile corpus input: empty, binary, invalid UTF-8, huge, duplicate, unsafe names and
symlinks leaving the corpus: each skipped or handled with a warning naming the file, nothing
outside the corpus read; a corpus with nothing indexable fails with a clear message."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from citeqa.index.corpus.walk import MAX_FILE_BYTES, read_corpus
from citeqa.index.errors import CorpusError
from tests.conftest import BBC_NEWS, ROOT, build_test_index

GOOD = "Harbour lights\nThe harbour lights festival draws ten thousand visitors every winter.\n"
SECRET = "TOP-SECRET-OUTSIDE-THE-CORPUS"


def read(corpus: Path) -> tuple[list[Any], list[str]]:
    warnings: list[str] = []
    return read_corpus(corpus, warnings.append), warnings


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "good.txt").write_text(GOOD)
    return root


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("noise.txt", bytes((i * 131 + 7) % 256 for i in range(4096)).replace(b"\x00", b"\x01"), "not valid UTF-8"),
        ("huge.txt", b"word " * (MAX_FILE_BYTES // 5 + 1), "over the"),
        ("zz-copy.txt", GOOD.encode(), "same text as good.txt"),
        ("photo.jpg", b"\xff\xd8\xff\xe0", "unsupported file type '.jpg' (supported: Markdown (.md, .markdown), "),
        ("bad-front-matter.md", b"---\ntitle: [unclosed\n---\nbody\n", "front matter is not valid YAML"),
    ],
)
def test_bad_files_are_skipped_with_a_warning_naming_them(
    corpus: Path, name: str, content: bytes, expected: str
) -> None:
    (corpus / name).write_bytes(content)
    documents, warnings = read(corpus)
    assert [d.doc_id for d in documents] == ["good"]
    assert any(w.startswith(name) and expected in w for w in warnings), warnings


def test_latin1_article_from_the_bbc_set_is_read_as_windows_1252_with_a_warning(corpus: Path) -> None:
    shutil.copyfile(BBC_NEWS / "sport" / "199.txt", corpus / "199.txt")  # one byte 0xA3: a pound sign
    documents, warnings = read(corpus)
    doc = next(d for d in documents if d.doc_id == "199")
    assert "a £15.8m signing" in doc.text and "\ufffd" not in doc.text
    assert any(w.startswith("199.txt: not UTF-8; read as windows-1252 (detected") for w in warnings)


def test_duplicate_ids_keep_the_first_file(corpus: Path) -> None:
    (corpus / "Good Copy.txt").write_text("Another\nA different text.\n")
    (corpus / "good-copy.txt").write_text("Third\nYet another text.\n")
    documents, warnings = read(corpus)
    assert sorted(d.doc_id for d in documents) == ["good", "good-copy"]
    assert any("already used" in w for w in warnings)


@pytest.mark.parametrize(
    "name",
    [os.fsdecode(b"bad\xffname.txt"), "line\nbreak.txt", "escape\x1b[31m.txt", "tab\there.txt"],
)
def test_unsafe_file_names_are_skipped_and_shown_escaped(corpus: Path, name: str) -> None:
    (corpus / name).write_text("Title\nSome text that would otherwise be indexed.\n")
    documents, warnings = read(corpus)
    assert [d.doc_id for d in documents] == ["good"]
    assert len(warnings) == 1 and "unsafe file name" in warnings[0]
    assert all(ch.isprintable() for ch in warnings[0])


def test_ordinary_unusual_names_are_indexed(corpus: Path) -> None:
    (corpus / "Café – résumé (draft) #2.txt").write_text("Café\nA perfectly fine article.\n")
    (corpus / "-leading-dash.txt").write_text("Dash\nAnother fine article.\n")
    documents, _ = read(corpus)
    assert {d.doc_id for d in documents} == {"good", "cafe-resume-draft-2", "leading-dash"}


def test_nothing_outside_the_corpus_is_read(corpus: Path, tmp_path: Path, embedder: Any) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"Secret\n{SECRET}\n")
    (corpus / "link.txt").symlink_to(outside / "secret.txt")
    (corpus / "linked-dir").symlink_to(outside, target_is_directory=True)
    (corpus / "relative.txt").symlink_to(Path("..") / "outside" / "secret.txt")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "inner.txt").symlink_to(Path("..") / "good.txt")  # inside: allowed, a duplicate
    documents, warnings = read(corpus)
    assert [d.doc_id for d in documents] == ["good"]
    for name in ("link.txt", "linked-dir", "relative.txt"):
        assert any(w.startswith(name) and "outside the corpus" in w for w in warnings), warnings
    root = build_test_index(corpus, tmp_path / "index", embedder)
    for path in root.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes()


def test_fifo_in_the_corpus_does_not_block(corpus: Path) -> None:
    """A FIFO and a broken link are skipped with a warning naming them (a new user's FIFO went unmentioned)."""
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "gone.txt").symlink_to(corpus / "missing.txt")
    documents, warnings = read(corpus)
    assert [d.doc_id for d in documents] == ["good"]
    assert any(w.startswith("pipe.txt: skipped, not a regular file") for w in warnings), warnings
    assert any(w.startswith("gone.txt: skipped, broken symlink") for w in warnings), warnings


def test_nothing_indexable_is_a_corpus_error(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "empty.txt").write_text("")
    with pytest.raises(CorpusError, match="nothing indexable"):
        read_corpus(root)


def test_cli_build_with_nothing_indexable_exits_1_with_one_line(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "empty.txt").write_text("")
    (root / "binary.txt").write_bytes(b"\x00\x01\x02")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "citeqa.service.cli",
            "build",
            "--corpus",
            str(root),
            "--index",
            str(tmp_path / "index"),
        ],
        cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: nothing indexable in {root}: add articles as Markdown (.md, .markdown), text (.txt, .text), "
        "HTML (.html, .htm, .xhtml) or PDF (.pdf)"
    ]
    assert "Traceback" not in result.stderr
    assert "warning: empty.txt: skipped, empty" in result.stderr
    assert not (tmp_path / "index" / "CURRENT").exists()
