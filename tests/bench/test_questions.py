"""The benchmark's question generator: distinct English questions about the corpus, never repeated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.corpora import BBC_NEWS
from bench.questions import QuestionSource, article_questions, question_pool
from citeqa.index.limits import MAX_QUESTION_CHARS
from citeqa.index.text.language import check_language


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Three real BBC articles; business-009 has hand-written eval questions."""
    for section, name in (("business", "001.txt"), ("business", "009.txt"), ("tech", "003.txt")):
        (tmp_path / section).mkdir(exist_ok=True)
        shutil.copy(BBC_NEWS / section / name, tmp_path / section / name)
    return tmp_path


def test_pool_is_distinct_english_questions_within_the_api_limits(corpus: Path) -> None:
    pool = question_pool(corpus)
    assert len(pool) == len(set(pool)) > 30
    for question in pool:
        assert 0 < len(question) <= MAX_QUESTION_CHARS
        check_language(question)  # raises UnsupportedLanguage otherwise
    generated = [q for path in sorted(corpus.rglob("*.txt")) for q in article_questions(path)]
    assert set(generated) <= set(pool) and all(q.endswith("?") for q in generated)


def test_pool_starts_with_eval_questions_then_visits_every_article(corpus: Path) -> None:
    pool = question_pool(corpus)
    assert "How many tonnes of crops did Ethiopia produce in 2004?" in pool[:10]
    headlines = [q for q in pool if q.startswith("What was reported about")]
    assert len(headlines) == 3
    assert "What was reported about Ad sales boost Time Warner profit?" in headlines


def test_cloze_questions_ask_for_a_number_and_a_name(corpus: Path) -> None:
    questions = article_questions(corpus / "business" / "001.txt")
    asked = "Quarterly profits at US media giant TimeWarner jumped how many to $1.13bn (£600m) for the three months"
    assert f"{asked} to December, from $639m year-earlier?" in questions
    assert any("who or what" in q for q in questions)


def test_source_hands_out_disjoint_slices_and_refuses_to_repeat() -> None:
    source = QuestionSource([f"q{i}" for i in range(10)])
    first, second = source.take(4), source.take(6)
    assert not set(first) & set(second) and source.used == 10
    with pytest.raises(RuntimeError, match="exhausted"):
        source.take(1)
