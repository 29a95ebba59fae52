"""Metric functions: hand-worked cases, and a cross-check against pytrec_eval (trec_eval) on the same lists."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
import pytrec_eval

from citeqa.index.evaluation import metrics as m


@pytest.mark.parametrize(
    ("ranked", "relevant", "k", "expected"),
    [
        (["a", "b", "c"], {"a": 1}, 3, {"hit@3": 1, "recall@3": 1, "mrr@3": 1, "ndcg@3": 1}),
        (["x", "a", "c"], {"a": 1}, 3, {"hit@3": 1, "recall@3": 1, "mrr@3": 0.5, "ndcg@3": 1 / math.log2(3)}),
        (["x", "y", "a"], {"a": 1}, 2, {"hit@2": 0, "recall@2": 0, "mrr@2": 0, "ndcg@2": 0}),
        (
            ["a", "x", "b"],
            {"a": 1, "b": 1},
            3,
            {"hit@3": 1, "recall@3": 1, "mrr@3": 1, "ndcg@3": (1 + 1 / 2) / (1 + 1 / math.log2(3))},
        ),
        (["x", "a"], {"a": 1, "b": 1, "c": 1, "d": 1}, 2, {"hit@2": 1, "recall@2": 0.25, "mrr@2": 0.5}),
        ([], {"a": 1}, 5, {"hit@5": 0, "recall@5": 0, "mrr@5": 0, "ndcg@5": 0}),
    ],
)
def test_ranking_metrics_by_hand(ranked: list[str], relevant: dict[str, float], k: int, expected: dict) -> None:
    got = m.ranking_metrics(ranked, relevant, k)
    for name, value in expected.items():
        assert got[name] == pytest.approx(value), name


def test_first_occurrences_maps_passages_to_documents() -> None:
    assert m.first_occurrences(["d1", "d1", "d2", "d1", "d3"]) == ["d1", "d2", "d3"]


def trec_eval_scores(runs: dict[str, list[str]], qrels: dict[str, dict[str, int]], k: int) -> dict[str, dict]:
    """pytrec_eval over runs truncated to ``k`` (scores strictly decreasing, so trec_eval keeps our order)."""
    run = {q: {d: float(len(ranked) - i) for i, d in enumerate(ranked[:k])} for q, ranked in runs.items()}
    measures = {"recip_rank", f"ndcg_cut.{k}", f"recall.{k}", f"success.{k}"}
    return pytrec_eval.RelevanceEvaluator(qrels, measures).evaluate(run)


def assert_same_as_trec_eval(runs: dict[str, list[str]], qrels: dict[str, dict[str, int]], k: int) -> None:
    reference = trec_eval_scores(runs, qrels, k)
    for qid, ranked in runs.items():
        ours = m.ranking_metrics(ranked, qrels[qid], k)
        theirs = reference[qid]
        assert ours[f"mrr@{k}"] == pytest.approx(theirs["recip_rank"], abs=1e-9), qid
        assert ours[f"ndcg@{k}"] == pytest.approx(theirs[f"ndcg_cut_{k}"], abs=1e-9), qid
        assert ours[f"recall@{k}"] == pytest.approx(theirs[f"recall_{k}"], abs=1e-9), qid
        assert ours[f"hit@{k}"] == pytest.approx(theirs[f"success_{k}"], abs=1e-9), qid


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("k", [1, 3, 10])
def test_matches_trec_eval_on_random_rankings(seed: int, k: int) -> None:
    rng = random.Random(seed)
    docs = [f"d{i}" for i in range(40)]
    runs, qrels = {}, {}
    for q in range(30):
        qid = f"q{q}"
        runs[qid] = rng.sample(docs, rng.randint(0, 15))
        qrels[qid] = {d: rng.choice([1, 1, 2, 3]) for d in rng.sample(docs, rng.randint(1, 6))}
    assert_same_as_trec_eval(runs, qrels, k)


@pytest.mark.parametrize(
    ("text", "fragment", "spans"),
    [
        ("Beijing is “rapidly developing technologies”", 'is "rapidly developing', [(8, 30)]),
        ("a  b\n c a b c", "a b c", [(0, 7), (8, 13)]),
        ("Nothing here", "absent", []),
        ("Japan’s desire", "japan's", [(0, 7)]),
    ],
)
def test_find_spans_normalises_quotes_and_whitespace(text: str, fragment: str, spans: list) -> None:
    assert m.find_spans(text, fragment) == spans


@pytest.mark.parametrize(
    ("prediction", "answers", "contains", "f1"),
    [
        ("Mark Rutte visited Tokyo. [1]", ["Mark Rutte"], True, 2 * (2 / 4 * 1) / (2 / 4 + 1)),
        ("The prime minister [1]", ["prime minister"], True, 1.0),
        ("Ishiba’s cabinet", ["Ishiba's"], True, 2 * (2 / 3) / (2 / 3 + 1)),
        ("something else", ["Rutte", "Mark Rutte"], False, 0.0),
    ],
)
def test_answer_containment_and_token_f1(prediction: str, answers: list[str], contains: bool, f1: float) -> None:
    assert m.contains_answer(prediction, answers) is contains
    assert m.best_token_f1(prediction, answers) == pytest.approx(f1)


def test_abstention_positive_class_is_abstained() -> None:
    # predicted answerable vs labelled answerable: 2 right abstentions, 1 wrong abstention, 1 missed, 2 right answers
    got = m.abstention_metrics([False, False, False, True, True, True], [False, False, True, False, True, True])
    assert (got.true_positives, got.false_positives, got.false_negatives, got.true_negatives) == (2, 1, 1, 2)
    assert got.precision == pytest.approx(2 / 3)
    assert got.recall == pytest.approx(2 / 3)
    assert got.accuracy == pytest.approx(4 / 6)
    assert m.abstention_metrics([True], [True]).recall is None


@pytest.mark.parametrize("q", [0, 50, 90, 95, 100])
@pytest.mark.parametrize("values", [[5.0, 1.0, 2.0, 3.0, 4.0], [7.5], [3.0, 1.0, 10.0, 2.5, 2.5, 40.0]])
def test_percentile_matches_numpy_linear(values: list[float], q: float) -> None:
    assert m.percentile(values, q) == pytest.approx(float(np.percentile(values, q)))
    assert m.percentile([], q) is None
