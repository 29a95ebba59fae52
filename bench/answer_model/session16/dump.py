"""The candidate sentences of labelled questions, for ``train.py`` (sixteenth session; see RESULTS.md).

For every question of the given files: its vector, the stored vectors of its candidate sentences (as the
answer step prepares them) and which of them hold an acceptable answer, written to one ``.npz`` (DUMP,
default /tmp/adapter_dump.npz). Run from the repository root:

    INDEX=<BBC index> .venv/bin/python bench/answer_model/session16/dump.py <nine fit files> <six held-out>
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

os.environ["HF_HUB_OFFLINE"] = "1"


def main(files: list[str]) -> None:
    from citeqa.index.engine import ANSWER_CANDIDATES
    from citeqa.index.evaluation.calibration import read_labelled
    from citeqa.service.runtime import load_engine
    from citeqa.service.settings import Settings

    engine = load_engine(Settings(index_dir=Path(os.environ.get("INDEX", "/work/measure/bbc-index"))))
    extractor = engine.extractor
    questions, sentences, offsets, good, answerable, sets = [], [], [0], [], [], []
    for number, name in enumerate(files):
        labelled = read_labelled(Path(name))
        alone = engine.standing_alone([q.question for q in labelled])
        passages, vectors, _ = engine._retrieve(alone, ANSWER_CANDIDATES)
        for q, prepared, vector in zip(
            labelled, extractor.prepare_many(alone, passages, vectors), vectors, strict=True
        ):
            found = [(c.doc_id, c.index) for c in prepared.candidates]
            texts = [extractor.documents[c.doc_id].text[c.start : c.end].lower() for c in prepared.candidates]
            questions.append(np.asarray(vector, np.float32))
            sentences.append(np.asarray(extractor.sentences.vectors_of(found), np.float32).reshape(-1, vector.shape[0]))
            offsets.append(offsets[-1] + len(found))
            good.extend(q.answerable and any(a.lower() in t for a in q.answers) for t in texts)
            answerable.append(q.answerable)
            sets.append(number)
        print(name, len(labelled), file=sys.stderr)
    np.savez(
        os.environ.get("DUMP", "/tmp/adapter_dump.npz"),
        questions=np.stack(questions),
        sentences=np.concatenate(sentences),
        offsets=np.asarray(offsets),
        good=np.asarray(good, dtype=bool),
        answerable=np.asarray(answerable, dtype=bool),
        sets=np.asarray(sets),
    )


if __name__ == "__main__":
    main(sys.argv[1:])
