"""Errors of the citeqa client: one base class, one subclass per family of HTTP status.

::

    ApiError                  any failure; ``code``, ``status`` and ``message`` from the API
    ├── InvalidRequest        400, 413, 415, 422: the request is malformed (the message names the field)
    │   └── InvalidArgument   refused by the client before sending (an empty document id...); ``status`` is None
    ├── Unauthorized          401, 403: missing or wrong API key
    ├── NotFound              404: unknown document (or path)
    ├── Conflict              409: a document with that id or text already exists
    ├── RateLimited           429: too many requests; ``retry_after`` seconds
    ├── Unavailable           503: no index loaded yet, or busy; ``retry_after`` seconds
    ├── ServerError           any other 5xx
    └── ApiConnectionError    no HTTP answer at all (refused, DNS, timeout); ``status`` is None
        └── ApiTimeout        the request took longer than the client's timeout
"""

from __future__ import annotations


class ApiError(Exception):
    """A request to the citeqa API failed.

    ``code`` is the API's stable machine-readable code (``invalid_input``, ``document_not_found``...),
    ``status`` the HTTP status (None when no answer arrived), ``message`` what is wrong and what to do.
    """

    def __init__(self, message: str, *, code: str, status: int | None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.retry_after = retry_after

    def __str__(self) -> str:
        where = f"HTTP {self.status}" if self.status is not None else "no answer"
        return f"{self.message} ({where}, {self.code})"


class InvalidRequest(ApiError):
    """400, 413, 415 or 422: the request is malformed; the message names the offending field."""


class InvalidArgument(InvalidRequest):
    """A method's argument the client refuses before sending anything: an empty document id, a ``history``
    that is not a list of turns, a number where a string belongs. ``status`` is None, ``code``
    ``invalid_input`` (as the API's 422), and the message names the argument and the shape expected."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="invalid_input", status=None)

    def __str__(self) -> str:
        return f"{self.message} (not sent, {self.code})"


class Unauthorized(ApiError):
    """401 or 403: missing or wrong API key (``Authorization: Bearer KEY``)."""


class NotFound(ApiError):
    """404: no such document (or path)."""


class Conflict(ApiError):
    """409: a document with the same id or the same text is already indexed (pass ``replace=True``)."""


class RateLimited(ApiError):
    """429: the rate limit is reached; retry after ``retry_after`` seconds."""


class Unavailable(ApiError):
    """503: no verified index is loaded yet, or the service is busy; retry after ``retry_after`` seconds."""


class ServerError(ApiError):
    """Any other 5xx: the service failed; its log has the details."""


class ApiConnectionError(ApiError):
    """No HTTP answer: the connection was refused or broke. ``status`` is None."""


class ApiTimeout(ApiConnectionError):
    """No answer within the client's timeout."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: InvalidRequest,
    401: Unauthorized,
    403: Unauthorized,
    404: NotFound,
    409: Conflict,
    413: InvalidRequest,
    415: InvalidRequest,
    422: InvalidRequest,
    429: RateLimited,
    503: Unavailable,
}


def error_for(status: int, code: str, message: str, retry_after: float | None = None) -> ApiError:
    """The typed error for an HTTP error answer."""
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else ApiError)
    return cls(message, code=code, status=status, retry_after=retry_after)
