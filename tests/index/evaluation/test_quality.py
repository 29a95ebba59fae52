"""Quality floors (issues 2 and 7) with the real model, real FAISS and real indexes.

- ``seed_dev.jsonl`` floors are in ``test_quality_seed.py``; here, the abstention reason's shape.
- ``bbc_dev.jsonl`` over the whole BBC corpus, answered by the model learned on 856 BBC questions
  (bbc_train a + b and the seven helper sets below up to blind7; the recipe chosen in the eleventh session
  over the model learned on a + b alone by its figures on blind7 and fresh4, bench/answer_model/RESULTS.md):
  evidence in the top 5 for >= 22/24, answer contained for >= 20/24, at most one answerable question
  abstained, >= 6/8 unanswerable abstained (issue 13 asks 7/8: not reached).
- ``eval/bbc_holdout.jsonl``: answers >= 27/32, <= 2/32 answerable abstained (issue 13 asks <= 1:
  the model with the person features, better by 8 answers in cross-validation, abstains on 2), >= 9/12
  unanswerable abstained (issue 13's floor, met since the eleventh session's end; 7/12 before the fifth
  session's measure fixes).
- ``eval/bbc_fresh.jsonl``: 40 questions written by a helper who had seen none of the other sets, over
  articles none of them uses, measured once on 2026-11-30 before anything was changed for them:
  14/28 answers, 4/28 answerable abstained, 5/12 unanswerable abstained. Heavier paraphrase than
  bbc_train (bench/answer_model/RESULTS.md); the floors hold today's figures (16/28, 3/28, 7/12: the
  fifth session's measure fixes came from reading two of its near misses).
- ``eval/bbc_fresh2.jsonl`` and ``eval/bbc_fresh3.jsonl``: 40 and 56 more such questions by two more
  helpers (2026-11-30, fourth session), each over articles no other set uses. fresh2 was used to look
  for what fails (a development set); fresh3 was only measured, before and after that session's
  changes, and not looked into: 26/40 answers, 6/40 answerable abstained, 5/16 unanswerable
  abstained before; 27/40, 4/40, 6/16 after. The floors hold the figures after.
- ``eval/bbc_fresh4.jsonl``: 60 questions by a fifth helper who read no other set (2026-11-30, eighth
  session), over 44 articles no other set uses; measured, never looked into: 24/42 answers, 4/42
  answerable abstained, 7/18 unanswerable abstained when written, 24/42, 4/42, 8/18 after the
  session's checks, 10/18 after the ninth session's (2026-11-30). The floors hold the figures after.
- ``eval/bbc_nearmiss.jsonl``: 120 questions, half unanswerable (near misses and false premises), by a
  helper who read no other set (ninth session): 31/60 answers, 5/60 answerable abstained, 21/60
  abstained when first measured; a development set since (23/60 after two checks made from it).
- ``eval/bbc_blind5.jsonl``: 120 more (60 unanswerable) by a helper blind to every set and to the system,
  measured once at the session's start code (32/60 answers, 13/60 answerable abstained, 25/60 abstained)
  and at its end (30, 15, 26). The rows that changed were read: two checks misfired and were mended
  (32, 13, 26); a third, "leave X out" read as a resignation, then gave 32, 12, 26. The tenth session's
  maker check ("Who directed X?" over an article or answer telling of no directing): nearmiss 25/60, blind5 27/60;
  with the asker's hedges as question form ("Roughly how many ...?"), blind5 33/60, 11/60, 26/60 (a near
  miss had been abstained for want of "Exactly").
- ``eval/bbc_blind6.jsonl``: 160 questions in bbc_train's mix of styles (120 answerable, 40 unanswerable)
  by a helper blind to the system, over 48 articles no other set uses (tenth session, 2026-12-01): 82/120
  answers, 16/120 answerable abstained, 16/40 abstained at the session's start code and after the maker
  check. Then the reasons of its wrong abstentions were read, and the five abstained by two checks with the
  model's confidence above the threshold: `_someone_else` now needs the other article to hold more of the
  question's terms, and two role families grew ("seat" for an MP, "shadow secretary" for a spokesman):
  86/120, 12/120, 16/40, every other set unchanged. A validation set since.
- ``eval/bbc_blind7.jsonl``: 160 more in the same mix by a blind helper (eleventh session), sealed until the
  choice of the model fitted on 696 questions, which it decided: 86/120 answers, 5/120 answerable abstained,
  19/40 abstained (the a + b model: 82, 11, 17). fresh, fresh2, fresh3, nearmiss, blind5, blind6 and blind7
  are in the shipped model's training data since, so their floors are in-sample figures.
- ``eval/bbc_blind8.jsonl``: 160 more in the same mix by another blind helper, sealed until the shipped model
  (fitted on 856) was final, then measured once: 77/120 answers, 7/120 answerable abstained, 14/40 abstained
  (the a + b model: 72, 14, 18; the 696-question model: 77, 9, 16). Not fitted on; a development set since.
- ``eval/bbc_blind9.jsonl``: 160 more by a third blind helper, sealed until a candidate end code (money,
  race-time and person-role checks made from blind7 and blind8's near misses, the model refitted) was
  measured once: 84/120 answers, 5/120 answerable abstained, 18/40 abstained (the a + b model: 86, 7, 17; the
  856-question model before those checks: 85, 3, 17). Two development tests then failed with the refitted
  model, so the role checks and the refit were reverted; what ships (the 856 model with the money and
  race-time checks) gives 85/120, 4/120, 18/40 on it, a second look.
- ``eval/bbc_blind10.jsonl``, ``bbc_blind11.jsonl``, ``bbc_blind12.jsonl`` (twelfth session): 160 each by three
  more blind helpers over articles of no other set. blind10 was sealed until it decided, with fresh4, whether
  the model refitted on 1,496 questions (blind11 and blind12 among them) replaces the shipped one
  (``bench/answer_model/protocol_session12.md``: a tie, so no); blind11 and blind12 were measured with the
  shipped model before anything was read of them (81, 5, 21/40; 85, 7, 17/40; 89, 3, 13/40). Not fitted on;
  development sets since: with the checks made from their wrong abstentions, blind10 82/120, 4/120 and
  blind11 87/120, 5/120.
- ``eval/bbc_blind13.jsonl`` (fourteenth session): 160 more by a blind helper over articles of no other set
  (numbers divisible by 3), sealed until measured once with the shipped model: 79/120 answers, 7/120
  answerable abstained, 21/40 abstained (near misses 11/24, false premises 3/8). Not fitted on. A second look
  after the fifteenth session's checks: 79/120, 8/120, 21/40 (one wrong answer became an abstention).
- ``eval/bbc_blind14.jsonl`` (sixteenth session): 160 more by a blind helper over articles of no other set
  (numbers leaving 1 divided by 5), sealed until measured once with the session's last answer step: 79/120
  answers, 6/120 answerable abstained, 21/40 abstained (near misses 12/24, false premises 2/8); the answer
  step at the start of the session gave the same figures. Not fitted on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from citeqa.service import wiring
from tests.conftest import BBC_DEV, ROOT

HOLDOUT = ROOT / "eval" / "bbc_holdout.jsonl"
FRESH = ROOT / "eval" / "bbc_fresh.jsonl"


@pytest.fixture(scope="module")
def bbc_engine(bbc_index: Path, embedder: Any) -> Any:
    from citeqa.index.store.loader import load_index
    from citeqa.service.settings import Settings

    data = load_index(bbc_index, embedder.name, embedder.dimension)
    return wiring.assemble_engine(Settings(index_dir=bbc_index), data, embedder)


def _figures(engine: Any, path: Path) -> dict[str, Any]:
    from citeqa.index.evaluation.calibration import answer_figures, read_labelled

    return answer_figures(engine, read_labelled(path), k=5)


def _assert_citations_exact(engine: Any, path: Path) -> None:
    from citeqa.index.evaluation.calibration import read_labelled, run_questions

    for answer in run_questions(engine, read_labelled(path)[:8]):
        for c in answer.citations:
            assert engine.data.documents[c.doc_id].text[c.start : c.end] == c.quote
        assert 1 <= len(answer.citations) <= 2 if answer.answerable else not answer.citations
        assert len(answer.answer) <= 400 + 2 * 5


@pytest.mark.slow
def test_bbc_dev_floors(bbc_engine: Any) -> None:
    figures = _figures(bbc_engine, BBC_DEV)
    totals = figures["totals"]
    failed = [r for r in figures["rows"] if r["answerable"] != (not r["abstained"]) or r["contains"] is False]
    assert (totals["answerable"], totals["unanswerable"]) == (24, 8)
    assert totals["evidence_at_5"] >= 22, figures["summary"]
    assert totals["contains_answer"] >= 20, (figures["summary"], failed)
    assert totals["abstained_unanswerable"] >= 6, (figures["summary"], failed)
    # issue 13's floor; 1 since the year check (v17: its evidence is not retrieved, and the closest
    # article, which it answered from before, never mentions the year it asks about)
    assert totals["abstained_answerable"] <= 1, (figures["summary"], failed)
    _assert_citations_exact(bbc_engine, BBC_DEV)


@pytest.mark.slow
def test_bbc_holdout_floors(bbc_engine: Any) -> None:
    figures = _figures(bbc_engine, HOLDOUT)
    totals = figures["totals"]
    assert (totals["answerable"], totals["unanswerable"]) == (32, 12)
    assert totals["evidence_at_5"] >= 29, figures["summary"]
    assert totals["contains_answer"] >= 27, figures["summary"]
    assert totals["abstained_unanswerable"] >= 9, figures["summary"]  # issue 13's floor, met since the eleventh session
    assert totals["abstained_answerable"] <= 2, figures["summary"]


@pytest.mark.slow
def test_bbc_fresh_floors(bbc_engine: Any) -> None:
    figures = _figures(bbc_engine, FRESH)
    totals = figures["totals"]
    assert (totals["answerable"], totals["unanswerable"]) == (28, 12)
    assert totals["evidence_at_5"] >= 26, figures["summary"]
    assert totals["contains_answer"] >= 18, figures["summary"]
    assert totals["abstained_unanswerable"] >= 7, figures["summary"]
    assert totals["abstained_answerable"] <= 1, figures["summary"]
    _assert_citations_exact(bbc_engine, FRESH)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "counts", "floors"),
    [
        ("bbc_fresh2.jsonl", (30, 10), {"evidence_at_5": 27, "contains_answer": 22, "abstained_unanswerable": 5}),
        ("bbc_fresh3.jsonl", (40, 16), {"evidence_at_5": 40, "contains_answer": 30, "abstained_unanswerable": 6}),
        ("bbc_fresh4.jsonl", (42, 18), {"evidence_at_5": 38, "contains_answer": 26, "abstained_unanswerable": 4}),
        ("bbc_nearmiss.jsonl", (60, 60), {"evidence_at_5": 52, "contains_answer": 34, "abstained_unanswerable": 24}),
        ("bbc_blind5.jsonl", (60, 60), {"evidence_at_5": 52, "contains_answer": 38, "abstained_unanswerable": 22}),
        ("bbc_blind6.jsonl", (120, 40), {"evidence_at_5": 113, "contains_answer": 91, "abstained_unanswerable": 16}),
        ("bbc_blind7.jsonl", (120, 40), {"evidence_at_5": 109, "contains_answer": 87, "abstained_unanswerable": 20}),
        ("bbc_blind8.jsonl", (120, 40), {"evidence_at_5": 106, "contains_answer": 77, "abstained_unanswerable": 17}),
        ("bbc_blind9.jsonl", (120, 40), {"evidence_at_5": 112, "contains_answer": 85, "abstained_unanswerable": 18}),
        ("bbc_blind10.jsonl", (120, 40), {"evidence_at_5": 106, "contains_answer": 82, "abstained_unanswerable": 21}),
        ("bbc_blind11.jsonl", (120, 40), {"evidence_at_5": 107, "contains_answer": 87, "abstained_unanswerable": 17}),
        ("bbc_blind12.jsonl", (120, 40), {"evidence_at_5": 114, "contains_answer": 89, "abstained_unanswerable": 13}),
        ("bbc_blind13.jsonl", (120, 40), {"evidence_at_5": 109, "contains_answer": 79, "abstained_unanswerable": 21}),
        ("bbc_blind14.jsonl", (120, 40), {"evidence_at_5": 104, "contains_answer": 79, "abstained_unanswerable": 21}),
    ],
)
def test_more_fresh_sets(bbc_engine: Any, name: str, counts: tuple[int, int], floors: dict[str, int]) -> None:
    figures = _figures(bbc_engine, FRESH.parent / name)
    totals = figures["totals"]
    assert (totals["answerable"], totals["unanswerable"]) == counts
    for figure, floor in floors.items():
        assert totals[figure] >= floor, (figure, figures["summary"])
    assert (
        totals["abstained_answerable"]
        <= {
            "bbc_fresh2.jsonl": 1,
            "bbc_fresh3.jsonl": 1,
            "bbc_fresh4.jsonl": 2,
            "bbc_nearmiss.jsonl": 2,
            "bbc_blind5.jsonl": 5,
            "bbc_blind6.jsonl": 4,
            "bbc_blind7.jsonl": 5,
            "bbc_blind8.jsonl": 7,
            "bbc_blind9.jsonl": 4,
            "bbc_blind10.jsonl": 4,
            "bbc_blind11.jsonl": 5,
            "bbc_blind12.jsonl": 3,
            # 8 since the fifteenth session: one answerable question answered wrongly before (its sentence names
            # nothing the question does not) is now refused by the name check (``Extractor._nothing_asked_for``)
            "bbc_blind13.jsonl": 8,
            "bbc_blind14.jsonl": 6,
        }[name]
    ), figures["summary"]


@pytest.mark.slow
def test_a_rare_name_absent_from_the_answers_article_is_someone_else(bbc_engine: Any) -> None:
    # bbc_train_a's near miss: Britannia's article gives no profit; another article gives Multiplex's
    answer, _ = bbc_engine.ask("What pre-tax profit did the Britannia Building Society report for 2004?")
    assert not answer.answerable, answer.answer
    assert answer.abstention.code == "terms_not_in_passage"
    assert "never mentions “Britannia”, as “Britannia members' £42m windfall” does" in answer.reason
    # what the Britannia article does say is still answered from it
    answer, _ = bbc_engine.ask("How many Britannia Building Society members will get a share of the profits?")
    assert answer.answerable and "800,000" in answer.answer, answer.reason


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "says"),
    [
        # a long question's context names what another article shares with it and nothing else ("Bulgaria"
        # in a football article); the answer's article holds the rest ("Romanian and Bulgarian visas")
        (
            "Which immigration minister resigned over the visas given to applicants from Romania and Bulgaria?",
            "Beverley Hughes",
        ),
        # a role's family: a "spokesman" of the opposition is its shadow secretary, an "MP" won a seat
        ("Which Conservative spokesman on education said a return by Hague would be a huge boost?", "Tim Collins"),
        (
            "Which former MP who beat Neil Hamilton in Tatton said politicians fail to see themselves as others do?",
            "Martin Bell",
        ),
    ],
)
def test_a_long_questions_context_is_not_someone_else(bbc_engine: Any, question: str, says: str) -> None:
    # bbc_blind6's wrong abstentions (tenth session), asked in our words
    answer, _ = bbc_engine.ask(question)
    assert answer.answerable and says in answer.answer, answer.reason


def test_abstention_reason_is_machine_readable(client: Any) -> None:
    body = client.post("/v1/ask", json={"question": "How many moons does Jupiter have?"}).json()
    assert body["answerable"] is False
    assert body["abstention"]["code"] == "not_in_corpus"
    assert "Jupiter" in body["abstention"]["terms"]
    assert "Jupiter" in body["reason"]
    assert set(body["abstention"]["signals"]) >= {"coverage", "unknown", "dense"}


def test_answered_question_has_no_abstention(client: Any) -> None:
    body = client.post("/v1/ask", json={"question": "what is NSATU?"}).json()
    assert body["answerable"] is True and body["abstention"] is None and body["reason"] is None
