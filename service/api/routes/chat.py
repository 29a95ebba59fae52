"""OpenAI-compatible chat: ``POST /v1/chat/completions`` and ``GET /v1/models``.

Chat front ends that speak the OpenAI API get the same cited extractive answer as
``/v1/ask`` for the last user message, resolved against the earlier messages when it is a
follow-up ("When did he build it?"): the text keeps its ``[n]`` markers and, unless the request
says ``"sources": "none"``, ends with one line per marker naming its source (title, document id,
characters), so a chat front end that shows only the text still shows where each quote is from;
the citations and passages ride in the ``citeqa`` extension field (on the completion, or on the
first chunk of a ``stream: true`` response, so a client can show the passages first).
A stream carries ``usage`` only when asked with ``stream_options: {"include_usage": true}``,
as OpenAI does: in one extra chunk with ``choices: []`` just before ``[DONE]``.
"""

from __future__ import annotations

import calendar
import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from citeqa.index.answering.extraction import NOT_COVERED
from citeqa.index.errors import InvalidInput, ModelNotFound
from citeqa.index.limits import MAX_QUESTION_CHARS
from citeqa.index.text.conversation import Choose, Gender, Turn, resolve_followup
from citeqa.index.text.language import check_language
from citeqa.service.api.auth import ClientDep
from citeqa.service.api.batching import Batcher
from citeqa.service.api.dependencies import get_batcher, get_runtime
from citeqa.service.api.schemas import ERROR_RESPONSES, AskResponse, K
from citeqa.service.runtime import Runtime

WORDS_PER_CHUNK = 4
_PIECE = re.compile(r"\s*\S+\s*")
SOURCES_HEADER = "\n\nSources:\n"  # what the footnotes start with; cut from assistant turns read back
# what the text of a declined answer starts with, its reason after it; the reason is cut from turns read back
DECLINED = NOT_COVERED.removesuffix(".") + ": "


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = Field(None, description="Text, or a list of content parts.")

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        parts = self.content or []
        return " ".join(str(p.get("text", "")) for p in parts if p.get("type") == "text")


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: StrictBool = Field(
        False, description="Send one last chunk with `choices: []` and `usage` before `[DONE]`."
    )


