"""Check one retrieval setting through the real code path (``Engine`` with ``RetrievalParams``).

With ``--beir``: document-level figures of ``citeqa eval --k 10`` (retrieval only) on an index of
that BEIR folder (built by ``bench/fusion_sweep.py --build``). With question files: the answer
figures of ``bench/answer_quality.py`` on ``--index``.

Example:
    python bench/fusion_check.py --fusion minmax --depth 200 --dense 0.6 --lexical 0.4 \\
        --index /work/bbc-index ../shared/eval/bbc_dev.jsonl eval/bbc_holdout.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from citeqa.service import wiring

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", nargs="*", type=Path)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--beir", type=Path, help="BEIR folder whose index is --index: document figures at k=10")
    parser.add_argument("--k", type=int, default=5, help="k of the answer figures")
    parser.add_argument("--batch-size", type=int, default=32, help="questions per batch (as citeqa eval)")
    parser.add_argument("--fusion", default="rrf", choices=("rrf", "minmax"))
    parser.add_argument("--depth", type=int, default=50)
    parser.add_argument("--rrf-k", type=int, default=60)
    parser.add_argument("--dense", type=float, default=1.0)
    parser.add_argument("--lexical", type=float, default=1.0)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from citeqa.index.engine import Engine
    from citeqa.index.evaluation.calibration import answer_figures, read_labelled
    from citeqa.index.retrieval.fusion import RetrievalParams
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    params = RetrievalParams(args.depth, args.rrf_k, args.dense, args.lexical, args.fusion)
    settings = Settings(index_dir=args.index)
    loaded = load_engine(settings)
    engine = Engine(loaded.data, loaded.embedder, params, wiring.abstain_model(settings))
    print(f"retrieval: {params}")
    if args.beir:
        from citeqa.index.evaluation.question_sets import load_beir
        from citeqa.index.evaluation.runner import InProcessRunner, evaluate

        result = evaluate(
            load_beir(args.beir), InProcessRunner(engine, retrieval_only=True), k=10, batch_size=args.batch_size
        )
        names = ("document.mrr@10", "document.hit@10", "document.ndcg@10")
        print("== BEIR:", json.dumps({n: round(result.figures[n] or 0.0, 4) for n in names}))
    for path in args.questions:
        figures = answer_figures(engine, read_labelled(path), k=args.k)
        print(f"== {path.name}: {figures['summary']}", flush=True)


if __name__ == "__main__":
    main()
