"""Evaluation reports: report.json, questions.csv, summary.md and PNG charts, written atomically.

Everything is written into a staging directory next to the destination, which then replaces
the destination with ``os.replace``: a failed run never leaves a half-written report. The destination
must be new, empty or an earlier report (``check_destination``): nothing else is ever replaced.
"""

from __future__ import annotations

import csv
import json
import secrets
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from citeqa.index import __version__
from citeqa.index.errors import InvalidInput, StorageError
from citeqa.index.evaluation.runner import Difference, EvalResult, Scored
from citeqa.index.store.atomic import replace_dir

REPORT_FILE = "report.json"
QUESTIONS_FILE = "questions.csv"
SUMMARY_FILE = "summary.md"
RECALL_CHART = "recall_at_k.png"
LATENCY_CHART = "latency.png"
REPORT_FILES = frozenset({REPORT_FILE, QUESTIONS_FILE, SUMMARY_FILE, RECALL_CHART, LATENCY_CHART})
"""Every file ``write_report`` writes: a directory holding nothing else (report.json among them) is a report."""
CSV_COLUMNS = (
    "id",
    "question",
    "expected_answers",
    "evidence",
    "labelled_answerable",
    "answerable",
    "answer",
    "confidence",
    "relevant_docs",
    "retrieved_docs",
    "doc_rank",
    "evidence_rank",
    "verdict",
    "metrics",
    "latency_ms",
    "abstention_code",
    "reason",
)
"""questions.csv's columns, in order (``--by`` adds its field last); new ones are added at the end. An answered
question (or a retrieval-only run) has ``abstention_code`` and ``reason`` empty; an abstention has ``/v1/ask``'s
``abstention.code`` and ``reason``."""


def report_data(result: EvalResult, source: str, settings: dict[str, Any], by: str | None = None) -> dict[str, Any]:
    """The content of report.json: figures, curves, settings, index summary and version; with ``by`` (a field
    of the question set), the verdicts counted by its values (``verdicts_by``)."""
    grouped = {"by": {"field": by, "groups": verdicts_by(result, by)}} if by else {}
    return grouped | {
        "citeqa_version": __version__,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "questions_file": source,
        "settings": settings,
        "run": result.run,
        "figures": reported_figures(result.figures),
        "curves": {f"recall@1..{result.k}": {n: [_round(v) for v in c] for n, c in result.curves.items()}},
        "failed": [r.question.id for r in result.rows if r.failed],
        "unknown_doc_ids": {"ids": list(result.unknown.ids), "questions": result.unknown.questions},
        "evidence_not_found": list(result.evidence_not_found),
        "without_answers": list(result.without_answers),
        "refused_language": list(result.refused_language),
    }


