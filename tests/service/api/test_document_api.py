"""POST /v1/documents and DELETE /v1/documents/{doc_id}: real files, real rebuilds, hot swap of the index."""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from citeqa.service.api.app import create_app
from citeqa.service.settings import Settings
from tests.article_files import (
    ARTICLE_AUTHOR,
    ARTICLE_TITLE,
    ARTICLE_URL,
    article_html,
    dated_page,
    justified_pdf,
    report_pdf,
    typeset_pdf,
)
from tests.conftest import ROOT, build_test_index, wait_ready

KEY = "test-admin-key-123"
ADMIN = {"Authorization": f"Bearer {KEY}"}
NOTE = {"doc_id": "x", "title": "t", "text": "body"}


@pytest.fixture(scope="module")
def docs_client(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Iterator[TestClient]:
    base = tmp_path_factory.mktemp("documents-api")
    corpus = base / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    index = build_test_index(corpus, base / "index", embedder)
    settings = Settings(corpus_dir=corpus, index_dir=index, admin_api_key=KEY, max_upload_bytes=200_000)
    with TestClient(create_app(settings)) as client:
        wait_ready(lambda: client.get("/readyz").status_code)
        yield client


def _doc_ids(client: TestClient) -> set[str]:
    return {d["doc_id"] for d in client.get("/v1/documents").json()["documents"]}


def test_upload_pdf_then_cite_its_page(docs_client: TestClient) -> None:
    before = docs_client.get("/readyz").json()["index"]["version"]
    files = {"file": ("coop-report.pdf", report_pdf(), "application/pdf")}
    response = docs_client.post("/v1/documents", files=files, headers=ADMIN)
    assert response.status_code == 201, response.text
    body = response.json()
    (doc,) = body["documents"]
    assert (doc["doc_id"], doc["metadata"]["pages"]) == ("coop-report", "3")
    assert doc["chunks"] >= 1
    assert body["index"]["version"] != before
    assert docs_client.get("/readyz").json()["index"]["version"] == body["index"]["version"]

    answer = docs_client.post("/v1/ask", json={"question": "How large was the dividend paid to each member?"}).json()
    assert answer["answerable"], answer["reason"]
    citation = answer["citations"][0]
    assert citation["doc_id"] == "coop-report"
    assert "212 euros" in citation["quote"]
    assert citation["page"] == 3
    text = docs_client.get("/v1/documents/coop-report").json()["text"]
    assert text[citation["start"] : citation["end"]] == citation["quote"]


def test_upload_html_page_and_json_text_then_delete(docs_client: TestClient) -> None:
    files = {"file": ("tidal.html", article_html().encode(), "text/html")}
    page = docs_client.post("/v1/documents", files=files, headers=ADMIN).json()["documents"][0]
    assert (page["title"], page["url"], page["metadata"]["author"]) == (ARTICLE_TITLE, ARTICLE_URL, ARTICLE_AUTHOR)

    note = {"doc_id": "lighthouse-note", "title": "Lighthouse", "text": "The old lighthouse was painted green in May."}
    response = docs_client.post("/v1/documents", json={**note, "metadata": {"author": "Ann"}}, headers=ADMIN)
    assert response.status_code == 201, response.text
    assert {"tidal", "lighthouse-note"} <= _doc_ids(docs_client)
    answer = docs_client.post("/v1/ask", json={"question": "What colour was the lighthouse painted?"}).json()
    assert answer["citations"][0]["doc_id"] == "lighthouse-note"
    assert answer["citations"][0]["page"] is None

    for doc_id in ("tidal", "lighthouse-note"):
        response = docs_client.delete(f"/v1/documents/{doc_id}", headers=ADMIN)
        assert response.status_code == 200, response.text
        assert response.json()["documents"][0]["chunks"] == 0
    assert not {"tidal", "lighthouse-note"} & _doc_ids(docs_client)
    assert docs_client.get("/v1/documents/tidal").status_code == 404


def test_concurrent_changes_are_serialized_and_all_kept(docs_client: TestClient) -> None:
    notes = [{"doc_id": f"note-{i}", "title": f"Note {i}", "text": f"Harbour note number {i} about boat {i}."}
             for i in range(3)]  # fmt: skip
    with ThreadPoolExecutor(4) as pool:
        posts = [pool.submit(docs_client.post, "/v1/documents", json=n, headers=ADMIN) for n in notes]
        asks = [pool.submit(docs_client.post, "/v1/ask", json={"question": "what is NSATU?"}) for _ in range(6)]
        codes = [f.result().status_code for f in posts]
        answers = [f.result() for f in asks]
    assert codes == [201, 201, 201]
    assert [a.status_code for a in answers] == [200] * 6
    assert all(a.json()["answerable"] for a in answers)
    assert {"note-0", "note-1", "note-2"} <= _doc_ids(docs_client)
    with ThreadPoolExecutor(3) as pool:
        codes = list(pool.map(lambda n: docs_client.delete(f"/v1/documents/{n['doc_id']}", headers=ADMIN).status_code,
                              notes))  # fmt: skip
    assert codes == [200, 200, 200]
    assert not {"note-0", "note-1", "note-2"} & _doc_ids(docs_client)


def test_an_unreadable_upload_is_named_as_sent(docs_client: TestClient) -> None:
    """Stored as ``notes.txt`` had it been text (a name without a suffix is read as text); the message
    names the file the user sent. (A name with a suffix no build reads, "x.bin", is refused with 415.)"""
    files = {"file": ("notes", b"\x00\x01\x02binary", "application/octet-stream")}
    response = docs_client.post("/v1/documents", headers=ADMIN, files=files)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"] == "notes: looks binary (NUL bytes)"


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"json": NOTE, "headers": {}}, 401, "unauthorized"),
        ({"json": NOTE, "headers": {"X-API-Key": "wrong"}}, 401, "unauthorized"),
        ({"json": {"doc_id": "Bad Id!", "title": "t", "text": "body"}}, 422, "invalid_input"),
        ({"json": {"doc_id": "x", "title": "t"}}, 422, "invalid_input"),
        ({"json": {"doc_id": "x", "title": "t", "text": "b", "extra": 1}}, 422, "invalid_input"),
        ({"json": {"doc_id": "japan-nato-rutte-visit", "title": "t", "text": "new body"}}, 409, "document_conflict"),
        ({"files": {"file": ("big.txt", b"x" * 300_000, "text/plain")}}, 413, "payload_too_large"),
        (
            {"files": {"file": ("img.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "image/png")}},
            415,
            "unsupported_media_type",
        ),
        ({"files": {"file": ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "text/plain")}}, 422, "invalid_input"),
        ({"files": {"file": ("bad.pdf", b"%PDF-1.4 not really", "application/pdf")}}, 422, "invalid_input"),
        ({"data": {"replace": "true"}, "files": {"other": ("a.txt", b"a", "text/plain")}}, 422, "invalid_input"),
        ({"content": b"hello", "headers": {**ADMIN, "content-type": "text/plain"}}, 415, "unsupported_media_type"),
        ({}, 415, "unsupported_media_type"),
        ({"json": {"doc_id": "news/2024/roof", "title": "t", "text": "b"}}, 422, "invalid_input"),
        ({"json": {"doc_id": "", "title": "t", "text": "b"}}, 422, "invalid_input"),
        ({"json": {**NOTE, "date": "next tuesday"}}, 422, "invalid_input"),
        ({"json": {**NOTE, "replace": "yes"}}, 422, "invalid_input"),
        ({"data": {"replace": "yes"}, "files": {"file": ("a.txt", b"a new note", "text/plain")}}, 422, "invalid_input"),
    ],
)
def test_bad_requests_are_refused_and_change_nothing(
    docs_client: TestClient, kwargs: dict[str, Any], status: int, code: str
) -> None:
    before = docs_client.get("/readyz").json()["index"]["version"]
    response = docs_client.post("/v1/documents", **{"headers": ADMIN, **kwargs})
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert docs_client.get("/readyz").json()["index"]["version"] == before


