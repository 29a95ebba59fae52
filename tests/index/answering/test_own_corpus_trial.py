"""Four new users' own corpora and questions (eval/small2_corpus and small2_own.jsonl, eval/small3_corpus
and small3_own.jsonl: eight invented articles each, 32 answerable and 18 unanswerable questions;
eval/small4_corpus and small4_own.jsonl: eight more, 30 and 20; eval/small5_corpus and small5_own.jsonl: seven
more, 20 and 14; eval/small6 and small7: a town council's site and a library's documentation, 79 and 22, 64
and 20; eval/small8: a clinic's patient information, 124 and 27; eval/small9 and small10: an appliance maker's
support site and a museum's visitor pages, 131 and 32, 151 and 48), written by helpers who had read none
of our sets: the floors hold what the answer path gives, and the cases the trials met are tests. Real
model, real index."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, build_test_index

CORPUS = ROOT / "eval" / "small2_corpus"
QUESTIONS = ROOT / "eval" / "small2_own.jsonl"
# A second trial: eight more articles, 32 answerable and 18 unanswerable questions by another helper who
# had read none of our sets.
CORPUS3 = ROOT / "eval" / "small3_corpus"
QUESTIONS3 = ROOT / "eval" / "small3_own.jsonl"
# A third (2026-11-30, ninth session), written after the checks of the first two.
CORPUS4 = ROOT / "eval" / "small4_corpus"
QUESTIONS4 = ROOT / "eval" / "small4_own.jsonl"
# A fourth (2026-12-01, tenth session): seven articles, 20 answerable and 14 unanswerable questions.
CORPUS5 = ROOT / "eval" / "small5_corpus"
QUESTIONS5 = ROOT / "eval" / "small5_own.jsonl"
# Two more (2026-12-01, seventeenth session), not news: a town council's site (15 pages: Markdown, text, HTML
# with tables, a PDF, a French and a Welsh page; 79 answerable, 22 unanswerable) and a database library's
# documentation (13 pages: a changelog, tables of options and benchmarks, a security advisory; 64 and 20).
CORPUS6 = ROOT / "eval" / "small6_corpus"
QUESTIONS6 = ROOT / "eval" / "small6_own.jsonl"
CORPUS7 = ROOT / "eval" / "small7_corpus"
QUESTIONS7 = ROOT / "eval" / "small7_own.jsonl"
# A clinic's patient information (2026-12-01, eighteenth session): 14 pages (tables of hours, vaccines and
# prices, a dated news page, a PDF, a page in Spanish) and 151 questions typed as patients type them.
CORPUS8 = ROOT / "eval" / "small8_corpus"
QUESTIONS8 = ROOT / "eval" / "small8_own.jsonl"
# Two more (2026-12-02, nineteenth session): an appliance maker's support site (14 pages: manuals with spec and
# error-code tables, a warranty PDF, a recall notice, a dated news page, a German page) and a museum's visitor
# pages (15: hours and prices tables, a collection with accession numbers and dates before 1800, an extension
# notice, a PDF, a Welsh page), with questions typed as customers and visitors type them.
CORPUS9 = ROOT / "eval" / "small9_corpus"
QUESTIONS9 = ROOT / "eval" / "small9_own.jsonl"
CORPUS10 = ROOT / "eval" / "small10_corpus"
QUESTIONS10 = ROOT / "eval" / "small10_own.jsonl"


def _engine(corpus: Path, tmp_path_factory: pytest.TempPathFactory, build_embedder: Any) -> Any:
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    index = build_test_index(corpus, tmp_path_factory.mktemp(f"{corpus.name}-index"), build_embedder)
    return load_engine(Settings(index_dir=index))


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory, build_embedder: Any) -> Callable[[Path], Any]:
    """An engine over each corpus, built once for the module."""
    built: dict[Path, Any] = {}

    def engine_of(corpus: Path) -> Any:
        if corpus not in built:
            built[corpus] = _engine(corpus, tmp_path_factory, build_embedder)
        return built[corpus]

    return engine_of


@pytest.fixture(scope="module")
def engine(engines: Callable[[Path], Any]) -> Any:
    return engines(CORPUS)


@pytest.fixture(scope="module")
def engine3(engines: Callable[[Path], Any]) -> Any:
    """The second trial's (below)."""
    return engines(CORPUS3)


@pytest.fixture(scope="module")
def engine4(engines: Callable[[Path], Any]) -> Any:
    """The third trial's."""
    return engines(CORPUS4)


