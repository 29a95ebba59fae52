"""Seventeenth session's trials (a town council's site, a library's documentation): a table's row answers
under its header, a table's header or separator and a heading are never quoted, and a number that names one
thing ("2.5.0", "24/0199/FUL", "CVE-2025-99999") is not answered for by another's, while the words of a long
question's circumstances that no page uses ("the lorry") do not decide an abstention."""

from __future__ import annotations

from dataclasses import replace

from citeqa.index.answering.abstention import load_abstain_model
from citeqa.index.answering.extraction import Answer, Extractor
from citeqa.index.domain import Document
from citeqa.index.store.lexical import build_lexical
from tests.index.answering.fixtures import encode, passage, stored_sentences

BANDS = Document(
    "council-tax-bands",
    "Council tax bands",
    "Council tax bands\n\nThe table below shows the total annual charge for each band.\n\n"
    "| Band | Property value in 1991 | Annual charge |\n|---|---|---|\n| A | up to £40,000 | £1,512.40 |\n"
    "| D | £68,001 to £88,000 | £2,268.60 |\n| H | more than £320,000 | £4,537.20 |\n\n"
    "If you live alone you can claim a 25% single person discount.",
)
GRANTS = Document(
    "grants",
    "Community grants",
    "Community grants\n\nThe council gives grants to local clubs.\n\nDeadlines\n\nThere are two funding rounds each "
    "year. Applications for the spring round must arrive by 31 May.",
)
PLANNING = Document(
    "planning",
    "Planning applications",
    "Planning applications\n\n24/0153/FUL - 7 Eel Lane. Erection of a two-storey rear extension.\n\n"
    "24/0178/FUL - Saltings Farm. A caravan site of 40 pitches. More than 60 residents have written about "
    "this application.\n\n24/0190/FUL - 2 Quay Street. Change of use to a cafe. Applicant: Mr D. Reilly.",
)
RELEASES = Document(
    "changelog",
    "Changelog",
    "Changelog\n\n## 2.4.0 (released 2025-06-02)\n\n- Automatic reconnect.\n\n"
    "## 2.4.0-rc.2 (released 2025-05-12)\n\n- Fixed a reconnect loop.\n\n"
    "## 2.3.1 (released 2025-03-20)\n\n- Fixed CVE-2025-12345 in the TLS layer.",
)


def _ask(doc: Document, question: str) -> Answer:
    """``question`` over ``doc`` alone, with the shipped model."""
    documents = {doc.doc_id: doc}
    extractor = Extractor(build_lexical([doc.title + "\n" + doc.text]), documents, stored_sentences(documents))
    prepared = extractor.prepare_many([question], [[passage(doc)]], encode([question]))[0]
    return extractor.finish(prepared, load_abstain_model(), 5)


def test_a_tables_row_answers_under_its_header() -> None:
    """ "What is the annual charge for a Band D property?" was answered with the header and the separator row."""
    answer = _ask(BANDS, "What is the annual charge for a Band D property?")
    assert answer.answerable, answer
    assert [c.quote for c in answer.citations] == [
        "| Band | Property value in 1991 | Annual charge |",
        "| D | £68,001 to £88,000 | £2,268.60 |",
    ]


def test_a_tables_header_and_separator_are_never_answers() -> None:
    documents = {BANDS.doc_id: BANDS}
    extractor = Extractor(build_lexical([BANDS.text]), documents, stored_sentences(documents))
    question = "Which band is the annual charge?"
    prepared = extractor.prepare_many([question], [[passage(BANDS)]], encode([question]))[0]
    quoted = {BANDS.text[c.start : c.end] for c in prepared.candidates}
    assert "|---|---|---|" not in quoted and "| Band | Property value in 1991 | Annual charge |" not in quoted
    assert "| D | £68,001 to £88,000 | £2,268.60 |" in quoted


def test_a_heading_is_not_quoted_before_a_sentence_that_seems_to_lean_on_it() -> None:
    """ "There are two funding rounds" opens like a sentence leaning on the one before: that was "Deadlines"."""
    answer = _ask(GRANTS, "What is the deadline for the spring grants round?")
    assert all(c.quote != "Deadlines" for c in answer.citations), answer


def test_an_unknown_reference_number_is_not_answered_for_by_another() -> None:
    """24/0199/FUL is no application of the list; 24/0178's objections and 24/0190's applicant were cited."""
    answer = _ask(PLANNING, "What is planning application 24/0199/FUL about?")
    assert not answer.answerable and answer.abstention is not None, answer
    assert answer.abstention.code == "not_in_corpus" and "0199" in answer.abstention.terms


def test_a_known_reference_number_is_answered() -> None:
    answer = _ask(PLANNING, "What is planning application 24/0153/FUL about?")
    assert answer.answerable and "24/0153/FUL" in answer.answer, answer


def test_an_unknown_release_is_not_answered_for_by_another() -> None:
    for question in (
        "When was 2.5.0 released?",
        "When was 3.0.0-rc.1 released?",
        "Which version fixed CVE-2025-99999?",
    ):
        answer = _ask(RELEASES, question)
        assert not answer.answerable, (question, answer)


