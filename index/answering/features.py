"""Features of candidate answer sentences and of a question's answerability.

Nothing here is weighted by hand: ``candidate_features`` describes each sentence of the
retrieved passages by a dozen meaningful numbers, ``answer_signals`` describes the best
sentence (once a ranker has chosen it) and its article by another dozen, and the weights of
both come from labelled questions (``citeqa.index.answering.ranker``,
``citeqa.index.answering.abstention``, ``citeqa calibrate``).

All features are in [0, 1] (or close to it) so that L2-regularised fits on a few hundred
questions stay well conditioned.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Container, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from functools import cached_property

from citeqa.index.domain import Document
from citeqa.index.retrieval.hybrid import Passage
from citeqa.index.store.lexical import LexicalIndex
from citeqa.index.store.terms import ContentTerms, sentence_terms, title_terms, whole_terms
from citeqa.index.text import tables
from citeqa.index.text.people import accepts_organisation, asks_for_person, new_people
from citeqa.index.text.questions import (
    MONTH_WORD,
    focus_terms,
    question_type,
    specific_terms,
    surface_words,
    type_match,
    without_contractions,
    without_question_form,
)
from citeqa.index.text.specificity import specificity
from citeqa.index.text.tokens import (
    STOPWORDS,
    ambiguous_inflections,
    as_matched,
    content_terms,
    inflections,
    lemma,
    surface_stem,
    words,
)

CANDIDATE_FEATURES: tuple[str, ...] = (
    "similarity",
    "similarity_gap",
    "previous_gap",
    "next_gap",
    "coverage",
    "context",
    "focus",
    "type",
    "echo",
    "passage",
    "doc_rank",
    "headline",
    "lead",
    "pronoun",
    "length",
    "subject",
    "predicate",
    "type_subject",
    "type_predicate",
    "type_number",
    "type_name",
    "person",
    "person_missing",
)
CANDIDATE_HELP: dict[str, str] = {
    "similarity": "cosine similarity of the question and the sentence",
    "similarity_gap": "similarity minus the best similarity among the question's candidates (<= 0)",
    "previous_gap": "similarity of the sentence before minus the best similarity (-1 when it is not a candidate)",
    "next_gap": "similarity of the sentence after minus the best similarity (-1 when it is not a candidate)",
    "coverage": "idf-weighted share of the question's terms in the sentence (a shared 5-letter prefix counts half)",
    "context": "the same share in the sentence, its neighbours and the headline",
    "focus": "share of the words that say what is asked for (after the wh-word) held by the sentence",
    "type": "1 when the sentence holds the kind of thing asked for (name, date, amount, place, cause), 0 when not",
    "echo": "share of the sentence's terms that are question terms (1: it only restates the question)",
    "passage": "fused retrieval score of the passage holding the sentence (1 = first in both rankings)",
    "doc_rank": "1 / (1 + rank of the sentence's article among the retrieved articles)",
    "headline": "1 for the article's headline line (its first sentence, when that is the title word for word)",
    "lead": "1 for the article's first sentence after the headline (its first, when it opens with none)",
    "pronoun": "1 when the sentence starts with a pronoun or 'the company'-like partial subject",
    "length": "log of the sentence length in characters, divided by 6",
    "subject": "share of the question's names and numbers in the sentence, the one before or the headline (1: none)",
    "predicate": "idf-weighted share of the question's other terms (what is said of the subject) in the sentence",
    "type_subject": "type x subject: the kind of thing asked for, next to the question's subject",
    "type_predicate": "type x predicate: the kind of thing asked for, in a sentence saying what was asked",
    "type_number": "type, for questions asking for a date, number or score (else 0)",
    "type_name": "type, for questions asking for a person, organisation or name (else 0)",
    "person": "1 when the question asks for a person and the sentence names one it does not (else 0)",
    "person_missing": "1 when the question asks for a person and the sentence names none it does not (else 0)",
}
NUMBER_KINDS = frozenset({"when", "amount", "score"})  # questions asking for a number or a date
_NAME_KINDS = frozenset({"who", "name"})
_PRONOUN = re.compile(
    r"^[\"“]?(?:he|she|it|they|his|her|its|their|this|these|those|there|such|the (?:company|firm|group|club|"
    r"player|band|singer|star|actor|film|bank|government|minister|chancellor|party|team|side|firm's|company's|"
    r"move|deal|report|study|survey|plan|bill|game|show|album|device|service|site|new))\b",
    re.IGNORECASE,
)
SpanLookup = Callable[[str], Sequence[tuple[int, int]]]


class DocumentTerms:
    """Content terms of one document: its ``title``, each sentence (``spans``, offsets into the text) and
    ``every`` term of the title and text together. Read from the index's ``stored`` terms when it has
    them (``citeqa.index.store.terms``: computed by the build, the same terms), else tokenised; either
    way each is made when first asked for and kept (the extractor caches the object per document), so a
    question reads only the sentences its features read, and none twice."""

    def __init__(self, doc: Document, spans: Sequence[tuple[int, int]], stored: ContentTerms | None = None) -> None:
        self._doc = doc
        self._spans = spans
        self._stored = stored
        self._sentences: dict[int, frozenset[str]] = {}
        self.title = stored.title(doc.doc_id) if stored is not None else frozenset(title_terms(doc))

    def sentence(self, i: int) -> frozenset[str]:
        """Terms of sentence ``i`` (empty outside the document)."""
        known = self._sentences.get(i)
        if known is None:
            if not 0 <= i < len(self._spans):
                return frozenset()
            if self._stored is not None:
                known = self._sentences[i] = self._stored.sentence(self._doc.doc_id, i)
            else:
                known = self._sentences[i] = frozenset(sentence_terms(self._doc, self._spans[i]))
        return known

    @cached_property
    def every(self) -> frozenset[str]:
        if self._stored is not None:
            return self._stored.whole(self._doc.doc_id)
        return frozenset(whole_terms(self._doc))


def document_terms(
    doc: Document, spans: Sequence[tuple[int, int]], stored: ContentTerms | None = None
) -> DocumentTerms:
    """``doc``'s terms by sentence ``spans`` (character offsets into ``doc.text``), read from ``stored``
    (the index's, when it has them) or tokenised, lazily."""
    return DocumentTerms(doc, spans, stored)


TermLookup = Callable[[str], DocumentTerms]


@dataclass(frozen=True)
class QuestionTerms:
    """A question's terms: ``weights`` maps every content term to its idf (the highest idf when the
    corpus never uses it), ``absent`` lists the terms no document holds, ``asks_person`` whether it
    asks for a person (``citeqa.index.text.people``)."""

    text: str
    kind: str
    weights: dict[str, float]
    specific: tuple[str, ...]
    focus: tuple[str, ...]
    absent: tuple[str, ...]
    asks_person: bool = False


@dataclass(frozen=True)
class Candidate:
    """A sentence ``document.text[start:end]`` that may answer, with its features and, once ranked, score.
    ``features`` holds ``CANDIDATE_FEATURES`` and, when the kind of thing asked for is in the next sentence
    (``_carry_types``), ``carried`` = 1.0."""

    doc_id: str
    start: int
    end: int
    index: int
    features: dict[str, float]
    score: float = 0.0
    similarity: float = 0.0

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.doc_id, self.start, self.end)