@pytest.fixture(scope="module")
def engine5(engines: Callable[[Path], Any]) -> Any:
    """The fourth trial's."""
    return engines(CORPUS5)


@pytest.mark.parametrize(
    ("corpus", "questions", "counts", "floors", "most_wrongly_abstained"),
    [
        # when written: 23/32 answers, 4/32 wrongly abstained, 8/18 abstained
        (CORPUS, QUESTIONS, (32, 18), {"contains_answer": 25, "abstained_unanswerable": 11}, 3),
        # when written: 25/32 answers, 3/32 wrongly abstained, 7/18 abstained
        (CORPUS3, QUESTIONS3, (32, 18), {"contains_answer": 25, "abstained_unanswerable": 12}, 3),
        # when written: 19/30 answers, 2/30 wrongly abstained, 7/20 abstained (near misses 3/14)
        (CORPUS4, QUESTIONS4, (30, 20), {"contains_answer": 19, "abstained_unanswerable": 14}, 3),
        # when written: 14/20 answers, 3/20 wrongly abstained, 7/14 abstained; 13/20 since its Markdown titles
        # lost their "#" (the new mayor's sentence, a near tie, lost to the former mayor's)
        (CORPUS5, QUESTIONS5, (20, 14), {"contains_answer": 13, "abstained_unanswerable": 8}, 3),
        # when written: 50/79 answers, 2/79 wrongly abstained, 11/22 abstained; 57, 2 and 12 after the fixes it
        # led to (tables read under their headers, headings never quoted beside an answer, contact details)
        (CORPUS6, QUESTIONS6, (79, 22), {"contains_answer": 56, "abstained_unanswerable": 12}, 3),
        # when written: 40/64 answers, 6/64 wrongly abstained, 11/20 abstained; 45, 5 and 14 after the fixes (a
        # release or a number naming one thing no page holds, a changelog's item under its dated heading)
        (CORPUS7, QUESTIONS7, (64, 20), {"contains_answer": 44, "abstained_unanswerable": 13}, 5),
        # when written: 87/124 answers, 19/124 wrongly abstained, 14/27 abstained; 97, 10 and 14 after the fixes (a
        # patient's wording, an age answering "when", a table row kept whole, a day of the week)
        (CORPUS8, QUESTIONS8, (124, 27), {"contains_answer": 95, "abstained_unanswerable": 13}, 12),
        # when written: 79/131 answers, 23/131 wrongly abstained, 13/32 abstained; 93, 11 and 18 after the fixes
        # (model numbers typed joined, "washer", long sentences quoted at the clause, another model's figure)
        (CORPUS9, QUESTIONS9, (131, 32), {"contains_answer": 91, "abstained_unanswerable": 17}, 13),
        # when written: 111/151 answers, 14/151 wrongly abstained, 22/48 abstained; 116, 10 and 21 after the fixes
        # ("c. 1250 BC", years before 1800, headings never quoted, lower-case acronyms, a later notice)
        (CORPUS10, QUESTIONS10, (151, 48), {"contains_answer": 114, "abstained_unanswerable": 20}, 12),
    ],
    ids=lambda value: value.name if isinstance(value, Path) else None,
)
def test_the_trials_question_sets(
    engines: Callable[[Path], Any],
    corpus: Path,
    questions: Path,
    counts: tuple[int, int],
    floors: dict[str, int],
    most_wrongly_abstained: int,
) -> None:
    from citeqa.index.evaluation.calibration import answer_figures, read_labelled

    totals = answer_figures(engines(corpus), read_labelled(questions), k=5)["totals"]
    assert (totals["answerable"], totals["unanswerable"]) == counts
    assert all(totals[name] >= floor for name, floor in floors.items()), totals
    assert totals["abstained_answerable"] <= most_wrongly_abstained, totals


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("How much will vemiraxin cost per patient?", "“declined to say how much”"),
        ("Who was Rachel Brennan's line manager at Corvane?", "“was not named”"),
    ],
)
def test_an_article_saying_the_thing_is_not_given_is_no_answer(engine: Any, question: str, says: str) -> None:
    answer, _ = engine.ask(question)
    assert not answer.answerable and answer.citations == ()
    assert answer.abstention.code == "answer_type_missing"
    assert f"says it is not given: {says}" in (answer.reason or "")


