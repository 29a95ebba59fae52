"""HTTP routes (v1). Thin: validate, hand to the engine or batcher, shape the response."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from index.engine import Engine
from service.auth import AdminDep, ClientDep
from service.batching import Batcher
from service.runtime import Runtime
from service.schemas import (
    ERROR_RESPONSES,
    AskRequest,
    AskResponse,
    DocumentList,
    DocumentOut,
    DocumentSummary,
    Health,
    PassageOut,
    Ready,
    SearchRequest,
    SearchResponse,
    Timings,
)

# Dependencies are ``async def``: they never block, and FastAPI would run a plain ``def`` on its
# thread pool, a thread hop per dependency per request.


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_engine(request: Request) -> Engine:
    runtime: Runtime = request.app.state.runtime
    return runtime.engine()


async def get_batcher(request: Request) -> Batcher:
    batcher: Batcher = request.app.state.batcher
    return batcher


EngineDep = Annotated[Engine, Depends(get_engine)]
BatcherDep = Annotated[Batcher, Depends(get_batcher)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]

router = APIRouter(responses=ERROR_RESPONSES)


@router.post("/v1/ask", response_model=AskResponse, tags=["questions"], summary="Answer a question with cited quotes")
async def ask(body: AskRequest, engine: EngineDep, batcher: BatcherDep, __: ClientDep) -> AskResponse:
    answer, timings = await batcher.ask(body.question, body.k)
    return AskResponse.of(answer, timings, engine.data.documents)


@router.post(
    "/v1/search", response_model=SearchResponse, tags=["questions"], summary="Find the passages nearest a query"
)
async def search(body: SearchRequest, engine: EngineDep, batcher: BatcherDep, __: ClientDep) -> SearchResponse:
    result = await batcher.search(body.query, body.k)
    docs = engine.data.documents
    passages = [PassageOut.of(p, docs.get(p.doc_id)) for p in result.passages]
    return SearchResponse(passages=passages, timings_ms=Timings(**result.timings_ms))


@router.get("/v1/documents", response_model=DocumentList, tags=["documents"], summary="List the indexed documents")
def documents(engine: EngineDep) -> DocumentList:
    return DocumentList(
        documents=[
            DocumentSummary(doc_id=d.doc_id, title=d.title, url=d.url, date=d.date, chunks=n)
            for d, n in engine.documents()
        ]
    )


@router.get(
    "/v1/documents/{doc_id}", response_model=DocumentOut, tags=["documents"], summary="One document's full text"
)
def document(doc_id: str, engine: EngineDep) -> DocumentOut:
    return DocumentOut.of(engine.document(doc_id))


@router.get("/healthz", response_model=Health, tags=["operations"], summary="Liveness: the process answers")
def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Ready, tags=["operations"], summary="Readiness: a verified index is loaded")
def readyz(runtime: RuntimeDep) -> Ready | JSONResponse:
    engine = runtime.engine()
    return Ready(status="ready", index=engine.data.manifest.summary(), reload_error=runtime.reload_error)


@router.post("/v1/admin/reload", response_model=Ready, tags=["operations"], summary="Load the newly published index")
def reload(runtime: RuntimeDep, _: AdminDep) -> Ready:
    return Ready(status="ready", index=runtime.reload())
