"""Questions in a language the (English-only) model does not handle are refused; short English ones,
names and acronyms are not."""

from __future__ import annotations

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
]
NOT_ENGLISH = [
    ("Quand le phare a-t-il été construit ?", "fr"),
    ("Qui a construit le phare ?", "fr"),
    ("Pourquoi le Japon veut-il rejoindre l’OTAN ?", "fr"),
    ("Wer hat den Leuchtturm gebaut?", "de"),
    ("Wer ist Mark Rutte?", "de"),
    ("¿Quién construyó el faro?", "es"),
    ("Chi ha costruito il faro?", "it"),
    ("Quem construiu o farol?", "pt"),
    ("Wie heeft de vuurtoren gebouwd?", "nl"),
    ("Kto zbudował latarnię?", "pl"),
    ("灯塔是谁建造的？", "zh"),
    ("Кто построил маяк?", "ru"),
]


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
