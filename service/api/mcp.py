"""The citeqa MCP server (official ``mcp`` SDK): tools ``ask``, ``search``, ``get_document``; documents as resources.

It runs two ways, over one ``Backend`` (the four calls the tools need):

- ``citeqa mcp``: over stdio. By default in-process on the local index (``EngineBackend`` over a
  loaded ``Engine``, as ``citeqa ask`` does); with ``--url`` a proxy to a running ``citeqa serve``
  (the typed ``AsyncClient`` is the backend), so the model and index stay in one process.
- mounted in ``citeqa serve`` at ``/mcp`` (Streamable HTTP, stateless, JSON answers) by
  ``citeqa.service.api.mcp_mount``, which imports this module (and the SDK) on the first request:
  in-process on the served engine, through the same micro-batcher as ``/v1/ask``, behind
  ``CITEQA_API_KEY`` when it is set and under the same rate, concurrency and input limits as ``/v1/``.

Tool results are structured (``AskOutput``, ``SearchOutput``, ``DocumentOutput``). Expected
failures (empty question, unknown document, wrong key, no index yet) come back as tool errors
(``isError``) whose text is the SDK's ``Error executing tool NAME: `` and the API's message;
resources raise MCP errors with that message. The text is the same on the three transports
(``_message``): the HTTP API's pointer to its request formats is left out, and a document id
that the HTTP client would refuse before sending is refused by the tool itself.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any, Protocol

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from citeqa.index import __version__
from citeqa.index.engine import Engine
from citeqa.index.errors import CiteqaError, DocumentNotFound, InvalidInput
from citeqa.index.limits import DEFAULT_K, MAX_K, MAX_QUESTION_CHARS
from citeqa.service.api.auth import require_client
from citeqa.service.api.errors import REQUEST_FORMATS, field_errors, send_error
from citeqa.service.api.limits import check_question_limits
from citeqa.service.api.mcp_results import (
    DOCUMENT_URI,
    AskOutput,
    DocumentOutput,
    SearchOutput,
    ask_output,
    document_output,
    search_output,
)
from citeqa.service.api.schemas import AskRequest, AskResponse, DocumentOut, PassageOut, SearchRequest
from citeqa.service.client import AsyncClient, arguments
from citeqa.service.client.errors import ApiError, InvalidArgument, NotFound
from citeqa.service.client.models import Answer, Document, DocumentSummary, SearchResult
from citeqa.service.settings import Settings

INSTRUCTIONS = """citeqa answers questions from a fixed set of articles with exact quotes.
Call `ask` first. Every citation is an exact quote: `quote` equals the document text from
`start` to `end`. Quote it verbatim in quotation marks (never paraphrase inside them), keep its
[n] marker, and link it to `url` (or to its `resource`, citeqa://documents/{doc_id}, when url is
null). When `answerable` is false, say the articles do not cover the question and give `reason`;
do not answer from memory. `get_document` (or the resource) returns the full text to check a quote."""

ASK_DESCRIPTION = f"""Answer a question from the indexed articles, with exact quotes.

Returns `answerable`, `answer` (quoted sentences with [n] markers), `reason` (why not, when
`answerable` is false) and `citations`: one per [n] marker, each with doc_id, title, url,
resource, quote, start, end and page. Quote each citation's `quote` verbatim in quotation marks,
keep its [n] marker and link it to `url` (else to `resource`). The quote is the document text
from `start` to `end` (characters), checkable with `get_document`. When `answerable` is false,
tell the user the articles do not cover the question and why (`reason`); do not answer from
memory. `question`: 1 to {MAX_QUESTION_CHARS} characters; `k`: passages to read, 1 to {MAX_K} (default {DEFAULT_K})."""

SEARCH_DESCRIPTION = f"""Find the passages of the articles nearest a query (no answer extraction).

