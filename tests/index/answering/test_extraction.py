"""The answer step on its own: passages in, an answer with exact citations (or an abstention) out.

A small hand-made corpus, a real BM25 index of it and a deterministic bag-of-words encoder stand in
for retrieval and the model, so each behaviour is checked apart from them; the real model and
index are checked end to end in ``tests/index/evaluation``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pytest

from citeqa.index.answering.abstention import load_abstain_model
from citeqa.index.answering.extraction import NOT_COVERED, Answer, Extractor
from citeqa.index.domain import Document, Vectors
from citeqa.index.retrieval.hybrid import Passage
from citeqa.index.store.lexical import build_lexical
from citeqa.index.text.tokens import terms
from tests.index.answering.fixtures import stored_sentences

HARBOUR = Document(
    doc_id="harbour",
    title="Harbour news",
    text=(
        "Harbour news. The Port of Tallinn handles ferries to Helsinki every hour. "
        "It opened a new cruise terminal in 2019. The terminal cost 40 million euros."
    ),
)
BAKERY = Document(
    doc_id="bakery",
    title="Bakery opens",
    text="A bakery opened on Main Street. Its bread is baked by Anna Weiss before dawn.",
)
DOCUMENTS = {d.doc_id: d for d in (HARBOUR, BAKERY)}


def bag_of_words(texts: Sequence[str]) -> Vectors:
    """Unit vectors of hashed stems: similar wording, similar vector (deterministic, no model)."""
    out = np.zeros((len(texts), 64), dtype=np.float32)
    for row, text in enumerate(texts):
        for term in terms(text):
            out[row, int(hashlib.sha256(term.encode()).hexdigest(), 16) % 64] += 1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


def passage(doc: Document, rank_score: float = 1.0) -> Passage:
    return Passage(doc.doc_id, doc.title, 0, doc.text, 0, len(doc.text), rank_score, rank_score, rank_score)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """Threshold 0: these tests look at which sentences are chosen and how they are cited, not at abstention."""
    lexical = build_lexical([f"{d.title}\n{d.text}" for d in DOCUMENTS.values()])
    return Extractor(
        lexical, DOCUMENTS, stored_sentences(DOCUMENTS, bag_of_words), load_abstain_model().with_threshold(0.0)
    )


def ask(extractor: Extractor, question: str, passages: Sequence[Passage]) -> Answer:
    (answer,) = extractor.answer_many([question], [passages], bag_of_words([question]), shown=5)
    return answer


def test_citations_quote_the_document_at_their_offsets(extractor: Extractor) -> None:
    answer = ask(extractor, "When did the Port of Tallinn open a new cruise terminal?", [passage(HARBOUR)])
    assert answer.answerable and answer.citations
    for citation in answer.citations:
        assert DOCUMENTS[citation.doc_id].text[citation.start : citation.end] == citation.quote
        assert f"[{citation.id}]" in answer.answer
    assert "2019" in answer.answer


def test_the_sentence_holding_the_asked_for_amount_is_chosen(extractor: Extractor) -> None:
    answer = ask(extractor, "How much did the cruise terminal cost?", [passage(HARBOUR)])
    assert answer.answerable and "40 million euros" in answer.answer


def test_no_passage_means_abstention_with_a_reason(extractor: Extractor) -> None:
    answer = ask(extractor, "Who bakes the bread on Main Street?", [])
    assert not answer.answerable
    assert answer.answer == NOT_COVERED and answer.citations == ()
    assert answer.abstention is not None and answer.abstention.code and answer.reason


def test_a_batch_answers_each_question_from_its_own_passages(extractor: Extractor) -> None:
    questions = ["Who bakes the bread?", "When did the Port of Tallinn open a new cruise terminal?"]
    answers = extractor.answer_many(questions, [[passage(BAKERY)], [passage(HARBOUR)]], bag_of_words(questions), 5)
    assert [a.question for a in answers] == questions
    assert {c.doc_id for c in answers[0].citations} <= {"bakery"}
    assert {c.doc_id for c in answers[1].citations} <= {"harbour"}


def test_confidence_is_a_probability_and_passages_are_capped(extractor: Extractor) -> None:
    passages = [passage(HARBOUR), passage(BAKERY, 0.5)]
    (answer,) = extractor.answer_many(["Who bakes the bread?"], [passages], bag_of_words(["Who bakes the bread?"]), 1)
    assert 0.0 <= answer.confidence <= 1.0
    assert len(answer.passages) == 1


def test_the_sentence_holding_what_is_asked_goes_first() -> None:
    from citeqa.index.answering.extraction import asked_first
    from citeqa.index.answering.features import Candidate, QuestionTerms
    from citeqa.index.domain import Document

    text = (
        "A jury found Sam Hollis guilty of theft on Friday. The verdict came after four hours. "
        "All had heart failure with preserved ejection fraction (HFpEF). HFpEF is common."
    )
    docs = {"d": Document("d", "Trial", text)}

    def sentence(words: str, index: int, type_: float = 0.5) -> Candidate:
        start = text.index(words)
        return Candidate("d", start, start + len(words), index, {"type": type_})

    guilty, came = sentence("A jury found Sam Hollis guilty of theft on Friday.", 0), sentence("The verdict came", 1)
    spelt, common = sentence("All had heart failure", 2, 1.0), sentence("HFpEF is common.", 3)

    def question(text: str, kind: str) -> QuestionTerms:
        return QuestionTerms(text, kind, {}, (), (), ())

    verdict = question("What verdict did the jury reach in the Hollis trial?", "other")
    assert asked_first(verdict, [came, guilty], docs) == [guilty, came]
    assert asked_first(question("When was the verdict given?", "when"), [came, guilty], docs) == [came, guilty]
    definition = question("What does HFpEF stand for?", "definition")
    assert asked_first(definition, [common, came, spelt], docs) == [spelt, common, came]
    assert asked_first(definition, [common, came], docs) == [common, came]  # no sentence spells it out
    assert asked_first(definition, [], docs) == []


def test_no_passage_for_words_the_corpus_knows_is_an_abstention() -> None:
    # every word is in the corpus (no "unknown topic" reason) and the threshold is above any probability (no
    # off-topic check): the reason comes from the answerability model alone, with no sentence to check
    lexical = build_lexical([f"{d.title}\n{d.text}" for d in DOCUMENTS.values()])
    strict = Extractor(
        lexical, DOCUMENTS, stored_sentences(DOCUMENTS, bag_of_words), load_abstain_model().with_threshold(1.0)
    )
    answer = ask(strict, "When did the Port of Tallinn open a new cruise terminal?", [])
    assert not answer.answerable and answer.citations == ()
    assert answer.abstention is not None and answer.reason
