"""Shared, session-scoped fixtures: expensive things (model, indexes, server) are built once.

- ``embedder``: the real packaged all-MiniLM-L6-v2 with the default question backend (ONNX fp32);
  ``build_embedder`` the default build backend (ONNX int8); ``torch_embedder`` the torch reference.
- ``default_index``: an index of ``corpus/`` built into a temporary directory.
- ``engine``: an Engine over it; ``client``: a FastAPI TestClient of the app over it.
- ``server``: a real ``citeqa serve`` process on 127.0.0.1 over the default index.
- ``keyed_server``: the same over its own copy of the corpus and index, with ``API_KEY`` and
  ``ADMIN_KEY`` required (documents may be added and removed there).
- ``bbc_corpus`` / ``bbc_index``: the 2,225-article BBC corpus from ../shared and its index.
- ``small_index``: an index of ``eval/small_corpus`` (six invented articles; questions in
  ``eval/small_own.jsonl``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from citeqa.service import wiring

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED_DEV = SHARED / "eval" / "seed_dev.jsonl"
BBC_DEV = SHARED / "eval" / "bbc_dev.jsonl"
BBC_NEWS = SHARED / "datasets" / "bbc-news"
BBC_SECTIONS = ("business", "entertainment", "politics", "sport", "tech")


@pytest.fixture(scope="session")
def embedder() -> Any:
    """The backend the service embeds questions with by default (ONNX int8), so tests measure what ships."""
    from citeqa.service.settings import Settings

    return wiring.query_embedder(Settings())


@pytest.fixture(scope="session")
def build_embedder() -> Any:
    """The backend builds use by default (ONNX int8)."""
    from citeqa.service.settings import Settings

    return wiring.build_embedder(Settings())


@pytest.fixture(scope="session")
def torch_embedder() -> Any:
    """sentence-transformers on torch: the reference the ONNX backends are checked against."""
    from citeqa.index.embedding.factory import load_embedder

    return load_embedder(backend="torch")


def build_test_index(corpus: Path, root: Path, embedder: Any, **settings: Any) -> Path:
    """Build ``corpus`` into ``root`` with the service's default build settings."""
    from citeqa.index.indexing.build import build_index
    from citeqa.service.settings import Settings

    params = wiring.build_params(Settings(corpus_dir=corpus, index_dir=root, **settings))
    build_index(corpus, root, embedder, params)
    return root


@pytest.fixture(scope="session")
def default_index(tmp_path_factory: pytest.TempPathFactory, build_embedder: Any) -> Path:
    return build_test_index(ROOT / "corpus", tmp_path_factory.mktemp("default-index"), build_embedder)


@pytest.fixture(scope="session")
def engine(default_index: Path, embedder: Any) -> Any:
    from citeqa.index.store.loader import load_index
    from citeqa.service.settings import Settings

    data = load_index(default_index, embedder.name, embedder.dimension)
    return wiring.assemble_engine(Settings(index_dir=default_index), data, embedder)


@pytest.fixture(scope="session")
def client(default_index: Path) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from citeqa.service.api.app import create_app
    from citeqa.service.settings import Settings

    app = create_app(Settings(index_dir=default_index))
    with TestClient(app) as test_client:
        wait_ready(lambda: test_client.get("/readyz").status_code)
        yield test_client


def wait_ready(status: Any, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if status() == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError("service did not become ready")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A real ``citeqa serve`` process on 127.0.0.1."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path


def start_server(
    index_dir: Path, log: Path, env: dict[str, str] | None = None, probe: str = "/readyz", timeout: float = 120.0
) -> Server:
    """Start ``citeqa serve`` on a free port and wait until ``probe`` answers 200."""
    port = free_port()
    full_env = {**os.environ, "CITEQA_INDEX_DIR": str(index_dir), "HF_HUB_OFFLINE": "1", **(env or {})}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "citeqa.service.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_ready(lambda: httpx.get(f"{server.url}{probe}", timeout=2).status_code, timeout=timeout)
    except TimeoutError:
        stop_server(server)
        raise AssertionError(f"server did not start: {log.read_text(errors='replace')[-2000:]}") from None
    return server


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def server(default_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(default_index, tmp_path_factory.mktemp("server") / "server.log")
    yield running
    stop_server(running)


API_KEY = "test-client-key-1"
ADMIN_KEY = "test-admin-key-1"


@pytest.fixture(scope="session")
def keyed_server(tmp_path_factory: pytest.TempPathFactory, build_embedder: Any) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("keyed-server")
    shutil.copytree(ROOT / "corpus", base / "corpus")
    index = build_test_index(base / "corpus", base / "index", build_embedder)
    env = {"CITEQA_CORPUS_DIR": str(base / "corpus"), "CITEQA_API_KEY": API_KEY, "CITEQA_ADMIN_API_KEY": ADMIN_KEY}
    running = start_server(index, base / "server.log", env)
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def bbc_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The BBC articles (five sections, without the data set's README) copied into a corpus dir."""
    corpus = tmp_path_factory.mktemp("bbc-corpus")
    for section in BBC_SECTIONS:
        shutil.copytree(BBC_NEWS / section, corpus / section)
    return corpus


@pytest.fixture(scope="session")
def bbc_index(bbc_corpus: Path, tmp_path_factory: pytest.TempPathFactory, build_embedder: Any) -> Path:
    """An index of the whole BBC corpus with default settings (built once per session: minutes)."""
    return build_test_index(bbc_corpus, tmp_path_factory.mktemp("bbc-index"), build_embedder)


@pytest.fixture(scope="session")
def small_index(tmp_path_factory: pytest.TempPathFactory, build_embedder: Any) -> Path:
    """An index of ``eval/small_corpus``, six invented articles (``eval/small_own.jsonl`` asks about them)."""
    return build_test_index(ROOT / "eval" / "small_corpus", tmp_path_factory.mktemp("small-index"), build_embedder)


@pytest.fixture(scope="session")
def text_index(tmp_path_factory: pytest.TempPathFactory, build_embedder: Any) -> Path:
    """An index of the small corpus of tests/text_corpus.py (symbol terms, odd Unicode, follow-ups, French)."""
    from tests.text_corpus import write_text_corpus

    corpus = write_text_corpus(tmp_path_factory.mktemp("text-corpus"))
    return build_test_index(corpus, tmp_path_factory.mktemp("text-index"), build_embedder)


@pytest.fixture(scope="session")
def text_client(text_index: Path) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from citeqa.service.api.app import create_app
    from citeqa.service.settings import Settings

    with TestClient(create_app(Settings(index_dir=text_index))) as test_client:
        wait_ready(lambda: test_client.get("/readyz").status_code)
        yield test_client


@pytest.fixture(scope="session")
def text_server(text_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real ``citeqa serve`` over the text corpus (the chat client and the widget talk to it)."""
    running = start_server(text_index, tmp_path_factory.mktemp("text-server") / "server.log")
    yield running
    stop_server(running)
