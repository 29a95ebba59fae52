"""Question routes: ``POST /v1/ask`` and ``POST /v1/search``. Thin: validate, hand to the batcher, shape."""

from __future__ import annotations

from fastapi import APIRouter

from citeqa.service.api.auth import ClientDep
from citeqa.service.api.dependencies import BatcherDep, EngineDep
from citeqa.service.api.schemas import (
    ERROR_RESPONSES,
    AskRequest,
    AskResponse,
    PassageOut,
    SearchRequest,
    SearchResponse,
    Timings,
)

router = APIRouter(responses=ERROR_RESPONSES)


@router.post("/v1/ask", response_model=AskResponse, tags=["questions"], summary="Answer a question with cited quotes")
async def ask(body: AskRequest, engine: EngineDep, batcher: BatcherDep, __: ClientDep) -> AskResponse:
    answer, timings = await batcher.ask(body.resolved(engine.most_tied, engine.gender_of), body.k)
    return AskResponse.of(answer, timings, engine.data.documents)


@router.post(
    "/v1/search", response_model=SearchResponse, tags=["questions"], summary="Find the passages nearest a query"
)
async def search(body: SearchRequest, engine: EngineDep, batcher: BatcherDep, __: ClientDep) -> SearchResponse:
    result = await batcher.search(body.query, body.k)
    docs = engine.data.documents
    passages = [PassageOut.of(p, docs.get(p.doc_id)) for p in result.passages]
    return SearchResponse(passages=passages, timings_ms=Timings(**result.timings_ms))
