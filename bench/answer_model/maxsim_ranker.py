"""Late interaction for the sentence ranker, measured before building it: would the question's token
vectors matched against each candidate sentence's token vectors (ColBERT-style MaxSim: per question
word, the best cosine with a sentence token; idf-weighted mean, gap to the best candidate, minimum)
choose better sentences than the stored sentence vector's cosine? Storing token vectors for the
whole BBC corpus would take ~1M tokens x 384 dimensions; this measures the gain first.

Same 5-fold CV by article on bbc_train_a + b (fixed penalties), plus eval/bbc_fresh.jsonl answered
by the model fitted on all of a + b (report only). Sentences are encoded alone here (in the index
they would be pooled from the chunk pass). Output on 2026-11-30 (33 s):

    ()                                    CV 96 answers, top 84, wrongly abstained 3, abstained 19 | fresh 14, top 14
    ('maxsim',)                           CV 93, top 86, 3, 21 | fresh 15, top 14
    ('maxsim', 'maxsim_gap')              CV 95, top 86, 1, 20 | fresh 15, top 14
    ('maxsim', 'maxsim_gap', 'maxsim_min') CV 94, top 87, 5, 20 | fresh 14, top 13

Two or three more top sentences of 120 and no more answers: not built.

    python bench/answer_model/maxsim_ranker.py --index /work/measure/bbc-index3
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "answer_model"))

import extra_signals as E  # noqa: E402

from citeqa.index.answering import features as F  # noqa: E402
from citeqa.index.answering import ranker as R  # noqa: E402
from citeqa.index.answering import training as T  # noqa: E402


def load(engine: Any, paths: list[Path]) -> tuple[list[T.Example], dict[str, str]]:
    from citeqa.index.evaluation.calibration import read_labelled

    questions = [q for p in paths for q in read_labelled(p)]
    styles = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            styles[record["id"]] = record.get("style", "-")
    prepared = engine.prepare_many([q.question for q in questions])
    return T.make_examples(engine.extractor, questions, prepared), styles


def augment(probe: E.Probe, examples: list[T.Example]) -> list[T.Example]:
    """Each candidate with ``maxsim``, ``maxsim_min`` and ``maxsim_gap`` (to the question's best)."""
    out = []
    for e in examples:
        q = e.prepared.question
        asked = E.question_words(probe, q.text)
        weights = np.asarray([q.weights.get(t, 1.0) for t, _ in asked])
        candidates = []
        for c in e.prepared.candidates:
            tokens = probe.token_vectors(probe.extractor.documents[c.doc_id].text[c.start : c.end])[0]
            best = np.asarray([float((tokens @ v).max()) for _, v in asked]) if asked and len(tokens) else None
            extra = (
                {"maxsim": float(weights @ best / weights.sum()), "maxsim_min": float(best.min())}
                if best is not None
                else {"maxsim": 0.0, "maxsim_min": 0.0}
            )
            candidates.append(replace(c, features={**c.features, **extra}))
        top = max((c.features["maxsim"] for c in candidates), default=0.0)
        candidates = [replace(c, features={**c.features, "maxsim_gap": c.features["maxsim"] - top}) for c in candidates]
        out.append(replace(e, prepared=replace(e.prepared, candidates=tuple(candidates))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    engine = load_engine(Settings(index_dir=args.index))
    probe = E.Probe(engine)
    shared = args.shared / "eval"
    train, styles = load(engine, [shared / "bbc_train_a.jsonl", shared / "bbc_train_b.jsonl"])
    fresh, _ = load(engine, [ROOT / "eval" / "bbc_fresh.jsonl"])
    train, fresh = augment(probe, train), augment(probe, fresh)
    params = T.TrainingParams(1.0, 3.0, 0.03, True, 0.6)
    for extra in [(), ("maxsim",), ("maxsim", "maxsim_gap"), ("maxsim", "maxsim_gap", "maxsim_min")]:
        names = tuple(F.CANDIDATE_FEATURES) + extra
        R.feature_matrix.__defaults__ = (names,)  # the fits read these defaults
        R.fit_pointwise.__defaults__ = (names, 1.0)
        T.feature_matrix = R.feature_matrix
        totals = T.summarise(T.cross_validate(engine.extractor, train, params, folds=5), styles)["all"]
        model = T.fit_answer_model(engine.extractor, train, params)
        answers = 0
        for e in fresh:
            a = engine.extractor.finish(e.prepared, model, 5)
            answers += e.question.answerable and a.answerable and T.holds_answer(a.answer, e.question.answers)
        print(
            extra,
            f"CV {totals['contains_answer']}, top {totals['top_sentence_good']}, "
            f"{totals['wrongly_abstained']}, {totals['abstained_unanswerable']} | fresh {answers}",
            flush=True,
        )


if __name__ == "__main__":
    main()
