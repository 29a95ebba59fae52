"""Alternatives to the shipped answer model, measured by the same 5-fold cross-validation by article.

Each variant is fitted on four folds of bbc_train_a + b and measured on the fifth (fixed penalties:
ranker L2 1, answerability L2 3, threshold capped at the share of answerable training questions
given by ``--cap``), next to the shipped recipe in the same run:

- ``logistic``: the shipped recipe (pointwise logistic ranker, logistic answerability model);
- ``synthetic``: the same, with a synthetic unanswerable question for each answerable training
  question: its candidates without the sentences holding its answer (a near miss by construction);
- ``trees``: gradient-boosted trees (depth 2) over the answerability signals and the best sentence's
  features instead of the logistic answerability model (threshold from out-of-fold probabilities);
- ``product``: a ranker that also weighs the 384 element-wise products of the question and sentence
  vectors (a learned, diagonal similarity), to see whether the vectors hold more than their cosine.

    python bench/answer_model/alternatives.py --index /work/measure/bbc-index3 \\
        ../shared/eval/bbc_train_a.jsonl ../shared/eval/bbc_train_b.jsonl --out bench/answer_model/alternatives.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from citeqa.index.answering import training as T  # noqa: E402
from citeqa.index.answering.abstention import (  # noqa: E402
    FEATURES,
    AbstainModel,
    choose_capped_threshold,
    fit_abstain_model,
)
from citeqa.index.answering.ranker import RankingGroup, feature_matrix, fit_pointwise  # noqa: E402

BEST_FEATURES = ("coverage", "context", "focus", "type", "echo", "subject", "predicate", "person_missing")


@dataclass(frozen=True)
class Unanswerable:
    """An answerable question turned unanswerable: its answer sentences are taken away."""

    source: Any

    id = property(lambda self: f"{self.source.id}-synthetic")
    answers = property(lambda self: self.source.answers)
    doc_id = property(lambda self: self.source.doc_id)
    answerable = property(lambda self: False)


def synthetic(examples: list[T.Example]) -> list[T.Example]:
    out = []
    for e in examples:
        kept = tuple(c for c, good in zip(e.prepared.candidates, e.good, strict=True) if not good)
        if e.question.answerable and any(e.good) and kept:
            out.append(T.Example(Unanswerable(e.question), replace(e.prepared, candidates=kept), (False,) * len(kept)))
    return out


def fit_ranker(train: list[T.Example]) -> Any:
    groups = [RankingGroup(feature_matrix(e.prepared.candidates), np.asarray(e.good, dtype=bool)) for e in train]
    return replace(fit_pointwise(groups, l2=1.0), second_ratio=0.6)


def logistic(extractor: Any, train: list[T.Example], cap: float, extra: list[T.Example]) -> Any:
    ranker = fit_ranker(train)
    every = train + extra
    signals = [T.question_signals(extractor, e.prepared, ranker) for e in every]
    prior = AbstainModel(0.0, dict.fromkeys(FEATURES, 0.0), 0.5, ranker=ranker)
    fitted = fit_abstain_model(signals, [e.question.answerable for e in every], prior, strength=3.0)
    probabilities = [fitted.probability(s) for s in signals[: len(train)]]
    threshold = choose_capped_threshold(probabilities, [e.question.answerable for e in train], cap)
    model = fitted.with_threshold(threshold)
    return lambda e: model.probability(T.question_signals(extractor, e.prepared, ranker)) >= threshold, ranker


def trees(extractor: Any, train: list[T.Example], cap: float) -> Any:
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.model_selection import cross_val_predict

    ranker = fit_ranker(train)

    def row(e: T.Example) -> list[float]:
        ranked = ranker.rank(e.prepared.candidates)
        signals = T.question_signals(extractor, e.prepared, ranker)
        best = ranked[0].features if ranked else {}
        return [signals.get(n, 0.0) for n in FEATURES] + [best.get(n, 0.0) for n in BEST_FEATURES]

    x, y = [row(e) for e in train], [e.question.answerable for e in train]
    clf = GradientBoostingClassifier(max_depth=2, n_estimators=150, learning_rate=0.05, subsample=0.8, random_state=0)
    out_of_fold = cross_val_predict(clf, x, y, cv=4, method="predict_proba")[:, 1]
    threshold = choose_capped_threshold(list(out_of_fold), y, cap)
    clf.fit(x, y)
    return lambda e: clf.predict_proba([row(e)])[0, 1] >= threshold, ranker


def measure(extractor: Any, examples: list[T.Example], variant: str, cap: float, vectors: Any) -> dict[str, int]:
    fold_of = T.article_folds(examples, 5, 13)
    totals = {"answers": 0, "top_sentence_good": 0, "wrongly_abstained": 0, "unanswerable_abstained": 0}
    for fold in range(5):
        train = [e for e, f in zip(examples, fold_of, strict=True) if f != fold]
        if variant == "product":
            held_out = [e for e, f in zip(examples, fold_of, strict=True) if f == fold]
            totals["top_sentence_good"] += product_ranking(train, held_out, vectors)
            continue
        if variant == "trees":
            answers, ranker = trees(extractor, train, cap)
        else:
            answers, ranker = logistic(extractor, train, cap, synthetic(train) if variant == "synthetic" else [])
        everything = AbstainModel(0.0, {}, -1.0, ranker=ranker)
        for e, f in zip(examples, fold_of, strict=True):
            if f != fold:
                continue
            ranked = ranker.rank(e.prepared.candidates)
            good = {c.key for c, g in zip(e.prepared.candidates, e.good, strict=True) if g}
            answered = bool(ranked) and answers(e)
            if e.question.answerable:
                totals["top_sentence_good"] += bool(ranked) and ranked[0].key in good
                totals["wrongly_abstained"] += not answered
                text = extractor.finish(e.prepared, everything, 5).answer if answered else ""
                totals["answers"] += answered and T.holds_answer(text, e.question.answers)
            else:
                totals["unanswerable_abstained"] += not answered
    return totals


def product_ranking(train: list[T.Example], test: list[T.Example], vectors: Any) -> int:
    """Answerable test questions whose best sentence holds the answer, ranked with vector products."""
    from sklearn.linear_model import LogisticRegression

    def matrix(e: T.Example) -> Any:
        q = vectors.question(e.prepared.question.text)
        products = np.asarray([q * vectors.sentence(c) for c in e.prepared.candidates]) * 10
        return np.hstack([feature_matrix(e.prepared.candidates), products])

    clf = LogisticRegression(C=0.3, max_iter=3000)
    clf.fit(np.vstack([matrix(e) for e in train]), np.concatenate([e.good for e in train]))
    found = 0
    for e in test:
        if e.question.answerable and e.prepared.candidates:
            found += bool(e.good[int(np.argmax(clf.decision_function(matrix(e))))])
    return found


class Vectors:
    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def question(self, text: str) -> Any:
        return self.engine.embedder.encode([text])[0]

    def sentence(self, c: Any) -> Any:
        return np.asarray(self.engine.extractor.sentences.vectors_of([(c.doc_id, c.index)])[0], dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("train", nargs="+", type=Path)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--cap", type=float, action="append", help="Threshold caps (repeatable; default 0.03 0.05).")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from citeqa.index.evaluation.calibration import read_labelled
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    engine = load_engine(Settings(index_dir=args.index))
    questions = [q for path in args.train for q in read_labelled(path)]
    examples = T.make_examples(engine.extractor, questions, engine.prepare_many([q.question for q in questions]))
    rows = []
    for cap in args.cap or [0.03, 0.05]:
        for variant in ("logistic", "synthetic", "trees", "product"):
            totals = measure(engine.extractor, examples, variant, cap, Vectors(engine))
            rows.append({"variant": variant, "cap": cap, **{k: int(v) for k, v in totals.items()}})
            print(json.dumps(rows[-1]), flush=True)
    if args.out:
        args.out.write_text(json.dumps({"command": " ".join(sys.argv), "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
