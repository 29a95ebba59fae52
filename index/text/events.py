"""Life events: whether a question asks about a birth, a death or a marriage, and whether a sentence
states one.

"When was Mark Rutte born?" is not answered by "Mark Rutte visited Japan on April 8-9", nor "In which
Texas town was Jerry Scoggins born?" by "Jerry Scoggins has died in Los Angeles at the age of 93": news
prose that gives a birth says "born", "birth" or "-born" ("the Dublin-born writer"). Asking for someone's
birthplace or birth year is the commonest near miss about a person in the news, whose articles seldom
give either. Surface patterns of English prose, never a list of answers; checked by
tests/index/text/test_events.py and, through the answer step, tests/index/answering/test_near_misses.py.
"""

from __future__ import annotations

import re

__all__ = ["EVENT_NAMES", "asked_event", "states_event"]

EVENT_NAMES = {"birth": "birth", "death": "death", "marriage": "marriage"}

_ASKS = (
    ("birth", re.compile(r"\b(?:was|were|is|are)\s+(?:[\w’'.-]+\s+){0,8}born\b|\bbirth(?:place|day|date)?\b", re.I)),
    (
        "death",
        re.compile(
            r"\b(?:did|does|do|will)\s+(?:[\w’'.-]+\s+){0,8}die\b|\bcause of (?:his |her |their )?death\b", re.I
        ),
    ),
    (
        "marriage",
        re.compile(r"\b(?:did|does|do|will)\s+(?:[\w’'.-]+\s+){0,8}(?:marry|wed)\b|\bget married\b", re.I),
    ),
)
_STATES = {
    "birth": re.compile(r"\bborn\b|\bbirth|-born\b|\bnative of\b", re.I),
    "death": re.compile(
        r"\bdied\b|\bdies\b|\bdeath\b|\bdead\b|\bkilled\b|\bpassed away\b|\bfuneral\b|\blate\s+[A-Z]", re.I
    ),
    "marriage": re.compile(r"\bmarri|\bwed\b|\bwedding\b|\bwife\b|\bhusband\b|\bspouse\b", re.I),
}


def asked_event(question: str) -> str | None:
    """The life event ``question`` asks about (a key of ``EVENT_NAMES``), or None: "When / where was X
    born?", "In which town was X born?", "What is X's birthplace?" -> "birth"; "Where did X die?",
    "What was the cause of death?" -> "death"; "Who did X marry?" -> "marriage"."""
    for kind, pattern in _ASKS:
        if pattern.search(question):
            return kind
    return None


def states_event(kind: str, sentence: str) -> bool:
    """Whether ``sentence`` states an event of ``kind`` (as ``asked_event`` returns). Raises KeyError for an
    unknown kind."""
    return _STATES[kind].search(sentence) is not None
