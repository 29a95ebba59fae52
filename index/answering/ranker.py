"""The sentence ranker: a linear score over candidate features, learned listwise from labelled questions.

``score = sum(weight[f] * feature[f])``; within one question the candidates' softmax over these
scores is the probability that each one is the sentence holding the answer. ``fit_ranker``
maximises the log of the probability mass on the sentences that hold an acceptable answer
(a listwise, "conditional logit" objective) with an L2 penalty, by L-BFGS. The weights are
stored as JSON inside the answer model file (``citeqa.index.answering.abstention``), never pickled.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from citeqa.index.answering.features import CANDIDATE_FEATURES, Candidate

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Ranker:
    """Linear scorer of candidate sentences; ``weights`` maps feature names of ``CANDIDATE_FEATURES``.

    ``second_ratio``: an answer also cites the second-best sentence of the same article when its
    probability is at least this share of the best one's (above 1: never).
    """

    weights: Mapping[str, float]
    bias: float = 0.0
    second_ratio: float = 1.01

    def probability(self, features: Mapping[str, float]) -> float:
        """sigmoid(score): for a pointwise fit, the probability that the sentence holds the answer."""
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.score(features)))))

    def score(self, features: Mapping[str, float]) -> float:
        """The candidate's score: the log-odds that it holds the answer (pointwise fit), or a score whose
        differences within a question are log-probability ratios (listwise fit)."""
        get = features.get  # features are floats (``candidate_features``): no conversion per term
        return self.bias + sum([w * get(name, 0.0) for name, w in self._items])

    @cached_property
    def _items(self) -> tuple[tuple[str, float], ...]:
        return tuple(self.weights.items())

    def rank(self, candidates: Sequence[Candidate]) -> list[Candidate]:
        """``candidates`` with their score, best first (ties keep passage order)."""
        scored = [
            Candidate(c.doc_id, c.start, c.end, c.index, c.features, self.score(c.features), c.similarity)
            for c in candidates
        ]
        return sorted(scored, key=lambda c: -c.score)

    def to_json(self) -> dict[str, Any]:
        return {
            "bias": round(self.bias, 6),
            "second_ratio": self.second_ratio,
            "weights": {name: round(w, 6) for name, w in self.weights.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Ranker:
        """Raises ValueError naming unknown features; KeyError/TypeError on a malformed mapping."""
        weights = {str(k): float(v) for k, v in dict(data["weights"]).items()}
        unknown = sorted(set(weights) - set(CANDIDATE_FEATURES))
        if unknown:
            raise ValueError(f"unknown ranker features {unknown}; known: {list(CANDIDATE_FEATURES)}")
        return cls(weights, float(data.get("bias", 0.0)), float(data.get("second_ratio", 1.01)))


@dataclass(frozen=True)
class RankingGroup:
    """One question's candidates: ``features`` is (candidates x features), ``good`` marks answer sentences."""

    features: Matrix
    good: npt.NDArray[np.bool_]


def feature_matrix(candidates: Sequence[Candidate], names: Sequence[str] = CANDIDATE_FEATURES) -> Matrix:
    """(len(candidates) x len(names)) float64 matrix of the named features (missing ones are 0)."""
    return np.asarray([[float(c.features.get(n, 0.0)) for n in names] for c in candidates], dtype=np.float64).reshape(
        len(candidates), len(names)
    )


def fit_ranker(groups: Sequence[RankingGroup], names: Sequence[str] = CANDIDATE_FEATURES, l2: float = 1.0) -> Ranker:
    """Listwise fit; groups without both a good and a bad candidate carry no information and are skipped.

    Raises ValueError when no group is informative.
    """
    useful = [g for g in groups if g.good.any() and not g.good.all()]
    if not useful:
        raise ValueError("no question has both a sentence holding its answer and one that does not")

    def loss(w: Matrix) -> tuple[float, Matrix]:
        total = 0.5 * l2 * float(w @ w)
        gradient = l2 * w
        for g in useful:
            s = g.features @ w
            top = s.max()
            e = np.exp(s - top)
            all_log = np.log(e.sum()) + top
            good_e = e * g.good
            good_log = np.log(good_e.sum()) + top
            total += float(all_log - good_log)
            gradient = gradient + g.features.T @ (e / e.sum() - good_e / good_e.sum())
        return total, gradient

    from scipy.optimize import minimize  # fitting only: serving never loads scipy.optimize (~27 MB)

    result = minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return Ranker({n: float(v) for n, v in zip(names, result.x, strict=True)})


def fit_pointwise(groups: Sequence[RankingGroup], names: Sequence[str] = CANDIDATE_FEATURES, l2: float = 1.0) -> Ranker:
    """Logistic regression over every candidate of every question (unanswerable questions' candidates are
    all bad), so ``score`` is the log-odds that a sentence holds the answer, comparable across questions.

    Raises ValueError without a good candidate.
    """
    x = np.vstack([g.features for g in groups]) if groups else np.zeros((0, len(names)))
    y = np.concatenate([g.good for g in groups]).astype(np.float64) if groups else np.zeros(0)
    if not y.any():
        raise ValueError("no candidate sentence holds an answer")
    x1 = np.hstack([np.ones((len(x), 1)), x])

    def loss(w: Matrix) -> tuple[float, Matrix]:
        z = x1 @ w
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        penalty = l2 * np.r_[0.0, w[1:]]
        value = float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * float(w[1:] @ w[1:]))
        return value, x1.T @ (p - y) + penalty

    from scipy.optimize import minimize  # fitting only, as above

    result = minimize(loss, np.zeros(len(names) + 1), jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    return Ranker({n: float(v) for n, v in zip(names, result.x[1:], strict=True)}, float(result.x[0]))


def top_is_good(ranker: Ranker, candidates: Sequence[Candidate], good: Sequence[bool]) -> bool:
    """Whether the best-scored candidate is one marked good (False for no candidates)."""
    if not candidates:
        return False
    scores = [ranker.score(c.features) for c in candidates]
    return bool(good[int(np.argmax(scores))])
