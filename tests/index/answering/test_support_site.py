"""Nineteenth session's trial (an appliance maker's support site): a model number typed as customers type it
("wm8400x", "dw60-2", "5ghz"), the "-er" noun of a word the pages use ("washer" where they say "washing
machine"), and a sentence longer than an answer may quote, quoted at the clause that answers."""

from __future__ import annotations

from typing import Any

import pytest

from citeqa.index.answering.extraction import asked_first
from citeqa.index.answering.features import Candidate, parse_question
from citeqa.index.domain import Document
from citeqa.index.store.lexical import build_lexical
from citeqa.index.text.sentences import sentence_spans
from tests.index.answering.fixtures import ask_one
from tests.index.answering.test_tables_and_identifiers import _ask

MANUAL = Document(
    "wm-8400x-manual",
    "WM-8400X washing machine: user manual",
    "WM-8400X washing machine: user manual\n\n| Specification | WM-8400X |\n|---|---|\n| Capacity | 9 kg |\n"
    "| Maximum spin speed | 1,400 rpm |\n| Noise level (spin) | 72 dB |\n\n"
    "If the display shows E21, the drain pump is blocked: clean the drain pump filter.\n\n"
    "Your washing machine connects to 2.4 GHz Wi-Fi networks only; 5 GHz networks are not supported.",
)
DISHWASHER = Document(
    "dw-60-2-manual",
    "DW 60-2 dishwasher: user manual",
    "DW 60-2 dishwasher: user manual\n\nIf the DW 60-2 shows E09, the heating element is faulty: contact customer "
    "service.\n\nThe DW 60-2 holds 14 place settings.",
)
WARRANTY = Document(
    "warranty",
    "Warranty terms",
    "Warranty terms\n\nAll appliances come with a 2-year warranty from the date of purchase.\n\n"
    "The warranty does not cover: damage caused by incorrect installation or failure to follow the user manual; "
    "damage caused by limescale, foreign objects (e.g. coins or buttons in the drain pump) or the use of unsuitable "
    "detergents; consumables such as filters, light bulbs, door seals and hoses; cosmetic damage such as scratches "
    "and dents that were not reported within 14 days of delivery; and appliances used for commercial purposes.",
)


@pytest.mark.parametrize(
    ("doc", "question", "says"),
    [
        (MANUAL, "whats the max spin speed on wm8400x", "1,400 rpm"),  # "WM-8400X" typed without its hyphen
        (
            DISHWASHER,
            "how many place settings does the dw60-2 hold",
            "14 place settings",
        ),  # "DW 60-2" without its space
        (MANUAL, "does it work with 5ghz wifi", "5 GHz networks are not supported"),
        (MANUAL, "my washer says E21 what do i do", "drain pump"),  # "washer": the pages say "washing machine"
    ],
)
def test_a_customers_wording_is_answered(doc: Document, question: str, says: str) -> None:
    answer = _ask(doc, question)
    assert answer.answerable and says in answer.answer, (answer.reason, answer.answer)


def test_a_model_number_no_page_has_is_still_unknown() -> None:
    answer = _ask(MANUAL, "whats the max spin speed on wm7400x")
    assert not answer.answerable and "wm7400x" in (answer.reason or ""), answer


def test_a_long_sentence_is_quoted_at_the_clause_that_answers() -> None:
    """The quote had been the sentence's first 350 characters, cut at "dents that were not" with no mark: it
    seemed to say scratches on delivery are covered."""
    answer = _ask(WARRANTY, "are scratches covered if i report them after delivery")
    assert answer.answerable, answer
    (citation,) = answer.citations
    assert (
        citation.quote.endswith(
            "scratches and dents that were not reported within 14 days of delivery; and "
            "appliances used for commercial purposes."
        )
        or "within 14 days of delivery" in citation.quote
    )
    assert WARRANTY.text[citation.start : citation.end] == citation.quote
    assert answer.answer.startswith("… ") and len(citation.quote) <= 350, answer.answer


CONTACT = Document(
    "contact",
    "Contact us",
    "Contact us\n\nOur phone lines are open at these times.\n\n| Day | Phone |\n|---|---|\n"
    "| Monday to Friday | 8:00 to 20:00 |\n| Saturday | 9:00 to 16:00 |\n\n"
    "## New Saturday phone hours (9:00 to 14:00) from 1 July 2026\n\n"
    "News: from 1 July 2026 our phone lines are open on Saturdays from 9:00 to 14:00 only.\n\n"
    "From 1 September 2026 the repair workshop in Leeds opens at 7:30 on weekdays.",
)
EXHIBITION = Document(
    "exhibition",
    "Legions on the Edge",
    "Legions on the Edge\n\nThe Roman exhibition runs in Gallery 5 and closes on 4 January 2027.\n\n"
    "Update: due to popular demand the Roman exhibition will now close on 31 May 2027 instead.\n\n"
    "The museum is open from 1 October to 31 March on weekdays only.",
)


