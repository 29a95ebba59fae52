"""Corpus changes (index/collection.py) and the `citeqa add / remove / list` commands, on real files."""

from __future__ import annotations

import fcntl
import json
import shutil
import time
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from citeqa.index.corpus.walk import read_corpus
from citeqa.index.errors import CorpusError, DocumentConflict, DocumentNotFound, InvalidInput, UnsupportedMediaType
from citeqa.index.indexing.build import LOCK_FILE, build_index
from citeqa.index.indexing.collection import add_files, add_text, change_and_build, remove_document, safe_file_name
from citeqa.index.store.loader import load_index
from citeqa.service import wiring
from citeqa.service.cli import app
from citeqa.service.settings import Settings
from tests.article_files import ARTICLE_TITLE, article_html, report_pdf
from tests.conftest import ROOT


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", target)
    return target


def test_add_files_copies_checked_documents(corpus: Path) -> None:
    change = add_files(corpus, [("../Saved Page.html", article_html().encode()), ("report.pdf", report_pdf())])
    assert sorted(p.name for p in change.written) == ["Saved-Page.html", "report.pdf"]
    docs = {d.doc_id: d for d in read_corpus(corpus)}
    assert docs["saved-page"].title == ARTICLE_TITLE
    assert docs["report"].metadata["pages"] == "3"
    change.undo()
    assert sorted(p.name for p in corpus.iterdir()) == ["japan-nato-rutte-visit.md"]


def test_add_files_keeps_the_ids_of_accented_and_symbol_names(corpus: Path) -> None:
    files = [("Résumé-café.txt", b"Cafe\n\nOne."), ("Zoë.txt", b"Zoe\n\nTwo."), ("C++.txt", b"Cpp\n\nThree.")]
    change = add_files(corpus, files)
    assert sorted(p.name for p in change.written) == ["C-plus-plus.txt", "Resume-cafe.txt", "Zoe.txt"]
    assert sorted(d.doc_id for d in change.documents) == ["c-plus-plus", "resume-cafe", "zoe"]
    assert {"c-plus-plus", "resume-cafe", "zoe"} <= {d.doc_id for d in read_corpus(corpus)}


def test_add_text_keeps_dotted_ids_and_refuses_unsafe_ones(corpus: Path) -> None:
    add_text(corpus, "Version two of the report.", doc_id="report.v2", title="Report")
    assert "report.v2" in {d.doc_id for d in read_corpus(corpus)}
    with pytest.raises(InvalidInput, match="doc_id"):
        add_text(corpus, "text", doc_id="../escape", title="x")


def test_add_text_keeps_the_text_verbatim(corpus: Path) -> None:
    text = "---\nnot front matter\n---\nLine one.\n\nLine two: 'quoted' and dated 2024-01-01.\n"
    add_text(corpus, text, doc_id="note-1", title="A note", date="2024-01-01", metadata={"author": "Ann"})
    doc = next(d for d in read_corpus(corpus) if d.doc_id == "note-1")
    assert (doc.text, doc.title, doc.date, dict(doc.metadata)) == (text, "A note", "2024-01-01", {"author": "Ann"})


