"""Content terms stored by the build (``citeqa.index.store.terms``): in the manifest's checksums, verified
at load, the same terms the answer step would tokenise, reused for unchanged documents by an incremental
build; an index built before they were stored (or by another tokeniser) still loads and answers the same,
and ``citeqa build`` adds them reusing every vector."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from citeqa.index.answering.extraction import Extractor
from citeqa.index.answering.features import DocumentTerms
from citeqa.index.corpus.walk import read_corpus
from citeqa.index.domain import Document
from citeqa.index.errors import IndexCorrupt
from citeqa.index.indexing import sentence_vectors
from citeqa.index.indexing.build import build_index
from citeqa.index.retrieval.hybrid import search_many
from citeqa.index.store import terms as stored_terms
from citeqa.index.store.loader import IndexData, load_index
from citeqa.index.store.manifest import current_version_dir, read_manifest, sha256_file
from citeqa.index.store.terms import (
    CONTENT_TERMS,
    TERM_FILES,
    TERM_IDS_FILE,
    TERM_OFFSETS_FILE,
    build_content_terms,
    document_units,
)
from citeqa.index.text import tokens
from citeqa.index.text.sentences import sentence_spans
from citeqa.index.text.tokens import content_terms_scheme
from tests.conftest import ROOT


def write_corpus(corpus: Path) -> Path:
    corpus.mkdir()
    shutil.copy(next((ROOT / "corpus").glob("*.md")), corpus)
    for name, body in (
        ("a", "Alpha sentence about ships. They met in Oslo. " * 8),
        ("b", "Beta sentence about trains. Naïve riders spent £10m on C++ in the 1990s. " * 8),
    ):
        (corpus / f"{name}.txt").write_text(f"Title {name}\n{body}\n", encoding="utf-8")
    return corpus


@pytest.fixture
def built(tmp_path: Path, build_embedder: Any) -> tuple[Path, Path]:
    corpus = write_corpus(tmp_path / "corpus")
    root = tmp_path / "index"
    build_index(corpus, root, build_embedder)
    return corpus, root


def assert_terms_are_the_tokenised_ones(data: IndexData) -> None:
    """Every document's stored title, whole-text and sentence terms are what tokenising gives."""
    stored = data.sentences.terms
    assert stored is not None
    assert set(stored.units) == set(data.documents)
    for doc in data.documents.values():
        spans = data.sentences.spans_of(doc.doc_id)
        fresh, read = DocumentTerms(doc, spans), DocumentTerms(doc, spans, stored)
        assert read.title == fresh.title and read.every == fresh.every
        for i in range(-1, len(spans) + 1):
            assert read.sentence(i) == fresh.sentence(i)
        assert stored.units_of(doc.doc_id) == document_units(doc, spans)


def drop_terms(root: Path) -> None:
    """Make the published version look as one built before content terms were stored."""
    directory = current_version_dir(root)
    manifest = json.loads((directory / "manifest.json").read_text())
    for name in TERM_FILES:
        (directory / name).unlink()
        del manifest["files"][name]
    del manifest["extra"][CONTENT_TERMS]
    (directory / "manifest.json").write_text(json.dumps(manifest))


def test_terms_are_stored_with_checksums_and_are_the_tokenised_ones(built: tuple[Path, Path]) -> None:
    _, root = built
    directory = current_version_dir(root)
    manifest = read_manifest(directory)
    assert manifest.extra[CONTENT_TERMS] == content_terms_scheme()
    for name in TERM_FILES:
        assert manifest.files[name] == sha256_file(directory / name)
    data = load_index(root)
    assert_terms_are_the_tokenised_ones(data)


def test_build_content_terms_numbers_each_term_once_and_reads_back_each_unit() -> None:
    # a document without sentences still has a title and a whole text
    documents = [*read_corpus(ROOT / "corpus"), Document("empty", "Empty one", "")]
    spans = [sentence_spans(d.text) for d in documents]
    assert spans[-1] == []
    terms = build_content_terms(documents, spans)
    assert len(set(terms.vocab)) == len(terms.vocab) and terms.ids.dtype == np.int32
    assert len(terms.offsets) == sum(len(s) for s in spans) + 2 * len(documents) + 1
    for doc, doc_spans in zip(documents, spans, strict=True):
        assert terms.units_of(doc.doc_id) == document_units(doc, doc_spans)
        assert terms.sentence(doc.doc_id, len(doc_spans)) == terms.sentence(doc.doc_id, -1) == frozenset()


def test_a_flipped_byte_in_the_terms_fails_its_checksum(built: tuple[Path, Path]) -> None:
    _, root = built
    path = current_version_dir(root) / TERM_IDS_FILE
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(IndexCorrupt, match=r"content_terms\.npy fails its checksum.*citeqa build --force"):
        load_index(root)


