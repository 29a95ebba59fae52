"""An index of an older format (format 1: other terms in its BM25 matrix; format 2: no stored sentence
vectors; format 3: accented terms, "naïve" rather than "naive") is refused at load with a message
saying how to rebuild, and ``build_index`` rebuilds it whole instead of reusing it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from citeqa.index.errors import IndexMismatch
from citeqa.index.indexing.build import build_index
from citeqa.index.store.loader import load_index
from citeqa.index.store.manifest import FORMAT_VERSION, current_version_dir, read_manifest
from tests.conftest import ROOT, build_test_index


def make_format(root: Path, version: int) -> None:
    manifest_path = current_version_dir(root) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["format_version"] = version
    manifest_path.write_text(json.dumps(manifest))


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_index_of_an_older_format_is_refused_with_the_fix(
    tmp_path: Path, default_index: Path, embedder: Any, version: int
) -> None:
    root = tmp_path / "old"
    shutil.copytree(default_index, root)
    make_format(root, version)
    says = rf"format version {version}, this citeqa reads {FORMAT_VERSION} .*`citeqa build`"
    with pytest.raises(IndexMismatch, match=says):
        load_index(root, embedder.name, embedder.dimension)


def test_build_rebuilds_an_index_of_an_older_format(tmp_path: Path, build_embedder: Any) -> None:
    root = build_test_index(ROOT / "corpus", tmp_path / "index", build_embedder)
    make_format(root, 3)
    build_index(ROOT / "corpus", root, build_embedder)
    manifest = read_manifest(current_version_dir(root))
    assert manifest.format_version == FORMAT_VERSION
    load_index(root, build_embedder.name, build_embedder.dimension)