def test_an_upload_of_a_type_the_corpus_does_not_hold_is_415_listing_the_types(docs_client: TestClient) -> None:
    files = {"file": ("notes.docx", b"PK\x03\x04 a word document", "application/octet-stream")}
    response = docs_client.post("/v1/documents", files=files, headers=ADMIN)
    assert response.status_code == 415, response.text
    assert response.json()["error"] == {
        "code": "unsupported_media_type",
        "message": "notes.docx: unsupported file type '.docx': add Markdown (.md, .markdown), text (.txt, .text), "
        "HTML (.html, .htm, .xhtml) or PDF (.pdf) files",
    }
    assert "notes.docx" not in _doc_ids(docs_client)
    corpus = Path(docs_client.app.state.settings.corpus_dir)  # type: ignore[attr-defined]
    assert not any(p.name.startswith("notes") for p in corpus.iterdir())


def test_delete_unknown_document_is_404(docs_client: TestClient) -> None:
    response = docs_client.delete("/v1/documents/no-such-doc", headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "document_not_found",
        "message": "no document 'no-such-doc': list them with GET /v1/documents",  # no server path, no CLI
    }
    assert docs_client.delete("/v1/documents/japan-nato-rutte-visit").status_code == 401


def test_delete_removes_the_skipped_copies_of_a_document_or_refuses(docs_client: TestClient) -> None:
    corpus = Path(docs_client.app.state.settings.corpus_dir)  # type: ignore[attr-defined]
    text = b"The lighthouse\n\nThe old lighthouse keeper retired in 1990.\n"
    files = {"file": ("lighthouse-copy.md", text, "text/markdown")}
    assert docs_client.post("/v1/documents", files=files, headers=ADMIN).status_code == 201
    (corpus / "lighthouse.md").write_bytes(text)  # skipped by every build: same text as lighthouse-copy.md
    response = docs_client.delete("/v1/documents/lighthouse-copy", headers=ADMIN)
    assert response.status_code == 200, response.text
    assert [(d["doc_id"], d["source"]) for d in response.json()["documents"]] == [
        ("lighthouse-copy", "lighthouse-copy.md"),
        ("lighthouse", "lighthouse.md"),
    ]
    assert not {"lighthouse-copy", "lighthouse"} & _doc_ids(docs_client)
    assert not (corpus / "lighthouse.md").exists()

    (corpus / "keeper.md").write_bytes(b"---\nid: keeper\n---\nThe keeper lived in the tower.\n")
    (corpus / "keeper.txt").write_bytes(b"Keeper\n\nAnother text that would take the id.\n")
    try:
        refused = docs_client.delete("/v1/documents/keeper", headers=ADMIN)
        assert refused.status_code == 409, refused.text
        message = refused.json()["error"]["message"]
        assert message.startswith("cannot remove 'keeper' (keeper.md): keeper.txt, skipped so far")
        assert str(corpus) not in message
        assert (corpus / "keeper.md").exists()
    finally:
        (corpus / "keeper.md").unlink()
        (corpus / "keeper.txt").unlink()


