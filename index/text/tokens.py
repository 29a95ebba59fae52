"""Tokenisation shared by the lexical index and answer extraction."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves according did does
    say said says tell told according many much also""".split()
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def _normalise(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return word


def words(text: str) -> list[str]:
    """Lower-cased words and numbers of ``text``, possessives removed, not stemmed."""
    return [_normalise(m.group(0)) for m in _TOKEN.finditer(text)]


def terms(text: str) -> list[str]:
    """Stemmed index terms of ``text`` (stopwords kept; BM25's idf discounts them)."""
    return list(_stemmer().stemWords(words(text)))


def content_terms(text: str) -> list[str]:
    """Stemmed terms of ``text`` without stopwords, in order, duplicates removed."""
    kept = [w for w in words(text) if w not in STOPWORDS]
    return list(dict.fromkeys(_stemmer().stemWords(kept)))
