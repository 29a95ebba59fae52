"""The ``citeqa`` command line, run as a real subprocess."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def citeqa(
    *args: str,
    index: Path | None = None,
    cwd: Path = ROOT,
    corpus: Path | None = None,
    settings: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``citeqa ARGS`` in ``cwd``, with no ``CITEQA_*`` variable but the index (and corpus) and ``settings``
    given (no stdin)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITEQA_")} | {"HF_HUB_OFFLINE": "1"}
    env |= settings or {}
    if index is not None:
        env["CITEQA_INDEX_DIR"] = str(index)
    if corpus is not None:
        env["CITEQA_CORPUS_DIR"] = str(corpus)
    return subprocess.run(
        [sys.executable, "-m", "citeqa.service.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("command", ["build", "ask", "search", "serve"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = citeqa(command, "--help")
    assert result.returncode == 0
    assert "Example: citeqa" in result.stdout


def flags_of(command: str) -> list[str]:
    """The options of ``citeqa COMMAND`` (the top level for "") that take no value: --json, --force, --help..."""
    import click
    import typer.main

    from citeqa.service.cli import app

    group = typer.main.get_command(app)
    ctx = click.Context(group, info_name="citeqa")
    cmd = group.get_command(ctx, command) if command else group  # type: ignore[attr-defined]
    params = cmd.get_params(click.Context(cmd, parent=ctx, info_name=command))
    flags = [p for p in params if p.param_type_name == "option" and getattr(p, "is_flag", False)]
    return [opt for p in flags for opt in p.opts if opt.startswith("--")]


@pytest.mark.parametrize(
    "command", ["", "build", "add", "remove", "list", "calibrate", "eval", "ask", "search", "serve", "mcp"]
)
def test_help_shows_flags_without_a_value_type(command: str) -> None:
    """``--json``, not ``--json <bool>``: a flag takes no value, and help must not suggest one."""
    result = citeqa(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    flags = flags_of(command)
    assert "--help" in flags and "<bool>" not in result.stdout
    for flag in flags:
        assert re.search(rf"^\s+(-\w, )?{flag}\s{{2,}}[A-Z]", result.stdout, re.M), f"{flag}:\n{result.stdout}"


def test_top_level_help_summarises_every_command_in_full() -> None:
    """Each command's first docstring line fits the 80-column listing, so none is cut to "..."."""
    result = citeqa("--help")
    listing = result.stdout.split("Commands:")[1]
    assert len(re.findall(r"^  [a-z]+ +\S", listing, re.M)) >= 10
    assert "..." not in listing, listing


def test_help_does_not_import_torch() -> None:
    code = "import sys; from citeqa.service.cli import app; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_build_warns_about_an_article_not_in_english_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "port.md").write_text("The Port of Tallinn handles ferries. It opened a new terminal in 2019.\n")
    (corpus / "bibliothek.md").write_text(
        "Die Stadtbibliothek von Freiwald wurde nach zwei Jahren Umbau wieder eröffnet. Die Bürgermeisterin "
        "sagte, die Renovierung habe 3,2 Millionen Euro gekostet und die Leser könnten nun auch sonntags kommen.\n"
    )
    index = tmp_path / "index"
    built = citeqa("build", "--corpus", str(corpus), "--index", str(index))
    assert built.returncode == 0, built.stderr
    assert "warning: 1 document(s) not in English (bibliothek: German)" in built.stderr
    (corpus / "port.md").write_text("The Port of Tallinn handles ferries. It opened a terminal in 2019.\n")
    again = citeqa("build", "--corpus", str(corpus), "--index", str(index))
    assert again.returncode == 0 and "not in English" not in again.stderr  # only new or changed documents


JUNK = "".join("4.#|%&|1?7?8);%@4=@8^)-<{>[^,7,9+/10@,))>"[(i * 7) % 41] for i in range(3000))
"""3,000 digits and punctuation marks, the junk file of trial s16."""


