"""Candidate answerability signals that need more than the stored vectors, measured before building them.

A near miss ("Who is Ana Ivanovic's coach?" over a sentence about her title) and a paraphrased
answerable question ("Who was left running Tottenham on a caretaker basis?" over "Assistant coach
Martin Jol has been put in temporary charge") both lack the question's words around the answer.
These signals try to tell them apart by meaning rather than by words; each is added to the shipped
answerability signals and measured by the same 5-fold cross-validation by article (fixed penalties:
ranker L2 1, answerability L2 3, threshold capped at 3% of answerable training questions), next to
the shipped signals in the same run. They call the model on sentences and words, which the answer
step does not do (issue 14): they would be built only if they paid.

- ``tokens``: the question's content words as contextual token vectors (one model call on the
  question), each matched (max cosine) against the token vectors of the answer sentence, its
  neighbours and the headline: idf-weighted mean, minimum, the focus words' minimum, the non-name
  words' mean, the mean within the sentence alone;
- ``words``: the same with each word embedded on its own (a static word vector), for the question's
  non-name words and focus words against the words of the answer's neighbourhood;
- ``predicate``: the question with its names and numbers removed ("Who is 's coach?"), embedded,
  against the stored vectors of the answer sentence and its neighbours; and the answer's similarity
  to the question minus its similarity to the names alone ("lift").

    python bench/answer_model/extra_signals.py --index /work/measure/bbc-index3 \\
        ../shared/eval/bbc_train_a.jsonl ../shared/eval/bbc_train_b.jsonl --out bench/answer_model/extra_signals.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from citeqa.index.answering import abstention as A  # noqa: E402
from citeqa.index.answering import extraction as X  # noqa: E402
from citeqa.index.answering import features as F  # noqa: E402
from citeqa.index.answering import training as T  # noqa: E402
from citeqa.index.text.tokens import STOPWORDS, content_terms, words  # noqa: E402

Signals = Callable[[F.Prepared, Sequence[F.Candidate]], dict[str, float]]


class Probe:
    """Token, word and phrase vectors from the index's embedding model (cached)."""

    def __init__(self, engine: Any) -> None:
        self.embedder = engine.embedder
        self.extractor = engine.extractor
        self._tokens: dict[str, Any] = {}
        self._words: dict[str, Any] = {}
        self._phrases: dict[str, Any] = {}

    def token_vectors(self, text: str) -> tuple[Any, Any]:
        """Unit token vectors ``(tokens, 384)`` of ``text`` and its tokenizer encoding."""
        if text not in self._tokens:
            encoding = self.embedder._tokenizer.encode(text[:2000])
            hidden, _ = self.embedder._hidden([encoding], self.embedder._session)
            real = [i for i, w in enumerate(encoding.word_ids) if w is not None]
            vectors = hidden[0][real]
            self._tokens[text] = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True), encoding)
        return self._tokens[text]

    def word_vectors(self, items: Sequence[str]) -> Any:
        missing = [w for w in items if w not in self._words]
        for w, v in zip(missing, self.embedder.encode(missing), strict=True) if missing else ():
            self._words[w] = v
        return np.asarray([self._words[w] for w in items]) if items else np.zeros((0, self.embedder.dimension))

    def phrase_vector(self, text: str) -> Any:
        if text not in self._phrases:
            self._phrases[text] = self.embedder.encode([text])[0] if text.strip() else None
        return self._phrases[text]

    def neighbourhood(self, doc_id: str, index: int) -> list[str]:
        """The headline and the sentences before, at and after ``index``."""
        doc = self.extractor.documents[doc_id]
        spans = self.extractor.spans_of(doc_id)
        return [doc.title] + [doc.text[slice(*spans[i])] for i in (index - 1, index, index + 1) if 0 <= i < len(spans)]


def question_words(probe: Probe, text: str) -> list[tuple[str, Any]]:
    """(stemmed term, contextual word vector) for each content word of the question."""
    vectors, encoding = probe.token_vectors(text)
    by_word: dict[int, list[int]] = {}
    for row, word_id in enumerate(w for w in encoding.word_ids if w is not None):
        by_word.setdefault(word_id, []).append(row)
    offsets = [o for o, w in zip(encoding.offsets, encoding.word_ids, strict=True) if w is not None]
    out = []
    for rows in by_word.values():
        terms = content_terms(text[offsets[rows[0]][0] : offsets[rows[-1]][1]])
        if terms:
            v = vectors[rows].mean(axis=0)
            out.append((terms[0], v / np.linalg.norm(v)))
    return out


def token_signals(probe: Probe) -> Signals:
    def signals(prepared: F.Prepared, ranked: Sequence[F.Candidate]) -> dict[str, float]:
        q, best = prepared.question, ranked[0]
        asked = question_words(probe, q.text)
        if not asked:
            return {}
        texts = probe.neighbourhood(best.doc_id, best.index)
        near = np.vstack([probe.token_vectors(t)[0] for t in texts])
        own = probe.token_vectors(probe.extractor.documents[best.doc_id].text[best.start : best.end])[0]
        weights = np.asarray([q.weights.get(t, 1.0) for t, _ in asked])
        best_near = np.asarray([float((near @ v).max()) for _, v in asked])
        best_own = np.asarray([float((own @ v).max()) for _, v in asked])
        focus = [m for (t, _), m in zip(asked, best_near, strict=True) if t in q.focus]
        predicate = [(m, w) for (t, _), m, w in zip(asked, best_near, weights, strict=True) if t not in q.specific]
        return {
            "tokens_mean": float(weights @ best_near / weights.sum()),
            "tokens_min": float(best_near.min()),
            "tokens_focus": min(focus) if focus else 1.0,
            "tokens_predicate": sum(m * w for m, w in predicate) / sum(w for _, w in predicate) if predicate else 1.0,
            "tokens_sentence": float(weights @ best_own / weights.sum()),
        }

    return signals


