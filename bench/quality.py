"""Retrieval and answer metrics on the eval question sets, to compare embedding backends.

Retrieval: evidence found in the top 5 passages (hit@5) and its reciprocal rank within 10
(MRR@10); for BBC also the answering document in the top 5. Answers: an answerable question
is right when the answer holds one of the accepted strings, an unanswerable one when it abstains.
"""

from __future__ import annotations

import re
from typing import Any

from citeqa.index.engine import Engine


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