@pytest.mark.parametrize(
    ("files", "error", "message"),
    [
        ([("a.md", b"Same\n\nbody"), ("a.txt", b"Other\n\nbody")], DocumentConflict, "both be document 'a'"),
        ([("japan-nato-rutte-visit.md", b"New\n\ntext")], DocumentConflict, "already exists"),
        ([("empty.txt", b"  \n")], InvalidInput, "empty"),
        ([("bad.pdf", b"%PDF-1.4 garbage")], InvalidInput, "not a readable PDF"),
        ([("...", b"text")], InvalidInput, "no letter or digit"),
        # no id to keep: "().txt" would have been stored as txt.txt, document "txt"
        ([("().txt", b"Market\n\nThe market moved.")], InvalidInput, r"^\(\)\.txt: the file name has no letter"),
        ([(".txt", b"Market\n\nThe market moved.")], InvalidInput, r"^\.txt: the file name has no letter or digit"),
        # stored as notes.txt (a name without a suffix is read as text), named as sent
        ([("notes", b"\x00\x01\x02binary")], InvalidInput, r"^notes: looks binary \(NUL bytes\)$"),
        # a suffix no build reads is refused, named as sent
        ([("x.bin", b"\x00\x01\x02binary")], UnsupportedMediaType, r"^x\.bin: unsupported file type '\.bin'"),
    ],
)
def test_add_files_refuses_bad_or_clashing_files(
    corpus: Path, files: list[tuple[str, bytes]], error: type[Exception], message: str
) -> None:
    before = sorted(corpus.iterdir())
    with pytest.raises(error, match=message):
        add_files(corpus, files)
    assert sorted(corpus.iterdir()) == before


