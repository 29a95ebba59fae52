"""Events: whether a question asks about a birth, a death or a marriage, and whether a sentence states
one; whether a question takes a resignation, a dismissal, a refusal, a cancellation or a ban for granted,
and whether an article tells of one.

"When was Mark Rutte born?" is not answered by "Mark Rutte visited Japan on April 8-9", nor "In which
Texas town was Jerry Scoggins born?" by "Jerry Scoggins has died in Los Angeles at the age of 93": news
prose that gives a birth says "born", "birth" or "-born" ("the Dublin-born writer"). Asking for someone's
birthplace or birth year is the commonest near miss about a person in the news, whose articles seldom
give either. Surface patterns of English prose, never a list of answers; checked by
tests/index/text/test_events.py and, through the answer step, tests/index/answering/test_near_misses.py.

"Why did Jay-Z resign as president of Def Jam?" takes a resignation for granted; over an article that
tells of his appointment it is a false premise, and the sentence the ranker likes best only restates
the premise's other words. News that reports a decision of this kind names it, in one of a handful of
words ("quit", "stepped down", "left"; "sacked", "fired", "ousted", "thrown out"; "refused", "turned
down", "rejected"; "scrapped", "called off", "withdrew"; "banned", "barred"): an article telling none of
them does not tell of the decision asked about. Only "why" and "when" questions are read so, as they
take the decision for granted ("Did X resign?" asks whether); and any question about a verdict (issue
13: "asked for a verdict, answered with the accusation"), which only an article telling of a verdict,
a conviction, an acquittal or a sentence can answer.
"""

from __future__ import annotations

import re

__all__ = [
    "DECISION_NAMES",
    "EVENT_NAMES",
    "asked_decision",
    "asked_event",
    "event_in_clause",
    "states_event",
    "tells_decision",
]

EVENT_NAMES = {"birth": "birth", "death": "death", "marriage": "marriage"}