Returns `passages`, best first, each with doc_id, title, url, resource, text, start, end, page
and scores (`score` fused, `dense_score` cosine, `lexical_score` BM25). `text` is the document
text from `start` to `end`: quote it verbatim and link it like a citation of `ask`. `query`:
1 to {MAX_QUESTION_CHARS} characters; `k`: 1 to {MAX_K} (default {DEFAULT_K})."""

DOCUMENT_DESCRIPTION = """The full text and metadata of one document, by `doc_id` (from a citation or passage).

Citation and passage offsets index into `text`: text[start:end] equals the quote. An unknown
doc_id is an error naming it."""


class Backend(Protocol):
    """What the tools call; ``AsyncClient`` is one, ``EngineBackend`` the in-process one.

    Failures raise ``CiteqaError`` (in-process) or ``ApiError`` (over HTTP) with the API's message.
    """

    async def ask(self, question: str, k: int = 5) -> Answer: ...

    async def search(self, query: str, k: int = 5) -> SearchResult: ...

    async def document(self, doc_id: str) -> Document: ...

    async def documents(self) -> list[DocumentSummary]: ...


AskFn = Callable[[str, int], Awaitable[Any]]
LIST_URI = "citeqa://documents"


class EngineBackend:
    """In-process backend: validates like the HTTP API (schemas, then ``settings``' lower limits), then
    asks ``engine()`` through ``ask``/``search``.

    The results are built by the API's own schemas, so they equal what ``/v1/ask`` answers.
    """

    def __init__(self, engine: Callable[[], Engine], ask: AskFn, search: AskFn, settings: Settings) -> None:
        self._engine = engine
        self._ask = ask
        self._search = search
        self._settings = settings

    async def ask(self, question: str, k: int = 5) -> Answer:
        request = _validated(AskRequest, question=question, k=k)
        check_question_limits(self._settings, {"question": question, "k": k})
        engine = self._engine()
        answer, timings = await self._ask(request.question, request.k)
        return Answer.from_json(AskResponse.of(answer, timings, engine.data.documents).model_dump(mode="json"))

    async def search(self, query: str, k: int = 5) -> SearchResult:
        request = _validated(SearchRequest, query=query, k=k)
        check_question_limits(self._settings, {"query": query, "k": k})
        docs = self._engine().data.documents
        result = await self._search(request.query, request.k)
        passages = [PassageOut.of(p, docs.get(p.doc_id)).model_dump(mode="json") for p in result.passages]
        return SearchResult.from_json({"passages": passages, "timings_ms": result.timings_ms})

    async def document(self, doc_id: str) -> Document:
        return Document.from_json(DocumentOut.of(self._engine().document(doc_id)).model_dump(mode="json"))

    async def documents(self) -> list[DocumentSummary]:
        return [
            DocumentSummary(doc_id=d.doc_id, title=d.title, url=d.url, date=d.date, chunks=n)
            for d, n in self._engine().documents()
        ]


def engine_backend(engine: Engine, settings: Settings) -> EngineBackend:
    """An in-process backend over a loaded engine, its CPU work on worker threads."""
    return EngineBackend(
        lambda: engine,
        lambda q, k: asyncio.to_thread(engine.ask, q, k),
        lambda q, k: asyncio.to_thread(engine.search, q, k),
        settings,
    )


def _validated(model: type[BaseModel], **fields: Any) -> Any:
    try:
        return model(**fields)
    except ValidationError as exc:
        raise InvalidInput(field_errors(exc.errors())) from None


def _message(exc: CiteqaError | ApiError) -> str:
    """The text of a tool error, the same whichever the transport: the API's message, without the
    pointer to ``/openapi.json`` that a 422 of the HTTP API (``citeqa mcp --url``) adds."""
    return exc.message.removesuffix(REQUEST_FORMATS) if isinstance(exc, ApiError) else exc.message


def _document_id(doc_id: str) -> str:
    """``doc_id``, unless no document can have it (empty, with a '/', '.' or '..': ``arguments.doc_id``).

    The HTTP client refuses such an id before sending it, in its own words; the tool refuses it
    first, so every transport says the same.
    """
    try:
        return arguments.doc_id(doc_id)
    except InvalidArgument:
        raise ToolError(
            f"no document {doc_id!r}: give the doc_id of a citation or passage (resource {LIST_URI} lists them)"
        ) from None


def create_mcp_server(backend: Backend) -> MCPServer[Any]:
    """The citeqa MCP server over ``backend``: three tools and the document resources."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    server: MCPServer[Any] = MCPServer("citeqa", instructions=INSTRUCTIONS, version=__version__, log_level="WARNING")
    # The SDK calls logging.basicConfig (a Rich handler on the root logger) on construction;
    # logging belongs to the application (``citeqa serve``'s log config), so undo it.
    root.handlers[:] = handlers
    root.setLevel(level)

    @server.tool(description=ASK_DESCRIPTION, structured_output=True)
    async def ask(question: str, k: int = 5) -> AskOutput:
        try:
            return ask_output(await backend.ask(question, k))
        except (CiteqaError, ApiError) as exc:
            raise ToolError(_message(exc)) from None

    @server.tool(description=SEARCH_DESCRIPTION, structured_output=True)
    async def search(query: str, k: int = 5) -> SearchOutput:
        try:
            result = await backend.search(query, k)
        except (CiteqaError, ApiError) as exc:
            raise ToolError(_message(exc)) from None
        return search_output(result)

    @server.tool(description=DOCUMENT_DESCRIPTION, structured_output=True)
    async def get_document(doc_id: str) -> DocumentOutput:
        try:
            d = await backend.document(_document_id(doc_id))
        except (CiteqaError, ApiError) as exc:
            raise ToolError(_message(exc)) from None
        return document_output(d)

    @server.resource(
        LIST_URI,
        name="documents",
        description="The indexed documents (doc_id, title, url, date, chunks) as JSON.",
        mime_type="application/json",
    )
    async def documents() -> str:
        try:
            listed = await backend.documents()
        except (CiteqaError, ApiError) as exc:
            raise ResourceError(_message(exc)) from None
        return json.dumps([asdict(d) for d in listed], ensure_ascii=False)

    @server.resource(
        DOCUMENT_URI,
        name="document",
        description="The full text of one document; citation offsets index into it.",
        mime_type="text/plain",
    )
    async def document(doc_id: str) -> str:
        try:
            return (await backend.document(doc_id)).text
        except (DocumentNotFound, NotFound) as exc:
            raise ResourceNotFoundError(_message(exc)) from None
        except (CiteqaError, ApiError) as exc:
            raise ResourceError(_message(exc)) from None

    return server


async def serve_stdio(backend: Backend) -> None:
    """Serve the MCP server over stdin/stdout until the client closes it."""
    await create_mcp_server(backend).run_stdio_async()


async def proxy_stdio(url: str, api_key: str | None, timeout: float) -> None:
    """``citeqa mcp --url``: serve over stdio, each call forwarded to the server at ``url``."""
    async with AsyncClient(url, api_key=api_key, timeout=timeout) as client:
        await serve_stdio(client)


class _KeyGuard:
    """ASGI wrapper: the MCP endpoint answers only with the client API key, when one is configured."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            try:
                await require_client(Request(scope), self.settings)
            except CiteqaError as exc:
                await send_error(send, exc.status, exc.code, exc.message)
                return
        await self.app(scope, receive, send)


def mcp_endpoint(backend: Backend, settings: Settings, path: str) -> tuple[MCPServer[Any], ASGIApp]:
    """The MCP server over ``backend`` and its Streamable HTTP endpoint for ``path`` (behind the API key);
    its ``session_manager`` must run while the endpoint serves (``citeqa.service.api.mcp_mount``).

    Stateless with JSON answers, so any replica can answer any request. DNS-rebinding protection
    is on when the service binds a loopback address (the SDK's default), off otherwise.
    """
    server = create_mcp_server(backend)
    http_app = server.streamable_http_app(
        streamable_http_path=path, stateless_http=True, json_response=True, host=settings.host
    )
    (route,) = [r for r in http_app.routes if isinstance(r, Route) and r.path == path]
    return server, _KeyGuard(route.app, settings)
