"""Whether a question is in a language the embedding model handles (English), so that a question in
another language is refused instead of answered from unrelated text.

The statistical detector (py3langid) is unreliable on a few words and on names, so it only gets a say
when the question cannot be English by simpler evidence:

- a question with an English question or function word ("what", "who", "the", "did"...) is English:
  "what is NSATU?", "Who is Mark Rutte?";
- a question with two different question or function words of Spanish, French, German, Italian or
  Portuguese (``FOREIGN_MARKERS``, in lower case or as its first word; Spanish's "¿" counts as one) is
  refused as that language ("¿Qué es NSATU?", "Qui est Mark Rutte ?", "Chi è Mark Rutte?"; among
  several, the one with most such words, then the one py3langid finds likelier) unless py3langid finds
  English likelier. A short question is mostly names, which drown the detector (it gives "¿Qué es
  NSATU?" Spanish at 0.79, under ``MIN_PROBABILITY``); its function words do not. One such word is
  not enough: names and titles have one ("Il Divo tour", "michelle wie turns pro", "Che Guevara film");
- a question (ending with "?") opening with a question word of one of those languages only
  (``OPENING_WH``: "Qui", "Onde", "Wann") and holding a lower-case word English does not use ("acheté",
  not "port": ``UNKNOWN_TO_ENGLISH``) is refused as the language py3langid finds likeliest, unless
  that is English or English gets more than ``MAX_ENGLISH`` ("Qui a acheté Yukos ?": French at 0.70 only);
- a question with no lower-case word after its first and no word of a script without case is treated
  as English: names, acronyms and numbers ("Mark Rutte?", "NSATU", "Zelensky Trump 2025") say nothing
  about a language, but "什么是NSATU" and "ما هو NSATU؟" do;
- otherwise a question written mostly in a non-Latin script, or one py3langid (choosing among
  ``CANDIDATES``) gives another language with probability at least ``MIN_PROBABILITY`` and English at
  most ``MAX_ENGLISH``, is refused with ``UnsupportedLanguage``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np

from citeqa.index.errors import UnsupportedLanguage
from citeqa.index.text.specificity import specificity
from citeqa.index.text.tokens import normalise

SUPPORTED = "en"
MIN_PROBABILITY = 0.8
MAX_ENGLISH = 0.05
MIN_LOWER_WORDS = 1
UNKNOWN_TO_ENGLISH = 0.99  # specificity of a word English (wordfreq) does not use: "acheté", "fica", not "port"
MIN_MARKERS = 2  # distinct FOREIGN_MARKERS of one language: one is often a name ("michelle wie", "il divo")
# The detector chooses among these (major languages): a short text then spreads its probability over
# plausible candidates rather than over 97 languages, most of them rare.
# Languages of a site's pages more than of its visitors' questions (a Welsh page of a museum in Wales): each is
# a candidate only when it is the likeliest, so that it does not thin the others' probabilities (with them the
# probabilities are those over the rest, renormalised: "Was ist NSATU?" stays German at 0.81, over 0.8)
MINOR = frozenset("cy ga ca".split())
CANDIDATES = "en fr de es it pt nl sv da no fi pl cs ro hu tr ru uk el zh ja ko ar he hi cy ga ca".split()
# Words that, in a question, are English and not also common words of a nearby language
# ("was" and "will" are German, "is" Dutch, "do" Portuguese, "a" and "in" many): one is enough.
ENGLISH_MARKERS = frozenset(
    """what who whom whose when where why how which the of did does and with from this that these those
    were are they there their been about after before many much should would could shall has had
    have into than then its his she between during against""".split()
)
NAMES = {
    "ar": "Arabic", "de": "German", "es": "Spanish", "fr": "French", "it": "Italian", "ja": "Japanese",
    "ko": "Korean", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese", "ru": "Russian", "sv": "Swedish",
    "tr": "Turkish", "uk": "Ukrainian", "zh": "Chinese", "da": "Danish", "no": "Norwegian", "fi": "Finnish",
    "cs": "Czech", "el": "Greek", "he": "Hebrew", "hi": "Hindi", "ro": "Romanian", "hu": "Hungarian",
    "cy": "Welsh", "ga": "Irish", "ca": "Catalan",
}  # fmt: skip
# Question and function words of the languages near English that a user most often writes in instead,
# in lower case ("qu" and "cos'è" are elided: "Qu'est-ce", "Cos'è"). None is an English word ("was",
# "hat", "come", "dove", "son" are left out) or a lower-case particle of names ("del", "der", "della",
# "da", "do", "la", "le", "el", "van"), but for German's "die": a German question often has only it
# besides its question word ("Wer gewann 2020 die Champions League?"), while an English question with
# "die" has an English word as well ("Who will die ...?"), which decides first, or no second German
# one ("Die Hard sequel"). German's articles and prepositions ("das", "dem", "ein", "und", "gegen"...)
# count for the same reason.
FOREIGN_MARKERS = {
    "es": "qué quién quiénes cuál cuáles cuándo cuánto cuánta cuántos cuántas dónde cómo es está están fue "
    "fueron ha han dijo tiene tienen por sobre según",
    "fr": "qu est sont était étaient où quand pourquoi combien quel quelle quels quelles qui quoi que "
    "c'est ce il elle ont été",
    "de": "ist sind wer wann warum wo wie welche welcher welches wieso weshalb wurde wurden gibt über für "
    "nicht haben hatte die das dem ein eine einen einem einer und im vom zum zur gegen nach",
    "it": "chi che cosa cos'è è perché quale quali qual quanto quanta quanti quante sono ha hanno il si su gli quando",
    "pt": "que quem qual quais quando onde é são está foi foram disse tem por porque sobre em",
}
# Question words that open a question of their language only, never an English one nor a name ("Che",
# "Chi", "Como" and "Dove" are names or English words). A question ("?") opening with one and holding a
# lower-case word that English does not use is that language's when py3langid gives English at most
# ``MAX_ENGLISH`` ("Qui a acheté Yukos ?", "Onde fica Lisboa?"), whatever its probability of the language
# itself (0.43-0.74 on such questions); not "Qui Nhon port?" nor "Quando quando song?".
OPENING_WH = frozenset(
    """qui quand pourquoi combien quel quelle quels quelles où quem quando onde porque quanto quantos quanta
    quantas quién quiénes cuándo cuánto cuántos dónde cuál cuáles wer wann warum wieso weshalb welche welcher
    welches perché quale quali""".split()
)
_MARKER_LANGUAGES = {
    word: frozenset(code for code, words in FOREIGN_MARKERS.items() if word in words.split())
    for word in " ".join(FOREIGN_MARKERS.values()).split()
}
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_JOINER = re.compile(r"['’-]")  # "Qu'est-ce", "Cos'è": the parts count as words too


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's normalised-probability identifier over ``CANDIDATES``, loaded on first use (its numpy
    model ships in the wheel). Made from the model's arrays cut to those languages, not with
    ``set_languages``, which keeps the whole model (100,053 features x 142 classes, 28 MB) beside the cut
    one for the life of the process."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(MODEL_DIR / MODEL_FILE)
    keep = [i for i, code in enumerate(classes) if code in CANDIDATES]
    return LanguageIdentifier(
        np.ascontiguousarray(ptc[:, keep]),
        np.asarray(pc)[keep],
        [classes[i] for i in keep],
        nextmove,
        output,
        norm_probs=True,
        tk_row=row,
    )


def load_detector() -> None:
    """Load the detector's model now (about a second), so that the first question does not wait for it."""
    _identifier()