def test_an_upload_in_latin1_is_read_with_its_accents_and_a_warning(docs_client: TestClient) -> None:
    liege = "Café Renoir\n\nLe café Renoir à Liège sert des gaufres depuis 1921.\n".encode("latin-1")
    response = docs_client.post("/v1/documents", files={"file": ("liège.txt", liege, "text/plain")}, headers=ADMIN)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["documents"][0]["doc_id"], body["documents"][0]["title"]) == ("liege", "Café Renoir")
    assert body["warnings"] == [
        "liège.txt: not UTF-8; read as windows-1252 (detected; if the text reads wrong, convert the file to UTF-8)"
    ]
    assert "Liège" in docs_client.get("/v1/documents/liege").json()["text"]
    assert docs_client.delete("/v1/documents/liege", headers=ADMIN).json()["warnings"] == []


def test_an_upload_with_almost_no_words_is_added_with_a_warning(docs_client: TestClient) -> None:
    junk = "".join("4.#|%&|1?7?8);%@4=@8^)-<{>[^,7,9+/10@,))>"[(i * 7) % 41] for i in range(3000))
    files = {"file": ("junk-ascii.md", junk.encode(), "text/markdown")}
    response = docs_client.post("/v1/documents", files=files, headers=ADMIN)
    assert response.status_code == 201, response.text
    assert response.json()["warnings"] == [
        "junk-ascii.md: almost no words: only 0% of its characters are letters (the rest digits, punctuation or "
        "symbols); answers are sentences, so check that this is the text you meant to index"
    ]
    assert docs_client.delete("/v1/documents/junk-ascii", headers=ADMIN).status_code == 200


