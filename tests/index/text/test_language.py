"""Questions in a language the (English-only) model does not handle are refused; short English ones,
names and acronyms are not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citeqa.index.errors import UnsupportedLanguage
from citeqa.index.text.language import check_language, unsupported_language

# Short English questions and queries written for this test (names, acronyms, headlines, fragments):
# none may be refused. A false refusal costs an answer, so this list is long on purpose.
SHORT_ENGLISH = [
    "what is NSATU?",
    "Who is Mark Rutte?",
    "Mark Rutte?",
    "NSATU",
    "Rutte",
    "Nakatani Gen",
    "Keio University",
    "Zelensky Trump 2025",
    "Ishiba resigns",
    "Gaza ceasefire talks",
    "Tony Blair election pledge",
    "Rolls-Royce profit",
    "Nintendo DS sales",
    "Man Utd beat Arsenal",
    "Rutte visit Tokyo",
    "Japan defence spending target",
    "Ole Gunnar Solskjaer",
    "Jose Mourinho Chelsea",
    "Yukos auction",
    "Deutsche Bank bonus",
    "Parmalat fraud trial",
    "Fiat Punto sales",
    "Real Madrid Galacticos",
    "Dalai Lama visit",
    "Carlos Ghosn Renault Nissan",
    "Lagos Nigeria oil",
    "Yasukuni shrine",
    "Kim Jong Un summit",
    "Bundestag vote",
    "Le Pen campaign",
    "El Nino rainfall",
    "Why?",
    "When?",
    "How much did it cost?",
    "Is it open on Sunday?",
    "Was it approved?",
    "Any news on the ferry?",
    "Define NATO",
    "Explain ITPP",
    "Tell me about the tidal plant",
    "Summarise the visit",
    "Did Japan join?",
    "List the ministers",
    "Give me the date",
    "Show sources please",
    "GDP growth 2024",
    "iPod sales surge",
    "Abramovich Chelsea takeover",
    "Mittal steel merger",
    "Ferrari Schumacher title",
    # names and titles that start with, or are, a question or function word of another language
    "Il Divo tour",
    "michelle wie turns pro",
    "Che Guevara film",
    "che guevara film",
    "Qui Nhon port",
    "quando quando song",
    "Que Sera Sera singer",
    "chi chi rodriguez golf",
    "Es Devlin stage design",
    "Las Vegas casino",
    "Van der Sar saves penalty",
    "Le Mans crash",
    "O'Neill quits Celtic",
    # English questions with foreign names, and titles that are German articles
    "Who is Zoë Marchetti?",
    "What did Rutte say at Keio University?",
    "What is Der Spiegel?",
    "Who won the Champions League?",
    "Will Bond die?",
    "Die Hard sequel",
    "Die Linke party gains",
    "Das Boot remake",
    # a foreign question word opening a name or a title, with English words only
    "Qui Nhon port?",
    "Quando quando song?",
]
NOT_ENGLISH = [
    ("Quand le phare a-t-il été construit ?", "fr"),
    ("Qui a construit le phare ?", "fr"),
    ("Pourquoi le Japon veut-il rejoindre l’OTAN ?", "fr"),
    ("Wer hat den Leuchtturm gebaut?", "de"),
    ("Wer ist Mark Rutte?", "de"),
    # a question word and an article: py3langid gives it German at 0.74 only, under MIN_PROBABILITY
    ("Wer gewann 2020 die Champions League?", "de"),
    ("Wann spielte Bayern gegen Real Madrid?", "de"),
    ("¿Quién construyó el faro?", "es"),
    ("Chi ha costruito il faro?", "it"),
    ("Quem construiu o farol?", "pt"),
    ("Wie heeft de vuurtoren gebouwd?", "nl"),
    ("Kto zbudował latarnię?", "pl"),
    ("灯塔是谁建造的？", "zh"),
    ("Кто построил маяк?", "ru"),
    # short: mostly a name, the detector alone is unsure
    ("¿Qué es NSATU?", "es"),
    ("Qui est Mark Rutte ?", "fr"),
    ("Chi è Mark Rutte?", "it"),
    ("Cos'è NSATU?", "it"),
    ("Quem é Mark Rutte?", "pt"),
    ("O que é NSATU?", "pt"),
    # one question word, then words English does not use: py3langid alone is unsure (0.43-0.74)
    ("Qui a acheté Yukos ?", "fr"),
    ("Onde fica Lisboa?", "pt"),
    ("Quando morreu Pelé?", "pt"),
    # a script without case: no lower-case word, yet words, not a name
    ("什么是NSATU", "zh"),
    ("什么是 NSATU？", "zh"),
    ("ما هو NSATU؟", "ar"),
    # a museum's Welsh visitors (nineteenth session's trial); Welsh counts only when the likeliest
    ("Pryd mae'r amgueddfa ar agor?", "cy"),
    ("Oes gennych chi staff sy'n siarad Cymraeg?", "cy"),
]
# Short Spanish, French, German, Italian and Portuguese questions written for citeqa: "dev" (seen while
# choosing the foreign markers) and "holdout" (written after them). Before the markers 36/50 and 22/25
# were refused as their language; `python bench/language_refusals.py ../shared` reports them.
SHORT_NON_ENGLISH = Path(__file__).parent / "short_non_english.jsonl"
MIN_DETECTED = 0.9


@pytest.mark.parametrize("question", SHORT_ENGLISH)
def test_short_english_questions_and_names_are_not_refused(question: str) -> None:
    assert unsupported_language(question) is None
    check_language(question)


@pytest.mark.parametrize(("question", "code"), NOT_ENGLISH)
def test_questions_in_other_languages_are_refused(question: str, code: str) -> None:
    assert unsupported_language(question) == code
    with pytest.raises(UnsupportedLanguage, match="English") as raised:
        check_language(question)
    assert raised.value.status == 422 and raised.value.code == "unsupported_language"


def test_the_refusal_names_the_language() -> None:
    with pytest.raises(UnsupportedLanguage, match="French"):
        check_language("Qui a construit le phare ?")


@pytest.mark.parametrize("part", ["dev", "holdout"])
def test_most_short_questions_in_nearby_languages_are_refused_as_their_language(part: str) -> None:
    rows = [json.loads(line) for line in SHORT_NON_ENGLISH.read_text(encoding="utf-8").splitlines()]
    asked = [(r["question"], r["language"]) for r in rows if r["set"] == part]
    missed = [(q, code, unsupported_language(q)) for q, code in asked if unsupported_language(q) != code]
    assert len(asked) >= 25
    assert 1 - len(missed) / len(asked) >= MIN_DETECTED, missed


@pytest.mark.parametrize(
    "text", ["What did the chancellor say?", "¿Qué es NSATU?", "Qui a acheté Yukos ?", "Это вопрос"]
)
def test_the_detector_cut_to_its_languages_ranks_as_py3langid_restricted_to_them(text: str) -> None:
    """The detector is built from py3langid's model cut to ``CANDIDATES`` (the whole model, 28 MB, is not
    kept): the same probabilities as py3langid's own ``set_languages`` gives."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from citeqa.index.text.language import CANDIDATES, _identifier

    restricted = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    restricted.set_languages(CANDIDATES)
    assert sorted(_identifier().labels) == sorted(CANDIDATES)
    assert _identifier().rank(text) == restricted.rank(text)


def test_a_minor_language_does_not_thin_the_others() -> None:
    """Welsh, Irish and Catalan are candidates only when likeliest: "Was ist NSATU?" is German at 0.81 as
    without them (0.77 with their share, under ``MIN_PROBABILITY``, and it was answered)."""
    from citeqa.index.text.language import MIN_PROBABILITY, MINOR, _ranked

    ranked = _ranked("Was ist NSATU?")
    assert not MINOR & set(ranked) and ranked["de"] >= MIN_PROBABILITY and abs(sum(ranked.values()) - 1) < 1e-6
    assert unsupported_language("Was ist NSATU?") == "de"