def detect_language(text: str) -> tuple[str, float, float]:
    """py3langid's language code for ``text``, its probability and the probability of English (0 to 1)."""
    ranked = _ranked(text)
    code = max(ranked, key=ranked.__getitem__)
    return code, ranked[code], ranked.get(SUPPORTED, 0.0)


def _ranked(text: str) -> dict[str, float]:
    """py3langid's probability (0 to 1) of each of ``CANDIDATES`` for ``text``; unless one of ``MINOR`` is the
    likeliest, over the others only."""
    ranked = {str(code): float(p) for code, p in _identifier().rank(normalise(text))}
    if max(ranked, key=ranked.__getitem__) in MINOR:
        return ranked
    total = sum(p for code, p in ranked.items() if code not in MINOR)
    return {code: p / total for code, p in ranked.items() if code not in MINOR}


def unsupported_language(question: str) -> str | None:
    """The language code of ``question`` when it is one the model does not handle, else None."""
    found = _WORD.findall(normalise(question))
    if any(w.casefold() in ENGLISH_MARKERS for w in found):
        return None
    markers = _foreign_markers(found, question)
    if markers:
        return _marked_language(question, markers)
    opens = found and found[0].casefold() in OPENING_WH and question.rstrip().endswith(("?", "？"))
    rest = [w for w in found[1:] if w.casefold() != found[0].casefold()] if found else []
    if opens and any(w[0].islower() and specificity(w) >= UNKNOWN_TO_ENGLISH for w in rest):
        # "Qui a acheté Yukos ?": a foreign question word opens a question, a word English does not use follows
        code, _, english = detect_language(question)
        return code if code != SUPPORTED and english <= MAX_ENGLISH else None
    lower = sum(1 for w in found[1:] if w[0].islower())
    if lower < MIN_LOWER_WORDS and not _mostly_non_latin(found) and not _caseless_words(found):
        return None
    code, probability, english = detect_language(question)
    if code == SUPPORTED:
        return None
    if _mostly_non_latin(found) or (probability >= MIN_PROBABILITY and english <= MAX_ENGLISH):
        return code
    return None


