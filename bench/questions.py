"""Distinct benchmark questions about the articles of a corpus, so that no cache helps a measured request.

Users ask new questions; a benchmark that repeats a few questions measures caches. ``question_pool``
makes thousands of different questions from a corpus directory, in an order that visits every
article before returning to one (a slice of the pool spreads over the corpus):

- the hand-written eval questions (``../shared/eval/bbc_*.jsonl``, holdout) whose article is in the corpus;
- one question per headline (``What was reported about <headline>?``);
- up to four cloze questions per body sentence: its first and last numbers become "how many" (``Quarterly
  profits at US media giant TimeWarner jumped how many to $1.13bn...?``), its first and last capitalised
  names after the first word "who or what"; sentences with neither are skipped.

Every question is English (it holds a question word), at most ``MAX_WORDS`` words, and appears once.
``QuestionSource`` hands out disjoint slices and fails when the pool runs out, so a run never repeats one.

    python -m bench.questions bench/work/corpus-bbc-200 | head
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from itertools import zip_longest
from pathlib import Path

from bench.corpora import EVAL, ROOT

MAX_WORDS = 30
MIN_WORDS = 6
HOLDOUT = ROOT / "eval" / "bbc_holdout.jsonl"
EVAL_SETS = (
    EVAL["bbc_dev"],
    EVAL["bbc_dev"].with_name("bbc_train_a.jsonl"),
    EVAL["bbc_dev"].with_name("bbc_train_b.jsonl"),
    HOLDOUT,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”']?\s+(?=[\"“'A-Z0-9])")
_NUMBER = re.compile(r"^[$£€]?\d[\d,.]*(%|bn|m|k)?$")
_UNITS = frozenset("million billion bn m per cent percent % pounds dollars euros tonnes years".split())
_NAME = re.compile(r"^[A-Z][a-z]+$")


def _asked(words: list[str], at: int, follows: Callable[[str], bool], asked: str) -> str:
    """``words`` with the phrase starting at ``at`` (and the words after it that ``follows``) replaced by ``asked``."""
    end = at + 1
    while end < len(words) and follows(words[end]):
        end += 1
    return " ".join([*words[:at], asked, *words[end:]]) + "?"


def _cloze(sentence: str) -> list[str]:
    """Questions from one sentence: its first and last numbers asked for ("how many"), its first and last
    names after word one asked for ("who or what"); none when the sentence is short or has neither."""
    words = sentence.rstrip(".!?\"'”").split()[:MAX_WORDS]
    if len(words) < MIN_WORDS:
        return []
    numbers = [i for i, w in enumerate(words) if _NUMBER.match(w.strip("(),"))]
    names = [i for i, w in enumerate(words) if i and _is_name(w) and not _is_name(words[i - 1])]
    out = [
        _asked(words, i, lambda w: w.lower().strip("(),") in _UNITS, "how many") for i in numbers[:1] + numbers[1:][-1:]
    ]
    out += [_asked(words, i, _is_name, "who or what") for i in names[:1] + names[1:][-1:]]
    return out


def _is_name(word: str) -> bool:
    return bool(_NAME.match(word.strip("(),'’s")))


def article_questions(path: Path) -> list[str]:
    """The headline question, then the cloze questions of each body sentence in order."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    headline, body = lines[0], " ".join(line for line in lines[1:] if line)
    out = [f"What was reported about {headline.rstrip('.?!')}?"] if headline else []
    for sentence in _SENTENCE_END.split(body):
        out.extend(_cloze(sentence.strip()))
    return out


def _eval_questions(doc_ids: set[str]) -> list[str]:
    out = []
    for path in EVAL_SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            if row.get("doc_id") in doc_ids:
                out.append(str(row["question"]).strip())
    return out


def question_pool(corpus: Path) -> list[str]:
    """Every distinct question for the articles under ``corpus`` (``<section>/<n>.txt``), round-robin
    over articles: eval questions first, then each article's headline question, then its next sentence's."""
    files = sorted(corpus.rglob("*.txt"))
    doc_ids = {f"{p.parent.name}-{p.stem}" for p in files}
    per_article = [article_questions(p) for p in files]
    ordered = _eval_questions(doc_ids) + [q for row in zip_longest(*per_article) for q in row if q is not None]
    return list(dict.fromkeys(ordered))


class QuestionSource:
    """Hands out consecutive, disjoint slices of a pool; ``take`` fails instead of repeating a question.

    ``restart`` hands the pool out again from its start: for a new round of fresh server processes,
    none of which has seen a question (no process gets one twice, and caches live in processes)."""

    def __init__(self, pool: list[str]) -> None:
        self.pool = pool
        self.used = 0

    def restart(self) -> None:
        self.used = 0

    def take(self, count: int) -> list[str]:
        if self.used + count > len(self.pool):
            raise RuntimeError(
                f"question pool exhausted: {count} more wanted, {len(self.pool) - self.used} left of "
                f"{len(self.pool)}; lower --rounds or the request counts"
            )
        self.used += count
        return self.pool[self.used - count : self.used]


def _main() -> Iterator[str]:
    yield from question_pool(Path(sys.argv[1]))


if __name__ == "__main__":
    for question in _main():
        print(question)
