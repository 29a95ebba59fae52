"""``make bench``: citeqa against LangChain and txtai on the BBC corpus; writes JSON, prints the tables.

By default: the whole BBC corpus (2,225 articles) and its first 200 articles, each built by citeqa,
LangChain and txtai, then served by citeqa and txtai and measured with distinct questions at 1, 8
and 32 clients (``bench.serving``). Every comparison is measured in the same run, interleaved round
by round so that the noise of a shared machine falls on both sides; each figure is the median of the
rounds, with their spread. ``bench/results/<name>.json`` holds every round; ``python -m bench.docs``
regenerates docs/performance.md and the README's Performance section from ``bench/results/bench.json``.

    python -m bench.run                                   # whole BBC and the 200-article slice -> bench.json
    python -m bench.run --corpora 200 --rounds 1 --name quick
    python -m bench.run --only scale --scale 20000 --name scale-20k
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from bench import builds, scale, servers
from bench.corpora import ROOT, WORK, bbc_slice
from bench.floors import check_floors, corpus_ratios
from bench.quality import bench_quality
from bench.questions import QuestionSource, question_pool
from bench.serving import bench_serving
from bench.stats import ratio, repeated
from citeqa.index.embedding.base import Embedder
from citeqa.service import wiring
from citeqa.service.settings import Settings

RESULTS = ROOT / "bench" / "results"
DEFAULT_NAME = "bench"


def _machine() -> dict[str, Any]:
    load1, load5, _ = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "load_average_at_start": [round(load1, 2), round(load5, 2)],
    }


def bench_build(corpus: Path, index: Path, embedder: Embedder, settings: Settings, rounds: int) -> dict[str, Any]:
    """Build throughput against LangChain (and the incremental rebuilds); leaves our index at ``index``."""
    params = wiring.build_params(settings)
    texts = builds.chunk_texts(corpus, params)
    lc_embeddings = builds.langchain_embeddings()
    ours, theirs = [], []
    store = None
    for r in range(rounds):
        ours.append(builds.build_ours(corpus, index, embedder, params)["chunks_per_s"])
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


def bench_corpus(
    articles: int | None, embedder: Embedder, settings: Settings, args: argparse.Namespace
) -> dict[str, Any]:
    """Build and serving figures of one corpus (the first ``articles`` BBC articles; all when None)."""
    corpus = bbc_slice(articles)
    count = sum(1 for _ in corpus.rglob("*.txt"))
    index, txtai_index = WORK / f"index-ours-{count}", WORK / f"index-txtai-{count}"
    logs = WORK / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    (logs / "ours.log").write_bytes(b"")
    print(
        f"corpus: {count} articles; build ({args.build_rounds} round(s), backend {settings.build_backend})", flush=True
    )
    built = bench_build(corpus, index, embedder, settings, args.build_rounds)
    out: dict[str, Any] = {"articles": count, "build": built["result"]}
    if not args.no_txtai:
        shutil.rmtree(txtai_index, ignore_errors=True)
        out["txtai_build"] = servers.build_txtai(built["texts"], txtai_index)
    source = QuestionSource(question_pool(corpus))
    env = {"CITEQA_EMBEDDING_BACKEND": settings.embedding_backend}
    print(f"serve: {args.rounds} round(s), fresh citeqa and txtai processes per level", flush=True)
    serving_txtai = None if args.no_txtai else txtai_index
    out["serving"] = bench_serving(index, env, logs, serving_txtai, built["langchain_store"], source, args.rounds)
    if "txtai" in out["serving"]:
        out["txtai_footprint"] = out["serving"].pop("txtai")
    out["ratios"] = corpus_ratios(out)
    return out


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", default="all,200", help="BBC corpora to build and serve: article counts or all")
    parser.add_argument("--slice", type=int, default=None, help="one corpus: the first N BBC articles (--corpora N)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved serving rounds (a fresh server per level)")
    parser.add_argument("--build-rounds", type=int, default=1, help="build repeats per corpus")
    parser.add_argument("--name", default=None, help=f"results/<name>.json (default: {DEFAULT_NAME})")
    parser.add_argument("--only", default="build,serve", help="items to run: build,serve (together), scale, quality")
    parser.add_argument("--scale", default="20000,30000,100000,200000,1000000", help="vector counts for the scale item")
    parser.add_argument("--scale-base", type=Path, default=None, help="index whose vectors shape the scale item's")
    parser.add_argument("--scale-real", action="store_true", help="scale item: also IVF/HNSW on the real vectors")
    parser.add_argument("--scale-kinds", default="", help="scale item: index kinds to measure (default: auto)")
    parser.add_argument("--scale-sweep", default="16,24,32,50,64", help="nprobe / efSearch values also measured at 1M")
    parser.add_argument("--quality-slice", type=int, default=None, help="BBC articles for the quality item")
    parser.add_argument("--note", default="", help="a sentence kept with the results and shown in the docs")
    parser.add_argument("--no-txtai", action="store_true", help="skip txtai (when .venv-txtai is missing)")
    args = parser.parse_args()
    if args.slice is not None:
        args.corpora = str(args.slice)
    return args


def main() -> None:
    args = _arguments()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    items = set(args.only.split(","))
    settings = Settings()
    WORK.mkdir(parents=True, exist_ok=True)
    name = args.name or DEFAULT_NAME
    started = time.monotonic()
    results: dict[str, Any] = {
        "name": name,
        "command": _command(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "commit": _commit(),
        "machine": _machine(),
        "backend": settings.embedding_backend,
        "build_backend": settings.build_backend,
        "rounds": args.rounds,
        "note": args.note,
    }
    if items & {"build", "serve"}:
        embedder = wiring.build_embedder(settings)
        results["corpora"] = {}
        for spec in args.corpora.split(","):
            articles = None if spec == "all" else int(spec)
            result = bench_corpus(articles, embedder, settings, args)
            results["corpora"][str(result["articles"])] = result
        results["floors"] = check_floors(results["corpora"])
    if "scale" in items:
        counts = [int(c) for c in args.scale.split(",") if c]
        kinds = tuple(k for k in args.scale_kinds.split(",") if k)
        sweep = tuple(int(v) for v in args.scale_sweep.split(",") if v)
        results["scale"] = scale.run(
            counts,
            args.scale_base,
            bbc_slice(None),
            wiring.build_embedder(settings),
            wiring.build_params(settings),
            sweep,
            args.scale_real,
            kinds,
        )
    if "quality" in items:
        configs = {
            "torch": ("torch", "torch"),
            "default": (settings.embedding_backend, settings.build_backend),
        }
        results["quality"] = bench_quality(settings, configs, args.quality_slice)
    results["minutes"] = round((time.monotonic() - started) / 60, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    from bench.report import render

    print(render(results))
    print(f"wrote {RESULTS / (name + '.json')} in {results['minutes']} min")


def _command(argv: list[str]) -> str:
    """The ``make bench`` command of this run (``--note`` left out: the note is kept on its own)."""
    kept = [a for i, a in enumerate(argv) if a != "--note" and (i == 0 or argv[i - 1] != "--note")]
    kept = [a for a in kept if not a.startswith("--note=")]
    return "make bench" + (f" BENCH_ARGS='{' '.join(kept)}'" if kept else "")


def _commit() -> str:
    import subprocess

    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False)
    return out.stdout.strip()


if __name__ == "__main__":
    main()
