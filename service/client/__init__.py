"""A typed Python client for the citeqa v1 HTTP API (sync ``Client``, asyncio ``AsyncClient``).

::

    from citeqa.service.client import Client

    with Client("http://127.0.0.1:8000", api_key=None) as client:
        answer = client.ask("what is NSATU?")
        for c in answer.citations:
            assert client.document(c.doc_id).text[c.start : c.end] == c.quote

Results are frozen dataclasses mirroring the API's JSON (``Answer``, ``Citation``, ``Passage``,
``Document``...); failures raise ``ApiError`` subclasses carrying the API's ``code``, the HTTP
``status`` and ``message``.
"""

from citeqa.service.client.client import AsyncClient, Client
from citeqa.service.client.errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeout,
    Conflict,
    InvalidArgument,
    InvalidRequest,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    Unavailable,
)
from citeqa.service.client.models import (
    Abstention,
    Answer,
    ChangedDocument,
    Citation,
    Document,
    DocumentsChanged,
    DocumentSummary,
    Passage,
    Readiness,
    SearchResult,
)

__all__ = [
    "Abstention",
    "Answer",
    "ApiConnectionError",
    "ApiError",
    "ApiTimeout",
    "AsyncClient",
    "ChangedDocument",
    "Citation",
    "Client",
    "Conflict",
    "Document",
    "DocumentSummary",
    "DocumentsChanged",
    "InvalidArgument",
    "InvalidRequest",
    "NotFound",
    "Passage",
    "RateLimited",
    "Readiness",
    "SearchResult",
    "ServerError",
    "Unauthorized",
    "Unavailable",
]
