"""Measures: whether a question asks for a weight, a size, a duration, an age, a count or a sum of
money, and whether a sentence gives one.

"How much does the Orla Fold weigh?" is not answered by "The Fold's battery lasts about a day and
a half": the answer to a weight holds a weight ("210g", "1.2 kilograms"). The same goes for "how
tall / deep / wide" (a length), "how long" (a length or a duration), "how many years" (a duration),
"within what timeframe" (a duration or a date), "how old" (an age), "how many people" (a count: a
number that is not a sum of money, a share, a year, a date, a time of day, a score or an age) and
"how much does it cost" (a sum with its currency, or "free"); "What is X's email address / phone number?" (an
address, a number to call). Surface patterns of English prose,
never a list of answers; checked by tests/index/text/test_measures.py and, through the answer step,
tests/index/answering/test_near_misses.py.

Why not a quantity parser: quantulum3 (0.10) reads units well, but it added 46 MB to a serving
process (issue 14's ceiling is 400 MB, measured at 368 MB) and read "£3m" as pounds times metres.
"""

from __future__ import annotations

import re

__all__ = [
    "CODED_SUM",
    "CURRENCY_CODES",
    "ERA",
    "MEASURE_NAMES",
    "age_of_someone_else",
    "asked_measure",
    "gives_measure",
]

MEASURE_NAMES = {
    "mass": "weight",
    "length": "size",
    "length_or_time": "length or duration",
    "time": "duration",
    "when_by": "time or date",
    "age": "age",
    "count": "number",
    "email": "email address",
    "phone": "phone number",
    "money": "sum of money",
    "race_time": "time",
}

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
    "million|billion|dozen|half|quarter|a|an|several|a few|a couple of"
)
_QUANTITY = r"(?:\d[\d,.]*|(?:" + _NUMBER_WORDS + r")(?:[- ](?:" + _NUMBER_WORDS + r"))*)"

_TIME_UNITS = (
    r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|fortnights?|months?|years?|decades?|"
    r"centur(?:y|ies)|seasons?)"
)
# the kind of day, week or hour counted: "28 working days", "10 calendar days", "five school weeks"
_DAYS_OF = r"(?:(?:working|calendar|business|school|trading|banking|consecutive|clear|full|paid|unpaid|man)\s)?"
_LENGTH_UNITS = (
    r"(?:mm|cm|m|km|metres?|meters?|millimetres?|centimetres?|kilometres?|kilometers?|feet|foot|ft|inch(?:es)?|"
    r"yards?|yds?|miles?|storeys?|stories|floors?)"
)
_MASS_UNITS = r"(?:mg|g|kg|grams?|grammes?|kilograms?|kilos?|tonnes?|tons?|lbs?|pounds?|ounces?|oz|stones?)"

_MONTH_NAMES = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"

# "How long is the Roman exhibition on for?": until when as much as for how long
_ON_FOR = re.compile(r"^\s*how long (?:is|are|will)\b[^?]*\b(?:on|open|running|showing)(?:\s+for)?\s*\??\s*$", re.I)

