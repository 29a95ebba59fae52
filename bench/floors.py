"""Ratios against the peers measured in the same run, and the performance floors checked on them.

Floors (issue 14), on the whole BBC corpus (the largest corpus of the run) unless said otherwise:
one client, ``/v1/ask`` p50 at most 2x ``/v1/search`` p50; 32 clients, ``/v1/ask`` throughput at
least 3x txtai's ``/search`` with a lower p99; ``/v1/search`` p99 at most 100 ms at 32 clients (every
corpus); peak RSS serving at most 400 MB; build at least 2x LangChain's chunks/s.
"""

from __future__ import annotations

from typing import Any

from bench.stats import ratio


def _median(level: dict[str, Any], system: str, figure: str) -> float:
    value: float = level[system][figure]["median"]
    return value


def corpus_ratios(corpus: dict[str, Any]) -> dict[str, Any]:
    """Every ratio of one corpus's figures: ask against search, citeqa against txtai and LangChain."""
    levels = corpus["serving"]["levels"]
    one, top = levels["1"], levels["32"]
    out: dict[str, Any] = {
        "build_vs_langchain": corpus["build"]["ratio"],
        "ask_p50_vs_search_p50_1_client": ratio(_median(one, "ask", "p50_ms"), _median(one, "search", "p50_ms")),
        "ask_rps_32_vs_1": ratio(_median(top, "ask", "rps"), _median(one, "ask", "rps")),
        "search_rps_32_vs_1": ratio(_median(top, "search", "rps"), _median(one, "search", "rps")),
    }
    if "langchain" in one:
        out["search_p50_vs_langchain_in_process"] = ratio(
            _median(one, "search", "p50_ms"), _median(one, "langchain", "p50_ms")
        )
    if "txtai" in top:
        for clients, level in levels.items():
            for system in ("search", "ask"):
                out[f"{system}_rps_vs_txtai_{clients}"] = ratio(
                    _median(level, system, "rps"), _median(level, "txtai", "rps")
                )
                out[f"{system}_p99_vs_txtai_{clients}"] = ratio(
                    _median(level, system, "p99_ms"), _median(level, "txtai", "p99_ms")
                )
    return out


def _floor(name: str, value: float, limit: float, at_most: bool, strict: bool = False) -> dict[str, Any]:
    ok = (value < limit if strict else value <= limit) if at_most else value >= limit
    bound = ("<" if strict else "<=") if at_most else ">="
    return {"floor": name, "value": value, "limit": f"{bound} {limit}", "met": ok}


def check_floors(corpora: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The floors, each with its measured value and whether it is met."""
    largest = corpora[max(corpora, key=int)]
    r, serving = largest["ratios"], largest["serving"]
    name = f"{largest['articles']} articles"
    out = [
        _floor(f"{name}, 1 client: /v1/ask p50 / /v1/search p50", r["ask_p50_vs_search_p50_1_client"], 2.0, True),
        _floor(f"{name}: peak RSS serving, MB", serving["peak_rss_mb"], 400.0, True),
        _floor(f"{name}: build chunks/s / LangChain's", r["build_vs_langchain"], 2.0, False),
    ]
    if "ask_rps_vs_txtai_32" in r:
        out.append(
            _floor(f"{name}, 32 clients: /v1/ask req/s / txtai /search req/s", r["ask_rps_vs_txtai_32"], 3.0, False)
        )
        out.append(
            _floor(
                f"{name}, 32 clients: /v1/ask p99 / txtai /search p99", r["ask_p99_vs_txtai_32"], 1.0, True, strict=True
            )
        )
    for corpus in corpora.values():
        p99 = _median(corpus["serving"]["levels"]["32"], "search", "p99_ms")
        out.append(_floor(f"{corpus['articles']} articles, 32 clients: /v1/search p99, ms", p99, 100.0, True))
    return out
