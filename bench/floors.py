"""Ratios against the peers measured in the same run, and the performance floors checked on them.

Floors (issue 14), on the whole BBC corpus (the largest corpus of the run) unless said otherwise:
one client, ``/v1/ask`` p50 at most 2x ``/v1/search`` p50; 32 clients, ``/v1/ask`` throughput at
least 3x txtai's ``/search`` with a lower p99; ``/v1/search`` p99 at most 100 ms at 32 clients (every
corpus); peak RSS serving at most 400 MB; build at least 2x LangChain's chunks/s.

A ratio between two systems is paired: the median over rounds of the ratio within each round
(``paired``), where both sides ran seconds apart, each on a fresh process; the ratio of the two medians
(each possibly from a different round, so a slow spell of the shared machine in one round can set
one side's median and not the other's) is kept beside it as ``<name>_of_medians``. The search p99s
are medians over rounds; the floors list each round's value beside both kinds. The build runs once
(``--build-rounds``); peak RSS is the largest VmHWM of every citeqa server of the run.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bench.stats import ratio


def _median(level: dict[str, Any], system: str, figure: str) -> float:
    value: float = level[system][figure]["median"]
    return value


def paired(level: dict[str, Any], ours: str, theirs: str, figure: str) -> dict[str, Any]:
    """``ours``'s ``figure`` over ``theirs``'s at one level, round by round: ``{"median", "rounds"}``, the
    median of the per-round ratios and each round's ratio (3 decimals). Raises KeyError when a system or
    figure is missing, ValueError when the two systems ran a different number of rounds."""
    a, b = level[ours][figure]["repeats"], level[theirs][figure]["repeats"]
    if len(a) != len(b):
        raise ValueError(f"{ours} ran {len(a)} rounds and {theirs} {len(b)}: ratios pair rounds")
    rounds = [ratio(x, y) for x, y in zip(a, b, strict=True)]
    return {"median": round(float(np.median(rounds)), 3), "rounds": rounds}


def _pair(out: dict[str, Any], name: str, level: dict[str, Any], ours: str, theirs: str, figure: str) -> None:
    """``out[name]`` the paired ratio, ``out[name + "_rounds"]`` its rounds, ``out[name + "_of_medians"]``."""
    both = paired(level, ours, theirs, figure)
    out[name], out[f"{name}_rounds"] = both["median"], both["rounds"]
    out[f"{name}_of_medians"] = ratio(_median(level, ours, figure), _median(level, theirs, figure))


def corpus_ratios(corpus: dict[str, Any]) -> dict[str, Any]:
    """Every ratio of one corpus's figures: ask against search, citeqa against txtai and LangChain; those
    between systems of one level paired round by round (the module's docstring)."""
    levels = corpus["serving"]["levels"]
    one, top = levels["1"], levels["32"]
    out: dict[str, Any] = {
        "build_vs_langchain": corpus["build"]["ratio"],
        "ask_rps_32_vs_1": ratio(_median(top, "ask", "rps"), _median(one, "ask", "rps")),
        "search_rps_32_vs_1": ratio(_median(top, "search", "rps"), _median(one, "search", "rps")),
    }
    _pair(out, "ask_p50_vs_search_p50_1_client", one, "ask", "search", "p50_ms")
    if "langchain" in one:
        _pair(out, "search_p50_vs_langchain_in_process", one, "search", "langchain", "p50_ms")
    if "txtai" in top:
        for clients, level in levels.items():
            for system in ("search", "ask"):
                _pair(out, f"{system}_rps_vs_txtai_{clients}", level, system, "txtai", "rps")
                _pair(out, f"{system}_p99_vs_txtai_{clients}", level, system, "txtai", "p99_ms")
    return out


def _floor(
    name: str, value: float, limit: float, at_most: bool, strict: bool = False, rounds: list[float] | None = None
) -> dict[str, Any]:
    ok = (value < limit if strict else value <= limit) if at_most else value >= limit
    bound = ("<" if strict else "<=") if at_most else ">="
    out = {"floor": name, "value": value, "limit": f"{bound} {limit}", "met": ok}
    return out if rounds is None else {**out, "rounds": rounds}


def check_floors(corpora: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The floors, each with its measured value, each round's value where there are rounds (``rounds``),
    the limit and whether it is met."""
    largest = corpora[max(corpora, key=int)]
    r, serving = largest["ratios"], largest["serving"]
    name = f"{largest['articles']} articles"
    out = [
        _floor(
            f"{name}, 1 client: /v1/ask p50 / /v1/search p50",
            r["ask_p50_vs_search_p50_1_client"],
            2.0,
            True,
            rounds=r["ask_p50_vs_search_p50_1_client_rounds"],
        ),
        _floor(f"{name}: peak RSS serving, MB", serving["peak_rss_mb"], 400.0, True),
        _floor(f"{name}: build chunks/s / LangChain's", r["build_vs_langchain"], 2.0, False),
    ]
    if "ask_rps_vs_txtai_32" in r:
        out.append(
            _floor(
                f"{name}, 32 clients: /v1/ask req/s / txtai /search req/s",
                r["ask_rps_vs_txtai_32"],
                3.0,
                False,
                rounds=r["ask_rps_vs_txtai_32_rounds"],
            )
        )
        out.append(
            _floor(
                f"{name}, 32 clients: /v1/ask p99 / txtai /search p99",
                r["ask_p99_vs_txtai_32"],
                1.0,
                True,
                strict=True,
                rounds=r["ask_p99_vs_txtai_32_rounds"],
            )
        )
    for corpus in corpora.values():
        p99 = corpus["serving"]["levels"]["32"]["search"]["p99_ms"]
        name = f"{corpus['articles']} articles, 32 clients: /v1/search p99, ms"
        out.append(_floor(name, p99["median"], 100.0, True, rounds=p99.get("repeats")))
    return out