_ASKS = (
    (
        "mass",
        re.compile(
            r"^\s*how heavy\b|^\s*how much (?:\w+ ){1,6}weigh"
            r"|^\s*what (?:is|was|are|were) (?:the |its |their )?weight\b",
            re.I,
        ),
    ),
    (
        "length",
        re.compile(
            r"^\s*how (?:tall|deep|wide)\b|^\s*what (?:is|was) (?:the |its )?(?:height|length|width|depth)\b", re.I
        ),
    ),
    ("when_by", _ON_FOR),  # a date answers it too
    ("length_or_time", re.compile(r"^\s*(?:for )?how long\b", re.I)),
    ("time", re.compile(r"^\s*(?:for )?how many " + _TIME_UNITS + r"\b", re.I)),
    (
        "when_by",
        re.compile(
            r"^\s*(?:within|in|over|by) what (?:time ?frame|time ?scale|period|deadline)\b"
            r"|^\s*how soon\b|^\s*by when\b",
            re.I,
        ),
    ),
    ("age", re.compile(r"^\s*how old\b|^\s*(?:at )?what age\b", re.I)),
    # a race's time, not a time of day: "What was Gebrselassie's winning time?", "What time did Collins run?"
    (
        "race_time",
        re.compile(
            r"^\s*what (?:is|was|were) (?:the |his |her |their )?(?:[\w'’-]+ ){0,3}(?:winning|finishing|race|"
            r"personal best|best|record) times?\b"
            r"|^\s*what time did\b.*\b(?:run|ran|clock|clocked|record|post|finish|swim|set)\b",
            re.I,
        ),
    ),
    ("count", re.compile(r"^\s*how many\b", re.I)),
    # a way to reach someone: "What is Declan O'Neill's email address?", "Email address for parking permits?",
    # "What is the council's main phone number?"
    (
        "email",
        re.compile(
            r"\be-?mail\s+address(?:es)?\b|^\s*(?:what|which)(?:['’]s|\s+is|\s+was|\s+are)?\s+"
            r"(?:the\s+|[\w'’. -]+?['’]s?\s+)?e-?mail(?:\s+(?:of|for|to)\b|\s*\??\s*$)",
            re.I,
        ),
    ),
    (
        "phone",
        re.compile(r"\b(?:(?:tele)?phone|contact|helpline|fax)\s+numbers?\b|\bnumber\s+to\s+(?:call|ring)\b", re.I),
    ),
    (
        "money",
        re.compile(
            r"^\s*how much (?!of\b)(?:money\b|(?:\w+ ){1,8}(?:cost|costs|pay|paid|charge|charges|charged|earn|earned|"
            r"spend|spent|raise|raised|fetch|fetched|sell for|sold for|worth|invest|invested|borrow|borrowed|lend|lent|"
            r"owe|owes|owed|donate|donated|pledge|pledged|bid|offer|offered|fine|fined)\b)"
            # "How much did Henrik Vass sell Larkspur for?": the verb and its "for" apart
            r"|^\s*how much\b.*\b(?:sell|sold|buy|bought|rent|rented|lease|leased|hire|hired)\b(?:\s+[\w'’-]+){0,6}"
            r"\s+for\s*\??\s*$"
            r"|^\s*what (?:is|was|are|were|will be) (?:the |its |their )?(?:price|cost|fee|fare|salary|wage|"
            r"ticket price|entry fee|admission|budget)s?(?: range| band| bracket)? (?:of|for|to)\b"
            # "What price is Barclays putting on ...?", "What salary would members be paid?", "What fee did
            # Birmingham pay?": the sum asked for as the question's object
            r"|^\s*what (?:[\w-]+ )?(?:price|fee|fare|salary|wage|sum)s? (?:is|was|are|were|will|would|did|does|do|"
            r"has|had|could|might|should)\b",
            re.I,
        ),
    ),
)
# a date by its era: "c. 1250 BC", "AD 1140", "c. 1490", "the 12th century" (not "1967.21.3")
ERA = (
    r"\b\d[\d,]*\s?(?-i:BC|BCE|AD|CE)\b|\b(?-i:AD|CE)\s?\d{1,4}\b|\bc(?:a|irca)?\.\s?\d{3,4}\b(?!\.\d)"
    r"|\b\d{1,2}(?:st|nd|rd|th)[\s-]+century\b"
)