def test_a_justified_pdf_is_answered_with_a_whole_sentence(docs_client: TestClient) -> None:
    """Trial s16: the lines of a justified, 1.5-spaced paragraph became paragraphs of their own with
    double spaces, so a quote was a line's fragment ("It  is") or the answer was refused."""
    files = {"file": ("onboarding.pdf", justified_pdf("DejaVu"), "application/pdf")}
    assert docs_client.post("/v1/documents", files=files, headers=ADMIN).status_code == 201
    try:
        text = docs_client.get("/v1/documents/onboarding").json()["text"]
        assert "  " not in text
        answer = docs_client.post("/v1/ask", json={"question": "What is the notice period during probation?"})
        body = answer.json()
        assert body["answerable"], body["reason"]
        cited = body["citations"][0]
        assert (cited["doc_id"], cited["page"]) == ("onboarding", 1)
        assert cited["quote"] == "During probation, the notice period is two weeks for both sides."
        assert text[cited["start"] : cited["end"]] == cited["quote"]
    finally:
        docs_client.delete("/v1/documents/onboarding", headers=ADMIN)


@pytest.mark.parametrize("name", ["harbour-" * 25 + "reopens.txt", "harbour-" * 40 + "reopens.txt"])
def test_an_upload_with_a_long_name_says_the_id_it_got(docs_client: TestClient, name: str) -> None:
    """A name of 207 characters is stored as it is; one of 327, more than file systems take, is stored cut
    before its suffix: both keep the id of the name given, cut to 128 characters."""
    doc_id = name[:128].rstrip("-")
    text = b"Harbour news\n\nThe harbour of Elmford reopened on Monday.\n"
    response = docs_client.post("/v1/documents", files={"file": (name, text, "text/plain")}, headers=ADMIN)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["documents"][0]["doc_id"] == doc_id
    assert body["warnings"] == [
        f"{name}: the name is too long for a document id, so its id is cut to 128 characters: '{doc_id}' "
        "(rename the file for a shorter one)"
    ]
    assert docs_client.delete(f"/v1/documents/{doc_id}", headers=ADMIN).status_code == 200


def test_an_upload_named_without_letters_or_digits_is_refused_as_citeqa_add_refuses_it(
    docs_client: TestClient,
) -> None:
    """It would have been document "txt" (the suffix); `citeqa add` says the same (test_collection.py)."""
    files = {"file": ("().txt", b"Market news\n\nThe market moved to the square.\n", "text/plain")}
    response = docs_client.post("/v1/documents", files=files, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == {
        "code": "invalid_input",
        "message": "().txt: the file name has no letter or digit to make a document id of: rename the file",
    }
    assert "txt" not in _doc_ids(docs_client)


def test_replacing_says_replaced_and_a_taken_id_names_the_field(docs_client: TestClient) -> None:
    note = {"doc_id": "tide-note", "title": "Tides", "text": "The spring tide reached the harbour wall."}
    first = docs_client.post("/v1/documents", json=note, headers=ADMIN)
    assert (first.status_code, first.json()["action"]) == (201, "added")
    taken = docs_client.post("/v1/documents", json={**note, "text": "The neap tide was low."}, headers=ADMIN)
    assert taken.status_code == 409
    assert taken.json()["error"] == {
        "code": "document_conflict",
        "message": "document 'tide-note' already exists (tide-note.md): set `replace` to true to update it",
    }
    replaced = docs_client.post(
        "/v1/documents", json={**note, "text": "The neap tide was low.", "replace": True}, headers=ADMIN
    )
    assert (replaced.status_code, replaced.json()["action"]) == (201, "replaced")
    files = {"file": ("tide-note.md", b"---\nid: tide-note\ntitle: Tides\n---\nThe tide turned at noon.\n")}
    uploaded = docs_client.post("/v1/documents", files=files, data={"replace": "true"}, headers=ADMIN)
    assert (uploaded.status_code, uploaded.json()["action"]) == (201, "replaced")
    assert docs_client.delete("/v1/documents/tide-note", headers=ADMIN).json()["action"] == "removed"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"json": {**NOTE, "date": "next tuesday"}},
            "date: Value error, 'next tuesday' is not an ISO 8601 date: give a date (2025-03-12) or a date and time "
            "(2025-03-12T10:00:00Z), or leave it out (request formats: /openapi.json)",
        ),
        ({"json": {**NOTE, "date": "12/03/2025"}}, "date: Value error, '12/03/2025' is not an ISO 8601 date: give"),
        ({"json": {**NOTE, "replace": "yes"}}, "replace: Input should be a valid boolean"),
        ({"json": {**NOTE, "replace": 1}}, "replace: Input should be a valid boolean"),
        (
            {"data": {"replace": "yes"}, "files": {"file": ("a.txt", b"a new note", "text/plain")}},
            "replace: 'yes' is not a boolean: send true or false (or 1 or 0)",
        ),
        (
            {"data": {"replace": ""}, "files": {"file": ("a.txt", b"a new note", "text/plain")}},
            "replace: '' is not a boolean: send true or false (or 1 or 0)",
        ),
    ],
    ids=["date-words", "date-slashes", "json-replace-yes", "json-replace-1", "form-replace-yes", "form-replace-empty"],
)
def test_a_date_or_a_replace_that_is_not_one_is_refused_naming_the_field(
    docs_client: TestClient, kwargs: dict[str, Any], message: str
) -> None:
    """A new user's trial: `"date": "next tuesday"` was stored as the date, and `"replace": "yes"` replaced."""
    response = docs_client.post("/v1/documents", headers=ADMIN, **kwargs)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"].startswith(message)


