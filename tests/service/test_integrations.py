"""LangChain and LlamaIndex integrations with the real frameworks against a real ``citeqa serve``.

Retrieved passages verify against the document text at their offsets; the ask tool's citations
verify too; bad input and wrong keys raise the client's typed errors with the API's message.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.messages import ToolMessage
from llama_index.core.schema import MetadataMode, NodeRelationship

from citeqa.service.client import Answer, ApiError, Client, InvalidRequest, Passage, Unauthorized
from citeqa.service.integrations.langchain import CiteqaAskTool
from citeqa.service.integrations.langchain import CiteqaRetriever as LangChainRetriever
from citeqa.service.integrations.llamaindex import CiteqaRetriever as LlamaIndexRetriever
from citeqa.service.integrations.llamaindex import passage_node
from tests.conftest import API_KEY, ROOT, Server

QUESTION = "what is NSATU?"
METADATA = {"doc_id", "title", "url", "page", "start", "end", "chunk_id", "score", "dense_score", "lexical_score"}


def document_text(server: Server, doc_id: str) -> str:
    with Client(server.url, timeout=30) as client:
        return client.document(doc_id).text


def test_langchain_retriever_documents_verify(server: Server) -> None:
    retriever = LangChainRetriever(url=server.url, k=3, timeout=30)
    docs = retriever.invoke(QUESTION)
    again = asyncio.run(retriever.ainvoke(QUESTION))
    assert len(docs) == 3 and [d.metadata for d in again] == [d.metadata for d in docs]
    for d in docs:
        assert set(d.metadata) == METADATA
        m = d.metadata
        assert document_text(server, m["doc_id"])[m["start"] : m["end"]] == d.page_content
        assert d.id == f"{m['doc_id']}:{m['chunk_id']}"
    scores = [d.metadata["score"] for d in docs]
    assert scores == sorted(scores, reverse=True) and any("NSATU" in d.page_content for d in docs)


def test_langchain_ask_tool_cites_exact_quotes(server: Server) -> None:
    tool = CiteqaAskTool(url=server.url, k=3, timeout=30)
    call = {"type": "tool_call", "id": "call-1", "name": tool.name, "args": {"question": QUESTION}}
    message = tool.invoke(call)
    assert isinstance(message, ToolMessage) and isinstance(message.artifact, Answer)
    answer = message.artifact
    assert answer.answerable and answer.citations
    for c in answer.citations:
        assert document_text(server, c.doc_id)[c.start : c.end] == c.quote
        assert f'[{c.id}] "{c.quote}"' in str(message.content)
    assert str(tool.invoke({"question": QUESTION})) == str(message.content)
    assert asyncio.run(tool.ainvoke(call)).artifact.citations == answer.citations
    unanswerable = tool.invoke({"question": "What is the boiling point of tungsten on Jupiter?"})
    assert str(unanswerable).startswith("The articles do not cover this question")


def test_llamaindex_retriever_nodes_verify(server: Server) -> None:
    retriever = LlamaIndexRetriever(server.url, k=3, timeout=30)
    hits = retriever.retrieve(QUESTION)
    again = asyncio.run(retriever.aretrieve(QUESTION))
    assert len(hits) == 3 and [h.node.node_id for h in again] == [h.node.node_id for h in hits]
    for hit in hits:
        node, m = hit.node, hit.node.metadata
        assert set(m) == METADATA and hit.score == m["score"]
        text = document_text(server, m["doc_id"])
        assert text[m["start"] : m["end"]] == node.get_content()
        assert (node.start_char_idx, node.end_char_idx) == (m["start"], m["end"])  # type: ignore[attr-defined]
        assert node.relationships[NodeRelationship.SOURCE].node_id == m["doc_id"]  # type: ignore[union-attr]
        assert "dense_score" not in node.get_metadata_str(mode="llm")  # type: ignore[arg-type]
        assert m["url"] is None and "None" not in node.get_content(metadata_mode=MetadataMode.LLM)
    assert any("NSATU" in h.node.get_content() for h in hits)


@pytest.mark.parametrize(
    ("url", "page", "shown", "hidden"),
    [
        (None, None, ["doc_id: harbour", "title: Harbour news"], ["url:", "page:", "None"]),
        ("https://example.org/h", 2, ["url: https://example.org/h", "page: 2"], ["None"]),
        ("https://example.org/h", None, ["url: https://example.org/h"], ["page:", "None"]),
    ],
    ids=["neither", "both", "url-only"],
)
def test_llamaindex_node_text_shows_no_missing_metadata(
    url: str | None, page: int | None, shown: list[str], hidden: list[str]
) -> None:
    """What a model (or an embedder) reads of a node names its source, never "url: None"; the metadata has every key."""
    passage = Passage("harbour", "Harbour news", 0, "The ferry sails at dawn.", 0, 24, 1.0, 0.8, 3.2, url, page)
    node = passage_node(passage).node
    assert set(node.metadata) == METADATA and node.metadata["url"] == url
    for mode in (MetadataMode.LLM, MetadataMode.EMBED):
        text = node.get_content(metadata_mode=mode)
        assert text.endswith("The ferry sails at dawn.") and "lexical_score" not in text
        assert all(s in text for s in shown) and not any(h in text for h in hidden), text


Call = Callable[[str], Any]


def langchain_search(url: str, key: str | None) -> Call:
    return LangChainRetriever(url=url, api_key=key, timeout=30).invoke


def langchain_ask(url: str, key: str | None) -> Call:
    tool = CiteqaAskTool(url=url, api_key=key, timeout=30)
    return lambda question: tool.invoke({"question": question})


def llamaindex_search(url: str, key: str | None) -> Call:
    return LlamaIndexRetriever(url, api_key=key, timeout=30).retrieve


INTEGRATIONS = pytest.mark.parametrize(
    "make",
    [langchain_search, langchain_ask, llamaindex_search],
    ids=["langchain-retriever", "langchain-ask", "llamaindex"],
)


@INTEGRATIONS
def test_empty_question_raises_invalid_request(server: Server, make: Callable[[str, str | None], Call]) -> None:
    with pytest.raises(InvalidRequest) as caught:
        make(server.url, None)("   ")
    assert caught.value.status == 422 and "empty or only spaces: write" in caught.value.message


@INTEGRATIONS
def test_wrong_key_raises_unauthorized(keyed_server: Server, make: Callable[[str, str | None], Call]) -> None:
    with pytest.raises(Unauthorized) as caught:
        make(keyed_server.url, "wrong")(QUESTION)
    assert caught.value.status == 401 and "missing or wrong API key" in caught.value.message
    assert make(keyed_server.url, API_KEY)(QUESTION)


@pytest.mark.parametrize(
    ("module", "blocked", "extra"),
    [
        ("citeqa.service.integrations.langchain", "langchain_core", "langchain"),
        ("citeqa.service.integrations.llamaindex", "llama_index", "llamaindex"),
    ],
)
def test_missing_framework_names_the_extra(module: str, blocked: str, extra: str) -> None:
    code = f"import sys; sys.modules[{blocked!r}] = None\nimport {module}"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"pip install 'citeqa[{extra}]'" in done.stderr.strip().splitlines()[-1]


def test_errors_share_one_base() -> None:
    assert issubclass(InvalidRequest, ApiError) and issubclass(Unauthorized, ApiError)
