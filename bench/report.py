"""Markdown tables of a ``make bench`` result (``bench/results/<name>.json``): printed by the run and
written into docs/performance.md by ``python -m bench.docs``."""

from __future__ import annotations

from typing import Any

SYSTEMS = (("search", "citeqa /v1/search"), ("ask", "citeqa /v1/ask"), ("txtai", "txtai /search"))


def _m(node: Any, key: str) -> Any:
    value = node[key]
    return value["median"] if isinstance(value, dict) else value


def _spread(node: Any, key: str) -> str:
    value = node[key]
    return f" (±{value['spread'] * 50:.0f}%)" if isinstance(value, dict) and value.get("spread") else ""


def _cell(level: dict[str, Any], system: str, planned: int) -> str:
    """req/s, p50 / p99, errors, and how many requests were done when the deadline cut a level short."""
    if system not in level:
        return "-"
    s = level[system]
    errors = f", **{_m(s, 'errors'):.0f} errors**" if _m(s, "errors") else ""
    done = f" ({_m(s, 'requests'):.0f} of {planned} requests by the deadline)" if _m(s, "requests") < planned else ""
    return (
        f"{_m(s, 'rps'):.0f}{_spread(s, 'rps')} req/s, {_m(s, 'p50_ms'):.1f} / {_m(s, 'p99_ms'):.1f} ms{errors}{done}"
    )


def floors_table(r: dict[str, Any]) -> str:
    """One row a floor: the measured value (a ratio between systems: the median of its rounds' ratios), each
    round's ratio, the limit, met or not."""
    rows = ["| floor | measured | per round | limit | met |", "|---|---|---|---|---|"]
    for f in r.get("floors", []):
        rounds = ", ".join(str(v) for v in f.get("rounds", [])) or "-"
        rows.append(f"| {f['floor']} | {f['value']} | {rounds} | {f['limit']} | {'yes' if f['met'] else '**no**'} |")
    return "\n".join(rows)


def serving_table(c: dict[str, Any]) -> str:
    """Requests per second and p50 / p99 per system and level, and the ratios against txtai."""
    head = "| clients | " + " | ".join(label for _, label in SYSTEMS) + " | ask / txtai req/s | ask / txtai p99 |"
    rows = [head, "|---|---|---|---|---|---|"]
    ratios = c["ratios"]
    for clients, level in c["serving"]["levels"].items():
        planned = c["serving"]["requests"][clients]
        cells = " | ".join(_cell(level, system, planned) for system, _ in SYSTEMS)
        rps = ratios.get(f"ask_rps_vs_txtai_{clients}", "-")
        p99 = ratios.get(f"ask_p99_vs_txtai_{clients}", "-")
        rows.append(f"| {clients} | {cells} | {rps}x | {p99}x |")
    return "\n".join(rows)


def footprint_table(c: dict[str, Any]) -> str:
    """Build, start-up, memory and index size, citeqa against its peers."""
    b, s, t = c["build"], c["serving"], c.get("txtai_footprint", {})
    txtai_build = c.get("txtai_build", {}).get("chunks_per_s")
    one = s["levels"]["1"]
    rows = ["| measure | citeqa | LangChain | txtai | citeqa / peer |", "|---|---|---|---|---|"]
    rows.append(
        f"| build, chunks/s ({b['chunks']} chunks) | {_m(b, 'ours_chunks_per_s'):.1f} "
        f"| {_m(b, 'langchain_chunks_per_s'):.1f} | {f'{txtai_build:.1f}' if txtai_build else '-'} "
        f"| {b['ratio']}x LangChain |"
    )
    inc = b["incremental"]
    rows.append(
        f"| rebuild after editing 1 document, s | {inc['edited_one_s']} (first build {inc['first_s']}) | - | - "
        f"| {inc['edited_vs_first']}x the first build |"
    )
    if "langchain" in one:
        rows.append(
            f"| search p50, 1 client, ms | {_m(one['search'], 'p50_ms')} (HTTP) "
            f"| {_m(one['langchain'], 'p50_ms')} (in-process) | - "
            f"| {c['ratios']['search_p50_vs_langchain_in_process']}x LangChain |"
        )
    rows.append(f"| start-up with a built index, s | {_m(s, 'startup_s')} | - | {t.get('startup_s', '-')} | - |")
    rows.append(f"| peak RSS serving (VmHWM), MB | {s['peak_rss_mb']} | - | {t.get('peak_rss_mb', '-')} | - |")
    rows.append(f"| index on disk, MB | {s['index_mb']} | - | {t.get('index_mb', '-')} | - |")
    return "\n".join(rows)


