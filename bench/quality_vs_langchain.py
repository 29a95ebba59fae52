#!/usr/bin/env python3
"""Retrieval quality of citeqa vs LangChain's FAISS vector store on a BEIR set, in one run.

Both systems get the same documents, the same chunks (citeqa's chunker: langchain-text-splitters'
recursive splitter, 800/120 characters) and the same packaged all-MiniLM-L6-v2 model. citeqa
retrieves with its hybrid dense + BM25 fusion; LangChain with ``FAISS.from_documents`` and
``similarity_search_by_vector``. Both are scored by the same code (``citeqa.index.evaluation.runner``):
the top-k passages mapped to documents (first occurrence), hit@k, MRR@k and nDCG@k.

Usage: python bench/quality_vs_langchain.py ../shared/datasets/bbc-news-beir [--slice N] [--k 10]
Needs the ``bench`` extra (``make bench-quality`` installs it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from citeqa.index.evaluation.question_sets import QuestionSet, load_beir
from citeqa.index.evaluation.runner import InProcessRunner, Observation, evaluate
from citeqa.index.text.chunking import chunk_document
from citeqa.service import wiring

FIGURES = ("hit", "mrr", "ndcg", "recall")


class LangChainRunner:
    """A ``Runner`` over a LangChain FAISS vector store (retrieval only)."""

    retrieval_only = True

    def __init__(self, store: Any, embeddings: Any, texts: dict[str, str]) -> None:
        self.store, self.embeddings, self.texts = store, embeddings, texts

    def run(self, questions: Sequence[str], k: int) -> list[Observation]:
        started = time.perf_counter()
        vectors = self.embeddings.embed_documents(list(questions))
        out = []
        for vector in vectors:
            docs = self.store.similarity_search_by_vector(vector, k=k)
            spans = tuple((d.metadata["doc_id"], d.metadata["start"], d.metadata["end"]) for d in docs)
            out.append(Observation(None, "", spans, (), 0.0))
        each = (time.perf_counter() - started) * 1000 / max(len(questions), 1)
        return [Observation(None, "", o.passages, (), each) for o in out]

    def document_text(self, doc_id: str) -> str | None:
        return self.texts.get(doc_id)

    def document_ids(self) -> list[str]:
        return list(self.texts)

    def describe(self) -> dict[str, Any]:
        return {"mode": "langchain FAISS.from_documents", "index": {"documents": len(self.texts)}}


def run_citeqa(qset: QuestionSet, k: int) -> tuple[dict[str, Any], float]:
    from citeqa.index.embedding.factory import load_embedder
    from citeqa.index.indexing.build import build_documents
    from citeqa.index.store.loader import load_index
    from citeqa.service.settings import Settings

    settings = Settings()
    embedder = load_embedder(settings.model)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="citeqa-bench-") as tmp:
        build_documents(qset.documents, Path(tmp), embedder, wiring.build_params(settings))
        built = time.perf_counter() - started
        data = load_index(Path(tmp), embedder.name, embedder.dimension)
        engine = wiring.assemble_engine(settings, data, embedder, embedder)
        result = evaluate(qset, InProcessRunner(engine, retrieval_only=True), k, batch_size=64)
    return result.figures, built


def run_langchain(qset: QuestionSet, k: int) -> tuple[dict[str, Any], float]:
    from langchain_community.vectorstores import FAISS
    from langchain_core.documents import Document as LCDocument
    from langchain_huggingface import HuggingFaceEmbeddings

    from citeqa.index.embedding.base import resolve_model_path
    from citeqa.service.settings import Settings

    settings = Settings()
    params = wiring.build_params(settings).chunking
    embeddings = HuggingFaceEmbeddings(
        model_name=resolve_model_path(settings.model),
        model_kwargs={"device": "cpu"},
        encode_kwargs={"normalize_embeddings": True, "batch_size": 64},
    )
    chunks = [
        LCDocument(page_content=c.text, metadata={"doc_id": c.doc_id, "start": c.start, "end": c.end})
        for doc in qset.documents
        for c in chunk_document(doc, params)
    ]
    started = time.perf_counter()
    store = FAISS.from_documents(chunks, embeddings)
    built = time.perf_counter() - started
    runner = LangChainRunner(store, embeddings, {d.doc_id: d.text for d in qset.documents})
    result = evaluate(qset, runner, k, batch_size=64)
    return result.figures, built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("beir", type=Path, help="BEIR folder (corpus.jsonl, queries.jsonl, qrels/)")
    parser.add_argument("--slice", type=int, default=None, help="first N documents only")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path("bench/work/quality_vs_langchain.json"))
    args = parser.parse_args()
    qset = load_beir(args.beir, "test", args.slice)
    print(f"{qset.name}: {len(qset.documents)} documents, {len(qset.questions)} queries, k={args.k}", flush=True)
    results = {}
    for name, run in (("citeqa (hybrid)", run_citeqa), ("LangChain FAISS", run_langchain)):
        figures, built = run(qset, args.k)
        results[name] = {"figures": figures, "index_seconds": round(built, 1)}
        print(f"{name}: done, index built in {built:.0f}s", flush=True)
    k = args.k
    print(f"\n| system | hit@{k} | MRR@{k} | nDCG@{k} | recall@{k} | index build (s) |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        f = r["figures"]
        cells = " | ".join(f"{f[f'document.{m}@{k}']:.3f}" for m in FIGURES)
        print(f"| {name} | {cells} | {r['index_seconds']:.0f} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"set": qset.name, "k": k, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
