"""Answer-quality figures of citeqa on labelled question sets (issue 7).

For each set: evidence within the top-k passages (answerable questions), an acceptable answer
inside ``answer``, abstention on unanswerable questions and wrong abstention on answerable
ones, plus the abstention precision/recall curve over the model's probability.

Example:
    python bench/answer_quality.py --index /work/bbc-index ../shared/eval/bbc_dev.jsonl eval/bbc_holdout.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", nargs="+", type=Path)
    parser.add_argument("--index", type=Path, default=Path("data/index"))
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--verbose", "-v", action="store_true", help="Print every question's outcome.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from citeqa.index.evaluation.calibration import answer_figures, read_labelled
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    engine = load_engine(Settings(index_dir=args.index))
    out: dict[str, Any] = {}
    for path in args.questions:
        figures = answer_figures(engine, read_labelled(path), k=args.k)
        out[path.name] = figures
        if not args.json:
            print(f"== {path.name}: {figures['summary']}")
            if args.verbose:
                for row in figures["rows"]:
                    print("  ", json.dumps(row, ensure_ascii=False))
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