def test_add_files_names_every_file_it_refuses_and_adds_none(corpus: Path) -> None:
    files = [
        ("good.txt", b"Good\n\nA fine article."),
        ("notes.docx", b"PK\x03\x04 zip"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("empty.md", b" \n"),
    ]
    with pytest.raises(InvalidInput) as refused:
        add_files(corpus, files)
    assert refused.value.message == (
        "3 of the 4 files cannot be added, so none was: notes.docx: unsupported file type '.docx': add Markdown "
        "(.md, .markdown), text (.txt, .text), HTML (.html, .htm, .xhtml) or PDF (.pdf) files; "
        "image.txt: looks binary (NUL bytes); empty.md: the file is empty"
    )
    assert "skipped" not in refused.value.message
    with pytest.raises(UnsupportedMediaType, match=r"^2 of the 3 files .*a\.docx: .*b\.odt: unsupported"):
        add_files(corpus, [("a.docx", b"x"), ("b.odt", b"y"), ("good.txt", b"Good\n\nA fine article.")])
    assert sorted(p.name for p in corpus.iterdir()) == ["japan-nato-rutte-visit.md"]


def test_cli_add_refuses_a_batch_with_bad_files_on_one_line(corpus: Path, tmp_path: Path) -> None:
    for name, data in (("ok.txt", b"Ok\n\nA fine article."), ("notes.docx", b"PK"), ("blob.txt", b"\x00\x01")):
        (tmp_path / name).write_bytes(data)
    paths = [str(tmp_path / n) for n in ("ok.txt", "notes.docx", "blob.txt")]
    result = CliRunner().invoke(app, ["add", *paths, "--corpus", str(corpus), "--index", str(tmp_path / "index")])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: 2 of the 3 files cannot be added, so none was: notes.docx: unsupported file type")
    assert line.endswith("; blob.txt: looks binary (NUL bytes)") and "skipped" not in line
    assert sorted(p.name for p in corpus.iterdir()) == ["japan-nato-rutte-visit.md"]


def test_same_text_under_another_name_is_a_conflict(corpus: Path) -> None:
    (original,) = read_corpus(corpus)
    with pytest.raises(DocumentConflict, match="already in the corpus as 'japan-nato-rutte-visit'"):
        add_files(corpus, [("copy.txt", original.text.encode())])


def test_replace_and_remove(corpus: Path) -> None:
    assert add_files(corpus, [("note.txt", b"Note\n\nfirst version")]).action == "added"
    with pytest.raises(
        DocumentConflict, match=r"document 'note' already exists \(note.txt\): pass replace=True"
    ) as taken:
        add_files(corpus, [("note.txt", b"Note\n\nother version")])
    assert taken.value.doc_id == "note"
    assert "pass --replace" in taken.value.advising("pass --replace").message
    change = add_files(corpus, [("note.txt", b"Note\n\nsecond version")], replace=True)
    assert (change.action, change.replaced_ids) == ("replaced", ("note",))
    assert (corpus / "note.txt").read_bytes().endswith(b"second version")
    change.undo()
    assert (corpus / "note.txt").read_bytes().endswith(b"first version")
    assert add_files(corpus, [("note.md", b"Note\n\nthird version")], replace=True).action == "replaced"
    mixed = add_files(corpus, [("note.md", b"Note\n\nfourth"), ("new.txt", b"New\n\none")], replace=True)
    assert (mixed.action, mixed.replaced_ids) == ("added", ("note",))
    assert remove_document(corpus, "note").action == "removed"
    assert not (corpus / "note.md").exists()
    with pytest.raises(DocumentNotFound):
        remove_document(corpus, "note")


LIGHTHOUSE = "The lighthouse\n\nThe old lighthouse was painted green in May.\n"


def test_remove_takes_every_file_with_the_same_text(corpus: Path) -> None:
    (corpus / "lighthouse-copy.md").write_text(LIGHTHOUSE, encoding="utf-8")
    (corpus / "lighthouse.md").write_text(LIGHTHOUSE.replace("\n", "\r\n"), encoding="utf-8")
    (corpus / "phare.txt").write_text(unicodedata.normalize("NFD", LIGHTHOUSE), encoding="utf-8")
    change = remove_document(corpus, "lighthouse-copy")
    assert [d.doc_id for d in change.documents] == ["lighthouse-copy", "lighthouse", "phare"]
    assert change.notes == (
        "lighthouse.md: removed too, same text as lighthouse-copy.md",
        "phare.txt: removed too, same text as lighthouse-copy.md",
    )
    assert sorted(p.name for p in corpus.iterdir()) == ["japan-nato-rutte-visit.md"]
    assert [d.doc_id for d in read_corpus(corpus)] == ["japan-nato-rutte-visit"]
    change.undo()
    assert sorted(p.name for p in corpus.iterdir())[1:] == ["lighthouse-copy.md", "lighthouse.md", "phare.txt"]


def test_remove_refuses_when_a_skipped_file_would_take_the_id_back(corpus: Path) -> None:
    (corpus / "note.md").write_text("---\nid: note\n---\nThe first note.\n", encoding="utf-8")
    (corpus / "note.txt").write_text("Note\n\nA different note with the same id.\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    with pytest.raises(
        DocumentConflict, match=r"cannot remove 'note' \(note.md\): note.txt, skipped so far because its id"
    ):
        remove_document(corpus, "note")
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == before


def test_cli_remove_reports_what_the_index_then_holds(corpus: Path, tmp_path: Path) -> None:
    (corpus / "lighthouse-copy.md").write_text(LIGHTHOUSE, encoding="utf-8")
    (corpus / "lighthouse.md").write_text(LIGHTHOUSE, encoding="utf-8")
    index = tmp_path / "index"
    where = ["--corpus", str(corpus), "--index", str(index)]
    assert CliRunner().invoke(app, ["build", *where]).exit_code == 0
    result = CliRunner().invoke(app, ["remove", "lighthouse-copy", *where])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["warning: lighthouse.md: removed too, same text as lighthouse-copy.md"]
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "removed lighthouse-copy: The lighthouse (lighthouse-copy.md)",
        "removed lighthouse: The lighthouse (lighthouse.md)",
    ]
    assert lines[2].startswith("index now has 1 documents")
    assert set(load_index(index).documents) == {"japan-nato-rutte-visit"}


def test_change_and_build_is_incremental_and_undone_on_failure(corpus: Path, tmp_path: Path, embedder: Any) -> None:
    root = tmp_path / "index"
    params = wiring.build_params(Settings())
    change_and_build(lambda: add_files(corpus, []), corpus, root, embedder, params)
    first = load_index(root)
    _, report = change_and_build(
        lambda: add_files(corpus, [("report.pdf", report_pdf())]), corpus, root, embedder, params
    )
    assert report.documents == 2
    assert report.reused == first.manifest.chunk_count
    assert report.embedded == report.chunks - report.reused > 0
    remove_document(corpus, "report")
    with pytest.raises(CorpusError, match="nothing indexable"):
        change_and_build(lambda: remove_document(corpus, "japan-nato-rutte-visit"), corpus, root, embedder, params)
    assert (corpus / "japan-nato-rutte-visit.md").exists()
    assert set(load_index(root).documents) == {"japan-nato-rutte-visit", "report"}


