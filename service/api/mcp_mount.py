"""``/mcp`` of ``citeqa serve``, loaded on first use: the MCP SDK costs ~28 MB of memory and ~0.4 s of
imports that a service nobody calls over MCP should not pay (``citeqa.service.api.mcp`` is the server).

The first request to ``/mcp`` imports the server module, builds the MCP server over the backend and
starts its session manager in a task of its own, which runs until the app shuts down (``close``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from citeqa.index.engine import Engine
from citeqa.service.settings import Settings

MCP_PATH = "/mcp"
AskFn = Callable[[str, int], Awaitable[Any]]


class LazyMcp:
    """The ASGI endpoint of ``/mcp``: the MCP server and its session manager start on the first request.

    Its tools call ``engine()``, ``ask`` and ``search`` (the app's micro-batcher), as ``EngineBackend``.
    """

    def __init__(self, engine: Callable[[], Engine], ask: AskFn, search: AskFn, settings: Settings) -> None:
        self._backend_args = (engine, ask, search)
        self._settings = settings
        self._endpoint: ASGIApp | None = None
        self._lock: asyncio.Lock | None = None
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self.server: Any = None
        """The ``MCPServer`` once started, else None."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = self._endpoint or await self._start()
        await endpoint(scope, receive, send)

    async def _start(self) -> ASGIApp:
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            if self._endpoint is None:
                from citeqa.service.api.mcp import EngineBackend, mcp_endpoint

                backend = EngineBackend(*self._backend_args, self._settings)
                server, endpoint = mcp_endpoint(backend, self._settings, MCP_PATH)
                running, self._stop = asyncio.Event(), asyncio.Event()
                self._task = asyncio.create_task(self._run(server, running, self._stop), name="citeqa-mcp")
                waiter = asyncio.ensure_future(running.wait())
                await asyncio.wait({self._task, waiter}, return_when=asyncio.FIRST_COMPLETED)
                waiter.cancel()
                if self._task.done():
                    self._task.result()  # the session manager failed to start: raise why
                self.server, self._endpoint = server, endpoint
        assert self._endpoint is not None
        return self._endpoint

    @staticmethod
    async def _run(server: Any, running: asyncio.Event, stop: asyncio.Event) -> None:
        async with server.session_manager.run():
            running.set()
            await stop.wait()

    async def close(self) -> None:
        """Stop the session manager (from the app's lifespan), when it was started."""
        if self._task is not None and self._stop is not None:
            self._stop.set()
            await self._task