@dataclass(frozen=True)
class Prepared:
    """Everything the learned models need about one question: its terms, passages and candidates."""

    question: QuestionTerms
    passages: tuple[Passage, ...]
    candidates: tuple[Candidate, ...]
    extra: dict[str, float] = field(default_factory=dict)


# a compound of letters joined by hyphens: "Wi-Fi", "e-mail", "co-operate" (not "6-in-1", "2024-25")
_HYPHENATED = re.compile(r"(?<![\w-])[^\W\d_]+(?:-[^\W\d_]+)+(?![\w-])")


# a group of letters or digits, and what may join two into one name: a hyphen or a space
_GROUP = re.compile(r"[^\W_]+")
MAX_CODE_GROUPS = 4  # "DW 60-2" is three


def hyphenated(texts: Iterable[str], codes: bool = False) -> dict[str, str]:
    """The compounds written with hyphens in ``texts``, by the word they make written as one, case-folded:
    {"wifi": "Wi-Fi", "email": "e-mail"} (the first spelling met). With ``codes``, also the names of letters
    and digits written with hyphens or spaces, each run of up to ``MAX_CODE_GROUPS`` groups holding a digit
    and a letter: {"wm8400x": "WM-8400X", "dw602": "DW 60-2", "dw60": "DW 60", "5ghz": "5 GHz"} (what a
    customer types as "wm8400x" or "dw60-2")."""
    found: dict[str, str] = {}
    for text in texts:
        for m in _HYPHENATED.finditer(text):
            found.setdefault(m.group(0).replace("-", "").casefold(), m.group(0))
        if codes:
            groups = list(_GROUP.finditer(text))
            for i, first in enumerate(groups):
                for j in range(i + 1, min(i + MAX_CODE_GROUPS, len(groups))):
                    if text[groups[j - 1].end() : groups[j].start()] not in ("-", " "):
                        break
                    written = text[first.start() : groups[j].end()]
                    joined = "".join(g.group(0) for g in groups[i : j + 1])
                    edge = groups[j].end() < len(text) and text[groups[j].end()] in "-_"
                    if not edge and any(c.isdigit() for c in joined) and not joined.isdigit():
                        found.setdefault(joined.casefold(), written)
    return found