def test_cli_add_of_a_long_file_name_warns_naming_the_id_it_got(corpus: Path, tmp_path: Path) -> None:
    name = "harbour-" * 25 + "reopens.txt"  # an id of 128 characters at most: cut, and said so
    doc_id = name[:128].rstrip("-")
    (tmp_path / name).write_text("Harbour news\n\nThe harbour reopened on Monday.\n", encoding="utf-8")
    where = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    result = CliRunner().invoke(app, ["add", str(tmp_path / name), *where])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning: {name}: the name is too long for a document id, so its id is cut to 128 characters: "
        f"'{doc_id}' (rename the file for a shorter one)"
    ]  # and not also "1 corpus file(s) skipped or read with problems" about the same file
    assert f"added {doc_id}: Harbour news ({name})" in result.stdout
    again = CliRunner().invoke(app, ["build", *where, "--force"])
    assert f"warning: {name}: the name is too long for a document id" in again.stderr


NAMELESS = "().txt: the file name has no letter or digit to make a document id of: rename the file"


def test_cli_add_refuses_a_name_without_letters_or_digits_as_the_upload_does(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "().txt").write_text("Market news\n\nThe market moved to the square.\n", encoding="utf-8")
    where = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    result = CliRunner().invoke(app, ["add", str(tmp_path / "().txt"), *where])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: {NAMELESS}"]  # POST /v1/documents: 422 with this message
    assert sorted(p.name for p in corpus.iterdir()) == ["japan-nato-rutte-visit.md"]


def test_safe_file_name() -> None:
    assert safe_file_name("C:\\Users\\me\\My Report (final).pdf") == "My-Report-final-.pdf"


def test_cli_add_list_remove(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    index = tmp_path / "index"
    page = tmp_path / "tidal.html"
    page.write_text(article_html(), encoding="utf-8")
    report = tmp_path / "report.pdf"
    report.write_bytes(report_pdf())
    where = ["--corpus", str(corpus), "--index", str(index)]

    result = runner.invoke(app, ["add", str(page), str(report), *where, "--json"])
    assert result.exit_code == 0, result.output
    added = json.loads(result.stdout)
    assert {d["doc_id"] for d in added["documents"]} == {"tidal", "report"}
    assert added["total_documents"] == 3

    listed = json.loads(runner.invoke(app, ["list", "--index", str(index), "--json"]).stdout)
    formats = {d["doc_id"]: d["format"] for d in listed["documents"]}
    assert formats == {"japan-nato-rutte-visit": "markdown", "tidal": "html", "report": "pdf"}

    asked = runner.invoke(app, ["ask", "How large was the dividend each member received?", "--index", str(index)])
    assert "(report, characters" in asked.stdout
    assert ", page 3)" in asked.stdout

    result = runner.invoke(app, ["remove", "tidal", *where])
    assert result.exit_code == 0, result.output
    assert "removed tidal" in result.stdout
    text = runner.invoke(app, ["list", "--index", str(index)]).stdout
    assert "tidal" not in text
    assert "2 documents" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "/nonexistent/file.pdf"], "error: /nonexistent/file.pdf: no such file or directory"),
        (["remove", "no-such-doc"], "error: no document 'no-such-doc'"),
        (["list"], "error: no index at"),
    ],
)
def test_cli_expected_failures_are_one_line(corpus: Path, tmp_path: Path, args: list[str], message: str) -> None:
    # an index of its own: a default data/index left by `make serve` would add a line about its corpus
    where = ["--index", str(tmp_path / "none")] + (["--corpus", str(corpus)] if args[0] != "list" else [])
    result = CliRunner().invoke(app, [*args, *where])
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["add", "remove", "list"])
def test_document_commands_have_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert f"Example: citeqa {command}" in result.stdout


