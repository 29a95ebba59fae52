"""Retrieval and answer metrics on the eval question sets, to compare embedding backends.

Retrieval: evidence found in the top 5 passages (hit@5) and its reciprocal rank within 10
(MRR@10); for BBC also the answering document in the top 5. Answers: an answerable question
is right when the answer holds one of the accepted strings, an unanswerable one when it abstains.
"""

from __future__ import annotations

import re
from typing import Any

from bench.corpora import ROOT, WORK, bbc_slice, questions
from citeqa.index.embedding.factory import load_embedder
from citeqa.index.engine import Engine
from citeqa.index.indexing.build import build_index
from citeqa.index.store.loader import load_index
from citeqa.service import wiring
from citeqa.service.settings import Settings


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def evaluate(engine: Engine, items: list[dict[str, Any]]) -> dict[str, float]:
    questions = [q["question"] for q in items]
    searched = engine.search_many(questions, 10)
    answered = [a for a, _ in engine.ask_many(questions, 5)]
    hits = rr = doc_hits = answer_ok = 0.0
    with_evidence = with_doc = 0
    for item, result, answer in zip(items, searched, answered, strict=True):
        answerable = item.get("answerable", True)
        if item.get("evidence") and answerable:
            with_evidence += 1
            evidence = _norm(item["evidence"])
            ranks = [i for i, p in enumerate(result.passages) if evidence in _norm(p.text)]
            hits += 1.0 if ranks and ranks[0] < 5 else 0.0
            rr += 1.0 / (ranks[0] + 1) if ranks else 0.0
        if item.get("doc_id") and answerable:
            with_doc += 1
            doc_hits += 1.0 if item["doc_id"] in [p.doc_id for p in result.passages[:5]] else 0.0
        if answerable:
            text = _norm(answer.answer)
            answer_ok += 1.0 if answer.answerable and any(_norm(a) in text for a in item["answers"]) else 0.0
        else:
            answer_ok += 0.0 if answer.answerable else 1.0
    metrics = {
        "questions": float(len(items)),
        "evidence_hit@5": round(hits / with_evidence, 4) if with_evidence else float("nan"),
        "evidence_mrr@10": round(rr / with_evidence, 4) if with_evidence else float("nan"),
        "answer_accuracy": round(answer_ok / len(items), 4),
    }
    if with_doc:
        metrics["doc_hit@5"] = round(doc_hits / with_doc, 4)
    return metrics


def bench_quality(settings: Settings, configs: dict[str, tuple[str, str]], articles: int | None) -> dict[str, Any]:
    """Eval metrics per configuration (question and build backends), the first being the reference.

    Each configuration builds its own indexes (under bench/work). bbc_dev runs on the first ``articles``
    BBC articles plus every article its questions cite."""
    out: dict[str, Any] = {"bbc_articles": articles or "all", "configs": configs}
    bbc = bbc_slice(articles, frozenset(str(q.get("doc_id")) for q in questions("bbc_dev")))
    for config, (question_backend, build_backend) in configs.items():
        embedder = load_embedder(settings.model, question_backend, settings.device, settings.model_cache_dir)
        builder = load_embedder(settings.model, build_backend, settings.device, settings.model_cache_dir)
        out[config] = {}
        for name, corpus in (("seed_dev", ROOT / "corpus"), ("bbc_dev", bbc)):
            root = WORK / f"quality-{name}-{build_backend}-{corpus.name}"
            build_index(corpus, root, builder, wiring.build_params(settings), warn=lambda _: None)
            data = load_index(root)
            engine = wiring.assemble_engine(settings, data, embedder)
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
