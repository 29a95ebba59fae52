"""The abstention model: a small logistic regression over answerability signals, stored as JSON.

A question is answered when ``probability(signals) >= threshold``. The weights ship in
``index/answering/abstain_model.json`` and can be refitted on a team's own labelled questions with
``citeqa calibrate`` (``fit_abstain_model``), which writes another JSON file of the same shape.
Never pickled: the file is plain JSON a reviewer can read.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from citeqa.index.answering.features import SIGNAL_HELP, SIGNALS
from citeqa.index.answering.ranker import Ranker
from citeqa.index.errors import AbstainModelError
from citeqa.index.store.atomic import write_atomic

FORMAT = 1
DEFAULT_MODEL_FILE = "abstain_model.json"

FEATURES: tuple[str, ...] = SIGNALS
FEATURE_HELP: dict[str, str] = SIGNAL_HELP


@dataclass(frozen=True)
class AbstainModel:
    """Logistic model over named signals; answer when p >= threshold.

    ``ranker`` (optional) scores candidate sentences (``citeqa.index.answering.ranker``); a file without one is
    served with the packaged ranker.
    """

    bias: float
    weights: Mapping[str, float]
    threshold: float = 0.5
    note: str = ""
    curve: tuple[dict[str, float], ...] = field(default=(), compare=False)
    ranker: Ranker | None = None

    def logit(self, signals: Mapping[str, float]) -> float:
        return self.bias + sum(w * float(signals.get(name, 0.0)) for name, w in self.weights.items())

    def probability(self, signals: Mapping[str, float]) -> float:
        z = self.logit(signals)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def with_threshold(self, threshold: float) -> AbstainModel:
        return AbstainModel(self.bias, dict(self.weights), threshold, self.note, self.curve, self.ranker)

    def to_json(self) -> dict[str, Any]:
        ranker = {"ranker": self.ranker.to_json()} if self.ranker is not None else {}
        return ranker | {
            "format": FORMAT,
            "features": {name: FEATURE_HELP.get(name, "") for name in self.weights},
            "bias": round(self.bias, 6),
            "weights": {name: round(w, 6) for name, w in self.weights.items()},
            "threshold": round(self.threshold, 6),
            "note": self.note,
            "curve": list(self.curve),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], source: str = "abstention model") -> AbstainModel:
        try:
            if data.get("format") != FORMAT:
                raise ValueError(f"format must be {FORMAT}")
            weights = {str(k): float(v) for k, v in dict(data["weights"]).items()}
            unknown = sorted(set(weights) - set(FEATURES))
            if unknown:
                raise ValueError(f"unknown signals {unknown}; known: {list(FEATURES)}")
            threshold = float(data["threshold"])
            if not 0.0 <= threshold <= 1.0:
                raise ValueError("threshold must be within [0, 1]")
            curve = tuple(dict(point) for point in data.get("curve", ()))
            ranker = Ranker.from_json(data["ranker"]) if "ranker" in data else None
            return cls(float(data["bias"]), weights, threshold, str(data.get("note", "")), curve, ranker)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise AbstainModelError(
                f"{source}: not a citeqa abstention model ({exc}): see `citeqa calibrate`"
            ) from None


def load_abstain_model(path: Path | None = None) -> AbstainModel:
    """The model in ``path``, or the one shipped with the package when ``path`` is None."""
    if path is None:
        text = resources.files(__package__).joinpath(DEFAULT_MODEL_FILE).read_text(encoding="utf-8")
        return AbstainModel.from_json(json.loads(text), DEFAULT_MODEL_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise AbstainModelError(f"cannot read abstention model {path}: {exc}") from None
    if not isinstance(data, dict):
        raise AbstainModelError(f"{path}: not a citeqa abstention model (expected a JSON object)")
    return AbstainModel.from_json(data, str(path))


def save_abstain_model(model: AbstainModel, path: Path) -> None:
    """Write ``model`` as JSON, atomically (a reader never sees half a file). Raises ``OSError``."""
    write_atomic(path, json.dumps(model.to_json(), indent=2) + "\n")


def signal_matrix(
    signals: Sequence[Mapping[str, float]], features: Sequence[str] = FEATURES
) -> npt.NDArray[np.float64]:
    return np.asarray([[float(s.get(f, 0.0)) for f in features] for s in signals], dtype=np.float64)


def fit_abstain_model(
    signals: Sequence[Mapping[str, float]],
    answerable: Sequence[bool],
    prior: AbstainModel,
    strength: float = 1.0,
    iterations: int = 50,
) -> AbstainModel:
    """Logistic regression by Newton's method, with an L2 pull (``strength``) towards ``prior``.

    The pull keeps small labelled sets from producing extreme weights: with few questions
    the fit stays close to the shipped model, with many the data dominate. The threshold is
    then chosen to maximise accuracy on the same questions (``choose_threshold``).
    """
    features = list(prior.weights) or list(FEATURES)
    x = np.hstack([np.ones((len(signals), 1)), signal_matrix(signals, features)])
    y = np.asarray(answerable, dtype=np.float64)
    w0 = np.asarray([prior.bias, *[prior.weights.get(f, 0.0) for f in features]], dtype=np.float64)
    penalty = np.full(len(w0), strength)
    penalty[0] = strength * 0.1
    w = w0.copy()
    loss = _penalised_loss(w, x, y, w0, penalty)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * (w - w0)
        hessian = (x.T * (p * (1 - p))) @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        scale = 1.0
        while scale > 1e-4 and _penalised_loss(w - scale * step, x, y, w0, penalty) > loss:
            scale /= 2  # backtracking: Newton steps can overshoot on separable data
        w = w - scale * step
        new_loss = _penalised_loss(w, x, y, w0, penalty)
        if loss - new_loss < 1e-9:
            break
        loss = new_loss
    fitted = AbstainModel(
        float(w[0]), dict(zip(features, (float(v) for v in w[1:]), strict=True)), 0.5, ranker=prior.ranker
    )
    probabilities = [fitted.probability(s) for s in signals]
    return fitted.with_threshold(choose_threshold(probabilities, answerable))


def _penalised_loss(
    w: npt.NDArray[np.float64],
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    w0: npt.NDArray[np.float64],
    penalty: npt.NDArray[np.float64],
) -> float:
    z = x @ w
    log_loss = np.sum(np.logaddexp(0.0, z) - y * z)
    return float(log_loss + 0.5 * np.sum(penalty * (w - w0) ** 2))


def choose_threshold(probabilities: Sequence[float], answerable: Sequence[bool]) -> float:
    """The threshold with the best abstention accuracy; among equals, the middle of the widest run."""
    if not probabilities:
        return 0.5
    cuts = _cuts(probabilities)
    scores = [accuracy(probabilities, answerable, t) for t in cuts]
    return _middle_of_best(cuts, scores, prefer_near_half=True)


def choose_capped_threshold(
    probabilities: Sequence[float], answerable: Sequence[bool], max_wrong_abstain: float
) -> float:
    """The most accurate threshold among those abstaining on at most ``max_wrong_abstain`` (a share)
    of the answerable questions; among equals, the middle of the widest run (as ``choose_threshold``)."""
    if not probabilities:
        return 0.5
    answerable_count = max(sum(answerable), 1)
    allowed = [
        t
        for t in _cuts(probabilities)
        if sum(p < t for p, a in zip(probabilities, answerable, strict=True) if a) / answerable_count
        <= max_wrong_abstain
    ]
    scores = [accuracy(probabilities, answerable, t) for t in allowed]
    return _middle_of_best(allowed, scores, prefer_near_half=False)


def _cuts(probabilities: Sequence[float]) -> list[float]:
    """Candidate thresholds: 0, the midpoints between distinct probabilities, just above the highest."""
    points = sorted(set(probabilities))
    return [0.0] + [(a + b) / 2 for a, b in itertools.pairwise(points)] + [min(1.0, points[-1] + 1e-6)]


def _middle_of_best(cuts: Sequence[float], scores: Sequence[float], *, prefer_near_half: bool) -> float:
    """The middle of the widest run of consecutive ``cuts`` scoring the best (ties: nearest 0.5 if asked)."""
    best = max(scores)
    runs: list[list[int]] = []
    for i, score in enumerate(scores):
        if score == best and runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        elif score == best:
            runs.append([i])
    spans = [(cuts[r[0]], cuts[r[-1]]) for r in runs]
    if prefer_near_half:
        low, high = max(spans, key=lambda s: (s[1] - s[0], -abs((s[0] + s[1]) / 2 - 0.5)))
    else:
        low, high = max(spans, key=lambda s: s[1] - s[0])
    return round((low + high) / 2, 4)


def accuracy(probabilities: Sequence[float], answerable: Sequence[bool], threshold: float) -> float:
    right = sum((p >= threshold) == bool(a) for p, a in zip(probabilities, answerable, strict=True))
    return right / len(probabilities) if probabilities else 0.0


def abstention_curve(probabilities: Sequence[float], answerable: Sequence[bool]) -> list[dict[str, float]]:
    """Precision and recall of abstaining (positive = unanswerable) at each distinct threshold."""
    unanswerable = sum(not a for a in answerable)
    out = []
    for t in sorted({0.0, *probabilities, 1.000001}):
        abstained = [not a for p, a in zip(probabilities, answerable, strict=True) if p < t]
        hits = sum(abstained)
        out.append(
            {
                "threshold": round(min(t, 1.0), 4),
                "abstained": len(abstained),
                "precision": round(hits / len(abstained), 4) if abstained else 1.0,
                "recall": round(hits / unanswerable, 4) if unanswerable else 1.0,
                "accuracy": round(accuracy(probabilities, answerable, t), 4),
            }
        )
    return out