@contextmanager
def build_lock_held_elsewhere(root: Path) -> Iterator[None]:
    """The build lock of ``root`` held as another process's build would hold it (its own open file)."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK_FILE).open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


NOTE_MD = b"---\nid: late-note\ntitle: Late note\n---\nThe ferry timetable changes in October.\n"


def test_a_second_add_waits_for_the_running_build_then_runs(corpus: Path, tmp_path: Path, embedder: Any) -> None:
    root = tmp_path / "index"
    params = wiring.build_params(Settings())
    build_index(corpus, root, embedder, params)
    waits: list[str] = []
    with ThreadPoolExecutor(1) as pool:
        with build_lock_held_elsewhere(root):
            add = pool.submit(
                change_and_build,
                lambda: add_files(corpus, [("late.md", NOTE_MD)]),
                corpus,
                root,
                embedder,
                params,
                lock_wait=120,
                on_wait=waits.append,
            )
            time.sleep(0.5)
            assert not add.done()
            assert not (corpus / "late.md").exists()  # nothing is touched while it waits
        done, report = add.result(timeout=300)
    assert [d.doc_id for d in done.documents] == ["late-note"]
    assert report.embedded >= 1
    assert "late-note" in load_index(root).documents
    assert waits == [f"another build is running on {root}: waiting up to 120s for it to finish"]


def test_an_add_refused_by_a_running_build_is_never_published(corpus: Path, tmp_path: Path, embedder: Any) -> None:
    root = tmp_path / "index"
    params = wiring.build_params(Settings())
    build_index(corpus, root, embedder, params)
    with ThreadPoolExecutor(1) as pool:
        with build_lock_held_elsewhere(root):
            rebuild = pool.submit(build_index, corpus, root, embedder, params, force=True)
            gave_up = r"another build of this index is running and did not finish within 0\.3s"
            with pytest.raises(CorpusError, match=gave_up):
                change_and_build(
                    lambda: add_files(corpus, [("late.md", NOTE_MD)]), corpus, root, embedder, params, lock_wait=0.3
                )
            assert not (corpus / "late.md").exists()
        report = rebuild.result(timeout=300)
    assert not report.up_to_date
    assert set(load_index(root).documents) == {"japan-nato-rutte-visit"}


@pytest.mark.parametrize(
    "variant",
    [
        lambda text: text.replace("\n", "\r\n"),
        lambda text: text.rstrip("\n"),
        lambda text: text + "\n\n",
        lambda text: text.replace(".\n", ".  \n"),
    ],
    ids=["crlf", "no-final-newline", "extra-newlines", "trailing-spaces"],
)
def test_add_refuses_a_near_duplicate_of_a_corpus_document(corpus: Path, variant: Callable[[str], str]) -> None:
    body = next(d.text for d in read_corpus(corpus))
    with pytest.raises(DocumentConflict, match="already in the corpus as 'japan-nato-rutte-visit'"):
        add_files(corpus, [("copy.txt", variant(body).encode())])
    with pytest.raises(DocumentConflict, match="already in the corpus as 'one'"):
        add_files(corpus, [("one.txt", b"Same note\nbody\n"), ("two.txt", b"Same note\r\nbody")])
    assert sorted(p.name for p in corpus.iterdir()) == ["japan-nato-rutte-visit.md"]


def test_add_reports_a_normalised_front_matter_id(corpus: Path) -> None:
    change = add_files(corpus, [("roof.md", b"---\nid: news/2024/roof\ntitle: Roof\n---\nThe roof is fixed.\n")])
    assert [d.doc_id for d in change.documents] == ["news-2024-roof"]
    assert change.notes == (
        "roof.md: id 'news/2024/roof' is not a valid document id (lowercase letters, digits, '.', '_', '-'); "
        "using 'news-2024-roof'",
    )


@pytest.mark.parametrize(
    ("poll", "said"),
    [
        ("2", "a running service on this index loads it by itself within 2s (CITEQA_RELOAD_POLL_SECONDS)"),
        ("0", "CITEQA_RELOAD_POLL_SECONDS is 0: a running service loads it on SIGHUP or `POST /v1/admin/reload`"),
    ],
)
def test_add_and_remove_say_how_a_running_service_picks_the_change_up(
    corpus: Path, tmp_path: Path, poll: str, said: str
) -> None:
    note = tmp_path / "note.md"
    note.write_bytes(NOTE_MD)
    where = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    env = {"CITEQA_RELOAD_POLL_SECONDS": poll}
    added = CliRunner().invoke(app, ["add", str(note), *where], env=env)
    removed = CliRunner().invoke(app, ["remove", "late-note", *where], env=env)
    for result in (added, removed):
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[-1] == said


def test_cli_add_waits_for_a_running_build_or_gives_up_changing_nothing(corpus: Path, tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_bytes(NOTE_MD)
    index = tmp_path / "index"
    where = ["--corpus", str(corpus), "--index", str(index)]
    index.mkdir()
    running_build = (index / LOCK_FILE).open("w")  # another process's build holds the lock
    fcntl.flock(running_build, fcntl.LOCK_EX)
    pool = ThreadPoolExecutor(1)
    try:
        refused = CliRunner().invoke(app, ["add", str(note), *where, "--wait", "0.5"])
        assert refused.exit_code == 1
        assert refused.stderr.splitlines() == [
            f"another build is running on {index}: waiting up to 0.5s for it to finish ...",
            "error: another build of this index is running and did not finish within 0.5s: try again when it is done",
        ]
        assert not (corpus / "note.md").exists()
        waiting = pool.submit(CliRunner().invoke, app, ["add", str(note), *where, "--wait", "120"])
        time.sleep(1.0)
        assert not waiting.done()
        assert not (corpus / "note.md").exists()
    finally:
        running_build.close()  # the build finishes: its lock is released
        pool.shutdown(wait=False)
    result = waiting.result(timeout=300)
    assert result.exit_code == 0, result.output
    assert "added late-note: Late note (note.md)" in result.stdout
    assert "late-note" in load_index(index).documents


def test_cli_add_names_its_flag_and_says_replaced(corpus: Path, tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_bytes(NOTE_MD)
    where = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    assert "added late-note: Late note (note.md)" in CliRunner().invoke(app, ["add", str(note), *where]).stdout
    refused = CliRunner().invoke(app, ["add", str(note), *where])
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "error: document 'late-note' already exists (note.md): pass --replace to update it"
    ]
    replaced = CliRunner().invoke(app, ["add", str(note), "--replace", *where])
    assert replaced.exit_code == 0, replaced.output
    assert replaced.stdout.startswith("replaced late-note: Late note (note.md)")
    again = CliRunner().invoke(app, ["add", str(note), "--replace", *where, "--json"])
    summary = json.loads(again.stdout)
    assert summary["action"] == "replaced" and summary["documents"][0]["action"] == "replaced"
    missing = CliRunner().invoke(app, ["remove", "no-such-doc", *where])
    assert missing.stderr.strip() == f"error: no document 'no-such-doc' in {corpus}: list them with `citeqa list`"


def test_removing_a_name_instead_of_its_id_says_the_id(corpus: Path) -> None:
    """A new user ran `citeqa remove "Résumé café"`: the id is spelled in ASCII, and the message says it."""
    add_files(corpus, [("Résumé café.txt", b"Menu\n\nCroissants every morning at seven.")])
    with pytest.raises(DocumentNotFound, match=r"no document 'Résumé café' \(its id is 'resume-cafe'\)"):
        remove_document(corpus, "Résumé café")
    with pytest.raises(DocumentNotFound, match=r"no document 'nothing-here' in "):
        remove_document(corpus, "nothing-here")
    remove_document(corpus, "resume-cafe")
