"""The OpenAI-compatible API, driven by the official `openai` client against a real `citeqa serve` process."""

from __future__ import annotations

import json
from typing import Any

import httpx
import openai
import pytest

from citeqa.index.answering.extraction import NOT_COVERED
from citeqa.service.api.routes.chat import ChatMessage, ChatRequest
from tests.conftest import Server

QUESTION = "What is NSATU?"


@pytest.fixture(scope="module")
def oai(server: Server) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0, timeout=60)


def test_models_lists_the_corpus(oai: openai.OpenAI) -> None:
    (model,) = oai.models.list().data
    assert model.id == "citeqa"
    assert model.owned_by == "citeqa"
    assert (model.model_extra or {})["citeqa"]["documents"] == 1
    assert oai.models.retrieve("citeqa").id == "citeqa"


def test_chat_completion_answers_with_citations(oai: openai.OpenAI, server: Server) -> None:
    completion = oai.chat.completions.create(
        model="citeqa",
        messages=[
            {"role": "system", "content": "You are helpful."},
            {"role": "user", "content": "Who visited Tokyo?"},
            {"role": "assistant", "content": "Mark Rutte."},
            {"role": "user", "content": QUESTION},
        ],
        temperature=0.2,
    )
    content = completion.choices[0].message.content or ""
    extension: dict[str, Any] = (completion.model_extra or {})["citeqa"]
    assert completion.choices[0].finish_reason == "stop"
    assert extension["question"] == QUESTION
    assert extension["answerable"] is True
    assert "[1]" in content
    answer, sources = content.split("\n\nSources:\n")
    assert answer == extension["answer"]
    assert extension["citations"] and extension["passages"]
    # each marker's source in the text, for front ends that show only the text
    assert sources.splitlines() == [
        f"[{c['id']}] {c['title']} ({c['doc_id']}, characters {c['start']}-{c['end']})" for c in extension["citations"]
    ]
    direct = httpx.post(f"{server.url}/v1/ask", json={"question": QUESTION}, timeout=60).json()
    assert answer == direct["answer"]
    assert [c["quote"] for c in extension["citations"]] == [c["quote"] for c in direct["citations"]]


def test_streaming_sends_passages_first_then_the_same_text(oai: openai.OpenAI) -> None:
    chunks = list(oai.chat.completions.create(model="citeqa", messages=[{"role": "user", "content": QUESTION}],
                                              stream=True))  # fmt: skip
    first_extra = chunks[0].model_extra or {}
    assert chunks[0].choices[0].delta.role == "assistant"
    assert first_extra["citeqa"]["passages"]
    assert first_extra["citeqa"]["citations"]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert len(chunks) > 3
    assert text.startswith(first_extra["citeqa"]["answer"] + "\n\nSources:\n[1] ")
    assert "[1]" in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert len({c.id for c in chunks}) == 1


def test_sources_none_leaves_the_bare_markers(oai: openai.OpenAI) -> None:
    completion = oai.chat.completions.create(
        model="citeqa", messages=[{"role": "user", "content": QUESTION}], extra_body={"sources": "none"}
    )
    extension = (completion.model_extra or {})["citeqa"]
    assert completion.choices[0].message.content == extension["answer"] and "[1]" in extension["answer"]