_GIVES = {
    "mass": re.compile(_QUANTITY + r"\s?-?" + _MASS_UNITS + r"\b", re.I),
    "length": re.compile(r"\b" + _QUANTITY + r"\s?-?" + _LENGTH_UNITS + r"\b|\d(?:m|ft)\b|\d+(?:'|’)\s?\d+", re.I),
    "time": re.compile(
        r"\b" + _QUANTITY + r"\s?-?" + _DAYS_OF + _TIME_UNITS + r"\b|\b(?:since|until|till)\b"
        r"|\b(?:1[89]\d\d|20\d\d)\s?[-–]\s?(?:1[89]\d\d|20\d\d|\d\d)\b|\bbetween\s+(?:1[89]\d\d|20\d\d)\s+and\b"
        r"|\bfrom\s+(?:\d|"
        + _MONTH_NAMES
        + r")|\b\d{1,2}\s?[-–]\s?\d{1,2}\s+"
        + _MONTH_NAMES
        + r"|\b"
        + _MONTH_NAMES
        + r"\s+\d{1,2}\s?[-–]\s?\d{1,2}\b"
        r"|\b(?:all|most) (?:his|her|their|its) (?:life|career)\b|\blifetime\b",
        re.I,
    ),
    # an object's age is told by its era ("made c. 1250 BC", "a hand axe made c. 400,000 years ago")
    "age": re.compile(
        ERA + r"|\b\d[\d,]*\s+years\s+ago\b|"
        r",\s?\d{1,3},|\baged? (?:of )?\d{1,3}\b|\bage of \d{1,3}\b|\b\d{1,3}-year-old\b|\(\d{1,3}\)|"
        r"\bwho (?:is|was|turned|turns|will turn) \d{1,3}\b|"
        r"\b\d{1,3} years? old\b|\bborn\b|\b(?:"
        + _NUMBER_WORDS
        + r")-year-old\b|\b(?:teenager|octogenarian|nonagenarian)\b",
        re.I,
    ),
}
# ISO 4217 codes as companies write sums ("EUR 6,800", "6,800 USD"), in capitals only ("try 5" is no sum)
CURRENCY_CODES = (
    r"(?-i:EUR|USD|GBP|CHF|JPY|CNY|INR|AUD|CAD|NZD|SEK|NOK|DKK|PLN|CZK|HUF|RON|BGN|ISK|TRY|ZAR|SGD|HKD|KRW|BRL|"
    r"MXN|ARS|CLP|COP|RUB|UAH|ILS|AED|SAR|QAR|EGP|NGN|KES|THB|MYR|IDR|PHP|VND|TWD|PKR|BDT)"
)
# a sum written with a currency code, before or after the number
_MAGNITUDE = r"(?:m|bn|k|million|billion|trillion)"
CODED_SUM = (
    r"\b" + CURRENCY_CODES + r"\s?\d[\d,.]*(?:\s?" + _MAGNITUDE + r")?\b"
    r"|\b\d[\d,.]*\s?(?:" + _MAGNITUDE + r"\s?)?" + CURRENCY_CODES + r"\b"
)
_GIVES["email"] = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "01632 960 400", "+44 (0)1632 960400", "(555) 123-4567"; not "2019-2020"
_GIVES["phone"] = re.compile(
    r"(?<![\w/])(?:\+\d{1,3}[ -]?)?(?:\(0\)\s?)?\(?\d{2,5}\)?[ -]?\d{3,4}[ -]?\d{3,4}(?![\w/])"
)
_GIVES["money"] = re.compile(
    CODED_SUM
    + r"|[$£€¥]\s?\d|\b\d[\d,.]*\s?(?:m|bn|k|million|billion|trillion)?\s?(?:pounds?|dollars?|euros?|yen|francs?|"
    r"rand|rupees?|pence|p|cents?|dinars?|yuan|roubles?|kroner?|krona|won|pesos?)\b"
    r"|\b(?:free|free of charge|nothing|undisclosed|undisclosed sum|undisclosed fee)\b"
    # a currency the list above does not know, after a verb of paying: "cost 48 million krell"
    r"|\b(?:cost|costs|costing|paid|pays|priced at|worth|fetched|sold for|fined|charged?|charges|raised|"
    r"invested|borrowed|donated|pledged|offered|bid)\s+(?:about |around |some |nearly |almost |roughly |"
    r"more than |less than |over |under |up to |just |only )?\d[\d,.]*\s?(?:m|bn|k|million|billion|trillion)?"
    r"\s?[^\W\d_]{2,}\b",
    re.I,
)
# "9.89 seconds", "10.05", "2:08:30", "2hr 19min", "27 minutes"
_GIVES["race_time"] = re.compile(
    r"\b\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?\b|\b\d{1,3}\.\d{1,3}\b|\b\d+\s?(?:hours?|hrs?|hr|h|minutes?|mins?|min|"
    r"seconds?|secs?|s)\b",
    re.I,
)
_GIVES["length_or_time"] = re.compile(_GIVES["length"].pattern + "|" + _GIVES["time"].pattern, re.I)
_GIVES["when_by"] = re.compile(
    _GIVES["time"].pattern + r"|\b" + _MONTH_NAMES + r"\b"
    r"|\b(?:next|this|last|the end of the|by the end of) (?:year|month|week|decade|summer|spring|autumn|winter)\b"
    r"|\b(?:immediately|soon|shortly|now|today|tomorrow)\b",
    re.I,
)

