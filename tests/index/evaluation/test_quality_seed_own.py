"""Floors on eval/seed_own.jsonl, questions we wrote about the default article (not a test set of the
issue: 22 answerable, 12 off-topic, 8 near misses), over the default corpus, through the HTTP API.

The off-topic questions are what a one-article corpus meets most: words it never uses ("sulfuric",
"planet") must count against answering even though a handful of documents uses few words
(``citeqa.index.answering.features.absence_weights``). Measured when written: 20/22 answers, 1/22
wrongly abstained, 12/12 off-topic and 3/8 near misses abstained (11/20 before absence_weights);
4/8 near misses since a name's number word is no count ("the Indo-Pacific Four", 2026-11-30)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import ROOT

SEED_OWN = ROOT / "eval" / "seed_own.jsonl"
Results = list[tuple[dict[str, Any], dict[str, Any]]]


@pytest.fixture(scope="module")
def results(client: Any) -> Results:
    out = []
    for line in SEED_OWN.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        response = client.post("/v1/ask", json={"question": item["question"]})
        assert response.status_code == 200, response.text
        out.append((item, response.json()))
    return out


Results = Results


def test_off_topic_questions_are_not_answered_from_the_article(results: Results) -> None:
    answered = [q["question"] for q, r in results if q["style"] == "off_topic" and r["answerable"]]
    assert answered == []


def test_answerable_questions_are_answered(results: Results) -> None:
    answerable = [(q, r) for q, r in results if q.get("answerable", True)]
    hits = [q["id"] for q, r in answerable if any(a.lower() in r["answer"].lower() for a in q["answers"])]
    abstained = [q["id"] for q, r in answerable if not r["answerable"]]
    assert len(hits) >= 20, hits
    assert len(abstained) <= 1, abstained


def test_near_misses(results: Results) -> None:
    near = [r for q, r in results if q["style"] == "near_miss"]
    assert sum(not r["answerable"] for r in near) >= 4
