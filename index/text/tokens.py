"""Tokenisation shared by the lexical index, question analysis and answer extraction.

Text is normalised for *matching* only, never for quoting: tokens are plain strings with no
offsets, so citations and chunks keep pointing into the original text. ``normalise`` applies
NFKC (ligatures such as "ﬁ" become "fi", fullwidth "ＲＸ９" becomes "RX9", a decomposed accent is
composed, so "Jose\\u0301" and "José" are one word), removes invisible format characters (the
soft hyphen of "infor\\u00admation", zero-width spaces and joiners) and case-folds; a term drops the
accents of its Latin letters, so "naive" finds "naïve" and "Jose" finds "José" (``unaccent``).

Terms with symbols are terms: "C", "C++" and "C#" are three terms, as are "F#", ".NET",
"AT&T" and "S&P" (then "500"); letters glued to a number are one term in any case ("MP3", "G20",
"h5n1"), and so is a number glued to letters ("4G", "3D", "4g"), except a unit or suffix, which
stays apart ("1990s", "£10m", "2nd" give "1990" "s", "10" "m", "2" "nd", as a question asking
"10 million" expects). A version number is one term without its "v": "v2.3.1" and "2.3.1" are "2.3.1", and
"2.4.0-rc.2" is one term, not "2.4.0" (another release) then "rc" and "2". An identifier with underscores
is a term as well as its words: "max_pool_size" gives "max", "pool", "size" and "max_pool_size", so that it
is told apart from "min_pool_size" and still found by "max pool size".
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import Stemmer

from citeqa.index.text.sentences import SEGMENTATION_VERSION

# Invisible format characters that split words without being seen: soft hyphen, zero-width
# space/non-joiner/joiner, word joiner, byte-order mark.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_KEEP = re.compile(r"[+#&._\d]")  # terms the stemmer must not touch
# an identifier written with underscores: "max_pool_size", "QUILL_TIMEOUT_MS" (told apart from "min_pool_size")
_UNDERSCORED = re.compile(r"(?<![\w])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\w])")
_LETTERS = r"[^\W\d_]"
# Capital letters of the Latin script, accented ones too, for patterns of names ("Émilie", "Ó Súilleabháin",
# "Åsa"): a character class body, as in f"[{UPPER}]".
UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
# Endings that are a unit or a suffix of the number before them, not part of a term (any case).
_SUFFIXES = "(?i:s|st|nd|rd|th|m|bn|k|km|kg|cm|mm|ml|am|pm|mph|ft|in|yrs?|x)"
_TOKEN = re.compile(
    # a version's "v" is no part of it: "v2.3.1" is the term "2.3.1", as in "version 2.3.1" ("v2" stays one term)
    r"(?!(?<![\w.])[vV]\d+\.\d)(?:"
    + "|".join(
        [
            rf"(?<![\w.]){_LETTERS}\+\+(?![\w+])",  # C++, G++
            rf"(?<![\w.]){_LETTERS}#(?![\w#])",  # C#, F#
            r"(?<![\w.])\.[A-Z][A-Za-z]*[A-Z](?!\w)",  # .NET (a leading dot before capitals)
            rf"{_LETTERS}+&{_LETTERS}+",  # AT&T, S&P, R&D
            r"[A-Za-z]+\d+[A-Za-z\d]*(?![^\W\d_])",  # MP3, G20, RX9, A380, H5N1 (any case)
            rf"\d+(?!{_SUFFIXES}(?![^\W\d_]))[A-Za-z]+(?![^\W\d_])",  # 4G, 3D, 4g (not 1990s, 10m, 2nd)
            r"\d+(?:\.\d+){2,}-[A-Za-z]+(?:\.?\d+)?(?![\w-]|\.\w)",  # with its pre-release: 2.4.0-rc.2
            r"\d+(?:[.,:]\d+)*",
            rf"{_LETTERS}+(?:['’]{_LETTERS}+)*",
        ]
    )
    + ")",
    re.UNICODE,
)
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


_LOCAL = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    """This thread's stemmer: a PyStemmer object is not to be shared between threads (the server answers
    on one thread while it embeds and retrieves the next batch on another)."""
    stemmer: Stemmer.Stemmer | None = getattr(_LOCAL, "stemmer", None)
    if stemmer is None:
        stemmer = _LOCAL.stemmer = Stemmer.Stemmer("english")
    return stemmer


def normalise(text: str) -> str:
    """``text`` as matching sees it: NFKC, invisible format characters removed (case kept).

    Lengths and offsets may differ from ``text``: use it for comparing words, never for quoting.
    """
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=4096)
def as_matched(text: str) -> str:
    """``normalise(text)``, kept for the texts read last (a document is read for each question answered from
    it); ``text`` itself, the same object, when that changes nothing (always for ASCII). For reading names
    and numbers (fullwidth "Ｈｅｌｇａ Ｂｒｕｎｓ" is a name), never for quoting."""
    if text.isascii():
        return text
    read = normalise(text)
    return text if read == text else read


def normalise_for_model(text: str) -> tuple[str, list[int] | None]:
    """``text`` as the model should read it, with where each of its offsets lands: ``normalise`` character by
    character (fullwidth "ＲＸ９" reads "RX9", the ligature "ﬁ" "fi", a soft hyphen nothing), and ``offsets``
    of length ``len(text) + 1``, ``offsets[i]`` the position in the result of ``text[i]`` (``None`` when the
    result is ``text`` itself, as for ASCII). Character by character, a decomposed accent stays decomposed,
    which the model's tokenizer reads as the composed one. Used to embed passages and sentences (whose
    spans are offsets into ``text``); quotes and citations never see it."""
    if text.isascii() or normalise(text) == text:
        return text, None
    parts: list[str] = []
    offsets = [0] * (len(text) + 1)
    at = 0
    for i, char in enumerate(text):
        offsets[i] = at
        read = char if char.isascii() else _INVISIBLE.sub("", unicodedata.normalize("NFKC", char))
        parts.append(read)
        at += len(read)
    offsets[len(text)] = at
    return "".join(parts), offsets


def unaccent(word: str) -> str:
    """``word`` with the accents of its Latin letters removed ("naïve" -> "naive", "José" -> "Jose"):
    a reader types "naive" for the text's "naïve". Marks on letters of other scripts stay (Greek tonos,
    Devanagari vowel signs, kana voicing), so their words keep apart."""
    if word.isascii():
        return word
    kept: list[str] = []
    for char in unicodedata.normalize("NFD", word):
        if unicodedata.combining(char) and kept and kept[-1] < "\u0250":  # a mark on a Latin letter
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _fold(word: str) -> str:
    word = unaccent(word.casefold()).replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return word


def words(text: str) -> list[str]:
    """Case-folded words, numbers and symbol terms of ``normalise(text)``, possessives removed, not stemmed.

    No token spans whitespace and every look-around of ``_TOKEN`` sees whitespace as it sees the
    text's ends, so each whitespace-separated piece is tokenised alone: a piece of letters only
    (most of prose, once the punctuation around it is stripped) is one token as it stands, and
    only the others go through ``_TOKEN`` (about 3x faster; the same tokens, checked on the BBC
    corpus by tests/index/text/test_tokens.py).
    """
    out: list[str] = []
    for piece in normalise(text).split():
        bare = piece.strip(_AROUND)
        if bare.isalpha() and bare.isascii():
            out.append(bare.casefold())
        else:
            out.extend(_fold(m.group(0)) for m in _TOKEN.finditer(piece))
            if "_" in piece:  # an identifier is a term as well as its words: "max_pool_size", then "max" ...
                out.extend(_fold(m.group(0)) for m in _UNDERSCORED.finditer(piece))
    return out


# Punctuation that never belongs to a token of plain letters next to it (no '.', '+', '#', '&' or
# apostrophes: those can make a symbol term or a possessive).
_AROUND = ',;:!?()[]{}"“”«»'
_STEMS: dict[str, str] = {}


def _stem(tokens: list[str]) -> list[str]:
    """Stems of words; terms with symbols or digits are kept as they are ("c++", "at&t", "4g")."""
    global _STEMS
    known = _STEMS
    missing = [t for t in dict.fromkeys(tokens) if t not in known]
    if missing:
        if len(known) > 200_000:  # a new table, not the old one cleared: another thread may be reading it
            known = _STEMS = {}
            missing = list(dict.fromkeys(tokens))
        stems = _stemmer().stemWords(missing)
        known.update((t, t if _KEEP.search(t) else s) for t, s in zip(missing, stems, strict=True))
    return [known[t] for t in tokens]


def terms(text: str) -> list[str]:
    """Stemmed index terms of ``text`` (stopwords kept; BM25's idf discounts them)."""
    return _stem(words(text))


def content_terms(text: str) -> list[str]:
    """Stemmed terms of ``text`` without stopwords, in order, duplicates removed; an irregular inflection
    is read as its lemma ("met" as "meet", "spent" as "spend": ``lemma``), so that the answer step's
    matching of question and sentence sees one word. The lexical index (``terms``) keeps the words as written."""
    kept = [lemma(w) for w in words(text) if w not in STOPWORDS]
    return list(dict.fromkeys(_stem([w for w in kept if w not in STOPWORDS])))


# Bump when ``content_terms`` reads a text otherwise (``words``, ``normalise``, ``_fold``, ``lemma``, the
# stemming): indexes store content terms (``citeqa.index.store.terms``) and must not be read with stale ones.
# tests/index/text/test_tokens.py holds the terms of a fixed text and fails until this is bumped.
CONTENT_TERMS_VERSION = 2


@lru_cache(maxsize=1)
def content_terms_scheme() -> str:
    """What ``content_terms`` of a text depends on besides the text, as a string: ``CONTENT_TERMS_VERSION``,
    the Snowball stemmer's version and a digest of the stopwords and of the irregular forms' lemmas; and, since
    terms are stored by sentence, ``SEGMENTATION_VERSION``. Stored terms made under another scheme are not read
    (``citeqa.index.store.terms``), and ``citeqa build`` builds such a version again."""
    tables = json.dumps([sorted(STOPWORDS), sorted(_irregular().items())], ensure_ascii=False)
    digest = hashlib.sha256(tables.encode("utf-8")).hexdigest()[:16]
    # the stored terms are by sentence: a version whose sentences were cut otherwise is built again
    return (
        f"content_terms {CONTENT_TERMS_VERSION}; snowball {Stemmer.version()}; tables {digest}; "
        f"sentences {SEGMENTATION_VERSION}"
    )


def lemma(word: str) -> str:
    """The lemma of an irregular inflection ("met" -> "meet", "built" -> "build", "won" -> "win"), else
    ``word``. The 2,606 lower-case forms of ``irregular.json``: those of lemminflect's lexicon with one
    lemma whose Snowball stem differs from it (bench/answer_model/irregular_forms.py makes the file)."""
    return _irregular().get(word, word)


def inflections(word: str) -> tuple[str, ...]:
    """The irregular forms whose lemma is ``word`` ("meet" -> ("met",)), none for other words."""
    return _forms().get(lemma(word), ())


@lru_cache(maxsize=1)
def _forms() -> dict[str, tuple[str, ...]]:
    forms: dict[str, list[str]] = {}
    for form, base in _irregular().items():
        forms.setdefault(base, []).append(form)
    return {base: tuple(found) for base, found in forms.items()}


def ambiguous_inflections(word: str) -> tuple[str, ...]:
    """The irregular forms of the verb ``word`` that are other words' forms too ("find" -> ("found",),
    "rewrite" -> ("rewritten", "rewrote"); ``irregular_ambiguous.json``, made with ``irregular.json``):
    never read as ``word``, only tried when a question's ``word`` is not in the index."""
    return _ambiguous().get(word, ())


@lru_cache(maxsize=1)
def _ambiguous() -> dict[str, tuple[str, ...]]:
    table = json.loads((Path(__file__).with_name("irregular_ambiguous.json")).read_text(encoding="utf-8"))
    return {lemma: tuple(forms) for lemma, forms in table.items()}


def surface_stem(word: str) -> str:
    """The stem of ``word`` as the lexical index has it (no lemma): ``terms`` of one word."""
    return _stem([word])[0]


@lru_cache(maxsize=1)
def _irregular() -> dict[str, str]:
    table: dict[str, str] = json.loads((Path(__file__).with_name("irregular.json")).read_text(encoding="utf-8"))
    return table
