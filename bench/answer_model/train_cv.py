"""Cross-validate and fit citeqa's answer model (sentence ranker + answerability) on labelled questions.

5-fold cross-validation by article on the training files (everything, thresholds included,
fitted on four folds and measured on the fifth), then the final model fitted on all of them,
written as JSON and measured on the test sets (report only: never used to choose anything).

Example (the figures in bench/answer_model/RESULTS.md):
    python bench/answer_model/train_cv.py --index data/bbc-index \
        ../shared/eval/bbc_train_a.jsonl ../shared/eval/bbc_train_b.jsonl \
        --write index/answering/abstain_model.json --out bench/answer_model/results.json \
        --test ../shared/eval/bbc_dev.jsonl --test eval/bbc_holdout.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("train", nargs="+", type=Path)
    parser.add_argument("--index", type=Path, default=Path("data/index"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--ranker-l2", type=float, default=3.0)
    parser.add_argument("--abstain-l2", type=float, default=1.0)
    parser.add_argument("--second-ratio", type=float, default=0.6, help="Cite the runner-up sentence (above 1: never).")
    parser.add_argument("--max-wrong-abstain", type=float, default=0.03)
    parser.add_argument("--listwise", action="store_true", help="Fit the ranker listwise (default: pointwise).")
    parser.add_argument("--write", type=Path, help="Write the model fitted on all training questions here.")
    parser.add_argument("--test", type=Path, action="append", default=[], help="Report on this set (repeatable).")
    parser.add_argument("--out", type=Path, help="Write figures and per-question rows here (JSON).")
    parser.add_argument("--grid", action="store_true", help="Also print the CV totals over a grid of settings.")
    parser.add_argument(
        "--fixed",
        action="store_true",
        help="Use the given L2/threshold settings instead of choosing them in each fold.",
    )
    parser.add_argument(
        "--caps",
        default="0.03",
        help="Comma-separated shares of answerable training questions the threshold may abstain on, among which"
        " the inner cross-validation chooses (default: 0.03).",
    )
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from citeqa.index.answering.abstention import save_abstain_model
    from citeqa.index.answering.training import (
        GRID,
        TrainingParams,
        cross_validate,
        fit_answer_model,
        make_examples,
        select_params,
        summarise,
    )
    from citeqa.index.evaluation.calibration import answer_figures, read_labelled
    from citeqa.service.runtime import load_engine
    from citeqa.service.settings import Settings

    engine = load_engine(Settings(index_dir=args.index))
    questions = [q for path in args.train for q in read_labelled(path)]
    styles = read_styles(args.train)
    started = time.perf_counter()
    prepared = engine.prepare_many([q.question for q in questions])
    prepare_s = time.perf_counter() - started
    examples = make_examples(engine.extractor, questions, prepared)
    params = TrainingParams(
        args.ranker_l2, args.abstain_l2, args.max_wrong_abstain, not args.listwise, args.second_ratio
    )
    caps = [float(c) for c in args.caps.split(",")]
    choices = [replace(setting, max_wrong_abstain=cap) for cap in caps for setting in GRID]
    grid = []
    if args.grid:
        for setting in choices:
            totals = summarise(cross_validate(engine.extractor, examples, setting, args.folds))["all"]
            grid.append({"params": vars(setting), "totals": totals})
            print(vars(setting), totals, flush=True)
    started = time.perf_counter()
    rows = cross_validate(engine.extractor, examples, params if args.fixed else None, args.folds, grid=choices)
    cv_s = time.perf_counter() - started
    summary = summarise(rows, styles)
    print(f"prepared {len(questions)} questions in {prepare_s:.1f} s; {args.folds}-fold CV in {cv_s:.1f} s")
    _print_table(summary)
    if args.verbose:
        for row in rows:
            if (row["answerable"] and not row["contains"]) or (not row["answerable"] and not row["abstained"]):
                print(" ", styles.get(row["id"]), json.dumps(row, ensure_ascii=False))
    out: dict[str, Any] = {"cv": summary, "cv_rows": rows, "grid": grid}
    if not args.fixed:
        params = select_params(engine.extractor, examples, choices)
        print(f"setting chosen on all training questions: {vars(params)}")
    model = fit_answer_model(engine.extractor, examples, params, note=_note(args.train, len(questions)))
    out["final_params"] = vars(params)
    if args.write:
        save_abstain_model(model, args.write)
        print(f"wrote {args.write}")
    tested = engine.with_abstain_model(model)
    for path in args.test:
        figures = answer_figures(tested, read_labelled(path), k=5)
        out[path.name] = {"totals": figures["totals"], "rows": figures["rows"]}
        print(f"== {path.name}: {figures['summary']}")
        if args.verbose:
            for row in figures["rows"]:
                if row["answerable"] != (not row["abstained"]) or row["contains"] is False:
                    print("  ", json.dumps(row, ensure_ascii=False))
    if args.out:
        args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def read_styles(paths: Sequence[Path]) -> dict[str, str]:
    """Each labelled question's ``style`` by id ("-" when it has none)."""
    out = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                out[str(record["id"])] = str(record.get("style", "-"))
    return out


def _note(paths: list[Path], count: int) -> str:
    names = " + ".join(p.name for p in paths)
    return f"fitted by bench/answer_model/train_cv.py on {names} ({count} questions, BBC index)"


def _print_table(summary: dict[str, Any]) -> None:
    print(
        f"{'style':14} {'answerable':>10} {'contains':>9} {'top ok':>7} {'wrong_ab':>10} {'unansw':>7} {'abstained':>9}"
    )
    for style, t in summary.items():
        print(
            f"{style:14} {t['answerable']:10d} {t['contains_answer']:9d} {t['top_sentence_good']:7d}"
            f" {t['wrongly_abstained']:10d} {t['unanswerable']:7d} {t['abstained_unanswerable']:9d}"
        )


if __name__ == "__main__":
    main()
