"""Issue 13's text cases through ``POST /v1/ask`` over the real model and an index of tests/text_corpus.py:
matching sees normalised text while citations quote the original, symbol terms are terms, other
languages are refused, and a follow-up sent with its ``history`` is resolved against it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.text_corpus import ARTICLES, DECOMPOSED_NAME

LIGHTHOUSE_TURN = {"question": "Who built the Skerrow Point lighthouse?"}


def ask(client: Any, question: str, **extra: Any) -> dict[str, Any]:
    response = client.post("/v1/ask", json={"question": question, **extra})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def cited(answer: dict[str, Any]) -> list[str]:
    return [c["doc_id"] for c in answer["citations"]]


def assert_quotes_are_exact(client: Any, answer: dict[str, Any]) -> None:
    for citation in answer["citations"]:
        text = client.get(f"/v1/documents/{citation['doc_id']}").json()["text"]
        assert text[citation["start"] : citation["end"]] == citation["quote"]


@pytest.mark.parametrize(
    ("question", "doc_id", "says"),
    [
        ("Who created the C programming language?", "c-language", "Dennis Ritchie"),
        ("Who created the C++ programming language?", "cpp-language", "Bjarne Stroustrup"),
        ("Who designed C#?", "csharp-language", "Anders Hejlsberg"),
    ],
)
def test_c_cpp_and_csharp_are_different_terms(text_client: Any, question: str, doc_id: str, says: str) -> None:
    answer = ask(text_client, question)
    assert answer["answerable"], answer["reason"]
    assert cited(answer)[0] == doc_id and says in answer["answer"]


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("Who was the firmware written by?", "ﬁrmware"),  # ligature in the text
        ("When did Kestrel Audio release the RX9?", "ＲＸ９"),  # fullwidth in the text
        ("Who is Zoë Marchetti?", DECOMPOSED_NAME),  # composed in the question, decomposed in the text
        ("Where was the transistor stage designed?", "trans\u00adistor"),  # soft hyphen in the text
    ],
)
def test_matching_is_normalised_but_quotes_are_the_original_text(text_client: Any, question: str, quoted: str) -> None:
    answer = ask(text_client, question)
    assert answer["answerable"], answer["reason"]
    assert cited(answer)[0] == "kestrel-rx9"
    assert quoted in answer["citations"][0]["quote"]
    assert_quotes_are_exact(text_client, answer)
    assert answer["passages"][0]["lexical_score"] > 0


def test_the_stored_text_keeps_its_odd_characters(text_client: Any) -> None:
    text = text_client.get("/v1/documents/kestrel-rx9").json()["text"]
    assert ARTICLES["kestrel-rx9"][1] in text


@pytest.mark.parametrize(
    "question",
    [
        "Quand le phare de Skerrow Point a-t-il été construit ?",
        "Qui a construit le phare ?",
        "Wer hat den Leuchtturm gebaut?",
        "¿Quién construyó el faro?",
        "¿Qué es NSATU?",
        "灯塔是谁建造的？",
        "什么是 NSATU？",  # a script without case around a Latin acronym: words, not a name
        "ما هو NSATU؟",
    ],
)
def test_a_question_in_another_language_is_refused(text_client: Any, question: str) -> None:
    """The corpus holds a French article, but the model is English-only: no answer from unrelated text."""
    response = text_client.post("/v1/ask", json={"question": question})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unsupported_language"
    assert "English" in error["message"]


def test_search_is_not_refused_for_another_language(text_client: Any) -> None:
    """Search makes no claim: its lexical half matches words of any language (a decision, see docs/api.md)."""
    response = text_client.post("/v1/search", json={"query": "phare construit ingénieur"})
    assert response.status_code == 200
    assert response.json()["passages"][0]["doc_id"] == "phare-skerrow"


def test_a_follow_up_is_resolved_against_the_history(text_client: Any) -> None:
    first = ask(text_client, LIGHTHOUSE_TURN["question"])
    assert first["answerable"] and cited(first)[0] == "skerrow-lighthouse"
    history = [{"question": LIGHTHOUSE_TURN["question"], "answer": first["answer"]}]
    follow_up = ask(text_client, "When did he build it?", history=history)
    assert follow_up["answerable"], follow_up["reason"]
    assert cited(follow_up)[0] == "skerrow-lighthouse" and "1861" in follow_up["answer"]
    assert "Tomas Brennan" in follow_up["question"] and "lighthouse" in follow_up["question"]


def test_a_follow_up_means_the_person_the_articles_tie_to_its_words(text_client: Any) -> None:
    """The last answer names Olaf Brandt, but the academy is where Marta Quell spoke."""
    answer = "She met the harbour master Olaf Brandt at the customs house. [1]"
    history = [{"question": "Who did Marta Quell meet in Port Vell?", "answer": answer}]
    follow_up = ask(text_client, "What did she talk about at the academy?", history=history)
    assert "Marta Quell" in follow_up["question"] and "Brandt" not in follow_up["question"]
    assert follow_up["answerable"] and "shipping tariffs" in follow_up["answer"], follow_up


GREYHAVEN_BUILT = [
    "The Greyhaven lighthouse was built by the engineer Margaret Ellison.",
    "She completed it in 1887 after four years of work.",
]


@pytest.mark.parametrize(
    "question",
    ["When was the Greyhaven lighthouse built?", "When did Margaret Ellison build the Greyhaven lighthouse?"],
)
def test_the_date_asked_for_in_the_next_sentence_is_quoted_with_the_one_it_carries_on(
    text_client: Any, question: str
) -> None:
    """Neither the sale's year nor the opening time answers it: the builder's sentence and the next one do."""
    answer = ask(text_client, question)
    assert answer["answerable"], answer["reason"]
    assert [c["quote"] for c in answer["citations"]] == GREYHAVEN_BUILT
    assert_quotes_are_exact(text_client, answer)


def test_a_time_of_day_still_answers_when_something_opens(text_client: Any) -> None:
    answer = ask(text_client, "When does the Greyhaven lighthouse open to visitors?")
    assert answer["answerable"] and "10 a.m." in answer["citations"][0]["quote"], answer


def test_a_follow_up_about_the_builder_gets_the_year_from_the_sentence_after(text_client: Any) -> None:
    first = ask(text_client, "Who built the Greyhaven lighthouse?")
    assert first["answerable"] and "Margaret Ellison" in first["citations"][0]["quote"], first
    history = [{"question": "Who built the Greyhaven lighthouse?", "answer": first["answer"]}]
    follow_up = ask(text_client, "When did she build it?", history=history)
    assert "Margaret Ellison" in follow_up["question"], follow_up["question"]
    assert follow_up["answerable"] and "1887" in follow_up["answer"], follow_up


def test_the_same_follow_up_without_history_is_not_about_the_lighthouse(text_client: Any) -> None:
    """What the history changes: alone, "When did he build it?" does not cite the lighthouse."""
    alone = ask(text_client, "When did he build it?")
    assert alone["question"] == "When did he build it?"
    assert "skerrow-lighthouse" not in cited(alone)[:1]


def test_a_new_topic_in_a_conversation_stands_alone(text_client: Any) -> None:
    history = [{"question": LIGHTHOUSE_TURN["question"], "answer": "Tomas Brennan built it. [1]"}]
    answer = ask(text_client, "Who created the C++ programming language?", history=history)
    assert answer["question"] == "Who created the C++ programming language?"
    assert cited(answer)[0] == "cpp-language"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"question": "Why?", "history": [{"question": ""}]}, "history"),
        ({"question": "Why?", "history": [{"question": "Who?", "answer": "x" * 5000}]}, "history"),
        ({"question": "Why?", "history": [{"question": "Who?"}] * 11}, "history"),
        ({"question": "Why?", "history": [{"question": "Who?", "extra": 1}]}, "history"),
        ({"question": "Why?", "history": "Who built it?"}, "history"),
    ],
)
def test_bad_history_is_a_422_naming_the_field(text_client: Any, body: dict[str, Any], field: str) -> None:
    response = text_client.post("/v1/ask", json=body)
    assert response.status_code == 422
    assert field in response.json()["error"]["message"]


def test_the_openapi_schema_documents_history(text_client: Any) -> None:
    schema = text_client.get("/openapi.json").json()["components"]["schemas"]
    history = schema["AskRequest"]["properties"]["history"]
    assert "follow-up" in history["description"]
    assert "history" not in schema["AskRequest"].get("required", [])
    assert set(schema["HistoryTurn"]["properties"]) == {"question", "answer"}


def test_the_language_detector_loads_at_start_up_not_on_the_first_question(default_index: Any) -> None:
    from fastapi.testclient import TestClient

    from citeqa.index.text import language
    from citeqa.service.api.app import create_app
    from citeqa.service.settings import Settings
    from tests.conftest import wait_ready

    language._identifier.cache_clear()
    with TestClient(create_app(Settings(index_dir=default_index))) as client:
        wait_ready(lambda: client.get("/readyz").status_code)
        assert language._identifier.cache_info().currsize == 1
