"""How much a word says about a topic, from its frequency in general English (the ``wordfreq`` package).

A small corpus uses few words, so a question word it never uses is weak evidence by itself: "what
does the logo show?" over three documents that never say "show" may still be answered. A topical
word is different: a one-article corpus about NATO that never says "planet", "solar" or "sulfuric"
is not about what a question with those words asks. ``specificity`` tells the two apart by how
common the word is in English: 0 for the commonest words (Zipf frequency ``COMMON`` or more: "show",
"what", "does", "system"), 1 for rare ones (``RARE`` or less: "sulfuric", "covalent"), linear in
between ("planet" 4.68 → 0.44, "acid" 4.45 → 0.52). Numbers are topical whatever their frequency.

Zipf frequency is log10 of occurrences per billion words (wordfreq's small English list: Wikipedia,
subtitles, news, books, the web; see https://github.com/rspeer/wordfreq). The bounds are round
points of that scale, not fitted: ``COMMON`` = 6 is about the 300 commonest English words, ``RARE``
= 3 one occurrence per million words.
"""

from __future__ import annotations

from functools import lru_cache

COMMON = 6.0
RARE = 3.0
WORDLIST = "small"  # words down to Zipf ~3 (rarer ones are 0 here, and rare anyway): 18 MB loaded, "best" 52


def load_frequencies() -> None:
    """Load the English word frequencies now (~0.3 s, ~18 MB) rather than on a question's first use."""
    specificity("citeqa")


@lru_cache(maxsize=4096)
def specificity(word: str) -> float:
    """How topical ``word`` is, in [0, 1]: 0 at Zipf frequency ``COMMON`` and above, 1 at ``RARE`` and below
    (a word wordfreq does not know is rare; a number or code with a digit, "2004", "V603SH", is always 1:
    a year or amount a corpus never mentions is never a mere word choice). Case-insensitive; raises
    nothing."""
    if any(c.isdigit() for c in word):
        return 1.0
    from wordfreq import zipf_frequency  # imported on first use: only small corpora need it

    zipf = zipf_frequency(word, "en", wordlist=WORDLIST)
    return min(1.0, max(0.0, (COMMON - zipf) / (COMMON - RARE)))