def _structure(a: dict[str, Any]) -> str:
    if a["kind"] == "ivf":
        return f"IVF-SQfp16, {a['lists']:,} lists, nprobe {a['nprobe']}"
    if a["kind"] == "hnsw":
        return f"HNSW M {a['m']}, efSearch {a['ef_search']}"
    return "flat (exact)"


def scale_table(r: dict[str, Any]) -> str:
    """The scale section's table: exact search next to each index built, per vector count."""
    rows = [
        "| vectors | index | build s | index MB | RSS +MB | recall@10 questions / headlines | p50 / p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in r.get("scale", []):
        for key in ("flat", "auto", "ivf", "hnsw"):
            if key not in s or (key == "auto" and s[key]["kind"] == "flat"):
                continue
            a = s[key]
            recall = "1.0 (exact)" if key == "flat" else f"{a['recall@10_questions']} / {a['recall@10_headlines']}"
            name = ("auto: " if key == "auto" else "") + _structure(a)
            vectors = f"{s['vectors']:,}" + (" real" if s.get("real") else "")
            rows.append(
                f"| {vectors} | {name} | {a['build_s']} | {a['index_bytes'] / 1e6:.0f} "
                f"| {max(0.0, a['rss_delta_mb']):.0f} | {recall} | {a['p50_ms']} / {a['p99_ms']} |"
            )
    return "\n".join(rows)


def quality_table(r: dict[str, Any]) -> str:
    q = r["quality"]
    rows = ["| configuration | set | metrics |", "|---|---|---|"]
    for config in q["configs"]:
        for name in ("seed_dev", "bbc_dev"):
            text = ", ".join(f"{k} {v}" for k, v in q[config][name].items() if k != "questions")
            rows.append(f"| {config} | {name} | {text} |")
    return "\n".join(rows)


def ab_table(r: dict[str, Any]) -> str:
    """An interleaved A/B run (``bench.ab``): per variant and route, medians over rounds."""
    rows = [
        "| variant | route | req/s | p50 / p99, ms | CPU ms / request | event loop CPU ms / request |",
        "|---|---|---|---|---|---|",
    ]
    for label, routes in r["summary"].items():
        for route, f in routes.items():
            rows.append(
                f"| {label} | /v1/{route} | {_m(f, 'rps'):.1f}{_spread(f, 'rps')} "
                f"| {_m(f, 'p50_ms'):.0f} / {_m(f, 'p99_ms'):.0f} | {_m(f, 'cpu_ms_per_request'):.2f} "
                f"| {_m(f, 'loop_cpu_ms_per_request'):.3f} |"
            )
    return "\n".join(rows)


def render(r: dict[str, Any]) -> str:
    """Every table the result holds, each under a heading."""
    parts = []
    if "floors" in r:
        parts += ["Floors:", floors_table(r)]
    for articles, c in r.get("corpora", {}).items():
        parts += [f"{articles} articles, serving (p50 / p99):", serving_table(c)]
        parts += [f"{articles} articles, build and footprint:", footprint_table(c)]
    if r.get("scale"):
        parts += ["Scale:", scale_table(r)]
    if r.get("quality"):
        parts += ["Quality per backend:", quality_table(r)]
    return "\n\n".join(parts)
