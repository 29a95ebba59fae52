"""Ratios and floors of a ``make bench`` result: paired round by round, met or not as the issue says."""

from __future__ import annotations

from typing import Any

import pytest

from bench.floors import check_floors, corpus_ratios, paired
from bench.stats import repeated


def _system(rps: float, p50: float, p99: float) -> dict[str, Any]:
    return {"rps": repeated([rps]), "p50_ms": repeated([p50]), "p99_ms": repeated([p99])}


def _corpus(articles: int, ask_p50: float, search_p99_32: float, rss: float) -> dict[str, Any]:
    levels = {
        "1": {"search": _system(200, 5, 9), "ask": _system(100, ask_p50, 20), "txtai": _system(50, 20, 30)},
        "8": {"search": _system(300, 20, 60), "ask": _system(200, 30, 80), "txtai": _system(60, 100, 200)},
        "32": {
            "search": _system(600, 50, search_p99_32),
            "ask": _system(240, 120, 300),
            "txtai": _system(60, 500, 600),
        },
    }
    corpus = {"articles": articles, "build": {"ratio": 2.5}, "serving": {"levels": levels, "peak_rss_mb": rss}}
    corpus["ratios"] = corpus_ratios(corpus)
    return corpus


def test_ratios_compare_medians_of_the_same_run() -> None:
    ratios = _corpus(200, 8, 90, 350)["ratios"]
    assert ratios["ask_p50_vs_search_p50_1_client"] == 1.6
    assert ratios["ask_rps_vs_txtai_32"] == 4.0 and ratios["ask_p99_vs_txtai_32"] == 0.5
    assert ratios["search_rps_32_vs_1"] == 3.0


def test_floors_are_judged_on_the_largest_corpus_and_search_p99_on_every_corpus() -> None:
    floors = check_floors({"200": _corpus(200, 30, 121, 900), "2225": _corpus(2225, 8, 90, 350)})
    met = {f["floor"]: f["met"] for f in floors}
    assert met["2225 articles, 1 client: /v1/ask p50 / /v1/search p50"] is True
    assert met["2225 articles: peak RSS serving, MB"] is True
    assert met["2225 articles, 32 clients: /v1/ask req/s / txtai /search req/s"] is True
    assert met["2225 articles, 32 clients: /v1/ask p99 / txtai /search p99"] is True
    assert met["200 articles, 32 clients: /v1/search p99, ms"] is False
    assert met["2225 articles, 32 clients: /v1/search p99, ms"] is True
    assert not any("200 articles: peak RSS" in f["floor"] for f in floors)


def test_ratios_between_systems_pair_rounds() -> None:
    """A slow spell in one round slows both systems of that round: the per-round ratios stay near 3.5
    while the ratio of the medians (ask's from round 2, txtai's from round 1) says 2.95."""
    level = {
        "ask": {"rps": repeated([338.0, 243.0, 230.0])},
        "txtai": {"rps": repeated([87.0, 82.3, 66.9])},
    }
    assert paired(level, "ask", "txtai", "rps") == {"median": 3.438, "rounds": [3.885, 2.953, 3.438]}
    corpus = {"build": {"ratio": 2.5}, "serving": {"levels": {"1": level, "32": level}}}
    level["ask"] |= {"p50_ms": repeated([8.0, 9.0, 10.0]), "p99_ms": repeated([100.0, 150.0, 170.0])}
    level["search"] = {"p50_ms": repeated([4.0, 5.0, 5.0]), "rps": repeated([600.0, 550.0, 400.0])}
    level["txtai"] |= {"p99_ms": repeated([440.0, 490.0, 510.0])}
    level["search"]["p99_ms"] = repeated([70.0, 78.0, 84.0])
    ratios = corpus_ratios(corpus)
    assert ratios["ask_rps_vs_txtai_32"] == 3.438 and ratios["ask_rps_vs_txtai_32_of_medians"] == 2.953
    assert ratios["ask_p50_vs_search_p50_1_client_rounds"] == [2.0, 1.8, 2.0]
    with pytest.raises(ValueError, match="pair rounds"):
        paired({"ask": {"rps": repeated([1.0, 2.0])}, "txtai": {"rps": repeated([1.0])}}, "ask", "txtai", "rps")
