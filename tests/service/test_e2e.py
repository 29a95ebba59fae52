"""End to end against a real ``citeqa serve`` process on 127.0.0.1."""

from __future__ import annotations

import httpx

from tests.conftest import Server


def test_a_real_server_answers_with_verifiable_citations(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        body = http.post("/v1/ask", json={"question": "what is NSATU?", "k": 3}).json()
        assert body["answerable"] and "NATO Security Assistance and Training for Ukraine" in body["answer"]
        # the expansion, then what the command does (two sentences on), each its own citation
        assert "to coordinate training" in body["citations"][1]["quote"]
        wide = http.post("/v1/ask", json={"question": "What is ＮＳＡＴＵ?", "k": 3}).json()  # fullwidth
        assert [c["quote"] for c in wide["citations"]] == [c["quote"] for c in body["citations"]]
        citation = body["citations"][0]
        text = http.get(f"/v1/documents/{citation['doc_id']}").json()["text"]
        assert text[citation["start"] : citation["end"]] == citation["quote"]
        assert http.post("/v1/search", json={"query": "Keio University", "k": 2}).status_code == 200
        bad = http.post("/v1/ask", content=b"{", headers={"content-type": "application/json"})
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"
        assert http.get("/readyz").json()["index"]["chunks"] > 0
