"""Follow-up questions: a question that leans on the conversation, made to stand alone.

"When did he build it?" after "Who built the lighthouse?" (answered "... Robert Stevenson ...")
becomes "When did Robert Stevenson build it? (built the lighthouse)": a personal pronoun is replaced
by the person the previous turn was about (when it asked for someone it did not name, a name its
answer gave, a person's name first and never one inside quotation marks; else a name in its question).
"it" and "its" after "What is the ITPP?" become "the ITPP", after "How do I install Quillstone on Windows 11?"
"Quillstone" (what the asker acts on). The topic of the conversation (what the
last question that stood alone was about: see ``topic_of``) is added in parentheses only while the
question still leans on it (a pronoun such as "it" or "they" left, or no word of its own: "Why?"):
"Which university did he speak at?" after "Who visited Japan?" becomes "Which university did Mark
Rutte speak at?", without the visit to pull retrieval back to it. A question that stands alone (words
of its own, and no pronoun without a name before it) is left unchanged, so a new topic in the middle
of a conversation starts afresh. A chain of follow-ups keeps its topic and its person. An "it" that refers to
nothing ("Is it safe to share a Pool between threads?", "How long does it take to build Quillstone?") is no
pronoun, and the asker's "I" is no name.

An elliptical follow-up, "And [preposition] X?", "What about X?" or "How about X?" with X a few words and no
clause, swaps X into the last question (as resolved, when it was a follow-up itself): "And on Windows?" after
"How do I install Quillstone on macOS?" becomes "How do I install Quillstone on Windows?". X takes the place of
what follows the same preposition, else of the last question's only part of its shape (a version, a year, a
name, "a/the ..." with the same last word: "And a visitor permit?" after "How much is a resident parking
permit?"); when no part corresponds, the follow-up is left as asked. "And who won the final?" has a question
form of its own and stands alone.

When the earlier turn names several people ("Who did Rutte meet?" answered with Nakatani), a
``choose`` callback may pick the one the corpus ties to the follow-up's own words ("What did he say
at Keio?": Rutte, whom the articles place at Keio); without it, or on a tie, the order above holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from citeqa.index.text.people import asks_for_someone_unnamed, followed_by_who, is_person
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
# "that one", "this one", "the same one('s)": the thing the last turn named, as "it" would be
_THAT_ONE = re.compile(r"\b(?i:that|this|the same)\s+(?i:one)(?P<s>['’]s)?\b")
# a name of several words, lower-case joints allowed ("Pemberton v Sykes", "Bank of England")
_LONG_NAME = (
    r"["
    + UPPER
    + r"][\w'’&#+.-]*(?:\s+(?:(?:v|vs|v\.|of|de|del|la|le|and|&|the|for)\s+)?["
    + UPPER
    + r"][\w'’&#+.-]*)*"
)

# what an expletive "it" is ("is it safe to ...", "it is hard to ..."): one of these words, with a clause after it
_EXPLETIVE_PREDICATE = (
    r"(?:(?:really|still|ever|always|generally|usually|very|too|so|actually|also|even|not)\s+)?"
    r"(?:safe|possible|impossible|true|false|necessary|unnecessary|ok|okay|fine|better|best|easy|hard|difficult|"
    r"important|recommended|advisable|wise|legal|illegal|allowed|required|normal|common|usual|likely|unlikely|"
    r"wrong|right|bad|good|a\s+(?:good|bad)\s+idea|time|enough|useful|practical|feasible)"
)
# the clause after it: "to" and a verb with words of its own ("to share a Pool", not "to install?", whose
# "it" is the thing installed), "that" and a clause, "for <someone> to"; a gerund after "worth"
_EXPLETIVE_CLAUSE = (
    r"(?:" + _EXPLETIVE_PREDICATE + r"\s+(?:to\s+[\w'’-]+\s+[\w'’\"“-]|that\s+\w|for\s+(?:[\w'’-]+\s+){1,3}?to\s)"
    r"|worth\s+[\w-]+ing\b)"
)
# an "it" that refers to nothing, not a pronoun (group "itN" the word): "Is it safe to share a Pool between
# threads?", "It is hard to say that ...", "How long does it take to build Quillstone?", "It seems that ...",
# "How long has it been since ...", "How long will it be before ...", "What do you call it when ...?"
_EXPLETIVE_IT = re.compile(
    r"\b(?:is|was|isn't|wasn't)\s+(?P<it1>it)\s+"
    + _EXPLETIVE_CLAUSE
    + r"|\b(?:would|will|could|can|might|should)\s+(?P<it2>it)\s+be\s+"
    + _EXPLETIVE_CLAUSE
    + r"|\b(?P<it3>it)(?:\s+(?:is|was|isn't|wasn't|(?:would|will|can|could|might)\s+be)|['’]s)\s+"
    + _EXPLETIVE_CLAUSE
    + r"|\b(?P<it4>it)\s+(?:takes?|took|costs?)\s+(?:[\w'’-]+\s+){0,3}?to\s+[\w'’-]+\s+[\w'’\"“-]"
    + r"|\b(?P<it5>it)\s+(?:seems?|seemed|appears?|appeared)\s+(?:that|like|as\s+if|as\s+though)\b"
    + r"|\b(?P<it6>it)\s+(?:(?:has|have|had)\s+)?been\s+(?:[\w'’-]+\s+){0,3}?since\b"
    + r"|\bhow\s+long\s+(?:will|would|is|was)\s+(?P<it7>it)\s+(?:be\s+)?(?:before|until)\b"
    + r"|\b(?:call|calls|called|like|likes|hate|hates|mean|means)\s+(?P<it8>it)\s+when\b",
    re.IGNORECASE,
)
_EXPLETIVE_GROUPS = tuple(f"it{n}" for n in range(1, 9))
# "How long does it take?" after "How do I install Quillstone?": "it" is the installing, never the thing
_IT_TAKES = re.compile(r"\b(?i:it)\s+(?i:takes?|took|taking)\b")
# the asker as a name's look-alike: "I", "I'm", "I've", "I'd", "I'll" are no one's name
_FIRST_PERSON = re.compile(r"(?i:I)(?:['’](?i:m|ve|d|ll))?")
# a yes/no question's auxiliary, no part of its topic: "Does Quillstone have an F# binding?"
_YES_NO = re.compile(
    r"^\s*(?i:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might|must)\s+(?P<rest>[^?]+?)"
    r"\s*\??\s*$"
)
# a yes/no question with a verb after its named subject: "Does Quillstone have an F# binding?" is about
# Quillstone and an F# binding, never "have"
_YES_NO_VERB = re.compile(r"^\s*(?i:do|does|did|has|have|had|can|could|will|would|should|may|might|must)\s")
# "How do I install Quillstone on Windows 11?": what the asker acts on, Quillstone, is the next turn's "it" (one
# with no phrase of its own before it, see ``_acted_on``)
_ACTING_ON = re.compile(
    r"^\s*(?:(?i:how|where|when|why|what)\s+)?(?i:do|can|could|should|would|must|may)\s+(?i:I|we|you)\s+"
    r"(?i:[a-z][\w-]*)(?:\s+(?i:up|out|off|down|over|back))?\s+"
    r"(?P<thing>(?:\.(?=[A-Z])|[" + UPPER + r"])[\w'’&#+.-]*(?:\s+[" + UPPER + r"][\w'’&#+-]*)*"
    r"|(?i:the)\s+[\w'’#+-]+(?:\s+[\w'’#+-]+){0,3}?)"
    r"(?=\s*\??\s*$|\s+(?i:" + "|".join(sorted(_PARTICLES)) + r"|and|or|if|when|so)\b)"
)
# an elliptical follow-up, one part of the last question swapped: "And on Windows?", "What about Windows 11?",
# "How about 2.3.1?" (group "part": "on Windows", "Windows 11", "2.3.1")
_ELLIPSIS = re.compile(
    r"^\s*(?:(?i:and|but|or)\s+)?(?:(?i:what|how)\s+about|(?i:and))\s+(?P<part>[^?]{1,80}?)"
    r"(?:,?\s+(?i:then|instead|too))?\s*\??\s*$"
)
# words that make a part a clause or a question of its own, no part to swap: "And who won the final?", "What
# about the claims that profits fell?"
_CLAUSE_WORDS = frozenset(
    "who whom whose what which when where why how whether if because that is are was were be been being am do "
    "does did has have had will would can could should shall may might must i you he she it we they me us him "
    "her them its their our his".split()
)
MAX_PART_WORDS = 6
# a version ("2.4.0", "v2.3.1", "2.4.0-rc.1"), a year ("2022")
_VERSION = re.compile(r"(?<![\w.])v?\d+(?:\.\d+)+(?:-(?i:rc|alpha|beta)\.?\d+)?(?!\w)")
_YEAR = re.compile(r"(?<![\w.])(?:1[5-9]|20)\d\d(?![\w.]?\d)")
# a run of names, words with a capital anywhere ("Quillstone", "macOS", "F#", ".NET", "Node.js"), and a number
# after it ("Windows 11", "Ubuntu 24.04"; group "number")
_NAME_WORD = r"(?:\.?[\w'’&#+-]*[" + UPPER + r"][\w'’&#+-]*(?:\.\w+)*)"
_NAMED = re.compile(
    r"(?<![\w.])" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")*(?P<number>\s+v?\d+(?:\.\d+)*(?:-(?i:rc)\.?\d+)?)?(?!\w)"
)
_ARTICLE = re.compile(r"\b(?i:a|an|the)\s+")
# the words after an article up to a function word or punctuation, at most five: "resident parking permit" of
# "a resident parking permit?", "p50 latency" of "the p50 latency of ..."
_PHRASE_WORDS = re.compile(
    r"(?:(?!(?i:" + "|".join(sorted(STOPWORDS)) + r")\b)[\w'’#+-]+(?:\.\w+)*(?: (?=\S)|(?![\w'’#+.-]))){1,5}"
)
# where the phrase after a preposition ends: another preposition, a conjunction, punctuation, the end
_PHRASE_END = (
    r"(?=\s+(?i:" + "|".join(sorted(_PARTICLES)) + r"|and|or|but|if|when|while|because|so)\b"
    r"|\s*[?,;:]|\s*[.!](?:\s|$)|\s*$)"
)

Choose = Callable[[Sequence[str], str], int]
"""``choose(people, words)``: the index in ``people`` (most likely first) of whom the follow-up is about;
``words`` is the follow-up with its personal pronouns removed ("What did say at Keio?")."""
Gender = Callable[[str], "str | None"]
"""``gender(name)``: "f" or "m" when the corpus writes of the person ``name`` as of a woman or a man, else None
(``Engine.gender_of``): a "she" never means a man the corpus calls "he"."""


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
    return any(not new_names(question[: m.start()], "", "") for m in _referring(question, _REFERRING))


def _expletives(question: str) -> set[int]:
    """Where the expletive "it"s of ``question`` start, those referring to nothing: "Is it safe to share a Pool?",
    "How long does it take to build?", "Is it true that the bridge closed?" (not "Is it safe?", "How long did
    it take him?").

    >>> sorted(_expletives("Is it safe to share it?"))
    [3]
    """
    found = _EXPLETIVE_IT.finditer(question)
    return {m.start(g) for m in found for g in _EXPLETIVE_GROUPS if m.start(g) >= 0}


def _referring(question: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    """The pronouns ``pattern`` finds in ``question`` that may refer to something, its expletive "it"s left
    out: in "Is it safe to share it?" only the second "it"."""
    expletive = _expletives(question)
    return [m for m in pattern.finditer(question) if m.start() not in expletive]


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


def resolve_followup(
    question: str, history: Sequence[Turn], choose: Choose | None = None, gender: Gender | None = None
) -> str:
    """``question`` made to stand alone using ``history`` (oldest first); unchanged without history
    or when it does not lean on it. The result is what retrieval and the answer step see. ``choose``
    picks whom a pronoun means when the earlier turn names several people (see the module's notes), and
    ``gender`` leaves out those the corpus writes of as of the other gender than "he" or "she". An
    elliptical follow-up is the last question with a part swapped: "And 2.3.1?" after "When was 2.4.0
    released?" becomes "When was 2.3.1 released?" (``_swapped``).

    A question that opens with statements leans on them as on an earlier turn: "Henrik Vass created
    Larkspur as a graduate student. Where does he work now?" becomes "Where does Henrik Vass work now?",
    and "The institute's drone is called Tangen. Who built it?" becomes "Who built Tangen?" (``it`` is
    the last name the statements give that is no person's). Unchanged when its last sentence stands alone."""
    lead, final = split_lead_in(question)
    if lead and is_followup(final):
        return resolve_followup(final, [*history, Turn(lead)], choose, gender)
    if not history:
        return question
    one = _THAT_ONE.search(question)
    if one and not _CARRYING_ON.match(question):  # "How long is that one on for?" as "How long is it on for?"
        pronoun = "its" if one.group("s") else "it"
        as_it = f"{question[: one.start()]}{pronoun}{question[one.end() :]}"
        resolved = resolve_followup(as_it, history, choose, gender)
        return question if resolved == as_it else resolved
    turns = [Turn(_unshout(turn.question), turn.answer) for turn in history]
    if _unshout(question) != question or turns != list(history):
        resolved = resolve_followup(_unshout(question), turns, choose, gender)
        return question if resolved == _unshout(question) else resolved
    swapped = _swapped(question, history, choose)
    if swapped is not None:
        return swapped
    if not is_followup(question):
        # "that case" only when the last turn named a case: "that" is more often a conjunction ("said that
        # profits fell") or a relative pronoun, and a question with words of its own stands alone
        last = history[-1]
        return _DEMONSTRATIVE.sub(lambda m: _named_kind(m, [normalise(last.answer), last.question]), question)
    resolved, topic = _resolve(question, history, choose, gender=gender)
    if not topic or set(content_terms(topic)) <= set(content_terms(resolved)):
        return resolved
    if content_terms(resolved) and not _referring(resolved, _NON_PERSONAL):
        return resolved  # its people are named: the topic would pull retrieval back to the last answer
    return f"{resolved} ({topic})"


def _swapped(question: str, history: Sequence[Turn], choose: Choose | None) -> str | None:
    """The last question (as resolved, when it was itself a follow-up) with the part an elliptical ``question``
    swaps put in place of its corresponding part: "And on Windows?" after "How do I install Quillstone on
    macOS?" is "How do I install Quillstone on Windows?". None when ``question`` is no such follow-up or no
    part of the last question corresponds (see ``_corresponding``)."""
    part = _elliptical_part(question)
    if part is None or not history:
        return None
    previous, _ = _resolve(history[-1].question, history[:-1], choose, history[-1].answer)
    span = _corresponding(previous, part)
    if span is None:
        return None
    start, end, text = span
    return previous[:start] + text + previous[end:]


def _elliptical_part(question: str) -> str | None:
    """What an elliptical follow-up asks about instead ("on Windows" of "And on Windows?", "Windows 11" of "What
    about Windows 11?", "2.3.1" of "And 2.3.1?"), or None for a question of its own ("And who won the final?",
    "What about the claims that profits fell?"): a few words, none a question word, an auxiliary, a pronoun or
    a conjunction."""
    found = _ELLIPSIS.match(question)
    if found is None:
        return None
    part = found.group("part").strip()
    words = re.findall(r"[\w'’]+", part)
    if not words or len(part.split()) > MAX_PART_WORDS or any(w.lower() in _CLAUSE_WORDS for w in words):
        return None
    return part


def _corresponding(previous: str, part: str) -> tuple[int, int, str] | None:
    """``(start, end, text)``: the span of ``previous`` that ``part`` takes the place of and what to put there,
    or None. A part opening with a preposition takes the place of what follows that preposition ("on Windows"
    of "on macOS"; none when ``previous`` lacks it); else a part of the same shape, the only one of
    ``previous``: a version ("2.3.1" for "2.4.0"), a year, a name ("Windows 11" for "Ubuntu 24.04"), or a
    phrase with an article and the same last word ("a visitor permit" for "a resident parking permit")."""
    opening = re.match(r"(?P<preposition>[\w]+)\s+(?P<rest>\S.*)$", part)
    if opening and opening.group("preposition").lower() in _PARTICLES:
        return _after_preposition(previous, opening.group("preposition"), opening.group("rest"))
    for pattern in (_VERSION, _YEAR):
        if pattern.fullmatch(part):
            found = list(pattern.finditer(previous))
            return (found[0].start(), found[0].end(), part) if len(found) == 1 else None
    return _same_name(previous, part) or _same_head(previous, part)


def _after_preposition(previous: str, preposition: str, phrase: str) -> tuple[int, int, str] | None:
    """The span of the phrase after ``preposition`` in ``previous`` ("macOS" after "on" in "How do I install
    Quillstone on macOS?") and ``phrase`` to put there; of several, the last of the same shape as ``phrase``
    (``_shape``), else the last."""
    pattern = re.compile(r"\b(?i:" + re.escape(preposition) + r")\s+(?P<phrase>[^?,;]+?)" + _PHRASE_END)
    found = list(pattern.finditer(previous))
    if not found:
        return None
    alike = [m for m in found if _shape(m.group("phrase")) == _shape(phrase)]
    chosen = (alike or found)[-1]
    return chosen.start("phrase"), chosen.end("phrase"), phrase


def _shape(phrase: str) -> str:
    """What kind of phrase ``phrase`` is: "version" ("2.4.0"), "year" ("2022"), "name" ("Windows 11",
    "macOS"), "article" ("the Go binding") or "other"."""
    if _VERSION.fullmatch(phrase):
        return "version"
    if _YEAR.fullmatch(phrase):
        return "year"
    if _NAMED.fullmatch(phrase):
        return "name"
    return "article" if _ARTICLE.match(phrase) else "other"


def _names_in(question: str) -> list[re.Match[str]]:
    """The names in ``question`` as ``_NAMED`` finds them, its first word (a question word or an auxiliary:
    "Does" of "Does Quillstone ...") and the asker ("I") left out."""
    first = re.match(r"\s*\S+", question)
    masked = " " * first.end() + question[first.end() :] if first else question
    return [m for m in _NAMED.finditer(masked) if not _FIRST_PERSON.fullmatch(m.group(0))]


def _same_name(previous: str, part: str) -> tuple[int, int, str] | None:
    """The span of the name ``part`` (a name) takes the place of in ``previous``: the only name with a number
    for a name with a number ("Windows 11" for "Ubuntu 24.04" in "How do I install Quillstone on Ubuntu
    24.04?"), the only name for one without ("Larkspur" for "Quillstone" in "When was Quillstone released?",
    none in "How do I install Quillstone on macOS?"); a possessive keeps its "'s" ("China" or "China's" for
    "Japan's")."""
    own = _NAMED.fullmatch(part)
    if own is None or _FIRST_PERSON.fullmatch(part):
        return None
    names = _names_in(previous)
    if own.group("number"):
        names = [m for m in names if m.group("number")]
    if len(names) != 1:
        return None
    start, end = names[0].span()
    if re.search(r"['’]s$", names[0].group(0)) and not re.search(r"['’]s$", part):
        end -= 2
    return start, end, part


def _same_head(previous: str, part: str) -> tuple[int, int, str] | None:
    """The span of the phrase of ``previous`` with an article and ``part``'s last word (its head noun) that
    ``part`` (an article's phrase) takes the place of: "a resident parking permit" in "How much is a resident
    parking permit?" for "a visitor permit"; a function word between them ends the phrase ("the p50 latency of
    the Python binding" is no phrase ending "binding"; "the Python binding" is)."""
    head = part.split()[-1].lower()
    if not _ARTICLE.match(part) or head in STOPWORDS:
        return None
    for article in _ARTICLE.finditer(previous):
        phrase = _PHRASE_WORDS.match(previous, article.end())
        words = phrase.group(0).split() if phrase else []
        for count, word in enumerate(words, 1):
            if word.lower().rstrip("s") == head.rstrip("s"):
                end = article.end() + len(" ".join(words[:count]))
                return article.start(), end, part
    return None


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


def _resolve(
    question: str, history: Sequence[Turn], choose: Choose | None, answer: str = "", gender: Gender | None = None
) -> tuple[str, str]:
    """The question with its pronouns replaced, and the topic of the conversation it leans on (``answer``:
    the answer the question got, when it is an earlier turn); an elliptical question ("And on Windows?") is
    the last question with its part swapped (``_swapped``)."""
    swapped = _swapped(question, history, choose) if history else None
    if swapped is not None:
        return swapped, topic_of(swapped, answer)
    if not history or not is_followup(question):
        return question, topic_of(question, answer)
    previous, topic = _resolve(history[-1].question, history[:-1], choose, history[-1].answer, gender)
    answer = normalise(history[-1].answer)  # its names as matching reads them: fullwidth "Ｂｒｕｎｓ" is "Bruns"
    people = _people(previous, answer)
    pronoun = _PRONOUN.search(question)
    if pronoun and len(people) > 1:
        people = _agreeing(people, pronoun.group(0), f"{answer}\n{previous}")
    if pronoun and people and gender is not None:
        # "What time does she start?" after an answer naming only Dr Daniel Whitlock, whom the articles call "he"
        wanted = "f" if pronoun.group(0).lower() in FEMALE else "m"
        people = [p for p in people if gender(p) in (None, wanted)]
    thing = _WHAT_IS.match(previous) or _WHO_DID.match(previous)
    named_thing = thing.group("thing") if thing else _acted_on(previous, question)
    pick = 0
    if choose is not None and len(people) > 1 and _PRONOUN.search(question):
        # with what "it" means: "When did he build it?" after "Who built the museum?" is about the museum
        pick = choose(people, f"{_PRONOUN.sub(' ', question)} {named_thing}")
    person = people[pick] if people and _PRONOUN.search(question) else None
    if person:  # the first pronoun only: "When did Ishiba give his first speech?", not "... Ishiba's first"
        question = _PRONOUN.sub(lambda m: _possessive(m, person), question, count=1)
    name = named_thing
    name = name or _last_thing(previous, [person] if person else [])
    if name:
        kept = _expletives(question) | {m.start() for m in _IT_TAKES.finditer(question)}
        name = _without_repeats(name, question)
        question = _THING.sub(lambda m: _thing_for(m, name, kept), question)
    return _DEMONSTRATIVE.sub(lambda m: _named_kind(m, [answer, previous]), question), topic


def _acted_on(previous: str, question: str) -> str:
    """What the asker of ``previous`` acts on ("Quillstone" of "How do I install Quillstone on Windows 11?"), the
    "it" of ``question`` when no phrase with an article comes before its "it" or "its" ("How do I uninstall
    it?", not "How long does a giraffe carry its calf?", whose "its" is the giraffe's); else empty."""
    acting = _ACTING_ON.match(previous)
    pronoun = _THING.search(question)
    if acting is None or pronoun is None or _ARTICLE.search(question[: pronoun.start()]):
        return ""
    return acting.group("thing")


def _thing_for(pronoun: re.Match[str], name: str, kept: set[int]) -> str:
    """``name`` for "it", ``name's`` for "its", the pronoun as written where ``kept`` (an expletive "it", see
    ``_expletives``, or the "it" of "does it take", an action's)."""
    if pronoun.start() in kept:
        return pronoun.group(0)
    return f"{name}'s" if pronoun.group(0).lower() == "its" else name


def _without_repeats(name: str, question: str) -> str:
    """``name`` ("the default max_pool_size") without the lower-case words between its article and its last word
    that ``question`` already has: "it" in "What is the default value of it?" is "the max_pool_size", not "the
    default max_pool_size" (a doubled "default")."""
    words = name.split()
    if len(words) < 3 or words[0].lower() not in ("the", "a", "an") or not all(w.islower() for w in words[1:-1]):
        return name
    kept = [w for w in words[1:-1] if not re.search(r"\b" + re.escape(w) + r"\b", question, re.IGNORECASE)]
    return " ".join([words[0], *kept, words[-1]])


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
    test", its last word no verb. A yes/no question is about its words after the auxiliary, a named subject's
    verb left out ("Does Quillstone have an F# binding?": "Quillstone, an F# binding"); the asker ("I") is never
    a name ("How do I install Quillstone on Windows 11?": "Quillstone, Windows 11").
    """
    question = _CARRYING_ON.sub("", question)
    inverted = _INVERTED.match(question)
    yes_no = _YES_NO.match(question)
    if inverted is None and yes_no is not None:
        return _yes_no_topic(question, yes_no.group("rest"))[:MAX_CONTEXT_CHARS]
    if inverted is None:
        return _LEADING_FORM.sub("", question).strip().rstrip("?").strip()[:MAX_CONTEXT_CHARS]
    # the answer using the words after the auxiliary as a phrase: no main verb among them ("Which company did
    # the penetration test?" answered "Kestrel Security did the penetration test": "the penetration test")
    rest = inverted.group("rest")
    if answer and len(rest.split()) > 1 and re.search(r"\b" + re.escape(rest) + r"\b", answer, re.IGNORECASE):
        return rest[:MAX_CONTEXT_CHARS]
    subject = _subject(inverted.group("rest"))
    names = [_with_number(re.sub(r"['’]s$", "", n.strip()), question) for n in new_names(question, "", "")]
    names = [n for n in names if _names_someone(n)]
    others = [n for n in names if n not in subject]
    return ", ".join(dict.fromkeys([subject, *others] if subject else others))[:MAX_CONTEXT_CHARS]


def _yes_no_topic(question: str, rest: str) -> str:
    """The topic of a yes/no question, ``rest`` its words after the auxiliary: a named subject and what follows
    its verb ("Does Quillstone have an F# binding?": "Quillstone, an F# binding"), what follows the verb alone
    after "I" ("Can I use Quillstone with Django?": "Quillstone with Django"), else ``rest`` ("Is Quillstone
    thread-safe?": "Quillstone thread-safe")."""
    subject = _NAME_RUN.match(rest)
    after = re.match(r"\s+[a-z][\w-]*\s+(?P<object>\S.*)$", rest[subject.end() :]) if subject else None
    if not (_YES_NO_VERB.match(question) and subject and after) or re.search(r"['’]s$", subject.group(0)):
        return rest
    if _FIRST_PERSON.fullmatch(subject.group(0)):
        return after.group("object")
    return f"{subject.group(0)}, {after.group('object')}"


def _with_number(name: str, question: str) -> str:
    """``name`` with the number that follows it in ``question``: "Windows 11", "Ubuntu 24.04"."""
    number = re.search(re.escape(name) + r"(?P<number>\s+v?\d+(?:\.\d+)*)(?![\w.]?\w)", question)
    return name + number.group("number") if number else name


def _subject(clause: str) -> str:
    """The subject of ``clause``, what follows an inverted auxiliary ("the Pipwick weigh", "Rutte meet in
    Tokyo"): a name standing first ("Rutte"), else every word before a last word that can be the main verb
    (lower case, no preposition: "the Pipwick" of "the Pipwick weigh", "the bridge" of "the bridge been
    sold"), else empty."""
    name = _NAME_RUN.match(clause)
    if name and not re.search(r"['’]s$", name.group(0)) and not _FIRST_PERSON.fullmatch(name.group(0)):
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
    names = [c.strip() for c in new_names(question, "", context) if _names_someone(c) and not _role(c, question)]
    # the question's subject first, though one word: "he" after "Why did Vass sue Anna Keller?" is Vass
    named = list(dict.fromkeys([own, *_full_first(names)])) if own in names else _full_first(names)
    if not (answer and asks_for_someone_unnamed(question)):
        return named
    text = _MARKER.sub("", answer)
    unquoted = _QUOTED.sub(lambda m: " " * len(m.group(0)), text)
    given = [c.strip() for c in new_names(unquoted, question, text) if _names_someone(c)]
    # failing a person, the most specific name: "Kishida", not "Japanese" in "the first Japanese prime
    # minister ..., Kishida used ..." (a common word capitalised is a people's or a place's adjective)
    # "who" after a name is said of a person too: "the local brewer Samuel Hartley, who gave £9,000"
    out = [c for c in given if is_person(c, text) or followed_by_who(c, text)]
    out = out or sorted(_full_first(given), key=_commonness)[:1]
    if not out:
        return named
    # the question's own names are alternatives only when they are people or the question's subject
    # ("Rutte" in "Who did Rutte meet?", not "Japan" in "Who visited Japan?" or "Who is Japan's minister?")
    context = f"{text}\n{question}"
    alternatives = [c for c in named if is_person(c, context) or c == own]
    return list(dict.fromkeys(out + alternatives))


FEMALE = frozenset("she her hers herself".split())
"""The pronouns that mark a woman (``_agreeing``; ``Engine.gender_of`` reads the corpus with them)."""
TITLES = {"f": r"Mrs|Ms|Miss|Dame|Lady|Madam", "m": r"Mr|Sir|Lord"}
"""The titles that mark a woman ("f") or a man ("m") before a name, as regular-expression alternatives."""


def _agreeing(people: Sequence[str], pronoun: str, text: str) -> list[str]:
    """``people`` with those whom ``text`` marks as of the other gender than ``pronoun`` last: "she" after
    an answer naming "Mr Tom Reed" and "Ms Ana Ruiz" is Ana Ruiz. A mark is a title before the person's
    last name ("Mrs Marsh", "Sir Clive Woodward"); a person without one keeps their place."""
    wanted = "f" if pronoun.lower() in FEMALE else "m"
    other = "m" if wanted == "f" else "f"

    def marked(person: str, gender: str) -> bool:
        surname = re.escape(person.split()[-1])
        return re.search(r"\b(?:" + TITLES[gender] + r")\.?\s+(?:[\w'’-]+\s+){0,2}" + surname + r"\b", text) is not None

    return sorted(people, key=lambda p: marked(p, other) and not marked(p, wanted))


def _role(name: str, text: str) -> bool:
    """Whether ``name`` is an acronym ``text`` uses as a common noun, after an article: "the GP" in "Who is the
    GP on Tuesdays?", "an MP" (a role, which a "she" does not mean)."""
    return name.isupper() and re.search(r"\b(?:the|an?)\s+" + re.escape(name) + r"\b", text, re.IGNORECASE) is not None


def _names_someone(phrase: str) -> bool:
    """Whether a capitalised phrase can name someone: not only function words and dates ("On April",
    "Tuesdays"), nor the asker ("I", "I'm", "I've")."""
    if _FIRST_PERSON.fullmatch(phrase.strip()):
        return False
    # a day or a month names no one, in the plural too ("She is the only GP on Tuesdays.")
    return any(w.lower() not in STOPWORDS and re.sub(r"s$", "", w.lower()) not in _CALENDAR for w in phrase.split())


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
    person = re.sub(r"['’]s$", "", person)  # a name taken from "Dr Whitlock's clinic" is "Dr Whitlock"
    if word in ("his", "hers") or (word == "her" and after and after.group(1).lower() not in STOPWORDS):
        return f"{person}'s"
    return person


__all__ = ["FEMALE", "TITLES", "Choose", "Gender", "Turn", "is_followup", "resolve_followup", "topic_of"]
