"""``make bench``: citeqa against LangChain and txtai on the BBC corpus; prints a table, writes JSON.

Every comparison is measured in the same run, interleaved round by round so that the noise of a
shared machine falls on both sides; each figure is the median of the rounds, with their spread.

    python -m bench.run --slice 500 --rounds 3 --name bbc-500
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import time
from pathlib import Path
from typing import Any

from bench import builds, scale, servers
from bench.corpora import ROOT, WORK, bbc_slice, headlines, questions
from bench.httpload import Target, load, sequential
from bench.quality import evaluate
from bench.stats import percentiles, ratio, repeated
from citeqa.index.embedding.base import Embedder
from citeqa.index.embedding.factory import load_embedder
from citeqa.index.indexing.build import build_index
from citeqa.index.store.loader import load_index
from citeqa.service import wiring
from citeqa.service.settings import Settings

RESULTS = ROOT / "bench" / "results"
LEVELS = (1, 8, 32)


def _machine() -> dict[str, Any]:
    load1, load5, _ = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "load_average_at_start": [round(load1, 2), round(load5, 2)],
        "note": "2 cores shared with other jobs: figures are medians of interleaved rounds",
    }


def bench_build(corpus: Path, embedder: Embedder, settings: Settings, rounds: int) -> dict[str, Any]:
    params = wiring.build_params(settings)
    texts = builds.chunk_texts(corpus, params)
    lc_embeddings = builds.langchain_embeddings()
    ours, theirs = [], []
    store = None
    for r in range(rounds):
        ours.append(builds.build_ours(corpus, WORK / "index-ours", embedder, params)["chunks_per_s"])
        result, store = builds.build_langchain(texts, lc_embeddings)
        theirs.append(result["chunks_per_s"])
        print(f"  build round {r + 1}: ours {ours[-1]:.1f} chunks/s, langchain {theirs[-1]:.1f} chunks/s", flush=True)
    out = {
        "chunks": len(texts),
        "ours_chunks_per_s": repeated(ours),
        "langchain_chunks_per_s": repeated(theirs),
        "ratio": ratio(repeated(ours)["median"], repeated(theirs)["median"]),  # type: ignore[arg-type]
        "incremental": builds.incremental(corpus, embedder, params),
    }
    return {"result": out, "langchain_store": store, "texts": texts}


def bench_latency(server: servers.Process, store: Any, queries: list[str], count: int, rounds: int) -> dict[str, Any]:
    search = Target(f"{server.url}/v1/search", field="query", extra=(("k", 5),))
    ask = Target(f"{server.url}/v1/ask", field="question", extra=(("k", 5),))
    sequential(search, queries, 20)
    sequential(ask, queries, 20)
    per_round: dict[str, list[dict[str, Any]]] = {"search": [], "ask": [], "langchain": []}
    for r in range(rounds):
        per_round["search"].append(sequential(search, queries[r:], count))
        per_round["ask"].append(sequential(ask, queries[r:], count))
        samples = []
        for q in (queries[r:] * 2)[:count]:
            started = time.perf_counter()
            store.similarity_search(q, k=5)
            samples.append((time.perf_counter() - started) * 1000)
        per_round["langchain"].append(percentiles(samples))
        print(
            f"  latency round {r + 1}: search p50 {per_round['search'][-1]['p50_ms']} ms, "
            f"ask p50 {per_round['ask'][-1]['p50_ms']} ms, langchain p50 {per_round['langchain'][-1]['p50_ms']} ms",
            flush=True,
        )
    out = {name: _merge(rows) for name, rows in per_round.items()}
    out["search_p50_vs_langchain"] = ratio(out["search"]["p50_ms"]["median"], out["langchain"]["p50_ms"]["median"])
    return out


def _merge(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-round figures into medians with spread."""
    keys = [k for k in rows[0] if isinstance(rows[0][k], (int, float))]
    return {k: repeated([row[k] for row in rows]) for k in keys}