def _content_words(text: str) -> list[str]:
    return [w for w in dict.fromkeys(words(text)) if w not in STOPWORDS and len(w) > 1]


def word_signals(probe: Probe) -> Signals:
    def signals(prepared: F.Prepared, ranked: Sequence[F.Candidate]) -> dict[str, float]:
        q, best = prepared.question, ranked[0]
        stem = {w: (content_terms(w) or [w])[0] for w in _content_words(q.text)}
        predicate = [w for w, t in stem.items() if t not in q.specific and t in q.weights]
        focus = [w for w, t in stem.items() if t in q.focus]
        around = list(dict.fromkeys(w for t in probe.neighbourhood(best.doc_id, best.index) for w in _content_words(t)))
        context = probe.word_vectors(around)

        def best_of(items: list[str]) -> list[float]:
            return list((probe.word_vectors(items) @ context.T).max(axis=1)) if items and len(context) else []

        got, got_focus = best_of(predicate), best_of(focus)
        weights = [q.weights.get(stem[w], 1.0) for w in predicate]
        return {
            "words_min": float(min(got)) if got else 1.0,
            "words_mean": float(np.average(got, weights=weights)) if got else 1.0,
            "words_focus": float(min(got_focus)) if got_focus else 1.0,
        }

    return signals


def split_names(text: str, specific: set[str]) -> tuple[str, str]:
    """The question without its names and numbers, and the names and numbers alone."""
    keep, names = [], []
    for i, token in enumerate(re.findall(r"[\w’'&.-]+|[^\w\s]", text)):
        core = token.strip(".'’")
        terms = content_terms(core)
        if (terms and terms[0] in specific) or (i > 0 and core[:1].isupper()):
            names.append(core)
        else:
            keep.append(token)
    return " ".join(keep), " ".join(names)


def predicate_signals(probe: Probe) -> Signals:
    def signals(prepared: F.Prepared, ranked: Sequence[F.Candidate]) -> dict[str, float]:
        q, best = prepared.question, ranked[0]
        rest, names = split_names(q.text, set(q.specific))
        spans = probe.extractor.spans_of(best.doc_id)
        rows = [i for i in (best.index - 1, best.index, best.index + 1) if 0 <= i < len(spans)]
        stored = probe.extractor.sentences.vectors_of([(best.doc_id, i) for i in rows])
        own = stored[rows.index(best.index)]
        rest_v, names_v = probe.phrase_vector(rest), probe.phrase_vector(names)
        names_sim = float(names_v @ own) if names_v is not None else 0.0
        return {
            "predicate_similarity": float(rest_v @ own) if rest_v is not None else 0.0,
            "predicate_near": float((stored @ rest_v).max()) if rest_v is not None else 0.0,
            "lift": best.similarity - names_sim,
        }

    return signals


def run(extractor: Any, examples: list[T.Example], extra: Signals | None, names: Sequence[str]) -> dict[str, int]:
    """CV totals with ``extra`` signals added to the shipped ones (the module's functions are swapped)."""
    original = F.answer_signals

    def with_extra(
        prepared: F.Prepared,
        ranked: Sequence[F.Candidate],
        documents: Mapping[str, Any],
        terms_of: Any,
        max_idf: float,
    ) -> dict[str, float]:
        signals = original(prepared, ranked, documents, terms_of, max_idf)
        if extra is not None and ranked:
            signals.update({k: round(v, 4) for k, v in extra(prepared, ranked).items()})
        return signals

    saved = (T.answer_signals, X.answer_signals, T.FEATURES, A.FEATURES)
    T.answer_signals = X.answer_signals = with_extra  # type: ignore[assignment]
    T.FEATURES = A.FEATURES = tuple(A.FEATURES) + tuple(names)
    try:
        rows = T.cross_validate(extractor, examples, T.TrainingParams(1.0, 3.0, 0.03, True, 0.6), folds=5)
    finally:
        T.answer_signals, X.answer_signals, T.FEATURES, A.FEATURES = saved
    totals = T.summarise(rows, STYLES)
    near = totals.get("near_miss", {}).get("abstained_unanswerable", 0)
    return {**totals["all"], "near_miss_abstained": near}


STYLES: dict[str, str] = {}
TOKEN_SIGNALS = ("tokens_mean", "tokens_min", "tokens_focus", "tokens_predicate", "tokens_sentence")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("train", nargs="+", type=Path)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from citeqa.index.evaluation.calibration import read_labelled
    from citeqa.service.settings import Settings
    from citeqa.service.wiring import load_engine

    engine = load_engine(Settings(index_dir=args.index))
    questions = [q for path in args.train for q in read_labelled(path)]
    for path in args.train:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            STYLES[str(record["id"])] = str(record.get("style", "-"))
    examples = T.make_examples(engine.extractor, questions, engine.prepare_many([q.question for q in questions]))
    probe = Probe(engine)
    variants: list[tuple[str, Signals | None, tuple[str, ...]]] = [
        ("shipped", None, ()),
        ("tokens", token_signals(probe), TOKEN_SIGNALS),
        ("words", word_signals(probe), ("words_min", "words_mean", "words_focus")),
        ("predicate", predicate_signals(probe), ("predicate_similarity", "predicate_near", "lift")),
    ]
    rows = []
    for name, extra, names in variants:
        totals = run(engine.extractor, examples, extra, names)
        rows.append({"variant": name, **totals})
        print(name, totals, flush=True)
    if args.out:
        command = "bench/answer_model/extra_signals.py " + " ".join(sys.argv[1:])
        args.out.write_text(json.dumps({"command": command, "rows": rows}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