def test_unanswerable_question_abstains_in_chat_with_its_reason(oai: openai.OpenAI) -> None:
    """The reason is in the text too (a front end shows only the text), streamed or not."""
    messages: Any = [{"role": "user", "content": "What is the surface temperature of Neptune?"}]
    completion = oai.chat.completions.create(model="citeqa", messages=messages)
    extension = (completion.model_extra or {})["citeqa"]
    assert extension["answerable"] is False
    assert extension["citations"] == []
    assert "Neptune" in extension["reason"]
    expected = f"The articles don't cover this question: {extension['reason']}."
    assert completion.choices[0].message.content == expected
    chunks = list(oai.chat.completions.create(model="citeqa", messages=messages, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == expected


def test_a_declined_reply_read_back_as_history_is_the_not_covered_answer() -> None:
    """Its reason names words the articles lack (“Candela”, “Bolton”), not whom a follow-up means."""
    reply = "The articles don't cover this question: the closest article (“Candela signs Bolton”) lacks “wage”."
    request = ChatRequest(
        model="citeqa",
        messages=[
            ChatMessage(role="user", content="Who negotiated the wage deal?"),
            ChatMessage(role="assistant", content=reply),
            ChatMessage(role="user", content="What did he say?"),
        ],
    )
    assert request.turns()[0].answer == NOT_COVERED


@pytest.mark.parametrize(
    ("kwargs", "error", "code"),
    [
        ({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}, openai.NotFoundError, "model_not_found"),
        ({"model": "citeqa", "messages": [{"role": "system", "content": "x"}]}, openai.UnprocessableEntityError, None),
        ({"model": "citeqa", "messages": [{"role": "user", "content": "  "}]}, openai.UnprocessableEntityError, None),
        ({"model": "citeqa", "messages": []}, openai.UnprocessableEntityError, None),
    ],
)
def test_bad_chat_requests_are_clear_errors(
    oai: openai.OpenAI, kwargs: dict[str, Any], error: type[Exception], code: str | None
) -> None:
    with pytest.raises(error) as caught:
        oai.chat.completions.create(**kwargs)
    body: Any = getattr(caught.value, "body", None)
    assert isinstance(body, dict)
    assert body.get("message")
    if code:
        assert body["code"] == code


def test_multimodal_style_content_parts_are_read(server: Server) -> None:
    message = {"role": "user", "content": [{"type": "text", "text": QUESTION}]}
    response = httpx.post(
        f"{server.url}/v1/chat/completions", json={"model": "citeqa", "messages": [message]}, timeout=60
    )
    assert response.status_code == 200
    assert response.json()["citeqa"]["question"] == QUESTION


def sse_events(server: Server, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The JSON events of a streamed chat answer, read line by line as a raw SSE client would, up to [DONE]."""
    events: list[dict[str, Any]] = []
    with httpx.stream("POST", f"{server.url}/v1/chat/completions", json=body, timeout=60) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        data = [line.removeprefix("data: ") for line in response.iter_lines() if line.startswith("data: ")]
    assert data[-1] == "[DONE]"
    events.extend(json.loads(item) for item in data[:-1])
    return events


STREAM = {"model": "citeqa", "messages": [{"role": "user", "content": QUESTION}], "stream": True}


def test_a_stream_carries_no_usage_unless_asked(oai: openai.OpenAI, server: Server) -> None:
    events = sse_events(server, STREAM)
    assert all("usage" not in event for event in events)
    assert events[-1]["choices"][0]["finish_reason"] == "stop"
    chunks = list(oai.chat.completions.create(model="citeqa", messages=STREAM["messages"], stream=True))
    assert all(chunk.usage is None for chunk in chunks)
    assert all(chunk.choices for chunk in chunks)


def test_include_usage_adds_one_final_chunk_with_no_choices(oai: openai.OpenAI, server: Server) -> None:
    events = sse_events(server, {**STREAM, "stream_options": {"include_usage": True}})
    *content, last = events
    assert last["choices"] == []
    assert last["usage"]["total_tokens"] == last["usage"]["prompt_tokens"] + last["usage"]["completion_tokens"] > 0
    assert all(event["usage"] is None and len(event["choices"]) == 1 for event in content)
    assert content[-1]["choices"][0]["finish_reason"] == "stop"

    chunks = list(oai.chat.completions.create(
        model="citeqa", messages=STREAM["messages"], stream=True, stream_options={"include_usage": True}
    ))  # fmt: skip
    *text_chunks, final = chunks
    assert final.choices == [] and final.usage is not None
    assert final.usage.prompt_tokens == len(QUESTION.split())
    assert all(chunk.usage is None for chunk in text_chunks)
    answer = "".join(c.choices[0].delta.content or "" for c in text_chunks)
    assert final.usage.completion_tokens == len(answer.split())


@pytest.mark.parametrize(
    "options", [{"stream": "yes"}, {"stream": 1}, {"stream": True, "stream_options": {"include_usage": "no"}}]
)
def test_stream_flags_are_booleans_as_in_openai_s_api(server: Server, options: dict[str, Any]) -> None:
    """A new user's trial: "stream": "yes" streamed, while /v1/ask refuses "k": "5"; both are now strict."""
    body = {"model": "citeqa", "messages": [{"role": "user", "content": QUESTION}], **options}
    response = httpx.post(f"{server.url}/v1/chat/completions", json=body, timeout=30)
    assert response.status_code == 422
    assert "stream" in response.json()["error"]["message"] or "include_usage" in response.json()["error"]["message"]