@pytest.mark.parametrize(
    ("name", "change", "says"),
    [
        (TERM_IDS_FILE, lambda a: np.full_like(a, 10**6), "outside the vocabulary"),
        (TERM_OFFSETS_FILE, lambda a: a[:-1], "disagree with the sentences"),
        (TERM_OFFSETS_FILE, lambda a: a[::-1].copy(), "out of order"),
    ],
)
def test_terms_that_disagree_are_refused_even_with_matching_checksums(
    built: tuple[Path, Path], name: str, change: Any, says: str
) -> None:
    _, root = built
    directory = current_version_dir(root)
    np.save(directory / name, change(np.load(directory / name)))
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["files"][name] = sha256_file(directory / name)
    (directory / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexCorrupt, match=rf"cannot read content_term.*{says}.*citeqa build --force"):
        load_index(root)


def test_an_incremental_build_reuses_the_terms_of_unchanged_documents_only(
    built: tuple[Path, Path], build_embedder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, root = built
    tokenised: list[str] = []
    original = stored_terms.document_units

    def counting(doc: Any, spans: Any) -> list[list[str]]:
        tokenised.append(doc.doc_id)
        return original(doc, spans)

    monkeypatch.setattr(stored_terms, "document_units", counting)
    (corpus / "a.txt").write_text("Title a\nAlpha paragraph about planes instead. It flew.\n", encoding="utf-8")
    (corpus / "b.txt").unlink()
    (corpus / "d.txt").write_text("Title d\nDelta sentence about boats. They sank.\n", encoding="utf-8")
    build_index(corpus, root, build_embedder)
    assert sorted(tokenised) == ["a", "d"]  # edited and added: every other document's terms are reused
    data = load_index(root)
    assert "b" not in data.documents and {"a", "d"} <= set(data.documents)
    assert data.sentences.terms is not None and "plane" in data.sentences.terms.whole("a")
    assert_terms_are_the_tokenised_ones(data)


def test_an_index_without_terms_loads_answers_the_same_and_build_adds_them(
    built: tuple[Path, Path], build_embedder: Any, embedder: Any
) -> None:
    corpus, root = built
    with_terms = load_index(root)
    drop_terms(root)
    without = load_index(root)
    assert without.sentences.terms is None
    questions = ["Which minister met Rutte?", "What did the riders spend?", "Where did they meet?"]
    assert answers_of(without, embedder, questions) == answers_of(with_terms, embedder, questions)
    report = build_index(corpus, root, build_embedder)
    assert not report.up_to_date and report.embedded == 0  # the terms are added, every vector reused
    assert_terms_are_the_tokenised_ones(load_index(root))
    assert build_index(corpus, root, build_embedder).up_to_date


def test_terms_of_another_tokeniser_are_not_read(built: tuple[Path, Path], build_embedder: Any) -> None:
    corpus, root = built
    directory = current_version_dir(root)
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["extra"][CONTENT_TERMS] = "content_terms 0; an older tokeniser"
    (directory / "manifest.json").write_text(json.dumps(manifest))
    assert load_index(root).sentences.terms is None
    assert not build_index(corpus, root, build_embedder).up_to_date
    assert load_index(root).sentences.terms is not None


def answers_of(data: IndexData, embedder: Any, questions: list[str]) -> list[Any]:
    """The extractor's answers to ``questions`` over the passages retrieved for them from ``data``."""
    vectors = embedder.encode(questions)
    passages = search_many(data, questions, vectors, 8)
    extractor = Extractor(data.lexical, data.documents, data.sentences)
    answers = extractor.answer_many(questions, passages, vectors, 5)
    return [(a.answer, a.confidence, a.reason, a.signals, a.citations) for a in answers]


def test_an_index_cut_into_sentences_otherwise_is_built_again(
    tmp_path: Path, build_embedder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index built before "c. 1250 BC" stopped ending a sentence kept its cut quotes ("made c." [1]) through
    every `citeqa build`: a version cut under another segmentation is built again, re-embedding only the
    documents whose sentences moved."""
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "m.txt").write_text("Mummy case\nThe case was made c. 1250 BC in Thebes. It came here in 1923.\n")
    root = tmp_path / "index"

    def old_cut(text: str, offset: int = 0) -> list[tuple[int, int]]:  # the cut after "c." of segmentation 1
        spans = sentence_spans(text, offset)
        cut = text.find("c. 1250")
        return [p for s, e in spans for p in ((s, cut + 2), (cut + 3, e)) if s < cut < e] or spans

    with monkeypatch.context() as patched:
        patched.setattr(sentence_vectors, "sentence_spans", old_cut)
        patched.setattr(tokens, "SEGMENTATION_VERSION", 1)
        tokens.content_terms_scheme.cache_clear()
        build_index(corpus, root, build_embedder)
    tokens.content_terms_scheme.cache_clear()
    old = load_index(root)
    assert old.sentences.terms is None  # stored under another scheme: not read
    assert "The case was made c." in [old.documents["m"].text[s:e] for s, e in old.sentences.spans_of("m")]
    report = build_index(corpus, root, build_embedder)
    assert not report.up_to_date and 0 < report.embedded < report.chunks  # the mummy case's chunk only
    new = load_index(root)
    sentences = [new.documents["m"].text[s:e] for s, e in new.sentences.spans_of("m")]
    assert "The case was made c. 1250 BC in Thebes." in sentences
    assert build_index(corpus, root, build_embedder).up_to_date
