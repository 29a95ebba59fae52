"""Life events: questions about a birth, a death or a marriage, and sentences stating one."""

from __future__ import annotations

import pytest

from citeqa.index.text.events import EVENT_NAMES, asked_event, states_event


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When was Mark Rutte born?", "birth"),
        ("In which Texas town was the singer Jerry Scoggins born?", "birth"),
        ("In what year was Youssou N'Dour born?", "birth"),
        ("What is the mayor's birthplace?", "birth"),
        ("Where did the band's former manager die?", "death"),
        ("What was the cause of death?", "death"),
        ("Which actress did the comedian marry in 1941?", "marriage"),
        ("Why had the film-maker received death threats?", None),  # a death threat is no death asked about
        ("Which game did the parents of the boy stabbed to death blame?", None),
        ("When did the museum reopen?", None),
    ],
)
def test_the_event_a_question_asks_about(question: str, kind: str | None) -> None:
    assert asked_event(question) == kind


@pytest.mark.parametrize(
    ("kind", "sentence", "states"),
    [
        ("birth", "She was born in Cork in 1961.", True),
        ("birth", "The Dublin-born writer won the prize.", True),
        ("birth", "Jerry Scoggins has died in Los Angeles at the age of 93.", False),
        ("birth", "Mark Rutte visited Japan on April 8-9.", False),
        ("death", "Jerry Scoggins has died in Los Angeles at the age of 93.", True),
        ("death", "The singer played at the festival in 1998.", False),
        ("marriage", "He married actress Betty Astell in 1941.", True),
        ("marriage", "He toured with actress Betty Astell in 1941.", False),
    ],
)
def test_whether_a_sentence_states_the_event(kind: str, sentence: str, states: bool) -> None:
    assert states_event(kind, sentence) is states


def test_every_kind_has_a_readable_name() -> None:
    assert set(EVENT_NAMES) == {"birth", "death", "marriage"}
    with pytest.raises(KeyError):
        states_event("graduation", "She graduated in 2001.")
