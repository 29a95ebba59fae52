"""Question sets: JSONL, CSV and BEIR folders, and clear errors naming the line and the field."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from citeqa.index.errors import InvalidInput
from citeqa.index.evaluation.question_sets import load_beir, load_question_set
from citeqa.service.cli import app
from tests.conftest import SEED_DEV, SHARED

BBC_BEIR = SHARED / "datasets" / "bbc-news-beir"


def test_reads_the_seed_set() -> None:
    qset = load_question_set(SEED_DEV)
    assert len(qset.questions) == 20
    first = qset.questions[0]
    assert (first.id, first.answerable) == ("d01", True)
    assert first.answers == ("NATO Security Assistance and Training for Ukraine",)
    assert [q.id for q in qset.questions if not q.answerable] == ["n01", "n02", "n03", "n04"]


def test_csv_with_the_same_columns(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "id,question,answers,evidence,answerable,doc_id\n"
        'a,What is NSATU?,"[""NATO Security Assistance"", ""NSATU""]",the NSATU command,true,japan-nato-rutte-visit\n'
        "b,Who painted the Mona Lisa?,,,false,\n"
        "c,Who?,Rutte | Mark Rutte,,,\n",
        encoding="utf-8",
    )
    qs = load_question_set(path).questions
    assert qs[0].answers == ("NATO Security Assistance", "NSATU")
    assert qs[0].relevant == {"japan-nato-rutte-visit": 1.0}
    assert (qs[1].answerable, qs[1].evidence, qs[1].answers) == (False, None, ())
    assert qs[2].answers == ("Rutte", "Mark Rutte") and qs[2].answerable


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("q.jsonl", '{"question": "ok"}\n{"question": "x", "answers": "Rutte"}\n', "line 2: field 'answers'"),
        ("q.jsonl", '{"question": "ok"}\n\n{"question": ""}\n', "line 3: field 'question'"),
        ("q.jsonl", '{"question": "ok"}\n{"question": "a", "answerable": "no"}\n', "line 2: field 'answerable'"),
        ("q.jsonl", '{"question": "ok", "evidence": 3}\n', "line 1: field 'evidence'"),
        ("q.jsonl", '{"question": "ok", "doc_id": 7}\n', "line 1: field 'doc_id'"),
        ("q.jsonl", '{"question": "ok"}\n{"question": "a",\n', "line 2: not valid JSON"),
        (
            "q.jsonl",
            '{"question": "What is NSATU?}\n',
            "line 1: not valid JSON (Unterminated string starting at column 14)",
        ),
        ("q.jsonl", '{"question": "What\u0001"}\n', "line 1: not valid JSON (Invalid control character at column 19)"),
        ("q.jsonl", '["question"]\n', "line 1: expected a JSON object"),
        ("q.jsonl", '{"question": "' + "x" * 1001 + '"}\n', "line 1: field 'question' is longer than 1000"),
        ("q.jsonl", '{"id": "a", "question": "x"}\n{"id": "a", "question": "y"}\n', "question id 'a' appears twice"),
        ("q.jsonl", "", "holds no questions"),
        ("q.jsonl", '{"question": "ok", "answr": ["x"]}\n', "line 1: unknown field 'answr': did you mean 'answers'"),
        ("q.jsonl", '{"question": "ok", "doc-id": "a"}\n', "unknown field 'doc-id': did you mean 'doc_id'"),
        ("q.jsonl", '{"question": "ok", "answerable": false, "answers": ["x"]}\n', "unanswerable question"),
        ("q.csv", "question,answerable\nok,true\nbad,maybe\n", "line 3: field 'answerable'"),
        ("q.csv", "prompt,answers\nx,y\n", "line 1: header must name a 'question' column"),
        ("q.csv", 'question,answers\nx,"[not json"\n', "line 2: field 'answers' is not a valid JSON list"),
    ],
)
def test_bad_files_name_line_and_field(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=re.escape(message)) as err:
        load_question_set(path)
    assert str(path) in err.value.message


def test_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_bytes(b'{"question": "caf\xe9"}\n')
    with pytest.raises(InvalidInput, match="not valid UTF-8"):
        load_question_set(path)


def write_beir(folder: Path, qrels: str = "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\nq3\td3\t2\n") -> Path:
    (folder / "qrels").mkdir(parents=True)
    docs = [{"_id": f"d{i}", "title": "", "text": f"Body of document {i}."} for i in (1, 2, 3)]
    (folder / "corpus.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    queries = [{"_id": f"q{i}", "text": f"headline {i}"} for i in (1, 2, 3)]
    (folder / "queries.jsonl").write_text("".join(json.dumps(q) + "\n" for q in queries))
    (folder / "qrels" / "test.tsv").write_text(qrels)
    return folder


def test_beir_folder_and_slice(tmp_path: Path) -> None:
    folder = write_beir(tmp_path / "set")
    full = load_beir(folder)
    assert [q.id for q in full.questions] == ["q1", "q2", "q3"]
    assert full.questions[2].relevant == {"d3": 2.0}
    sliced = load_question_set(folder, slice_docs=2)
    assert [d.doc_id for d in sliced.documents] == ["d1", "d2"]
    assert [q.id for q in sliced.questions] == ["q1", "q2"]


@pytest.mark.parametrize(
    ("qrels", "message"),
    [
        ("query-id\tcorpus-id\tscore\nq1\td1\n", r"test.tsv line 2: expected 3 tab-separated fields"),
        ("q1\td1\tmuch\n", r"test.tsv line 1: field 'score' must be a number"),
        ("q9\td1\t1\n", r"query 'q9' is not in queries.jsonl"),
    ],
)
def test_bad_beir_qrels(tmp_path: Path, qrels: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        load_beir(write_beir(tmp_path / "set", qrels))


def test_bbc_beir_slice_keeps_queries_of_kept_documents() -> None:
    qset = load_question_set(BBC_BEIR, slice_docs=300)
    assert len(qset.documents) == 300
    assert len(qset.questions) == 300
    kept = {d.doc_id for d in qset.documents}
    assert all(set(q.relevant) <= kept for q in qset.questions)


def test_cli_bad_file_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "fine"}\n{"question": "x", "answers": [1]}\n')
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["eval", str(path), "--out", str(out)])
    assert result.exit_code == 1
    expected = f"error: {path} line 2: field 'answers' must be a list of non-empty strings"
    assert result.output.strip().splitlines() == [expected]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]


def test_the_set_s_own_fields_are_kept_as_text(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    rows = [
        {"question": "What is NSATU?", "style": "definition", "level": 2, "checked": True, "tags": ["x"]},
        {"question": "Who is Rutte?"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    first, second = load_question_set(path).questions
    assert first.extra == {"style": "definition", "level": "2", "checked": "true"}  # a list is no text
    assert second.extra == {}
