"""The one atomic writer: whole files or none, readable by others, directories swapped whole."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from citeqa.index.store.atomic import replace_dir, write_atomic


def test_write_atomic_replaces_a_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "CURRENT"
    write_atomic(target, "v1\n")
    write_atomic(target, b"v2\n")
    assert target.read_text() == "v2\n"
    assert [p.name for p in target.parent.iterdir()] == ["CURRENT"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "model.json"
    write_atomic(target, "old")

    def refuse(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("citeqa.index.store.atomic.os.replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]


def test_replace_dir_swaps_a_whole_directory(tmp_path: Path) -> None:
    final = tmp_path / "report"
    final.mkdir()
    (final / "old.txt").write_text("old")
    staging = tmp_path / ".report.staging"
    staging.mkdir()
    (staging / "new.txt").write_text("new")
    replace_dir(staging, final)
    assert [p.name for p in final.iterdir()] == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]