# what a count is not: sums of money, shares, fractions, years, dates, times of day, scores, ages, "two-year" compounds,
# a chart's size ("the top ten", "top-40"), "one" as a word of the sentence rather than a number ("One
# effect of ...", "one of the biggest"), a number word that is part of a name ("the Indo-Pacific Four",
# "Formula One")
_MONTHS = r"(?:" + _MONTH_NAMES + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
_NOT_COUNTS = re.compile(
    CODED_SUM + r"|[$£€¥]\s?\d[\d,.]*\s?(?:m|bn|k|million|billion|trillion)?\b"
    r"|\b\d[\d,.]*\s?(?:m|bn|k|million|billion|trillion)?\s?(?:pounds|dollars|euros|yen|francs|rand|rupees|pence|cents|p)\b"
    r"|\b\d[\d,.]*\s?(?:%|per ?cent\b)"
    r"|\b(?:1[89]\d\d|20\d\d)s?\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTHS + r"\b|\b" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?\b"
    r"|\b\d{1,2}(?:[:.]\d\d)?\s?(?:a\.m\.|p\.m\.|am|pm|GMT|BST)"
    r"|\b\d{1,3}\s?-\s?\d{1,3}\b"
    r"|,\s?\d{1,3},|\baged? \d{1,3}\b|\b\d{1,3}(?:-| )years?(?:-| )old\b"
    r"|\b[\w-]+-(?:year|month|week|day|hour|minute|second|mile|metre|point|page|seat|storey)s?\b"
    r"|\b\d+(?:st|nd|rd|th)\b"
    r"|\btop[- ](?:\d+|three|five|ten|twenty|forty|fifty|hundred)\b"
    r"|^\s*One\b(?! (?:hundred|thousand|million|billion))|\bone of\b"
    r"|(?-i:\b[A-Z][\w'’-]*\s+(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve|Twenty)\b)",
    re.I,
)
_COUNT = re.compile(
    r"\b\d[\d,.]*\b|\b(?:" + _NUMBER_WORDS.split("|half|")[0] + r")\b"
    r"|\b(?:dozens|hundreds|thousands|millions|billions|tens of|a handful|a few|a couple|a pair|no one|nobody|none)\b",
    re.I,
)
# a number with a fraction counts nothing whole ("3.75 otters per kilometre" for "How many otters were counted?")
# unless a magnitude follows ("2.1 million people"), or the question asks for an average, a rate or a multiple
# ("How many goals a season did he average?": 9.5; "How many times oversubscribed ...?": 16.2)
_FRACTION = re.compile(r"\b\d+\.\d+\b(?!\s?(?:m\b|bn\b|k\b|million|billion|trillion|thousand))", re.I)
_RATE_ASKED = re.compile(
    r"\b(?:times|average|averaged|averages|per|each|every|a (?:season|year|month|week|day|game|match|head))\b", re.I
)
# repetitions count goals, titles and times, not people
_TIMES = re.compile(r"\b(?:twice|once|thrice|hat-?trick|double|treble|brace)\b", re.I)
_COUNTED_EVENTS = re.compile(
    r"^\s*how many (?:more |other )?(?:times|goals|tries|points|titles|wins|victories|medals|trophies|games|"
    r"matches|races|occasions)\b",
    re.I,
)


