"""A content hash of a model's files, so a model changed in place (same path) is a new model.

Fine-tuned weights saved over the old ones keep the file name and often the size; only the
content tells them apart. Hashing 90 MB on every start would cost ~0.2 s, so each file's sha256
is cached by (absolute path, size, modification time) in ``digests.json`` of the model cache
directory (and in memory): it is recomputed only for a file that was written since.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

from citeqa.index.store.atomic import write_atomic
from citeqa.index.store.manifest import sha256_file

__all__ = ["DIGEST_CACHE_FILE", "model_digest"]

DIGEST_CACHE_FILE = "digests.json"
_memory: dict[str, tuple[int, int, str]] = {}
_lock = threading.Lock()


def _model_files(model_dir: Path) -> list[Path]:
    """Every file that shapes the vectors: weights, configs, tokenizer (not hidden files or README-like notes)."""
    return sorted(
        path
        for path in model_dir.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(model_dir).parts)
        and path.suffix.lower() != ".md"
    )


def model_digest(model_dir: Path, cache_dir: Path | None = None) -> str:
    """sha256 over the relative path and content of every model file of ``model_dir`` (hex, 64 characters).

    ``""`` when ``model_dir`` is not a local directory. File hashes are cached in
    ``cache_dir/digests.json`` when ``cache_dir`` is given (a cache that cannot be read or
    written is ignored).
    """
    if not model_dir.is_dir():
        return ""
    with _lock:
        cached = _read_cache(cache_dir)
        digest = hashlib.sha256()
        changed = False
        for path in _model_files(model_dir):
            key = str(path.resolve())
            stat = path.stat()
            entry = _memory.get(key) or cached.get(key)
            if entry is None or (entry[0], entry[1]) != (stat.st_size, stat.st_mtime_ns):
                entry = (stat.st_size, stat.st_mtime_ns, sha256_file(path))
                changed = True
            _memory[key] = cached[key] = entry
            digest.update(f"{path.relative_to(model_dir).as_posix()}\0{entry[2]}\n".encode())
        if changed and cache_dir is not None:
            _write_cache(cache_dir, cached)
    return digest.hexdigest()


def _read_cache(cache_dir: Path | None) -> dict[str, tuple[int, int, str]]:
    if cache_dir is None:
        return {}
    try:
        raw = json.loads((cache_dir / DIGEST_CACHE_FILE).read_text(encoding="utf-8"))
        return {str(k): (int(v[0]), int(v[1]), str(v[2])) for k, v in raw.items()}
    except (OSError, ValueError, TypeError, IndexError, AttributeError):
        return {}


def _write_cache(cache_dir: Path, entries: dict[str, tuple[int, int, str]]) -> None:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(cache_dir / DIGEST_CACHE_FILE, json.dumps(entries, indent=1, sort_keys=True))
    except OSError:
        pass  # a read-only cache directory: hash again next start
