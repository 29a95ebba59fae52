"""Sentence spans and vectors made by the build: in the manifest's checksums, verified at load (a flipped
byte: tests/index/indexing/test_build.py), pooled from the chunk pass (or encoded on their own), and
reused for unchanged documents."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from citeqa.index.domain import Vectors
from citeqa.index.errors import IndexCorrupt
from citeqa.index.indexing.build import build_index
from citeqa.index.store.loader import IndexData, load_index
from citeqa.index.store.manifest import current_version_dir, read_manifest, sha256_file
from citeqa.index.store.sentences import SENTENCE_VECTORS_FILE, SENTENCES_FILE, StoredRows
from citeqa.index.text.sentences import sentence_spans
from citeqa.index.text.tokens import normalise_for_model
from tests.conftest import ROOT


class Counting:
    """The real embedder, counting the texts it is given (``encode``) and the chunks it pools (``encode_spans``)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name, self.dimension, self.digest = inner.name, inner.dimension, inner.digest
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> Vectors:
        self.encoded.extend(texts)
        vectors: Vectors = self.inner.encode(texts, batch_size)
        return vectors


class CountingPooled(Counting):
    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.pooled: list[str] = []

    def encode_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], batch_size: int = 64
    ) -> tuple[Vectors, list[Vectors]]:
        self.pooled.extend(texts)
        out: tuple[Vectors, list[Vectors]] = self.inner.encode_spans(texts, spans, batch_size)
        return out


def write_corpus(corpus: Path) -> Path:
    corpus.mkdir()
    shutil.copy(next((ROOT / "corpus").glob("*.md")), corpus)
    for name, body in (("a", "Alpha sentence about ships. " * 40), ("b", "Beta sentence about trains. " * 40)):
        (corpus / f"{name}.txt").write_text(f"Title {name}\n{body}\n", encoding="utf-8")
    return corpus


def build_with(tmp_path: Path, embedder: Any) -> tuple[Path, Path, IndexData]:
    corpus = write_corpus(tmp_path / "corpus")
    root = tmp_path / "index"
    build_index(corpus, root, embedder)
    return corpus, root, load_index(root)


@pytest.fixture
def built(tmp_path: Path, build_embedder: Any) -> tuple[Path, Path]:
    corpus, root, _ = build_with(tmp_path, build_embedder)
    return corpus, root


def test_sentences_are_stored_with_checksums_and_match_the_text(built: tuple[Path, Path]) -> None:
    _, root = built
    directory = current_version_dir(root)
    manifest = read_manifest(directory)
    for name in (SENTENCES_FILE, SENTENCE_VECTORS_FILE):
        assert manifest.files[name] == sha256_file(directory / name)
    data = load_index(root)
    stored = data.sentences.vectors
    assert isinstance(stored, StoredRows) and stored.dtype == np.float16
    for doc in data.documents.values():
        assert data.sentences.spans_of(doc.doc_id) == sentence_spans(doc.text)
    rows = np.asarray(stored.read(np.arange(stored.shape[0])), dtype=np.float32)
    assert not np.isnan(rows).any() and np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=2e-3)


def test_spans_outside_the_text_are_refused_even_with_matching_checksums(built: tuple[Path, Path]) -> None:
    _, root = built
    directory = current_version_dir(root)
    table = np.load(directory / SENTENCES_FILE)
    table[-1, 2] = 10**6
    np.save(directory / SENTENCES_FILE, table)
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["files"][SENTENCES_FILE] = sha256_file(directory / SENTENCES_FILE)
    (directory / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexCorrupt, match=r"sentences\.npy.*outside its document.*citeqa build --force"):
        load_index(root)


def test_pooled_vectors_come_from_the_chunk_pass_and_are_reused(tmp_path: Path, build_embedder: Any) -> None:
    first = CountingPooled(build_embedder)
    corpus, root, data = build_with(tmp_path, first)
    assert len(first.pooled) == len(data.chunks)
    assert len(first.encoded) < len(data.sentences) / 4  # only sentences no chunk holds whole
    (corpus / "a.txt").write_text("Title a\nAlpha paragraph about planes instead. It flies.\n", encoding="utf-8")
    second = CountingPooled(build_embedder)
    build_index(corpus, root, second)
    edited = load_index(root)
    assert len(second.pooled) == 1 and "planes" in second.pooled[0]  # the one chunk of the edited document
    assert second.encoded == []
    for doc_id in ("b", *(d for d in data.documents if d not in ("a", "b"))):
        old = data.sentences.vectors_of([(doc_id, i) for i in range(len(data.sentences.spans_of(doc_id)))])
        new = edited.sentences.vectors_of([(doc_id, i) for i in range(len(edited.sentences.spans_of(doc_id)))])
        assert np.array_equal(old, new)


def test_a_backend_without_token_outputs_encodes_sentences_on_their_own(tmp_path: Path, build_embedder: Any) -> None:
    counting = Counting(build_embedder)
    _, _, data = build_with(tmp_path, counting)
    sentences = [d.text[s:e] for d in data.documents.values() for s, e in data.sentences.spans_of(d.doc_id)]
    assert counting.encoded[len(data.chunks) :] == [normalise_for_model(s)[0] for s in sentences]
    doc_id = "b"
    fresh = build_embedder.encode([data.documents[doc_id].text[s:e] for s, e in data.sentences.spans_of(doc_id)])
    stored = data.sentences.vectors_of([(doc_id, i) for i in range(len(fresh))])
    assert np.allclose(stored, fresh, atol=2e-3)


def test_the_model_reads_fullwidth_letters_ligatures_and_soft_hyphens_as_plain_text(
    tmp_path: Path, build_embedder: Any
) -> None:
    """A new user's article sold "the ＲＸ９ for ４５ francs": BM25 found it, but its passage's cosine with "How much
    does the RX9 cost?" was 0.06 against 0.27 written plainly, so another article was answered from. The model now
    reads the text as matching does: the same vectors as the plain twin's, while the quotes keep the text as written."""
    plain = "Title\nThe café sells a model train called the RX9 for 45 francs. Its final price is extraordinary.\n"
    odd = (
        "Title\nThe café sells a model train called the ＲＸ９ for ４５ francs. "
        "Its ﬁnal price is extra\u00adordinary.\n"
    )
    vectors = []
    for name, text in (("plain", plain), ("odd", odd)):
        corpus = tmp_path / name
        corpus.mkdir()
        (corpus / "shop.txt").write_text(text, encoding="utf-8")
        build_index(corpus, tmp_path / f"{name}-index", build_embedder)
        data = load_index(tmp_path / f"{name}-index")
        spans = data.sentences.spans_of("shop")
        assert [data.documents["shop"].text[s:e] for s, e in spans][1] == "The café sells a model train called the " + (
            "RX9 for 45" if name == "plain" else "ＲＸ９ for ４５"
        ) + " francs."
        vectors.append((data.vectors, data.sentences.vectors_of([("shop", i) for i in range(len(spans))])))
    assert np.allclose(vectors[0][0], vectors[1][0], atol=1e-6)
    assert np.allclose(vectors[0][1], vectors[1][1], atol=2e-3)  # fp16 sentence vectors


def test_normalise_for_model_maps_every_offset() -> None:
    text = "ﬁ ＲＸ９ a\u00adb"
    read, offsets = normalise_for_model(text)
    assert read == "fi RX9 ab" and offsets is not None and len(offsets) == len(text) + 1
    assert read[offsets[2] : offsets[5]] == "RX9" and read[offsets[0] : offsets[1]] == "fi"
    assert normalise_for_model("plain ASCII") == ("plain ASCII", None)
