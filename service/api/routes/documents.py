"""HTTP document management (admin key): add a file or text, delete a document; the index follows.

``POST /v1/documents`` takes either ``multipart/form-data`` (a ``file`` field: HTML, PDF,
Markdown or text; optional ``replace``: true, false, 1 or 0) or JSON (``text`` with ``doc_id``,
``title`` and metadata; ``date`` in ISO 8601, ``replace`` a JSON boolean). ``DELETE
/v1/documents/{doc_id}`` removes one. Each change is rebuilt into a new index version (off the
event loop, one change at a time) that the service then serves.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
)
from starlette.datastructures import UploadFile

from citeqa.index.corpus.identity import DOC_ID_PATTERN, MAX_DOC_ID_CHARS, is_doc_id, normalise_doc_id
from citeqa.index.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from citeqa.service.api.auth import AdminDep
from citeqa.service.api.dependencies import EngineDep, SettingsDep
from citeqa.service.api.ingest import DocumentManager, Outcome, chunk_counts
from citeqa.service.api.schemas import ERROR_RESPONSES, DocumentList, DocumentOut, DocumentSummary, ErrorResponse

FORM_OVERHEAD = 65_536
FORM_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
"""How a multipart form may spell ``replace`` (any case; left out: false). Anything else is a 422, never a guess:
"yes" was taken as true and "nope" as false."""
DATE_FORMS = "a date (2025-03-12) or a date and time (2025-03-12T10:00:00Z)"


def _doc_id(value: str) -> str:
    """``value`` when it is a document id; otherwise a message in words, with the id it would make."""
    if not is_doc_id(value):
        suggestion = normalise_doc_id(value)
        hint = f" (such as {suggestion!r})" if suggestion else ""
        raise ValueError(
            f"{value[:80]!r} is not a document id: use lower-case letters, digits, '.', '_' and '-', starting "
            f"with a letter or digit, at most {MAX_DOC_ID_CHARS} characters{hint}"
        )
    return value


def _iso_date(value: str) -> str:
    """``value`` when it is an ISO 8601 date or date and time (``2025-03-12``, ``2025-03-12T10:00:00+01:00``);
    otherwise a message saying which forms are, e.g. for "next tuesday"."""
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value[:80]!r} is not an ISO 8601 date: give {DATE_FORMS}, or leave it out") from None
    return value


IsoDate = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=100),
    AfterValidator(_iso_date),
    WithJsonSchema({"type": "string", "maxLength": 100}),
]
DocId = Annotated[str, AfterValidator(_doc_id), WithJsonSchema({"type": "string", "pattern": f"^{DOC_ID_PATTERN}$"})]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class TextDocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_id: DocId = Field(description="Id of the new document (lowercase letters, digits, `.`, `_`, `-`).")
    title: Short = Field(description="Title of the document.", examples=["Rutte visits Tokyo"])
    text: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="Body text, stored verbatim; citation offsets point into it."
    )
    url: str | None = Field(None, max_length=2000, description="Source URL.")
    date: IsoDate | None = Field(
        None,
        description=f"Publication date, ISO 8601: {DATE_FORMS}; anything else is refused (422).",
        examples=["2025-03-12", "2025-03-12T10:00:00Z"],
    )
    metadata: dict[str, Annotated[str, StringConstraints(max_length=2000)]] = Field(
        default_factory=dict, max_length=50, description="Other metadata fields (author, section...)."
    )
    replace: StrictBool = Field(
        False, description="Replace an existing document with the same id: `true` or `false` (a JSON boolean)."
    )


class ChangedDocument(BaseModel):
    doc_id: str = Field(examples=["rutte-tokyo"])
    title: str
    url: str | None
    date: str | None
    source: str = Field(description="File of the document in the corpus directory.")
    chunks: int = Field(description="Chunks indexed for it (0 once removed).")
    metadata: dict[str, str] = Field(description="Metadata read from the file (author, site, pages...).")


class DocumentsChanged(BaseModel):
    action: Literal["added", "replaced", "removed"] = Field(
        description="`added` (a new id), `replaced` (with `replace`, a document with the same id was replaced) "
        "or `removed`.",
        examples=["added"],
    )
    documents: list[ChangedDocument]
    index: dict[str, Any] = Field(description="Summary of the newly published index version now being served.")
    warnings: list[str] = Field(
        default_factory=list,
        description="Problems with the given file that did not stop it: a front-matter id that was normalised, "
        "an id cut to 128 characters from a long file name (naming the id), text read in another encoding than "
        "UTF-8 (naming it), copies with the same text removed too.",
        examples=[
            [
                "liege.txt: not UTF-8; read as windows-1252 (detected; if the text reads wrong, convert the file "
                "to UTF-8)"
            ]
        ],
    )

    @classmethod
    def of(cls, outcome: Outcome) -> DocumentsChanged:
        counts = chunk_counts(outcome.engine, {d.doc_id for d in outcome.documents})
        docs = [
            ChangedDocument(
                doc_id=d.doc_id,
                title=d.title,
                url=d.url,
                date=d.date,
                source=d.source,
                chunks=counts[d.doc_id],
                metadata=dict(d.metadata),
            )
            for d in outcome.documents
        ]
        return cls(action=outcome.action, documents=docs, index=outcome.index, warnings=list(outcome.warnings))


async def get_manager(request: Request) -> DocumentManager:
    """One manager per app, made on first use (on the event loop, so never twice)."""
    state = request.app.state
    if getattr(state, "document_manager", None) is None:
        state.document_manager = DocumentManager(state.runtime)
    manager: DocumentManager = state.document_manager
    return manager


ManagerDep = Annotated[DocumentManager, Depends(get_manager)]
router = APIRouter(
    tags=["documents"],
    responses={
        **ERROR_RESPONSES,
        409: {"model": ErrorResponse, "description": "Same id (without `replace`) or same text as another document."},
    },
)
UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    415: {
        "model": ErrorResponse,
        "description": "A body that is neither `multipart/form-data` nor JSON (or none), or a file of a type the "
        "corpus does not hold (Markdown, text, HTML and PDF are; the message lists them).",
    }
}


@router.get("/v1/documents", response_model=DocumentList, tags=["documents"], summary="List the indexed documents")
def documents(engine: EngineDep) -> DocumentList:
    return DocumentList(
        documents=[
            DocumentSummary(doc_id=d.doc_id, title=d.title, url=d.url, date=d.date, chunks=n)
            for d, n in engine.documents()
        ]
    )


@router.get(
    "/v1/documents/{doc_id}", response_model=DocumentOut, tags=["documents"], summary="One document's full text"
)
def document(doc_id: str, engine: EngineDep) -> DocumentOut:
    return DocumentOut.of(engine.document(doc_id))


UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "HTML, PDF, Markdown or text."},
                        "replace": {
                            "type": "boolean",
                            "description": "Replace a document with the same id: `true` or `false` (also `1` or "
                            "`0`); left out: false.",
                        },
                    },
                }
            },
            "application/json": {"schema": TextDocumentIn.model_json_schema()},
        },
    }
}


@router.post(
    "/v1/documents",
    status_code=201,
    response_model=DocumentsChanged,
    summary="Add a document (file upload or JSON text) and publish the updated index",
    openapi_extra=UPLOAD_BODY,
    responses=UPLOAD_RESPONSES,
)
async def add_document(_: AdminDep, request: Request, manager: ManagerDep, settings: SettingsDep) -> DocumentsChanged:
    limit = settings.max_upload_bytes
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith("multipart/form-data"):
        name, data, replace = await _read_upload(request, limit)
        outcome = await asyncio.to_thread(manager.add_file, name, data, replace)
    elif content_type.startswith("application/json"):
        body = await _read_json(request, limit)
        fields = body.model_dump(exclude={"text", "replace"})
        outcome = await asyncio.to_thread(lambda: manager.add_text(body.text, replace=body.replace, **fields))
    else:
        raise UnsupportedMediaType("send multipart/form-data with a `file` field, or JSON with `text` and `doc_id`")
    return DocumentsChanged.of(outcome)


@router.delete(
    "/v1/documents/{doc_id}", response_model=DocumentsChanged, summary="Remove a document and publish the updated index"
)
async def delete_document(_: AdminDep, doc_id: str, manager: ManagerDep) -> DocumentsChanged:
    outcome = await asyncio.to_thread(manager.remove, doc_id)
    return DocumentsChanged.of(outcome)


def _check_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FORM_OVERHEAD:
        raise PayloadTooLarge(f"request of {declared} bytes is over the {limit}-byte limit (CITEQA_MAX_UPLOAD_BYTES)")


async def _read_upload(request: Request, limit: int) -> tuple[str, bytes, bool]:
    _check_length(request, limit)
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("file: send the document as a multipart field named `file` (with a file name)")
        data = await upload.read(limit + 1)
        replace = _form_flag("replace", form.get("replace"))
    if len(data) > limit:
        raise PayloadTooLarge(f"file is over the {limit}-byte limit (CITEQA_MAX_UPLOAD_BYTES)")
    return upload.filename or "upload", data, replace


def _form_flag(name: str, value: object) -> bool:
    """The boolean a form field ``name`` spells (``FORM_BOOLEANS``), false when it was not sent; ``InvalidInput``
    (422) naming the field and the spellings otherwise."""
    if value is None:
        return False
    if isinstance(value, str) and value.strip().lower() in FORM_BOOLEANS:
        return FORM_BOOLEANS[value.strip().lower()]
    sent = repr(value[:40]) if isinstance(value, str) else "a file"
    raise InvalidInput(f"{name}: {sent} is not a boolean: send true or false (or 1 or 0)")


async def _read_json(request: Request, limit: int) -> TextDocumentIn:
    _check_length(request, limit)
    raw = await request.body()
    if len(raw) > limit + FORM_OVERHEAD:
        raise PayloadTooLarge(f"request is over the {limit}-byte limit (CITEQA_MAX_UPLOAD_BYTES)")
    try:
        return TextDocumentIn.model_validate_json(raw)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from None