def test_the_build_summary_counts_the_files_skipped(tmp_path: Path) -> None:
    """A museum's press release with broken front matter was skipped, and the build's last line said only "built
    14 documents": a new user missed the warning above it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "port.md").write_text("The Port of Tallinn handles ferries. It opened a new terminal in 2019.\n")
    (corpus / "broken.md").write_text("---\ntitle: Fine\nsummary: [unclosed, list\n---\nBody.\n")
    built = citeqa("build", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert built.returncode == 0, built.stderr
    assert "broken.md" in built.stderr and built.stdout.strip().endswith("1 file(s) skipped, see the warnings above")
    as_json = citeqa("build", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--json")
    assert json.loads(as_json.stdout)["skipped"] == 1


def test_build_warns_about_a_file_with_almost_no_words(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "port.md").write_text("The Port of Tallinn handles ferries. It opened a new terminal in 2019.\n")
    (corpus / "junk-ascii.md").write_text(JUNK)
    built = citeqa("build", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--json")
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["documents"] == 2  # warned about, not skipped
    assert (
        "warning: junk-ascii.md: almost no words: only 0% of its characters are letters (the rest digits, "
        "punctuation or symbols); answers are sentences, so check that this is the text you meant to index"
    ) in built.stderr
    assert "port.md" not in built.stderr


def test_build_ask_and_search(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "port.md").write_text(
        "---\ntitle: Port news\n---\nThe Port of Tallinn (PoT) handles ferries. It opened a new terminal in 2019.\n"
    )
    index = tmp_path / "index"
    built = citeqa("build", "--corpus", str(corpus), "--index", str(index), "--json")
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["chunks"] == 1
    again = citeqa("build", "--corpus", str(corpus), "--index", str(index))
    assert "up to date" in again.stdout
    answer = json.loads(citeqa("ask", "What is PoT?", "--json", index=index).stdout)
    assert answer["answerable"] and "Port of Tallinn" in answer["answer"]
    human = citeqa("ask", "What is PoT?", index=index).stdout
    assert "[1]" in human and "port" in human
    found = json.loads(citeqa("search", "terminal", "-k", "1", "--json", index=index).stdout)
    assert found["passages"][0]["doc_id"] == "port"


def test_commands_leave_no_model_cache_in_the_working_directory(tmp_path: Path) -> None:
    """The exported model goes to the user's cache, not to data/models under whatever directory a command runs in
    (a corpus directory: the next build skipped data/models/.../model.onnx with a warning)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "dock.txt").write_text("Dock news\n\nThe new dock opened in Elmford on Monday.\n")
    index = tmp_path / "index"
    built = citeqa("build", "--corpus", ".", "--index", str(index), cwd=corpus)
    assert built.returncode == 0, built.stderr
    asked = citeqa("ask", "When did the dock open?", index=index, cwd=corpus)
    assert asked.returncode == 0, asked.stderr
    assert sorted(p.name for p in corpus.iterdir()) == ["dock.txt"]
    again = citeqa("build", "--corpus", ".", "--index", str(index), cwd=corpus)
    assert "up to date: 1 documents" in again.stdout and "warning" not in again.stderr, again.stderr


