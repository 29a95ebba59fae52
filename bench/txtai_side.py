"""Runs inside .venv-txtai: index chunk texts with txtai and save the index. Prints a JSON line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    from txtai import Embeddings

    rows, target, model = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    texts = json.loads(rows.read_text(encoding="utf-8"))
    embeddings = Embeddings(path=model, content=True)
    started = time.perf_counter()
    embeddings.index([(i, text, None) for i, text in enumerate(texts)])
    seconds = time.perf_counter() - started
    embeddings.save(str(target))
    print(json.dumps({"seconds": seconds, "chunks": len(texts), "chunks_per_s": len(texts) / seconds}))


if __name__ == "__main__":
    main()
