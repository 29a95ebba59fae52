"""Incremental builds: an edit re-embeds one document, a removal removes its chunks."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np

from citeqa.index.indexing.build import build_index, passage_text
from citeqa.index.store.loader import load_index
from tests.conftest import ROOT


def test_edit_reembeds_only_that_document_and_removal_drops_its_chunks(tmp_path: Path, embedder: Any) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(next((ROOT / "corpus").glob("*.md")), corpus)
    for name, body in (("a", "Alpha paragraph about ships. " * 20), ("b", "Beta paragraph about trains. " * 20)):
        (corpus / f"{name}.txt").write_text(f"Title {name}\n{body}\n", encoding="utf-8")
    root = tmp_path / "index"
    first = build_index(corpus, root, embedder)
    (corpus / "a.txt").write_text("Title a\nAlpha paragraph about planes instead.\n", encoding="utf-8")
    edited = build_index(corpus, root, embedder)
    assert edited.embedded == 1  # the edited document is now one chunk; every other chunk is reused
    assert edited.reused == edited.chunks - 1 == first.chunks - 1
    (corpus / "b.txt").unlink()
    removed = build_index(corpus, root, embedder)
    data = load_index(root)
    assert removed.embedded == 0
    assert not [c for c in data.chunks if c.doc_id == "b"] and "b" not in data.documents
    assert len(data.vectors) == data.faiss_index.ntotal == removed.chunks < edited.chunks
    mine = [c for c in data.chunks if c.doc_id == "a"]
    assert len(mine) == 1 and "planes" in mine[0].text
    fresh = embedder.encode([passage_text(data.documents["a"].title, mine[0].text, True)])
    assert np.allclose(data.vectors[[mine[0].chunk_id]], fresh, atol=1e-5)
