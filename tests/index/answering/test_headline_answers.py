"""A plain-text article's first line is its headline: when the ranker's best sentence is only that line
and the body has a nearly as likely sentence, the answer quotes the body (new-user trial: "Who opened
the bakery?" was answered with "Rosa's Bakery opens in Elmford [1]" before the sentence saying who).
Real model, real index of two invented articles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import build_test_index


def test_the_body_answers_rather_than_the_headline(tmp_path: Path, build_embedder: Any) -> None:
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bakery.txt").write_text(
        "Rosa's Bakery opens in Elmford\n\nRosa Delgado opened a bakery on Mill Street in Elmford on Saturday. "
        "She trained as a pastry chef in Lyon before returning home. The bakery sells bread, croissants and cakes.\n"
    )
    (corpus / "chess.txt").write_text(
        "Local teenager wins chess title\n\nA 15-year-old from Elmford won the county chess championship on "
        "Sunday. Maya Okafor beat six opponents.\n"
    )
    engine = load_engine(Settings(index_dir=build_test_index(corpus, tmp_path / "index", build_embedder)))
    answer, _ = engine.ask("Who opened the bakery?")
    assert answer.answerable, answer.reason
    quotes = [c.quote for c in answer.citations]
    assert quotes[0].startswith("Rosa Delgado opened a bakery"), quotes
    assert "Rosa's Bakery opens in Elmford" not in quotes
