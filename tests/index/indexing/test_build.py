"""Building, publishing and loading an index: manifest, checksums, clear errors, incremental reuse."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from citeqa.index.errors import IndexCorrupt, IndexMismatch, IndexNotFound
from citeqa.index.indexing.build import BuildParams, build_index
from citeqa.index.store.loader import load_index
from citeqa.index.store.manifest import FORMAT_VERSION, current_version_dir, read_manifest

ARTICLE = (
    "Title {n}\n\nThe harbour of town {n} opened in {year}. It handles grain and timber.\n\nMore text follows here."
)


def write_corpus(directory: Path, count: int = 3) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (directory / f"doc{n}.txt").write_text(ARTICLE.format(n=n, year=1900 + n), encoding="utf-8")
    return directory


@pytest.fixture
def built(tmp_path: Path, embedder: Any) -> tuple[Path, Path]:
    corpus = write_corpus(tmp_path / "corpus")
    root = tmp_path / "index"
    build_index(corpus, root, embedder)
    return corpus, root


def test_manifest_records_model_chunking_hashes_and_checksums(built: tuple[Path, Path], embedder: Any) -> None:
    _, root = built
    directory = current_version_dir(root)
    manifest = read_manifest(directory)
    assert manifest.model == embedder.name and manifest.dimension == 384 and manifest.normalized
    assert manifest.chunking == {"size": 800, "overlap": 120}
    assert sorted(manifest.documents) == ["doc0", "doc1", "doc2"]
    assert set(manifest.files) >= {"vectors.npy", "index.faiss", "chunks.jsonl", "documents.jsonl", "lexical.npz"}
    assert all(len(digest) == 64 for digest in manifest.files.values())
    assert manifest.format_version == FORMAT_VERSION and manifest.version == directory.name
    data = load_index(root, embedder.name, embedder.dimension)
    assert np.allclose(np.linalg.norm(data.vectors, axis=1), 1.0, atol=1e-4)


def test_missing_index_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound, match="run `citeqa build`"):
        load_index(tmp_path / "nowhere")


@pytest.mark.parametrize(
    "name",
    [
        "index.faiss",
        "vectors.npy",
        "chunks.jsonl",
        "documents.jsonl",
        "lexical.npz",
        "sentences.npy",
        "sentence_vectors.npy",
    ],
)
def test_a_flipped_byte_is_caught_by_the_checksum(built: tuple[Path, Path], name: str) -> None:
    _, root = built
    path = current_version_dir(root) / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(IndexCorrupt, match=name):
        load_index(root)


def test_truncated_and_missing_files_are_refused(built: tuple[Path, Path]) -> None:
    _, root = built
    directory = current_version_dir(root)
    faiss_file = directory / "index.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    with pytest.raises(IndexCorrupt, match=r"index\.faiss.*citeqa build --force"):
        load_index(root)
    (directory / "manifest.json").unlink()
    with pytest.raises(IndexCorrupt, match=r"manifest\.json"):
        load_index(root)


def test_an_index_of_another_model_is_refused(built: tuple[Path, Path]) -> None:
    _, root = built
    with pytest.raises(IndexMismatch, match="other-model"):
        load_index(root, "other-model", 384)
    manifest_path = current_version_dir(root) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["dimension"] = 768
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatch, match="768"):
        load_index(root, manifest["model"], 384)


def test_rebuild_reuses_vectors_of_unchanged_documents(built: tuple[Path, Path], embedder: Any) -> None:
    corpus, root = built
    first = current_version_dir(root)
    again = build_index(corpus, root, embedder)
    assert again.up_to_date and current_version_dir(root) == first
    (corpus / "doc1.txt").write_text("Changed\n\nA wholly new text about ships.", encoding="utf-8")
    (corpus / "doc2.txt").unlink()
    report = build_index(corpus, root, embedder)
    assert (report.documents, report.embedded, report.reused) == (2, 1, 1)
    data = load_index(root)
    assert current_version_dir(root) != first
    assert sorted(data.documents) == ["doc0", "doc1"]
    fresh = embedder.encode(["Title 0\n" + data.chunks[0].text])
    assert float(fresh[0] @ data.vectors[0]) > 0.999


def test_changed_settings_make_the_index_stale(built: tuple[Path, Path], embedder: Any) -> None:
    corpus, root = built
    report = build_index(corpus, root, embedder, BuildParams(title_in_text=False))
    assert not report.up_to_date and report.embedded == report.chunks


class RefittedModel:
    """The same model name and path with fine-tuned weights saved over the old ones: another content digest."""

    def __init__(self, model: Any) -> None:
        self.name, self.dimension, self.digest = model.name, model.dimension, "f" * 64
        self._model = model

    def encode(self, texts: Any, batch_size: int = 64) -> Any:
        return self._model.encode(texts, batch_size=batch_size)


def test_a_model_changed_in_place_rebuilds_every_vector(built: tuple[Path, Path], embedder: Any) -> None:
    corpus, root = built
    assert read_manifest(current_version_dir(root)).extra["model_digest"] == embedder.digest != ""
    assert build_index(corpus, root, embedder).up_to_date
    report = build_index(corpus, root, RefittedModel(embedder))
    assert not report.up_to_date
    assert (report.embedded, report.reused) == (report.chunks, 0)
    assert read_manifest(current_version_dir(root)).extra["model_digest"] == "f" * 64
    assert build_index(corpus, root, RefittedModel(embedder)).up_to_date


def test_an_index_of_a_model_since_changed_in_place_is_refused_with_the_fix(
    built: tuple[Path, Path], embedder: Any
) -> None:
    _, root = built
    assert load_index(root, embedder.name, embedder.dimension, embedder.digest).manifest.chunk_count > 0
    with pytest.raises(IndexMismatch, match=r"other weights of model .* rebuild the index with `citeqa build`"):
        load_index(root, embedder.name, embedder.dimension, "f" * 64)


def test_publishing_switches_the_pointer_and_keeps_few_versions(built: tuple[Path, Path], embedder: Any) -> None:
    corpus, root = built
    for _ in range(4):
        build_index(corpus, root, embedder, force=True)
    versions = [p for p in (root / "versions").iterdir() if not p.name.startswith(".")]
    assert len(versions) == 3
    assert (root / "CURRENT").read_text().strip() == max(p.name for p in versions)
