"""Question sets for evaluation: JSON Lines, CSV with the same columns, and BEIR folders.

JSONL and CSV rows have ``question`` (required) and optionally ``id``, ``answers``
(acceptable answer strings), ``evidence`` (a verbatim supporting fragment), ``answerable``
(default true) and ``doc_id`` (the relevant document id, or a list of them). A BEIR folder has
``corpus.jsonl`` (``_id``, ``title``, ``text``), ``queries.jsonl`` (``_id``, ``text``) and
``qrels/<split>.tsv`` (``query-id``, ``corpus-id``, ``score``). A malformed file raises
``QuestionSetError`` naming the file, the line and the field; so does a field spelled nearly like
one of these ("answr"), and an unanswerable question with answers. Other fields with a text, number or
true/false value ("style", "notes") are the set's own: kept as text in ``Question.extra`` (``citeqa eval
--by style`` counts verdicts by one of them).
"""

from __future__ import annotations

import csv
import difflib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citeqa.index.domain import Document
from citeqa.index.errors import QuestionSetError
from citeqa.index.limits import MAX_QUESTION_CHARS

_TRUE = {"true", "1", "yes", "y", ""}
_FALSE = {"false", "0", "no", "n"}


@dataclass(frozen=True)
class Question:
    """One labelled question. ``relevant`` maps relevant document ids to their gain (empty: unknown)."""

    id: str
    question: str
    answers: tuple[str, ...] = ()
    evidence: str | None = None
    answerable: bool = True
    relevant: Mapping[str, float] = field(default_factory=dict)
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def doc_id(self) -> str | None:
        """The first relevant document (the article a labelled question names), or None."""
        return next(iter(self.relevant), None)

    def field(self, name: str) -> str | None:
        """The question's value of field ``name`` as text, for grouping (``citeqa eval --by``): one of the
        set's own fields (``extra``), or ``answerable`` ("true"/"false") or ``doc_id``; None when it has none."""
        if name in self.extra:
            return self.extra[name]
        if name == "answerable":
            return "true" if self.answerable else "false"
        if name == "doc_id":
            return self.doc_id
        return None


@dataclass(frozen=True)
class QuestionSet:
    """Questions and, for a BEIR folder, the documents of its corpus."""

    name: str
    kind: str
    questions: tuple[Question, ...]
    documents: tuple[Document, ...] = ()


def load_question_set(path: Path, split: str = "test", slice_docs: int | None = None) -> QuestionSet:
    """Read ``path`` as a BEIR folder (a directory), CSV (``.csv``) or JSON Lines (anything else)."""
    if path.is_dir():
        return load_beir(path, split, slice_docs)
    if not path.is_file():
        raise QuestionSetError(f"{path}: no such question file or BEIR folder")
    if slice_docs is not None:
        raise QuestionSetError(f"{path}: --slice applies only to BEIR folders")
    rows = _csv_rows(path) if path.suffix.lower() == ".csv" else _jsonl_rows(path)
    questions = tuple(_question(path, line, row) for line, row in rows)
    if not questions:
        raise QuestionSetError(f"{path}: holds no questions")
    _check_unique(path, questions)
    return QuestionSet(path.name, "csv" if path.suffix.lower() == ".csv" else "jsonl", questions)


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, raw in enumerate(_lines(path), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw.rstrip("\r\n"))  # an unclosed string then says so, not "Invalid control character"
        except json.JSONDecodeError as exc:
            problem = exc.msg.removesuffix(" at")  # "Unterminated string starting at": the column follows
            raise QuestionSetError(f"{path} line {line}: not valid JSON ({problem} at column {exc.colno})") from None
        if not isinstance(row, dict):
            raise QuestionSetError(f"{path} line {line}: expected a JSON object with a 'question' field")
        yield line, row


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        try:
            reader = csv.DictReader(fh)
            if reader.fieldnames is None or "question" not in reader.fieldnames:
                raise QuestionSetError(f"{path} line 1: header must name a 'question' column")
            for row in reader:
                if None in row:
                    raise QuestionSetError(f"{path} line {reader.line_num}: more cells than header columns")
                if not any((v or "").strip() for v in row.values()):
                    continue
                yield reader.line_num, {k: _csv_value(path, reader.line_num, k, v) for k, v in row.items()}
        except (csv.Error, UnicodeDecodeError) as exc:
            raise QuestionSetError(f"{path}: not readable as UTF-8 CSV ({exc})") from None


