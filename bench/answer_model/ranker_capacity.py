"""How much a ranker with more capacity than the shipped linear one finds the answer sentence (issue 13).

For every question of the given labelled files, the candidate sentences and their features
(``CANDIDATE_FEATURES``) as the answer step computes them; then, 5 folds by article, each ranker
fitted on four folds and measured on the fifth: how many answerable questions get a first sentence
holding an acceptable answer (the ranker alone, no abstention). Figures in
``bench/answer_model/RESULTS.md`` (eleventh session), output ``ranker_capacity.json``.

Example (about 4 minutes on 2 cores):
    python bench/answer_model/ranker_capacity.py --index /work/measure/bbc-index \
        ../shared/eval/bbc_train_a.jsonl ../shared/eval/bbc_train_b.jsonl eval/bbc_fresh.jsonl \
        eval/bbc_fresh2.jsonl eval/bbc_fresh3.jsonl eval/bbc_nearmiss.jsonl eval/bbc_blind5.jsonl \
        eval/bbc_blind6.jsonl --out bench/answer_model/ranker_capacity.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

Matrix = npt.NDArray[np.float64]
Scorer = Callable[[Matrix], Matrix]
Fitter = Callable[[list[tuple[Matrix, npt.NDArray[np.bool_]]]], Scorer]


@dataclass(frozen=True)
class Row:
    id: str
    article: str
    answerable: bool
    style: str
    features: Matrix
    good: npt.NDArray[np.bool_]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = candidate_rows(args.index, args.files)
    folds = article_folds(rows)
    results = {name: measure(rows, folds, fit) for name, fit in variants().items()}
    for name, figures in results.items():
        print(f"{name:48} {figures['top_right']}/{figures['answerable']}", flush=True)
    if args.out:
        payload = {"files": [str(f) for f in args.files], "questions": len(rows), "results": results}
        args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")


def candidate_rows(index: Path, files: Sequence[Path]) -> list[Row]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from citeqa.index.answering.ranker import feature_matrix
    from citeqa.index.answering.training import make_examples
    from citeqa.index.evaluation.calibration import read_labelled
    from citeqa.service.runtime import load_engine
    from citeqa.service.settings import Settings

    engine = load_engine(Settings(index_dir=index))
    questions = [q for path in files for q in read_labelled(path)]
    styles = {
        str(r["id"]): str(r.get("style", "-"))
        for path in files
        for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())
    }
    examples = make_examples(engine.extractor, questions, engine.prepare_many([q.question for q in questions]))
    return [
        Row(
            e.question.id,
            e.question.doc_id or e.question.id,
            e.question.answerable,
            styles[e.question.id],
            feature_matrix(e.prepared.candidates),
            np.asarray(e.good, dtype=bool),
        )
        for e in examples
    ]


def article_folds(rows: Sequence[Row], k: int = 5, seed: int = 13) -> list[int]:
    keys = sorted({r.article for r in rows})
    random.Random(seed).shuffle(keys)
    fold_of = {key: i % k for i, key in enumerate(keys)}
    return [fold_of[r.article] for r in rows]


def measure(rows: Sequence[Row], folds: Sequence[int], fit: Fitter) -> dict[str, Any]:
    right, by_style, count = 0, Counter[str](), Counter[str]()
    for fold in sorted(set(folds)):
        train = [(r.features, r.good) for r, f in zip(rows, folds, strict=True) if f != fold and len(r.features)]
        score = fit(train)
        for r, f in zip(rows, folds, strict=True):
            if f != fold or not r.answerable or not len(r.features):
                continue
            ok = bool(r.good[int(np.argmax(score(r.features)))])
            right += ok
            by_style[r.style] += ok
            count[r.style] += 1
    return {
        "top_right": right,
        "answerable": sum(count.values()),
        "per_style": {s: [by_style[s], count[s]] for s in sorted(count)},
    }


def _logistic(x: Matrix, y: Matrix, l2: float) -> Matrix:
    from scipy.optimize import minimize

    x1 = np.hstack([np.ones((len(x), 1)), x])

    def loss(w: Matrix) -> tuple[float, Matrix]:
        z = x1 @ w
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        value = float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * float(w[1:] @ w[1:]))
        return value, x1.T @ (p - y) + l2 * np.r_[0.0, w[1:]]

    result = minimize(loss, np.zeros(x1.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    return np.asarray(result.x, dtype=np.float64)


def pointwise(l2: float, transform: Callable[[Matrix, Matrix], Matrix] | None = None) -> Fitter:
    """Logistic regression over every candidate; ``transform(x, train_x)`` maps the features first."""

    def fit(groups: list[tuple[Matrix, npt.NDArray[np.bool_]]]) -> Scorer:
        x = np.vstack([g[0] for g in groups])
        y = np.concatenate([g[1] for g in groups]).astype(np.float64)

        def t(a: Matrix) -> Matrix:
            return transform(a, x) if transform else a

        w = _logistic(t(x), y, l2)
        return lambda a: w[0] + t(a) @ w[1:]

    return fit


def listwise(l2: float) -> Fitter:
    """The conditional logit of ``citeqa.index.answering.ranker.fit_ranker``."""
    from citeqa.index.answering.ranker import RankingGroup, fit_ranker

    def fit(groups: list[tuple[Matrix, npt.NDArray[np.bool_]]]) -> Scorer:
        names = [str(i) for i in range(groups[0][0].shape[1])]
        ranker = fit_ranker([RankingGroup(x, g) for x, g in groups], names, l2)
        w = np.asarray([ranker.weights[n] for n in names])
        return lambda a: a @ w

    return fit


def quadratic(a: Matrix, train: Matrix) -> Matrix:
    """Standardised features (by the training candidates) and every product of two of them."""
    mean, std = train.mean(axis=0), train.std(axis=0)
    std[std < 1e-9] = 1.0
    z = (a - mean) / std
    left, right = np.triu_indices(a.shape[1])
    return np.hstack([z, z[:, left] * z[:, right]])


def relative(a: Matrix, _train: Matrix) -> Matrix:
    """The features and their difference to the question's best candidate."""
    return np.hstack([a, a - a.max(axis=0, keepdims=True)]) if len(a) else a


