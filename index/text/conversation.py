"""Follow-up questions: a question that leans on the conversation, made to stand alone.

"When did he build it?" after "Who built the lighthouse?" (answered "... Robert Stevenson ...")
becomes "When did Robert Stevenson build it? (built the lighthouse)": a personal pronoun is replaced
by the person the previous turn was about (when it asked for someone it did not name, a name its
answer gave, a person's name first and never one inside quotation marks; else a name in its question).
"it" and "its" after "What is the ITPP?" become "the ITPP". The topic of the conversation (what the
last question that stood alone was about: see ``topic_of``) is added in parentheses only while the
question still leans on it (a pronoun such as "it" or "they" left, or no word of its own: "Why?"):
"Which university did he speak at?" after "Who visited Japan?" becomes "Which university did Mark
Rutte speak at?", without the visit to pull retrieval back to it. A question that stands alone (words
of its own, and no pronoun without a name before it) is left unchanged, so a new topic in the middle
of a conversation starts afresh. A chain of follow-ups keeps its topic and its person.

When the earlier turn names several people ("Who did Rutte meet?" answered with Nakatani), a
``choose`` callback may pick the one the corpus ties to the follow-up's own words ("What did he say
at Keio?": Rutte, whom the articles place at Keio); without it, or on a tie, the order above holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from citeqa.index.text.people import asks_for_someone_unnamed, is_person
from citeqa.index.text.questions import new_names
from citeqa.index.text.sentences import sentence_spans
from citeqa.index.text.specificity import specificity
from citeqa.index.text.tokens import STOPWORDS, UPPER, content_terms, normalise

PERSONAL = frozenset("he she him her his hers".split())
REFERRING = PERSONAL | frozenset("it its they them their theirs".split())
MAX_CONTEXT_CHARS = 200
_DETERMINERS = frozenset("the a an our your my this that".split())
# a pronoun, not an acronym spelt alike ("the IT helpdesk", "HE funding"): not in capitals throughout
_NOT_CAPITALS = r"(?!(?-i:[A-Z]{2,}\b))"
_PRONOUN = re.compile(r"\b" + _NOT_CAPITALS + r"(?:" + "|".join(sorted(PERSONAL)) + r")\b", re.IGNORECASE)
_LEADING_FORM = re.compile(
    r"^\s*(?:who|whom|whose|what|which|when|where|why|how(?:\s+\w+)?)\b"
    r"(?:\s+(?:is|are|was|were|did|does|do|has|have|had|will|would|can|could))?\s*",
    re.IGNORECASE,
)
_REFERRING = re.compile(r"\b" + _NOT_CAPITALS + r"(?:" + "|".join(sorted(REFERRING)) + r")\b", re.IGNORECASE)
_THING = re.compile(r"\b" + _NOT_CAPITALS + r"(?:it|its)\b", re.IGNORECASE)
_NON_PERSONAL = re.compile(r"\b" + _NOT_CAPITALS + r"(?:it|its|they|them|their|theirs)\b", re.IGNORECASE)
_WHAT_IS = re.compile(r"^\s*what\s+(?:is|are|was|were)\s+(?P<thing>[^?]{1,60}?)\s*\??\s*$", re.IGNORECASE)
# "Who built the lighthouse?": "it" in the next turn is the lighthouse; "Who leads Quillwork?": Quillwork
_WHO_DID = re.compile(
    r"^\s*(?i:who)\s+(?!(?i:is|was|are|were|did|does|do|has|have|had|will|would|can|could)\b)\w+\s+"
    r"(?P<thing>(?i:the|a|an)\s+[^?,]{1,60}?|[" + UPPER + r"][\w'’&-]*(?:\s+[" + UPPER + r"][\w'’&-]*)*)\s*\??\s*$"
)
_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
# the subject of "Who did Rutte meet?": a name right after the auxiliary, not a possessive
_SUBJECT = re.compile(
    r"^\s*(?i:who|whom|what|which|when|where|why|how)\s+(?i:did|does|do|has|have|had|is|was|will|would|can|could)\s+"
    r"(?P<name>[" + UPPER + r"][\w'’-]*(?:\s+[" + UPPER + r"][\w'’-]*)*)"
)
# words that carry a conversation on and are no part of its topic: "And the churn?" is about "the churn"
_CARRYING_ON = re.compile(r"^\s*(?:and|but|so|also|or|plus|then|what about|how about)\b,?\s*", re.IGNORECASE)
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
# a question whose auxiliary stands before its subject, the main verb after it: "How much does the Pipwick
# weigh?", "Which team did Messi join?", "When will the bridge open?" (not "Who will lead NATO?", whose
# question word is the subject)
_INVERTED = re.compile(
    r"^\s*(?:(?i:who|whom|what|which|whose|when|where|why|how)(?:\s+[\w'’-]+){0,2}?\s+(?i:did|does|do)"
    r"|(?i:when|where|why)\s+(?i:will|would|can|could|has|have|had|is|was|are|were))\s+(?P<rest>[^?]+?)\s*\??\s*$"
)
# a name, symbols and all ("C#", "C++", "AT&T", ".NET")
_NAME_RUN = re.compile(r"(?:\.(?=[A-Z])|[" + UPPER + r"])[\w'’&#+-]*(?:\s+[" + UPPER + r"][\w'’&#+-]*)*")
_PARTICLES = frozenset(
    "about above across after against along around at before behind below between by down during for from "
    "in into of off on onto out over past through to toward towards under until up upon with within without".split()
)
_MARKER = re.compile(r"\s*\[\d+\]")
# "that case", "this company", "the same film": a thing the last turn named, by its kind. Not a time ("that
# year", "that day"): a follow-up asking about the same time means the time, not a name.
_DEMONSTRATIVE = re.compile(
    r"\b(?i:that|this|the same)\s+(?!(?:year|day|week|month|time|season|night|morning|evening|decade|era)\b)"
    r"(?P<kind>[a-z][a-z-]{2,})\b"
)
# a name of several words, lower-case joints allowed ("Pemberton v Sykes", "Bank of England")
_LONG_NAME = (
    r"["
    + UPPER
    + r"][\w'’&#+.-]*(?:\s+(?:(?:v|vs|v\.|of|de|del|la|le|and|&|the|for)\s+)?["
    + UPPER
    + r"][\w'’&#+.-]*)*"
)

Choose = Callable[[Sequence[str], str], int]
"""``choose(people, words)``: the index in ``people`` (most likely first) of whom the follow-up is about;
``words`` is the follow-up with its personal pronouns removed ("What did say at Keio?")."""


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


def split_lead_in(question: str) -> tuple[str, str]:
    """``(lead_in, question proper)`` of a question that opens with statements ("Henrik Vass created Larkspur
    as a graduate student. Where does he work now?"), or ``("", question)``: the question proper is its last
    sentence, ending in "?"; the sentences before it say nothing in a question mark."""
    spans = sentence_spans(question)
    if len(spans) < 2:
        return "", question
    lead, final = question[: spans[-1][0]].strip(), question[spans[-1][0] :].strip()
    if not final.endswith("?") or "?" in lead:
        return "", question
    return lead, final


def resolve_followup(question: str, history: Sequence[Turn], choose: Choose | None = None) -> str:
    """``question`` made to stand alone using ``history`` (oldest first); unchanged without history
    or when it does not lean on it. The result is what retrieval and the answer step see. ``choose``
    picks whom a pronoun means when the earlier turn names several people (see the module's notes).

    A question that opens with statements leans on them as on an earlier turn: "Henrik Vass created
    Larkspur as a graduate student. Where does he work now?" becomes "Where does Henrik Vass work now?",
    and "The institute's drone is called Tangen. Who built it?" becomes "Who built Tangen?" (``it`` is
    the last name the statements give that is no person's). Unchanged when its last sentence stands alone."""
    lead, final = split_lead_in(question)
    if lead and is_followup(final):
        return resolve_followup(final, [*history, Turn(lead)], choose)
    if not history:
        return question
    turns = [Turn(_unshout(turn.question), turn.answer) for turn in history]
    if _unshout(question) != question or turns != list(history):
        resolved = resolve_followup(_unshout(question), turns, choose)
        return question if resolved == _unshout(question) else resolved
    if not is_followup(question):
        # "that case" only when the last turn named a case: "that" is more often a conjunction ("said that
        # profits fell") or a relative pronoun, and a question with words of its own stands alone
        last = history[-1]
        return _DEMONSTRATIVE.sub(lambda m: _named_kind(m, [normalise(last.answer), last.question]), question)
    resolved, topic = _resolve(question, history, choose)
    if not topic or set(content_terms(topic)) <= set(content_terms(resolved)):
        return resolved
    if content_terms(resolved) and not _NON_PERSONAL.search(resolved):
        return resolved  # its people are named: the topic would pull retrieval back to the last answer
    return f"{resolved} ({topic})"


def _shouted(text: str) -> bool:
    """True for a question typed in capitals throughout ("WHEN DID HE BUILD IT?"): its "HE" and "IT" are
    pronouns, not the acronyms they would be among lower-case words."""
    return any(c.isalpha() for c in text) and not any(c.islower() for c in text)


def _unshout(text: str) -> str:
    """A question typed in capitals throughout, in lower case, so that its pronouns refer and its other words
    are no names ("when did he build it?"); a pronoun's spelling after an article or a possessive is an acronym
    and keeps its capitals ("what does the IT desk do?"). Other text unchanged."""
    if not _shouted(text):
        return text
    words = re.split(r"(\w+)", text)  # separators at even places, words at odd ones
    for i in range(1, len(words), 2):
        after_determiner = i > 1 and words[i - 2].lower() in _DETERMINERS and not words[i - 1].strip()
        if not (after_determiner and words[i].lower() in REFERRING):
            words[i] = words[i].lower()
    return "".join(words)


def _resolve(question: str, history: Sequence[Turn], choose: Choose | None, answer: str = "") -> tuple[str, str]:
    """The question with its pronouns replaced, and the topic of the conversation it leans on (``answer``:
    the answer the question got, when it is an earlier turn)."""
    if not history or not is_followup(question):
        return question, topic_of(question, answer)
    previous, topic = _resolve(history[-1].question, history[:-1], choose, history[-1].answer)
    answer = normalise(history[-1].answer)  # its names as matching reads them: fullwidth "Ｂｒｕｎｓ" is "Bruns"
    people = _people(previous, answer)
    pronoun = _PRONOUN.search(question)
    if pronoun and len(people) > 1:
        people = _agreeing(people, pronoun.group(0), f"{answer}\n{previous}")
    pick = 0
    if choose is not None and len(people) > 1 and _PRONOUN.search(question):
        pick = choose(people, _PRONOUN.sub(" ", question))
    person = people[pick] if people and _PRONOUN.search(question) else None
    if person:  # the first pronoun only: "When did Ishiba give his first speech?", not "... Ishiba's first"
        question = _PRONOUN.sub(lambda m: _possessive(m, person), question, count=1)
    thing = _WHAT_IS.match(previous) or _WHO_DID.match(previous)
    name = thing.group("thing") if thing else _last_thing(previous, [person] if person else [])
    if name:
        question = _THING.sub(lambda m: f"{name}'s" if m.group(0).lower() == "its" else name, question)
    return _DEMONSTRATIVE.sub(lambda m: _named_kind(m, [answer, previous]), question), topic


def _named_kind(demonstrative: re.Match[str], texts: Sequence[str]) -> str:
    """The name a demonstrative ("that case") means: the first of ``texts`` (the last answer, then the last
    question) naming a thing of its kind, "<kind>, <Name>" or "<Name>, the <kind>" ("a 2009 case, Pemberton
    v Sykes, ..." makes "that case" "Pemberton v Sykes"), or a name ending or opening with it ("that
    brewery": "Dunmore Brewery", "that bank": "Bank of America"); the demonstrative as written when none
    does."""
    word = demonstrative.group("kind").lower()
    kind, titled = re.escape(word), re.escape(word[:1].upper() + word[1:])
    after = re.compile(r"\b(?i:" + kind + r")s?[,:]?\s+(?:(?:called|named|known as)\s+)?(" + _LONG_NAME + ")")
    before = re.compile("(" + _LONG_NAME + r")[,]?\s+(?:the|an?)\s+(?:[\w-]+\s+){0,3}?(?i:" + kind + r")\b")
    # "that brewery" after "the Dunmore Brewery": a name whose last word is the kind
    ending = re.compile(r"((?:[" + UPPER + r"][\w'’&#+.-]*\s+)+" + titled + r")\b")
    # "that bank" after "the Bank of America"
    opening = re.compile("(" + titled + r"\s+(?:of|for)\s+(?:the\s+)?" + _LONG_NAME + ")")
    for text in texts:
        for pattern in (after, before, ending, opening):
            for found in pattern.finditer(_MARKER.sub("", text)):
                name = re.sub(r"^(?:The|An?)\s+", "", found.group(1).strip()).rstrip(".")
                if _names_someone(name):
                    return name
    return demonstrative.group(0)


def _last_thing(statement: str, people: Sequence[str]) -> str:
    """What "it" means after ``statement`` (not a question): the last name it gives that is none of
    ``people`` ("Tangen" in "The institute's drone is called Tangen."), or empty."""
    if statement.rstrip().endswith("?"):
        return ""
    names = [n.strip() for n in new_names(statement, "", statement) if _names_someone(n)]
    things = [re.sub(r"['’]s$", "", n) for n in names if not any(n in p or p in n for p in people)]
    if not things:
        return ""
    # "an Office of Climate Resilience" is "the Office of Climate Resilience" once introduced
    article = re.search(r"\b(?:the|an?)\s+" + re.escape(things[-1]), statement, re.IGNORECASE)
    return f"the {things[-1]}" if article else things[-1]


def topic_of(question: str, answer: str = "") -> str:
    """What ``question`` (one that stands alone) is about, as the parenthesised topic of its follow-ups.

    Without its question form: "Who is Japan's defence minister?" is about "Japan's defence minister", and
    a question whose question word is its subject about the rest ("Who built the lighthouse?": "built the
    lighthouse", what a "Why?" after it asks about). A question with its auxiliary before its subject
    ("How much does the Pipwick weigh?") is about its subject, never its main verb ("the Pipwick", not
    "the Pipwick weigh", which would pull a follow-up on the battery towards weights): a name after the
    auxiliary, or all the words before a main verb that ends the question, with the question's other
    names. When the subject's end cannot be told ("What did the minister tell reporters about NSATU?"),
    the question's names alone ("NSATU"), or no topic. When the question's ``answer`` (an earlier turn's)
    uses all the words after the auxiliary as one phrase, they are the topic: "Which company did the
    penetration test?" answered "Kestrel Security did the penetration test" is about "the penetration
    test", its last word no verb.
    """
    question = _CARRYING_ON.sub("", question)
    inverted = _INVERTED.match(question)
    if inverted is None:
        return _LEADING_FORM.sub("", question).strip().rstrip("?").strip()[:MAX_CONTEXT_CHARS]
    # the answer using the words after the auxiliary as a phrase: no main verb among them ("Which company did
    # the penetration test?" answered "Kestrel Security did the penetration test": "the penetration test")
    rest = inverted.group("rest")
    if answer and len(rest.split()) > 1 and re.search(r"\b" + re.escape(rest) + r"\b", answer, re.IGNORECASE):
        return rest[:MAX_CONTEXT_CHARS]
    subject = _subject(inverted.group("rest"))
    names = [re.sub(r"['’]s$", "", n.strip()) for n in new_names(question, "", "") if _names_someone(n)]
    others = [n for n in names if n not in subject]
    return ", ".join(dict.fromkeys([subject, *others] if subject else others))[:MAX_CONTEXT_CHARS]


def _subject(clause: str) -> str:
    """The subject of ``clause``, what follows an inverted auxiliary ("the Pipwick weigh", "Rutte meet in
    Tokyo"): a name standing first ("Rutte"), else every word before a last word that can be the main verb
    (lower case, no preposition: "the Pipwick" of "the Pipwick weigh", "the bridge" of "the bridge been
    sold"), else empty."""
    name = _NAME_RUN.match(clause)
    if name and not re.search(r"['’]s$", name.group(0)):
        return name.group(0)
    *head, last = clause.split()
    while head and head[-1].lower() in ("be", "been"):
        head.pop()
    if not (last.isalpha() and last.islower()) or last in _PARTICLES:
        return ""
    if not head or any(w.lower() in STOPWORDS for w in head[1:]) or not content_terms(" ".join(head)):
        return ""
    return " ".join(head)


def _people(question: str, answer: str) -> list[str]:
    """Whom the earlier turn may be about, most likely first: for a question asking for someone it does
    not name ("Who built the lighthouse?", "Who is the defence minister?"), the names its answer gave,
    people first (``is_person``) and none inside quotation marks (a speech's title); then the names in
    the question ("Who is Mark Rutte?" is about Mark Rutte), its subject first ("Vass" in "Why did Vass
    sue Anna Keller?", as a follow-up's "he" most likely means), then full names before single words."""
    # a statement ("Henrik Vass created Larkspur."): its first capital starts a name unless it writes the
    # word in lower case too
    context = question if not question.rstrip().endswith("?") else ""
    subject = _SUBJECT.match(question)
    own = subject.group("name") if subject and not re.search(r"['’]s$", subject.group("name")) else None
    names = [c.strip() for c in new_names(question, "", context) if _names_someone(c)]
    # the question's subject first, though one word: "he" after "Why did Vass sue Anna Keller?" is Vass
    named = list(dict.fromkeys([own, *_full_first(names)])) if own in names else _full_first(names)
    if not (answer and asks_for_someone_unnamed(question)):
        return named
    text = _MARKER.sub("", answer)
    unquoted = _QUOTED.sub(lambda m: " " * len(m.group(0)), text)
    given = [c.strip() for c in new_names(unquoted, question, text) if _names_someone(c)]
    # failing a person, the most specific name: "Kishida", not "Japanese" in "the first Japanese prime
    # minister ..., Kishida used ..." (a common word capitalised is a people's or a place's adjective)
    out = [c for c in given if is_person(c, text)] or sorted(_full_first(given), key=_commonness)[:1]
    if not out:
        return named
    # the question's own names are alternatives only when they are people or the question's subject
    # ("Rutte" in "Who did Rutte meet?", not "Japan" in "Who visited Japan?" or "Who is Japan's minister?")
    context = f"{text}\n{question}"
    alternatives = [c for c in named if is_person(c, context) or c == own]
    return list(dict.fromkeys(out + alternatives))


_FEMALE = frozenset("she her hers".split())
_TITLES = {"f": r"Mrs|Ms|Miss|Dame|Lady|Madam", "m": r"Mr|Sir|Lord"}


def _agreeing(people: Sequence[str], pronoun: str, text: str) -> list[str]:
    """``people`` with those whom ``text`` marks as of the other gender than ``pronoun`` last: "she" after
    an answer naming "Mr Tom Reed" and "Ms Ana Ruiz" is Ana Ruiz. A mark is a title before the person's
    last name ("Mrs Marsh", "Sir Clive Woodward"); a person without one keeps their place."""
    wanted = "f" if pronoun.lower() in _FEMALE else "m"
    other = "m" if wanted == "f" else "f"

    def marked(person: str, gender: str) -> bool:
        surname = re.escape(person.split()[-1])
        return (
            re.search(r"\b(?:" + _TITLES[gender] + r")\.?\s+(?:[\w'’-]+\s+){0,2}" + surname + r"\b", text) is not None
        )

    return sorted(people, key=lambda p: marked(p, other) and not marked(p, wanted))


def _names_someone(phrase: str) -> bool:
    """Whether a capitalised phrase can name someone: not only function words and dates ("On April")."""
    return any(w.lower() not in STOPWORDS and w.lower() not in _CALENDAR for w in phrase.split())


def _commonness(name: str) -> float:
    """How common in English the rarest word of ``name`` is (1 - ``specificity``): 0 for a rare name."""
    return 1.0 - max(specificity(w) for w in name.split())


def _full_first(names: list[str]) -> list[str]:
    return [c for c in names if " " in c] or names


def _possessive(pronoun: re.Match[str], person: str) -> str:
    """``person`` for a pronoun, ``person's`` for a possessive one: "his", "hers", and "her" before a
    word that is not a function word ("her job" but not "meet her", "give her the award")."""
    word = pronoun.group(0).lower()
    after = re.match(r"\s+([\w'’-]+)", pronoun.string[pronoun.end() :])
    if word in ("his", "hers") or (word == "her" and after and after.group(1).lower() not in STOPWORDS):
        return f"{person}'s"
    return person


__all__ = ["Choose", "Turn", "is_followup", "resolve_followup", "topic_of"]
