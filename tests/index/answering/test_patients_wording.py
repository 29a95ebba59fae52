"""Eighteenth session's trial (a clinic's patient information): the way patients type ("whats the wifi
password", "what happens if im late", "over 60s", "the IB"), and a "when" answered by an age or by a span
counted from an event, are not refused as words or things no page has."""

from __future__ import annotations

import pytest

from citeqa.index.domain import Document
from tests.index.answering.test_tables_and_identifiers import _ask

FAQ = Document(
    "faq",
    "Frequently asked questions",
    "Frequently asked questions\n\nFree Wi-Fi is available in the waiting room; the network is HarboursidePatients "
    "and no password is needed.\n\nIf you arrive more than 10 minutes late, you may be asked to rebook.\n\n"
    "Prescriptions are free if you are 60 or over.",
)
VACCINES = Document(
    "vaccinations",
    "Vaccinations",
    "Vaccinations\n\n| Vaccine | Who it is for | Age |\n|---|---|---|\n| 6-in-1 | babies | 8, 12 and 16 weeks |\n"
    "| HPV | girls and boys | 12 to 13 years |\n\nBaby vaccinations are given at the Tuesday clinic at Harbour Road.",
)
ADMISSIONS = Document(
    "admissions",
    "Admissions",
    "Admissions\n\nThe International Baccalaureate Diploma is accepted with 32 to 36 points overall.\n\n"
    "A levels are accepted at AAB.",
)


@pytest.mark.parametrize(
    ("doc", "question", "says"),
    [
        (FAQ, "whats the wifi password", "no password is needed"),  # "Wi-Fi" is "wifi" written as one word
        (FAQ, "what if im late", "asked to rebook"),  # "im" is "I'm", the asker's grammar
        (FAQ, "Are prescriptions free for over 60s?", "60 or over"),  # "60s" names no one thing
        (VACCINES, "when does my baby get the 6 in 1 vaccine", "8, 12 and 16 weeks"),  # an age answers "when"
    ],
)
def test_a_patients_wording_is_answered(doc: Document, question: str, says: str) -> None:
    answer = _ask(doc, question)
    assert answer.answerable and says in answer.answer, (answer.reason, answer.answer)


def test_an_acronym_a_page_writes_out_is_no_unknown_word() -> None:
    """A student's "How many IB points ...?" was refused over "IB", which the handbook writes out ("International
    Baccalaureate"); here the one-article corpus leaves the model unsure, but no check and no reason holds "IB"
    against it."""
    answer = _ask(ADMISSIONS, "How many IB points are accepted?")
    assert answer.answerable or "IB" not in (answer.reason or ""), answer.reason
    unknown = _ask(ADMISSIONS, "How many MYP points are accepted?")  # written out nowhere
    assert not unknown.answerable and "MYP" in (unknown.reason or ""), unknown.reason
