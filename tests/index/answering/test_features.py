"""Features of candidate sentences and answerability signals (citeqa.index.answering.features) on a tiny corpus."""

from __future__ import annotations

import math

import pytest

from citeqa.index.answering.features import (
    CANDIDATE_FEATURES,
    SIGNALS,
    DocumentTerms,
    Prepared,
    absence_weights,
    answer_signals,
    candidate_features,
    coverage,
    document_terms,
    parse_question,
    with_similarity,
)
from citeqa.index.answering.ranker import Ranker
from citeqa.index.store.lexical import build_lexical
from citeqa.index.text.questions import type_match
from citeqa.index.text.sentences import sentence_spans
from citeqa.index.text.specificity import specificity
from citeqa.index.text.tokens import content_terms
from tests.index.answering.fixtures import DOCUMENTS, LIGHTHOUSE, lexical, passage


def _spans(doc_id: str) -> list[tuple[int, int]]:
    return sentence_spans(DOCUMENTS[doc_id].text)


def _terms(doc_id: str) -> DocumentTerms:
    return document_terms(DOCUMENTS[doc_id], _spans(doc_id))


def test_a_word_the_corpus_never_uses_is_kept_with_the_highest_idf() -> None:
    index = lexical()
    q = parse_question("When was the lighthouse demolished?", index)
    assert q.absent == ("demolish",)
    assert q.weights["demolish"] == pytest.approx(index.term_idf("\0never"))
    assert q.weights["demolish"] > q.weights["lighthous"]


def test_an_irregular_form_matches_its_lemma_and_is_looked_up_as_written() -> None:
    """The answer step reads "met" as "meet" on both sides ("Who did Rutte meet on April 9?" is about "On
    April 9, Rutte met with ..."); the lexical index keeps "met", so "met" is no word the corpus lacks."""
    index = build_lexical(["On April 9, Rutte met the prime minister."])
    q = parse_question("Who met the prime minister?", index)
    assert "meet" in q.weights and q.absent == ()
    assert q.weights["meet"] == pytest.approx(index.term_idf("met"))
    assert "meet" in content_terms("On April 9, Rutte met the prime minister.")
    assert parse_question("Whom did Rutte meet?", index).absent == ()


def test_coverage_weighs_terms_and_counts_a_shared_prefix_half() -> None:
    assert coverage({"harbour": 2.0, "lighthous": 2.0}, {"harbour"}) == pytest.approx(0.5)
    assert coverage({"appointed": 1.0}, {"appoint"}) == pytest.approx(0.5)
    assert coverage({}, {"x"}) == 0.0


def test_candidates_hold_every_feature_and_exact_spans() -> None:
    q = parse_question("Who runs the museum?", lexical())
    candidates = candidate_features(q, [passage(LIGHTHOUSE)], DOCUMENTS, _spans, _terms)
    assert [LIGHTHOUSE.text[c.start : c.end] for c in candidates][:2] == [
        "Harbour lighthouse reopens",
        "The old harbour lighthouse reopened to visitors on Saturday.",
    ]
    ranked = with_similarity(candidates, [0.1 * i for i in range(len(candidates))])
    assert all(set(c.features) == set(CANDIDATE_FEATURES) for c in ranked)
    by_text = {LIGHTHOUSE.text[c.start : c.end]: c for c in ranked}
    assert by_text["Harbour lighthouse reopens"].features["headline"] == 1.0
    assert by_text["Anna Berg runs the museum."].features["type"] == 1.0  # a full new name for a "who" question
    assert by_text["Visiting hours are from 10am to 4pm every day."].features["type"] < 1.0
    assert by_text["She was appointed curator in 2003 by the town council."].features["pronoun"] == 1.0
    assert max(c.features["similarity_gap"] for c in ranked) == 0.0
    assert ranked[0].features["previous_gap"] == -1.0  # no sentence before the headline