def bench_load(ours: servers.Process, txtai: servers.Process | None, queries: list[str], rounds: int) -> dict[str, Any]:
    targets = {"ours": Target(f"{ours.url}/v1/search", field="query", extra=(("k", 5),))}
    if txtai is not None:
        targets["txtai"] = Target(f"{txtai.url}/search", method="GET", field="query", extra=(("limit", 5),))
    runs: dict[str, dict[int, list[dict[str, Any]]]] = {name: {n: [] for n in LEVELS} for name in targets}
    for target in targets.values():
        load(target, queries, 8, 40)  # warm-up
    for r in range(rounds):
        for clients in LEVELS:
            total = {1: 100, 8: 300, 32: 600}[clients]
            for name, target in targets.items():
                result = load(target, queries[r * 7 :], clients, total, deadline_s=60)
                runs[name][clients].append(result)
                print(
                    f"  load round {r + 1} {name} x{clients}: {result['rps']} req/s, p99 {result['p99_ms']} ms, "
                    f"errors {result['errors']}",
                    flush=True,
                )
    out: dict[str, Any] = {name: {str(n): _merge(rows) for n, rows in levels.items()} for name, levels in runs.items()}
    rps = {name: {n: out[name][str(n)]["rps"]["median"] for n in LEVELS} for name in out}
    out["ours_32_vs_1"] = ratio(rps["ours"][32], rps["ours"][1])
    if "txtai" in rps:
        out["ours_vs_txtai_at_32"] = ratio(rps["ours"][32], rps["txtai"][32])
    return out


