"""Summaries of repeated timings: medians, percentiles and the spread between repeats."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/max of latency samples in milliseconds."""
    a = np.asarray(samples_ms, dtype=np.float64)
    if not len(a):
        return {"n": 0}
    return {
        "n": len(a),
        "p50_ms": round(float(np.percentile(a, 50)), 3),
        "p95_ms": round(float(np.percentile(a, 95)), 3),
        "p99_ms": round(float(np.percentile(a, 99)), 3),
        "max_ms": round(float(a.max()), 3),
    }


def repeated(values: Sequence[float]) -> dict[str, float | list[float]]:
    """Median of repeats, with every repeat and the relative spread ((max - min) / median)."""
    a = np.asarray(values, dtype=np.float64)
    median = float(np.median(a))
    return {
        "median": round(median, 3),
        "min": round(float(a.min()), 3),
        "max": round(float(a.max()), 3),
        "spread": round(float((a.max() - a.min()) / median), 3) if median else 0.0,
        "repeats": [round(float(v), 3) for v in a],
    }


def ratio(ours: float, theirs: float) -> float:
    return round(ours / theirs, 3) if theirs else float("inf")