WORDS = {"0": 409, " FALSE ": 409, "false": 409, "1": 201, "True": 201}
"""How a form spells replace, and the status it gets when a document with the id exists."""


def test_iso_dates_and_form_booleans_are_taken(docs_client: TestClient) -> None:
    note = {"doc_id": "buoy-note", "title": "Buoy", "text": "The yellow buoy marks the wreck of the Aurora."}
    for date in ("2025-03-12", "2025-03-12T10:00:00Z", "2025-03-12T10:00:00+01:00"):
        response = docs_client.post("/v1/documents", json={**note, "date": date, "replace": True}, headers=ADMIN)
        assert response.status_code == 201, response.text
        assert response.json()["documents"][0]["date"] == date
    upload = {"file": ("buoy-note.txt", b"The yellow buoy marks the wreck of the Aurora, sunk in 1911.\n")}
    sent = {w: docs_client.post("/v1/documents", files=upload, data={"replace": w}, headers=ADMIN) for w in WORDS}
    assert {w: r.status_code for w, r in sent.items()} == WORDS, {w: r.text for w, r in sent.items()}
    assert docs_client.delete("/v1/documents/buoy-note", headers=ADMIN).status_code == 200


def test_an_html_page_without_a_date_is_listed_without_one(docs_client: TestClient) -> None:
    """A new user's page without a date, its footer "© 2025", was listed as of 2025-01-01; the date of its
    metadata is kept."""
    note = "<p>The footer of this page gives a copyright year, and its head gives no date.</p>"
    files = {"file": ("undated.html", dated_page(article=note), "text/html")}
    response = docs_client.post("/v1/documents", files=files, headers=ADMIN)
    assert response.status_code == 201, response.text
    assert response.json()["documents"][0]["date"] is None
    listed = {d["doc_id"]: d for d in docs_client.get("/v1/documents").json()["documents"]}
    assert listed["undated"]["date"] is None
    dated = dated_page('<meta property="article:published_time" content="2024-03-18T08:30:00Z">', note)
    files = {"file": ("undated.html", dated, "text/html")}
    response = docs_client.post("/v1/documents", files=files, data={"replace": "true"}, headers=ADMIN)
    assert (response.status_code, response.json()["documents"][0]["date"]) == (201, "2024-03-18")
    assert docs_client.delete("/v1/documents/undated", headers=ADMIN).status_code == 200


