"""How often ``citeqa.index.text.language`` would refuse English questions (false refusals), measured on
every English question and query in ../shared and eval/: the BBC BEIR queries (headlines: short, no
question words, many names) and the labelled question sets.

    .venv/bin/python bench/language_refusals.py ../shared --out bench/results/language_refusals.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from citeqa.index.text.language import unsupported_language

ROOT = Path(__file__).resolve().parent.parent


def questions(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            text = record.get("question") or record.get("text") or record.get("query")
            if isinstance(text, str) and text.strip():
                out.append(text)
    return out


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
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
