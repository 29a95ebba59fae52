"""Sentence spans inside a text, for answer extraction and exact citations.

A sentence ends at a line break, or at ``.``, ``!``, ``?`` or an ellipsis (and any closing quotes or
brackets) followed by a space, unless what follows shows it goes on:

- the next word starts in lower case or with more punctuation, a dash among it: "at 9 a.m. on Friday", "“Stop!”
  she shouted", "“I think ... maybe”", "Univ. of Graz", "10.30 a.m. – 4 p.m.";
- the stop is inside a table's row (a line opening with "|"), which ends only with its line;
- the stop ends a title or a word that is always followed by more ("Prof.", "Dr.", "Mt.", "Sept.",
  "e.g."), "No.", "Fig." or "p." before a number ("No. 5"; not "The answer was no. Nobody ..."), "c."
  (circa) before a date ("c. 1250 BC", "c. AD 1140"), the
  number of a numbered item or heading ("1. Preheat the oven.", "## 2. Methods"), an initial or an
  upper-case abbreviation ("John F. Kennedy", "H.G. Wells", "the U.S. team"), but not a unit of degrees
  ("above 17°C. The ...").

Abbreviations that may end a sentence ("a.m.", "etc.", "Inc.") end one when a capital follows. The
choice of this rule set over pysbd and syntok is measured in ``bench/sentence_boundaries.py``
(results in ``bench/results/sentence_boundaries.json``; docs/architecture.md).
"""

from __future__ import annotations

import re

# Bump when ``sentence_spans`` cuts a text otherwise: an index stores each document's sentence spans and their
# content terms, and ``citeqa build`` redoes the sentences of a version cut under another (the version is part of
# ``citeqa.index.text.tokens.content_terms_scheme``), re-embedding only the documents whose sentences moved.
SEGMENTATION_VERSION = 2

# Followed by more of the sentence whatever comes next: titles, months, "vs.", "e.g. London", "(excl. VAT)".
_NEVER_FINAL = frozenset(
    "mr mrs ms dr prof st mt gen col lt sgt rev gov sen rep vs univ dept inst approx est "
    "jan feb mar apr jun jul aug sep sept oct nov dec ca cf e.g i.e viz incl excl".split()
)
# Followed by more only before a number: "No. 5", "Fig. 3", "p. 12" (but "The answer was no. Nobody ...").
_BEFORE_NUMBER = frozenset("no nos fig figs p pp c".split())
# "c. 1250 BC", "c. AD 1140": what may follow "c." (circa) in a date
_ERA = re.compile(r"(?:\d|(?:AD|BC|BCE|CE)\b)")
# a dash going on with a range or an aside: "10.30 a.m. – 4 p.m."
_DASHES = "–—-"
_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s)|\n\s*\n|\n")


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of ``text``, shifted by ``offset``, trimmed of spaces."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if match.group(0)[0] != "\n" and not _ends_sentence(text, match.start(), end):
            continue
        if match.group(0) == "\n" and _wrapped(text, match.start(), end):
            continue
        _add_span(text, start, end, offset, spans)
        start = end
    _add_span(text, start, len(text), offset, spans)
    return spans


def _wrapped(text: str, newline: int, after: int) -> bool:
    """A single line break inside a sentence (hard-wrapped text, a PDF's lines): the line before ends
    without sentence punctuation and the next one goes on in lower case, or it ends with a stop and the
    next goes on in lower case ("at 3 p.m.\nand the fans") or the stop is a title's ("Prof.\nJane Doe")."""
    line = text[:newline].rstrip(" \t")
    before = line[-1:]
    following = text[after:].lstrip(" \t")[:1]
    if before == "." and following and (following.islower() or line.split()[-1].lower().rstrip(".") in _NEVER_FINAL):
        return True  # "... at 3 p.m.\nand the fans", "by Prof.\nJane Doe"
    return bool(before) and before not in ".!?…:;\"”’')]" and following.islower()


def _ends_sentence(text: str, stop: int, after: int) -> bool:
    """Whether the punctuation at ``text[stop:after]`` ends a sentence, judged by the words around it."""
    rest = text[after:].lstrip(" \t")
    following = rest[:1]
    if following and (following.islower() or following in ".,;:…" + _DASHES):
        return False
    if following == "\n" and rest[1:].lstrip(" \t")[:1].islower():
        return False  # a hard-wrapped line going on in lower case: "called off at 3 p.m.\nand the fans"
    if text[text.rfind("\n", 0, stop) + 1 : stop].lstrip(" \t").startswith("|"):
        return False  # a table's row is one line, whatever its cells hold: "| Monday | 8:00 a.m. to 6:30 p.m. | ..."
    if text[stop] != "." or text[stop : stop + 2] == "..":
        return True
    begin = stop
    while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] in ".&"):  # "AT&T." is no initial
        begin -= 1
    before = text[begin:stop]
    if before.lower().rstrip(".") in _NEVER_FINAL:
        return False
    if before.lower() in _BEFORE_NUMBER:
        return not (following.isdigit() or (before.lower() == "c" and _ERA.match(rest)))
    line = text[text.rfind("\n", 0, begin) + 1 : begin]
    if before.isdigit() and len(before) <= 3 and not line.strip(" \t#>*-"):
        return False  # a numbered item or heading's number: "1. Preheat the oven.", "## 2. Methods"
    letters = before.replace(".", "")
    if begin > 0 and text[begin - 1] in "°º":
        return True  # a unit of degrees ("above 17°C. The researchers ..."), no initial
    if letters.isalpha() and letters.isupper() and (len(letters) == 1 or "." in before):
        return False  # an initial ("F.", "H.G.") or an upper-case abbreviation ("U.S.")
    return True


def _add_span(text: str, start: int, end: int, offset: int, spans: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    spans.append((offset + start + lead, offset + start + lead + len(stripped)))
