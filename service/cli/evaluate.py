"""The body of ``citeqa eval``: choose a runner, evaluate, write the report, compare with a baseline."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from citeqa.index.errors import InvalidInput
from citeqa.index.evaluation.question_sets import QuestionSet, load_question_set
from citeqa.index.evaluation.report import (
    NO_ANSWERS_VERDICT,
    check_destination,
    read_report_figures,
    reported_figures,
    write_report,
)
from citeqa.index.evaluation.runner import (
    Difference,
    EvalResult,
    InProcessRunner,
    Runner,
    UnknownDocuments,
    compare,
    evaluate,
)
from citeqa.service import wiring
from citeqa.service.settings import Settings

PhaseProgress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class EvalOptions:
    """What ``citeqa eval`` was asked to do."""

    questions: Path
    out: Path
    k: int = 10
    url: str | None = None
    baseline: Path | None = None
    tolerance: float = 0.02
    tolerances: dict[str, float] = field(default_factory=dict)
    build: bool = False
    slice_docs: int | None = None
    split: str = "test"
    batch_size: int = 32
    retrieval_only: bool = False
    by: str | None = None


@dataclass(frozen=True)
class EvalOutcome:
    report: dict[str, Any]
    differences: list[Difference]
    unknown: UnknownDocuments
    evidence_not_found: tuple[str, ...] = ()
    without_answers: tuple[str, ...] = ()
    baseline_notes: tuple[str, ...] = ()
    refused_language: tuple[str, ...] = ()

    @property
    def regressions(self) -> list[Difference]:
        return [d for d in self.differences if d.regressed]


def unknown_documents_warning(unknown: UnknownDocuments, url: str | None) -> str | None:
    """One line naming up to three relevant document ids the evaluated index lacks, or None."""
    if not unknown.ids:
        return None
    shown = ", ".join(repr(d) for d in unknown.ids[:3])
    more = f" and {len(unknown.ids) - 3} more" if len(unknown.ids) > 3 else ""
    where = f"the index of {url} (GET /v1/documents)" if url else "the index (`citeqa list`)"
    return (
        f"warning: {unknown.questions} question(s) name documents not in {where}: {shown}{more}; "
        "their document figures count as misses: fix their doc_id or evaluate the index they were written for"
    )


def _ids_warning(ids: tuple[str, ...], said: str, then: str) -> str | None:
    """``warning: N question(s) <said>: <up to three ids>; <then>``, or None without ``ids``."""
    return f"warning: {len(ids)} {said}: {_some(ids)}; {then}" if ids else None


def evidence_not_found_warning(ids: tuple[str, ...]) -> str | None:
    """One line naming up to three questions whose evidence none of their documents holds, or None."""
    return _ids_warning(
        ids,
        "question(s) have evidence found in none of their documents",
        "no evidence figure nor answer.evidence_support counts them: fix their evidence (a verbatim fragment "
        "of the document) or doc_id",
    )


def refused_language_warning(ids: tuple[str, ...]) -> str | None:
    """One line naming up to three questions refused as not in English, or None."""
    return _ids_warning(
        ids,
        "question(s) were refused as written in a language the model does not handle",
        "they count as abstentions (unsupported_language): ask them in English",
    )


def without_answers_warning(ids: tuple[str, ...]) -> str | None:
    """One line naming up to three answerable questions with no answers to check, or None."""
    return _ids_warning(
        ids,
        "answerable question(s) have no answers to check",
        f"their verdict is {NO_ANSWERS_VERDICT!r} when answered and no answer figure counts them: "
        "give their acceptable answers",
    )


def _some(ids: tuple[str, ...]) -> str:
    more = f" and {len(ids) - 3} more" if len(ids) > 3 else ""
    return ", ".join(repr(i) for i in ids[:3]) + more


def regressions_message(regressions: list[Difference], baseline: Path | None) -> str:
    """The one line ``citeqa eval`` fails with when figures fell below ``baseline`` or left the report."""
    fell = sum(not d.missing for d in regressions)
    gone = len(regressions) - fell
    parts = [f"{fell} figure(s) fell below the baseline {baseline} by more than the tolerance"] if fell else []
    if gone:
        parts.append(f"{gone} figure(s) of the baseline {baseline} have no value in this report (see above)")
    return "; ".join(parts)


def parse_tolerances(values: list[str]) -> tuple[float, dict[str, float]]:
    """``0.02`` sets the default tolerance; ``document.mrr@10=0.01`` sets one figure's."""
    default, named = 0.02, {}
    for value in values:
        name, _, number = value.rpartition("=")
        try:
            amount = float(number)
        except ValueError:
            raise InvalidInput(f"--tolerance {value!r}: expected a number or FIGURE=NUMBER") from None
        if amount < 0:
            raise InvalidInput(f"--tolerance {value!r}: must not be negative")
        if name:
            named[name] = amount
        else:
            default = amount
    return default, named