def test_an_index_is_changed_from_the_corpus_it_was_built_from(tmp_path: Path) -> None:
    """`citeqa add/remove/build --index X` without --corpus work on the corpus X was built from, not on the
    working directory's corpus/ (which would drop X's documents)."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "decoy.txt").write_text("Decoy\n\nA document of the default corpus.\n")
    mine = tmp_path / "mine"
    mine.mkdir()
    for name, title in (("bakery", "Rosa's bakery opens"), ("chess", "Teenager wins chess title")):
        (mine / f"{name}.txt").write_text(f"{title}\n\nThe {name} story was reported in Elmford on Monday.\n")
    index = tmp_path / "index"
    assert citeqa("build", "--corpus", str(mine), "--index", str(index), cwd=tmp_path).returncode == 0
    harbour = tmp_path / "harbour.txt"
    harbour.write_text("Harbour reopens\n\nElmford harbour reopened after repairs costing 2 million pounds.\n")

    added = citeqa("add", str(harbour), "--index", str(index), "--json", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["total_documents"] == 3
    assert (mine / "harbour.txt").is_file() and not (tmp_path / "corpus" / "harbour.txt").exists()
    rebuilt = citeqa("build", "--index", str(index), cwd=tmp_path)
    assert "up to date: 3 documents" in rebuilt.stdout, rebuilt.stdout + rebuilt.stderr
    removed = citeqa("remove", "chess", "--index", str(index), "--json", cwd=tmp_path)
    assert json.loads(removed.stdout)["total_documents"] == 2
    assert sorted(p.name for p in (tmp_path / "corpus").iterdir()) == ["decoy.txt"]

    other = citeqa("build", "--corpus", str(tmp_path / "corpus"), "--index", str(index), cwd=tmp_path)
    assert other.returncode == 0 and "warning: the index" in other.stderr and "built 1 documents" in other.stdout
    assert citeqa("build", "--corpus", str(mine), "--index", str(index), cwd=tmp_path).returncode == 0
    mine.rename(tmp_path / "moved")
    gone = citeqa("build", "--index", str(index), cwd=tmp_path)
    assert gone.returncode == 1 and "no longer exists: pass --corpus" in gone.stderr
    assert gone.stderr.strip().count("\n") == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "anything"), "no index at"),
        (("ask", "   "), "error: question: empty or only spaces: write the question"),
        (("search", ""), "error: query: empty or only spaces: write the words to search for"),
        (("build", "--corpus", "/nonexistent-corpus"), "does not exist"),
        (("search", "x", "-k", "99"), "less than or equal to 20"),
        (("search",), "Missing argument"),
    ],
)
def test_expected_failures_exit_1_with_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = citeqa(*args, index=tmp_path / "none")
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0


@pytest.mark.parametrize("command", [("add", "x.txt"), ("remove", "x")])
@pytest.mark.parametrize(
    ("where", "shown"),
    [
        ((), "{cwd}/data/index (data/index in the working directory)"),  # the defaults: data/index, corpus/
        (("--corpus", "articles", "--index", "{cwd}/noidx"), "{cwd}/noidx"),  # a new index, its corpus missing
    ],
    ids=["defaults", "corpus-given"],
)
def test_add_or_remove_without_an_index_or_a_corpus_says_there_is_no_index(
    tmp_path: Path, command: tuple[str, ...], where: tuple[str, ...], shown: str
) -> None:
    """From a directory without corpus/, `citeqa add x.txt --index /tmp/noidx` spoke only of the missing
    corpus ("corpus directory corpus does not exist: create it and add articles") and left an empty
    /tmp/noidx behind."""
    (tmp_path / "x.txt").write_text("Harbour news\n\nThe harbour reopened on Monday.\n")
    args = [arg.format(cwd=tmp_path) for arg in where]
    corpus = args[1] if args else "corpus"
    index = args[3] if args else "data/index"
    result = citeqa(*command, *args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        f"error: no index at {shown.format(cwd=tmp_path)} and no corpus directory at {corpus}: build the index "
        f"first with `citeqa build --corpus DIR --index {index}` (DIR: the directory of your articles)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt"]


def a_project(root: Path) -> Path:
    """A working directory with a default corpus/ of two articles, a note to add and no index."""
    project = root / "project"
    (project / "corpus").mkdir(parents=True)
    (project / "corpus" / "harbour.txt").write_text("Harbour news\n\nThe Elmford harbour reopened on Monday.\n")
    (project / "corpus" / "bakery.txt").write_text("Bakery opens\n\nRosa's bakery opened in Elmford on Friday.\n")
    (project / "note.txt").write_text("Ferry note\n\nThe ferry timetable changes in October.\n")
    return project


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` with its bytes (None: a directory), to compare before and after."""
    return {p.relative_to(root).as_posix(): None if p.is_dir() else p.read_bytes() for p in sorted(root.rglob("*"))}


