"""Issue 13's near misses, rebuilt with our own text: the entity is in the corpus, the detail asked for
is not. "Asked for a verdict, answered with the accusation" and "asked for one year's case, answered
with another year's" must abstain, while the same articles still answer what they do say. Real model,
real index of six invented articles (eval/small_corpus: one reports another trial's verdict, so
"verdict", "jury" and "guilty" are words the corpus uses).

A small corpus's near misses are mostly still answered (eval/small_own.jsonl: 4 of 18 abstained when
written, all four by the two logical checks, none by the learned model; 7 of 18 with the measure check
of ``citeqa.index.text.measures``): the floors below keep what holds, not what is wanted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

SMALL_OWN = ROOT / "eval" / "small_own.jsonl"


@pytest.fixture(scope="module")
def engine(small_index: Path) -> Any:
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    return load_engine(Settings(index_dir=small_index))


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("Was Helen Marsh found guilty of fraud?", "tells of no verdict"),
        ("What verdict did the jury reach in Helen Marsh's fraud trial?", ""),
        ("How much was the Dunmore Brewery fined in 2004?", "gives “2002”, not “2004”"),
        (
            "Who is Helen Marsh's lawyer?",
            "(“Teacher accused of taking school fund”) does not name the person asked for",
        ),
        ("Who restored the Kelham lifeboat?", "does not name the person asked for"),
        ("How much does the Orla Fold weigh?", "does not give the weight asked for"),
        # a maker asked for by the verb of making, in an article that tells of no founding
        ("Who founded the Dunmore Brewery?", "never mentions a founder"),
        ("How long did Helen Marsh teach at the school?", "does not give the length or duration asked for"),
        ("How many people watched the match at Prenton Park?", "does not give the number asked for"),
        # issue 13: a rare word no document uses counts against answering ("answered with its visiting hours")
        ("When was the museum demolished?", "no passage mentions “demolished”"),
    ],
)
def test_a_near_miss_abstains(engine: Any, question: str, reason: str) -> None:
    answer, _ = engine.ask(question)
    assert not answer.answerable, answer.answer
    assert answer.citations == ()
    assert reason in (answer.reason or "")


@pytest.mark.parametrize(
    ("question", "doc_id", "says"),
    [
        ("What is Helen Marsh accused of?", "marsh-trial", "accused of fraud"),
        ("What verdict did the jury reach in the Sam Hollis trial?", "hollis-verdict", "guilty"),
        ("How much was the Dunmore Brewery fined in 2002?", "dunmore-fine", "£40,000"),
        ("When will Hollis be sentenced?", "hollis-verdict", "next month"),
        ("How much did the museum restoration cost?", "harbour", "£3m"),
        ("Who is Orla's chief executive?", "orla-phone", "Mira Lehto"),
        ("Who scored twice for Rovers?", "rovers-win", "Leon Abbott"),
        ("How long does the Orla Fold's battery last?", "orla-phone", "a day and a half"),
        ("How old is Helen Marsh?", "marsh-trial", "61"),
        ("How long did the jury deliberate in the Hollis trial?", "hollis-verdict", "four hours"),
    ],
)
def test_what_the_articles_say_is_answered(engine: Any, question: str, doc_id: str, says: str) -> None:
    answer, _ = engine.ask(question)
    assert answer.answerable, answer.reason
    assert answer.citations[0].doc_id == doc_id and says in answer.answer


def test_own_small_corpus_questions(engine: Any) -> None:
    from citeqa.index.evaluation.calibration import answer_figures, read_labelled

    totals = answer_figures(engine, read_labelled(SMALL_OWN), k=5)["totals"]
    assert totals["contains_answer"] >= 18 and totals["abstained_answerable"] <= 1, totals
    assert totals["abstained_unanswerable"] >= 7, totals


@pytest.mark.parametrize(
    "question",
    ["Which planet is the largest in the solar system?", "How do vaccines train the immune system?"],
)
def test_a_question_no_passage_is_about_abstains(engine: Any, question: str) -> None:
    answer, _ = engine.ask(question)
    assert not answer.answerable and answer.citations == ()
    assert answer.abstention is not None
    assert answer.abstention.code in ("off_topic", "not_in_corpus", "terms_not_in_passage", "low_confidence")
    assert answer.signals["dense"] < 0.3


def test_the_off_topic_floor_overrules_a_confident_answer(engine: Any) -> None:
    from citeqa.index.answering.abstention import AbstainModel

    lenient = engine.extractor.model.with_threshold(0.0)  # would answer anything
    assert isinstance(lenient, AbstainModel)
    answer, _ = engine.with_abstain_model(lenient).ask("Which planet is the largest in the solar system?")
    assert not answer.answerable
    assert answer.abstention is not None and answer.abstention.code == "off_topic"
    assert "no passage is about this question" in (answer.reason or "")
    assert engine.with_abstain_model(lenient).ask("Who manages Tranmere Rovers?")[0].answerable