_ASKS = (
    ("birth", re.compile(r"\b(?:was|were|is|are)\s+(?:[\w’'.-]+\s+){0,8}born\b|\bbirth(?:place|day|date)?\b", re.I)),
    (
        "death",
        re.compile(
            r"\b(?:did|does|do|will)\s+(?:[\w’'.-]+\s+){0,8}die\b|\bcause of (?:his |her |their )?death\b"
            # "Who was killed when the wall collapsed?"
            r"|\b(?:was|were|is|are|been|got)\s+(?:[\w’'.-]+\s+){0,3}killed\b|\bwho died\b",
            re.I,
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
        r"\bdied\b|\bdies\b|\bdie\b|\bdying\b|\bdeaths?\b|\bdead\b|\bkill(?:s|ed|ing)?\b|\bperish\w*|"
        r"\bpassed away\b|\bfuneral\b|\blate\s+[A-Z]",
        re.I,
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


# A clause of the question that takes its event for granted: "the special in which Den was killed", "the
# writer who was born in Bristol". What is asked is before it; the event is context.
_CLAUSE = re.compile(
    r"\b(?:in which|on which|at which|during which|after which|who|whom|whose|that|which|where)\b", re.I
)
# the question's own wh-phrase, which asks ("In which town was X born?", "Who was killed ...?")
_WH_PHRASE = re.compile(r"\s*(?:[\w’'-]+\s+)?(?:which|who|whom|whose|what|where|when|how)\b", re.I)


def event_in_clause(question: str) -> bool:
    """Whether the event ``asked_event`` finds in ``question`` stands in a clause of it that takes the
    event for granted ("What was the peak audience for the special in which Den was killed?"), not in
    what it asks ("Who was killed when the wall collapsed?", "Where was the writer born who ...?"): an
    article telling of the event then answers, without its answer sentence restating it. False when no
    event is asked about."""
    for _, pattern in _ASKS:
        if pattern.search(question) is None:
            continue
        asking = _WH_PHRASE.match(question)
        for clause in _CLAUSE.finditer(question, asking.end() if asking else 0):
            # the whole event inside the clause, none of it before ("Where did the singer who won die?" asks)
            if pattern.search(question[clause.end() :]) and not pattern.search(question[: clause.start()]):
                return True
        return False
    return False


def states_event(kind: str, sentence: str) -> bool:
    """Whether ``sentence`` states an event of ``kind`` (as ``asked_event`` returns). Raises KeyError for an
    unknown kind."""
    return _STATES[kind].search(sentence) is not None


DECISION_NAMES = {
    "verdict": "verdict",
    "resignation": "resignation",
    "dismissal": "dismissal",
    "refusal": "refusal",
    "cancellation": "cancellation",
    "ban": "ban",
    "fine": "fine",
    "punishment": "sentence passed",
    "apology": "apology",
    "defeat": "defeat",
}
# The words of each kind of decision, inflected; a phrasal verb may hold its object ("turned the offer down").
_DECISIONS = {
    # issue 13's "asked for a verdict, answered with the accusation": a trial's outcome, not its charges
    "verdict": (
        r"verdicts?|convict(?:ed|ion|ions)|found (?:not )?guilty|acquit\w*|cleared (?:of|by)|sentenc(?:ed|ing)|"
        # "the two jailed Iranian bloggers" over "two imprisoned Iranian bloggers ... both in prison"
        r"jailed|imprisoned|in (?:prison|jail)|pleaded guilty"
    ),
    "resignation": (
        r"resign\w*|quit(?:s|ting)?|st(?:ep|eps|epped|epping|and|ands|ood|anding) down|"
        r"le(?:ave|aves|aving|ft)|depart\w*|walk(?:s|ed|ing)? out|retire\w*"
    ),
    # not "fire" (a blaze) nor "replace" (the new trains that replace the old): words for a dismissal only
    "dismissal": (
        r"sack(?:s|ed|ing)?|fired|dismiss\w*|oust\w*|axed|expel\w*|expulsion|"
        r"(?:throw|throws|threw|thrown|kick|kicks|kicked) (?:\w+ ){0,3}out|let (?:\w+ ){0,2}go|suspend\w*|"
        # a player's dismissal: "Why was Okafor sent off?"
        r"sen(?:d|ds|t|ding) off|red card\w*"
    ),
    "refusal": (
        r"refus\w*|reject\w*|declin\w*|tur(?:n|ns|ned|ning) (?:\w+ ){0,3}down|rul(?:e|es|ed|ing) out|veto\w*|"
        r"snub\w*|rebuff\w*|spurn\w*"
    ),
    "cancellation": (
        r"cancel\w*|scrap\w*|ax(?:e|es|ed|ing)|call(?:s|ed|ing)? off|abandon\w*|shelv\w*|withdr[ae]w\w*|"
        r"pull(?:s|ed|ing)? out|halt\w*|drop\w*"
    ),
    "ban": r"ban(?:s|ned|ning)?|bar(?:s|red|ring)?|prohibit\w*|outlaw\w*|forb[ai]d\w*|block\w*",
    # a penalty, like a verdict, in any question: "How large a fine did Brussels impose on Vodafone?" over
    # the article on the Commission's letters, which tells of no fine
    "fine": r"fin(?:e|es|ed|ing)|penalt(?:y|ies)",
    # "What sentence did Pell receive?": a sentence passed, not a verdict with sentencing to come ("Pell was
    # found guilty and will be sentenced on 21 November")
    "punishment": (
        r"sentenced to|jailed|imprisoned|fined|(?:was|were|been) (?:\w+ )?sentenced(?! on| next| later| at a)|"
        r"(?:given|handed|received|receives|serve|serving|served) (?:a |an )?(?:[\w-]+ ){0,3}(?:sentence|term|ban)|"
        r"community (?:service|order)|suspended sentence|life sentence|spared jail|walked free"
    ),
    "apology": r"apolog\w*|sorry|regret\w*",
    # "Why did McIlroy lose the final?" over the article on his win
    "defeat": r"los(?:e|es|t|ing|er|ers|s)|defeat\w*|beat(?:s|en|ing)?|succumb\w*|knocked out|eliminat\w*|runners?-up",
}
_TELLS = {kind: re.compile(r"\b(?:" + words + r")\b", re.I) for kind, words in _DECISIONS.items()}
# The words that ask about a decision, where they differ from those telling of one: a defeat is asked about
# by the loser's verbs, of a contest ("Why did McIlroy lose the final?"), not by "beat" (the winner's), "loss"
# (a firm's) nor "lost" alone ("Why were 300 jobs lost?")
_ASKED = {
    **_TELLS,
    # "Why did Laporte leave Harinordoquy out of the squad?" asks about an omission, not a resignation
    "resignation": re.compile(
        r"\b(?:resign\w*|quit(?:s|ting)?|st(?:ep|eps|epped|epping|and|ands|ood|anding) down|"
        r"le(?:ave|aves|aving|ft)(?!(?:\s+[\w’'-]+){0,4}\s+out\b)|depart\w*|walk(?:s|ed|ing)? out|retire\w*)\b",
        re.I,
    ),
    "defeat": re.compile(
        r"\b(?:lose|loses|lost|losing) (?:to|against|in|the (?:[\w-]+ ){0,3}(?:final|match|game|race|title|election|"
        r"vote|seat|tie|semi-final|contest|battle|case|appeal|fight|bout|round))\b|\b(?:defeated|beaten)\b",
        re.I,
    ),
}
_TAKES_FOR_GRANTED = re.compile(r"^\s*(?:why|when)\b", re.I)
# "What sentence did Darren Pike receive?": a sentence asked for is a verdict too
_ASKS_SENTENCE = re.compile(
    r"\bwhat (?:prison |jail |custodial )?sentence\b|\bhow long (?:a |was the )?(?:prison |jail )?sentence\b", re.I
)


_ASKS_FINE = re.compile(r"\bfined\b|\b(?:a|the|its|his|her|their) (?:\w+ )?fine\b|\bfines\b", re.I)


def asked_decision(question: str) -> str | None:
    """The decision a ``question`` takes for granted (a key of ``DECISION_NAMES``), or None: a verdict in
    any question ("What verdict did the jury reach?", "Was she found guilty?": only an article telling of
    one can answer); the others in a "why" or "when" question: "Why did Vodafone sack its head of Japan?"
    -> "dismissal"; "Why did Kinnock turn down a seat?" -> "refusal"; "Did Kinnock refuse a seat?" -> None
    (it asks whether). A fine, like a verdict, in any question ("How large a fine did Brussels impose?")."""
    if _ASKS_SENTENCE.search(question):
        return "punishment"
    if _TELLS["verdict"].search(question):
        return "verdict"
    if _ASKS_FINE.search(question):
        return "fine"
    if not _TAKES_FOR_GRANTED.match(question):
        return None
    for kind, pattern in _ASKED.items():
        if pattern.search(question):
            return kind
    return None


# A verdict itself, not the word: "found Sam Hollis guilty", not "The verdict came after four hours"
_OUTCOME = re.compile(
    r"\b(?:(?:found|pleaded|pleads|plead|was|were|is|are|not) (?:\w+ ){0,4}guilty|guilty of|"
    r"convicted|acquitted|cleared (?:of|by)|innocent)\b",
    re.I,
)
_ASKS_VERDICT = re.compile(r"\bwhat (?:was the )?verdict\b|\bverdict (?:did|was|has|had)\b", re.I)


def asks_verdict(question: str) -> bool:
    """Whether ``question`` asks what the verdict was ("What verdict did the jury reach in the Hollis
    trial?"), not why or when one was given."""
    return _ASKS_VERDICT.search(question) is not None and not _TAKES_FOR_GRANTED.match(question)


def states_verdict(sentence: str) -> bool:
    """Whether ``sentence`` says what a verdict was: guilty, not guilty, convicted, acquitted, cleared."""
    return _OUTCOME.search(sentence) is not None


# a decision told only to be denied: "No fine was imposed.", "he was not sacked", "never resigned"
_DENIED = re.compile(r"\b(?:no|not|never|nor|without)\s+(?:[\w’'-]+\s+){0,2}$", re.I)


def tells_decision(kind: str, text: str) -> bool:
    """Whether ``text`` (an article) tells of a decision of ``kind`` (as ``asked_decision`` returns), in any of
    its words not denied just before ("No fine was imposed." tells of no fine; a verdict is told either way:
    "not guilty" is one). Raises KeyError for an unknown kind."""
    for told in _TELLS[kind].finditer(text):
        if kind == "verdict" or not _DENIED.search(text, max(0, told.start() - 40), told.start()):
            return True
    return False