@pytest.mark.parametrize("command", [("add", "note.txt"), ("remove", "harbour"), ("remove", "Glossary")])
@pytest.mark.parametrize("given", ["--index", "CITEQA_INDEX_DIR"])
def test_add_or_remove_at_a_mistyped_index_refuse_and_write_nothing(
    tmp_path: Path, command: tuple[str, ...], given: str
) -> None:
    """A new user's `citeqa add FILE --index /tmp/typo-index` copied FILE into the checkout's corpus/ and built
    an index at the typo (exit 0); `citeqa remove DOC --index /tmp/typo2` deleted DOC's file from corpus/; and
    `citeqa remove Glossary --index /tmp/nonexistent-index` said "no document 'Glossary' in corpus" and left
    /tmp/nonexistent-index/.build.lock behind."""
    project = a_project(tmp_path)
    typo = tmp_path / "typo" / "index"
    before = tree(tmp_path)
    if given == "--index":
        result = citeqa(*command, "--index", str(typo), cwd=project)
    else:
        result = citeqa(*command, index=typo, cwd=project)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: no index at {typo}: check --index (or CITEQA_INDEX_DIR), build the index first with "
        f"`citeqa build --corpus DIR --index {typo}`, or pass --corpus DIR to start a new index there from the "
        "articles in DIR; nothing was changed\n"
    )
    assert tree(tmp_path) == before


def test_a_new_index_is_started_where_its_corpus_is_named_or_both_are_the_defaults(tmp_path: Path) -> None:
    """`citeqa add` starts an index that does not exist yet only when told from which corpus: --corpus (or
    CITEQA_CORPUS_DIR) with --index, or neither (corpus/ into data/index, the documented defaults)."""
    project = a_project(tmp_path)
    corpus = project / "corpus"
    typo = tmp_path / "typo-index"
    refused = citeqa("add", "note.txt", "--index", str(typo), cwd=project)
    assert refused.returncode == 1 and "no index at" in refused.stderr
    assert not typo.exists() and sorted(p.name for p in corpus.iterdir()) == ["bakery.txt", "harbour.txt"]

    started = citeqa("add", "note.txt", "--corpus", "corpus", "--index", str(typo), "--json", cwd=project)
    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout)["total_documents"] == 3 and (corpus / "note.txt").is_file()
    removed = citeqa("remove", "note", "--index", str(typo), "--json", cwd=project)  # it exists: its corpus
    assert removed.returncode == 0, removed.stderr
    assert json.loads(removed.stdout)["total_documents"] == 2 and not (corpus / "note.txt").exists()

    other = tmp_path / "other-index"
    variable = citeqa("add", "note.txt", "--index", str(other), "--json", cwd=project, corpus=corpus)
    assert variable.returncode == 0, variable.stderr
    assert json.loads(variable.stdout)["total_documents"] == 3 and (other / "CURRENT").is_file()
    (corpus / "note.txt").unlink()

    default = citeqa("add", "note.txt", "--json", cwd=project)
    assert default.returncode == 0, default.stderr
    assert json.loads(default.stdout)["total_documents"] == 3 and (project / "data" / "index" / "CURRENT").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("remove", "Glossary", "--corpus", "corpus", "--index", "{new}"), "error: no document 'Glossary' in corpus"),
        (("remove", "Glossary", "--corpus", "corpus", "--index", "{empty}"), "error: no document 'Glossary' in"),
        (("add", "blob.txt", "--corpus", "corpus", "--index", "{new}"), "error: blob.txt: looks binary (NUL bytes)"),
        (("build", "--corpus", "nothing", "--index", "{new}"), "error: nothing indexable in nothing"),
    ],
    ids=["remove-unknown", "remove-in-empty-directory", "add-binary", "build-empty-corpus"],
)
def test_a_failed_change_of_an_index_not_built_yet_leaves_no_lock_or_directory(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """A failed `citeqa remove Glossary --corpus corpus --index NEW` left NEW/.build.lock (and NEW) behind."""
    project = a_project(tmp_path)
    (project / "blob.txt").write_bytes(b"Blob\n\x00\x01")
    (project / "nothing").mkdir()
    (tmp_path / "empty-index").mkdir()
    paths = {"new": str(tmp_path / "new" / "index"), "empty": str(tmp_path / "empty-index")}
    before = tree(tmp_path)
    result = citeqa(*(arg.format(**paths) for arg in args), cwd=project)
    assert result.returncode == 1
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1, result.stderr
    assert tree(tmp_path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("build", "--corpus", "{corpus}", "--index", "{file}"),
            "error: index directory {file} is a file: give --index (or CITEQA_INDEX_DIR) a directory for the index "
            "(it is created if missing)",
        ),
        (
            ("build", "--corpus", "{corpus}", "--index", "{file}/index"),
            "error: index directory {file}/index cannot be created: {file} is a file; give --index another directory",
        ),
        (
            ("build", "--corpus", "{file}", "--index", "{index}"),
            "error: corpus directory {file} is a file: give --corpus (or CITEQA_CORPUS_DIR) the directory that holds "
            "the articles; `citeqa add FILE` copies a file into it",
        ),
        (("add", "{file}", "--corpus", "{corpus}", "--index", "{file}"), "error: index directory {file} is a file"),
        (("remove", "one", "--corpus", "{corpus}", "--index", "{file}"), "error: index directory {file} is a file"),
        (("add", "{file}", "--corpus", "{file}", "--index", "{index}"), "error: corpus directory {file} is a file"),
        # commands that read an index said "no index at ...", as if one could be built there
        *[
            (
                (*command, "--index", "{file}"),
                "error: index directory {file} is a file, not an index directory: give --index (or "
                "CITEQA_INDEX_DIR) the directory of an index (build one with `citeqa build --index DIR`)",
            )
            for command in (("ask", "Who?"), ("list",), ("serve",), ("search", "x"), ("mcp",), ("eval", "q.jsonl"))
        ],
        (
            ("ask", "Who?", "--index", "{file}/index"),
            "error: index directory {file}/index cannot exist: {file} is a file",
        ),
    ],
)
def test_a_file_where_a_directory_belongs_is_one_line_saying_what_to_give(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    paths = {"corpus": tmp_path / "corpus", "file": tmp_path / "one.md", "index": tmp_path / "index"}
    paths["corpus"].mkdir()
    paths["file"].write_text("One\n\nThe one article.\n")
    result = citeqa(*(arg.format(**paths) for arg in args))
    assert result.returncode == 1
    assert result.stderr.startswith(message.format(**paths)), result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "one.md"]