def bench_quality(settings: Settings, configs: dict[str, tuple[str, str, str]], articles: int | None) -> dict[str, Any]:
    """Eval metrics per configuration (question, answer and build backends), the first being the reference.

    Each configuration builds its own indexes (under bench/work). bbc_dev runs on the first ``articles``
    BBC articles plus every article its questions cite."""
    out: dict[str, Any] = {"bbc_articles": articles or "all", "configs": configs}
    bbc = bbc_slice(articles, frozenset(str(q.get("doc_id")) for q in questions("bbc_dev")))
    for config, (question_backend, answer_backend, build_backend) in configs.items():
        embedder = load_embedder(settings.model, question_backend, settings.device, settings.model_cache_dir)
        answers = (
            embedder
            if answer_backend == question_backend
            else load_embedder(settings.model, answer_backend, settings.device, settings.model_cache_dir)
        )
        builder = load_embedder(settings.model, build_backend, settings.device, settings.model_cache_dir, solo=False)
        out[config] = {}
        for name, corpus in (("seed_dev", ROOT / "corpus"), ("bbc_dev", bbc)):
            root = WORK / f"quality-{name}-{build_backend}-{corpus.name}"
            build_index(corpus, root, builder, wiring.build_params(settings), warn=lambda _: None)
            data = load_index(root)
            engine = wiring.assemble_engine(settings, data, embedder, answers)
            out[config][name] = evaluate(engine, questions(name))
            print(f"  quality {config} {name}: {out[config][name]}", flush=True)
    names = list(configs)
    base = out[names[0]]
    for config in names[1:]:
        out[f"{config}_diff"] = {
            s: {m: round(out[config][s][m] - base[s][m], 4) for m in base[s] if m != "questions"} for s in base
        }
        out[f"{config}_max_abs_diff"] = max(
            abs(out[config][s][m] - base[s][m]) for s in base for m in base[s] if m != "questions"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slice", type=int, default=None, help="first N BBC articles (default: all 2,225)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per comparison")
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per latency round")
    parser.add_argument("--name", default=None, help="results/<name>.json (default: bbc-<articles>)")
    parser.add_argument("--only", default="build,serve,scale,quality", help="items to run")
    parser.add_argument("--scale", default="20000,30000,100000,200000,1000000", help="vector counts for the scale item")
    parser.add_argument("--scale-base", type=Path, default=None, help="index whose vectors shape the scale item's")
    parser.add_argument("--scale-real", action="store_true", help="scale item: also IVF/HNSW on the real vectors")
    parser.add_argument("--scale-kinds", default="", help="scale item: index kinds to measure (default: auto)")
    parser.add_argument("--scale-sweep", default="16,24,32,50,64", help="nprobe / efSearch values also measured at 1M")
    parser.add_argument("--quality-slice", type=int, default=None, help="BBC articles for the quality item")
    parser.add_argument("--no-txtai", action="store_true", help="skip txtai (when .venv-txtai is missing)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    items = set(args.only.split(","))
    settings = Settings()
    WORK.mkdir(parents=True, exist_ok=True)
    corpus = bbc_slice(args.slice)
    articles = sum(1 for _ in corpus.rglob("*.txt"))
    name = args.name or f"bbc-{articles}"
    results: dict[str, Any] = {
        "name": name,
        "command": f"make bench BENCH_ARGS='{' '.join(os.sys.argv[1:])}'",  # type: ignore[attr-defined]
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": _machine(),
        "articles": articles,
        "backend": settings.embedding_backend,
        "build_backend": settings.build_backend,
        "rounds": args.rounds,
    }
    embedder = wiring.build_embedder(settings)
    store = None
    if items & {"build", "serve"}:
        print(f"build: {articles} articles, backend {settings.build_backend}", flush=True)
        built = bench_build(corpus, embedder, settings, args.rounds)
        results["build"], store, texts = built["result"], built["langchain_store"], built["texts"]
        if "serve" in items:
            results.update(_serve(texts, store, args, settings))
    if "scale" in items:
        counts = [int(c) for c in args.scale.split(",") if c]
        kinds = tuple(k for k in args.scale_kinds.split(",") if k)
        sweep = tuple(int(v) for v in args.scale_sweep.split(",") if v)
        params = wiring.build_params(settings)
        results["scale"] = scale.run(
            counts, args.scale_base, bbc_slice(None), embedder, params, sweep, args.scale_real, kinds
        )
    if "quality" in items:
        configs = {
            "torch": ("torch", "torch", "torch"),
            "default": (settings.embedding_backend, settings.answer_backend, settings.build_backend),
        }
        results["quality"] = bench_quality(settings, configs, args.quality_slice)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    from bench.report import table

    print(table(results))
    print(f"wrote {RESULTS / (name + '.json')}")


def _serve(texts: list[str], store: Any, args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    logs = WORK / "logs"
    logs.mkdir(exist_ok=True)
    queries = headlines(2225) + [q["question"] for q in questions("bbc_dev")]
    queries = queries[::-1]
    txtai = None
    out: dict[str, Any] = {}
    if not args.no_txtai:
        target = WORK / "index-txtai"
        shutil.rmtree(target, ignore_errors=True)
        out["txtai_build"] = servers.build_txtai(texts, target)
        txtai = servers.start_txtai(target, logs / "txtai.log")
    ours = servers.start_citeqa(
        WORK / "index-ours", {"CITEQA_EMBEDDING_BACKEND": settings.embedding_backend}, logs / "ours.log"
    )
    try:
        print("latency", flush=True)
        out["latency"] = bench_latency(ours, store, queries, args.requests, args.rounds)
        print("load", flush=True)
        out["load"] = bench_load(ours, txtai, queries, args.rounds)
        out["footprint"] = {
            "ours": {
                "startup_s": round(ours.startup_s, 3),
                "peak_rss_mb": ours.peak_rss_mb(),
                "index_mb": servers.directory_mb(WORK / "index-ours"),
            }
        }
        if txtai is not None:
            out["footprint"]["txtai"] = {
                "startup_s": round(txtai.startup_s, 3),
                "peak_rss_mb": txtai.peak_rss_mb(),
                "index_mb": servers.directory_mb(WORK / "index-txtai"),
            }
    finally:
        ours.stop()
        if txtai is not None:
            txtai.stop()
    starts = []
    for _ in range(args.rounds):
        again = servers.start_citeqa(
            WORK / "index-ours", {"CITEQA_EMBEDDING_BACKEND": settings.embedding_backend}, logs / "ours.log"
        )
        starts.append(again.startup_s)
        again.stop()
    out["footprint"]["ours"]["startup_s"] = repeated(starts)
    return out


if __name__ == "__main__":
    main()