def trees() -> Fitter:
    from sklearn.ensemble import HistGradientBoostingClassifier

    def fit(groups: list[tuple[Matrix, npt.NDArray[np.bool_]]]) -> Scorer:
        x = np.vstack([g[0] for g in groups])
        y = np.concatenate([g[1] for g in groups]).astype(int)
        model = HistGradientBoostingClassifier(max_depth=3, learning_rate=0.05, max_iter=200, min_samples_leaf=40)
        model.fit(x, y)
        return lambda a: model.predict_proba(a)[:, 1]

    return fit


def mlp(hidden: int) -> Fitter:
    from sklearn.neural_network import MLPClassifier

    def fit(groups: list[tuple[Matrix, npt.NDArray[np.bool_]]]) -> Scorer:
        x = np.vstack([g[0] for g in groups])
        y = np.concatenate([g[1] for g in groups]).astype(int)
        mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
        models = [
            MLPClassifier((hidden,), alpha=1.0, max_iter=500, random_state=s).fit((x - mean) / std, y) for s in range(3)
        ]
        return lambda a: sum(m.predict_proba((a - mean) / std)[:, 1] for m in models)

    return fit


def variants() -> dict[str, Fitter]:
    return {
        "pointwise logistic, L2 1 (shipped recipe)": pointwise(1.0),
        "pointwise logistic, L2 3": pointwise(3.0),
        "pointwise logistic, L2 10": pointwise(10.0),
        "listwise, L2 1": listwise(1.0),
        "listwise, L2 3": listwise(3.0),
        "quadratic (standardised + products), L2 3": pointwise(3.0, quadratic),
        "quadratic (standardised + products), L2 10": pointwise(10.0, quadratic),
        "quadratic (standardised + products), L2 30": pointwise(30.0, quadratic),
        "relative to the question's best, L2 3": pointwise(3.0, relative),
        "relative to the question's best, L2 10": pointwise(10.0, relative),
        "gradient-boosted trees (depth 3, 200 rounds)": trees(),
        "MLP, 16 hidden units, 3 seeds": mlp(16),
    }


if __name__ == "__main__":
    main()