def test_a_citation_tells_its_document_version_from_a_replaced_one(docs_client: TestClient) -> None:
    """A new-user trial asked while replacing documents and saw 25 of 992 quotes differ from the fetched
    text: the citation's content_hash equals the document's while it is served, and differs once replaced."""
    note = {"doc_id": "ferry-note", "title": "Ferry", "text": "The Kelvedon ferry sails at 7am from Pier 4."}
    assert docs_client.post("/v1/documents", json=note, headers=ADMIN).status_code == 201
    answer = docs_client.post("/v1/ask", json={"question": "When does the Kelvedon ferry sail?"}).json()
    assert answer["answerable"], answer["reason"]
    (citation,) = [c for c in answer["citations"] if c["doc_id"] == "ferry-note"]
    document = docs_client.get("/v1/documents/ferry-note").json()
    assert citation["content_hash"] == document["content_hash"] and len(document["content_hash"]) == 64
    assert document["text"][citation["start"] : citation["end"]] == citation["quote"]
    changed = {**note, "text": "From May, the Kelvedon ferry sails at 8am from Pier 2.", "replace": True}
    assert docs_client.post("/v1/documents", json=changed, headers=ADMIN).status_code == 201
    assert docs_client.get("/v1/documents/ferry-note").json()["content_hash"] != citation["content_hash"]
    assert docs_client.delete("/v1/documents/ferry-note", headers=ADMIN).status_code == 200


def test_openapi_lists_every_document_action(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["DocumentsChanged"]["properties"]["action"]
    assert schema["enum"] == ["added", "replaced", "removed"] and "replaced" in schema["description"]


def test_document_endpoints_disabled_without_admin_key(client: TestClient) -> None:
    response = client.post("/v1/documents", json={"doc_id": "x", "title": "t", "text": "b"}, headers=ADMIN)
    assert response.status_code == 401
    assert "CITEQA_ADMIN_API_KEY" in response.json()["error"]["message"]


def test_openapi_documents_both_upload_forms(client: TestClient) -> None:
    body = client.get("/openapi.json").json()["paths"]["/v1/documents"]["post"]["requestBody"]["content"]
    assert {"multipart/form-data", "application/json"} <= set(body)


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        ("post", "/v1/documents", {"201", "401", "409", "413", "415", "422", "503"}),
        ("delete", "/v1/documents/{doc_id}", {"200", "401", "404", "503"}),
        ("get", "/v1/documents/{doc_id}", {"200", "404", "503"}),
    ],
)
def test_openapi_declares_every_status_a_document_route_answers(
    client: TestClient, method: str, path: str, statuses: set[str]
) -> None:
    declared = client.get("/openapi.json").json()["paths"][path][method]["responses"]
    assert statuses <= set(declared)


def test_a_front_matter_id_with_slashes_is_cited_fetched_and_deleted_by_the_same_id(docs_client: TestClient) -> None:
    roof = b"---\nid: news/2024/roof\ntitle: Roof works\n---\nThe library roof gets copper tiles in August.\n"
    response = docs_client.post("/v1/documents", files={"file": ("roof.md", roof, "text/markdown")}, headers=ADMIN)
    assert response.status_code == 201, response.text
    assert response.json()["documents"][0]["doc_id"] == "news-2024-roof"
    citation = docs_client.post("/v1/ask", json={"question": "What tiles does the library roof get?"}).json()
    cited = citation["citations"][0]
    assert cited["doc_id"] == "news-2024-roof"
    document = docs_client.get(f"/v1/documents/{cited['doc_id']}")
    assert document.status_code == 200
    assert document.json()["text"][cited["start"] : cited["end"]] == cited["quote"]
    assert docs_client.delete(f"/v1/documents/{cited['doc_id']}", headers=ADMIN).status_code == 200
    assert "news-2024-roof" not in _doc_ids(docs_client)


def test_a_file_name_taken_by_another_document_is_refused_without_a_server_path(docs_client: TestClient) -> None:
    files = {"file": ("japan-nato-rutte-visit.md", b"---\nid: other-visit\ntitle: Other\n---\nA new text.\n")}
    response = docs_client.post("/v1/documents", files=files, headers=ADMIN)
    assert response.status_code == 409, response.text
    assert response.json()["error"]["message"] == (
        "japan-nato-rutte-visit.md already exists in the corpus as another document's file: rename it"
    )


