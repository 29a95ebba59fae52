"""The chat endpoint, through the official `openai` client against a real `citeqa serve` over
tests/text_corpus.py: a follow-up is resolved against the message history; other languages are refused."""

from __future__ import annotations

from typing import Any

import openai
import pytest

from tests.conftest import Server

FIRST = "Who built the Skerrow Point lighthouse?"


@pytest.fixture(scope="module")
def oai(text_server: Server) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{text_server.url}/v1", api_key="unused", max_retries=0, timeout=60)


def extension(completion: Any) -> dict[str, Any]:
    found: dict[str, Any] = (completion.model_extra or {})["citeqa"]
    return found


def test_a_follow_up_is_answered_from_the_earlier_turn(oai: openai.OpenAI) -> None:
    first = oai.chat.completions.create(model="citeqa", messages=[{"role": "user", "content": FIRST}])
    first_answer = first.choices[0].message.content or ""
    assert [c["doc_id"] for c in extension(first)["citations"]][:1] == ["skerrow-lighthouse"]
    follow_up = oai.chat.completions.create(
        model="citeqa",
        messages=[
            {"role": "system", "content": "Answer from the articles."},
            {"role": "user", "content": FIRST},
            {"role": "assistant", "content": first_answer},
            {"role": "user", "content": "When did he build it?"},
        ],
    )
    got = extension(follow_up)
    assert got["answerable"], got["reason"]
    assert got["citations"][0]["doc_id"] == "skerrow-lighthouse"
    assert "1861" in (follow_up.choices[0].message.content or "")
    assert "Tomas Brennan" in got["question"]


def test_the_follow_up_alone_is_not_answered_from_the_lighthouse(oai: openai.OpenAI) -> None:
    alone = oai.chat.completions.create(model="citeqa", messages=[{"role": "user", "content": "When did he build it?"}])
    assert [c["doc_id"] for c in extension(alone)["citations"]][:1] != ["skerrow-lighthouse"]


def test_a_streamed_follow_up_is_resolved_too(oai: openai.OpenAI) -> None:
    chunks = list(
        oai.chat.completions.create(
            model="citeqa",
            messages=[
                {"role": "user", "content": FIRST},
                {"role": "assistant", "content": "Tomas Brennan built it. [1]"},
                {"role": "user", "content": "When did he build it?"},
            ],
            stream=True,
        )
    )
    first_extra = chunks[0].model_extra or {}
    assert first_extra["citeqa"]["citations"][0]["doc_id"] == "skerrow-lighthouse"


def test_a_question_in_french_is_refused_with_unsupported_language(oai: openai.OpenAI) -> None:
    with pytest.raises(openai.UnprocessableEntityError) as raised:
        oai.chat.completions.create(
            model="citeqa",
            messages=[{"role": "user", "content": "Quand le phare de Skerrow Point a-t-il été construit ?"}],
        )
    body: Any = raised.value.body
    assert (body.get("error") or body)["code"] == "unsupported_language"


def test_a_follow_up_means_the_person_the_articles_place_there(oai: openai.OpenAI) -> None:
    """The last answer names Olaf Brandt; the academy's sentence names Marta Quell (tests/text_corpus.py)."""
    completion = oai.chat.completions.create(
        model="citeqa",
        messages=[
            {"role": "user", "content": "Who did Marta Quell meet in Port Vell?"},
            {"role": "assistant", "content": "She met the harbour master Olaf Brandt at the customs house. [1]"},
            {"role": "user", "content": "What did she talk about at the academy?"},
        ],
    )
    got = extension(completion)
    assert "Marta Quell" in got["question"] and "Brandt" not in got["question"]
    assert "shipping tariffs" in (completion.choices[0].message.content or "")
