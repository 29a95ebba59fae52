"""Item 1: build throughput (chunks/s), ours against LangChain's FAISS vector store, and incremental builds."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from bench.corpora import WORK
from citeqa.index.corpus.walk import read_corpus
from citeqa.index.embedding.base import Embedder, resolve_model_path
from citeqa.index.indexing.build import BuildParams, build_index, passage_text
from citeqa.index.store.loader import load_index
from citeqa.index.text.chunking import chunk_document


def chunk_texts(corpus: Path, params: BuildParams) -> list[str]:
    """Exactly the texts our build embeds (same chunker, same title prefix): LangChain gets these."""
    texts = []
    for doc in read_corpus(corpus, warn=lambda _: None):
        for chunk in chunk_document(doc, params.chunking, first_id=0):
            texts.append(passage_text(doc.title, chunk.text, params.title_in_text))
    return texts


def build_ours(corpus: Path, root: Path, embedder: Embedder, params: BuildParams) -> dict[str, Any]:
    shutil.rmtree(root, ignore_errors=True)
    report = build_index(corpus, root, embedder, params, warn=lambda _: None)
    return {"seconds": report.seconds, "chunks": report.chunks, "chunks_per_s": report.chunks / report.seconds}


def langchain_embeddings() -> Any:
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=resolve_model_path("all-MiniLM-L6-v2"),
        model_kwargs={"device": "cpu"},
        encode_kwargs={"normalize_embeddings": True},
    )


def build_langchain(texts: list[str], embeddings: Any) -> tuple[dict[str, Any], Any]:
    from langchain_community.vectorstores import FAISS

    started = time.perf_counter()
    store = FAISS.from_texts(texts, embeddings)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "chunks": len(texts), "chunks_per_s": len(texts) / seconds}, store


def incremental(corpus: Path, embedder: Embedder, params: BuildParams) -> dict[str, Any]:
    """First build, unchanged rebuild, one document edited, one document removed (its chunks go)."""
    work = WORK / "incremental-corpus"
    root = WORK / "incremental-index"
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(corpus, work)
    first = build_index(work, root, embedder, params, warn=lambda _: None)
    unchanged = build_index(work, root, embedder, params, warn=lambda _: None)
    victim = sorted(work.rglob("*.txt"))[0]
    with victim.open("a", encoding="utf-8") as fh:
        fh.write("\n\nThis paragraph was added by the incremental build benchmark.\n")
    edited = build_index(work, root, embedder, params, warn=lambda _: None)
    removed_doc = f"{victim.parent.name}-{victim.stem}"
    victim.unlink()
    removed = build_index(work, root, embedder, params, warn=lambda _: None)
    data = load_index(root)
    left = sum(1 for c in data.chunks if c.doc_id == removed_doc)
    return {
        "first_s": round(first.seconds, 3),
        "unchanged_s": round(unchanged.seconds, 3),
        "edited_one_s": round(edited.seconds, 3),
        "edited_embedded_chunks": edited.embedded,
        "edited_reused_chunks": edited.reused,
        "removed_one_s": round(removed.seconds, 3),
        "removed_doc": removed_doc,
        "chunks_before_removal": edited.chunks,
        "chunks_after_removal": removed.chunks,
        "chunks_of_removed_doc_left": left,
        "edited_vs_first": round(edited.seconds / first.seconds, 4),
    }
