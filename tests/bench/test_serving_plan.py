"""How many distinct requests ``make bench`` sends per level: all it plans when the question pool allows."""

from __future__ import annotations

from bench.serving import LEVELS, REQUESTS, WARMUP, planned_requests


def test_a_large_pool_gets_the_full_plan() -> None:
    assert planned_requests(46_753, 3) == REQUESTS


def test_a_small_pool_scales_every_level_down_and_is_never_exhausted() -> None:
    for servers_warmed in (2, 3):  # citeqa's two routes, and txtai's
        plan = planned_requests(4_199, 3, servers_warmed)  # the 200-article slice's pool
        assert plan[1] < plan[8] < plan[32] < REQUESTS[32]
        used = 3 * (len(LEVELS) * servers_warmed * WARMUP + 2 * sum(plan.values()))
        assert 4_199 - 3 * 2 * len(LEVELS) <= used <= 4_199
