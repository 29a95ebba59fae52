"""Interleaved A/B runs of citeqa servers (other code or other settings) under the same load as ``make bench``.

Each round starts a fresh server per variant, in an order that alternates round by round, and
sends each the same distinct questions (``bench.questions``; new ones every round) at one level of
closed-loop clients, to ``/v1/search`` and then ``/v1/ask``. On a shared machine only figures from
such interleaved rounds are comparable; the server's CPU time per request (all threads, and its
main thread: the event loop) depends much less on the neighbours' load. A variant is ``LABEL=CODE_DIR`` with optional
``,SETTING=VALUE`` pairs (environment of that server).

    git archive main --prefix=before/ | tar -x -C /tmp
    python -m bench.ab --corpus bench/work/corpus-bbc-200 --index bench/work/index-ours-198 \\
        --variant before=/tmp/before --variant after=. --clients 32 --rounds 4 --name tail-ab
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from bench import servers
from bench.corpora import ROOT, WORK
from bench.httpload import Target, load
from bench.questions import QuestionSource, question_pool
from bench.report import ab_table
from bench.stats import repeated

ROUTES = ("search", "ask")
FIGURES = ("rps", "p50_ms", "p99_ms", "errors", "cpu_ms_per_request", "loop_cpu_ms_per_request")


def _variant(spec: str) -> tuple[str, Path, dict[str, str]]:
    label, _, rest = spec.partition("=")
    code, *pairs = rest.split(",")
    env = dict(pair.split("=", 1) for pair in pairs)
    return label, Path(code).resolve(), env


def _measure(server: servers.Process, texts: dict[str, list[str]], clients: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for route, field in (("search", "query"), ("ask", "question")):
        if not texts[route]:
            continue
        target = Target(f"{server.url}/v1/{route}", field=field, extra=(("k", 5),))
        load(target, texts["warmup"], 1, len(texts["warmup"]))
        cpu, loop = server.cpu_s(), server.cpu_s(main_thread=True)
        out[route] = load(target, texts[route], clients, len(texts[route]))
        done = max(out[route]["requests"], 1)
        out[route]["cpu_ms_per_request"] = round((server.cpu_s() - cpu) * 1000 / done, 3)
        out[route]["loop_cpu_ms_per_request"] = round((server.cpu_s(main_thread=True) - loop) * 1000 / done, 3)
    out["peak_rss_mb"] = server.peak_rss_mb()
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    variants = [_variant(v) for v in args.variant]
    source = QuestionSource(question_pool(args.corpus))
    rows: dict[str, list[dict[str, Any]]] = {label: [] for label, _, _ in variants}
    log = WORK / "logs" / "ab.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    for r in range(args.rounds):
        texts = {"warmup": source.take(5), "search": source.take(args.requests), "ask": source.take(args.ask_requests)}
        order = variants if r % 2 == 0 else variants[::-1]
        for label, code, env in order:
            server = servers.start_citeqa(args.index, env, log, code)
            try:
                rows[label].append(_measure(server, texts, args.clients))
            finally:
                server.stop()
            m = rows[label][-1]
            figures = [
                f"{n} {m[n]['rps']} req/s p50 {m[n]['p50_ms']} p99 {m[n]['p99_ms']} ms, CPU "
                f"{m[n]['cpu_ms_per_request']} ms/request (event loop {m[n]['loop_cpu_ms_per_request']})"
                for n in ROUTES
                if n in m
            ]
            print(f"  round {r + 1} {label}: " + "; ".join(figures), flush=True)
    summary = {
        label: {
            route: {k: repeated([row[route][k] for row in runs]) for k in FIGURES}
            for route in ROUTES
            if route in runs[0]
        }
        for label, runs in rows.items()
    }
    return {
        "variants": args.variant,
        "clients": args.clients,
        "requests": {"search": args.requests, "ask": args.ask_requests},
        "summary": summary,
        "rounds": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, help="the corpus the index was built from")
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--variant", action="append", required=True, help="LABEL=CODE_DIR[,SETTING=VALUE...]")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=400, help="searches per round and variant")
    parser.add_argument("--ask-requests", type=int, default=128, help="questions per round and variant (0: none)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--name", required=True, help="bench/results/<name>.json")
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    result = {"name": args.name, "date": started, **run(args)}
    path = ROOT / "bench" / "results" / f"{args.name}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(ab_table(result))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
