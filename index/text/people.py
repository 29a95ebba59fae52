"""People: whether a question asks for a person, and the people a sentence names that the question does not.

"Who is the new chief executive of UK Coal?" asks for a person, and so does "Which British
writer's book...?"; a sentence answering it names someone the question does not ("led by new
chief executive Gerry Spindler"). A capitalised phrase is taken for a person's name when its
article treats it as one: the surname after a title ("Mr Spindler"), next to a verb of speech
("Spindler said", "said Spindler"), followed by an age (", 54,"), or the phrase after a role
("producer Jon Thoday"). No list of names: surface patterns of news prose, checked by
tests/index/text/test_people.py, and whose use is learned (the ``person`` features of
``citeqa.index.answering.features``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from citeqa.index.text.questions import new_names
from citeqa.index.text.tokens import UPPER, words

__all__ = [
    "accepts_organisation",
    "asked_maker",
    "asks_for_a_person_by_role",
    "asks_for_person",
    "asks_for_someone_unnamed",
    "followed_by_who",
    "is_person",
    "missing_role",
    "names_someone_new",
    "new_people",
    "untold_maker",
]

_TITLE_NAMES = "Mr Mrs Ms Miss Dr Sir Lord Lady Dame Prof Professor Rev President Chancellor Judge Coach Captain"
_TITLES = "(?:" + _TITLE_NAMES.replace(" ", "|") + ")"
_TITLE_WORDS = frozenset(_TITLE_NAMES.lower().split())
_SPEECH = r"(?:said|says|added|told|explained|insisted|claimed|admitted|believes|thinks|argued|warned|revealed)"
_ROLES = (
    "chief executive|ceo|executive|boss|chairman|chairwoman|president|director|manager|coach|minister|secretary|"
    "singer|actor|actress|writer|author|novelist|producer|presenter|comedian|star|player|striker|"
    "midfielder|defender|goalkeeper|captain|spokesman|spokeswoman|founder|leader|designer|musician|"
    "rapper|artist|chef|editor|analyst|economist|mp|msp|mep|candidate|judge|lawyer|governor|"
    "commissioner|chancellor|premier|champion|winner|rival|partner|wife|husband|son|daughter|brother|sister"
)
_ASKS = re.compile(
    r"^\s*who\b|\bwhich (?:\w+ ){0,2}(?:" + _ROLES + r")s?\b"
    r"|\bwhat (?:is|was|are|were) (?:the|his|her|their) (?:real|full|first) names?\b"
    r"|\bwhat (?:is|was|are|were) the names? of the (?:\w+ ){0,3}"
    r"(?:man|men|woman|women|person|people|gamer|boy|girl|" + _ROLES + r")"
    # "What is the name of the firefighter who was injured?": a relative "who" asks for a person
    r"|\bwhat (?:is|was|are|were) the names? of (?:the |a |an )?[\w’' -]{1,50}? who\b",
    re.IGNORECASE,
)


# "Who should I email about a vulnerability?", "Who do we contact ...?": a way to reach someone, an address, a
# desk or a team as well as a person
_ASKS_CONTACT = re.compile(
    r"^\s*who\s+(?:should|do|can|could|must|would|shall)\s+(?:i|we|you|they)\s+(?:email|e-mail|mail|contact|call|"
    r"phone|ring|text|message|write\s+to|speak\s+to|talk\s+to|ask|report\s+(?:\w+\s+)?to|send\s+(?:\w+\s+){1,3}to|"
    r"complain\s+to|turn\s+to|go\s+to)\b",
    re.IGNORECASE,
)


# "Who gets the RSV vaccine?", "Who is eligible for the health check?": those a rule or an offer covers, a group
# ("adults aged 75 to 79", "pregnant women") as well as a person
_ASKS_GROUP = re.compile(
    r"^\s*who\s+(?:gets|get|qualifies|qualify|needs|need"
    r"|can\s+(?:get|have|apply|join|register|claim|use|book|enter|vote|attend|take\s+part)"
    r"|(?:is|are)\s+(?:eligible|entitled|allowed|invited|offered|covered|exempt)"
    r"|should\s+(?:get|have|take|apply|book|attend))\b",
    re.IGNORECASE,
)


def asks_for_person(question: str) -> bool:
    """Whether ``question`` asks for a person: "who ...", "which (British) writer ...", "what is the
    name of the woman ..."; not a who-question asking whom to reach ("Who should I email about ...?"),
    which an address or a team answers as well, nor one asking whom a rule or an offer covers ("Who gets
    the RSV vaccine?"), which a group answers."""
    return bool(_ASKS.search(question)) and not _ASKS_CONTACT.match(question) and not _ASKS_GROUP.match(question)


# Who-questions an organisation answers as well as a person: "Who sponsored the summit?" ("The summit's main
# sponsor was AT&T"), "Who owns the brewery?", "Who bought Rover?". A verb or role of paying, owning, making
# or publishing; not "who runs", "who supplied the cross", "who won": mostly people in news prose.
_FIRM_OR_PERSON = re.compile(
    r"^\s*who\s+(?:"
    r"(?:is|was|are|were)\s+(?:the\s+)?(?:\w+\s+)?(?:sponsors?|owners?|buyers?|bidders?|backers?|funders?|"
    r"manufacturers?|makers?|publishers?|lenders?|insurers?|investors?)\b"
    r"|(?:sponsor(?:s|ed)?|own(?:s|ed)(?!\s+up)|bought|buys|acquired|acquires|purchased|funds|funded|bankrolled|"
    r"manufactures|manufactured|publishes|published|insures|insured)\b"
    # "Who won the contract for the play area?": a firm wins a contract, a tender or a franchise
    r"|(?:won|wins|was\s+awarded|got)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}(?:contract|tender|bid|franchise|"
    r"licen[cs]e|concession)s?\b)",
    re.IGNORECASE,
)


def accepts_organisation(question: str) -> bool:
    """Whether a who-question is answered by an organisation as well as by a person: "Who sponsored the
    summit?", "Who is the owner of ...?", "Who bought ...?" (a sponsor, owner or buyer is often a firm)."""
    return bool(_FIRM_OR_PERSON.match(question))


_WHO_IS_NAME = re.compile(r"^\s*(?i:who)\s+(?:is|was|are|were)\s+(?:[" + UPPER + r"][\w’'.-]*\s*)+\??\s*$")


def asks_for_someone_unnamed(question: str) -> bool:
    """Whether ``question`` asks for a person it does not name, so that an answer must name someone new:
    "Who is Helen Marsh's lawyer?", "which writer ...". Not "Who is Mark Rutte?", which names the
    person and asks what they are."""
    return asks_for_person(question) and not _WHO_IS_NAME.match(question)


# Roles only a person holds: a question asking for one ("Who is the chief executive of SSL?") is not
# answered by a sentence whose only new names are organisations ("... household products group
# Reckitt Benckiser"). Not "owner", "winner", "buyer", "sponsor": a firm can be one.
_PERSON_ROLES = re.compile(
    r"\b(?:chief executive|ceo|boss|chairman|chairwoman|president|director|manager|coach|minister|secretary|"
    r"singer|actor|actress|writer|author|novelist|producer|presenter|comedian|striker|midfielder|defender|"
    r"goalkeeper|captain|spokesman|spokeswoman|designer|musician|rapper|chef|editor|mp|msp|mep|judges?|"
    r"lawyer|governor|commissioner|chancellor|wife|husband|son|daughter|brother|sister|mother|father|"
    r"widow|girlfriend|boyfriend|successor|predecessor|replacement|replaced?|succeeded|real name|"
    # "What is the name of the Georgia woman ...?"
    r"man|woman|men|women|boy|girl|person)\b",
    re.IGNORECASE,
)
# What marks a capitalised phrase as an organisation's name: a word such names end or are made of.
_ORGANISATION = re.compile(
    r"\b(?:Group|plc|PLC|Ltd|Inc|Corp|Corporation|Company|Co|Holdings|Bank|Society|Association|Council|"
    r"Party|Union|Agency|Commission|Department|Ministry|Division|Office|University|College|Institute|"
    r"Foundation|Trust|Club|FC|Airways|Airlines|Motors|Systems|Networks|Media|Records|Studios|Pictures|"
    r"Committee|Board|Authority|Services?|Court|Parliament|Assembly|Government|Police|Federation|League|"
    r"Organisation|Organization|Network|Channel)\b"
)


def asks_for_a_person_by_role(question: str) -> bool:
    """Whether ``question`` asks for a person it does not name by a role only a person holds ("Who is
    the chief executive of SSL?", "Who replaced Amit Yoran as director?"): an organisation is no answer."""
    return asks_for_someone_unnamed(question) and bool(_PERSON_ROLES.search(question))


# The words that may name a role a question asks about, as the starts of words: "Who is Ana Ivanovic's
# coach?" is answered by an article that says "coach", "manager" or "trainer", and by no other. A role
# not listed is looked for by its first five letters ("goalkeeper": "goalk").
_ROLE_FAMILIES = (
    (
        "chief executive ceo boss chairman chairwoman president director",
        r"chief|boss|chair|president|director|head|ceo|executive",
    ),
    ("manager coach", r"manag|coach|trainer|boss"),
    # "Which cabinet minister ...?" answered by "Home Secretary Charles Clarke"
    ("minister secretary chancellor", r"minist|secretar|chancellor|cabinet"),
    ("writer author novelist", r"writ|author|novel|playwright"),
    ("actor actress", r"act|star"),
    ("singer musician rapper", r"sing|music|rapper|band|vocal"),
    ("striker midfielder defender goalkeeper captain", r"strik|midfield|defend|goalk|keeper|captain|forward"),
    # "Which former MP ...?" answered by "Martin Bell, who won the Tatton seat"
    ("mp msp mep", r"mps?\b|msps?\b|meps?\b|member|constituen|seat|parliament|commons"),
    # "Which Conservative education spokesman ...?" answered by "Tim Collins, the shadow education secretary"
    ("spokesman spokeswoman spokesperson", r"spokes|shadow|secretar|minist|press officer|representative"),
    (
        "wife husband son daughter brother sister mother father widow girlfriend boyfriend",
        r"wife|husband|sons?\b|daughter|brother|sister|mother|father|widow|girlfriend|boyfriend|married|partner|child",
    ),
    (
        "successor predecessor replacement replace replaced succeeded",
        r"replac|success|succeed|predecess|t(?:ake|ook|aking|akes|aken) over|in place of|step(?:s|ped|ping)? in",
    ),
)
_GENERIC = frozenset("man woman men women boy girl person people real name".split())
# A who-question asking who made something by the verb of making ("Who directed Meet the Fockers?") asks
# for its maker: the role the verb names (first) and the words an article telling of it uses (second).
_MAKERS = (
    (r"directed|directs", "director", r"direct|film-?maker"),
    (r"produced|produces", "producer", r"produc"),
    (
        r"founded|co-founded|set up|sets up|established",
        "founder",
        r"found(?:ed|er|ers|ing)\b|co-?found|set(?:s|ting)? up|establish|launch|formed\b|start",
    ),
    (r"wrote|writes|penned", "writer", r"wr[io]t|author|penned|novel|script|lyric"),
    (r"composed|composes", "composer", r"compos|wr[io]t"),
    (r"invented|invents", "inventor", r"invent|creat|devis|develop|pioneer|c[ao]me up with"),
    (r"designed|designs", "designer", r"design|creat|develop"),
    (r"created|creates", "creator", r"creat|invent|devis|develop|design|c[ao]me up with|found|set up|start"),
)
_MAKER = re.compile(
    r"^\s*who\s+(?:first\s+|originally\s+|actually\s+)?(" + "|".join(m for m, _, _ in _MAKERS) + r")\b", re.I
)


def asked_maker(question: str) -> tuple[str, str] | None:
    """The maker a who-question asks for by the verb of making, as its role and the pattern of the words
    an answer telling of it uses: "Who directed Meet the Fockers?" -> ("director", "direct|film-?maker"); None
    for any other question."""
    maker = _MAKER.match(question)
    if maker is None:
        return None
    verb = maker.group(1).lower()
    return next((role, family) for made, role, family in _MAKERS if re.fullmatch(made, verb))


def untold_maker(question: str, answer: str) -> str | None:
    """The maker's role (``asked_maker``) when ``answer`` (the answer's sentences) tells of no making: "Who
    directed Boogeyman?" is not answered by "Hotel Rwanda was also a new entry", which names no director
    and tells of no directing. None when the question asks for no maker or the answer tells of one."""
    maker = asked_maker(question)
    if maker is None:
        return None
    role, family = maker
    return None if re.search(r"\b(?:" + family + ")", answer.lower()) else role


def missing_role(question: str, article: str) -> str | None:
    """The role that ``question`` asks a person by (``asks_for_a_person_by_role``: "Who is Ana Ivanovic's
    coach?") when ``article`` uses no word of it, nor of its family ("manager" or "trainer" for "coach"),
    else None. A question naming several roles ("the new chief executive of UK Coal, the biggest coal
    producer") is missing one only when the article uses none of them. A who-question asking who made
    something by the verb of making ("Who directed Meet the Fockers?") asks for its maker: "director" when
    the article tells of no directing ("director", "directed", "film-maker")."""
    text = article.lower()
    maker = asked_maker(question)
    if maker is not None:
        role, family = maker
        return None if re.search(r"\b(?:" + family + ")", text) else role
    if not asks_for_a_person_by_role(question):
        return None
    roles = [m.group(0) for m in _PERSON_ROLES.finditer(question) if m.group(0).lower() not in _GENERIC]
    if not roles:
        return None
    for role in roles:
        named = role.lower()
        words_of_role = next(
            (f for roles_, f in _ROLE_FAMILIES if named in roles_.split() or (" " in named and named in roles_)), None
        )
        if re.search(r"\b(?:" + (words_of_role or re.escape(named[:5])) + ")", text):
            return None
    return roles[0]


def names_someone_new(sentence: str, question: str, document: str) -> bool:
    """Whether ``sentence`` (of ``document``) holds a name the question does not: a capitalised phrase of
    ``new_names`` that is more than a title ("Mrs Marsh" after "Helen Marsh's lawyer?" is not new)
    and, when it is one word opening the sentence, one the document also writes with a capital inside a
    sentence ("Reddy said ..." after "lawyer Tom Reddy"; not "Visitors can see ..."). When the question
    asks for a person by role (``asks_for_a_person_by_role``), an organisation's name does not count."""
    asked = set(words(question))
    by_role = asks_for_a_person_by_role(question)
    for phrase in new_names(sentence, question, document):
        kept = [w for w in words(phrase) if w not in _TITLE_WORDS]
        if not kept or set(kept) <= asked:
            continue
        if by_role and (_ORGANISATION.search(phrase) or _not_a_person(phrase, sentence, asked)):
            continue
        if len(kept) == 1 and sentence.lstrip("\"“'‘ ").startswith(phrase) and not _named_inside(phrase, document):
            continue
        return True
    return False


def _not_a_person(phrase: str, sentence: str, asked: set[str]) -> bool:
    """Whether ``phrase`` (a name in ``sentence``) is no person's name whatever the question: an acronym ("US",
    "BBC"), or the name spelt out before an acronym the question uses ("Hewlett Packard (HP)" after "Why is
    the woman suing HP?")."""
    if phrase.isupper():
        return True
    after = sentence[sentence.find(phrase) + len(phrase) :]
    spelt = re.match(r"\s*\(([A-Z][A-Z0-9&]+)\)", after)
    return spelt is not None and spelt.group(1).lower() in asked


def _named_inside(word: str, document: str) -> bool:
    """Whether ``word`` stands capitalised in ``document`` somewhere other than at a sentence's start."""
    at = document.find(word)
    while at >= 0:
        end = at + len(word)
        before = document[max(0, at - 12) : at].rstrip()
        if before and before[-1] not in '.!?"“\n' and (end == len(document) or not document[end].isalnum()):
            return True
        at = document.find(word, at + 1)
    return False


# A title inside a capitalised phrase: the words after it name a person ("Prime Minister Ishiba Shigeru",
# "Employment Judge Margaret Olusanya", "Prof. Émilie Vasseur-Obi"), unless they name an organisation.
_TITLE_INSIDE = re.compile(
    r"\b(?:Minister|Secretary|President|Judge|Chancellor|Governor|Senator|Commissioner|Mayor|Ambassador|"
    r"Inspector|Sergeant|Detective|Constable|Professor|Prof|Colonel|Admiral|Bishop|Archbishop|Cardinal)"
    # "Secretary General Mark Rutte": the name is "Mark Rutte"; "NATO Secretary General" names no one
    r"(?: General)?\.?(?! General$)((?: [" + UPPER + r"][\w’'-]*)+)$"
)


def followed_by_who(phrase: str, text: str) -> bool:
    """Whether ``text`` goes on after ``phrase`` with "who" ("the local brewer Samuel Hartley, who gave
    £9,000"): said of people. Not one of ``is_person``'s marks, whose use the ranker learned without it;
    a follow-up's "he" reads it (``citeqa.index.text.conversation``)."""
    return any(_WHO_AFTER.match(text, at + len(phrase)) for at in _occurrences(phrase, text))


def is_person(phrase: str, document: str) -> bool:
    """Whether ``document`` treats the capitalised ``phrase`` as a person's name (see the module)."""
    parts = phrase.split()
    if not parts or not parts[0][:1].isupper():
        return False
    titled = _TITLE_INSIDE.search(phrase)
    if titled is not None and not _ORGANISATION.search(titled.group(1)):
        return True
    marks = _marks(document)
    if parts[-1] in marks.named:
        return True
    if len(parts) == 1:
        return False
    for at in _occurrences(phrase, document):
        if at + len(phrase) in marks.ages or _ROLE_BEFORE.search(document, max(0, at - 40), at):
            return True
    return False


@dataclass(frozen=True)
class _Marks:
    """What marks names as people's in one document: ``named`` holds each word written after a title, or
    next to a verb of speech (and its parts split at hyphens and apostrophes); ``ages`` the offsets
    where an age in commas starts (", 54,")."""

    named: frozenset[str]
    ages: frozenset[int]


_CAPITALISED = "[" + UPPER + r"][\w’'-]*"
_TITLED = re.compile(_TITLES + r"\.? (" + _CAPITALISED + "(?: " + _CAPITALISED + "){0,2})")
_SPEAKS = re.compile(r"\b(" + _CAPITALISED + r"),? " + _SPEECH + r"\b")
_SPOKEN_OF = re.compile(r"\b" + _SPEECH + r",? (?:\w+ )?(" + _CAPITALISED + ")")
_SPOKEN_OF_NEXT = re.compile(r"\b" + _SPEECH + r",? (" + _CAPITALISED + ")")
_AGE = re.compile(r", \d{1,3},")
_WHO_AFTER = re.compile(r",? (?:who|whom|whose)\b")
_ROLE_BEFORE = re.compile(r"\b(?:" + _ROLES + r") $", re.IGNORECASE)
_PIECES = re.compile(r"[-'’]")


@lru_cache(maxsize=256)
def _marks(document: str) -> _Marks:
    named: set[str] = set()
    for pattern in (_TITLED, _SPEAKS, _SPOKEN_OF, _SPOKEN_OF_NEXT):
        for match in pattern.finditer(document):
            for word in match.group(1).split():  # "Prof. Émilie Vasseur-Obi": each word of the name after a title
                named.add(word)
                named.update(piece for piece in _PIECES.split(word) if piece)
    return _Marks(frozenset(named), frozenset(m.start() for m in _AGE.finditer(document)))


def _occurrences(phrase: str, document: str) -> list[int]:
    found, at = [], document.find(phrase)
    while at >= 0:
        found.append(at)
        at = document.find(phrase, at + 1)
    return found


def new_people(sentence: str, question: str, document: str) -> list[str]:
    """Names of people in ``sentence`` (part of ``document``) that ``question`` does not name. A name after a
    title inside the phrase that shares a word with the question is the person it names ("Former Japanese
    Prime Minister Kishida Fumio" after "Who succeeded Kishida?")."""
    out = []
    for phrase in (p.strip() for p in new_names(sentence, question, document)):
        titled = _TITLE_INSIDE.search(phrase)
        if titled is not None and set(words(titled.group(1))) & set(words(question)):
            continue
        if is_person(phrase, document):
            out.append(phrase)
    return out