PER_QUESTION_FIELDS = ("id", "question", "answers", "evidence")
"""Fields every question has its own value of: nothing for ``--by`` to count by."""


def run_eval(options: EvalOptions, settings: Settings, progress: PhaseProgress | None = None) -> EvalOutcome:
    check_destination(options.out)  # before the run: a directory that is not a report is never replaced
    baseline = read_report_figures(options.baseline) if options.baseline else None
    qset = load_question_set(options.questions, options.split, options.slice_docs)
    if options.by:
        check_by(options.by, qset, options.questions)
    with _runner(options, settings, qset, progress) as runner:
        result = evaluate(
            qset,
            runner,
            options.k,
            options.batch_size,
            (lambda done, total: progress("questions", done, total)) if progress else None,
        )
    report = write_report(result, options.out, str(options.questions), _settings_summary(options, settings), options.by)
    # the figures as reported: a rerun equal to its baseline report shows no "changed" line
    current = reported_figures(result.figures)
    differences = compare(baseline, current, options.tolerance, options.tolerances) if baseline else []
    notes = baseline_notes(options.baseline, report) if options.baseline else ()
    return EvalOutcome(
        report,
        differences,
        result.unknown,
        result.evidence_not_found,
        result.without_answers,
        notes,
        result.refused_language,
    )


def baseline_notes(path: Path, report: dict[str, Any]) -> tuple[str, ...]:
    """Warnings that ``report`` is measured otherwise than the baseline report at ``path`` (already read as
    figures, so readable): another question set (file name or number of questions), or another answer model
    (``settings.answer_model``'s file or hash), so that a changed figure is not read as a change of citeqa's."""
    path = path / "report.json" if path.is_dir() else path
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return ()
    notes = []
    before = (Path(str(earlier.get("questions_file", ""))).name, (earlier.get("run") or {}).get("questions"))
    now = (Path(str(report.get("questions_file", ""))).name, (report.get("run") or {}).get("questions"))
    if before != now:
        notes.append(
            f"warning: the baseline measured another question set ({before[0]}, {before[1]} questions; this run "
            f"{now[0]}, {now[1]}): its figures are not this set's"
        )
    model_before = ((earlier.get("settings") or {}).get("answer_model")) or {}
    model_now = ((report.get("settings") or {}).get("answer_model")) or {}
    if model_before and model_now and model_before.get("sha256") != model_now.get("sha256"):
        notes.append(
            f"note: the baseline was measured with another answer model ({model_before.get('file')}, "
            f"{model_before.get('sha256')}; this run {model_now.get('file')}, {model_now.get('sha256')})"
        )
    return tuple(notes)


def check_by(by: str, qset: QuestionSet, source: Path) -> None:
    """Raise ``InvalidInput`` unless ``--by``'s field ``by`` groups the questions of ``qset``: a field of the
    set's own (``style``), ``answerable`` or ``doc_id``, which some question has. The message names those:
    "--by stile: no question of q.jsonl has that field (its own fields: style; or answerable, doc_id)"."""
    own = sorted({name for q in qset.questions for name in q.extra})
    usable = f"a field of your own ({', '.join(own)}), or answerable or doc_id" if own else "answerable or doc_id"
    if by in PER_QUESTION_FIELDS:
        fields = ", ".join(PER_QUESTION_FIELDS[:-1]) + f" and {PER_QUESTION_FIELDS[-1]}"
        raise InvalidInput(f"--by {by}: {fields} are per question, nothing to count by: give {usable}")
    if not any(q.field(by) is not None for q in qset.questions):
        has = f"its own fields: {', '.join(own)}; or answerable, doc_id" if own else "try answerable or doc_id"
        raise InvalidInput(f"--by {by}: no question of {source} has that field ({has})")