def agent_root(term: str, vocab: Container[str]) -> str:
    """The root in ``vocab`` of ``term``, a stemmed "-er" or "-or" noun that ``vocab`` lacks ("washer": "wash",
    "heater": "heat", "dryer": "dri", as "drying" stems); else ``term`` unchanged."""
    if term in vocab or len(term) < 5 or not term.endswith(("er", "or")):
        return term
    root = term[:-2]
    return next((r for r in (root, root[:-1] + "i" if root.endswith("y") else "") if r in vocab), term)


def parse_question(
    question: str,
    lexical: LexicalIndex,
    compounds: Callable[[], Mapping[str, str]] | None = None,
    spelt_out: Callable[[str], str | None] | None = None,
) -> QuestionTerms:
    """Stemmed content terms of ``question`` (question-form words such as "how large" removed) with idf.
    ``compounds`` gives the corpus's hyphenated compounds (``hyphenated``), read only when a word of the
    question is no term of the index: a word the corpus writes with hyphens is read as the corpus writes it
    ("whats the wifi password" over "Free Wi-Fi ...": "wi", "fi"). ``spelt_out`` gives how the corpus writes
    out a short word of the question no term of the index matches, read as an acronym ("when are the bsl
    tours" over "British Sign Language tours ...")."""
    asked = without_contractions(without_question_form(question))
    if spelt_out is not None:
        for word in dict.fromkeys(w for w in words(asked) if 2 <= len(w) <= 5 and w.isalpha()):
            if surface_stem(word) not in lexical.vocab and (spelling := spelt_out(word)) is not None:
                asked = re.sub(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", spelling, asked, flags=re.IGNORECASE)
    if compounds is not None and any(t not in lexical.vocab for t in content_terms(asked)):
        known = compounds()
        # a word, or a piece between spaces ("dw60-2"), that the corpus writes with hyphens or spaces
        pieces = [p.strip(".,;:!?()\"'") for p in asked.split()]
        for written in dict.fromkeys([*words(asked), *pieces]):
            joined = re.sub(r"[\W_]", "", written).casefold()
            if joined in known and any(t not in lexical.vocab for t in content_terms(written)):
                pattern = r"(?<![\w-])" + re.escape(written) + r"(?![\w-])"
                asked = re.sub(pattern, known[joined], asked, flags=re.IGNORECASE)
    # an "-er" noun the index lacks, of a word it has: "washer" where the pages say "washing machine"
    terms = [agent_root(t, lexical.vocab) for t in content_terms(asked)]
    # a term the index lacks may be there as written ("met", read as "meet") or as an irregular form of
    # the word asked ("meet" asked, "met" written): looked up as whichever the index has; a form that other
    # words share ("found": find or found; "rewrote") is read as the text writes it, term and all
    forms, shared = _written_forms(asked) if any(t not in lexical.vocab for t in terms) else ({}, {})

    def indexed(term: str) -> str:
        if term in lexical.vocab:
            return term
        return next((f for f in (*forms.get(term, ()), *shared.get(term, ())) if f in lexical.vocab), term)

    named = {t: f for t in terms if (f := indexed(t)) in shared.get(t, ()) and f not in forms.get(t, ())}
    terms = list(dict.fromkeys(named.get(t, t) for t in terms))
    weights = {t: lexical.term_idf(indexed(t)) for t in terms}
    absent = tuple(t for t in terms if indexed(t) not in lexical.vocab)
    return QuestionTerms(
        question,
        question_type(question),
        weights,
        tuple(dict.fromkeys(named.get(t, t) for t in specific_terms(question))),
        tuple(dict.fromkeys(named.get(t, t) for t in focus_terms(question))),
        absent,
        asks_for_person(question) and not accepts_organisation(question),
    )


def _written_forms(text: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each content term of ``text`` (as ``content_terms`` reads it) -> the stems of the word as written
    and of its irregular forms ("meet" -> ["meet", "met"]), as the lexical index may hold them; and -> the
    stems of its forms that are other words' too ("find" -> ["found"]: ``ambiguous_inflections``)."""
    forms: dict[str, list[str]] = {}
    shared: dict[str, list[str]] = {}
    for word in words(text):
        if word not in STOPWORDS:
            term = surface_stem(lemma(word))
            forms.setdefault(term, []).extend(surface_stem(f) for f in (word, *inflections(word)))
            shared.setdefault(term, []).extend(surface_stem(f) for f in ambiguous_inflections(lemma(word)))
    return forms, shared


def coverage(weights: Mapping[str, float], present: Set[str]) -> float:
    """Weighted share (0-1) of ``weights``' terms in ``present``; a shared 5-letter prefix counts half."""
    return coverage_of(Weighed.of(weights), present, _prefixes(present))


def _prefixes(terms: Set[str]) -> frozenset[str]:
    return frozenset(t[:5] for t in terms if len(t) >= 5)


@dataclass(frozen=True)
class Weighed:
    """Weighted terms prepared once for many ``coverage_of`` calls: ``items`` in the mapping's order, ``total``."""

    items: tuple[tuple[str, float], ...]
    total: float

    @classmethod
    def of(cls, weights: Mapping[str, float]) -> Weighed:
        return cls(tuple(weights.items()), sum(weights.values()))


def coverage_of(weighed: Weighed, present: Set[str], prefixes: Set[str]) -> float:
    """``coverage`` given the ``present`` terms and their 5-letter ``prefixes`` (or any sets holding the
    same of the weighed terms and of their prefixes): the same sums in the same order, so the same floats."""
    if weighed.total <= 0:
        return 0.0
    got = 0.0
    for term, weight in weighed.items:
        if term in present:
            got += weight
        elif len(term) >= 5 and term[:5] in prefixes:
            got += weight / 2
    return got / weighed.total


class _Hits:
    """The question's terms (and 5-letter prefixes) found in each sentence of the documents a question's
    candidates come from, each sentence intersected once: a candidate's coverage of its sentence, the
    one before, the headline and the one after is then read from a few small sets."""

    def __init__(self, q: QuestionTerms) -> None:
        self.terms = frozenset(q.weights) | frozenset(q.specific) | frozenset(q.focus)
        self.prefixes = _prefixes(self.terms)
        self._known: dict[tuple[str, int], tuple[frozenset[str], frozenset[str]]] = {}

    def sentence(self, doc_id: str, known: DocumentTerms, i: int) -> tuple[frozenset[str], frozenset[str]]:
        """The hits in sentence ``i`` of ``doc_id`` (whose terms are ``known``); none outside the document."""
        return self._of((doc_id, i), known.sentence(i) if i >= 0 else frozenset())

    def title(self, doc_id: str, known: DocumentTerms) -> tuple[frozenset[str], frozenset[str]]:
        """The hits in the headline of ``doc_id``."""
        return self._of((doc_id, -1), known.title)

    def _of(self, key: tuple[str, int], terms: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
        hits = self._known.get(key)
        if hits is None:
            found = self.terms & terms
            if len(found) < len(self.terms):  # the question's prefixes that the sentence's terms have
                asked = self.prefixes
                prefixes = frozenset(p for t in terms if len(t) >= 5 and (p := t[:5]) in asked)
            else:
                prefixes = self.prefixes
            hits = self._known[key] = (found, prefixes)
        return hits


def opens_with_title(doc: Document, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether the first sentence of ``doc`` is its headline line, the title word for word (a BBC article's
    first line; a Markdown heading's "# " marks aside), not the body's first sentence (a Markdown file whose
    title is in its front matter)."""
    return bool(spans) and words(doc.text[spans[0][0] : spans[0][1]]) == words(doc.title)


# what marks a line as a heading rather than a sentence: Markdown's "#", a line in bold ("**Is there a free
# trial?**"), or no closing punctuation (a table row, "| P1 | 2 hours |", or a list item, "- 28 days", is a
# fact, not a heading)
_HEADING_LINE_MARKS = re.compile(r"^(?:#{1,6}\s|\*\*.*\*\*$|__.*__$)")
# what makes a Markdown heading a fact: a release's number, a full date, a quarter
_DATED_HEADING = re.compile(
    r"(?<![\d.])\d{1,3}\.\d+(?:\.\d+)*\b|\b\d{4}-\d\d-\d\d\b|\bQ[1-4]\b|\bH[12]\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?i:" + MONTH_WORD + r")\.?\s+\d{4}\b"
    r"|\b(?i:" + MONTH_WORD + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b"
)
_SENTENCE_END = re.compile(r"[.!:;…\"”’')\]]$")
_NOT_A_HEADING = re.compile(r"^(?:[|*•–-]|\d+[.)]\s)")
# a line holding a number, a fixture ("Ipswich v Bolton"), a pairing ("Animation - Brush Head") or a list is a
# fact set out as a line, not a heading
_A_FACT = re.compile(r"\d|\sv\s|\s[-–—]\s|[,:|]")


_TABLE_OPENINGS = frozenset("|-:")
_FENCE_ALONE = re.compile(r"(?:```|~~~)[\w+#.-]*")
_NO_ROW = (tables.Role.HEADER, tables.Role.SEPARATOR)  # a table's lines that hold no fact of their own


def header_index(text: str, spans: Sequence[tuple[int, int]], start: int) -> int | None:
    """The index in ``spans`` of the sentence that is the header row of the table row starting at ``start``."""
    header = tables.header_of(text, start)
    if header is None:
        return None
    j = bisect_left(spans, (header[0],))
    return j if j < len(spans) and spans[j][0] < header[1] else None


HEADING = "heading"  # marks a candidate that is a heading line (``heading_line``), not one of the ranker's features


def heads_text(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` says nothing of its own: a heading line (``heading_line``), a table's header
    or separator row, or a code block's fence alone ("```")."""
    return heading_line(text, start, end) or table_role(text, start, end) in _NO_ROW or is_fence(text[start:end])


def table_role(text: str, start: int, end: int) -> tables.Role:
    """``tables.role`` of the sentence ``text[start:end]``, read only when it can be a table's line: one opening
    with a bar, a dash or a colon ("|---|", ":--|--:"); the rest are ``Role.NONE`` without a look."""
    return tables.role(text, start, end) if text[start : start + 1] in _TABLE_OPENINGS else tables.Role.NONE


def is_fence(sentence: str) -> bool:
    """Whether ``sentence`` is a Markdown code fence alone ("```", "```powershell"): nothing to quote."""
    stripped = sentence.strip()
    return stripped[:1] in "`~" and _FENCE_ALONE.fullmatch(stripped) is not None


def heading_line(text: str, start: int, end: int) -> bool:
    """Whether the sentence ``text[start:end]`` is a line of its own that heads what follows rather than
    saying something: a Markdown heading ("## Annual leave"), a line in bold ("**Is there a free
    trial?**"), a question on its own line (an FAQ's), or a line of at most 8 words without closing
    punctuation, numbers or separators ("Cost", "Core hours", "Winners meet in final match"); every sentence
    of a Markdown heading is ("## I've lost my card. What should I do?"). A heading is never an answer: a
    new user's FAQ had "What discount do customers get?" answered with "**What plans are available?**"
    alone. Table rows, list items, a Markdown heading dating or numbering a release or a news item ("##
    v2.3.1 (2024-10-30)", "### 3 November 2025: new phone line"; not a year or an accession number, "## The
    fire of 1927", "## Clock (1967.21.3)") and lines such as "9,796", "Ipswich v Bolton" or "Animation -
    Brush Head" (BBC results and award lists) are not headings."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    whole = text[line_start:line_end].strip()
    if _HEADING_LINE_MARKS.match(whole):
        # every sentence of it ("## I've lost my card. What should I do?"), unless it dates or numbers a release
        # or a news item ("## v2.3.1 (2024-10-30)", "### 3 November 2025: new phone line"); a year or a
        # museum's accession number is part of a name ("## The fire of 1927", "## Clock (1967.21.3)")
        return whole.endswith("?") or not _DATED_HEADING.search(whole)
    if text[line_start:start].strip() or text[end:line_end].strip():
        return False
    line = text[start:end].strip()
    if line.endswith("?"):
        return True
    if _NOT_A_HEADING.match(line) or _SENTENCE_END.search(line) or _A_FACT.search(line):
        return False
    return len(line.split()) <= 8


def candidate_features(
    q: QuestionTerms,
    passages: Sequence[Passage],
    documents: Mapping[str, Document],
    spans_of: SpanLookup,
    terms_of: TermLookup,
) -> list[Candidate]:
    """The sentences starting inside ``passages`` (each once, in passage order) with their lexical
    features; ``similarity`` and ``similarity_gap`` are 0 until ``with_similarity`` fills them."""
    doc_order = list(dict.fromkeys(p.doc_id for p in passages))
    seen: set[tuple[str, int]] = set()
    out: list[Candidate] = []
    every = Weighed.of(q.weights)
    asked = set(q.weights)
    hits = _Hits(q)
    specific = Weighed.of(dict.fromkeys(q.specific, 1.0))
    rest = Weighed.of({t: w for t, w in q.weights.items() if t not in q.specific})
    focus = Weighed.of(dict.fromkeys(q.focus, 1.0)) if q.focus else None
    rank_of = {doc_id: 1.0 / (1 + rank) for rank, doc_id in enumerate(doc_order)}
    for passage in passages:
        doc = documents[passage.doc_id]
        spans = spans_of(doc.doc_id)
        known = terms_of(doc.doc_id)
        lead = 1 if opens_with_title(doc, spans) else 0  # the first sentence after the headline line, if any
        # the sentences starting inside the passage (spans are sorted; (start,) sorts before (start, end))
        first = bisect_left(spans, (passage.start,))
        for i in range(first, len(spans)):
            start, end = spans[i]
            if start >= passage.end:
                break
            if (doc.doc_id, start) in seen:
                continue
            seen.add((doc.doc_id, start))
            sentence = doc.text[start:end]
            present = known.sentence(i)
            own, own_prefixes = hits.sentence(doc.doc_id, known, i)
            in_table = table_role(doc.text, start, end)
            if in_table is tables.Role.ROW and (header := header_index(doc.text, spans, start)) is not None:
                # a table's row says what it says under its header: "| D | £2,268.60 |" is Band D's annual charge
                heads, head_prefixes = hits.sentence(doc.doc_id, known, header)
                own, own_prefixes = own | heads, own_prefixes | head_prefixes
            title, title_prefixes = hits.title(doc.doc_id, known)
            last, last_prefixes = hits.sentence(doc.doc_id, known, i - 1)
            following, following_prefixes = hits.sentence(doc.doc_id, known, i + 1)
            before, before_prefixes = own | title | last, own_prefixes | title_prefixes | last_prefixes
            # names and numbers are read as matching reads them: fullwidth "Ｈｅｌｇａ Ｂｒｕｎｓ" is a name
            read, context = as_matched(sentence), as_matched(doc.text)
            kind = type_match(q.kind, read, q.text, context)
            subject = coverage_of(specific, before, before_prefixes) if q.specific else 1.0
            predicate = coverage_of(rest, own, own_prefixes)
            covered = coverage_of(every, own, own_prefixes)
            features = {
                "coverage": covered,
                "context": coverage_of(every, before | following, before_prefixes | following_prefixes),
                "focus": coverage_of(focus, own, own_prefixes) if focus is not None else covered,
                "type": kind,
                "echo": len(present & asked) / max(len(present), 1),
                "passage": passage.score,
                "doc_rank": rank_of[doc.doc_id],
                "headline": float(i == 0 and lead == 1),
                "lead": float(i == lead),
                "pronoun": float(bool(_PRONOUN.match(sentence))),
                "length": math.log(max(len(sentence), 1)) / 6,
                "subject": subject,
                "predicate": predicate,
                "type_subject": kind * subject,
                "type_predicate": kind * predicate,
                "type_number": kind if q.kind in NUMBER_KINDS else 0.0,
                "type_name": kind if q.kind in _NAME_KINDS else 0.0,
            }
            person = float(bool(new_people(read, q.text, context))) if q.asks_person else 0.0
            features["person"] = person
            features["person_missing"] = 1.0 - person if q.asks_person else 0.0
            if (
                ((i > 0 or not lead) and heading_line(doc.text, start, end))
                or in_table in _NO_ROW
                or is_fence(sentence)
            ):
                features[HEADING] = 1.0  # its similarity counts for its neighbours' gaps; it is never an answer
            out.append(Candidate(doc.doc_id, start, end, i, features))
    if q.kind in NUMBER_KINDS:
        _carry_types(out, documents)
    return out


# a sentence carrying on with the subject of the one before: "She completed it in 1887." (not a quotation:
# '"He did it all by hand," ...' is someone speaking)
_CARRIES_ON = re.compile(r"(?:he|she|it|they)\b", re.IGNORECASE)


def _carry_types(candidates: Sequence[Candidate], documents: Mapping[str, Document]) -> None:
    """For a question asking for a date, number or score: a sentence without one holds it when the next
    sentence carries on with its subject by a pronoun, says nothing else of the question and gives one
    ("The Harrowby lighthouse was built by the engineer Margaret Ellison. She completed it in 1887." for "When
    was the lighthouse built?"). Its type features become the pair's, and ``carried`` marks it: the answer
    quotes both (``Extractor.choose``). Other kinds of question are left alone: a "why" or "where" question
    answered with the next sentence's cause or place gained nothing over 1,920 development questions and
    answered an unanswerable one (`bench/answer_model/RESULTS.md`, fifteenth session)."""
    by_place = {(c.doc_id, c.index): c for c in candidates}
    for c in candidates:
        f = c.features
        if f["type"] != 0.0:
            continue
        follow = by_place.get((c.doc_id, c.index + 1))
        if follow is None or follow.features["type"] != 1.0 or follow.features["coverage"] > 0.0:
            continue
        if not _CARRIES_ON.match(documents[c.doc_id].text[follow.start : follow.end].lstrip()):
            continue
        f["type"] = f["type_number"] = 1.0
        f["type_subject"], f["type_predicate"] = f["subject"], f["predicate"]
        f["carried"] = 1.0


def with_similarity(candidates: Sequence[Candidate], similarities: Sequence[float]) -> list[Candidate]:
    """``candidates`` with their cosine similarity to the question, its gap to the best one and the gaps
    of the sentences before and after (an answer often follows the sentence that restates the question)."""
    best = max(similarities, default=0.0)
    by_place = {(c.doc_id, c.index): s for c, s in zip(candidates, similarities, strict=True)}
    out = []
    for c, s in zip(candidates, similarities, strict=True):
        features = {
            **c.features,
            "similarity": s,
            "similarity_gap": s - best,
            "previous_gap": by_place.get((c.doc_id, c.index - 1), best - 1.0) - best,
            "next_gap": by_place.get((c.doc_id, c.index + 1), best - 1.0) - best,
        }
        out.append(Candidate(c.doc_id, c.start, c.end, c.index, features, 0.0, s))
    return out


SIGNALS: tuple[str, ...] = (
    "coverage",
    "near_missing",
    "doc_missing",
    "rare_missing",
    "specific_missing",
    "unknown",
    "dense",
    "similarity",
    "type_match",
    "focus",
    "echo",
    "top_score",
    "margin",
    "agreement",
    "top_logit",
    "type_top",
    "predicate_missing",
    "focus_near",
    "type_subject",
    "type_absent",
)
SIGNAL_HELP: dict[str, str] = {
    "coverage": "idf-weighted share of the question's terms in the answer sentence, its neighbours and headline",
    "near_missing": "idf-weighted share of the question's terms absent from the answer and two sentences either side "
    "(a word the corpus never uses counts as much as its absence says: see unknown)",
    "doc_missing": "idf-weighted share of the question's terms absent from the answer's whole article",
    "rare_missing": "idf of the rarest question term absent from the answer's article / the highest idf (0: none)",
    "specific_missing": "share of the question's names, years and numbers absent from the answer's article",
    "unknown": "idf-weighted share of the question's terms that no document of the corpus uses, times "
    "how much its absence says (absence_weights: 1 from a thousand documents on; below, less for common English "
    "words): in a handful of documents a plain word's absence says little",
    "dense": "cosine similarity of the question and the best passage",
    "similarity": "cosine similarity of the question and the answer sentence",
    "type_match": "1 when the answer holds the kind of thing asked for (name, date, amount, place, cause)",
    "focus": "share of the words saying what is asked for held by the answer sentence",
    "echo": "share of the answer sentence's terms that are question terms (1: it only restates the question)",
    "top_score": "probability that the answer sentence holds the answer, by the ranker (sigmoid of its score)",
    "margin": "tanh(ranker score lead of the answer sentence over the next one / 2)",
    "agreement": "0.5 for each of the dense and BM25 rankings whose best passage is from the answer's article",
    "top_logit": "ranker score (log-odds) of the answer sentence / 10, clipped to [-1, 1]",
    "type_top": "type_match x top_score: a likely answer sentence that holds the kind of thing asked for",
    "predicate_missing": "idf-weighted share of the question's non-name terms absent from the answer, its neighbours "
    "and the headline (what is asked about the subject, missing around it)",
    "focus_near": "share of the words saying what is asked for held by the answer or its neighbours (1: none asked)",
    "type_subject": "the answer holds the kind of thing asked for next to the question's names (candidate feature)",
    "type_absent": "1 when the question asks for a date, number, score or place and the answer sentence holds none",
}
_CHECKABLE = frozenset({"when", "amount", "score", "where"})
FULL_ABSENCE = 1000  # documents from which a word's absence from the corpus says all it can


def answer_signals(
    prepared: Prepared,
    ranked: Sequence[Candidate],
    documents: Mapping[str, Document],
    terms_of: TermLookup,
    max_idf: float,
) -> dict[str, float]:
    """Answerability signals of the best of ``ranked`` (sorted by ranker score, best first), in [-1, 1]."""
    q = prepared.question
    total = sum(q.weights.values()) or 1.0
    says = absence_weights(q, len(documents))
    unknown = sum(q.weights[t] * says[t] for t in q.absent) / total
    # a word the corpus never uses weighs in the "missing" signals as much as its absence says
    # (fully from a thousand documents on: the BBC corpus is unaffected)
    weights = {t: w * says.get(t, 1.0) for t, w in q.weights.items()}
    passages = prepared.passages
    if not ranked or not passages:
        return {"unknown": round(unknown, 4), "doc_missing": 1.0, "near_missing": 1.0, "rare_missing": 1.0}
    best = ranked[0]
    known = terms_of(best.doc_id)
    near = set(known.title).union(*(known.sentence(i) for i in range(best.index - 2, best.index + 3)))
    close = set(known.title).union(*(known.sentence(i) for i in range(best.index - 1, best.index + 2)))
    predicate = {t: w for t, w in weights.items() if t not in q.specific}
    in_doc = known.every
    missing = [t for t in weights if t not in in_doc]
    second = ranked[1].score if len(ranked) > 1 else best.score - 4.0
    top_dense = max(passages, key=lambda p: p.dense_score)
    top_lexical = max(passages, key=lambda p: p.lexical_score)
    signals = {
        "coverage": best.features["context"],
        "near_missing": 1.0 - coverage(weights, near),
        "doc_missing": 1.0 - coverage(weights, in_doc),
        "rare_missing": max((weights[t] for t in missing), default=0.0) / max_idf,
        "specific_missing": sum(t not in in_doc for t in q.specific) / len(q.specific) if q.specific else 0.0,
        "unknown": unknown,
        "dense": max(p.dense_score for p in passages),
        "similarity": best.similarity,
        "type_match": best.features["type"],
        "focus": best.features["focus"],
        "echo": best.features["echo"],
        "top_score": 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, best.score)))),
        "margin": math.tanh((best.score - second) / 2),
        "agreement": 0.5 * (top_dense.doc_id == best.doc_id) + 0.5 * (top_lexical.doc_id == best.doc_id),
        "top_logit": max(-1.0, min(1.0, best.score / 10)),
        "predicate_missing": 1.0 - coverage(predicate, close) if predicate else 0.0,
        "focus_near": coverage(dict.fromkeys(q.focus, 1.0), close) if q.focus else 1.0,
        "type_subject": best.features["type_subject"],
        "type_absent": float(q.kind in _CHECKABLE and best.features["type"] == 0.0),
    }
    signals["type_top"] = signals["type_match"] * signals["top_score"]
    return {name: round(float(value), 4) for name, value in signals.items()}


def absence_weights(q: QuestionTerms, documents: int) -> dict[str, float]:
    """How much the absence of each of ``q.absent`` from a corpus of ``documents`` says, in [0, 1].

    From a thousand documents on, all it can: a word that many articles never use is not their topic.
    Below, ``ln(1 + documents) / ln(1001)`` for a common word (a handful of documents uses few words),
    rising to 1 with the word's ``specificity`` in English: a one-article corpus never saying "show"
    may still answer "what does the logo show?"; never saying "planet" or "sulfuric", it is not
    about the question."""
    size = min(1.0, math.log1p(documents) / math.log1p(FULL_ABSENCE))
    if size >= 1.0 or not q.absent:
        return dict.fromkeys(q.absent, size)
    surface = surface_words(q.text)
    return {t: max(size, specificity(surface.get(t, t))) for t in q.absent}
