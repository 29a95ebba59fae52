"""What routes receive through FastAPI dependencies: settings, the runtime, the engine, the batcher.

Tests override any of them with ``app.dependency_overrides[get_settings] = ...``. Dependencies are
``async def``: they never block, and FastAPI would run a plain ``def`` on its thread pool, a thread
hop per dependency per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from citeqa.index.engine import Engine
from citeqa.service.api.batching import Batcher
from citeqa.service.runtime import Runtime
from citeqa.service.settings import Settings

__all__ = [
    "BatcherDep",
    "EngineDep",
    "RuntimeDep",
    "SettingsDep",
    "get_batcher",
    "get_engine",
    "get_runtime",
    "get_settings",
]


async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_runtime(request: Request) -> Runtime:
    """The runtime holding the loaded engine (or why none is loaded)."""
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_engine(runtime: Annotated[Runtime, Depends(get_runtime)]) -> Engine:
    """The loaded engine; ``NotReady`` (503) before the index is loaded and verified."""
    return runtime.engine()


async def get_batcher(request: Request) -> Batcher:
    """The micro-batcher started in the lifespan."""
    batcher: Batcher = request.app.state.batcher
    return batcher


SettingsDep = Annotated[Settings, Depends(get_settings)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
EngineDep = Annotated[Engine, Depends(get_engine)]
BatcherDep = Annotated[Batcher, Depends(get_batcher)]
