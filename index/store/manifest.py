"""The manifest of a built index, checksums, and atomic publishing of index versions.

An index root holds ``versions/<name>/`` directories and a ``CURRENT`` file naming the
published one. A build writes a new version directory (manifest last), then replaces
``CURRENT`` with ``os.replace``: readers see the old version or the new one, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from citeqa.index.errors import CiteqaError, IndexCorrupt, IndexMismatch, IndexNotFound
from citeqa.index.store.atomic import replace_dir, write_atomic

# 2: tokens are normalised (NFKC, invisible characters, case folding) and symbol terms (C++, C#, AT&T,
# 4G) are kept, so the lexical index of version 1 holds other terms: it must be rebuilt, not read.
# 3: sentence spans and sentence vectors are stored with the version (sentences.npy,
# sentence_vectors.npy), and the answer step reads them instead of embedding sentences.
# 4: terms drop the accents of Latin letters ("naïve" is the term "naive"), so version 3's vocabulary
# holds other terms.
FORMAT_VERSION = 4
MANIFEST_FILE = "manifest.json"
POINTER_FILE = "CURRENT"
VERSIONS_DIR = "versions"
KEEP_VERSIONS = 3
BUILD_IT = "run `citeqa build` to build it"  # what to do, unless the application knows its directories
MODEL_DIGEST = "model_digest"
"""Key in ``Manifest.extra`` of the content hash of the model files an index was embedded with."""
CORPUS = "corpus"
"""Key in ``Manifest.extra`` of the corpus directory an index was built from: ``{"path": absolute path,
"from_index": the same relative to the index root}`` (``corpus_record``, ``recorded_corpus``)."""


@dataclass(frozen=True)
class Manifest:
    """What an index was built from and with, and the checksum of every file in it."""

    model: str
    dimension: int
    normalized: bool
    chunking: dict[str, Any]
    index_kind: str
    documents: dict[str, str]
    files: dict[str, str]
    chunk_count: int
    version: str = ""
    created: str = ""
    format_version: int = FORMAT_VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False, sort_keys=True)

    def summary(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "created": self.created,
            "model": self.model,
            "dimension": self.dimension,
            "documents": len(self.documents),
            "chunks": self.chunk_count,
            "index_kind": self.index_kind,
            "chunking": self.chunking,
            "format_version": self.format_version,
        }


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def published_version(root: Path) -> str | None:
    """The version name the ``CURRENT`` pointer of ``root`` holds; None when there is no readable pointer."""
    try:
        return (root / POINTER_FILE).read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def current_version_dir(root: Path) -> Path:
    """The published version directory of ``root``; IndexNotFound when there is none."""
    pointer = root / POINTER_FILE
    if not pointer.is_file():
        raise IndexNotFound(f"no index at {root} ({pointer} is missing)", BUILD_IT)
    name = pointer.read_text(encoding="utf-8").strip()
    if not name or "/" in name or name.startswith("."):
        raise IndexCorrupt(f"{pointer} does not name an index version: run `citeqa build` to build it")
    directory = root / VERSIONS_DIR / name
    if not directory.is_dir():
        raise IndexNotFound(f"{pointer} names {directory}, which is missing", BUILD_IT)
    return directory


def read_manifest(directory: Path) -> Manifest:
    path = directory / MANIFEST_FILE
    fix = "rebuild it with `citeqa build --force`"
    if not path.is_file():
        raise IndexCorrupt(f"{path} is missing (an interrupted build?): {fix}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except (ValueError, TypeError) as exc:
        raise IndexCorrupt(f"{path} is not a valid manifest ({exc}): {fix}") from None
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatch(
            f"{path} has format version {manifest.format_version}, this citeqa reads {FORMAT_VERSION} "
            "(an index built by another citeqa version: its terms or stored sentence vectors differ): "
            "rebuild it with `citeqa build`"
        )
    return manifest


def corpus_record(corpus: Path, root: Path) -> dict[str, str]:
    """What ``recorded_corpus`` reads back: ``corpus``'s absolute path, and its path from the index
    ``root`` (so that a project directory moved or cloned with its index still finds its corpus)."""
    path = corpus.resolve()
    return {"path": str(path), "from_index": os.path.relpath(path, root.resolve())}


def recorded_corpus(root: Path) -> Path | None:
    """The corpus directory the published index under ``root`` was built from: its recorded absolute
    path, or else its path from ``root`` when only that one exists (the two moved together), or else
    the absolute path (gone). None when there is no readable index or it does not say (built from
    documents in memory, or by an older citeqa)."""
    try:
        record = read_manifest(current_version_dir(root)).extra.get(CORPUS)
    except (CiteqaError, OSError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("path"), str):
        return None
    path = Path(record["path"])
    relative = record.get("from_index")
    if not path.is_dir() and isinstance(relative, str) and (root / relative).is_dir():
        return (root / relative).resolve()
    return path


def verify_files(directory: Path, manifest: Manifest) -> None:
    """Check every file's sha256 against the manifest (a flipped byte loads silently in FAISS)."""
    for name, expected in manifest.files.items():
        path = directory / name
        if not path.is_file():
            raise IndexCorrupt(f"{path} is missing: rebuild the index with `citeqa build --force`")
        if sha256_file(path) != expected:
            raise IndexCorrupt(
                f"{path} fails its checksum (truncated or corrupted): rebuild with `citeqa build --force`"
            )


def check_model(manifest: Manifest, model: str, dimension: int, where: Path) -> None:
    if manifest.model != model or manifest.dimension != dimension:
        raise IndexMismatch(
            f"{where / MANIFEST_FILE} was built with {manifest.model} ({manifest.dimension} dims) "
            f"but the service uses {model} ({dimension} dims): rebuild with `citeqa build --force` "
            "or set the model back"
        )


def new_version_dir(root: Path) -> Path:
    """A fresh, empty staging directory under ``root/versions``."""
    now = time.time_ns()
    seconds, fraction = divmod(now, 1_000_000_000)
    name = time.strftime("%Y%m%dT%H%M%S", time.gmtime(seconds)) + f".{fraction:09d}-{os.getpid()}"
    staging = root / VERSIONS_DIR / f".staging-{name}"
    staging.mkdir(parents=True)
    return staging


def publish(root: Path, staging: Path, manifest: Manifest) -> Path:
    """Write the manifest last, rename the staging directory, then switch ``CURRENT`` atomically."""
    files = {name: sha256_file(staging / name) for name in sorted(manifest.files)}
    final_name = staging.name.removeprefix(".staging-")
    manifest = Manifest(**{**asdict(manifest), "files": files, "version": final_name})
    write_atomic(staging / MANIFEST_FILE, manifest.to_json())
    final = staging.with_name(final_name)
    replace_dir(staging, final)
    write_atomic(root / POINTER_FILE, final_name + "\n")
    remove_old_versions(root, keep=KEEP_VERSIONS)
    return final


def remove_old_versions(root: Path, keep: int) -> None:
    """Delete all but the newest ``keep`` versions (never the published one) and stale staging dirs."""
    versions = root / VERSIONS_DIR
    current = (root / POINTER_FILE).read_text(encoding="utf-8").strip()
    done = sorted((p for p in versions.iterdir() if not p.name.startswith(".")), key=lambda p: p.name)
    for old in done[:-keep]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
    for staging in versions.glob(".staging-*"):
        if time.time() - staging.stat().st_mtime > 3600:
            shutil.rmtree(staging, ignore_errors=True)