class ChatRequest(BaseModel):
    """The OpenAI chat request; sampling options (temperature...) are accepted and ignored."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(description="The corpus model id from `GET /v1/models`.", examples=["citeqa"])
    messages: list[ChatMessage] = Field(min_length=1, description="The conversation; the last user message is asked.")
    stream: StrictBool = Field(
        False, description="Stream server-sent events (`chat.completion.chunk`), ending `[DONE]`."
    )
    stream_options: StreamOptions | None = Field(None, description="Options of a streamed answer (`stream: true`).")
    k: K = 5
    sources: Literal["footnotes", "none"] = Field(
        "footnotes",
        description="Extension: `footnotes` ends the text with one line per `[n]` marker naming its source "
        "(title, document id, characters, URL or page when known); `none` leaves the bare markers. The "
        "citations are in `citeqa.citations` either way.",
    )

    def question(self, choose: Choose | None = None, gender: Gender | None = None) -> str:
        """The last user message, checked to be English, then resolved against the earlier turns
        (a follow-up such as "When did he build it?" leans on the question and answer before it;
        ``choose``: whom a pronoun means when the last turn names several people; ``gender``: whom the corpus
        writes of as of a woman or a man)."""
        turns = self.turns()
        if not turns:
            raise InvalidInput("messages: there is no user message to answer")
        question = turns[-1].question
        if not question or len(question) > MAX_QUESTION_CHARS:
            raise InvalidInput(f"messages: the last user message must have 1 to {MAX_QUESTION_CHARS} characters")
        check_language(question)
        return resolve_followup(question, [t for t in turns[:-1] if t.question], choose, gender)

    def turns(self) -> list[Turn]:
        """The conversation as turns: each user message with the assistant reply that follows it."""
        turns: list[Turn] = []
        for message in self.messages:
            if message.role == "user":
                turns.append(Turn(message.text().strip()))
            elif message.role == "assistant" and turns:
                turns[-1] = Turn(turns[-1].question, _answer_of(message.text()))
        return turns


def _answer_of(reply: str) -> str:
    """The answer of an assistant reply read back: without its sources, and a declined one without its
    reason (the words the articles lack name no one a follow-up can mean), as ``/v1/ask`` gave it."""
    answer = reply.split(SOURCES_HEADER, 1)[0]
    return NOT_COVERED if answer.startswith(DECLINED) else answer


class ChatChoiceMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str = Field(
        description="The answer with `[n]` citation markers and their sources (see the request's `sources`), "
        "or the not-covered message with its reason (\"The articles don't cover this question: no passage "
        'mentions “Neptune”.").'
    )


class ChatChoice(BaseModel):
    index: int = 0
    message: ChatChoiceMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class Usage(BaseModel):
    prompt_tokens: int = Field(description="Words in the question (citeqa has no tokenizer-based billing).")
    completion_tokens: int = Field(description="Words in the answer.")
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str = Field(examples=["chatcmpl-3f1c..."])
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage
    citeqa: AskResponse = Field(description="Extension: citations, passages, answerability, timings.")


class ModelCard(BaseModel):
    id: str = Field(examples=["citeqa"])
    object: Literal["model"] = "model"
    created: int = Field(description="When the served index version was built (Unix time).")
    owned_by: str = "citeqa"
    citeqa: dict[str, Any] = Field(description="Extension: summary of the index behind the model.")


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


router = APIRouter(tags=["openai-compatible"], responses=ERROR_RESPONSES)


@router.get("/v1/models", response_model=ModelList, summary="The corpus, listed as a model")
def models(runtime: Annotated[Runtime, Depends(get_runtime)], _: ClientDep) -> ModelList:
    return ModelList(data=[model_card(runtime)])


@router.get("/v1/models/{model}", response_model=ModelCard, summary="One model (the corpus)")
def model(model: str, runtime: Annotated[Runtime, Depends(get_runtime)], _: ClientDep) -> ModelCard:
    _check_model(runtime, model)
    return model_card(runtime)


@router.post(
    "/v1/chat/completions",
    response_model=ChatCompletion,
    summary="Answer the last user message with cited quotes (OpenAI chat format; `stream` for SSE)",
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def chat_completions(
    body: ChatRequest,
    runtime: Annotated[Runtime, Depends(get_runtime)],
    batcher: Annotated[Batcher, Depends(get_batcher)],
    _: ClientDep,
) -> ChatCompletion | StreamingResponse:
    _check_model(runtime, body.model)
    engine = runtime.engine()
    answer, timings = await batcher.ask(body.question(engine.most_tied, engine.gender_of), body.k)
    completion = build_completion(body.model, AskResponse.of(answer, timings, engine.data.documents), body.sources)
    if body.stream:
        include_usage = body.stream_options is not None and body.stream_options.include_usage
        return StreamingResponse(stream_events(completion, include_usage), media_type="text/event-stream")
    return completion


def model_card(runtime: Runtime) -> ModelCard:
    summary = runtime.engine().data.manifest.summary()
    try:
        created = calendar.timegm(time.strptime(str(summary["created"]), "%Y-%m-%dT%H:%M:%SZ"))
    except ValueError:
        created = 0
    return ModelCard(id=runtime.settings.chat_model, created=created, citeqa=summary)


def _check_model(runtime: Runtime, name: str) -> None:
    if name != runtime.settings.chat_model:
        raise ModelNotFound(f"model {name!r} does not exist here: use {runtime.settings.chat_model!r} (GET /v1/models)")


def build_completion(model_name: str, answer: AskResponse, sources: str = "footnotes") -> ChatCompletion:
    """The chat completion of ``answer``: its text with ``footnotes(answer)`` when ``sources="footnotes"``,
    or, declined, the not-covered message with its reason (a front end may show only the text)."""
    if not answer.answerable and answer.reason:
        content = f"{answer.answer.removesuffix('.')}: {answer.reason}."
    else:
        content = answer.answer + (footnotes(answer) if sources == "footnotes" else "")
    prompt, completion = len(answer.question.split()), len(content.split())
    return ChatCompletion(
        id=f"chatcmpl-{uuid.uuid4().hex}",
        created=int(time.time()),
        model=model_name,
        choices=[ChatChoice(message=ChatChoiceMessage(content=content))],
        usage=Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion),
        citeqa=answer,
    )


def footnotes(answer: AskResponse) -> str:
    """``SOURCES_HEADER`` and one line per citation, "[1] Title (doc-id, characters 3620-3847, page 2,
    https://...)"; empty when the answer has no citations."""
    if not answer.citations:
        return ""
    return SOURCES_HEADER + "\n".join(f"[{c.id}] {c.source(url=True)}" for c in answer.citations)


def stream_events(completion: ChatCompletion, include_usage: bool = False) -> Iterator[str]:
    """SSE of ``chat.completion.chunk`` objects: role and the extension first, then the text, then stop.

    ``include_usage``: one more chunk, ``choices: []`` and ``usage``, before ``[DONE]`` (OpenAI's
    ``stream_options.include_usage``); without it no chunk carries ``usage``.
    """
    head = {"id": completion.id, "object": "chat.completion.chunk", "created": completion.created}
    head["model"] = completion.model

    nulls = {"usage": None} if include_usage else {}  # as OpenAI: `usage: null` on every other chunk

    def event(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        return f"data: {json.dumps({**head, 'choices': [choice], **nulls, **extra}, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""}, citeqa=completion.citeqa.model_dump(mode="json"))
    pieces = _PIECE.findall(completion.choices[0].message.content)
    for begin in range(0, len(pieces), WORDS_PER_CHUNK):
        yield event({"content": "".join(pieces[begin : begin + WORDS_PER_CHUNK])})
    yield event({}, "stop")
    if include_usage:
        usage = {**head, "choices": [], "usage": completion.usage.model_dump()}
        yield f"data: {json.dumps(usage, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"
