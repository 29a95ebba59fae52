"""The one way citeqa writes files that others read: atomically and durably.

A reader sees the old content or the new, never half of either, and what was published survives a
power cut: data is written to a temporary file beside the target, flushed with ``fsync``, moved into
place with ``os.replace``, and the directory holding it is synced too. Index versions, the
``CURRENT`` pointer, corpus edits, abstention models, ONNX exports and evaluation reports all go
through here.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["fsync_dir", "replace_dir", "write_atomic"]


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` (str is written as UTF-8); parent directories are created.

    Raises ``OSError`` when the directory cannot be written; the old file is then untouched.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    # the temporary name is kept short: ".<name>.<random>.tmp" of a 250-character name is over the 255 file systems take
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:100]}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide the file from a service running as another user
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def replace_dir(staging: Path, final: Path) -> None:
    """Move the finished directory ``staging`` to ``final``, replacing an older ``final`` whole.

    Both must be on one file system (make ``staging`` a sibling of ``final``). An existing ``final`` is
    renamed aside first and removed after, so ``final`` is never a mix of old and new files.
    """
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
        os.replace(staging, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, final)
    fsync_dir(final.parent)


def fsync_dir(path: Path) -> None:
    """Make renames inside ``path`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