def _csv_value(path: Path, line: int, key: str, value: str | None) -> Any:
    text = (value or "").strip()
    if key in ("answers", "doc_id"):
        if text.startswith("["):
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                raise QuestionSetError(f"{path} line {line}: field '{key}' is not a valid JSON list") from None
        parts = [p.strip() for p in text.split("|") if p.strip()]
        return parts if key == "answers" else (parts[0] if len(parts) == 1 else parts or None)
    if key == "answerable":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise QuestionSetError(f"{path} line {line}: field 'answerable' must be true or false, not {text!r}")
    if key == "evidence":
        return text or None
    return text


def _lines(path: Path) -> Iterator[str]:
    try:
        with path.open(encoding="utf-8-sig") as fh:
            yield from fh
    except UnicodeDecodeError as exc:
        raise QuestionSetError(f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None


FIELDS = ("question", "id", "answers", "evidence", "answerable", "doc_id")


def _question(path: Path, line: int, row: dict[str, Any]) -> Question:
    where = f"{path} line {line}"
    for key in row:
        # other fields ("style", "notes") are the set's own; one spelled like ours is a typo
        near = difflib.get_close_matches(str(key), FIELDS, n=1, cutoff=0.75)
        if key not in FIELDS and near:
            raise QuestionSetError(f"{where}: unknown field {key!r}: did you mean {near[0]!r}?")
    text = row.get("question")
    if not isinstance(text, str) or not text.strip():
        raise QuestionSetError(f"{where}: field 'question' must be a non-empty string")
    if len(text.strip()) > MAX_QUESTION_CHARS:
        raise QuestionSetError(f"{where}: field 'question' is longer than {MAX_QUESTION_CHARS} characters")
    answers = row.get("answers") or []
    if not isinstance(answers, list) or not all(isinstance(a, str) and a.strip() for a in answers):
        raise QuestionSetError(f"{where}: field 'answers' must be a list of non-empty strings")
    evidence = row.get("evidence")
    if evidence is not None and (not isinstance(evidence, str) or not evidence.strip()):
        raise QuestionSetError(f"{where}: field 'evidence' must be a non-empty string or null")
    answerable = row.get("answerable", True)
    if not isinstance(answerable, bool):
        raise QuestionSetError(f"{where}: field 'answerable' must be true or false")
    if not answerable and answers:
        raise QuestionSetError(
            f"{where}: an unanswerable question ('answerable': false) must have no 'answers': "
            "remove them or drop 'answerable'"
        )
    doc_ids = row.get("doc_id")
    doc_ids = [doc_ids] if isinstance(doc_ids, str) else doc_ids
    if doc_ids is not None and (not isinstance(doc_ids, list) or not all(isinstance(d, str) for d in doc_ids)):
        raise QuestionSetError(f"{where}: field 'doc_id' must be a document id, a list of them, or null")
    qid = row.get("id") or f"line-{line}"
    if not isinstance(qid, str | int):
        raise QuestionSetError(f"{where}: field 'id' must be a string")
    return Question(
        id=str(qid),
        question=text.strip(),
        answers=tuple(answers),
        evidence=evidence,
        answerable=answerable,
        relevant=dict.fromkeys(doc_ids or [], 1.0),
        extra={str(k): _text(v) for k, v in row.items() if k not in FIELDS and isinstance(v, str | int | float | bool)},
    )


def _text(value: str | int | float | bool) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value).strip()