@pytest.mark.parametrize(
    ("doc", "question", "says"),
    [
        (CONTACT, "saturday phone hours", "9:00 to 14:00"),  # the contact page's row had been given alone
        (EXHIBITION, "when does the roman exhibition close", "31 May 2027"),
    ],
)
def test_a_later_notice_is_quoted_beside_what_it_changes(
    doc: Document, question: str, says: str, build_embedder: Any, embedder: Any
) -> None:
    """With the real model (how close a notice is to the question in meaning is one of the conditions)."""
    answer = ask_one(doc, question, build_embedder, embedder)
    assert answer.answerable and says in answer.answer, (answer.reason, answer.answer)
    assert "1 October to 31 March" not in answer.answer  # a season is no later notice
    assert "workshop" not in answer.answer  # nor one about something else
    assert "New phone hours" not in answer.answer  # nor a notice's heading (a library's trial)


DISHWASHER_SPECS = Document(
    "dw-60-2-specs",
    "DW 60-2 specifications",
    "DW 60-2 specifications\n\nThe DW 60-2 replaced the earlier DW 60-1 in 2023.\n\n| Specification | DW 60-2 |\n"
    "|---|---|\n| Noise level | 44 dB |\n| Place settings | 14 |",
)
CHANGELOG = Document(
    "changelog",
    "Changelog",
    "Changelog\n\n## 2.4.0 (released 2025-06-02)\n\n- Fixed CVE-2025-23456, a denial of service in the Go binding.\n\n"
    "## 2.3.1 (released 2025-03-20)\n\nSecurity release. Users of 2.3.0 should upgrade.\n\n"
    "- Fixed CVE-2025-12345: hostname verification was skipped.\n- Fixed a connection leak.",
)


@pytest.mark.parametrize(
    "question",
    [
        "what is the noise level of the dw 60-1",  # the table gives the DW 60-2's
        "how many place settings does the TD-7200H hold",
    ],
)
def test_another_models_figure_is_no_answer(question: str) -> None:
    answer = _ask(DISHWASHER_SPECS, question)
    assert not answer.answerable and answer.abstention is not None, answer
    assert answer.abstention.terms in (("dw 60-1",), ("TD-7200H", "hold")), answer.reason  # as the question writes them


def test_a_code_is_answered_by_the_sentence_naming_it_under_its_release() -> None:
    """ "Which version fixed CVE-2025-12345?" had been answered with what fixed CVE-2025-23456."""
    answer = _ask(CHANGELOG, "Which version fixed CVE-2025-12345?")
    assert answer.answerable and "2.3.1" in answer.answer and "12345" in answer.answer, answer.answer
    assert "23456" not in answer.answer


REGISTRATION = Document(
    "registration",
    "Product registration",
    "Register online, or by phone on our customer service number.\n\n"
    "Customer service: 0800 555 0100 (free from landlines and mobiles).",
)


def test_what_is_a_phone_number_is_answered_with_one() -> None:
    """ "what is the customer service phone number" reads as a definition question: the search of the first
    five sentences for one giving a number had been skipped, and the FAQ's "our customer service number" (ranked
    first) abstained."""
    text = REGISTRATION.text
    faq, number = (Candidate("registration", s, e, i, {"type": 0.5}) for i, (s, e) in enumerate(sentence_spans(text)))
    question = parse_question("what is the customer service phone number", build_lexical([text]))
    assert question.kind == "definition"
    assert asked_first(question, [faq, number], {"registration": REGISTRATION})[0] is number


LESSONS = Document(
    "lessons",
    "Swimming lessons",
    "Swimming lessons\n\nLessons run in school term time.\n\n| Level | Age | Lesson length |\n|---|---|---|\n"
    "| Stage 2 | 4 years and over | 30 minutes |\n| Stage 4 | 6 years and over | 45 minutes |",
)


def test_a_thing_numbered_within_its_kind_is_not_answered_for_by_another() -> None:
    """A leisure centre's "how long is a stage 4 lesson" got Stage 2's row ("4 years" matched the 4)."""
    answer = _ask(LESSONS, "how long is a stage 4 lesson")
    assert answer.answerable and "45 minutes" in answer.answer and "Stage 2" not in answer.answer, answer.answer
    unknown = _ask(LESSONS, "how long is a stage 7 lesson")
    assert not unknown.answerable, unknown.answer


PRINTING = Document(
    "printing",
    "Computers and printing",
    "Computers and printing\n\nCentral Library has a 3D printer for members aged 14 and over.\n\n"
    "3D prints cost 5p per gram of filament. Printing costs 10p per page. The library opens at 9 a.m.",
)


def test_a_sum_in_pence_answers_how_much() -> None:
    """A library's "how much does 3d printing cost" was refused: "5p" was no sum of money."""
    answer = _ask(PRINTING, "how much does 3d printing cost")
    assert answer.answerable and "5p per gram" in answer.answer, (answer.reason, answer.answer)
