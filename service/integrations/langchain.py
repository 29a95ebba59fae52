"""LangChain integration (``pip install 'citeqa[langchain]'``): a retriever and an ``ask`` tool.

- ``CiteqaRetriever``: a ``BaseRetriever`` over ``POST /v1/search``; each ``Document`` has the
  passage text as ``page_content`` and ``metadata`` with doc_id, title, url, page, start, end,
  chunk_id and the scores (score, dense_score, lexical_score).
- ``CiteqaAskTool``: a ``BaseTool`` (so a Runnable) over ``POST /v1/ask``; its content is the
  answer with its cited sources as text, its artifact the typed ``Answer``.

Both raise the client's typed errors (``InvalidRequest``, ``NotFound``, ``Unauthorized``...),
with the API's message, for bad input or a refused key.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr

try:
    from langchain_core.callbacks import (
        AsyncCallbackManagerForRetrieverRun,
        AsyncCallbackManagerForToolRun,
        CallbackManagerForRetrieverRun,
        CallbackManagerForToolRun,
    )
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever
    from langchain_core.tools import BaseTool
except ImportError as exc:  # pragma: no cover - exercised by test_integrations in a venv without it
    raise ImportError("citeqa's LangChain integration needs langchain-core: pip install 'citeqa[langchain]'") from exc

from citeqa.service.client import Answer, AsyncClient, Client, Passage
from citeqa.service.client.client import DEFAULT_URL
from citeqa.service.integrations.passages import format_answer, passage_metadata

ASK_DESCRIPTION = (
    "Answer a question from the indexed articles with exact, cited quotes. Input: the question. "
    "Output: the answer with [n] markers and one source line per marker (quote, title, link). "
    "Quote the sources verbatim and keep their [n] markers and links. If it says the articles do "
    "not cover the question, say so; do not answer from memory."
)


def passage_document(p: Passage) -> Document:
    """A LangChain ``Document``: the passage text, with ``passage_metadata`` (id ``doc_id:chunk_id``)."""
    return Document(page_content=p.text, metadata=passage_metadata(p), id=f"{p.doc_id}:{p.chunk_id}")


class _Connection(BaseModel):
    url: str = Field(DEFAULT_URL, description="Base URL of a running `citeqa serve`.")
    api_key: SecretStr | None = Field(None, description="The server's CITEQA_API_KEY, when it sets one.")
    k: int = Field(5, ge=1, le=20, description="Passages to retrieve (1 to 20).")
    timeout: float = Field(60.0, gt=0, description="Seconds to wait for each request.")

    def _client(self) -> Client:
        return Client(self.url, api_key=self._key(), timeout=self.timeout)

    def _async_client(self) -> AsyncClient:
        return AsyncClient(self.url, api_key=self._key(), timeout=self.timeout)

    def _key(self) -> str | None:
        return self.api_key.get_secret_value() if self.api_key else None


class CiteqaRetriever(BaseRetriever, _Connection):
    """Retrieves the ``k`` passages nearest a query from a citeqa server, best first.

    Example::

        retriever = CiteqaRetriever(url="http://127.0.0.1:8000", k=3)
        docs = retriever.invoke("what is NSATU?")
        docs[0].metadata["doc_id"], docs[0].metadata["start"], docs[0].metadata["score"]

    Raises the client's ``ApiError`` subclasses (``InvalidRequest`` for an empty query...).
    """

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        with self._client() as client:
            return [passage_document(p) for p in client.search(query, self.k).passages]

    async def _aget_relevant_documents(
        self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun
    ) -> list[Document]:
        async with self._async_client() as client:
            return [passage_document(p) for p in (await client.search(query, self.k)).passages]


class AskInput(BaseModel):
    question: str = Field(description="The question, 1 to 1000 characters.")


def answer_text(answer: Answer) -> str:
    """The tool's content: the answer, then ``[n] "quote" - title (url or doc_id, characters start-end)``."""
    sources = [
        f'[{c.id}] "{c.quote}" - {c.title} ({c.url or c.doc_id}, characters {c.start}-{c.end})'
        for c in answer.citations
    ]
    return format_answer(answer.answerable, answer.answer, answer.reason, sources)


class CiteqaAskTool(BaseTool, _Connection):
    """``ask`` as a LangChain tool: content is ``answer_text(answer)``, artifact the ``Answer``.

    ``tool.invoke({"question": ...})`` returns the text; a ``ToolCall`` input returns a
    ``ToolMessage`` whose ``artifact`` is the ``Answer`` with its citations (doc_id, quote, start, end, page).
    """

    name: str = "citeqa_ask"
    description: str = ASK_DESCRIPTION
    args_schema: Any = AskInput
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"

    def _run(self, question: str, run_manager: CallbackManagerForToolRun | None = None) -> tuple[str, Answer]:
        with self._client() as client:
            answer = client.ask(question, self.k)
        return answer_text(answer), answer

    async def _arun(
        self, question: str, run_manager: AsyncCallbackManagerForToolRun | None = None
    ) -> tuple[str, Answer]:
        async with self._async_client() as client:
            answer = await client.ask(question, self.k)
        return answer_text(answer), answer