@contextmanager
def _runner(
    options: EvalOptions, settings: Settings, qset: QuestionSet, progress: PhaseProgress | None
) -> Iterator[Runner]:
    if options.url:
        if options.build:
            raise InvalidInput("--build evaluates a temporary in-process index: drop --url or --build")
        from citeqa.service.cli.remote import HttpRunner

        key = settings.api_key.get_secret_value() if settings.api_key else None
        with HttpRunner(options.url, options.retrieval_only, key) as remote:
            yield remote
        return
    if not options.build:
        yield InProcessRunner(wiring.load_engine(settings), options.retrieval_only)
        return
    if not qset.documents:
        raise InvalidInput("--build needs a BEIR folder (with corpus.jsonl) as QUESTIONS")
    from citeqa.index.indexing.build import build_documents
    from citeqa.index.store.loader import load_index

    embedder = wiring.query_embedder(settings)
    with tempfile.TemporaryDirectory(prefix="citeqa-eval-index-") as tmp:
        build_documents(
            qset.documents,
            Path(tmp),
            wiring.build_embedder(settings),
            wiring.build_params(settings),
            progress=(lambda done, total: progress("embedding", done, total)) if progress else None,
        )
        data = load_index(Path(tmp), embedder.name, embedder.dimension)
        engine = wiring.assemble_engine(settings, data, embedder)
        yield InProcessRunner(engine, options.retrieval_only)


def _settings_summary(options: EvalOptions, settings: Settings) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "k": options.k,
        "url": options.url,
        "build": options.build,
        "slice": options.slice_docs,
        "split": options.split,
        "batch_size": options.batch_size,
        "retrieval_only": options.retrieval_only,
    }
    if not options.retrieval_only:
        summary["answer_model"] = answer_model_summary(settings, options.url)
    if options.url is None:  # a server's own settings are not visible from here
        summary.update(
            {
                "retrieval": asdict(wiring.retrieval_params(settings)),
                "abstain_threshold": settings.abstain_threshold,
                "chunk_size": settings.chunk_size,
                "chunk_overlap": settings.chunk_overlap,
                "title_in_text": settings.title_in_text,
            }
        )
    return summary


def answer_model_summary(settings: Settings, url: str | None = None) -> dict[str, Any]:
    """The answer model a run measures, for report.json's ``settings.answer_model``: its file
    (``CITEQA_ABSTAIN_MODEL_FILE``, or "shipped"), the first 12 hex digits of its content's SHA-256, the
    threshold in force and where it comes from ("the model file" or "CITEQA_ABSTAIN_THRESHOLD"). A server
    (``url``) does not report its model: ``{"file": None, "sha256": None, "threshold": None, "server": url}``."""
    if url is not None:
        return {"file": None, "sha256": None, "threshold": None, "server": url}
    path = settings.abstain_model_file
    content = path.read_bytes() if path is not None else _shipped_model_bytes()
    return {
        "file": str(path) if path is not None else "shipped",
        "sha256": hashlib.sha256(content).hexdigest()[:12],
        "threshold": wiring.abstain_model(settings).threshold,
        "threshold_from": "the model file" if settings.abstain_threshold is None else "CITEQA_ABSTAIN_THRESHOLD",
    }


def _shipped_model_bytes() -> bytes:
    from importlib import resources

    from citeqa.index.answering.abstention import DEFAULT_MODEL_FILE

    return resources.files("citeqa.index.answering").joinpath(DEFAULT_MODEL_FILE).read_bytes()


__all__ = [
    "EvalOptions",
    "EvalOutcome",
    "EvalResult",
    "answer_model_summary",
    "check_by",
    "evidence_not_found_warning",
    "parse_tolerances",
    "refused_language_warning",
    "regressions_message",
    "run_eval",
    "unknown_documents_warning",
    "without_answers_warning",
]
