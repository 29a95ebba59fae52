"""Sentence segmenters with character spans, measured for citeqa's answer step (issue 13, item 6).

Two measurements, for citeqa's own ``sentence_spans``, pysbd (``char_span=True``) and syntok:

1. ``bench/data/sentence_boundaries.jsonl``: short hand-written texts with their sentences as a careful
   reader splits them (titles; a.m./p.m.; U.S.; No., Fig., Univ., approx., e.g., incl., etc.; initials;
   decimals, money and versions; ellipses inside and outside quotations; quotations ending in ``?``/``!``;
   brackets; Markdown headings, list items and table rows; hard-wrapped lines). Each sentence is verbatim
   from its text, in order, trimmed; a table's ``|---|`` row is no sentence. Figures: boundary precision,
   recall and F1 (a boundary is the start of every sentence but the first), and the share of texts
   segmented exactly right; ``wrong`` lists the texts that are not, with what the segmenter gave.
2. BBC News paragraphs (no gold labels): how often a sentence ends on a title, an initial or another
   abbreviation that is followed by a capitalised word (a likely false cut), how often a sentence holds
   a stop after a lower-case word of 4+ letters or a number ("$1.13bn.", "2004.") followed by a word
   that usually starts a sentence ("The", "It", "But"...: a likely missed cut), milliseconds per article,
   and boundary precision and recall against syntok's boundaries (agreement, not correctness).

How each segmenter is given a text (the key in the output):

- ``citeqa``: the whole text, as the index calls ``sentence_spans`` (one document at a time), so its
  own line-break rules (headings and list items end a sentence, a hard-wrapped line does not) apply;
- ``citeqa_by_line``: one line at a time, the harness of earlier runs;
- ``pysbd``, ``syntok``: one line at a time, since neither ends a sentence at a heading or a list item
  without a stop (a hard-wrapped sentence is then cut at its line breaks);
- ``syntok_whole``: the whole text (syntok joins the lines of a paragraph).

    .venv/bin/pip install pysbd syntok   # or: pip install -e ".[bench]"
    .venv/bin/python bench/sentence_boundaries.py --bbc ../shared/datasets/bbc-news --articles 300 \\
        --out bench/results/sentence_boundaries.json
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from citeqa.index.text.sentences import sentence_spans

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "data" / "sentence_boundaries.jsonl"
Spans = list[tuple[int, int]]
_LINE = re.compile(r"[^\n]+")
_FALSE_CUT = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|No|Gen|Col|Lt|Sgt|Rev|Gov|Sen|Rep|Jr|Sr|Univ|Dept|vs|U\.S|U\.K|a\.m|p\.m)"
    r"|(?<![\w.&])[A-Z])\.$"
)
_MISSED_CUT = re.compile(
    r"(?:\b[a-z]{4,}|\d(?:%|bn|m)?)[.!?][\"”’']?\s+(?:The|It|He|She|They|But|In|This|We|A|Its|His|Her|Mr|And)\s"
)


def by_line(segment: Callable[[str], Spans]) -> Callable[[str], Spans]:
    def run(text: str) -> Spans:
        spans: Spans = []
        for line in _LINE.finditer(text):
            spans.extend((line.start() + s, line.start() + e) for s, e in segment(line.group(0)))
        return spans

    return run


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    piece = text[start:end]
    if not piece.strip():
        return None
    lead = len(piece) - len(piece.lstrip())
    return start + lead, start + lead + len(piece.strip())


def pysbd_segmenter() -> Callable[[str], Spans]:
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def run(text: str) -> Spans:
        found = [_trim(text, s.start, s.end) for s in segmenter.segment(text)]
        return [span for span in found if span]

    return run


def syntok_segmenter() -> Callable[[str], Spans]:
    from syntok import segmenter

    def run(text: str) -> Spans:
        spans: Spans = []
        for paragraph in segmenter.analyze(text):
            for sentence in paragraph:
                tokens = [t for t in sentence if t.value]
                if tokens:
                    span = _trim(text, tokens[0].offset, tokens[-1].offset + len(tokens[-1].value))
                    if span:
                        spans.append(span)
        return spans

    return run


SEGMENTERS: dict[str, Callable[[], Callable[[str], Spans]]] = {
    "citeqa": lambda: sentence_spans,
    "citeqa_by_line": lambda: by_line(sentence_spans),
    "pysbd": lambda: by_line(pysbd_segmenter()),
    "syntok": lambda: by_line(syntok_segmenter()),
    "syntok_whole": syntok_segmenter,
}


def gold_figures(segment: Callable[[str], Spans]) -> dict[str, object]:
    cases = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp = fp = fn = exact = 0
    wrong = []
    for case in cases:
        text, expected = case["text"], case["sentences"]
        spans = segment(text)
        got = [text[s:e] for s, e in spans]
        gold_starts = _starts(text, expected)
        got_starts = {s for s, _ in spans} - {min((s for s, _ in spans), default=0)}
        tp += len(gold_starts & got_starts)
        fp += len(got_starts - gold_starts)
        fn += len(gold_starts - got_starts)
        if got == expected:
            exact += 1
        else:
            wrong.append({"text": text, "got": got})
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "texts": len(cases),
        "boundary_precision": round(precision, 4),
        "boundary_recall": round(recall, 4),
        "boundary_f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "exact": round(exact / len(cases), 4),
        "wrong": wrong,
    }


def _starts(text: str, sentences: list[str]) -> set[int]:
    starts, cursor = [], 0
    for sentence in sentences:
        at = text.index(sentence, cursor)
        starts.append(at)
        cursor = at + len(sentence)
    return set(starts[1:])


def bbc_figures(
    segment: Callable[[str], Spans], articles: list[str], reference: list[Spans] | None = None
) -> dict[str, float]:
    started = time.perf_counter()
    results = [(text, segment(text)) for text in articles]
    elapsed = time.perf_counter() - started
    agreement = _agreement([spans for _, spans in results], reference) if reference else {}
    sentences = false_cuts = missed = 0
    for text, spans in results:
        for i, (start, end) in enumerate(spans):
            piece = text[start:end]
            sentences += 1
            following = text[spans[i + 1][0] : spans[i + 1][0] + 1] if i + 1 < len(spans) else ""
            if _FALSE_CUT.search(piece) and following[:1].isupper():
                false_cuts += 1
            missed += len(_MISSED_CUT.findall(piece))
    return {
        "articles": len(articles),
        "sentences": sentences,
        "likely_false_cuts": false_cuts,
        "likely_missed_cuts": missed,
        "ms_per_article": round(1000 * elapsed / max(len(articles), 1), 3),
        **agreement,
    }


def _agreement(got: list[Spans], reference: list[Spans]) -> dict[str, float]:
    """Boundary precision and recall against another segmenter's boundaries (silver labels)."""
    tp = fp = fn = 0
    for mine, theirs in zip(got, reference, strict=True):
        a, b = {s for s, _ in mine[1:]}, {s for s, _ in theirs[1:]}
        tp, fp, fn = tp + len(a & b), fp + len(a - b), fn + len(b - a)
    return {
        "vs_syntok_precision": round(tp / max(tp + fp, 1), 4),
        "vs_syntok_recall": round(tp / max(tp + fn, 1), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bbc", type=Path, help="the bbc-news folder (section/NNN.txt files)")
    parser.add_argument("--articles", type=int, default=300, help="BBC articles to segment (every k-th file)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    articles: list[str] = []
    if args.bbc:
        files = sorted(args.bbc.glob("*/*.txt"))
        step = max(1, len(files) // args.articles)
        articles = [f.read_text(encoding="utf-8", errors="replace") for f in files[::step][: args.articles]]
    report: dict[str, object] = {"command": "python bench/sentence_boundaries.py " + " ".join(_argv(args))}
    syntok = by_line(syntok_segmenter())
    reference = [syntok(text) for text in articles]
    for name, make in SEGMENTERS.items():
        segment = make()
        figures: dict[str, object] = {"gold": gold_figures(segment)}
        if articles:
            figures["bbc"] = bbc_figures(segment, articles, reference)
        report[name] = figures
        gold = figures["gold"]
        assert isinstance(gold, dict)
        print(f"{name:14s} gold: P={gold['boundary_precision']} R={gold['boundary_recall']} "
              f"F1={gold['boundary_f1']} exact={gold['exact']}  bbc: {figures.get('bbc')}")  # fmt: skip
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _argv(args: argparse.Namespace) -> list[str]:
    out = []
    if args.bbc:
        out += ["--bbc", str(args.bbc), "--articles", str(args.articles)]
    if args.out:
        out += ["--out", str(args.out)]
    return out


if __name__ == "__main__":
    main()