@pytest.mark.parametrize(
    "variant",
    [
        lambda text: text.replace("\n", "\r\n"),
        lambda text: text.rstrip("\n"),
        lambda text: unicodedata.normalize("NFD", text),
    ],
    ids=["crlf", "no-final-newline", "nfd"],
)
def test_a_near_duplicate_of_a_corpus_document_is_refused(docs_client: TestClient, variant: Any) -> None:
    text = docs_client.get("/v1/documents/japan-nato-rutte-visit").json()["text"]
    note = {"doc_id": "rutte-copy", "title": "Copy", "text": variant(text)}
    response = docs_client.post("/v1/documents", json=note, headers=ADMIN)
    assert response.status_code == 409, response.text
    assert "already in the corpus as 'japan-nato-rutte-visit'" in response.json()["error"]["message"]
    files = {"file": ("copy.txt", variant(text).encode(), "text/plain")}
    assert docs_client.post("/v1/documents", files=files, headers=ADMIN).status_code == 409


def test_a_typeset_pdf_is_matched_and_quoted_by_whole_words(docs_client: TestClient) -> None:
    lines = (
        "Parking notice",
        "The new parking regu-",
        "lation applies to all Resi-",
        "dents of the \ufb01rst district from the \ufb01fth of May.",
    )
    files = {"file": ("parking.pdf", typeset_pdf(lines), "application/pdf")}
    assert docs_client.post("/v1/documents", files=files, headers=ADMIN).status_code == 201
    try:
        hits = docs_client.post("/v1/search", json={"query": "regulation residents fifth", "k": 1}).json()
        assert hits["passages"][0]["doc_id"] == "parking"
        assert hits["passages"][0]["lexical_score"] > 0
        answer = docs_client.post("/v1/ask", json={"question": "Who does the new parking regulation apply to?"})
        cited = answer.json()["citations"][0]
        assert cited["doc_id"] == "parking" and cited["page"] == 1
        assert "regulation applies to all Residents" in " ".join(cited["quote"].split())
        text = docs_client.get("/v1/documents/parking").json()["text"]
        assert text[cited["start"] : cited["end"]] == cited["quote"]
        assert cited["start"] == 0 or not text[cited["start"] - 1].isalnum()
    finally:
        docs_client.delete("/v1/documents/parking", headers=ADMIN)


def test_index_on_disk_stays_loadable(docs_client: TestClient, embedder: Any) -> None:
    from citeqa.index.store.loader import load_index

    settings: Settings = docs_client.app.state.settings  # type: ignore[attr-defined]
    data = load_index(Path(settings.index_dir), embedder.name, embedder.dimension)
    assert data.manifest.version == docs_client.get("/readyz").json()["index"]["version"]


def test_a_service_changes_its_index_in_the_corpus_the_index_was_built_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: Any
) -> None:
    """CITEQA_INDEX_DIR without CITEQA_CORPUS_DIR: an upload goes to the corpus the index records, not
    to the working directory's corpus/, whose rebuild would drop the served documents."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "bakery.txt").write_text("Rosa's bakery opens\n\nRosa Delgado opened a bakery in Elmford on Monday.\n")
    (mine / "chess.txt").write_text("Teenager wins chess title\n\nA 15-year-old from Elmford won the county title.\n")
    index = build_test_index(mine, tmp_path / "index", embedder)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "decoy.txt").write_text("Decoy\n\nA document of the default corpus.\n")
    with TestClient(create_app(Settings(index_dir=index, admin_api_key=KEY))) as client:
        wait_ready(lambda: client.get("/readyz").status_code)
        response = client.post("/v1/documents", json={**NOTE, "doc_id": "harbour"}, headers=ADMIN)
        assert response.status_code == 201, response.text
        assert _doc_ids(client) == {"bakery", "chess", "harbour"}
    assert any(p.stem == "harbour" for p in mine.iterdir())
    assert [p.name for p in (tmp_path / "corpus").iterdir()] == ["decoy.txt"]


def test_a_bad_document_id_is_explained_in_words(docs_client: TestClient) -> None:
    response = docs_client.post("/v1/documents", json={**NOTE, "doc_id": "Bad Id!"}, headers=ADMIN)
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "'Bad Id!' is not a document id: use lower-case letters" in message and "'bad-id'" in message
    assert "pattern" not in message
