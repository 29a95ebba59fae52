"""Follow-up questions: a question that leans on the conversation, made to stand alone.

"When did he build it?" after "Who built the lighthouse?" (answered "... Robert Stevenson ...")
becomes "When did Robert Stevenson build it? (built the lighthouse)": a personal pronoun is replaced
by the person the previous turn was about (when it asked "who", a name its answer gave, else a
name in its question), and the topic of the conversation (the last question that stood alone, without
its question words) is added in parentheses for retrieval and term matching. A question that stands
alone (words of its own, and no pronoun without a name before it) is left unchanged, so a new topic in the middle
of a conversation starts afresh. A chain of follow-ups keeps its topic and its person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from citeqa.index.text.questions import new_names, question_type
from citeqa.index.text.tokens import content_terms

PERSONAL = frozenset("he she him her his hers".split())
REFERRING = PERSONAL | frozenset("it its they them their theirs".split())
MAX_CONTEXT_CHARS = 200
_PRONOUN = re.compile(r"\b(?:" + "|".join(sorted(PERSONAL)) + r")\b", re.IGNORECASE)
_LEADING_FORM = re.compile(
    r"^\s*(?:who|whom|whose|what|which|when|where|why|how(?:\s+\w+)?)\b"
    r"(?:\s+(?:is|are|was|were|did|does|do|has|have|had|will|would|can|could))?\s*",
    re.IGNORECASE,
)
_REFERRING = re.compile(r"\b(?:" + "|".join(sorted(REFERRING)) + r")\b", re.IGNORECASE)
_WHO_IS = re.compile(r"\s*who\s+(?:is|was|are|were)\b", re.IGNORECASE)  # "Who is Mark Rutte?" names its person
_MARKER = re.compile(r"\s*\[\d+\]")


@dataclass(frozen=True)
class Turn:
    """One earlier exchange: the question as asked and the answer text given (empty when none)."""

    question: str
    answer: str = ""


def is_followup(question: str) -> bool:
    """True when ``question`` leans on an earlier turn: it has no content word of its own ("Why?"), or
    a pronoun with no name before it to refer to ("When did he build it?", not "Did Japan raise its
    budget?")."""
    if not content_terms(question):
        return True
    return any(not new_names(question[: m.start()], "", "") for m in _REFERRING.finditer(question))


def resolve_followup(question: str, history: Sequence[Turn]) -> str:
    """``question`` made to stand alone using ``history`` (oldest first); unchanged without history
    or when it does not lean on it. The result is what retrieval and the answer step see."""
    if not history or not is_followup(question):
        return question
    resolved, topic = _resolve(question, history)
    if not topic or set(content_terms(topic)) <= set(content_terms(resolved)):
        return resolved
    return f"{resolved} ({topic})"


def _resolve(question: str, history: Sequence[Turn]) -> tuple[str, str]:
    """The question with its personal pronouns replaced, and the topic of the conversation it leans on."""
    if not history or not is_followup(question):
        return question, _LEADING_FORM.sub("", question).strip().rstrip("?").strip()[:MAX_CONTEXT_CHARS]
    previous, topic = _resolve(history[-1].question, history[:-1])
    person = _person(previous, history[-1].answer)
    if person:
        question = _PRONOUN.sub(lambda m: _possessive(m.group(0), person), question)
    return question, topic


def _person(question: str, answer: str) -> str | None:
    """Who the earlier turn was about: for "who did X?", a name its answer gave; else a name in it
    ("Who is Mark Rutte?" is about Mark Rutte)."""
    candidates = new_names(question, "", "")
    if answer and question_type(question) == "who" and not _WHO_IS.match(question):
        candidates = new_names(_MARKER.sub("", answer), question, answer) + candidates
    named = [c.strip() for c in candidates if c.strip()]
    full = [c for c in named if " " in c]
    chosen = full or named
    return chosen[0] if chosen else None


def _possessive(pronoun: str, person: str) -> str:
    return f"{person}'s" if pronoun.lower() in ("his", "hers") else person


__all__ = ["Turn", "is_followup", "resolve_followup"]
