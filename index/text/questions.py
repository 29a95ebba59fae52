"""What a question asks for, and whether a sentence holds that kind of thing.

Question types: ``who`` (a person or organisation), ``name`` (which X / what is the name of),
``when`` (a date or year), ``amount`` (a number, sum, duration), ``score`` (a result such as
28-17), ``where`` (a place), ``why`` (a cause), ``definition`` (what is X / acronym
expansion) and ``other``. ``type_match`` scores a sentence for a type using surface patterns
(capitalised names not already in the question, dates, numbers and number words, causal
phrasing, a parenthesised acronym), never a list of answers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from citeqa.index.text.measures import CODED_SUM, CURRENCY_CODES, ERA, gives_measure
from citeqa.index.text.tokens import STOPWORDS, UPPER, content_terms, normalise, words

_MONTHS = "january february march april may june july august september october november december"
_MONTH = "(?:" + "|".join(_MONTHS.split()) + ")"
# a month's name written out or cut short ("March", "Mar", "Sept"); read in lower case, so used with re.IGNORECASE
MONTH_WORD = "(?:" + "|".join(m[:3] for m in _MONTHS.split()) + ")[a-z]*"
# a count and a unit of time, for spans counted from an event ("within 40 working days")
_COUNT = r"(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_SPAN = r"(?:(?:working|business|calendar|school|clear)\s+)?(?:days?|weeks?|months?|years?)\b"
# a year before 1800, or an era's: "c. 1250 BC", "AD 1140", "in 1536", "the 12th century" (a heritage site's dates)
_HISTORICAL = ERA + r"|\b(?:in|from|until|till|by|since|around|about|before|after|circa|between)\s+1[0-7]\d\d\b(?!\.\d)"
_DATE = re.compile(
    _HISTORICAL
    + r"|\b(?:(?:1[89]\d\d|20\d\d)(?!\.\d)|\d{1,2}(?:st|nd|rd|th)?\s+"
    + _MONTH
    + "|"
    + _MONTH
    + r"(?:\s+\d{1,2})?|(?:last|next|this) (?:year|month|week|season|spring|summer|autumn|winter)"
    r"|yesterday|today|tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d{4}s)\b"
    # a time of day answers "when" too ("sails at 7am", "at 9 a.m.", "at 19:30", "at noon")
    r"|\b\d{1,2}(?:[:.]\d\d)?\s?(?:am|pm)\b|\b\d{1,2}(?:[:.]\d\d)?\s?[ap]\.m\.|\b\d{1,2}:\d\d\b"
    r"|\b(?:noon|midday|midnight|dawn|dusk)\b|\bo'clock\b"
    # a point of a life or a course, counted from its start or from another event: "at 8 weeks", "from 16 weeks
    # of pregnancy", "aged 12 to 13 years", "8, 12 and 16 weeks" (when a baby gets a vaccine), "within 40 working
    # days", "2 days before the appointment"
    r"|\b(?:at|from|between|after|by|within|until|aged?)\s+"
    + _COUNT
    + r"(?:\s*(?:,|and|or|to|-|–)\s*\d{1,3})*\s+"
    + _SPAN
    + r"|\b\d{1,3}(?:\s*,\s*\d{1,3})*,?\s+(?:and|or|to)\s+\d{1,3}\s+"
    + _SPAN
    + r"|\b"
    + _COUNT
    + r"\s+"
    + _SPAN
    + r"\s+(?:before|after|ahead|beforehand|ago|later|earlier)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty hundred "
    "thousand million billion trillion half dozen"
)
_AMOUNT = re.compile(
    r"[$£€]\s?\d|\d[\d,.]*\s?(?:%|m\b|bn\b|million|billion|trillion)|\b\d[\d,.]*\b|\b(?:"
    + "|".join(_NUMBER_WORDS.split())
    + r")(?:[- ](?:years?|months?|weeks?|days?|hours?|minutes?|per cent|percent))?\b",
    re.IGNORECASE,
)
_SCORE = re.compile(
    r"\b\d{1,3}\s?-\s?\d{1,3}\b|\b\w+ to \w+ (?:majority|vote)\b|\b(?:one|two|three|four|five|six|seven"
    r"|eight|nine|ten) to (?:one|two|three|four|five|six|seven|eight|nine|ten)\b",
    re.IGNORECASE,
)
_NAME = re.compile(
    # a middle initial inside a name ("Peter O. Grant", "Alan R. Whitby") does not end it
    r"\b[" + UPPER + r"][\w’'&.-]*[^\W_A-Z][\w’'&-]*"
    r"(?:\s+(?:of\s+|de\s+|the\s+)?(?:[" + UPPER + r"]\.\s+)*[" + UPPER + r"][\w’'&-]+)*"
    r"|\b[A-Z](?:[A-Z]|&(?=[A-Z]))*[A-Z]\b"  # acronyms, and names with "&" (AT&T, S&P, M&S) as one
    # symbol names: C++, C#, F#, .NET, 4G; a letter alone ("C remains the language"), not "A", "I" or an initial
    r"|\b[A-Z](?:\+\+|#)(?!\w)|(?<!\w)\.NET\b|\b\d[GK]\b|\b(?![AI]\b)[A-Z]\b(?![.'’&-])"
)
_CAUSE = re.compile(
    r"\b(?:because|due to|as a result|since|so that|in order to|led to|leading to|caused|forced|blamed|"
    r"after|mistake|error|errors|reason|hopes to|aims? to|to avoid|in a bid to|following|"
    r"blames?|blaming|convinc\w+|prompt(?:ed|ing|s)|trigger(?:ed|ing|s)|spark(?:ed|ing|s)|thanks to|owing to|"
    r"amid|attribut\w+ to|stem(?:s|med|ming) from|result(?:ed|ing|s)? (?:of|from)|so as to|"
    r"concern(?:s|ed)? (?:that|about|over))\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?<!\d\.)(?:1[89]\d\d|20\d\d)\b(?!\.\d)")  # not "1967.21.3", an accession number
_ASKED_YEAR = re.compile(_YEAR.pattern + "|" + _HISTORICAL, re.IGNORECASE)
_AGE = re.compile(
    r"\baged? \d{1,3}\b|\b\d{1,3}-year-old\b|,\s?\d{1,3},|\(\d{1,3}\)|\b\d{1,3} years old\b"
    r"|\bwho (?:is|was|turned|turns|will turn) \d{1,3}\b|\bage of \d{1,3}\b",
    re.IGNORECASE,
)
# "How old is the mummy case?": "made c. 1250 BC" says
_AGE_OR_ERA = re.compile(_AGE.pattern + "|" + _HISTORICAL, re.IGNORECASE)
_MONEY = re.compile(
    CODED_SUM + r"|[$£€¥]\s?\d"
    r"|\b\d[\d,.]*\s?(?:m|bn|k|million|billion|trillion)?\s?(?:pounds|dollars|euros|yen|francs|rand|rupees)\b"
    r"|\b\d[\d,.]*(?:m|bn)\b"
    # pence and cents, in lower case: "5p per gram", "50 cents" (not the "p" of "3 p.m.", nor the rapper 50 Cent)
    r"|\b\d[\d,.]*\s?(?-i:pence|cents?|p(?![.\s]?m\b))\b",
    re.IGNORECASE,
)
_CURRENCY = re.compile(CURRENCY_CODES)
_MONEY_ASK = re.compile(
    r"\b(?:pay|paid|cost|costs|price|fee|worth|spend|spent|bail|fine|fined|prize|salary|sum)\b", re.I
)
_PLACE = re.compile(
    r"\b(?:in|at|near|from|on|outside)\s+(?:the\s+)?(?:[" + UPPER + r"][\w’'-]+['’]s\s+)?[" + UPPER + r"][\w’'-]+"
)
# Names (also C++, C#, .NET, AT&T), acronyms and numbers (also 4G); matched on normalise(question).
_SPECIFIC = re.compile(
    r"(?<!^)(?<![.?!]\s)(?:\.(?=[A-Z]{2}))?\b[" + UPPER + r"][\w’'&-]*(?:\+\+|#)?|\b\d[\d,.]*(?:[A-Z]+)?\b"
)


# "According to the Tories, how much ...", "At his trial, how long ...", "When X returned, the party would
# not say ... - who was ...?": the question proper follows the comma or dash (a leading "when" not followed
# by a verb such as "did" opens a clause, not the question)
_LEAD_CLAUSE = re.compile(
    r"^(?!(?:who|whom|whose|what|which|where|why|how|is|are|was|were|did|does|do|has|have|had|will|would|can|could|"
    r"should)\b)(?!when (?:did|does|do|is|was|were|are|will|would|could|"
    r"can|has|have|had|should|might|must)\b)[^?]{3,200}?(?:,|\s[-–—])\s+(?=(?:who|whom|whose|what|which|when|where|"
    r"why|how)\b)"
)
# "To which audience ...", "By how much ...": a preposition before the wh-word
_LEAD_PREPOSITION = re.compile(
    r"^(?:to|in|at|for|from|with|by|on|of|under|into|against|after|before|during|over|through)\s+"
    r"(?=(?:which|what|whom|whose|how)\b)"
)
_AMOUNT_NOUNS = (
    "profit|loss|price|cost|fee|salary|sum|percentage|rate|share|stake|proportion|fraction|budget|speed|number|"
    "total|figure|amount|revenue|turnover|sales|debt|deficit|valuation|value|fine|payout|bonus|wage|attendance|"
    "crowd|population|capacity|majority|distance|height|weight|age|temperature|score|tally|margin|bill|damages|size"
)
_HOW_AMOUNT = re.compile(
    r"how (?:many|much|big|long|large|old|far|high|low|fast|quickly|soon|often|tall|deep|wide|heavy|short|small|"
    r"strong|close)\b"
)
_WH_WORDS = frozenset("who whom whose what which when where why how".split())
_ROLE_NOUNS = re.compile(
    r"\b(?:chairman|chairwoman|chief|boss|director|actor|actress|singer|player|manager|coach|captain|creator|"
    r"founder|owner|maker|predecessor|successor|replacement|author|writer|producer|presenter|winner|candidate|"
    r"leader|spokesman|inventor|designer|star|minister|president|head|editor|rival|partner|champion)s?\b"
)


def question_type(question: str) -> str:
    """The kind of thing ``question`` asks for (see the module): ``who``, ``name``, ``when``, ``amount``,
    ``score``, ``where``, ``why``, ``definition`` or ``other``.

    A clause before the question proper ("According to the Tories, how much ...") and a preposition
    before its wh-word ("To which audience ...", "By how much ...") are looked past; a search-box
    query without a wh-word ("Southcorp chairman name", "Air Jamaica debts how much") is typed by
    its words. Read as matching reads it (``normalise``): "What is NSATU？" is a definition question."""
    original = normalise(question).lower().strip()
    q = _LEAD_PREPOSITION.sub("", _LEAD_CLAUSE.sub("", original))
    first = words(q)[:4]
    if not first:
        return "other"
    if re.search(r"\b(?:by )?what (?:score|majority|margin)\b", q):
        return "score"
    if first[0] in ("who", "whom", "whose"):
        return "who"
    if first[0] == "when" or re.search(r"\b(?:what|which|in what) (?:year|date|day|month)\b", original):
        return "when"
    if _HOW_AMOUNT.match(q):
        return "amount"
    if re.search(r"\bwhat (?:was|is|were) (?:the |[\w-]+['’]s )(?:[\w-]+ )?(?:size|" + _AMOUNT_NOUNS + r")s?\b", q):
        return "amount"
    if re.match(r"(?:what|which) (?:[\w-]+ ){0,2}(?:" + _AMOUNT_NOUNS + r")s?\b", q):
        return "amount"
    if first[0] == "where" or re.search(
        r"\bin (?:which|what) (?:[\w-]+ )?(?:city|country|town|village|county)\b", original
    ):
        return "where"
    if re.match(r"what (?:is|was|are|were) the (?:[\w-]+ )?names?\b", q):
        return "name"
    if first[0] == "why" or re.search(r"\bwhat (?:caused|led to)\b", q):
        return "why"
    if re.match(r"^(?:what|who)\s+(?:is|are|was|were|does)\s+(?:an?\s+|the\s+)?[\w\s.&-]{1,40}(?:stand for)?\??$", q):
        return "definition"
    if first[0] == "which" or re.search(
        r"\b(?:what|which) (?:is|was) the (?:name|title)\b|\bwhat (?:[\w-]+ )?(?:name|title|nickname)\b", q
    ):
        return "name"
    if not _WH_WORDS & set(words(q)) or re.search(r"\bhow (?:much|many)\s*\??$", q):
        return _query_type(q)
    return "other"


def _query_type(query: str) -> str:
    """The type of a search-box query without a wh-word, by its words."""
    if re.search(r"\bhow (?:much|many)\b|\b(?:" + _AMOUNT_NOUNS + r"|spending|debts)\b", query):
        return "amount"
    if re.search(r"\b(?:year|date)\b", query):
        return "when"
    if re.search(
        r"\b(?:name|title|nickname|city|town|country|team|club|band|company|firm)\b", query
    ) or _ROLE_NOUNS.search(query):
        return "name"
    return "other"


def acronyms(question: str) -> list[str]:
    """The acronyms of ``question``: capitals ("NSATU", "AT&T"), or mostly capitals ("HFpEF", "PhD"),
    not a capitalised name ("McDonald"); fullwidth letters read as their ASCII forms ("ＮＳＡＴＵ")."""
    found = re.findall(r"\b[A-Z][A-Za-z0-9&]{1,9}\b", normalise(question))
    return [w for w in found if sum(ch.isupper() for ch in w) > max(1, sum(ch.islower() for ch in w))]


_JOINING = frozenset("of and for the in on to a an &".split())


def spells_out(acronym: str, sentence: str) -> bool:
    """Whether ``sentence`` gives ``acronym``'s words right after it, in brackets or after a dash or colon,
    their initials spelling it: "the VPN (virtual private network)", "ISO - Information Security Officer",
    "RPO: recovery point objective" (joining words such as "of" and "and" may be left out of the initials)."""
    letters = [ch.lower() for ch in acronym if ch.isalpha()]
    for after in re.finditer(re.escape(acronym) + r"\s*(?:\(|[-–—:]\s)\s*([^()\n:;.]{3,80})", sentence):
        spelt = re.findall(r"[^\W\d_][\w’'-]*", after.group(1))
        initials = [w[0].lower() for w in spelt[: len(letters) + 4]]
        content = [w[0].lower() for w in spelt[: len(letters) + 4] if w.lower() not in _JOINING]
        if initials[: len(letters)] == letters or content[: len(letters)] == letters:
            return True
    return False


@lru_cache(maxsize=256)
def _expansion(acronym: str) -> re.Pattern[str]:
    letters = [c for c in acronym if c.isalpha()]
    joint = r"(?:[\s-]+(?:(?:of|and|for|the|in|on|to|&)\s+)?)"
    return re.compile(r"\b" + joint.join(f"{c.upper()}[a-z]+" for c in letters) + r"\b")


def expanded_in(acronym: str, text: str) -> bool:
    """Whether ``text`` writes out ``acronym`` (2 to 6 capitals, a possessive's "'s" aside) as capitalised words
    whose initials spell it: "IB" in "the International Baccalaureate Diploma", "VC's" in "the Vice-Chancellor"
    (joining words such as "of" may come between). A question's acronym a small corpus never uses is not
    unknown when its words are there."""
    bare = re.sub(r"['’]s$", "", acronym)
    if not re.fullmatch(r"[A-Z]{2,6}", bare):
        return False
    return _expansion(bare).search(text) is not None


# a model or a code: letters then a digit, joined or by a hyphen, or by a space before a number with a hyphen or
# a letter ("WM-8400X", "TD-7200H", "DW 60-2", "dw 60-1", "E21", "R290", "A380", "MP3"; not "at 60", "5 GHz")
_MODEL_CODE = re.compile(r"(?<![\w-])(?P<letters>[A-Za-z]{1,4})(?:-?\d[\w-]*|\s\d+(?:-\w+|[A-Za-z]\w*))(?![\w-])")


def model_codes(text: str) -> dict[str, str]:
    """The models and codes ``text`` names, by their letters and digits in lower case, as written ("dw602": "DW
    60-2")."""
    return {
        re.sub(r"[\W_]", "", m.group(0)).casefold(): m.group(0)
        for m in _MODEL_CODE.finditer(text)
        if not (m.group("letters").islower() and m.group("letters") in STOPWORDS)  # "at 60-65", not "A380"
    }


# a thing numbered within its kind: "Stage 2", "Gallery 5", "Court 3", "Year 9" (capitalised where a page names it)
_NUMBERED = re.compile(r"\b(?P<word>[A-Za-z]{3,12})\s(?P<number>\d{1,3})\b(?![.,:]?\d)")


def numbered_names(text: str, capitalised: bool = True) -> dict[str, set[str]]:
    """The things ``text`` names by a word and a number, as each word (in lower case) with its numbers: "Stage 2 and
    Stage 3" gives {"stage": {"2", "3"}}. With ``capitalised`` (a page's text), only capitalised words, "Stage 2",
    not "aged 8"; without (a question as typed: "how long is a stage 4 lesson"), any word but a function word."""
    found: dict[str, set[str]] = {}
    for m in _NUMBERED.finditer(text):
        word = m.group("word")
        if word[0].isupper() if capitalised else word.casefold() not in STOPWORDS:
            found.setdefault(word.casefold(), set()).add(m.group("number"))
    return found


def value_kinds(sentence: str) -> frozenset[str]:
    """The kinds of value ``sentence`` gives, of those a later notice may change: "date" (a date or a time of
    day: "1 July 2026", "9:00"), "money" ("£12.50") and "phone" ("0800 555 0300")."""
    kinds = {"date"} if _DATE.search(sentence) else set()
    if _MONEY.search(sentence):
        kinds.add("money")
    if gives_measure("phone", sentence, ""):
        kinds.add("phone")
    return frozenset(kinds)


def written_out(word: str, text: str) -> str | None:
    """How ``text`` writes out ``word``, an acronym as a question may type it, in capitals or not ("bsl", "EV"):
    the first run of capitalised words whose initials spell it ("British Sign Language"), else None."""
    if not re.fullmatch(r"[A-Za-z]{2,5}", word):
        return None
    found = _expansion(word.upper()).search(text)
    return found.group(0) if found else None


def new_names(sentence: str, question: str, context: str = "") -> list[str]:
    """Capitalised phrases of ``sentence`` that are not already in the question.

    A capital that only starts the sentence (or a quote) is not a name unless the word never
    appears in lower case in ``context`` (the document): "Ishiba said" counts, "Despite" does not.
    """
    return list(_new_names(sentence, question, context))


@lru_cache(maxsize=256)
def _new_names(sentence: str, question: str, context: str) -> tuple[str, ...]:
    """``new_names``, kept for the sentences read last: a candidate sentence of a "who" question is read
    for the kind of thing it holds and again for the people it names."""
    asked = _word_set(question)
    found = []
    for match in _NAME.finditer(sentence):
        phrase = match.group(0)
        if _CURRENCY.fullmatch(phrase) and sentence[match.end() :].lstrip()[:1].isdigit():
            continue  # "EUR 29,000": a sum's currency, no name
        before = sentence[: match.start()].rstrip()
        if not before or before.endswith((".", "!", "?", '"', "“")):
            first, _, rest = phrase.partition(" ")
            if _in_lower_case(first.lower(), context or first.lower()):
                phrase = rest
        name_words = _word_set(phrase) - STOPWORDS
        if name_words and not name_words <= asked:
            found.append(phrase)
    return tuple(found)


@lru_cache(maxsize=4096)
def _word_set(text: str) -> frozenset[str]:
    """The ``words`` of ``text`` as a set, kept for the texts used last (a question is read for each of
    its candidate sentences, an article's names for each of its sentences naming them)."""
    return frozenset(words(text))


def _in_lower_case(word: str, context: str) -> bool:
    """Whether ``word`` (lower case) stands as a whole word in ``context``."""
    if word.isalnum():
        return _stands_alone(word, context)
    return re.search(r"\b" + re.escape(word) + r"\b", context) is not None


def _stands_alone(word: str, context: str) -> bool:
    """Whether ``word`` (letters and digits only) is one of the ``\\w+`` runs of ``context``: an occurrence
    with no word character (``isalnum`` or "_", as ``re``'s ``\\w``) either side. Scans for the word
    (``str.find``) instead of splitting the article into its words: a few us, not ~90, for an article
    no earlier question has read."""
    size, at = len(word), context.find(word)
    while at >= 0:
        end = at + size
        before = context[at - 1] if at else " "
        after = context[end] if end < len(context) else " "
        if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
            return True
        at = context.find(word, at + 1)
    return False


def type_match(kind: str, sentence: str, question: str, context: str = "") -> float:
    """1.0 when ``sentence`` holds the kind of thing asked for, 0.0 when not; 0.5 for ``other``."""
    if kind in ("when", "amount", "score"):
        return _fresh(_asked_pattern(kind, question), sentence, question)
    if kind == "who":
        identity = _IDENTITY.match(question)
        if identity:  # "Who is Zoë Marchetti?" asks what she is: a sentence about her, not a new name
            return 1.0 if set(words(identity.group("name"))) <= set(words(sentence)) else 0.0
        names = new_names(sentence, question, context)
        return 1.0 if any(" " in n.strip() for n in names) else 0.5 if names else 0.0
    if kind == "name":
        return 1.0 if new_names(sentence, question, context) else 0.0
    if kind == "where":
        return 1.0 if any(not set(words(m)) <= set(words(question)) for m in _PLACE.findall(sentence)) else 0.0
    if kind == "why":
        return 1.0 if _CAUSE.search(sentence) else 0.0
    if kind == "definition":
        for acronym in acronyms(question):
            if re.search(
                r"\(" + re.escape(acronym) + r"\)|" + re.escape(acronym) + r",? (?:which )?stands for", sentence
            ) or spells_out(acronym, sentence):
                return 1.0
        return 0.5
    return 0.5


# "Who is/was <a name>?": nothing but a capitalised name after the verb (not "Who is Ana Ivanovic's coach?")
_IDENTITY = re.compile(
    r"\s*(?i:who\s+(?:is|was|are|were))\s+(?P<name>["
    + UPPER
    + r"][\w.’'-]*(?:\s+["
    + UPPER
    + r"][\w.’'-]*)*)\s*[?.!]*\s*$"
)


@lru_cache(maxsize=1024)
def _asked_pattern(kind: str, question: str) -> re.Pattern[str]:
    """What a sentence must hold to answer a "when", "amount" or "score" ``question``: a year ("what year"),
    a date, an age ("how old"), a sum of money ("how much ... pay"), an amount or a score. Kept for the
    questions read last: a question is read once for each of its candidate sentences."""
    if kind == "when":
        return _ASKED_YEAR if re.search(r"\bwhat year\b|\bwhich year\b", question, re.IGNORECASE) else _DATE
    if kind == "score":
        return _SCORE
    if re.search(r"\bhow old\b", question, re.IGNORECASE):
        return _AGE_OR_ERA
    if re.match(r"\s*how much\b", question, re.IGNORECASE) and _MONEY_ASK.search(question):
        return _MONEY
    return _AMOUNT


def _fresh(pattern: re.Pattern[str], sentence: str, question: str) -> float:
    """1.0 when the pattern matches something in the sentence that the question does not already say."""
    asked = question.lower()
    return 1.0 if any(m.group(0).lower() not in asked for m in pattern.finditer(sentence)) else 0.0


# words that ask rather than match: "how large", the "money" of "how much money", "else" ("what else")
_FORM = re.compile(
    r"\bhow\s+(?:large|big|long|far|old|often|tall|high|wide|deep|heavy|soon|late|early|fast|small|short)\b"
    r"|(?<=\bhow much )money\b|\belse\b|(?<=\bwhat )(?:kind|sort|type)s? of\b"
    # "What does HFpEF stand for / mean?", "What is NSATU short for?": they ask for a definition
    r"|\b(?:stands?|stood) for(?!\s+(?:re-?)?election\b|\s+office\b|\s+parliament\b|\s+president\b)"
    r"|\b(?:mean|means|meant)(?=\s*\??\s*$)|\bshort for\b|\b(?:an )?(?:abbreviation|acronym) (?:for|of)\b"
    # the asker's hedges: "Roughly how many ...?", "Why did he reportedly quit?" (the article need not say them)
    r"|\b(?:roughly|approximately|exactly|precisely|reportedly|allegedly|supposedly|apparently)\b"
    r"|\b(?:around|about|nearly|almost|just)\s+(?=how\b)",
    re.IGNORECASE,
)


def other_year(question: str, sentence: str, article: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(asked, given)``: the years ``question`` names that ``article`` never mentions, and the other years
    ``sentence`` (a sentence of ``article``) names instead; both empty unless ``asked`` is non-empty and
    the sentence names another year or no year at all (a year it names relatively, "last year", may be
    the one asked for: then both are empty too).

    "How much was the brewery fined in 2004?" answered by "... was fined £40,000 in 2002 ..." from an
    article that never says 2004 is another year's case (a near miss), not the answer; so is "When did
    Rutte visit Japan in 2019?" answered by "Rutte visited Japan on April 8-9." (``given`` empty)."""
    asked = tuple(dict.fromkeys(y for y in _YEAR.findall(question) if y not in article))
    if not asked:
        return _other_quarter(question, sentence, article)
    given = tuple(dict.fromkeys(y for y in _YEAR.findall(sentence) if y not in asked))
    if not given and _RELATIVE_YEAR.search(sentence):
        return (), ()
    return asked, given


# a quarter of a year, as "Q2" or "the second quarter"
_QUARTER = re.compile(r"\b(?:Q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th) quarter)\b", re.IGNORECASE)
_QUARTER_NUMBER = {
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "1st": "1",
    "2nd": "2",
    "3rd": "3",
    "4th": "4",
}


def _quarters(text: str) -> list[str]:
    return [f"Q{m.group(1) or _QUARTER_NUMBER[m.group(2).lower()]}" for m in _QUARTER.finditer(text)]


def _other_quarter(question: str, sentence: str, article: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``other_year`` for the quarters of a year: "What was the revenue in Q2?" is not answered by "Revenue
    for Q3 was EUR 1.27 million" from minutes that never mention the second quarter."""
    mentioned = set(_quarters(article))
    asked = tuple(dict.fromkeys(q for q in _quarters(question) if q not in mentioned))
    if not asked:
        return (), ()
    given = tuple(dict.fromkeys(q for q in _quarters(sentence) if q not in asked))
    return (asked, given) if given else ((), ())


_RELATIVE_YEAR = re.compile(
    r"\b(?:last|this|next|previous|past|coming|that) (?:year|season|decade)\b"
    r"|\b(?:a|one|two|\d+) years? (?:ago|earlier|later)\b|\b(?:year|years) (?:ago|earlier|before)\b",
    re.IGNORECASE,
)


# "from Delaware to Australia": the two ends of a move, a transfer, a change (up to a preposition, a comma or the end)
_ROUTE = re.compile(
    r"\bfrom (?P<origin>[^,;:?!()]{1,40}?) to (?P<destination>[^,;:?!()]{1,40}?)"
    r"(?=\s+(?:in|on|at|for|after|before|by|during|over|with|and|but|when|because|as)\b|[,;:?!().]|$)",
    re.IGNORECASE,
)


def reversed_route(question: str, sentence: str) -> tuple[str, str] | None:
    """``(origin, destination)`` as ``sentence`` gives them when it names the two ends of the question's "from
    A to B" the other way round, B to A, and never A to B: the question's premise is false ("Why did News
    Corporation move from Delaware to Australia?" over "... the transfer of its domicile from Australia to the
    US state of Delaware"). None otherwise."""
    asked = _ROUTE.search(question)
    if asked is None:
        return None
    origin, destination = (set(content_terms(asked.group(g))) for g in ("origin", "destination"))
    if not origin or not destination or origin & destination:
        return None
    for given in _ROUTE.finditer(sentence):
        there, back = (set(content_terms(given.group(g))) for g in ("origin", "destination"))
        if origin & there or destination & back:
            return None  # the same way round, or a muddle: nothing said against the question
        if origin & back and destination & there:
            return given.group("origin").strip(), given.group("destination").strip()
    return None


_TEAM = "[" + UPPER + r"][\w’'.-]*(?: (?:of |de |van |von )?[" + UPPER + r"][\w’'.-]*)*"
_OWNED = r"(?:[" + UPPER + r"][\w’'.-]*['’]s )?"  # "Sweden's Thomas Enqvist"
# who won: "X beat Y", "X rallied to beat Y", "X lost to Y", "X was beaten by Y" (the winner first, then the loser)
_RESULTS = (
    re.compile(
        rf"(?P<winner>{_TEAM})(?: [a-z]+){{0,2}} (?:to )?(?:beat|beats|defeated|defeats|defeat|overcame|"
        rf"edged|edged out|thrashed|knocked out|saw off) (?:the )?{_OWNED}(?P<loser>{_TEAM})"
    ),
    re.compile(
        rf"(?P<loser>{_TEAM}) (?:lost|loses|lose|fell|went down|slipped)(?: [\w-]+){{0,4}}? to (?:the )?"
        rf"{_OWNED}(?P<winner>{_TEAM})"
    ),
    re.compile(rf"(?P<loser>{_TEAM}) (?:was|were|is|are) (?:beaten|defeated) by {_OWNED}(?P<winner>{_TEAM})"),
)


def _results(text: str) -> list[tuple[set[str], set[str], str]]:
    """(winner's terms, loser's terms, the words saying so) of every "X beat Y" form in ``text``."""
    out = []
    for pattern in _RESULTS:
        for m in pattern.finditer(text):
            winner, loser = set(content_terms(m.group("winner"))), set(content_terms(m.group("loser")))
            if winner and loser and not winner & loser:
                out.append((winner, loser, m.group(0)))
    return out


def reversed_result(question: str, sentence: str) -> str | None:
    """The words of ``sentence`` saying the question's loser beat its winner ("Why did Andy Roddick lose to
    Thomas Enqvist?" over "Andy Roddick rallied to beat Sweden's Thomas Enqvist"): a false premise. None when
    the question tells of no result, or the sentence gives none the other way round, or also the same way."""
    asked = _results(question)
    if not asked:
        return None
    given = _results(sentence)
    for winner, loser, _ in asked:
        if any(winner & won and loser & lost for won, lost, _ in given):
            return None
        for won, lost, saying in given:
            if loser & won and winner & lost:
                return saying
    return None


# What a sentence says is not given: a person left unnamed, a sum undisclosed, a detail someone would not say.
_UNNAMED = re.compile(
    r"\b(?:(?:was|were|is|are|has|have|had) not (?:yet )?(?:been )?(?:named|identified)|"
    # "an unnamed source said ...": someone speaking unnamed, not the person asked for
    r"(?:unnamed|unidentified)(?! (?:sources?|officials?|spokes(?:man|woman|person)|insiders?|executives?|aides?|"
    r"diplomats?|analysts?|people|persons?|friends?)\b)|"
    r"(?:declined|refused|did not want) to (?:name|identify)|(?:did|does|do|would|will|could) not (?:name|identify)|"
    r"(?:asked|wished|wants?|wanted) not to be (?:named|identified))\b",
    re.IGNORECASE,
)
# "known only by his gaming moniker Deathifier": his real name, asked for, is not given (his moniker is)
_KNOWN_ONLY = re.compile(
    r"\b(?:known|identified|referred to) only (?:by|as)\b|\bnot (?:his|her|their) (?:real|full) name\b", re.IGNORECASE
)
# "The ship's name has not yet been identified", "the identity of the buyer was not disclosed": a name or
# identity said not to be given, wherever the article says so, withholds the one a question asks for
# "the name of the buyer was not disclosed", with the owner of a possessive ("the buyer's name ..."); the
# article-wide search (``_ARTICLE_SEARCHES``) uses it without the optional owner, which changes where a match
# starts, never whether there is one
_OWNER = r"(?:(?P<owner>[\w-]+)['’]s\s+)?"
_NAME_NOT_GIVEN = (
    r"(?:names?|identity|identities)\b"
    r"(?:\s+of\s+(?:the\s+|an?\s+|its\s+|his\s+|her\s+|their\s+)?(?P<of>[\w-]+))?[^.;]{0,40}?"
    r"\b(?:was|were|has|have|had|is|are) not (?:yet )?(?:been )?"
    r"(?:identified|named|released|disclosed|revealed|made public|given|confirmed|known|established)\b"
)
_NAME_UNGIVEN = re.compile(r"\b" + _OWNER + _NAME_NOT_GIVEN, re.IGNORECASE)
_REAL_NAME = re.compile(r"\b(?:real|full|true|actual|first) name\b|\bidentity\b", re.IGNORECASE)
_WOULD_NOT_SAY = re.compile(
    r"\b(?:(?:declined|refused|did not want) to (?:say|reveal|disclose|confirm|specify|give details of|comment on)|"
    r"(?:did|does|do|would|will|could|has|have|had) not (?:yet )?(?:say|said|reveal|revealed|disclose|disclosed|"
    r"confirm|confirmed|specify|specified)|"
    r"neither [\w’'-]+(?: [\w’'-]+){0,3} (?:has|have|had|would|will|did) "
    r"(?:said|revealed|disclosed|confirmed|say|reveal|disclose|confirm)|"
    r"(?:it )?(?:is|was|are|were) (?:not |un)(?:known|clear)|no(?:body|one) knows)"
    r"\s+(?:exactly\s+|yet\s+|publicly\s+)?(how (?:much|many|long|old)|when|where|why|who|whom|what|which)\b",
    re.IGNORECASE,
)
_UNDISCLOSED = re.compile(
    r"\bundisclosed (?:sum|fee|amount|price|figure|fine|settlement|payment|salary|deal|offer|bid|compensation|"
    r"damages|location|place|site)\b|"
    r"\b(?:value|terms|price|fee|amount|sum|cost|size|details|figure|salary|location)\b[^.;]{0,40}?"
    r"\b(?:was|were|has|have|had|is|are) not (?:been )?(?:disclosed|revealed|made public|announced|given)\b|"
    # "Quillwork did not disclose its valuation", "declined to reveal the price"
    r"\b(?:(?:did|does|do|would|will|has|have|had) not (?:yet )?|(?:declined|refused) to )"
    r"(?:disclose|reveal|give|publish|release)d? (?:its|the|his|her|their|any) (?:[\w-]+ )?"
    r"(?:valuation|value|price|fee|terms|amount|sum|cost|size|salary|figures?)\b",
    re.IGNORECASE,
)
# The article-wide searches of ``withholds``, for lower-cased text: their literals are all lower case, so
# without IGNORECASE they find the same (on every article of the BBC, seed and small corpora), twice as fast.
# Each runs only where a cheaper search finds what every one of its matches holds ("not disclosed", "declined
# to ", "neither " ...: most articles hold none); a name not given is searched without the optional owner
# before the name ("the ship's"), which changes where a match starts, never whether there is one. Same
# booleans on all 2,264 articles of the BBC, seed and small corpora; ~60 against ~270 us an article.
_ARTICLE_SEARCHES = (
    (
        re.compile(
            r"declined to |refused to |not want to |neither |not known|not clear|unknown|unclear|knows|"
            r"not (?:yet )?(?:say|said|reveal|disclos|confirm|specif)"
        ),
        re.compile(_WOULD_NOT_SAY.pattern),
    ),
    (
        re.compile(
            r"not (?:yet )?(?:been )?(?:identified|named|released|disclosed|revealed|made public|given|confirmed|"
            r"known|established)"
        ),
        re.compile(r"\b" + _NAME_NOT_GIVEN),  # over the lowered text
    ),
    (
        re.compile(
            r"undisclosed |declined to |refused to |"
            r"not (?:yet )?(?:been )?(?:disclos|reveal|made public|announc|give|publish|release)"
        ),
        re.compile(_UNDISCLOSED.pattern),
    ),
)
# A sum asked for in a deal ("How much did Halvorsen pay for Brightmill?"): an article saying the price, fee,
# value or terms were not disclosed withholds it wherever it says so, in words of its own
_DEAL_ASK = re.compile(
    r"\bhow much\b.*\b(?:pay|paid|pays|paying|cost|costs|price|fee|worth|sell|sold|buy|bought|acquire|acquired|"
    r"value|valued|spend|spent)\b|\bwhat (?:is|was|are|were)\b.*\b(?:valuation|value|price|fee|worth)\b",
    re.IGNORECASE,
)
_DEAL_UNDISCLOSED = re.compile(r"\b(?:price|fee|terms|value|valuation|amount|sum|cost|figures?)\b", re.IGNORECASE)
# "The inquiry's findings have not yet been published": whatever the shared words ask about is not given
_UNPUBLISHED = re.compile(
    r"\b(?:has|have|had|is|are|was|were) not (?:yet )?(?:been )?"
    r"(?:published|released|made public|announced|disclosed)\b",
    re.IGNORECASE,
)
# every form above begins with one of these words: a sentence holding none withholds nothing
_MAY_WITHHOLD = re.compile(
    r"\b(?:not|un(?:named|identified|disclosed|known|clear)|declined|refused|neither|no(?:body| ?one)|"
    r"(?:known|identified|referred to) only)\b",
    re.IGNORECASE,
)
_WITHHELD_KINDS = {"how much": "amount", "how many": "amount", "how long": "amount", "how old": "amount"}


def withheld(question: str, sentence: str, explicit: bool = False) -> str | None:
    """The words of ``sentence`` that say the thing ``question`` asks for is not given, or None.

    "Who was Rachel Brennan's line manager?" over "... her line manager, who was not named at the
    hearing" ("was not named": a person asked for and left unnamed); "How much will the drug cost?"
    over "He declined to say how much the drug would cost" (the wh-word asked follows "declined to
    say"); "How much was the deal worth?" over "The value of the deal was not disclosed". Such a
    sentence is the article saying it does not hold the answer: a near miss, not an answer. Only a
    sentence holding some of the question's words other than its names ("line manager", "cost") says
    so of the thing asked: "Who is the judge?" is not refused by "her line manager was not named". An
    undisclosed sum or place needs some of its words, names included ("He joined Rovers for an
    undisclosed fee" for "How much did Rovers pay for him?"). ``explicit``: only a sentence withholding
    with the question's own wh-word ("declined to say how many jobs would go" for "How many jobs will
    go?"), the one form that says so of the question wherever it stands in an article, and for a sum asked for
    in a deal ("How much did Halvorsen pay for Brightmill?"), a price, fee, value or terms not disclosed ("The
    price of the acquisition was not disclosed"), in whatever words, and for a name asked for, a name or
    identity not given in a sentence sharing the question's other words ("What was the name of the ship?"
    over "The ship's name has not yet been identified")."""
    if not _MAY_WITHHOLD.search(sentence):  # the common case, without reading the words
        return None
    said = set(content_terms(sentence))
    asked = set(content_terms(without_question_form(question)))
    kind = question_type(question)
    if explicit:
        return _withheld_explicitly(question, sentence, said, asked)
    if kind in ("amount", "where") and said & asked:  # "an undisclosed fee" in a sentence about what is asked
        found = _UNDISCLOSED.search(sentence)
        if found:
            return found.group(0)
    if not said & (asked - set(specific_terms(question))):
        return None
    if kind in ("who", "name"):
        found = _UNNAMED.search(sentence) or (_KNOWN_ONLY.search(sentence) if _REAL_NAME.search(question) else None)
        if found:
            return found.group(0)
    wh = re.search(r"\b(how (?:much|many|long|old)|when|where|why|who|whom|what|which)\b", question, re.IGNORECASE)
    for found in _WOULD_NOT_SAY.finditer(sentence):
        if wh is None:
            break
        withheld_wh, asked_wh = found.group(1).lower(), wh.group(1).lower()
        same_kind = _WITHHELD_KINDS.get(withheld_wh) == kind and withheld_wh.startswith("how") == asked_wh.startswith(
            "how"
        )
        # "Neither company has disclosed what the launch cost" withholds whatever the shared words say
        if withheld_wh == asked_wh or same_kind or withheld_wh == "what":
            return found.group(0)
    found = _UNPUBLISHED.search(sentence)
    return found.group(0) if found else None


def withholds(text: str, question: str = "") -> bool:
    """Whether ``text`` says anywhere that someone would not say how much, when, who ..., or, when ``question``
    asks for a sum in a deal, that one was not disclosed (a cheap test before ``withheld(question, ...,
    explicit=True)`` reads its sentences: it finds nothing else), or, when it asks for a name, that one is
    not given ("The ship's name has not yet been identified")."""
    would_not_say, name_ungiven, undisclosed = _article_withholds(text)
    if would_not_say:
        return True
    if name_ungiven and question_type(question) in ("who", "name"):
        return True
    return undisclosed and _DEAL_ASK.search(question) is not None


@lru_cache(maxsize=1024)
def _article_withholds(text: str) -> tuple[bool, bool, bool]:
    """Whether ``text`` holds a "would not say", a name not given, a sum not disclosed (``withholds``'s
    searches, which do not depend on the question): an article is searched once for the questions
    answered from it last, not once a question (~60 us an article: ``_ARTICLE_SEARCHES``)."""
    lowered = text.lower()
    would_not_say, name_ungiven, undisclosed = (
        first.search(lowered) is not None and pattern.search(lowered) is not None
        for first, pattern in _ARTICLE_SEARCHES
    )
    return would_not_say, name_ungiven, undisclosed


def _withheld_explicitly(question: str, sentence: str, said: set[str], asked: set[str]) -> str | None:
    if _DEAL_ASK.search(question):
        undisclosed = _UNDISCLOSED.search(sentence)
        if undisclosed is not None and _DEAL_UNDISCLOSED.search(undisclosed.group(0)):
            return undisclosed.group(0)
    if question_type(question) in ("who", "name"):
        # whose name: the ship's, when the question asks the ship's ("the area's" is no answer to it)
        for ungiven in _NAME_UNGIVEN.finditer(sentence):
            owner = ungiven.group("owner") or ungiven.group("of")
            if owner is not None and set(content_terms(owner)) <= asked:
                return ungiven.group(0)
    wh = re.search(r"\b(how (?:much|many|long|old)|when|where|why|who|whom)\b", question, re.IGNORECASE)
    if wh is None or not said & (asked - set(specific_terms(question))):
        return None
    found = next((f for f in _WOULD_NOT_SAY.finditer(sentence) if f.group(1).lower() == wh.group(1).lower()), None)
    return found.group(0) if found else None


# a pronoun or an auxiliary contracted, with its apostrophe or without, as people type questions ("im late",
# "whats the wifi password")
_BARE_CONTRACTIONS = (
    "im ive dont doesnt didnt cant couldnt wouldnt shouldnt isnt arent wasnt werent hasnt havent hadnt wont whats "
    "whos wheres hows thats theres youre youve theyre theyve weve shes hes youll theyll itll"
)
_CONTRACTION = re.compile(
    r"(?<![\w'’])(?:(?:" + "|".join(_BARE_CONTRACTIONS.split()) + r")|[a-z]+(?:n['’]t|['’](?:m|re|ve|ll|d)))(?![\w'’])",
    re.IGNORECASE,
)


def without_contractions(question: str) -> str:
    """``question`` without its contracted pronouns and auxiliaries ("I'm", "don't", "can't", "you're"), with
    their apostrophes or without ("im", "dont", "whats"): the asker's grammar, which no answer need repeat.
    "I'm", which no page of a clinic's site writes, decided that "what happens if im late" was not covered."""
    return _CONTRACTION.sub(" ", question)


def without_question_form(question: str) -> str:
    """The question with its form words removed ("how large was X" -> "X"): they ask, they do not match."""
    return _FORM.sub(" ", question)


def specific_terms(question: str) -> list[str]:
    """Stemmed names, acronyms and numbers of a question: what an answering passage must mention."""
    found = _SPECIFIC.findall(normalise(question).strip())
    return [t for t in dict.fromkeys(content_terms(" ".join(found))) if t not in STOPWORDS]


def surface_words(question: str) -> dict[str, str]:
    """Stemmed content term -> the word as the question wrote it (for readable reasons)."""
    out: dict[str, str] = {}
    for match in re.finditer(r"[\w’'.&+#-]+", question):
        raw = match.group(0).strip(".'’-")
        for term in content_terms(raw):
            out.setdefault(term, raw)
    return out


_WH = re.compile(r"\b(?:what|which|who|whom|whose|how)\b", re.IGNORECASE)
_SKIP = frozenset("a an the many much big long large old far high kind sort type".split())


def focus_terms(question: str) -> list[str]:
    """Stemmed words that say what is asked for: the noun or verb right after the wh-word.

    "How big a one-off charge did ..." -> one, off, charge; "Under what title ..." -> title;
    "Who beat ..." -> beat. An answering sentence should hold them; a near miss (the right
    article, another detail) usually does not.
    """
    match = _WH.search(question)
    if match is None or re.match(r"\s*(?:why|where|when)\b", question, re.IGNORECASE):
        return []
    found: list[str] = []
    for raw in re.findall(r"[\w’'-]+", question[match.end() :])[:7]:
        word = raw.lower()
        if not found and (word in _SKIP or word in ("is", "was", "are", "were")):
            continue
        if word in STOPWORDS or raw[0].isupper():
            break
        found.extend(t for t in content_terms(word) if t not in STOPWORDS)
        if len(found) >= 3:
            break
    return found


_PRESENT_ASKED = re.compile(r"^\W*(?:(?:\w+\s+){0,4}?)(?:is|are|does|do|has|have)\b|^\W*\w+['’]s\b", re.IGNORECASE)
_PAST_ASKED = re.compile(
    r"\b(?:was|were|did|had|used to|before|previously|formerly|originally|earlier|former|old|older|until|ago|"
    r"prior|then|at first|in (?:1[89]|20)\d\d|(?:1[89]|20)\d\d)\b",
    re.IGNORECASE,
)
_PAST_SCOPE = re.compile(
    r"^\W*(?:(?:Before|Until|Till|Up to|Prior to)\s+(?:(?:version|release)\s+|v)?\d|"
    r"(?:Before|Until|Prior to)\s+(?:" + _MONTH + r"\b|(?:1[89]|20)\d\d\b|last\b)|"
    r"(?:Previously|Formerly|Originally|In the past|"
    r"In (?:earlier|older|previous|former) (?:versions|releases|years))\b)",
    re.IGNORECASE,
)
_PAST_VERB = re.compile(r"\b(?:was|were|had|used to|did)\b", re.IGNORECASE)


def asks_present(question: str) -> bool:
    """Whether ``question`` asks how things are now: its verb is in the present tense ("What is the default
    value of max_pool_size?", "Who's the mayor?") and nothing in it points back in time (a past tense,
    "before", "originally", a year)."""
    return bool(_PRESENT_ASKED.match(question)) and not _PAST_ASKED.search(question)


def past_scoped(sentence: str) -> bool:
    """Whether ``sentence`` tells how things were before a change, scoped so from its first words ("Before
    version 3.0.0 the default of max_pool_size was 10.", "Until 2019 the mayor was ...", "Previously,
    ... were ..."): no answer to a question asking how they are now."""
    return bool(_PAST_SCOPE.match(sentence)) and bool(_PAST_VERB.search(sentence))
