"""A model changed in place (issue 15): its content digest, the ONNX export key and the build follow
the file contents, not their sizes; file hashes are cached by (path, size, mtime); both pooling config
spellings are read."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from citeqa.index.embedding import digest as digest_module
from citeqa.index.embedding.digest import DIGEST_CACHE_FILE, model_digest
from citeqa.index.embedding.export import _check_mean_pooling, _model_key
from citeqa.index.errors import EmbedderUnavailable

WEIGHTS = bytes(range(256)) * 64


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    model = tmp_path / "my-finetuned-model"
    (model / "1_Pooling").mkdir(parents=True)
    (model / "config.json").write_text('{"hidden_size": 384}')
    (model / "tokenizer.json").write_text('{"version": "1.0"}')
    (model / "1_Pooling" / "config.json").write_text('{"pooling_mode_mean_tokens": true}')
    (model / "model.safetensors").write_bytes(WEIGHTS)
    return model


def save_new_weights_in_place(model: Path) -> None:
    """Fine-tuned weights saved over the old ones: same file, same size, other bytes, a later mtime."""
    weights = model / "model.safetensors"
    before = weights.stat()
    weights.write_bytes(bytes(reversed(WEIGHTS)))
    os.utime(weights, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    assert weights.stat().st_size == before.st_size


def test_weights_saved_in_place_change_the_digest_and_the_export_key(model_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "models"
    digest, key = model_digest(model_dir, cache), _model_key(model_dir)
    assert len(digest) == 64 and digest == model_digest(model_dir, cache)
    save_new_weights_in_place(model_dir)
    assert model_digest(model_dir, cache) != digest
    assert _model_key(model_dir) != key


def test_notes_beside_the_model_do_not_change_its_digest(model_dir: Path) -> None:
    digest = model_digest(model_dir)
    (model_dir / "README.md").write_text("# fine-tuned on our tickets")
    (model_dir / ".gitattributes").write_text("*.safetensors filter=lfs")
    assert model_digest(model_dir) == digest


def test_file_hashes_are_cached_by_path_size_and_mtime(
    model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "models"
    hashed: list[str] = []
    real = digest_module.sha256_file

    def counting(path: Path) -> str:
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(digest_module, "sha256_file", counting)
    first = model_digest(model_dir, cache)
    assert sorted(hashed) == ["config.json", "config.json", "model.safetensors", "tokenizer.json"]
    assert len(json.loads((cache / DIGEST_CACHE_FILE).read_text())) == 4
    monkeypatch.setattr(digest_module, "_memory", {})  # a new process: only the file cache is left
    hashed.clear()
    assert model_digest(model_dir, cache) == first
    assert hashed == []
    save_new_weights_in_place(model_dir)
    assert model_digest(model_dir, cache) != first
    assert hashed == ["model.safetensors"]


def test_a_directory_that_is_not_a_local_model_has_no_digest(tmp_path: Path) -> None:
    assert model_digest(tmp_path / "sentence-transformers" / "hub-name") == ""


@pytest.mark.parametrize(
    "pooling",
    [
        {"word_embedding_dimension": 384, "pooling_mode_mean_tokens": True, "pooling_mode_cls_token": False},
        {"word_embedding_dimension": 384, "pooling_mode": "mean"},  # sentence-transformers 6.x
        {"pooling_mode": "MEAN"},
    ],
)
def test_mean_pooling_is_read_in_both_config_spellings(model_dir: Path, pooling: dict[str, Any]) -> None:
    (model_dir / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    _check_mean_pooling(model_dir)


@pytest.mark.parametrize(
    ("pooling", "found"),
    [
        ({"pooling_mode": "cls"}, "this one: cls"),
        ({"pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}, "this one: no mean pooling"),
    ],
)
def test_other_pooling_is_refused_with_the_fix(model_dir: Path, pooling: dict[str, Any], found: str) -> None:
    (model_dir / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    with pytest.raises(EmbedderUnavailable, match=rf"mean-pooling models only \({found}\): use the torch backend"):
        _check_mean_pooling(model_dir)
