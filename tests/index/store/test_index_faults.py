"""Faults in the index lifecycle: corrupt, truncated, foreign or mismatched index files are
refused on reload while the previous index keeps serving (reported on /readyz and in the log);
a build killed at any stage leaves the published index intact; k beyond the chunk count."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from tests.conftest import ROOT, build_test_index, wait_ready

ADMIN = {"Authorization": "Bearer admin-key"}


def copy_index(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".build.lock"))
    return target


def current_dir(root: Path) -> Path:
    return root / "versions" / (root / "CURRENT").read_text().strip()


def publish_copy(root: Path, name: str, damage: Callable[[Path], str]) -> str:
    """Publish a damaged copy of the current version as ``name``; returns the file it names."""
    target = root / "versions" / name
    shutil.copytree(current_dir(root), target)
    named = damage(target)
    (root / "CURRENT").write_text(name + "\n")
    return named


def flip_byte(name: str) -> Callable[[Path], str]:
    def damage(directory: Path) -> str:
        data = bytearray((directory / name).read_bytes())
        data[len(data) // 2] ^= 0x01
        (directory / name).write_bytes(bytes(data))
        return name

    return damage


def truncate(name: str) -> Callable[[Path], str]:
    def damage(directory: Path) -> str:
        path = directory / name
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        return name

    return damage


def remove(name: str) -> Callable[[Path], str]:
    def damage(directory: Path) -> str:
        (directory / name).unlink()
        return name

    return damage


def foreign(name: str, other: str) -> Callable[[Path], str]:
    """Another index file (right format, wrong content) in place of ``name``."""

    def damage(directory: Path) -> str:
        shutil.copyfile(directory / other, directory / name)
        return name

    return damage


def edit_manifest(**changes: Any) -> Callable[[Path], str]:
    def damage(directory: Path) -> str:
        manifest = json.loads((directory / "manifest.json").read_text())
        manifest.update(changes)
        (directory / "manifest.json").write_text(json.dumps(manifest))
        return "manifest.json"

    return damage


def pickle_in_npy(directory: Path) -> str:
    """A code-executing payload (an object array is a pickle) with checksums made to match."""
    np.save(directory / "vectors.npy", np.array([{"x": 1}], dtype=object), allow_pickle=True)
    manifest = json.loads((directory / "manifest.json").read_text())
    from citeqa.index.store.manifest import sha256_file

    manifest["files"]["vectors.npy"] = sha256_file(directory / "vectors.npy")
    (directory / "manifest.json").write_text(json.dumps(manifest))
    return "vectors.npy"


def garbage_manifest(directory: Path) -> str:
    (directory / "manifest.json").write_text('{"model": "sentence-tra')
    return "manifest.json"


DAMAGES = {
    "flipped byte in the FAISS index": flip_byte("index.faiss"),
    "flipped byte in the vectors": flip_byte("vectors.npy"),
    "flipped byte in the sentence vectors": flip_byte("sentence_vectors.npy"),
    "truncated sentence spans": truncate("sentences.npy"),
    "missing sentence vectors": remove("sentence_vectors.npy"),
    "truncated chunk records": truncate("chunks.jsonl"),
    "truncated lexical matrix": truncate("lexical.npz"),
    "missing vocabulary": remove("vocab.json"),
    "missing manifest": remove("manifest.json"),
    "foreign file in place of the chunks": foreign("chunks.jsonl", "documents.jsonl"),
    "manifest of another model": edit_manifest(model="sentence-transformers/all-mpnet-base-v2"),
    "manifest of another dimension": edit_manifest(dimension=768),
    "manifest of another format version": edit_manifest(format_version=99),
    "manifest that is not JSON": garbage_manifest,
    "pickle disguised as vectors, checksums matching": pickle_in_npy,
}


@pytest.fixture
def served(default_index: Path, tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    from citeqa.service.api.app import create_app
    from citeqa.service.settings import Settings

    root = copy_index(default_index, tmp_path / "index")
    app = create_app(Settings(index_dir=root, admin_api_key="admin-key", reload_poll_seconds=0))
    with TestClient(app) as client:
        wait_ready(lambda: client.get("/readyz").status_code)
        yield client, root


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_damaged_index_is_refused_and_the_previous_keeps_serving(
    served: tuple[TestClient, Path], damage: Callable[[Path], str], caplog: pytest.LogCaptureFixture
) -> None:
    client, root = served
    before = client.get("/readyz").json()["index"]["version"]
    named = publish_copy(root, "20990101T000000-1-000001", damage)

    with caplog.at_level(logging.ERROR, logger="citeqa"):
        refused = client.post("/v1/admin/reload", headers=ADMIN)
    assert refused.status_code == 503
    assert refused.json()["error"]["code"] in {"index_corrupt", "index_mismatch"}

    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["index"]["version"] == before
    reason = ready.json()["reload_error"]
    assert named in reason and "citeqa build" in reason
    logged = [r.getMessage() for r in caplog.records if "reload refused" in r.getMessage()]
    assert logged and named in logged[0] and "still serving the previous index" in logged[0]

    answer = client.post("/v1/ask", json={"question": "what is NSATU?"})
    assert answer.status_code == 200 and answer.json()["answerable"]

    (root / "CURRENT").write_text(before + "\n")  # the fix: publish a good index again
    assert client.post("/v1/admin/reload", headers=ADMIN).status_code == 200
    assert client.get("/readyz").json()["reload_error"] is None


def test_damaged_index_at_start_is_reported_then_a_good_build_is_picked_up(
    default_index: Path, tmp_path: Path, embedder: Any
) -> None:
    from citeqa.service.api.app import create_app
    from citeqa.service.settings import Settings

    root = copy_index(default_index, tmp_path / "index")
    good = (root / "CURRENT").read_text().strip()
    named = publish_copy(root, "20990101T000000-1-000002", flip_byte("vectors.npy"))
    app = create_app(Settings(index_dir=root, reload_poll_seconds=0.1))
    with TestClient(app) as client:
        wait_ready(lambda: 200 if "vectors.npy" in client.get("/readyz").text else 0, timeout=60)
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert named in ready.json()["error"]["message"] and "citeqa build" in ready.json()["error"]["message"]
        (root / "CURRENT").write_text(good + "\n")
        wait_ready(lambda: client.get("/readyz").status_code, timeout=60)
        assert client.get("/readyz").json()["index"]["version"] == good


def test_k_beyond_the_chunk_count_cites_only_existing_passages(tmp_path: Path, embedder: Any) -> None:
    from citeqa.index.engine import Engine
    from citeqa.index.store.loader import load_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tiny.txt").write_text(
        "Tiny town fair\nThe tiny town fair opens on Saturday at nine. It sells apples and pears.\n"
    )
    root = build_test_index(corpus, tmp_path / "index", embedder)
    data = load_index(root, embedder.name, embedder.dimension)
    assert len(data.chunks) < 20
    engine = Engine(data, embedder)
    for question in ("when does the tiny town fair open?", "what does the fair sell?", "who won the cup final?"):
        answer, _ = engine.ask(question, k=20)
        assert len(answer.passages) <= len(data.chunks)
        for passage in answer.passages:
            assert data.documents[passage.doc_id].text[passage.start : passage.end] == passage.text
        for citation in answer.citations:
            assert data.documents[citation.doc_id].text[citation.start : citation.end] == citation.quote
        hits = engine.search(question, k=20).passages
        assert sorted(p.chunk_id for p in hits) == list(range(len(data.chunks)))


# --- a build killed at any stage --------------------------------------------------------------


def run_build(corpus: Path, root: Path, pause_at: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("CITEQA_TEST_PAUSE_AT", None)
    if pause_at:
        env["CITEQA_TEST_PAUSE_AT"] = pause_at
    return subprocess.Popen(
        [sys.executable, "-m", "citeqa.service.cli", "build", "--corpus", str(corpus), "--index", str(root)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_at(corpus: Path, root: Path, stage: str) -> None:
    with run_build(corpus, root, stage) as process:
        assert process.stderr is not None
        for line in process.stderr:
            if line.strip() == f"paused at {stage}":
                break
        else:
            raise AssertionError(f"build never reached {stage}: exit {process.wait()}")
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL


def test_a_build_killed_at_any_stage_leaves_the_published_index_servable(
    default_index: Path, tmp_path: Path, embedder: Any
) -> None:
    from citeqa.index.engine import Engine
    from citeqa.index.store.loader import load_index

    root = copy_index(default_index, tmp_path / "index")
    published = (root / "CURRENT").read_text()
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    (corpus / "extra.txt").write_text("Harbour lights\nThe harbour lights festival draws ten thousand visitors.\n")

    for stage in ("embedding", "writing"):
        kill_at(corpus, root, stage)
        assert (root / "CURRENT").read_text() == published
        data = load_index(root, embedder.name, embedder.dimension)
        answer, _ = Engine(data, embedder).ask("what is NSATU?")
        assert answer.answerable and "extra" not in data.documents
    assert list((root / "versions").glob(".staging-*")), "the killed builds left their staging directories"

    with run_build(corpus, root) as finished:
        _, err = finished.communicate(timeout=600)
    assert finished.returncode == 0, err
    assert (root / "CURRENT").read_text() != published
    assert not list((root / "versions").glob(".staging-*"))
    data = load_index(root, embedder.name, embedder.dimension)
    assert "extra" in data.documents
