"""Benchmark corpora: slices of ../shared/datasets/bbc-news copied into bench/work, and eval question sets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BBC_NEWS = SHARED / "datasets" / "bbc-news"
SECTIONS = ("business", "entertainment", "politics", "sport", "tech")
WORK = ROOT / "bench" / "work"
EVAL = {
    "seed_dev": SHARED / "eval" / "seed_dev.jsonl",
    "bbc_dev": SHARED / "eval" / "bbc_dev.jsonl",
    "bbc_holdout": ROOT / "eval" / "bbc_holdout.jsonl",
}


def bbc_files() -> list[Path]:
    """All articles, interleaved across sections (a slice of N holds every section)."""
    per_section = [sorted((BBC_NEWS / s).glob("*.txt")) for s in SECTIONS]
    out: list[Path] = []
    for i in range(max(len(files) for files in per_section)):
        out.extend(files[i] for files in per_section if i < len(files))
    return out


def bbc_slice(count: int | None, include: frozenset[str] = frozenset()) -> Path:
    """A corpus directory of the first ``count`` interleaved articles (all when None), plus the
    articles whose document ids (``business-198``) are in ``include``."""
    every = bbc_files()
    files = every[:count] if count else every
    extra = [p for p in every[len(files) :] if f"{p.parent.name}-{p.stem}" in include]
    files = files + extra
    target = WORK / (f"corpus-bbc-{len(files)}" + ("-eval" if extra else ""))
    if target.is_dir() and sum(1 for _ in target.rglob("*.txt")) == len(files):
        return target
    shutil.rmtree(target, ignore_errors=True)
    for path in files:
        (target / path.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / path.parent.name / path.name)
    return target


def questions(name: str) -> list[dict[str, Any]]:
    with EVAL[name].open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def headlines(count: int) -> list[str]:
    """Query texts for latency and load: the first line (headline) of articles."""
    out = []
    for path in bbc_files()[:count]:
        out.append(path.read_bytes().decode("utf-8", errors="replace").splitlines()[0].strip())
    return out
