"""How many distinct requests ``make bench`` sends per level: all it plans when the question pool allows."""

from __future__ import annotations

import pytest

from bench.questions import QuestionSource
from bench.serving import LEVELS, REQUESTS, WARMUP, planned_requests


def test_a_large_pool_gets_the_full_plan() -> None:
    assert planned_requests(46_753) == REQUESTS
    assert planned_requests(4_199) == REQUESTS  # the 200-article slice's pool covers a round


def test_a_small_pool_scales_every_level_down_and_is_never_exhausted() -> None:
    for servers_warmed in (2, 3):  # citeqa's two routes, and txtai's
        plan = planned_requests(2_000, servers_warmed)
        assert plan[1] < plan[8] < plan[32] < REQUESTS[32]
        used = len(LEVELS) * servers_warmed * WARMUP + 2 * sum(plan.values())
        assert 2_000 - 2 * len(LEVELS) <= used <= 2_000


def test_every_round_hands_out_the_same_questions_and_none_twice_within_one() -> None:
    source = QuestionSource([f"q{i}" for i in range(10)])
    first = source.take(4) + source.take(4)
    assert len(set(first)) == 8
    with pytest.raises(RuntimeError, match="exhausted"):
        source.take(3)
    source.restart()
    assert source.take(4) + source.take(4) == first
