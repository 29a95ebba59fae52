"""Evaluation metrics as pure functions (no I/O, no model): ranking, answers, abstention, latency.

Ranking metrics take a ranked list of item ids (best first, each id at most once) and the
relevant ids with their gains. Definitions (also in docs/evaluation.md):

- ``hit@k``: 1 if a relevant item is among the first ``k``, else 0.
- ``recall@k``: relevant items among the first ``k`` / all relevant items.
- ``MRR@k``: 1 / rank of the first relevant item when that rank is <= ``k``, else 0.
- ``nDCG@k``: sum over ranks r <= k of gain / log2(r + 1), divided by the same sum over the
  ideal ordering of the relevant gains (linear gains, as trec_eval).
"""

from __future__ import annotations

import math
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_MARKERS = re.compile(r"\s*\[\d+\]")


def first_occurrences(ids: Iterable[str]) -> list[str]:
    """Ids in order with repeats removed (passages mapped to documents: first occurrence counts)."""
    return list(dict.fromkeys(ids))


def hit_at(ranked: Sequence[str], relevant: Mapping[str, float], k: int) -> float:
    return 1.0 if any(relevant.get(i, 0) > 0 for i in ranked[:k]) else 0.0


def recall_at(ranked: Sequence[str], relevant: Mapping[str, float], k: int) -> float:
    positives = {i for i, g in relevant.items() if g > 0}
    if not positives:
        return 0.0
    return len(positives.intersection(ranked[:k])) / len(positives)


def reciprocal_rank_at(ranked: Sequence[str], relevant: Mapping[str, float], k: int) -> float:
    for rank, item in enumerate(ranked[:k], start=1):
        if relevant.get(item, 0) > 0:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: Sequence[str], relevant: Mapping[str, float], k: int) -> float:
    dcg = sum(relevant.get(item, 0) / math.log2(rank + 1) for rank, item in enumerate(ranked[:k], start=1))
    ideal_gains = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    ideal = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal_gains, start=1))
    return dcg / ideal if ideal > 0 else 0.0


def first_relevant_rank(ranked: Sequence[str], relevant: Mapping[str, float]) -> int | None:
    """1-based rank of the first relevant item, None when none is ranked."""
    for rank, item in enumerate(ranked, start=1):
        if relevant.get(item, 0) > 0:
            return rank
    return None


def ranking_metrics(ranked: Sequence[str], relevant: Mapping[str, float], k: int) -> dict[str, float]:
    """hit, recall, mrr and ndcg at ``k`` for one ranked list."""
    return {
        f"hit@{k}": hit_at(ranked, relevant, k),
        f"recall@{k}": recall_at(ranked, relevant, k),
        f"mrr@{k}": reciprocal_rank_at(ranked, relevant, k),
        f"ndcg@{k}": ndcg_at(ranked, relevant, k),
    }


def normalize_text(text: str) -> str:
    """NFKC, typographic quotes and dashes made plain, lower case, runs of whitespace made one space."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).translate(_DASHES).lower()
    return " ".join(text.split())


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """``normalize_text`` of ``text`` plus, for each output character, its offset in ``text``.

    Character by character so that offsets survive; NFKC expansions map to their source character.
    """
    out: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            pending_space = bool(out)
            continue
        piece = unicodedata.normalize("NFKC", ch).translate(_QUOTES).translate(_DASHES).lower()
        if pending_space:
            out.append(" ")
            offsets.append(i)
            pending_space = False
        for p in piece:
            out.append(p)
            offsets.append(i)
    return "".join(out), offsets


def find_spans(text: str, fragment: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` whose normalised form equals the normalised ``fragment``."""
    needle = normalize_text(fragment)
    if not needle:
        return []
    haystack, offsets = normalize_with_offsets(text)
    spans = []
    at = haystack.find(needle)
    while at >= 0:
        spans.append((offsets[at], offsets[at + len(needle) - 1] + 1))
        at = haystack.find(needle, at + 1)
    return spans


def spans_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def span_contains(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def strip_markers(answer: str) -> str:
    """An answer without its ``[n]`` citation markers."""
    return _MARKERS.sub("", answer)


def answer_tokens(text: str) -> list[str]:
    """SQuAD-style tokens: normalised, punctuation and English articles removed."""
    text = normalize_text(text)
    text = "".join(ch if ch not in string.punctuation else " " for ch in text)
    return _ARTICLES.sub(" ", text).split()


def token_f1(prediction: str, reference: str) -> float:
    """Harmonic mean of token precision and recall (bags of tokens, as SQuAD)."""
    pred, ref = answer_tokens(prediction), answer_tokens(reference)
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def best_token_f1(prediction: str, references: Sequence[str]) -> float:
    return max((token_f1(strip_markers(prediction), r) for r in references), default=0.0)


def contains_answer(prediction: str, references: Sequence[str]) -> bool:
    """True when a normalised acceptable answer occurs inside the normalised prediction."""
    text = normalize_text(strip_markers(prediction))
    return any(normalize_text(r) and normalize_text(r) in text for r in references)


@dataclass(frozen=True)
class AbstentionMetrics:
    """Abstention as a binary classifier whose POSITIVE class is "abstained" (answerable=false).

    precision = correct abstentions / all abstentions; recall = correct abstentions / all
    unanswerable questions; accuracy = questions where answered-or-abstained matches the label.
    A ratio with a zero denominator is None.
    """

    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def precision(self) -> float | None:
        return _ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float | None:
        return _ratio(self.true_positives, self.true_positives + self.false_negatives)

    @property
    def accuracy(self) -> float | None:
        total = self.true_positives + self.false_positives + self.false_negatives + self.true_negatives
        return _ratio(self.true_positives + self.true_negatives, total)


def abstention_metrics(predicted_answerable: Sequence[bool], labelled_answerable: Sequence[bool]) -> AbstentionMetrics:
    """Confusion counts of abstention (positive = abstained) against the labels."""
    pairs = list(zip(predicted_answerable, labelled_answerable, strict=True))
    return AbstentionMetrics(
        true_positives=sum(1 for p, y in pairs if not p and not y),
        false_positives=sum(1 for p, y in pairs if not p and y),
        false_negatives=sum(1 for p, y in pairs if p and not y),
        true_negatives=sum(1 for p, y in pairs if p and y),
    )


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) with linear interpolation between order statistics."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are not None; None when there is none."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None
