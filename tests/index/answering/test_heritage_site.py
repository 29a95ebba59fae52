"""Nineteenth session's trial (a museum's visitor pages): a year before 1800 or an era's date answers "when"
("dissolved in 1536", "c. 1250 BC"), a Markdown heading is never quoted whole or in part ("## I've lost my
membership card. What should I do?", "## The fire of 1927"), while a heading dating a news item still is."""

from __future__ import annotations

from typing import Any

import pytest

from citeqa.index.domain import Document
from tests.index.answering.fixtures import ask_one
from tests.index.answering.test_tables_and_identifiers import _ask

HISTORY = Document(
    "history",
    "History of the Priory",
    "History of the Priory\n\nThe Priory was founded in 1137 by monks from Llanthony. The Priory was dissolved in "
    "1536 under Henry VIII and its lands were sold.\n\n## The fire of 1927\n\nOn the night of 18 February 1927 a fire "
    "started in the library reading room, probably from a faulty gas lamp.",
)
COLLECTION = Document(
    "collection",
    "Collection highlights",
    "Collection highlights\n\n## Mummy case of Nesmin (1923.45.7)\n\nThe painted mummy case was made c. 1250 BC in "
    "Thebes. It came to the museum in 1923.",
)
MEMBERSHIP = Document(
    "membership",
    "Membership questions",
    "Membership questions\n\n## I've lost my membership card. What should I do?\n\nAsk at the ticket desk: a "
    "replacement card costs £2.\n\n## Can I share my membership?\n\nNo, a membership card can only be used by "
    "the member named on it.",
)


@pytest.mark.parametrize(
    ("doc", "question", "says"),
    [
        (HISTORY, "when was the priory dissolved", "1536"),
        (HISTORY, "When was the Priory founded?", "1137"),
        (COLLECTION, "how old is the mummy case", "c. 1250 BC"),
    ],
)
def test_an_old_date_answers_when(doc: Document, question: str, says: str) -> None:
    answer = _ask(doc, question)
    assert answer.answerable and says in answer.answer, (answer.reason, answer.answer)


@pytest.mark.parametrize(
    ("doc", "question"),
    [
        (MEMBERSHIP, "ive lost my membership card"),
        (HISTORY, "when was the fire"),
        (COLLECTION, "when was the mummy case made"),
    ],
)
def test_a_heading_is_never_quoted(doc: Document, question: str) -> None:
    answer = _ask(doc, question)
    headings = [line.lstrip("# ") for line in doc.text.splitlines() if line.startswith("#")]
    assert not any(c.quote in h or h in c.quote for c in answer.citations for h in headings), answer.answer


ACCESS = Document(
    "access",
    "Accessibility",
    "Accessibility\n\nBritish Sign Language tours take place on the third Saturday of each month at 2 p.m.\n\n"
    "Two manual wheelchairs can be borrowed free of charge from the ticket desk.",
)


def test_an_acronym_typed_in_lower_case_is_read_as_the_pages_write_it_out() -> None:
    """ "when are the bsl tours" was refused over "bsl"; "BSL" had only escaped the absent-word check."""
    answer = _ask(ACCESS, "when are the bsl tours")
    assert answer.answerable and "third Saturday" in answer.answer, (answer.reason, answer.answer)
    unknown = _ask(ACCESS, "when are the asl tours")  # American Sign Language: written out nowhere
    assert not unknown.answerable and "asl" in (unknown.reason or ""), unknown


EXHIBITIONS = Document(
    "exhibitions",
    "Exhibitions",
    "Exhibitions\n\nLegions on the Edge, our Roman exhibition, opened on 14 March 2026 in the Long Gallery. "
    "Over 300 objects from the fort are on show. The Roman exhibition runs until 31 May 2027.\n\n"
    "Entry to the exhibition costs £3 on top of the admission price.",
)


def test_how_long_something_is_on_for_is_answered_by_the_date_it_ends(build_embedder: Any, embedder: Any) -> None:
    """ "how long is the roman exhibition on for" was refused: "does not give the length or duration asked for"."""
    answer = ask_one(EXHIBITIONS, "how long is the roman exhibition on for", build_embedder, embedder)
    assert answer.answerable and "31 May 2027" in answer.answer, (answer.reason, answer.answer)