def asked_measure(question: str) -> str | None:
    """The kind of measure ``question`` asks for (a key of ``MEASURE_NAMES``), or None.

    "How much does it weigh?" -> "mass"; "How tall is ...?" -> "length"; "How long did she teach?"
    -> "length_or_time"; "How many years ...?" -> "time"; "Within what timeframe ...?" -> "when_by" (a
    duration or a date); "How old ...?" -> "age"; "How many people ...?" -> "count"; "How much does it
    cost?", "What is the price of ...?" -> "money" (a sum with its currency, or "free"). Shares and
    dates are not measures here (``citeqa.index.text.questions`` types them)."""
    for kind, pattern in _ASKS:
        if pattern.search(question):
            return kind
    return None


def gives_measure(kind: str, sentence: str, question: str = "") -> bool:
    """Whether ``sentence`` gives a measure of ``kind`` (as ``asked_measure`` returns), other than one
    the ``question`` already states. Raises KeyError for an unknown kind."""
    if kind == "count":
        if _COUNTED_EVENTS.search(question) and _TIMES.search(sentence):
            return True
        stripped = _NOT_COUNTS.sub(" ", sentence)
        if not _RATE_ASKED.search(question):
            stripped = _FRACTION.sub(" ", stripped)
        asked = question.lower()
        return any(m.group(0).lower() not in asked for m in _COUNT.finditer(stripped))
    asked = question.lower()
    return any(m.group(0).strip().lower() not in asked for m in _GIVES[kind].finditer(sentence))


# The person an age is given of, by apposition: a full name after "N-year-old" and up to three lower-case
# words ("the 19-year-old forward Dani Okafor"), or before ", N," ("Dani Okafor, 19,")
_NAME_AFTER_AGE = re.compile(r"^(?:\s+[a-z][\w-]*){0,3}\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+)")
_NAME_BEFORE_AGE = re.compile(r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+)\s*$")
_FULL_NAME = re.compile(r"\b([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+)")


def age_of_someone_else(question: str, sentence: str) -> bool:
    """Whether every age ``sentence`` gives is another person's than the one ``question`` asks the age of by
    full name: "How old is the Rovers manager Lena Castellanos?" is not answered by "the 19-year-old forward
    Dani Okafor". An age is another person's when a full name in apposition to it ("the 19-year-old forward
    Dani Okafor", "Dani Okafor, 19,") shares no word with the question's names; an age with no name beside
    it may be the asked person's ("the Ospreys are interested in the 32-year-old" for Mefin Davies). False
    when the question asks no age or names no one by two or more capitalised words after its first."""
    if asked_measure(question) != "age":
        return False
    names = [m.group(1) for m in _FULL_NAME.finditer(question) if m.start() > 0]
    asked = {w.lower().removesuffix("'s").removesuffix("’s") for name in names for w in name.split()}
    ages = list(_GIVES["age"].finditer(sentence))
    if not asked or not ages:
        return False
    for age in ages:
        after = _NAME_AFTER_AGE.match(sentence[age.end() :])
        before = _NAME_BEFORE_AGE.search(sentence[: age.start()]) if age.group(0).startswith(",") else None
        beside = after or before
        if beside is None or {w.lower() for w in beside.group(1).split()} & asked:
            return False
    return True
