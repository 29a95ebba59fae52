"""The results table (Markdown), printed by ``make bench`` and pasted into docs/performance.md."""

from __future__ import annotations

from typing import Any


def _m(node: Any, key: str) -> Any:
    value = node[key]
    return value["median"] if isinstance(value, dict) else value


def _spread(node: Any, key: str) -> str:
    value = node[key]
    return f" (±{value['spread'] * 50:.0f}%)" if isinstance(value, dict) and "spread" in value else ""


def table(r: dict[str, Any]) -> str:
    rows = ["| measure | citeqa | LangChain | txtai | citeqa / peer |", "|---|---|---|---|---|"]
    if "build" in r:
        b = r["build"]
        txtai = r.get("txtai_build", {}).get("chunks_per_s")
        rows.append(
            f"| build, chunks/s ({b['chunks']} chunks) "
            f"| {_m(b, 'ours_chunks_per_s'):.1f}{_spread(b, 'ours_chunks_per_s')} "
            f"| {_m(b, 'langchain_chunks_per_s'):.1f}{_spread(b, 'langchain_chunks_per_s')} "
            f"| {f'{txtai:.1f} (1 run)' if txtai else '-'} | {b['ratio']}x LangChain |"
        )
        inc = b["incremental"]
        rows.append(
            f"| rebuild after editing 1 document, s | {inc['edited_one_s']} (first build {inc['first_s']}) | - | - "
            f"| {inc['edited_vs_first']}x the first build |"
        )
    if "latency" in r:
        lat = r["latency"]
        rows.append(
            f"| search p50 / p99, ms (1 client) | {_m(lat['search'], 'p50_ms')} / {_m(lat['search'], 'p99_ms')} "
            f"(HTTP) | {_m(lat['langchain'], 'p50_ms')} / {_m(lat['langchain'], 'p99_ms')} (in-process) | - "
            f"| {lat['search_p50_vs_langchain']}x LangChain p50 |"
        )
        rows.append(
            f"| ask p50 / p99, ms (1 client, HTTP) | {_m(lat['ask'], 'p50_ms')} / {_m(lat['ask'], 'p99_ms')} "
            "| - | - | - |"
        )
    if "load" in r:
        load = r["load"]
        for n in ("1", "8", "32"):
            ours = load["ours"][n]
            t = load.get("txtai", {}).get(n)
            peer = f"{_m(t, 'rps')} req/s, p99 {_m(t, 'p99_ms')} ms, {_m(t, 'errors')} errors" if t else "-"
            rows.append(
                f"| search under load, {n} clients | {_m(ours, 'rps')} req/s{_spread(ours, 'rps')}, p99 "
                f"{_m(ours, 'p99_ms')} ms, {_m(ours, 'errors')} errors | - | {peer} "
                f"| {round(_m(ours, 'rps') / _m(t, 'rps'), 2) if t else '-'}x txtai |"
            )
        rows.append(f"| throughput 32 clients / 1 client | {load['ours_32_vs_1']}x | - | - | - |")
    if "footprint" in r:
        f = r["footprint"]
        o, t = f["ours"], f.get("txtai", {})
        rows.append(f"| start-up with built index, s | {_m(o, 'startup_s')} | - | {t.get('startup_s', '-')} | - |")
        rows.append(f"| peak RSS serving, MB | {o['peak_rss_mb']} | - | {t.get('peak_rss_mb', '-')} | - |")
        rows.append(f"| index on disk, MB | {o['index_mb']} | - | {t.get('index_mb', '-')} | - |")
    for s in r.get("scale", []):
        if "auto" not in s:
            continue
        a = s["auto"]
        rows.append(
            f"| search p50, {s['vectors']:,} vectors (dim 384, one core) | {a['kind']} {a['p50_ms']} ms, recall@10 "
            f"{a['recall@10_questions']} / {a['recall@10_headlines']} | - | - | exact {s['flat']['p50_ms']} ms |"
        )
    q = r.get("quality")
    if q:
        configs = q.get("configs") or {"torch": None, "onnx-int8": None}  # older results: one backend each
        for config in configs:
            for name in ("seed_dev", "bbc_dev"):
                m = q[config][name]
                text = ", ".join(f"{k} {v}" for k, v in m.items() if k != "questions")
                rows.append(f"| quality {config} {name} | {text} | - | - | - |")
        first = next(iter(configs))
        for config in list(configs)[1:]:
            rows.append(
                f"| quality: largest difference {config} vs {first} | {q.get(f'{config}_max_abs_diff')} | - | - | - |"
            )
    return "\n".join(rows)


def _structure(a: dict[str, Any]) -> str:
    if a["kind"] == "ivf":
        return f"IVF-SQfp16, {a['lists']:,} lists, nprobe {a['nprobe']}"
    if a["kind"] == "hnsw":
        return f"HNSW M {a['m']}, efSearch {a['ef_search']}"
    return "flat (exact)"


def scale_table(scale: list[dict[str, Any]]) -> str:
    """The scale section's table: exact search next to each index built, per vector count."""
    rows = [
        "| vectors | index | build s | index MB | RSS +MB | recall@10 questions / headlines | p50 / p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in scale:
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