def write_report(
    result: EvalResult, out: Path, source: str, settings: dict[str, Any], by: str | None = None
) -> dict[str, Any]:
    """Write the whole report to ``out`` (replacing an older one) and return the report.json data.

    Raises ``InvalidInput`` when ``out`` is neither new, nor empty, nor an earlier report
    (``check_destination``), ``StorageError`` when its directory cannot be made or written."""
    data = report_data(result, source, settings, by)
    final = check_destination(out)
    staging = _staging_dir(final, out)
    try:
        (staging / REPORT_FILE).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _write_questions(result.rows, staging / QUESTIONS_FILE, frozenset(result.unknown.ids), by)
        (staging / SUMMARY_FILE).write_text(summary_markdown(result, data), encoding="utf-8")
        _write_charts(result, staging)
        check_destination(out)  # again: something may have been put there during the run
        replace_dir(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return data


def check_destination(out: Path) -> Path:
    """``out`` made absolute (``.``, ``..`` and links resolved), when a report may be written there: it does
    not exist, or is an empty directory, or an earlier report (``is_report``). Anything else raises
    ``InvalidInput`` naming what it holds, and so does a directory holding the working directory; a report
    never replaces anything else. For example ``--out notes`` where notes/ holds notes.txt raises
    "--out notes holds other files (notes.txt): give a new or empty directory, or an earlier report's"."""
    final = out.resolve()
    if final.exists() and not final.is_dir():
        raise InvalidInput(f"{out} exists and is not a directory: choose another --out")
    try:
        held = sorted(p.name for p in final.iterdir()) if final.is_dir() else []
    except OSError as exc:
        raise StorageError(f"cannot read --out {out} ({exc.strerror or exc}): choose a readable --out") from None
    if held and not is_report(final, held):
        other = [name for name in held if name not in REPORT_FILES]
        what = f"holds other files ({_some(other)})" if other else f"holds a {REPORT_FILE} not written by citeqa eval"
        raise InvalidInput(f"--out {out} {what}: give a new or empty directory, or an earlier report's")
    if final == Path.cwd().resolve() or final in Path.cwd().resolve().parents:
        raise InvalidInput(f"--out {out} is the working directory or holds it: give a new or empty directory")
    return final


def is_report(directory: Path, names: Sequence[str]) -> bool:
    """Whether ``directory``, holding the files ``names``, is a report ``write_report`` wrote: nothing but
    ``REPORT_FILES``, and a report.json holding citeqa's version and figures."""
    if not set(names) <= REPORT_FILES or REPORT_FILE not in names:
        return False
    try:
        data = json.loads((directory / REPORT_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(data, dict) and "citeqa_version" in data and isinstance(data.get("figures"), dict)


def _some(names: Sequence[str], shown: int = 3) -> str:
    """Up to ``shown`` names and how many more: ``_some(["a", "b", "c", "d", "e"])`` is "a, b, c and 2 more"."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _staging_dir(final: Path, out: Path) -> Path:
    """A new directory beside ``final``, made as ``mkdir`` makes one (the umask decides its mode)."""
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        while True:
            staging = final.with_name(f".{final.name}.staging-{secrets.token_hex(4)}")
            try:
                staging.mkdir()
                return staging
            except FileExistsError:
                continue
    except OSError as exc:
        why = exc.strerror or exc
        raise StorageError(f"cannot write the report to {out} ({why}): choose a writable --out") from None


NO_ANSWERS_VERDICT = "answered (no answers to check)"
VERDICTS = {
    "correct": "answered, with an acceptable answer (and its document retrieved, when one is named)",
    "wrong answer": "answered, but the answer holds none of the acceptable answers",
    "document missed": "answered, but the named document is not among the top k retrieved",
    "document not in index": "the named document is not in the evaluated index (see unknown_doc_ids)",
    "abstained": "unanswerable, and abstained",
    "should have abstained": "unanswerable, but answered",
    "wrongly abstained": "answerable, but abstained",
    NO_ANSWERS_VERDICT: "answerable and answered, but the question has no answers to check the answer against",
    "retrieved": "retrieval only: the named document is among the top k",
    "missed": "retrieval only: the named document is not among the top k",
}
RETRIEVAL_VERDICTS = ("retrieved", "missed")
ANSWER_VERDICTS = tuple(v for v in VERDICTS if v not in RETRIEVAL_VERDICTS)


def _verdict(row: Scored, unknown: frozenset[str] = frozenset()) -> str:
    """One of ``VERDICTS``: what happened to the question, most telling reason first."""
    got, label = row.observation.answerable, row.question.answerable
    if got is None:
        return "retrieved" if row.doc_rank is not None else "missed"
    if got != label:
        return "wrongly abstained" if label else "should have abstained"
    if not label:
        return "abstained"
    if row.metrics.get("answer.containment") == 0.0:
        return "wrong answer"
    if row.failed:
        return "document not in index" if row.relevant and set(row.relevant) <= unknown else "document missed"
    return NO_ANSWERS_VERDICT if row.without_answers else "correct"


def verdicts_by(result: EvalResult, by: str) -> dict[str, dict[str, int]]:
    """For each value of the question set's field ``by`` (in order of first use; "" for questions without
    it): how many questions, and how many got each verdict the run can give, 0 included (``ANSWER_VERDICTS``,
    or ``RETRIEVAL_VERDICTS`` for a retrieval-only run), so runs on other sets or indexes line up."""
    unknown = frozenset(result.unknown.ids)
    retrieval_only = any(row.observation.answerable is None for row in result.rows)
    columns = RETRIEVAL_VERDICTS if retrieval_only else ANSWER_VERDICTS
    groups: dict[str, dict[str, int]] = {}
    for row in result.rows:
        counts = groups.setdefault(row.question.field(by) or "", {"questions": 0} | dict.fromkeys(columns, 0))
        counts["questions"] += 1
        verdict = _verdict(row, unknown)
        counts[verdict] = counts.get(verdict, 0) + 1
    return groups


def verdict_table(groups: dict[str, dict[str, int]], by: str) -> list[str]:
    """``verdicts_by``'s counts as a Markdown table: a row per value, a column per verdict the run can give
    (``ANSWER_VERDICTS``, or ``RETRIEVAL_VERDICTS`` when the counts are a retrieval-only run's), those that
    no question got included, so every run's table has the same columns."""
    retrieval_only = any(counts.get(v) for counts in groups.values() for v in RETRIEVAL_VERDICTS)
    verdicts = RETRIEVAL_VERDICTS if retrieval_only else ANSWER_VERDICTS
    lines = [f"| {by} | questions | " + " | ".join(verdicts) + " |", "|---" * (len(verdicts) + 2) + "|"]
    for value, counts in groups.items():
        cells = [str(counts.get(v, 0)) for v in verdicts]
        lines.append(f"| {_cell(value) or '(none)'} | {counts['questions']} | " + " | ".join(cells) + " |")
    return lines


def _write_questions(
    rows: Sequence[Scored], path: Path, unknown: frozenset[str] = frozenset(), by: str | None = None
) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([*CSV_COLUMNS, by] if by else CSV_COLUMNS)
        for r in rows:
            group = [r.question.field(by) or ""] if by else []
            metrics = {n: _round(v) for n, v in r.metrics.items() if n != "latency_ms"}
            writer.writerow(
                [
                    r.question.id,
                    r.question.question,
                    " | ".join(r.question.answers),
                    r.question.evidence or "",
                    r.question.answerable,
                    "" if r.observation.answerable is None else r.observation.answerable,
                    r.observation.answer,
                    "" if r.observation.confidence is None else r.observation.confidence,
                    " ".join(r.relevant),
                    " ".join(r.doc_ranking),
                    r.doc_rank or "",
                    r.evidence_rank or "",
                    _verdict(r, unknown),
                    json.dumps(metrics, sort_keys=True),
                    round(r.observation.latency_ms, 2),
                    r.observation.abstention_code or "",
                    r.observation.reason or "",
                    *group,
                ]
            )


def summary_markdown(result: EvalResult, data: dict[str, Any]) -> str:
    lines = [
        f"# citeqa evaluation: {data['questions_file']}",
        "",
        f"{result.run['questions']} questions, k={result.k}, {result.run['mode']}, citeqa {data['citeqa_version']}, "
        f"{data['created']}.",
        "",
        "| figure | value |",
        "|---|---|",
    ]
    model = answer_model_line(data["settings"].get("answer_model"))
    if model:
        lines[4:4] = [model, ""]
    lines += [f"| {name} | {format_figure(v)} |" for name, v in data["figures"].items()]
    if result.unknown.ids:
        lines += [
            "",
            f"**Warning:** {result.unknown.questions} question(s) name documents the index does not hold "
            f"({_listed(result.unknown.ids)}); the document figures count them as misses.",
        ]
    if result.evidence_not_found:
        lines += [
            "",
            f"**Warning:** {len(result.evidence_not_found)} question(s) have evidence found in none of their "
            f"documents ({_listed(result.evidence_not_found)}); no evidence figure nor answer.evidence_support "
            "counts them.",
        ]
    if result.without_answers:
        lines += [
            "",
            f"**Warning:** {len(result.without_answers)} answerable question(s) have no answers to check "
            f"({_listed(result.without_answers)}); their verdict is `{NO_ANSWERS_VERDICT}` when answered and "
            "no answer figure counts them.",
        ]
    if "by" in data:
        by = data["by"]["field"]
        lines += ["", f"## Verdicts by {by}", "", *verdict_table(data["by"]["groups"], by)]
    failed = [r for r in result.rows if r.failed]
    unknown = frozenset(result.unknown.ids)
    lines += ["", f"## Failed questions ({len(failed)})", ""]
    if not failed:
        lines.append("None.")
    else:
        lines += ["| id | question | verdict | expected | answer |", "|---|---|---|---|---|"]
        for r in failed[:200]:
            expected = " / ".join(r.question.answers) or ", ".join(r.relevant)
            lines.append(
                f"| {r.question.id} | {_cell(r.question.question)} | {_verdict(r, unknown)} | {_cell(expected)} | "
                f"{_cell(shorten(r.observation.answer, 200))} |"
            )
        if len(failed) > 200:
            lines.append(f"\n... and {len(failed) - 200} more in {QUESTIONS_FILE}.")
    return "\n".join(lines) + "\n"


def answer_model_line(model: dict[str, Any] | None) -> str | None:
    """summary.md's line naming the answer model a run measured (``settings.answer_model``), e.g.
    "Answer model: shipped (sha256 3f2a0c9e1b7d), threshold 0.3464 (the model file)."; None when the
    settings do not say (an older report, a retrieval-only run)."""
    if not model:
        return None
    if model.get("file") is None:
        server = f" of {model['server']}" if model.get("server") else ""
        return f"Answer model{server}: not known (a server does not report which answer model it serves)."
    threshold = f"threshold {format_figure(model.get('threshold'))} ({model.get('threshold_from', '')})"
    return f"Answer model: {model['file']} (sha256 {model.get('sha256')}), {threshold}."


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut at the last space that keeps at least half of it, and
    "…" added. ``shorten("through the Room Booking system for students", 30)`` is "through the Room Booking…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _listed(ids: Sequence[str], shown: int = 20) -> str:
    """Up to ``shown`` ids in backquotes and how many more, for summary.md."""
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(f"`{i}`" for i in ids[:shown]) + more


def _write_charts(result: EvalResult, directory: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ks = list(range(1, result.k + 1))
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, curve in result.curves.items():
        if any(v is not None for v in curve):
            ax.plot(ks, [v if v is not None else float("nan") for v in curve], marker="o", label=f"{name} level")
    ax.set(xlabel="k (rank cutoff)", ylabel="recall@k", ylim=(0, 1.02), title="Recall at k")
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend()
    fig.tight_layout()
    fig.savefig(directory / RECALL_CHART, dpi=100)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.hist([r.observation.latency_ms for r in result.rows], bins=30, color="tab:blue")
    ax.set(xlabel="latency per question (ms)", ylabel="questions", title="Latency")
    fig.tight_layout()
    fig.savefig(directory / LATENCY_CHART, dpi=100)
    plt.close(fig)


def read_report_figures(path: Path) -> dict[str, float | None]:
    """The figures of an earlier report.json (a file, or a report directory holding one)."""
    path = path / REPORT_FILE if path.is_dir() else path
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such baseline report") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path}: not a readable report.json ({exc})") from None
    figures = data.get("figures") if isinstance(data, dict) else None
    if not isinstance(figures, dict) or not all(isinstance(v, int | float | None) for v in figures.values()):
        raise InvalidInput(f"{path}: field 'figures' must map figure names to numbers")
    return {str(k): (float(v) if v is not None else None) for k, v in figures.items()}


def format_differences(differences: Sequence[Difference]) -> list[str]:
    lines = []
    for d in differences:
        mark = "REGRESSION" if d.regressed else "changed"
        if d.missing:
            lines.append(f"{mark}: {d.name} ({format_figure(d.baseline)} in the baseline) {d.missing}")
        else:
            was, now = format_figure(d.baseline), format_figure(d.current)
            lines.append(f"{mark}: {d.name} {was} -> {now} (tolerance {d.tolerance:g})")
    return lines


FIGURE_DECIMALS = 4
"""Decimals of every figure the report gives: report.json's numbers, stdout, summary.md and the baseline lines."""


def reported_figures(figures: dict[str, float | None]) -> dict[str, float | None]:
    """``figures`` as report.json holds them, rounded to ``FIGURE_DECIMALS``: what a baseline is compared with."""
    return {name: _round(v) for name, v in figures.items()}


def format_figure(value: float | None) -> str:
    """A figure as the report prints it, everywhere alike: ``0.0812``, ``1.0000``, ``n/a``."""
    return "n/a" if value is None else f"{value:.{FIGURE_DECIMALS}f}"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, FIGURE_DECIMALS)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