def test_a_release_and_its_pre_release_are_told_apart() -> None:
    answer = _ask(RELEASES, "When was 2.4.0-rc.2 released?")
    assert answer.answerable and answer.citations[0].quote == "2.4.0-rc.2 (released 2025-05-12)", answer


BINS = Document(
    "bins",
    "Bin collections",
    "Bin collections\n\nBins are emptied once a week.\n\n| Area | Collection day |\n|---|---|\n"
    "| Old Town | Monday |\n| Holloway Park estate | Wednesday |\n\nPut your bins out by 6.30 a.m.",
)


def test_a_long_questions_circumstances_do_not_decide_an_abstention() -> None:
    """No page says "lorry" or "never": the words of the asker's circumstances, a small share of the question."""
    question = (
        "I live on the Holloway Park estate and I never know which day the lorry comes round to empty the bins, "
        "can you tell me which day of the week it is?"
    )
    answer = _ask(BINS, question)
    assert answer.abstention is None or answer.abstention.code != "not_in_corpus", answer


def test_a_question_about_what_no_page_mentions_still_abstains() -> None:
    answer = _ask(BINS, "When is the garden waste skip emptied?")
    assert not answer.answerable and answer.abstention is not None and answer.abstention.code == "not_in_corpus"


def test_a_list_item_is_quoted_under_the_heading_that_dates_it() -> None:
    """ "Which version fixed CVE-2024-31337?" was answered with the changelog's item alone, which names no version."""
    answer = _ask(RELEASES, "Which version fixed CVE-2025-12345?")
    assert [c.quote for c in answer.citations] == [
        "2.3.1 (released 2025-03-20)",
        "- Fixed CVE-2025-12345 in the TLS layer.",
    ], answer


def test_a_release_heading_is_quoted_with_what_it_heads() -> None:
    """ "What did 2.4.0-rc.2 fix?" was answered with the release's heading alone."""
    documents = {RELEASES.doc_id: RELEASES}
    extractor = Extractor(build_lexical([RELEASES.text]), documents, stored_sentences(documents))
    question = "What did 2.4.0-rc.2 fix?"
    prepared = extractor.prepare_many([question], [[passage(RELEASES)]], encode([question]))[0]
    (heading,) = [c for c in prepared.candidates if RELEASES.text.startswith("## 2.4.0-rc.2", c.start)]
    spans = extractor.choose(prepared.question, heading)
    assert [RELEASES.text[s:e] for s, e in spans] == [
        "## 2.4.0-rc.2 (released 2025-05-12)",
        "- Fixed a reconnect loop.",
    ]


def test_an_existential_there_does_not_lean_on_the_sentence_before() -> None:
    """ "There are two funding rounds" brought the sentence before it into the answer; "There he met ..." leans."""
    doc = Document(
        "rounds",
        "Grants",
        "The council gives grants to local clubs. There are two funding rounds each year. There he met the mayor.",
    )
    documents = {doc.doc_id: doc}
    extractor = Extractor(build_lexical([doc.text]), documents, stored_sentences(documents))
    question = "How many funding rounds are there?"
    prepared = extractor.prepare_many([question], [[passage(doc)]], encode([question]))[0]
    by_text = {doc.text[c.start : c.end]: c for c in prepared.candidates}
    for sentence, first in [
        ("There are two funding rounds each year.", "There are two funding rounds each year."),
        ("There he met the mayor.", "There are two funding rounds each year."),
    ]:
        best = replace(by_text[sentence], features={**by_text[sentence].features, "pronoun": 1.0})
        assert doc.text[slice(*extractor.choose(prepared.question, best)[0])] == first


OPTIONS = Document(
    "configuration",
    "Configuration",
    "Configuration\n\nThe pool keeps `min_pool_size` connections open; the default is 2.\n\n"
    "The pool opens at most `max_pool_size` connections; the default is 16.",
)


def test_a_name_with_underscores_is_told_from_its_neighbour() -> None:
    """ "What is the default of min_pool_size?" got the max_pool_size sentence: the words min, pool, size all but
    matched it."""
    answer = _ask(OPTIONS, "What is the default of min_pool_size?")
    assert answer.answerable and "min_pool_size" in answer.citations[0].quote, answer
    unknown = _ask(OPTIONS, "What is the default of QUILL_POOL_LIFETIME_MS?")
    assert not unknown.answerable and unknown.abstention is not None and unknown.abstention.code == "not_in_corpus"


DEFAULTS = Document(
    "configuration-reference",
    "Configuration reference",
    "Configuration reference\n\n| Option | Default |\n|---|---|\n| `max_pool_size` | 16 |\n\n"
    "Before version 3.0.0 the default of `max_pool_size` was 10.",
)


def test_a_question_in_the_present_is_not_answered_with_how_things_were() -> None:
    """ "What is the default value of max_pool_size?" was answered "Before version 3.0.0 the default of
    max_pool_size was 10." (a question asked in the past is left to the ranker: ``asks_present``)."""
    now = _ask(DEFAULTS, "What is the default value of max_pool_size?")
    assert now.answerable and "| `max_pool_size` | 16 |" in now.answer and "Before" not in now.answer, now