def _check_unique(path: Path, questions: tuple[Question, ...]) -> None:
    seen: set[str] = set()
    for q in questions:
        if q.id in seen:
            raise QuestionSetError(f"{path}: question id {q.id!r} appears twice: ids must be unique")
        seen.add(q.id)


def load_beir(folder: Path, split: str = "test", slice_docs: int | None = None) -> QuestionSet:
    """A BEIR folder; with ``slice_docs``, its first N documents and the queries answered within them."""
    documents = _beir_corpus(folder / "corpus.jsonl", slice_docs)
    queries = _beir_queries(folder / "queries.jsonl")
    qrels = _beir_qrels(folder / "qrels" / f"{split}.tsv")
    kept = {d.doc_id for d in documents}
    questions = []
    for qid, relevant in qrels.items():
        if qid not in queries:
            raise QuestionSetError(f"{folder}/qrels/{split}.tsv: query {qid!r} is not in queries.jsonl")
        if slice_docs is not None and not set(relevant) <= kept:
            continue
        questions.append(Question(id=qid, question=queries[qid], relevant=relevant))
    if not questions:
        raise QuestionSetError(f"{folder}: no query has its relevant documents in the corpus")
    name = folder.name + (f" (first {slice_docs} documents)" if slice_docs else "")
    return QuestionSet(name, "beir", tuple(questions), tuple(documents))


def _beir_corpus(path: Path, slice_docs: int | None) -> list[Document]:
    if not path.is_file():
        raise QuestionSetError(f"{path}: missing; a BEIR folder needs corpus.jsonl, queries.jsonl and qrels/")
    documents: list[Document] = []
    for line, row in _jsonl_rows(path):
        if slice_docs is not None and len(documents) >= slice_docs:
            break
        doc_id, text, title = row.get("_id"), row.get("text"), row.get("title", "")
        if not isinstance(doc_id, str) or not doc_id:
            raise QuestionSetError(f"{path} line {line}: field '_id' must be a non-empty string")
        if not isinstance(text, str) or not text.strip():
            raise QuestionSetError(f"{path} line {line}: field 'text' must be a non-empty string")
        if not isinstance(title, str):
            raise QuestionSetError(f"{path} line {line}: field 'title' must be a string")
        documents.append(Document(doc_id=doc_id, title=title, text=text, source=f"corpus.jsonl:{line}"))
    return documents


def _beir_queries(path: Path) -> dict[str, str]:
    if not path.is_file():
        raise QuestionSetError(f"{path}: missing; a BEIR folder needs corpus.jsonl, queries.jsonl and qrels/")
    queries: dict[str, str] = {}
    for line, row in _jsonl_rows(path):
        qid, text = row.get("_id"), row.get("text")
        if not isinstance(qid, str) or not qid:
            raise QuestionSetError(f"{path} line {line}: field '_id' must be a non-empty string")
        if not isinstance(text, str) or not text.strip() or len(text.strip()) > MAX_QUESTION_CHARS:
            raise QuestionSetError(f"{path} line {line}: field 'text' must be 1 to {MAX_QUESTION_CHARS} characters")
        queries[qid] = text.strip()
    return queries


def _beir_qrels(path: Path) -> dict[str, dict[str, float]]:
    if not path.is_file():
        raise QuestionSetError(f"{path}: missing; name the split with --split (qrels/<split>.tsv)")
    qrels: dict[str, dict[str, float]] = {}
    for line, raw in enumerate(_lines(path), start=1):
        cells = raw.rstrip("\r\n").split("\t")
        if not raw.strip() or (line == 1 and cells[0] == "query-id"):
            continue
        if len(cells) != 3:
            raise QuestionSetError(f"{path} line {line}: expected 3 tab-separated fields: query-id, corpus-id, score")
        try:
            score = float(cells[2])
        except ValueError:
            raise QuestionSetError(f"{path} line {line}: field 'score' must be a number, not {cells[2]!r}") from None
        if score > 0:
            qrels.setdefault(cells[0], {})[cells[1]] = score
    return qrels
