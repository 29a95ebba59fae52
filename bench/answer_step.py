"""Time of the answer step per question (``Engine.ask`` timings), one distinct question at a time.

Every question is new to the engine (no cache warm from an earlier one): what a user with a new
question meets. Prints the median and 90th percentile of the ``answer`` and ``retrieve`` timings (ms).

Example:
    HF_HUB_OFFLINE=1 python bench/answer_step.py --index /work/measure/bbc-index ../shared/eval/bbc_dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--index", type=Path, default=Path("data/index"))
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    engine = load_engine(Settings(index_dir=args.index))
    engine.ask("What is the weather like on the moon?")  # warms the model, not the answer step's caches
    questions = [json.loads(line)["question"] for line in args.questions.read_text().splitlines() if line.strip()]
    timings = [engine.ask(q)[1] for q in questions]
    out = {"questions": len(questions), "index": str(args.index)}
    for step in ("retrieve", "answer"):
        values = np.asarray([t[step] for t in timings])
        out[f"{step}_ms_p50"] = round(float(np.median(values)), 2)
        out[f"{step}_ms_p90"] = round(float(np.percentile(values, 90)), 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
