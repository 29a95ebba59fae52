"""Load against a real server over a 300-article BBC slice: 32 concurrent clients for 30 s,
0 errors, p99 recorded; then the same while the index is rebuilt and swapped three times,
once by each trigger (admin endpoint, SIGHUP, CURRENT pointer watch): still 0 failed
requests, and questions about the new corpus are answered from it right after each swap.

Rebuild n adds article ``marker-n`` (a festival no BBC article mentions); every request
about it that starts after swap n must cite it, none that ended before rebuild n may."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.httpload import DEFAULT_QUESTIONS, Report, run_load
from tests.conftest import BBC_NEWS, BBC_SECTIONS, Server, build_test_index, start_server, stop_server

CLIENTS = 32
SECONDS = 30.0
PER_SECTION = 60
SETTLE = 6.0  # seconds of load before each rebuild and after the last swap
ADMIN_KEY = "load-admin-key"
MARKERS = [
    ("marker-0", "Quillon glass-harp", "Bexmoor", "14 March"),
    ("marker-1", "Varnish lantern", "Odrey", "2 June"),
    ("marker-2", "Tamsel kite", "Urnfield", "9 October"),
]


def marker_question(n: int) -> str:
    return f"when does the {MARKERS[n][1]} festival open?"


def write_marker(corpus: Path, n: int) -> None:
    doc_id, name, place, day = MARKERS[n]
    (corpus / f"{doc_id}.txt").write_text(
        f"The {name} festival\nThe {name} festival in {place} opens on {day} each year. "
        "Visitors travel from all over the region to see it.\n"
    )


@pytest.fixture(scope="module")
def bbc_slice(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> tuple[Path, Path]:
    """300 BBC articles (60 per section) and their index, built once for this module."""
    corpus = tmp_path_factory.mktemp("bbc-slice")
    for section in BBC_SECTIONS:
        (corpus / section).mkdir()
        for path in sorted((BBC_NEWS / section).glob("*.txt"))[:PER_SECTION]:
            shutil.copyfile(path, corpus / section / path.name)
    return corpus, build_test_index(corpus, tmp_path_factory.mktemp("bbc-slice-index"), embedder)


def record(name: str, report: Report, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\n[load] {name}: {json.dumps(report.summary())}")


def test_32_clients_for_30_seconds_without_errors(
    bbc_slice: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = start_server(bbc_slice[1], tmp_path / "server.log")
    try:
        report = asyncio.run(run_load(server.url, CLIENTS, SECONDS))
    finally:
        stop_server(server)
    record("steady", report, capsys)
    assert report.errors == 0, report.statuses
    assert report.requests >= CLIENTS and report.duration_s >= SECONDS
    assert report.p99_ms > 0


def loaded_version(server: Server) -> str:
    return str(httpx.get(f"{server.url}/readyz", timeout=10).json()["index"]["version"])


def wait_for_version(server: Server, old: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        version = loaded_version(server)
        if version != old:
            return version
        time.sleep(0.1)
    raise AssertionError("the new index was not picked up")


def test_load_while_the_index_is_swapped_three_times(
    bbc_slice: tuple[Path, Path], tmp_path: Path, embedder: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(bbc_slice[0], corpus)
    root = tmp_path / "index"
    shutil.copytree(bbc_slice[1], root, ignore=shutil.ignore_patterns(".build.lock"))
    env = {"CITEQA_ADMIN_API_KEY": ADMIN_KEY, "CITEQA_RELOAD_POLL_SECONDS": "0.5"}
    server = start_server(root, tmp_path / "server.log", env)
    questions = [*DEFAULT_QUESTIONS, *(marker_question(n) for n in range(len(MARKERS)))]
    reports: list[Report] = []
    swapping = threading.Event()
    swapping.set()

    def generate() -> None:
        reports.append(asyncio.run(run_load(server.url, CLIENTS, SECONDS, questions, swapping.is_set)))

    def by_admin() -> None:
        response = httpx.post(f"{server.url}/v1/admin/reload", headers={"X-API-Key": ADMIN_KEY}, timeout=60)
        assert response.status_code == 200, response.text

    def by_sighup() -> None:
        server.process.send_signal(signal.SIGHUP)

    def by_watch() -> None:
        pass  # the server polls CURRENT every 0.5 s

    triggers: list[Callable[[], None]] = [by_admin, by_sighup, by_watch]
    swapped: list[float] = []  # seconds since the load began when swap n was visible on /readyz
    rebuilt: list[float] = []  # ... when rebuild n started
    load = threading.Thread(target=generate)
    try:
        began = time.monotonic()
        load.start()
        for n, trigger in enumerate(triggers):
            time.sleep(SETTLE)
            rebuilt.append(time.monotonic() - began)
            old = loaded_version(server)
            write_marker(corpus, n)
            build_test_index(corpus, root, embedder)
            trigger()
            wait_for_version(server, old)
            swapped.append(time.monotonic() - began)
        time.sleep(2 * SETTLE)
        swapping.clear()
        load.join(timeout=SECONDS + 120)
    finally:
        swapping.clear()
        stop_server(server)
    report = reports[0]
    record("during 3 index swaps", report, capsys)
    assert report.errors == 0, report.statuses

    for n in range(len(MARKERS)):
        asked = [r for r in report.results if r.body and r.body["question"] == marker_question(n)]
        after = [r for r in asked if r.ended - r.latency_ms / 1000 >= swapped[n]]
        before = [r for r in asked if r.ended <= rebuilt[n]]
        assert after, f"no request about marker {n} after its swap: {swapped} {report.summary()}"
        for r in after:
            assert r.body is not None and r.body["answerable"]
            assert {c["doc_id"] for c in r.body["citations"]} == {MARKERS[n][0]}
        for r in before:
            assert r.body is not None and MARKERS[n][0] not in {c["doc_id"] for c in r.body["citations"]}