def check_language(question: str) -> None:
    """Raise ``UnsupportedLanguage`` (422 ``unsupported_language``) when ``question`` is not English."""
    code = unsupported_language(question)
    if code is not None:
        name = NAMES.get(code, f"language code {code!r}")
        raise UnsupportedLanguage(
            f"the question looks like {name}; citeqa's model understands English only, "
            "so an answer would come from unrelated text: ask it in English"
        )


def _foreign_markers(found: list[str], question: str) -> dict[str, int]:
    """Per language code with at least ``MIN_MARKERS``, how many different ``FOREIGN_MARKERS`` of it ``found``
    has in lower case or as its capitalised first word ("¿" in ``question`` counts as one of Spanish)."""
    marked = {"¿": frozenset({"es"})} if "¿" in question else {}
    for i, word in enumerate(found):
        for part in {word, *_JOINER.split(word)}:
            key = part.casefold().replace("’", "'")
            first = i == 0 and word.startswith(part) and part == part.capitalize()
            if key in _MARKER_LANGUAGES and (part.islower() or first):
                marked[key] = _MARKER_LANGUAGES[key]
    counts: dict[str, int] = {}
    for codes in marked.values():
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
    return {code: n for code, n in counts.items() if n >= MIN_MARKERS}


def _marked_language(question: str, markers: dict[str, int]) -> str | None:
    """The marked language with the most markers (then the likelier), unless py3langid finds English likelier."""
    ranked = _ranked(question)
    best = max(markers, key=lambda code: (markers[code], ranked.get(code, 0.0)))
    return best if ranked.get(best, 0.0) > ranked.get(SUPPORTED, 0.0) else None


def _caseless_words(found: list[str]) -> bool:
    """Whether ``found`` has letters of a script without case (Chinese, Arabic, Hebrew...): words,
    not names, since a name among English words comes with an English question word."""
    return sum(1 for word in found for ch in word if not ch.isupper() and not ch.islower()) >= 2


def _mostly_non_latin(found: list[str]) -> bool:
    letters = "".join(found)
    latin = sum(1 for ch in letters if ch.isascii() or "\u00c0" <= ch <= "\u024f")
    return bool(letters) and latin < len(letters) / 2


__all__ = ["check_language", "detect_language", "load_detector", "unsupported_language"]