@pytest.mark.parametrize(
    ("question", "cites"),
    [
        ("What does HFpEF stand for?", "heart failure with preserved ejection fraction"),  # "stand" asks
        ("What does HFpEF mean?", "heart failure with preserved ejection fraction"),
        ("How old is Marta Kowalczyk?", "who is 38"),  # an age as a relative clause
        ("Which judge is hearing Brennan's claim against Corvane?", "Employment Judge Margaret Olusanya"),
        ("Who led the KARDIA-2 trial?", "Professor Émilie Vasseur-Obi"),
    ],
)
def test_what_the_trial_asked_is_answered(engine: Any, question: str, cites: str) -> None:
    answer, _ = engine.ask(question)
    assert answer.answerable, answer.reason
    assert cites in answer.citations[0].quote


def test_a_birthplace_the_articles_never_give(engine: Any) -> None:
    answer, _ = engine.ask("Where was Agnès Delacroix-Moreau born?")
    assert not answer.answerable and "does not state the birth asked about" in (answer.reason or "")


def test_a_decision_the_articles_never_tell_of(engine: Any) -> None:
    """A false premise: the railway ordered trains and never cancelled the order."""
    answer, _ = engine.ask("Why did Valdremont Regional Railways cancel its order for new trains?")
    assert not answer.answerable and "tells of no cancellation" in (answer.reason or "")


def test_a_sale_price_asked_and_not_given(engine: Any) -> None:
    answer, _ = engine.ask("How much did Henrik Vass sell Larkspur for?")
    assert not answer.answerable and "does not give the sum of money asked for" in (answer.reason or "")


@pytest.mark.parametrize(
    ("question", "asked", "says"),
    [
        (
            "Henrik Vass created Larkspur as a graduate student. Where does he work now?",
            "Where does Henrik Vass work now?",
            "now works in Tallinn",
        ),
        (
            "Port Ellery is creating an Office of Climate Resilience. What will its first task be?",
            "What will the Office of Climate Resilience's first task be?",
            "update the city's flood maps",
        ),
    ],
)
def test_a_question_opening_with_statements(engine: Any, question: str, asked: str, says: str) -> None:
    """The trial's "context" questions: the last sentence leans on the statements before it."""
    answer, _ = engine.ask(question)
    assert answer.question == asked
    assert answer.answerable and says in answer.answer


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("How many jobs will be lost in the Caldermoor and Ashgrove merger?", "says it is not given"),
        ("Why was Siobhán O'Rourke dismissed as headteacher of Thornfield Academy?", "tells of no dismissal"),
        ("What sentence did Darren Pike receive for the fraud?", "tells of no sentence passed"),
    ],
)
def test_what_the_second_trial_s_articles_do_not_say(engine3: Any, question: str, says: str) -> None:
    answer, _ = engine3.ask(question)
    assert not answer.answerable and says in (answer.reason or "")


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        # the price "was not disclosed", in words the question does not use, in a sentence not cited
        ("How much did Halvorsen Foods pay for Brightmill Bakeries?", "says it is not given"),
        # a verdict with the sentencing to come: no sentence passed
        ("What sentence was Gordon Pell given?", "tells of no sentence passed"),
        ("Why was Dani Okafor sent off in the cup final?", "tells of no dismissal"),
        ("Who was killed when the garden wall collapsed during Storm Ingrid?", "does not state the death"),
        ("How old is the Rovers manager Lena Castellanos?", "gives the age of someone else"),
    ],
)
def test_the_third_trials_near_misses_abstain(engine4: Any, question: str, reason: str) -> None:
    answer, _ = engine4.ask(question)
    assert not answer.answerable and answer.citations == (), answer.answer
    assert reason in (answer.reason or "")


def test_the_fourth_trials_cases(engine5: Any) -> None:
    # the ship's name "has not yet been identified", in a sentence the answer does not cite
    answer, _ = engine5.ask("What was the name of the ship found off Brannock Point?")
    assert not answer.answerable and "name has not yet been identified" in (answer.reason or ""), answer.answer
    # an abstention's reason: the article saying the fee was not disclosed, not a word no passage uses ("paid")
    answer, _ = engine5.ask("How much will Inés Valdés Muñoz be paid?")
    assert not answer.answerable and "fee, were not disclosed" in (answer.reason or ""), answer.reason
    # a why-question's answer gives the cause: the death is told by the article ("dead or collapsed")
    answer, _ = engine5.ask("Why did so many bee colonies in the Orrin Valley die this spring?")
    assert "does not state the death" not in (answer.reason or ""), answer.reason