@pytest.mark.parametrize(
    ("kind", "sentence", "question", "expected"),
    [
        ("amount", "Al Aynsley-Green, 60, said so.", "How old is Al Aynsley-Green?", 1.0),
        ("amount", "He has 3 children.", "How old is Al Aynsley-Green?", 0.0),
        ("amount", "They paid £3m for him.", "How much did the club pay to sign him?", 1.0),
        ("amount", "He scored 3 goals.", "How much did the club pay to sign him?", 0.0),
        ("when", "It was founded in 1988.", "In what year did she set up the firm?", 1.0),
        ("when", "It opened in May.", "In what year did she set up the firm?", 0.0),
        ("when", "The ferry sails at 7am from Pier 4.", "When does the ferry sail?", 1.0),
        ("when", "Doors open at 9 a.m., and kick-off is at 19:30.", "When does the match start?", 1.0),
        ("when", "The ferry sails from Pier 4.", "When does the ferry sail?", 0.0),
        ("when", "Shares rose 3.5% to 12.30p.", "When did shares rise?", 0.0),
    ],
)
def test_type_match_looks_for_the_detail_asked(kind: str, sentence: str, question: str, expected: float) -> None:
    assert type_match(kind, sentence, question) == expected


def test_signals_see_words_missing_from_the_article_and_from_the_corpus() -> None:
    index = lexical()
    max_idf = index.term_idf("\0never")
    q = parse_question("When was the harbour lighthouse demolished?", index)
    candidates = with_similarity(candidate_features(q, [passage(LIGHTHOUSE)], DOCUMENTS, _spans, _terms), [0.5] * 5)
    prepared = Prepared(q, (passage(LIGHTHOUSE),), tuple(candidates))
    ranked = Ranker({"coverage": 1.0}).rank(candidates)
    signals = answer_signals(prepared, ranked, DOCUMENTS, _terms, max_idf)
    assert set(signals) == set(SIGNALS)
    # "demolished" is all the article lacks, and the corpus lacks it too; in two documents that
    # absence counts ln(3)/ln(1001) as much as in a thousand for a common word, more for a topical
    # one ("demolished": Zipf 3.4 in English), in every signal that sees it
    says = max(math.log(3) / math.log(1001), specificity("demolished"))
    assert 0.8 < says < 0.9
    assert absence_weights(q, len(DOCUMENTS)) == {"demolish": says}
    demolished = q.weights["demolish"]
    assert q.absent == ("demolish",) and demolished == pytest.approx(max_idf)
    assert signals["unknown"] == pytest.approx(demolished * says / sum(q.weights.values()), abs=1e-3)
    assert signals["rare_missing"] == pytest.approx(says, abs=1e-3)
    seen = sum(q.weights.values()) - demolished + demolished * says
    assert signals["doc_missing"] == pytest.approx(demolished * says / seen, abs=1e-3)
    answered = parse_question("When did the harbour lighthouse reopen?", index)
    prepared = Prepared(answered, (passage(LIGHTHOUSE),), tuple(candidates))
    assert answer_signals(prepared, ranked, DOCUMENTS, _terms, max_idf)["doc_missing"] == 0.0


def test_signals_without_candidates_say_everything_is_missing() -> None:
    q = parse_question("What is the capital of Mongolia?", lexical())
    signals = answer_signals(Prepared(q, (), ()), [], DOCUMENTS, _terms, 5.0)
    assert signals["doc_missing"] == 1.0 and signals["unknown"] > 0.9 * math.log(3) / math.log(1001)


def test_in_a_small_corpus_a_topical_word_s_absence_says_more_than_a_common_one_s() -> None:
    index = lexical()
    q = parse_question("What does the planet lighthouse show?", index)
    says = absence_weights(q, len(DOCUMENTS))
    assert set(says) == {"planet", "show"}
    assert says["show"] == pytest.approx(math.log(3) / math.log(1001))  # "show": among the commonest words
    assert says["planet"] == pytest.approx(specificity("planet")) and 0.4 < says["planet"] < 0.5
    assert absence_weights(q, 1000) == {"planet": 1.0, "show": 1.0}  # from a thousand documents on: all


@pytest.mark.parametrize(
    ("word", "low", "high"),
    [
        ("what", 0.0, 0.0),
        ("show", 0.0, 0.15),
        ("planet", 0.4, 0.5),
        ("sulfuric", 1.0, 1.0),
        ("Zorblaxx", 1.0, 1.0),
        ("2004", 1.0, 1.0),
    ],
)
def test_specificity_grows_as_a_word_gets_rarer_in_english(word: str, low: float, high: float) -> None:
    assert low <= specificity(word) <= high