def test_a_project_moved_with_its_index_still_finds_its_corpus(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "articles").mkdir(parents=True)
    (project / "articles" / "ferry.txt").write_text("Ferry returns\n\nThe Elmford ferry returned on Monday.\n")
    built = citeqa("build", "--corpus", "articles", "--index", "data/index", cwd=project)
    assert built.returncode == 0, built.stderr
    moved = project.rename(tmp_path / "moved")
    (moved / "corpus").mkdir()  # a default corpus/ that is not the index's
    again = citeqa("build", "--index", "data/index", cwd=moved)
    assert "up to date: 1 documents" in again.stdout, again.stdout + again.stderr


def test_an_unwritable_report_directory_is_one_line(text_index: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "q1", "question": "When was the lighthouse built?", "answers": ["1861"]}\n')
    result = citeqa("eval", str(questions), "--out", "/proc/citeqa-report", index=text_index)
    assert result.returncode == 1, result.stdout
    assert "cannot write the report to /proc/citeqa-report" in result.stderr and "staging" not in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_an_abstention_shows_the_closest_passages_on_one_line_each(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bakery.txt").write_text("Rosa's bakery opens\n\nRosa Delgado opened a bakery in Elmford.\n")
    index = tmp_path / "index"
    assert citeqa("build", "--corpus", str(corpus), "--index", str(index)).returncode == 0
    result = citeqa("ask", "What is the boiling point of liquid nitrogen?", index=index)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    after = lines[next(i for i, line in enumerate(lines) if line.startswith("  reason: ")) + 1 :]
    assert after and all(line.startswith("  closest: ") for line in after), lines  # a passage's breaks folded


def test_ask_refuses_a_question_in_another_language(text_index: Path) -> None:
    result = citeqa("ask", "Quand le phare de Skerrow Point a-t-il été construit ?", index=text_index)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: the question looks like French")
    assert len(result.stderr.strip().splitlines()) == 1 and not result.stdout


def test_ask_answers_a_symbol_term_from_its_own_document(text_index: Path) -> None:
    result = citeqa("ask", "Who created the C programming language?", "--json", index=text_index)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["citations"][0]["doc_id"] == "c-language"


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["serve", "--port", "99999"],
            {},
            "invalid setting CITEQA_PORT (or --port): Input should be less than or equal",
        ),
        (["serve"], {"CITEQA_PORT": "99999"}, "invalid setting CITEQA_PORT: Input should be less than or equal"),
        (["ask", "what is NSATU?"], {"CITEQA_MAX_K": "abc"}, "invalid setting CITEQA_MAX_K: Input should be a valid"),
        (["serve", "--port", "-1"], {}, "invalid setting CITEQA_PORT (or --port): Input should be greater than"),
        (["serve"], {"CITEQA_IVF_NPROBE": "0"}, "invalid setting CITEQA_IVF_NPROBE: Input should be greater than"),
        (["ask", "what?"], {"CITEQA_HNSW_EF_SEARCH": "wide"}, "invalid setting CITEQA_HNSW_EF_SEARCH: Input should be"),
        (
            ["ask", "what?"],
            {"CITEQA_FAISS_BLAS_QUERIES": "0"},
            "invalid setting CITEQA_FAISS_BLAS_QUERIES: Input should be greater than or equal to 1 (got '0'); "
            "give a valid value, or none for the default (4)",
        ),
    ],
)
def test_a_bad_setting_is_named_on_one_line(args: list[str], env: dict[str, str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "citeqa.service.cli", *args],
        cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1", **env}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip() == result.stderr.strip().splitlines()[0]
    assert result.stderr.startswith(f"error: {message}"), result.stderr


MISSPELT = (
    "warning: CITEQA_ADMIN_KEY is not a citeqa setting and is ignored: did you mean CITEQA_ADMIN_API_KEY? "
    "(docs/configuration.md lists the settings)"
)


def test_a_misspelt_setting_is_warned_about_once_naming_the_setting(default_index: Path) -> None:
    """A new user's CITEQA_ADMIN_KEY (the setting is CITEQA_ADMIN_API_KEY) was ignored without a word."""
    misspelt = {"CITEQA_ADMIN_KEY": "k", "CITEQA_TEST_PAUSE_AT": "", "citeqa_log_level": "info"}
    listed = citeqa("list", "--json", index=default_index, settings=misspelt)
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr.splitlines() == [MISSPELT]
    assert json.loads(listed.stdout)  # a warning, never a failure; stdout stays the JSON
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        served = citeqa("serve", "--port", str(port), settings=misspelt)
    assert served.stderr.splitlines()[0] == MISSPELT and served.stderr.count("CITEQA_ADMIN_KEY") == 1


def test_serve_on_a_port_in_use_fails_on_one_line_before_loading() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = citeqa("serve", "--port", str(port))
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"error: cannot listen on 127.0.0.1:{port}: Address already in use (another process? choose --port)"
    )


