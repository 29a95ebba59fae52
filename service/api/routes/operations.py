"""Operations routes: liveness, readiness and the admin reload."""

from __future__ import annotations

from fastapi import APIRouter

from citeqa.service.api.auth import AdminDep
from citeqa.service.api.dependencies import RuntimeDep
from citeqa.service.api.schemas import ERROR_RESPONSES, Health, Ready
from citeqa.service.runtime import index_summary

__all__ = ["router"]

router = APIRouter(responses=ERROR_RESPONSES)


@router.get("/healthz", response_model=Health, tags=["operations"], summary="Liveness: the process answers")
def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Ready, tags=["operations"], summary="Readiness: a verified index is loaded")
def readyz(runtime: RuntimeDep) -> Ready:
    engine = runtime.engine()
    return Ready(status="ready", index=index_summary(engine), reload_error=runtime.reload_error)


@router.post("/v1/admin/reload", response_model=Ready, tags=["operations"], summary="Load the newly published index")
def reload(runtime: RuntimeDep, _: AdminDep) -> Ready:
    return Ready(status="ready", index=runtime.reload())
