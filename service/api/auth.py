"""API keys: admin and ingest endpoints always need one; question endpoints only when configured."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from pydantic import SecretStr

from citeqa.index.errors import Unauthorized
from citeqa.service.api.dependencies import SettingsDep


def _presented(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("x-api-key")


def _check(request: Request, configured: SecretStr | None) -> None:
    if configured is None:
        return
    presented = _presented(request)
    expected = configured.get_secret_value().encode()
    if presented is None or not hmac.compare_digest(presented.encode(), expected):
        raise Unauthorized("missing or wrong API key: send it as `Authorization: Bearer KEY` or `X-API-Key: KEY`")


async def require_admin(request: Request, settings: SettingsDep) -> None:
    """Admin endpoints: refused outright when no admin key is configured."""
    key = settings.admin_api_key
    if key is None:
        raise Unauthorized("admin endpoints are disabled: set CITEQA_ADMIN_API_KEY to enable them")
    _check(request, key)


async def require_client(request: Request, settings: SettingsDep) -> None:
    """Question endpoints: open unless CITEQA_API_KEY is set."""
    _check(request, settings.api_key)


AdminDep = Annotated[None, Depends(require_admin)]
ClientDep = Annotated[None, Depends(require_client)]
