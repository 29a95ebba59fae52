"""Issue 13's near misses, rebuilt with our own text: the entity is in the corpus, the detail asked for
is not. "Asked for a verdict, answered with the accusation" and "asked for one year's case, answered
with another year's" must abstain, while the same articles still answer what they do say. Real model,
real index of four invented articles (one reports another trial's verdict, so "verdict", "jury" and
"guilty" are words the corpus uses)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import build_test_index

ARTICLES = {
    "marsh-trial": (
        "Teacher accused of taking school fund",
        "Retired teacher Helen Marsh appeared at Exeter Crown Court on Monday accused of fraud over a school "
        "fund. Prosecutors said she had taken £12,000 from the fund over four years to pay for holidays. "
        "Mrs Marsh, 61, denies the charge. The trial is expected to last three weeks.",
    ),
    "hollis-verdict": (
        "Builder guilty of theft from pensioners",
        "A jury at Leeds Crown Court found builder Sam Hollis guilty of theft on Friday after a two-week trial. "
        "The verdict came after four hours of deliberation. Hollis, 45, had taken deposits from pensioners "
        "for work he never did. He will be sentenced next month.",
    ),
    "dunmore-fine": (
        "Brewery fined over late tax returns",
        "The Dunmore Brewery was fined £40,000 in 2002 for filing its tax returns late three years running. "
        "The brewery said it had since changed its accountants. Its owner, Paul Dunmore, said the fine was a "
        "lesson for the whole business.",
    ),
    "kelham-museum": (
        "Harbour museum reopens",
        "The Kelham harbour museum reopened on Saturday after a two-year restoration costing £3m. Visitors can "
        "see the restored lifeboat and a collection of ship models. The museum is open from 10am to 4pm every day.",
    ),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, build_embedder: Any) -> Any:
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    corpus = tmp_path_factory.mktemp("near-miss-corpus")
    for doc_id, (title, text) in ARTICLES.items():
        (corpus / f"{doc_id}.md").write_text(f'---\ntitle: "{title}"\n---\n{text}\n', encoding="utf-8")
    index: Path = build_test_index(corpus, tmp_path_factory.mktemp("near-miss-index"), build_embedder)
    return load_engine(Settings(index_dir=index))


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("Was Helen Marsh found guilty of fraud?", "does not mention"),
        ("What verdict did the jury reach in Helen Marsh's fraud trial?", ""),
        ("How much was the Dunmore Brewery fined in 2004?", "gives '2002', not '2004'"),
    ],
)
def test_a_near_miss_abstains(engine: Any, question: str, reason: str) -> None:
    answer, _ = engine.ask(question)
    assert not answer.answerable, answer.answer
    assert answer.citations == ()
    assert reason in (answer.reason or "")


@pytest.mark.parametrize(
    ("question", "doc_id", "says"),
    [
        ("What is Helen Marsh accused of?", "marsh-trial", "accused of fraud"),
        ("What verdict did the jury reach in the Sam Hollis trial?", "hollis-verdict", "guilty"),
        ("How much was the Dunmore Brewery fined in 2002?", "dunmore-fine", "£40,000"),
        ("When will Hollis be sentenced?", "hollis-verdict", "next month"),
        ("How much did the museum restoration cost?", "kelham-museum", "£3m"),
    ],
)
def test_what_the_articles_say_is_answered(engine: Any, question: str, doc_id: str, says: str) -> None:
    answer, _ = engine.ask(question)
    assert answer.answerable, answer.reason
    assert answer.citations[0].doc_id == doc_id and says in answer.answer
