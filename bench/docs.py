"""Regenerate the figures of docs/performance.md and of the README's Performance section from results.

The text between ``<!-- bench:NAME:begin -->`` and ``<!-- bench:NAME:end -->`` is replaced; the prose
around it is kept. ``make bench`` runs this after ``bench.run``, so one command measures and rewrites
both; after a ``make bench`` with other options, run it by hand on the file that run wrote.

    python -m bench.docs                                  # from bench/results/bench.json
    python -m bench.docs --results bench/results/bench.json --check   # exit 1 when the docs are stale
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from bench.corpora import ROOT
from bench.report import floors_table, footprint_table, serving_table

PERFORMANCE = ROOT / "docs" / "performance.md"
README = ROOT / "README.md"
DEFAULT_RESULTS = ROOT / "bench" / "results" / "bench.json"
# the million-vector run of the scale item (``bench.run --only scale``): its own run, a FAISS-only measure
SCALE_RESULTS = "scale-1m.json"
MILLION = 1_000_000


def million_floors() -> str:
    """Issue 14's 1M-vector floor (recall@10 >= 0.95 at p50 <= 5 ms, one core) from ``SCALE_RESULTS``, with
    the structure ``auto`` chose, its build time, size and memory, and the command that measured it."""
    path = ROOT / "bench" / "results" / SCALE_RESULTS
    if not path.exists():
        return f"1M vectors: no `bench/results/{SCALE_RESULTS}` yet."
    r = json.loads(path.read_text(encoding="utf-8"))
    row = next((x for x in r["scale"] if x["vectors"] == MILLION), None)
    if row is None:
        return f"1M vectors: `bench/results/{SCALE_RESULTS}` has no 1,000,000-vector row."
    auto = row["auto"]
    recall = min(auto["recall@10_questions"], auto["recall@10_headlines"])
    p50 = auto["p50_ms"]
    kind = f"{auto['kind']}, {auto.get('lists', '-')} lists, nprobe {auto.get('nprobe', '-')}"
    rows = [
        "| floor | measured | limit | met |",
        "|---|---|---|---|",
        f"| 1M vectors, `auto` ({kind}): recall@10, the lower of questions and headlines | {recall} | >= 0.95 "
        f"| {'yes' if recall >= 0.95 else '**no**'} |",
        f"| 1M vectors, `auto`: search p50 on one core, ms | {p50} | <= 5.0 | {'yes' if p50 <= 5.0 else '**no**'} |",
    ]
    return "\n\n".join(
        [
            f"1M vectors, measured by `{r['command']}` on {r['date'][:10]} (`bench/results/{SCALE_RESULTS}`; "
            f"FAISS alone, load average {r['machine']['load_average_at_start'][0]} at the start); build "
            f"{auto['build_s']} s, {auto['index_bytes'] / 1e6:.0f} MB of index, "
            f"{auto['rss_delta_mb']} MB of RSS added:",
            "\n".join(rows),
        ]
    )


def _provenance(r: dict[str, Any], path: str) -> str:
    m = r["machine"]
    note = f" {r['note']}." if r.get("note") else ""
    return (
        f"`{r['command']}` ({r['minutes']} min), `{path}`, {r['date'][:10]}, commit `{r.get('commit', '?')}`: "
        f"{m['cpus']} {m['processor']} cores, load average {m['load_average_at_start'][0]} at the start;"
        f" {r['rounds']} interleaved round(s), medians, ± is half the spread between rounds.{note}"
    )


def performance_section(r: dict[str, Any], path: str) -> str:
    """The generated part of docs/performance.md: provenance, floors, then each corpus's tables."""
    parts = [_provenance(r, path), "### Floors", floors_table(r), million_floors()]
    for articles, c in r["corpora"].items():
        s = c["serving"]
        parts.append(f"### {articles} BBC articles ({c['build']['chunks']:,} chunks)")
        parts.append(
            f"Requests per second, then p50 / p99 latency. {s['questions_used']:,} distinct questions of "
            f"{s['questions_available']:,} generated for this corpus, the same in every round (to new processes); "
            "requests per level and round: "
            + ", ".join(f"{n} clients {count}" for n, count in s["requests"].items())
            + f" (each system at most {s.get('deadline_s', 30):.0f} s a level)."
        )
        parts += [serving_table(c), footprint_table(c)]
    return "\n\n".join(parts)


def readme_section(r: dict[str, Any], path: str) -> str:
    """The README's short form: the floors and where the rest is."""
    return "\n\n".join(
        [
            f"Measured by `{r['command']}` on {r['date'][:10]} (commit `{r.get('commit', '?')}`, `{path}`; "
            f"{r.get('note') or 'see docs/performance.md for the machine'}). A serving figure is the median of "
            f"{r['rounds']} rounds (each round listed), a ratio between two systems the median of each round's own "
            "ratio (both measured seconds apart on fresh processes, /v1/ask and txtai on the same questions); "
            "the build runs once; peak RSS is the largest "
            "of every server. citeqa runs the model as int8 ONNX, LangChain and txtai as fp32 PyTorch:",
            floors_table(r),
            million_floors(),
            "Every table of that run, with txtai and LangChain beside citeqa, is in "
            "[docs/performance.md](docs/performance.md).",
        ]
    )


def replace_block(text: str, name: str, body: str) -> str:
    """``text`` with the block ``name`` holding ``body``; ValueError when the markers are missing."""
    pattern = re.compile(rf"(<!-- bench:{name}:begin -->\n)(?:.*?\n)?(<!-- bench:{name}:end -->)", re.S)
    if not pattern.search(text):
        raise ValueError(f"no <!-- bench:{name}:begin/end --> markers")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text, count=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="a bench.run result with corpora")
    parser.add_argument("--check", action="store_true", help="exit 1 when the docs differ from the results")
    args = parser.parse_args()
    r = json.loads(args.results.read_text(encoding="utf-8"))
    path = str(args.results.resolve().relative_to(ROOT))
    stale = []
    for target, name, body in (
        (PERFORMANCE, "performance", performance_section(r, path)),
        (README, "readme", readme_section(r, path)),
    ):
        before = target.read_text(encoding="utf-8")
        after = replace_block(before, name, body)
        if after != before:
            stale.append(str(target.relative_to(ROOT)))
            if not args.check:
                target.write_text(after, encoding="utf-8")
    verb = "stale" if args.check else "rewrote"
    print(f"{verb}: {', '.join(dict.fromkeys(stale)) or 'nothing'}")
    sys.exit(1 if args.check and stale else 0)


if __name__ == "__main__":
    main()
