"""The checks on what an answer says read what the question asks, not its context (blind10/blind11's wrong
abstentions, rebuilt with our own text): a death the question takes for granted in a clause ("the finale in
which Den Rook was killed"), a jailing it takes for granted ("the two jailed reporters") told as
"imprisoned", and a sentence giving the sum asked for while saying something else "has not been
announced". What the articles withhold is still refused. Real model, real index of four invented articles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import build_test_index

ARTICLES = {
    "harbour-lights": (
        "Harbour Lights finale draws millions",
        "More than nine million viewers saw Den Rook killed off in the drama Harbour Lights on Sunday. "
        "The storm scenes were filmed on the Kelham coast in May. "
        "The audience for the one-hour finale averaged 8.1 million and peaked at 9.4 million in its last ten "
        "minutes, overnight figures showed.",
    ),
    "reporters-day": (
        "Readers asked to light candles for reporters",
        "A press freedom group is asking readers to light candles on 14 March for two imprisoned reporters. "
        "Lena Osk and Piet Varn are both in prison in Norland. "
        "The group said the day would remind governments that reporting is no crime.",
    ),
    "greens-cuts": (
        "Greens set out spending plans",
        "The Greens on Monday set out plans for spending cuts worth £2bn, although the departments to be cut "
        "have not been announced. The party said the money would pay for rail fares to be frozen. "
        "It also wants fewer people jailed for minor crimes.",
    ),
    "varga-memoir": (
        "Varga's earnings published",
        "The former minister Ilse Varga was paid an undisclosed amount for the serialisation of her memoir "
        "and up to £20,000 for speeches to business groups. The register of interests was published on Friday.",
    ),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, build_embedder: Any) -> Any:
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    corpus = tmp_path_factory.mktemp("asked-corpus")
    for doc_id, (title, body) in ARTICLES.items():
        (corpus / f"{doc_id}.md").write_text(f'---\nid: {doc_id}\ntitle: "{title}"\n---\n{body}\n', encoding="utf-8")
    index = build_test_index(corpus, tmp_path_factory.mktemp("asked-index"), build_embedder)
    return load_engine(Settings(index_dir=Path(index)))


@pytest.mark.parametrize(
    ("question", "doc_id", "says"),
    [
        # "does not state the death asked about" before: the death is the clause's, the audience is asked
        (
            "What was the peak audience for the Harbour Lights finale in which Den Rook was killed?",
            "harbour-lights",
            "9.4 million",
        ),
        # "tells of no verdict" before: the article says "imprisoned" and "in prison", not "jailed"
        ("When are readers asked to light candles for the two jailed reporters?", "reporters-day", "14 March"),
        # "says it is not given: “have not been announced”" before: the sentence gives the sum asked for
        ("What value of spending cuts did the Greens set out on Monday?", "greens-cuts", "£2bn"),
    ],
)
def test_the_answer_is_checked_for_what_is_asked(engine: Any, question: str, doc_id: str, says: str) -> None:
    answer, _ = engine.ask(question)
    assert answer.answerable, answer.reason
    assert answer.citations[0].doc_id == doc_id and says in answer.answer


def test_an_amount_the_article_withholds_is_still_refused(engine: Any) -> None:
    answer, _ = engine.ask("How much was Ilse Varga paid for the serialisation of her memoir?")
    assert not answer.answerable, answer.answer
    assert "says it is not given: “undisclosed amount”" in (answer.reason or "")
