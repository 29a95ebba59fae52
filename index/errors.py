"""The error tree of citeqa. Each error carries the HTTP status it maps to and a stable code.

Messages say what is wrong and what to do about it.
"""

from __future__ import annotations


class CiteqaError(Exception):
    """Base of every expected citeqa failure."""

    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CorpusError(CiteqaError):
    """The corpus cannot be read or holds nothing indexable."""

    status = 400
    code = "corpus_error"


class InvalidInput(CiteqaError):
    """A request or a file a user gave is malformed."""

    status = 422
    code = "invalid_input"


class IndexNotFound(CiteqaError):
    """No published index where one was expected."""

    status = 503
    code = "index_not_found"


class IndexCorrupt(CiteqaError):
    """Index files are missing, truncated or fail their checksums."""

    status = 503
    code = "index_corrupt"


class IndexMismatch(CiteqaError):
    """The index was built with another model, dimension or format version."""

    status = 503
    code = "index_mismatch"


class DocumentNotFound(CiteqaError):
    """No document with the given id in the loaded index."""

    status = 404
    code = "document_not_found"


class NotReady(CiteqaError):
    """The service has no verified index loaded yet."""

    status = 503
    code = "not_ready"


class EmbedderUnavailable(CiteqaError):
    """The embedding backend or device named by the settings cannot be used on this machine."""

    status = 503
    code = "embedder_unavailable"


class DocumentConflict(CiteqaError):
    """A document with the same id or the same text is already in the corpus."""

    status = 409
    code = "document_conflict"
