"""The service's one error shape, ``{"error": {"code": ..., "message": ...}}``, and its one handler.

Every failure reaches a client in this shape: the ``citeqa.index.errors`` tree (each error has its
status and code), request validation (422 naming the field), Starlette's HTTP errors, anything
unexpected (500, logged), and the errors the ASGI middlewares send before routing (``send_error``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Send

from citeqa.index.errors import CiteqaError

__all__ = ["REQUEST_FORMATS", "error_body", "error_response", "field_errors", "install_error_handlers", "send_error"]

log = logging.getLogger("citeqa")


def error_body(code: str, message: str) -> dict[str, Any]:
    """The JSON body of every error response."""
    return {"error": {"code": code, "message": message}}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """An error as a FastAPI response."""
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


REQUEST_FORMATS = " (request formats: /openapi.json)"
"""What a 422 of the HTTP API adds to the fields' errors; MCP tools, which have their own schemas, leave it out."""
_SEND_JSON = "send a JSON object with Content-Type: application/json (see /openapi.json)"
_TOO_DEEP = f"body: not acceptable JSON (nested too deeply): {_SEND_JSON}"


def field_errors(errors: Sequence[Mapping[str, Any]]) -> str:
    """``field: what is wrong`` for each of the first three of pydantic's ``errors``, joined by ``; ``.

    The one wording of invalid input, for ``/v1/`` requests and the MCP tools alike.
    """
    parts = []
    for err in errors[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def _validation_message(exc: RequestValidationError, content_type: str) -> str:
    errors = exc.errors()[:3]
    for err in errors:
        if err.get("type") == "json_invalid":
            too_deep = "recursion limit" in str((err.get("ctx") or {}).get("error", ""))  # pydantic's parser
            return _TOO_DEEP if too_deep else f"body: not valid JSON: {_SEND_JSON}"
        if tuple(err.get("loc", ())) == ("body",) and "json" not in content_type:
            return f"body: not read as JSON (Content-Type: {content_type or 'none'}): {_SEND_JSON}"
    return field_errors(errors) + REQUEST_FORMATS


def install_error_handlers(app: FastAPI) -> None:
    """Route every failure of ``app`` to the one error shape."""

    @app.exception_handler(CiteqaError)
    async def on_citeqa_error(_: Request, exc: CiteqaError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        return error_response(422, "invalid_input", _validation_message(exc, content_type))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        headers = getattr(exc, "headers", None)
        return error_response(exc.status_code, code, _http_message(request, exc, headers or {}), headers)

    @app.exception_handler(Exception)
    async def on_unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return error_response(500, "internal_error", "unexpected error; the log has the details")


def _http_message(request: Request, exc: StarletteHTTPException, headers: dict[str, str]) -> str:
    """Starlette's bare phrases ("Not Found", "Method Not Allowed", "There was an error parsing the body")
    with what to do; a route's own detail as it is."""
    detail, where = str(exc.detail), f"{request.method} {request.url.path}"
    if exc.status_code == 404 and detail == "Not Found":
        return f"no route {where}: the API's routes are listed at /docs and /openapi.json"
    if exc.status_code == 405 and detail == "Method Not Allowed":
        allowed = headers.get("allow") or headers.get("Allow") or "another method"
        return f"{request.url.path} does not take {request.method}: use {allowed} (see /docs)"
    if exc.status_code == 400 and detail == "There was an error parsing the body":
        if isinstance(exc.__cause__, RecursionError):  # json.loads of arrays or objects nested ~1000 deep
            return _TOO_DEEP
        return f"the body could not be read: {_SEND_JSON}, in UTF-8 (a file upload: multipart/form-data)"
    return detail


async def send_error(send: Send, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
    """The same error shape, written straight to ASGI (for middlewares that answer before routing)."""
    body = json.dumps(error_body(code, message)).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
