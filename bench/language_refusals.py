"""How often ``citeqa.index.text.language`` would refuse English questions (false refusals), measured on
every English question and query in ../shared and eval/: the BBC BEIR queries (headlines: short, no
question words, many names) and the labelled question sets; and how often it refuses, as the right
language, the short Spanish, French, German, Italian and Portuguese questions of
``tests/index/text/short_non_english.jsonl`` (written for citeqa: ``dev``, 50, seen while choosing
``FOREIGN_MARKERS``; ``holdout``, 25, written after and measured once), as asked and in lower case.

    .venv/bin/python bench/language_refusals.py ../shared --out bench/results/language_refusals.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from citeqa.index.text.language import unsupported_language

ROOT = Path(__file__).resolve().parent.parent
NON_ENGLISH = ROOT / "tests" / "index" / "text" / "short_non_english.jsonl"


def questions(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            text = record.get("question") or record.get("text") or record.get("query")
            if isinstance(text, str) and text.strip():
                out.append(text)
    return out


def non_english_sets(path: Path) -> dict[str, list[tuple[str, str]]]:
    """The non-English questions of ``path`` by set: (question, language code) pairs."""
    sets: dict[str, list[tuple[str, str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        sets.setdefault(record["set"], []).append((record["question"], record["language"]))
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("shared", type=Path, help="the shared folder (datasets/, eval/)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    sets = {
        "bbc_beir_queries": args.shared / "datasets" / "bbc-news-beir" / "queries.jsonl",
        **{p.stem: p for p in sorted((args.shared / "eval").glob("*.jsonl"))},
        "bbc_holdout": ROOT / "eval" / "bbc_holdout.jsonl",
    }
    report: dict[str, object] = {"command": f"python bench/language_refusals.py {args.shared}"}
    for name, path in sets.items():
        asked = questions(path)
        refused = [(q, unsupported_language(q)) for q in asked]
        refused = [(q, code) for q, code in refused if code]
        report[name] = {"questions": len(asked), "refused": len(refused), "examples": refused[:10]}
        print(f"{name:20s} {len(asked):5d} questions, {len(refused)} refused")
    for name, rows in non_english_sets(NON_ENGLISH).items():
        for case, fold in (("", str), ("_lower_case", str.lower)):
            missed = [(q, code) for q, code in rows if unsupported_language(fold(q)) != code]
            detected = len(rows) - len(missed)
            report[f"non_english_{name}{case}"] = {"questions": len(rows), "detected": detected, "missed": missed}
            print(f"non-English {name + case:24s} {len(rows):3d} questions, {detected} refused as their language")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
