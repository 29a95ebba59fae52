"""The error tree of citeqa: every expected failure, its HTTP status and a stable code.

One handler (``citeqa.service.api.errors``) turns any of them into the one JSON error shape,
``{"error": {"code": ..., "message": ...}}``; the CLI prints the message on one line and exits 1.
Messages say what is wrong and what to do about it.

    CiteqaError (500 internal_error)
    ├── CorpusError (400 corpus_error)           a corpus that cannot be read or holds nothing indexable
    ├── InvalidInput (422 invalid_input)         a malformed request, setting or file
    │   ├── QuestionSetError (422 invalid_question_set)
    │   ├── AbstainModelError (422 invalid_abstain_model)
    │   └── UnsupportedLanguage (422 unsupported_language)  a question in a language the model does not handle
    ├── Unauthorized (401 unauthorized)          a missing or wrong API key
    ├── DocumentNotFound (404 document_not_found)
    ├── AssetNotFound (404 not_found)            a widget file that does not exist
    ├── ModelNotFound (404 model_not_found)      a chat model id other than the corpus's
    ├── DocumentConflict (409 document_conflict) same id or same text already in the corpus
    ├── PayloadTooLarge (413 payload_too_large)
    ├── UnsupportedMediaType (415 unsupported_media_type)
    ├── RemoteError (502 remote_error)           a server evaluated over HTTP failed
    └── unavailable (503): the service cannot answer now
        ├── IndexNotFound (503 index_not_found)
        ├── IndexCorrupt (503 index_corrupt)     missing, truncated or failing checksums
        ├── IndexMismatch (503 index_mismatch)   another model, dimension or format version
        ├── NotReady (503 not_ready)             no verified index loaded yet
        ├── EmbedderUnavailable (503 embedder_unavailable)
        └── StorageError (503 storage_error)     the corpus, the index or a report cannot be written
"""

from __future__ import annotations

__all__ = [
    "AbstainModelError",
    "AssetNotFound",
    "CiteqaError",
    "CorpusError",
    "DocumentConflict",
    "DocumentNotFound",
    "EmbedderUnavailable",
    "IndexCorrupt",
    "IndexMismatch",
    "IndexNotFound",
    "InvalidInput",
    "ModelNotFound",
    "NotReady",
    "PayloadTooLarge",
    "QuestionSetError",
    "RemoteError",
    "StorageError",
    "Unauthorized",
    "UnsupportedLanguage",
    "UnsupportedMediaType",
]


class CiteqaError(Exception):
    """Base of every expected citeqa failure: ``status`` (HTTP), ``code`` (stable) and ``message``."""

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
    """A request, a setting or a file a user gave is malformed."""

    status = 422
    code = "invalid_input"


class QuestionSetError(InvalidInput):
    """A labelled question file that cannot be read."""

    code = "invalid_question_set"


class AbstainModelError(InvalidInput):
    """An abstention model file that cannot be used."""

    code = "invalid_abstain_model"


class UnsupportedLanguage(InvalidInput):
    """A question in a language the embedding model does not handle (it is English-only)."""

    code = "unsupported_language"


class Unauthorized(CiteqaError):
    """A request without the API key the service requires, or with a wrong one."""

    status = 401
    code = "unauthorized"


class DocumentNotFound(CiteqaError):
    """No document with the given id in the loaded index."""

    status = 404
    code = "document_not_found"


class AssetNotFound(CiteqaError):
    """A static file of the widget that does not exist."""

    status = 404
    code = "not_found"


class ModelNotFound(CiteqaError):
    """A chat request for a model id other than the corpus's (see ``/v1/models``)."""

    status = 404
    code = "model_not_found"


class DocumentConflict(CiteqaError):
    """A document with the same id or the same text is already in the corpus.

    When the id is taken (``same_id``), ``doc_id`` and ``source`` (its file in the corpus) name that
    document, so each surface can say how it replaces one (``advising``: the CLI's ``--replace``,
    the API's ``replace`` field); they are None for the other conflicts.
    """

    status = 409
    code = "document_conflict"

    def __init__(self, message: str, doc_id: str | None = None, source: str | None = None) -> None:
        super().__init__(message)
        self.doc_id = doc_id
        self.source = source

    @classmethod
    def same_id(cls, doc_id: str, source: str, how: str = "pass replace=True") -> DocumentConflict:
        """Document ``doc_id`` already exists (file ``source``); ``how`` to replace it: "pass --replace"."""
        return cls(f"document {doc_id!r} already exists ({source}): {how} to update it", doc_id, source)

    def advising(self, how: str) -> DocumentConflict:
        """This conflict saying ``how`` to replace the document when its id is taken; else itself."""
        if self.doc_id is None or self.source is None:
            return self
        return DocumentConflict.same_id(self.doc_id, self.source, how)


class PayloadTooLarge(CiteqaError):
    """An upload over the size limit."""

    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(CiteqaError):
    """A request body in a content type the route does not read."""

    status = 415
    code = "unsupported_media_type"


class RemoteError(CiteqaError):
    """The server evaluated over HTTP could not be reached or refused a request."""

    status = 502
    code = "remote_error"


class IndexNotFound(CiteqaError):
    """No published index where one was expected: ``problem`` (the message without what to do) and ``fix``
    (appended after a colon when given), which an application that knows its own corpus and index
    directories replaces (``with_fix``)."""

    status = 503
    code = "index_not_found"

    def __init__(self, problem: str, fix: str | None = None) -> None:
        super().__init__(problem if fix is None else f"{problem}: {fix}")
        self.problem = problem

    def with_fix(self, fix: str) -> IndexNotFound:
        """The same problem, saying ``fix`` instead."""
        return IndexNotFound(self.problem, fix)


class IndexCorrupt(CiteqaError):
    """Index files are missing, truncated or fail their checksums."""

    status = 503
    code = "index_corrupt"


class IndexMismatch(CiteqaError):
    """The index was built with another model, dimension or format version."""

    status = 503
    code = "index_mismatch"


class NotReady(CiteqaError):
    """The service has no verified index loaded yet."""

    status = 503
    code = "not_ready"


class EmbedderUnavailable(CiteqaError):
    """The embedding backend or device named by the settings cannot be used on this machine."""

    status = 503
    code = "embedder_unavailable"


class StorageError(CiteqaError):
    """The corpus or index directory cannot be written (read-only volume, full disk)."""

    status = 503
    code = "storage_error"
