"""Stored sentence vectors (issue 14): how to make them and at what precision to store them.

Two ways to give every sentence of an index a vector at build time, timed on the same corpus in
one run with the build embedder (``CITEQA_BUILD_BACKEND``, default onnx-int8):

- ``pooled`` (what ``citeqa build`` does): the chunk pass also returns, for each sentence held
  whole by a chunk, the normalised mean of its token embeddings (``SpanEmbedder.encode_spans``);
- ``separate``: every sentence encoded on its own (a second pass of the model).

Timings: the whole build (``build_index``, pooled), one chunk pass without pooling, one with
pooling, one pass over all sentences on their own, and LangChain's FAISS build with
sentence-transformers (``bench/builds.py``) on a sample of the same chunk texts, as chunks/s.

Answer figures (``answer_figures``, as ``bench/answer_quality.py`` prints them) per way and stored
precision (fp32, fp16, int8 with one scale per row) on bbc_dev and bbc_holdout over the BBC index
and seed_dev over an index of ``corpus/``. Results: ``bench/results/sentence_vectors.json``.

Example (the figures in docs/performance.md):
    HF_HUB_OFFLINE=1 OMP_NUM_THREADS=2 nice -n 10 .venv/bin/python bench/sentence_vectors.py \\
        --corpus /work/measure/bbc-corpus --langchain-sample 1500
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SETS = {
    "bbc_dev": ROOT.parent / "shared" / "eval" / "bbc_dev.jsonl",
    "bbc_holdout": ROOT / "eval" / "bbc_holdout.jsonl",
    "seed_dev": ROOT.parent / "shared" / "eval" / "seed_dev.jsonl",
}


def timed(work: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    out = work()
    return out, time.perf_counter() - started


def passes(data: Any, embedder: Any, params: Any) -> dict[str, Any]:
    """One chunk pass without pooling, one with, one over all sentences on their own (fp32 vectors kept)."""
    from citeqa.index.indexing.build import passage_text
    from citeqa.index.indexing.sentence_vectors import encode_chunks, encode_leftovers, plan_sentences

    documents = list(data.documents.values())
    plan = plan_sentences(documents, data.chunks, params.title_in_text)
    texts = [passage_text(data.documents[c.doc_id].title, c.text, params.title_in_text) for c in data.chunks]
    ids = [c.chunk_id for c in data.chunks]
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # as the build: longest first
    _, plain = timed(lambda: embedder.encode([texts[i] for i in order], batch_size=params.batch_size))
    pooled = np.full((len(plan.rows), embedder.dimension), np.nan, dtype=np.float32)
    _, with_pooling = timed(
        lambda: encode_chunks(
            embedder, [texts[i] for i in order], [ids[i] for i in order], plan, pooled, params.batch_size
        )
    )
    leftovers, leftover_s = timed(lambda: encode_leftovers(embedder, documents, plan, pooled, params.batch_size))
    sentence_texts = [documents[d].text[s:e] for d, s, e in plan.rows]
    separate, separate_s = timed(lambda: embedder.encode(sentence_texts, batch_size=params.batch_size))
    return {
        "timings": {
            "chunks": len(texts),
            "sentences": len(plan.rows),
            "sentences_not_held_whole_by_a_chunk": leftovers,
            "chunk_pass_s": round(plain, 2),
            "chunk_pass_with_pooling_s": round(with_pooling + leftover_s, 2),
            "separate_sentence_pass_s": round(separate_s, 2),
        },
        "vectors": {"pooled": pooled, "separate": separate},
    }


def stored_as(vectors: np.ndarray, precision: str) -> np.ndarray:
    """The vectors as they would be read back after storing them at ``precision``."""
    if precision == "fp16":
        return vectors.astype(np.float16).astype(np.float32)
    if precision == "int8":
        scale = np.abs(vectors).max(axis=1, keepdims=True) / 127.0
        return (np.round(vectors / scale).astype(np.int8) * scale).astype(np.float32)
    return vectors


def figures(engine: Any, data: Any, vectors: np.ndarray, names: list[str]) -> dict[str, Any]:
    from citeqa.index.engine import Engine
    from citeqa.index.evaluation.calibration import answer_figures, read_labelled

    swapped = dataclasses.replace(data, sentences=dataclasses.replace(data.sentences, vectors=vectors))
    variant = Engine(swapped, engine.embedder, engine.retrieval, engine.extractor.model)
    out = {}
    for name in names:
        result = answer_figures(variant, read_labelled(SETS[name]))
        out[name] = {"summary": result["summary"], "answers": [r["answer"] for r in result["rows"]]}
    return out


def langchain(data: Any, params: Any, sample: int) -> dict[str, Any]:
    from bench.builds import build_langchain, langchain_embeddings
    from citeqa.index.indexing.build import passage_text

    texts = [passage_text(data.documents[c.doc_id].title, c.text, params.title_in_text) for c in data.chunks]
    step = max(1, len(texts) // sample)
    result, _ = build_langchain(texts[::step][:sample], langchain_embeddings())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, help="the BBC corpus directory")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "work" / "sentence-vectors")
    parser.add_argument("--langchain-sample", type=int, default=1500, help="chunks LangChain embeds (0: skip)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "sentence_vectors.json")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from citeqa.index.indexing.build import build_index
    from citeqa.index.store.loader import load_index
    from citeqa.service import wiring
    from citeqa.service.settings import Settings

    settings = Settings()
    params = wiring.build_params(settings)
    builder = wiring.build_embedder(settings)
    engine_for: dict[str, Any] = {}
    out: dict[str, Any] = {"command": " ".join(["python", *sys.argv]), "date": time.strftime("%Y-%m-%dT%H:%M:%SZ")}
    out["build_backend"] = str(settings.build_backend)

    def save() -> None:  # after every phase: a long run that fails late keeps what it measured
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    for name, corpus in (("bbc", args.corpus), ("seed", ROOT / "corpus")):
        root = args.work / name
        shutil.rmtree(root, ignore_errors=True)
        report = build_index(corpus, root, builder, params, warn=lambda _: None)
        out[f"{name}_build"] = {"seconds": round(report.seconds, 2), "chunks": report.chunks}
        data = load_index(root)
        engine_for[name] = (wiring.assemble_engine(Settings(index_dir=root), data), data)
        save()
    bbc = engine_for["bbc"][1]
    out["bbc_build"]["chunks_per_s"] = round(out["bbc_build"]["chunks"] / out["bbc_build"]["seconds"], 2)
    if args.langchain_sample:
        out["langchain"] = langchain(bbc, params, args.langchain_sample)
        ours, theirs = out["bbc_build"]["chunks_per_s"], out["langchain"]["chunks_per_s"]
        out["ours_vs_langchain_chunks_per_s"] = round(ours / theirs, 2)
        save()
    made = {name: passes(engine_for[name][1], builder, params) for name in engine_for}
    out["passes"] = made["bbc"]["timings"]
    save()
    out["answers"] = {}
    for way in ("pooled", "separate"):
        for precision in ("fp32", "fp16", "int8"):
            key = f"{way}-{precision}"
            out["answers"][key] = {}
            for name, sets in (("bbc", ["bbc_dev", "bbc_holdout"]), ("seed", ["seed_dev"])):
                engine, data = engine_for[name]
                vectors = stored_as(made[name]["vectors"][way], precision)
                out["answers"][key].update(figures(engine, data, vectors, sets))
            print(key, {s: f["summary"] for s, f in out["answers"][key].items()}, flush=True)
            save()
    print(json.dumps({k: v for k, v in out.items() if k != "answers"}, indent=2))


if __name__ == "__main__":
    main()