@pytest.mark.parametrize(
    "args", [["mcp"], ["ask", "what is NSATU?"], ["search", "NSATU"]], ids=["mcp", "ask", "search"]
)
def test_no_index_in_the_working_directory_names_the_path_tried_and_how_to_choose_one(
    tmp_path: Path, args: list[str]
) -> None:
    """An MCP client starts ``citeqa mcp`` in a directory of its choosing: the default ``data/index`` is
    looked for there, and the one line says where that was and how to name the index instead."""
    done = citeqa(*args, cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert str(tmp_path / "data" / "index") in line, line
    assert "working directory" in line and "--index" in line and "CITEQA_INDEX_DIR" in line, line


def test_version() -> None:
    from citeqa import __version__

    result = citeqa("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"citeqa {__version__}"


def test_serve_help_points_at_the_settings() -> None:
    result = citeqa("serve", "--help")
    assert "CITEQA_" in result.stdout and "docs/configuration.md" in result.stdout


def test_an_empty_abstention_model_file_serves_the_packaged_model(default_index: Path) -> None:
    result = citeqa(
        "ask", "Who is Mark Rutte?", "--json", index=default_index, settings={"CITEQA_ABSTAIN_MODEL_FILE": ""}
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["citations"][0]["doc_id"] == "japan-nato-rutte-visit"
