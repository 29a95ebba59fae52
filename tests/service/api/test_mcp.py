"""The MCP server through the SDK's own ``ClientSession``, against real processes on 127.0.0.1.

Three ways in: ``citeqa mcp`` over stdio on the local index (in-process), ``citeqa mcp --url``
over stdio proxying a real ``citeqa serve``, and Streamable HTTP at ``/mcp`` of that server.
Each lists the tools, asks a question of the default corpus and verifies every citation against
the document fetched through ``get_document`` (and the resource); bad input is a tool error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
import mcp.types as types
import pytest
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from tests.conftest import API_KEY, ROOT, Server, start_server, stop_server

DOCUMENT = "japan-nato-rutte-visit"
SESSION_TIMEOUT = 180.0


@asynccontextmanager
async def stdio_session(args: list[str], log: Path, env: dict[str, str] | None = None) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "citeqa.service.cli", "mcp", *args],
        env={"HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT), **(env or {})},
        cwd=ROOT,
    )
    with log.open("w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write, 60) as session:
            await session.initialize()
            yield session


@asynccontextmanager
async def http_session(url: str, key: str | None = None) -> AsyncIterator[ClientSession]:
    headers = {"authorization": f"Bearer {key}"} if key else {}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=60) as http,
        streamable_http_client(f"{url}/mcp", http_client=http) as (read, write),
        ClientSession(read, write, 60) as session,
    ):
        await session.initialize()
        yield session


@asynccontextmanager
async def session_for(kind: str, server: Server, default_index: Path, tmp_path: Path) -> AsyncIterator[ClientSession]:
    if kind == "stdio-local":
        async with stdio_session([], tmp_path / "mcp.log", {"CITEQA_INDEX_DIR": str(default_index)}) as session:
            yield session
    elif kind == "stdio-url":
        async with stdio_session(["--url", server.url], tmp_path / "mcp.log") as session:
            yield session
    else:
        async with http_session(server.url) as session:
            yield session


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(c.text for c in result.content if isinstance(c, types.TextContent))


async def check_answer_verifies(session: ClientSession) -> dict[str, Any]:
    tools = {t.name: t for t in (await session.list_tools()).tools}
    assert set(tools) == {"ask", "search", "get_document"}
    assert "verbatim" in (tools["ask"].description or "") and tools["ask"].output_schema is not None
    result = await session.call_tool("ask", {"question": "what is NSATU?", "k": 3})
    assert not result.is_error, text_of(result)
    answer = result.structured_content
    assert answer is not None and answer["answerable"] and answer["reason"] is None
    assert answer["citations"] and "NSATU" in answer["answer"]
    for c in answer["citations"]:
        doc = await session.call_tool("get_document", {"doc_id": c["doc_id"]})
        assert not doc.is_error, text_of(doc)
        assert doc.structured_content is not None
        assert doc.structured_content["text"][c["start"] : c["end"]] == c["quote"]
        assert c["content_hash"] == doc.structured_content["content_hash"] and len(c["content_hash"]) == 64
        assert c["resource"] == f"citeqa://documents/{c['doc_id']}" and "page" in c
        read = await session.read_resource(c["resource"])
        (content,) = read.contents
        assert isinstance(content, types.TextResourceContents)
        assert content.text[c["start"] : c["end"]] == c["quote"]
    return answer


async def check_bad_input(session: ClientSession) -> None:
    for tool, arguments, message in [
        ("ask", {"question": "  "}, "question: empty or only spaces: write the question"),
        ("ask", {"question": "what is NSATU?", "k": 50}, "k: Input should be less than or equal to 20"),
        ("search", {"query": ""}, "query: empty or only spaces: write the words to search for"),
        ("get_document", {"doc_id": "no-such-doc"}, "no document 'no-such-doc'"),
        # refused as /v1/ask, chat and `citeqa ask` refuse them (unsupported_language), not answered
        ("ask", {"question": "¿Qué es NSATU?"}, "the question looks like Spanish"),
        ("ask", {"question": "Qui est Mark Rutte ?"}, "the question looks like French"),
        ("ask", {"question": "Wer ist Mark Rutte?"}, "the question looks like German"),
    ]:
        result = await session.call_tool(tool, arguments)
        assert result.is_error, (tool, arguments)
        assert message in text_of(result) and "Traceback" not in text_of(result), text_of(result)
    with pytest.raises(MCPError, match="no document 'no-such-doc'"):
        await session.read_resource("citeqa://documents/no-such-doc")


@pytest.mark.parametrize("kind", ["stdio-local", "stdio-url", "http"])
def test_mcp_answer_citations_verify_and_bad_input_is_a_tool_error(
    kind: str, server: Server, default_index: Path, tmp_path: Path
) -> None:
    async def run() -> dict[str, Any]:
        with anyio.fail_after(SESSION_TIMEOUT):
            async with session_for(kind, server, default_index, tmp_path) as session:
                answer = await check_answer_verifies(session)
                await check_bad_input(session)
                search = await session.call_tool("search", {"query": "NSATU command", "k": 2})
                passages = (search.structured_content or {})["passages"]
                assert len(passages) == 2 and passages[0]["score"] >= passages[1]["score"]
                listing = await session.read_resource("citeqa://documents")
                assert DOCUMENT in str(listing.contents[0])
                templates = (await session.list_resource_templates()).resource_templates
                assert [t.uri_template for t in templates] == ["citeqa://documents/{doc_id}"]
                return answer

    answer = anyio.run(run)
    with httpx.Client(timeout=30) as http:
        api = http.post(f"{server.url}/v1/ask", json={"question": "what is NSATU?", "k": 3}).json()
    assert [(c["doc_id"], c["start"], c["end"]) for c in answer["citations"]] == [
        (c["doc_id"], c["start"], c["end"]) for c in api["citations"]
    ]


def test_http_mcp_needs_the_api_key_when_one_is_set(keyed_server: Server) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    headers = {"accept": "application/json, text/event-stream"}
    refused = httpx.post(f"{keyed_server.url}/mcp", json=body, headers=headers, timeout=30)
    assert refused.status_code == 401
    assert "missing or wrong API key" in refused.json()["error"]["message"]

    async def run() -> list[str]:
        with anyio.fail_after(SESSION_TIMEOUT):
            async with http_session(keyed_server.url, API_KEY) as session:
                await check_answer_verifies(session)
                return [t.name for t in (await session.list_tools()).tools]

    assert sorted(anyio.run(run)) == ["ask", "get_document", "search"]


def test_stdio_proxy_with_a_wrong_key_gives_tool_errors(keyed_server: Server, tmp_path: Path) -> None:
    async def run() -> str:
        with anyio.fail_after(SESSION_TIMEOUT):
            args = ["--url", keyed_server.url, "--api-key", "wrong"]
            async with stdio_session(args, tmp_path / "mcp.log") as session:
                result = await session.call_tool("ask", {"question": "what is NSATU?"})
                assert result.is_error
                return text_of(result)

    assert "missing or wrong API key" in anyio.run(run)


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--url", "ftp://x"], "error: --url: base_url must look like http://HOST:PORT"), ([], "no index at")],
)
def test_mcp_command_expected_failures_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    import subprocess

    env = {**os.environ, "CITEQA_INDEX_DIR": str(tmp_path / "none"), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "citeqa.service.cli", "mcp", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr


def test_mcp_help_has_an_example_and_imports_no_torch() -> None:
    import subprocess

    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from citeqa.service.cli import app\n"
        "out = CliRunner().invoke(app, ['mcp', '--help']).output\n"
        "assert 'Example: citeqa mcp' in out and '--url' in out, out\n"
        "assert 'torch' not in sys.modules and 'mcp' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)


def test_http_mcp_keeps_the_services_input_and_rate_limits(default_index: Path, tmp_path: Path) -> None:
    env = {"CITEQA_MAX_QUESTION_CHARS": "20", "CITEQA_RATE_LIMIT_PER_MINUTE": "1", "CITEQA_RATE_LIMIT_BURST": "10"}
    limited = start_server(default_index, tmp_path / "server.log", env)

    async def run() -> str:
        with anyio.fail_after(SESSION_TIMEOUT):
            async with http_session(limited.url) as session:
                result = await session.call_tool("ask", {"question": "what is NSATU, and who commands it?"})
                assert result.is_error
                return text_of(result)

    try:
        assert "question: at most 20 characters (CITEQA_MAX_QUESTION_CHARS)" in anyio.run(run)
        body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
        headers = {"accept": "application/json, text/event-stream"}
        statuses = [httpx.post(f"{limited.url}/mcp", json=body, headers=headers, timeout=30) for _ in range(11)]
        refused = [r for r in statuses if r.status_code == 429]
        assert refused and "CITEQA_RATE_LIMIT_PER_MINUTE" in refused[0].json()["error"]["message"]
    finally:
        stop_server(limited)


def test_making_the_server_leaves_logging_to_the_application() -> None:
    import subprocess

    code = (
        "import logging\n"
        "from citeqa.service.api.mcp import create_mcp_server\n"
        "create_mcp_server(None)\n"
        "root = logging.getLogger()\n"
        "assert root.handlers == [] and root.level == logging.WARNING, (root.handlers, root.level)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)


def test_the_sdk_loads_with_the_first_mcp_request_and_stops_with_the_app(tmp_path: Path) -> None:
    import subprocess

    code = (
        "import sys\n"
        "from fastapi.testclient import TestClient\n"
        "from citeqa.service.api.app import create_app\n"
        "from citeqa.service.settings import Settings\n"
        f"app = create_app(Settings(index_dir={str(tmp_path)!r}), load=False)\n"
        "body = {'jsonrpc': '2.0', 'id': 1, 'method': 'tools/list'}\n"
        "headers = {'accept': 'application/json, text/event-stream'}\n"
        "with TestClient(app, base_url='http://127.0.0.1:8000') as client:\n"
        "    assert client.get('/healthz').status_code == 200\n"
        "    assert 'mcp' not in sys.modules\n"
        "    for _ in range(2):\n"
        "        listed = client.post('/mcp', json=body, headers=headers)\n"
        "        assert listed.status_code == 200, listed.text\n"
        "        names = {tool['name'] for tool in listed.json()['result']['tools']}\n"
        "        assert names == {'ask', 'search', 'get_document'}, names\n"
        "    assert 'mcp' in sys.modules\n"
        "    task = app.state.mcp._task\n"
        "assert task.done() and not task.cancelled() and task.exception() is None\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)


BAD_CALLS = [
    ("ask", {"question": "  "}),
    ("ask", {"question": "what is NSATU?", "k": 50}),
    ("ask", {"question": "what is NSATU?", "k": 0}),
    ("ask", {"question": "x" * 1001}),
    ("ask", {"question": "¿Qué es NSATU?"}),
    ("search", {"query": ""}),
    ("search", {"query": "NSATU", "k": 21}),
    ("get_document", {"doc_id": "no-such-doc"}),
    ("get_document", {"doc_id": "no-such-doc/x"}),
    ("get_document", {"doc_id": ""}),
]


def test_the_three_transports_give_the_same_error_text(server: Server, default_index: Path, tmp_path: Path) -> None:
    """Trial s16: ``citeqa mcp --url`` added "(request formats: /openapi.json)" to its tool errors."""

    async def errors(kind: str) -> list[str]:
        with anyio.fail_after(SESSION_TIMEOUT):
            async with session_for(kind, server, default_index, tmp_path) as session:
                results = [await session.call_tool(tool, arguments) for tool, arguments in BAD_CALLS]
        assert all(result.is_error for result in results), kind
        return [text_of(result) for result in results]

    local, url, http = (anyio.run(errors, kind) for kind in ("stdio-local", "stdio-url", "http"))
    assert url == local and http == local, list(zip(local, url, http, strict=True))
    assert local[0] == "Error executing tool ask: question: empty or only spaces: write the question"
    assert local[-1] == (
        "Error executing tool get_document: no document '': give the doc_id of a citation or passage "
        "(resource citeqa://documents lists them)"
    )
    assert not any("openapi" in text for text in local)
