"""Extractive answers: pick the sentence(s) that answer, cite them exactly, or abstain.

No language model and no hand-set weights: every sentence of the retrieved passages is
described by a few features (``citeqa.index.answering.features``: similarity to the question, idf-weighted
term coverage in the sentence and around it, whether it holds the kind of thing asked for,
whether it only restates the question, its place in the article), a ranker learned from
labelled questions scores them (``citeqa.index.answering.ranker``), and a logistic answerability model over
signals of the best sentence and its article decides whether to answer (``citeqa.index.answering.abstention``).
Both are stored as JSON (``index/answering/abstain_model.json``) and refitted with ``citeqa calibrate``.
An answer is one sentence, or two when one is not self-contained; each is cited exactly
(``document.text[start:end] == quote``). Sentence spans and vectors come from the index
(``citeqa.index.store.sentences``, computed by the build): answering embeds only the question.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from citeqa.index.answering.abstention import AbstainModel, load_abstain_model
from citeqa.index.answering.features import (
    FULL_ABSENCE,
    HEADING,
    NUMBER_KINDS,
    Candidate,
    DocumentTerms,
    Prepared,
    QuestionTerms,
    answer_signals,
    candidate_features,
    document_terms,
    header_index,
    heading_line,
    heads_text,
    hyphenated,
    opens_with_title,
    parse_question,
    with_similarity,
)
from citeqa.index.answering.ranker import Ranker
from citeqa.index.domain import Document, Vectors
from citeqa.index.retrieval.hybrid import Passage
from citeqa.index.store.lexical import LexicalIndex
from citeqa.index.store.sentences import SentenceStore
from citeqa.index.text.events import (
    DECISION_NAMES,
    EVENT_NAMES,
    asked_decision,
    asked_event,
    asks_verdict,
    event_in_clause,
    states_event,
    states_verdict,
    tells_decision,
)
from citeqa.index.text.measures import MEASURE_NAMES, age_of_someone_else, asked_measure, gives_measure
from citeqa.index.text.people import asks_for_someone_unnamed, missing_role, names_someone_new, untold_maker
from citeqa.index.text.questions import (
    MONTH_WORD,
    acronyms,
    asks_present,
    expanded_in,
    model_codes,
    numbered_names,
    other_year,
    past_scoped,
    question_type,
    reversed_result,
    reversed_route,
    surface_words,
    type_match,
    value_kinds,
    withheld,
    withholds,
    written_out,
)
from citeqa.index.text.specificity import specificity
from citeqa.index.text.tokens import STOPWORDS, as_matched, terms

MAX_ANSWER_CHARS = 350
MAX_TOTAL_CHARS = 400  # two sentences together (each cut to MAX_ANSWER_CHARS)
MAX_CANDIDATES = 48
# Documents whose sentence terms (a BBC article's: ~20 kB) and spans are kept. Distinct questions rarely
# meet an article twice, and the build stores the terms, so a miss costs a read, not tokenising. Whole
# BBC index, 1,200 distinct searches then 1,200 questions at 32 clients, 3 interleaved rounds: peak RSS
# 367-371 MB against 385-391 with 1,024 documents and 5,000 spans, 272 against 262 questions a second
# (``bench/results/term-cache-ab.json``, docs/performance.md).
TERM_CACHE = 256
SPAN_CACHE = 1024
ECHO = 0.7  # a sentence whose terms are mostly the question's says little on its own
# a word no passage of a small corpus uses is the reason given for abstaining from this specificity on ("get"
# 0.0, "find" 0.08, "show" 0.11, "point" 0.15 are not; "language" 0.3, "planet" 0.44 are)
COMMON_WORD = 0.2
DEFINITION_REACH = 3  # sentences after an expansion searched for the one going on to define it (choose)
MAX_DEFINITION_CHARS = 500  # an expansion and what it does: both are the answer to "what is X?"
_AMOUNT_WORD = re.compile(
    r"\b(?:amount|sum|fee|price|figure|value|cost|salary|terms|number|total|date|offer|bid|payment|settlement|"
    r"compensation|damages)s?\b",
    re.I,
)
_BRACKETED = re.compile(r"\(([^()]{1,40})\)")
QUOTE_REACH = 3  # sentences after one that opens a quotation searched for the one closing it (choose)
# A sentence that names its subject by what came before: a personal pronoun, or "this"/"these"/"those"
# standing alone ("This means ..."), not as a determiner ("This year's artistic director, Caspian Thrule, ...").
_REFERS_BACK = re.compile(
    # not an existential "there" ("There are two funding rounds each year.")
    r"^[\"“]?(?:he|she|it|they|his|her|its|their|there(?! (?:is|are|was|were|will|have|has|had)\b)|such|"
    r"(?:this|these|those) (?:is|was|are|were|has|have|"
    r"had|will|would|could|can|may|might|must|should|means|meant|comes|came|follows|followed|includes|included|"
    r"led|leads|made|makes|marks|marked)|the (?:company|firm|group|club|player|band|singer|star|actor|film|bank|"
    r"government|minister|chancellor|party|team|side|firm's|company's|move|deal|report|study|survey|plan|bill|"
    r"game|show|album|device|service|site|new))\b",
    re.IGNORECASE,
)
FALLBACK_RANKER = Ranker({"similarity": 1.0})  # only for a model file and package without a ranker
MUST_HOLD = frozenset({"name", "when", "amount"})  # kinds an answer must hold (``Extractor._nothing_asked_for``)
ASKED_FOR = {
    "who": "name",
    "name": "name",
    "when": "date",
    "amount": "number",
    "score": "score",
    "where": "place",
    "why": "reason",
}
NOT_COVERED = "The articles don't cover this question."
# No passage is about the question when neither its meaning nor its words are there: the question's
# cosine with its closest passage is below OFF_TOPIC_COSINE and the answer sentence, its neighbours and
# headline hold less than OFF_TOPIC_COVERAGE of its idf-weighted terms. Unrelated English texts score
# about 0-0.2 under the packaged MiniLM, but so does a question that is little more than a rare name
# ("Who is Zoë Marchetti?"), whose words are there. On our sets (bbc_train a + b, bbc_fresh, fresh2,
# seed_own, small_own) every answerable question has a cosine of 0.30 or more, and those under 0.45 a
# coverage of 0.41 or more; the off-topic questions over the one-article seed corpus score 0.04-0.17
# with coverage 0-0.26, where the learned model (fitted on a 2,127-article corpus) answered "Which
# planet is the largest in the solar system?" at 0.55. Set from those figures, not fitted.
OFF_TOPIC_COSINE = 0.3
OFF_TOPIC_COVERAGE = 0.3
# A rare English word of the question (specificity 0.8: Zipf frequency 3.6 or less, "demolished", "tungsten")
# that a corpus of fewer than FULL_ABSENCE documents never uses, nor any word sharing its first five letters
# ("hospitalisations" asked, "hospital" written), says the corpus is not about what is asked: "When was the
# museum demolished?" over a museum's opening hours. The learned model, fitted on a 2,127-article corpus
# where nearly every English word is used somewhere, weighs such absences little (`unknown`). Set, not
# fitted: on our small-corpus sets (seed_own, small_own, small2_own) no answerable question has such a
# word, and every unanswerable one that has one was already abstained on.
TOPICAL = 0.8
# the least share of a question's term weights that the rare words no passage of a small corpus uses must carry to
# decide an abstention (``Extractor._unknown_topic``): "What is the boiling point of ethanol?" 0.73, "Why was
# Wróbel disqualified ...?" 0.33, against 0.27 for the "lorry" and "never" of a new user's 13-term question
MIN_UNKNOWN_SHARE = 0.3
# A name of the question whose idf is at least DISTINCT_NAME times the corpus's highest (in BBC's 9,212
# chunks: about ten chunks or fewer use it) picks out the few articles about its bearer: when the best
# sentence's article never uses it and another candidate's article does, the answer is about someone else
# ("What pre-tax profit did the Britannia Building Society report?" answered with Multiplex's). Set, not
# fitted: on bbc_train a + b, fresh, fresh2 and fresh3 the question names absent from a right answer's
# article have idf 6.8 or less (Frenchman) or are absent from every candidate (L'Esquive, 9.8), and those
# absent from a near miss's answer 7.1 or more (Karen Whitefield, Britannia).
DISTINCT_NAME = 0.7


@dataclass(frozen=True)
class Citation:
    """An exact quote: ``quote == document.text[start:end]``."""

    id: int
    doc_id: str
    title: str
    url: str | None
    quote: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Abstention:
    """Why a question was not answered: a stable ``code``, the question words at issue, a message."""

    code: str
    message: str
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """The answer to one question, with its citations and the passages it was drawn from."""

    question: str
    answerable: bool
    answer: str
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    confidence: float = 0.0
    reason: str | None = None
    signals: dict[str, float] = field(default_factory=dict)
    abstention: Abstention | None = None


VERDICT_REACH = 5  # candidates of the best one's article searched for the sentence saying what a verdict was


CONTACTS = ("email", "phone")  # measures naming a way to reach someone (``asked_first``)
CONTACT_REACH = 5  # the ranked sentences searched for the email address or phone number asked for
UPDATE_REACH = 5  # the ranked sentences searched for one telling of a change to what the best one says
UPDATE_COVERAGE = 0.5  # the least share of the best sentence's question-word coverage such a sentence (and its
# neighbours) holds
# the most by which such a sentence's cosine with the question may fall short of the best's: in the trials of the
# nineteenth session the notices were 0.02-0.18 under, an unrelated "From January 2026 the second dose of MMR
# moves ..." 0.31 under "Our flu vaccination clinics start on ..." (set from those, not fitted)
UPDATE_SIMILARITY_GAP = 0.2
# a sentence telling of a change: "From 1 July 2026 ...", "has changed to", "will now", "instead of", "no longer"
# (a date from which on, not a range: "From 1 October to 31 March it is open ..." is a season)
_UPDATE = re.compile(
    r"\b(?:from|since|as of|with effect from|starting|effective)\s+(?:\d{1,2}(?:st|nd|rd|th)?\s+"
    + MONTH_WORD
    + r"(?:\s+\d{4})?|"
    + MONTH_WORD
    + r"\s+\d{4})\b(?!\s*(?:to|until|till|[-–])\s)"
    r"|\b(?:has|have)\s+(?:now\s+)?(?:changed|moved|been\s+(?:changed|moved|extended|replaced|increased|"
    r"reduced|raised|cut|shortened|postponed|cancelled|brought forward))\b|\bchanged\s+to\b|\bwill\s+now\b"
    r"|\binstead\s+of\b|\bno\s+longer\b|\b(?:is|are)\s+now\b|\bnow\s+(?:closes?|opens?|costs?|runs?)\b",
    re.IGNORECASE,
)
CODE_REACH = 5  # the ranked sentences searched for one naming the model or code a question names
DAY_REACH = 5  # the ranked sentences searched for one naming the day of the week a question asks about
PRESENT_REACH = 3  # the ranked sentences searched for one not scoped to the past, for a question in the present


_DAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b", re.IGNORECASE)


def _days(text: str) -> set[str]:
    """The days of the week ``text`` names in full ("Monday", "Tuesdays"), in lower case and singular."""
    return {m.group(1).lower() for m in _DAY.finditer(text)}


def _named_things(text: str, capitalised: bool = True) -> set[str]:
    """The models, codes and things numbered within their kind ``text`` names, each as its letters and digits in
    lower case ("dw602", "stage4"): ``model_codes`` and ``numbered_names`` (``capitalised``: as a page names them)."""
    numbered = numbered_names(text, capitalised)
    return set(model_codes(text)) | {word + number for word, numbers in numbered.items() for number in numbers}


def asked_first(q: QuestionTerms, ranked: list[Candidate], documents: Mapping[str, Document]) -> list[Candidate]:
    """``ranked`` with the sentence holding what is asked first, when a pattern can tell it and the ranker
    put another sentence first: for a definition question, the best sentence spelling out the acronym
    ("... heart failure with preserved ejection fraction (HFpEF) ...", "HFpEF stands for ...": ``type``
    1); for "What verdict did the jury reach?", the best of the first ``VERDICT_REACH`` sentences of the
    best one's article saying what it was ("found Sam Hollis guilty") when the best does not ("The verdict
    came after four hours of deliberation"); for an email address or a phone number asked for, the best of
    the first ``CONTACT_REACH`` giving one (a way to reach someone is told by its shape); for a question
    in the present tense ("What is the default value of max_pool_size?") whose best sentence tells how
    things were before a change ("Before version 3.0.0 the default ... was 10."), the best of the first
    ``PRESENT_REACH`` that does not; in a corpus of under ``FULL_ABSENCE`` documents, for a question naming a
    model or a code ("CVE-2025-12345", "DW 60-1") whose best sentence names others only, the best of the first
    ``CODE_REACH`` naming it; for a question naming a day of the week whose best sentence names
    another day and not that one ("What time do you open on Monday?" over "The early Wednesday opening
    ..."), or in a corpus of under ``FULL_ABSENCE`` documents no day, the best of the first ``DAY_REACH``
    naming it. Otherwise ``ranked`` unchanged. (Doing the same
    for a measure asked for, "What was Gardener's winning time?", answered 3 more questions of every
    development set and 13 more near misses with another entity's figure: not done.)"""
    if not ranked:
        return ranked
    small = len(documents) < FULL_ABSENCE  # a corpus whose questions name days and models as what they ask
    first: Candidate | None = None
    if q.kind == "definition":
        first = next((c for c in ranked if c.features.get("type", 0.0) >= 1.0), None)
    # (not elif: "What is the customer service phone number?" reads as a definition question, asking for a number)
    if first is None and asks_verdict(q.text):

        def says(c: Candidate) -> bool:
            return states_verdict(documents[c.doc_id].text[c.start : c.end])

        if not says(ranked[0]):
            same = [c for c in ranked if c.doc_id == ranked[0].doc_id][:VERDICT_REACH]
            first = next((c for c in same if says(c)), None)
    elif first is None and (contact := asked_measure(q.text)) in CONTACTS:
        # "What is Declan O'Neill's email address?": of the first ``CONTACT_REACH``, the best giving one
        def gives(c: Candidate) -> bool:
            return gives_measure(contact, documents[c.doc_id].text[c.start : c.end], q.text)

        first = next((c for c in ranked[:CONTACT_REACH] if gives(c)), None)
    if first is None and (asked_days := _days(q.text)):
        # "What time do you open on Monday?" is not answered by "The early Wednesday opening at 7:30 a.m. ..."
        best_days = _days(documents[ranked[0].doc_id].text[ranked[0].start : ranked[0].end])
        # in a small corpus, also when it names no day ("Easter opening times will be published in March."); not in
        # news, whose questions name a day in passing ("... after dropping the Saturday show")
        if (best_days or small) and not best_days & asked_days:
            first = next(
                (c for c in ranked[1:DAY_REACH] if _days(documents[c.doc_id].text[c.start : c.end]) & asked_days), None
            )
    codes = _named_things(q.text, capitalised=False) if first is None and small else set()
    if codes:
        # "Which version fixed CVE-2025-12345?" is not answered with what fixed CVE-2025-23456, nor "stage 4" with
        # Stage 2's row
        def names(c: Candidate) -> set[str]:
            return _named_things(documents[c.doc_id].text[c.start : c.end])

        if names(ranked[0]) and not names(ranked[0]) & codes:
            first = next((c for c in ranked[1:CODE_REACH] if names(c) & codes), None)
    if first is None and asks_present(q.text):

        def past(c: Candidate) -> bool:
            return past_scoped(documents[c.doc_id].text[c.start : c.end])

        if past(ranked[0]):
            first = next((c for c in ranked[1:PRESENT_REACH] if not past(c)), None)
    if first is None or first is ranked[0]:
        return ranked
    return [first, *(c for c in ranked if c is not first)]


class Extractor:
    """Chooses answer sentences with a learned ranker and abstains with a learned answerability model.

    ``prepare_many`` computes every candidate sentence's features (no model call: sentence spans and
    vectors are ``sentences``, stored in the index); ``finish`` ranks them, computes the answerability
    signals and decides, with any model, so training and cross-validation reuse prepared questions.
    """

    def __init__(
        self,
        lexical: LexicalIndex,
        documents: dict[str, Document],
        sentences: SentenceStore,
        model: AbstainModel | None = None,
    ) -> None:
        self.lexical = lexical
        self.documents = documents
        self.sentences = sentences
        self.model = model or load_abstain_model()
        self.ranker = self.model.ranker or load_abstain_model().ranker or FALLBACK_RANKER
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._terms: OrderedDict[str, DocumentTerms] = OrderedDict()
        self._caches = threading.Lock()  # the server answers on one thread while follow-ups read these on another
        self.max_idf = lexical.term_idf("\0never-a-term")
        self._vocab_prefixes: frozenset[str] | None = None
        self._sorted_vocab: list[str] | None = None
        self._hyphenated: Mapping[str, str] | None = None

    def answer_many(
        self,
        questions: Sequence[str],
        passages: Sequence[Sequence[Passage]],
        question_vectors: Vectors,
        shown: int,
    ) -> list[Answer]:
        """Answers for a batch; ``question_vectors`` ``(len(questions), dimension)`` are the questions' unit vectors
        (the ones retrieval used), compared with the stored vectors of the candidate sentences."""
        return [self.finish(p, self.model, shown) for p in self.prepare_many(questions, passages, question_vectors)]

    def prepare_many(
        self, questions: Sequence[str], passages: Sequence[Sequence[Passage]], question_vectors: Vectors
    ) -> list[Prepared]:
        """Candidate sentences (at most ``MAX_CANDIDATES`` a question) with all their features."""
        parsed = [parse_question(q, self.lexical, self._compounds, self._spelt_out) for q in questions]
        pools = [
            candidate_features(q, p, self.documents, self.spans_of, self.terms_of)[:MAX_CANDIDATES]
            for q, p in zip(parsed, passages, strict=True)
        ]
        out = []
        for i, (q, pool) in enumerate(zip(parsed, pools, strict=True)):
            stored = self.sentences.vectors_of([(c.doc_id, c.index) for c in pool])
            similarities = (stored @ question_vectors[i]).tolist()
            self._with_headers(pool, stored, question_vectors[i], similarities)
            scored = with_similarity(pool, similarities)
            out.append(Prepared(q, tuple(passages[i]), tuple(c for c in scored if HEADING not in c.features)))
        return out

    def _with_headers(
        self, pool: Sequence[Candidate], stored: Vectors, question: Vectors, similarities: list[float]
    ) -> None:
        """Set the ``similarities`` of ``pool``'s table rows (``stored``: their vectors, ``question``: the question's
        unit vector) to the question's cosine with the row and its header read as one: the sum of their vectors.
        "| Python | 0.64 ms |" alone is far from "What is the p50 latency of the Python binding?"; under "| Binding
        | p50 latency |" it is not."""
        rows = {}
        for k, c in enumerate(pool):
            text = self.documents[c.doc_id].text
            if (
                text.startswith("|", c.start)
                and (h := header_index(text, self.spans_of(c.doc_id), c.start)) is not None
            ):
                rows[k] = (c.doc_id, h)
        if not rows:
            return
        joined = stored[list(rows)] + self.sentences.vectors_of(list(rows.values()))
        cosines = (joined @ question) / np.maximum(np.linalg.norm(joined, axis=1), 1e-9)
        for k, cosine in zip(rows, cosines.tolist(), strict=True):
            similarities[k] = cosine

    def _compounds(self) -> Mapping[str, str]:
        """The corpus's compounds written with hyphens, by the word they make written as one (``hyphenated``;
        read once, when a question first holds a word no index term matches: 0.3 s over the whole BBC), and in a
        corpus of under ``FULL_ABSENCE`` documents its names of letters and digits ("WM-8400X", "DW 60-2")."""
        if self._hyphenated is None:
            texts = (f"{d.title}\n{d.text}" for d in self.documents.values())
            self._hyphenated = hyphenated(texts, codes=len(self.documents) < FULL_ABSENCE)
        return self._hyphenated

    def spans_of(self, doc_id: str) -> list[tuple[int, int]]:
        """Sentence spans of a whole document, as stored in the index (kept as lists once read)."""
        with self._caches:
            spans = self._spans.get(doc_id)
            if spans is None:
                if len(self._spans) >= SPAN_CACHE:
                    self._spans.clear()
                spans = self._spans[doc_id] = self.sentences.spans_of(doc_id)
            return spans

    def terms_of(self, doc_id: str) -> DocumentTerms:
        """Content terms of a document by sentence (the index's stored terms, else tokenised), kept for the
        ``TERM_CACHE`` documents used last."""
        spans = self.spans_of(doc_id)
        with self._caches:
            known = self._terms.get(doc_id)
            if known is None:
                if len(self._terms) >= TERM_CACHE:
                    self._terms.popitem(last=False)
                doc, stored = self.documents[doc_id], self.sentences.terms
                known = self._terms[doc_id] = document_terms(doc, spans, stored)
            else:
                self._terms.move_to_end(doc_id)
            return known

    def finish(self, prepared: Prepared, model: AbstainModel, shown: int) -> Answer:
        """Rank the candidates, compute the signals and answer (or abstain) with ``model``."""
        q = prepared.question
        ranked = asked_first(q, (model.ranker or self.ranker).rank(prepared.candidates), self.documents)
        signals = answer_signals(prepared, ranked, self.documents, self.terms_of, self.max_idf)
        p = model.probability(signals)
        shown_passages = prepared.passages[:shown]
        # the off-topic floor only overrules an answer: below the threshold the usual reason says more
        off_topic = self._off_topic(signals) if p >= model.threshold else None
        premise = (
            (self._other_year(q, ranked[0]) or self._untold_decision(q, ranked[0]) or self._someone_else(q, ranked))
            if ranked
            else None
        )
        conflict = off_topic or premise or self._unknown_topic(q)
        spans: list[tuple[int, int]] = []
        if conflict is None and ranked:
            spans = self.choose(q, ranked[0], self._runner_up(model.ranker or self.ranker, ranked))
            # a check on what the answer would say; below the threshold, it gives the most specific reason
            conflict = self._unsaid(q, ranked[0].doc_id, spans)
        if not ranked or p < model.threshold or conflict is not None:
            why = conflict or self._abstention(q, ranked, signals, p, model.threshold)
            return Answer(q.text, False, NOT_COVERED, (), shown_passages, round(p, 4), why.message, signals, why)
        cited = [(ranked[0].doc_id, s, e, ranked[0].score) for s, e in spans]
        update = self._update(q, ranked)
        if update is not None and not any(s <= update.start < e for s, e in spans if update.doc_id == ranked[0].doc_id):
            cited.append((update.doc_id, update.start, update.end, update.score))  # a later word on it
        windows = [_window(self.documents[d].text, s, e, q.weights) for d, s, e, _ in cited]
        citations = tuple(
            self._cite(i + 1, d, *window, score)
            for i, ((d, _, _, score), window) in enumerate(zip(cited, windows, strict=True))
        )
        text = " ".join(
            _shown(c, (s, e), window) for c, (_, s, e, _), window in zip(citations, cited, windows, strict=True)
        )
        return Answer(q.text, True, text, citations, shown_passages, round(p, 4), None, signals)

    def _update(self, q: QuestionTerms, ranked: Sequence[Candidate]) -> Candidate | None:
        """In a corpus of under ``FULL_ABSENCE`` documents, a sentence of the first ``UPDATE_REACH`` telling of a
        change to what the best one says ("From 1 July 2026 our Saturday phone hours are 9:00 to 14:00." beside
        the contact page's "| Saturday | 9:00 to 16:00 |"; "It will now close on 31 May 2027 instead of 4 January
        2027."), quoted after it so that neither is taken alone: it reads as an update (``_UPDATE``) and is no
        Markdown heading ("## New opening hours from 6 April 2026" says nothing the notice does not), shares a
        word with the best that the question does not have (its date, its times: "the 6:00am lane swim on Fridays
        goes back to 6:30am" is no update to "The floodlights switch off at 9:30pm"), gives a
        value of a kind the best gives (a date or time, a sum, a phone number: ``value_kinds``) and no day of the
        week but one the best names, when both name one, is not dated before it, holds the kind of
        thing asked for as well as the best and as much of the question's subject, with the sentences around it
        at least ``UPDATE_COVERAGE`` of the best's share of the question's words, and a cosine with the question
        at most ``UPDATE_SIMILARITY_GAP`` under the best's. None when the best
        is itself such a sentence, or in a larger corpus, whose articles are each dated news."""
        if len(self.documents) >= FULL_ABSENCE or len(ranked) < 2:
            return None
        best = ranked[0]

        def said(c: Candidate) -> str:
            return self.documents[c.doc_id].text[c.start : c.end]

        if _UPDATE.search(said(best)):
            return None
        own = set(terms(said(best))) - q.weights.keys() - STOPWORDS
        for c in ranked[1:UPDATE_REACH]:
            if (
                _UPDATE.search(said(c))
                and not _HEADING_MARKS.match(self.documents[c.doc_id].text, c.start)  # a notice's heading adds nothing
                and own & set(terms(said(c)))
                and value_kinds(said(c)) & value_kinds(said(best))
                and not (_days(said(c)) and _days(said(best)) and not _days(said(c)) & _days(said(best)))
                and not _dated_before(said(c), said(best))
                and c.features.get("type", 0.0) >= min(best.features.get("type", 0.0), 1.0)
                and c.features.get("subject", 1.0) >= best.features.get("subject", 1.0)
                and c.features.get("context", 0.0) >= UPDATE_COVERAGE * best.features.get("coverage", 0.0)
                and c.features.get("similarity", 0.0) >= best.features.get("similarity", 0.0) - UPDATE_SIMILARITY_GAP
            ):
                return c
        return None

    def _unsaid(self, q: QuestionTerms, doc_id: str, spans: Sequence[tuple[int, int]]) -> Abstention | None:
        """Whether the answer ``spans`` of ``doc_id`` miss what is asked: a name the article withholds, nobody
        named, the role asked for, the measure asked for, the event asked about."""
        return (
            self._withheld(q, doc_id, spans)
            or self._names_nobody(q, doc_id, spans)
            or self._nothing_asked_for(q, doc_id, spans)
            or self._role_missing(q, doc_id, spans)
            or self._no_measure(q, doc_id, spans)
            or self._no_event(q, doc_id, spans)
            or self._reversed(q, doc_id, spans)
            or self._another_model(q, doc_id, spans)
        )

    def _another_model(self, q: QuestionTerms, doc_id: str, spans: Sequence[tuple[int, int]]) -> Abstention | None:
        """In a corpus of under ``FULL_ABSENCE`` documents, an abstention when the question names a model or a code
        ("dw 60-1", "wm-7400", "E31": ``model_codes``) and the answer names others only ("| Specification | DW 60-2
        |" and its noise level): another model's figure; or a thing numbered within its kind ("stage 4") that the
        answer names by another number only ("| Stage 2 | ..."; ``numbered_names``). None when the answer names
        none."""
        if len(self.documents) >= FULL_ABSENCE:
            return None
        text = self.documents[doc_id].text
        said = " ".join(text[s:e] for s, e in spans)
        asked, given = model_codes(q.text), model_codes(said)
        if asked and given and not asked.keys() & given.keys():
            return Abstention(
                "terms_not_in_passage",
                f"the answer is about {_quoted(list(given.values()))}, not {_quoted(list(asked.values()))}",
                tuple(asked.values()),
            )
        # "how long is a stage 4 lesson" over "| Stage 2 | 4 years and over | 30 minutes |"
        numbered = numbered_names(said)
        for word, numbers in numbered_names(q.text, capitalised=False).items():
            if word in numbered and not numbers & numbered[word]:
                other = f"{word} {min(numbered[word])}"
                asked_for = f"{word} {min(numbers)}"
                return Abstention(
                    "terms_not_in_passage",
                    f"the answer is about {_quote(other)}, not {_quote(asked_for)}",
                    (asked_for,),
                )
        return None

    def _abstention(
        self, q: QuestionTerms, ranked: list[Candidate], signals: dict[str, float], p: float, threshold: float
    ) -> Abstention:
        """The most specific reason: the closest article saying the thing asked for is not given, words the
        corpus never uses, words the closest article lacks, an answer sentence without the kind of thing
        asked for, or plain low confidence."""
        surface = surface_words(q.text)
        # the closest article saying the thing asked for is not given says most ("How much will Valdés be
        # paid?" over "The terms of the contract, including her fee, were not disclosed"), more than a
        # word of the question no passage uses ("paid")
        withheld_here = self._withheld(q, ranked[0].doc_id, ()) if ranked else None
        if withheld_here is not None:
            return withheld_here
        # a word no passage uses, unless a corpus of under FULL_ABSENCE documents never using it says little:
        # a common word ("get", "show": specificity under COMMON_WORD) is not the reason
        small = len(self.documents) < FULL_ABSENCE
        says = {t: 1.0 if not small else specificity(surface.get(t, t)) for t in q.absent}
        # nor a word that begins a passage's word: "Postgres" is not missing where "PostgreSQL" is
        # nor an acronym a passage writes out ("IB": "International Baccalaureate"), nor a letter left of "60s"
        telling = [
            t
            for t in q.absent
            if says[t] >= COMMON_WORD
            and len(t) > 1
            and not self._begins_a_term(t)
            and not self._written_out(surface.get(t, t))
        ]
        if telling:
            terms = tuple(dict.fromkeys(surface.get(t, t) for t in telling))
            return Abstention("not_in_corpus", f"no passage mentions {_quoted(terms)}", terms)
        if not ranked:
            return Abstention("no_passage", "no passage was retrieved")
        best = ranked[0]
        doc = self.documents[best.doc_id]
        # the words missing from the candidates' article that lacks the least of them (by idf): the best
        # sentence's article may be close in meaning while another holds the question's names
        missing_from = {d: self._missing(q, d, surface) for d in dict.fromkeys(c.doc_id for c in ranked)}
        fewest = min(missing_from, key=lambda d: sum(q.weights[t] for t in missing_from[d]))
        missing = [t for t in missing_from[fewest] if says.get(t, 1.0) >= COMMON_WORD]
        if missing:
            terms = tuple(dict.fromkeys(surface.get(t, t) for t in missing[:3]))
            which = "the closest article" if fewest == doc.doc_id else "the article with most of its words"
            return Abstention(
                "terms_not_in_passage",
                f"{which} ({_quote(self.documents[fewest].title)}) does not mention {_quoted(terms)}",
                terms,
            )
        if signals.get("type_match", 0.5) == 0.0 and q.kind in ASKED_FOR:
            measure = asked_measure(q.text)
            asked = MEASURE_NAMES[measure] if measure is not None else ASKED_FOR[q.kind]
            return Abstention(
                "low_confidence",
                f"the closest article ({_quote(doc.title)}) does not give the {asked} asked for "
                f"({_below(p, threshold)})",
            )
        return Abstention("low_confidence", f"no sentence clearly answers it ({_below(p, threshold)})")

    def _missing(self, q: QuestionTerms, doc_id: str, surface: Mapping[str, str]) -> list[str]:
        """The question's terms that document ``doc_id`` never uses, rarest first; an acronym it writes out ("IB":
        "International Baccalaureate", ``expanded_in``; ``surface``: each term as the question writes it) is used."""
        in_doc = self.terms_of(doc_id).every
        missing = [t for t in q.weights if t not in in_doc]
        if missing:
            doc = self.documents[doc_id]
            about = f"{doc.title}\n{doc.text}"
            missing = [t for t in missing if not expanded_in(surface.get(t, t), about)]
        return sorted(missing, key=lambda t: -q.weights[t])

    @staticmethod
    def _off_topic(signals: dict[str, float]) -> Abstention | None:
        """An abstention when no passage is about the question: the closest passage's cosine similarity
        (``dense``) is below ``OFF_TOPIC_COSINE`` and the answer's ``coverage`` of the question's terms
        below ``OFF_TOPIC_COVERAGE``."""
        closest, covered = signals.get("dense", 0.0), signals.get("coverage", 0.0)
        if closest >= OFF_TOPIC_COSINE or covered >= OFF_TOPIC_COVERAGE:
            return None
        return Abstention(
            "off_topic",
            f"no passage is about this question (closest passage: cosine {closest:.2f}, "
            f"{covered:.0%} of the question's words near the best sentence)",
        )

    def _someone_else(self, q: QuestionTerms, ranked: list[Candidate]) -> Abstention | None:
        """An abstention when a rare name of the question (idf at least ``DISTINCT_NAME`` times the highest;
        not a number) is absent from the best sentence's article and present in another candidate's: the
        answer is about someone else ("What pre-tax profit did the Britannia Building Society report?" over
        "Multiplex reporting an 11% rise in pre-tax profits"), when the other article holds more of the
        question's terms (by idf) than the answer's."""
        best = ranked[0].doc_id
        in_best = self.terms_of(best).every
        floor = DISTINCT_NAME * self.max_idf
        rare = [
            t
            for t in q.specific
            if t not in in_best and not any(c.isdigit() for c in t) and self.lexical.term_idf(t) >= floor
        ]
        if not rare:
            return None
        other = next(
            (d for d in dict.fromkeys(c.doc_id for c in ranked) if d != best and set(rare) & self.terms_of(d).every),
            None,
        )
        # the other article must match the question better as a whole: a long question's context ("Which
        # immigration minister quit over the visas for Romania and Bulgaria?") may name what another
        # article shares with it and nothing else (a match in Bulgaria), while the answer's article has
        # the rest ("Romanian and Bulgarian visas scandal")
        if other is None or self._weight_in(q, other) < self._weight_in(q, best):
            return None
        surface = surface_words(q.text)
        named = tuple(dict.fromkeys(surface.get(t, t) for t in rare if t in self.terms_of(other).every))
        return Abstention(
            "terms_not_in_passage",
            f"the closest article ({_quote(self.documents[best].title)}) never mentions {_quoted(named)}, "
            f"as {_quote(self.documents[other].title)} does: its best sentence is about something else",
            named,
        )

    def _weight_in(self, q: QuestionTerms, doc_id: str) -> float:
        """The idf weight of the question's terms that document ``doc_id`` uses."""
        known = self.terms_of(doc_id).every
        return sum(w for t, w in q.weights.items() if t in known)

    def _untold_decision(self, q: QuestionTerms, best: Candidate) -> Abstention | None:
        """An abstention when a "why" or "when" question takes a resignation, dismissal, refusal, cancellation
        or ban for granted and the best sentence's article tells of none (``citeqa.index.text.events``): a
        false premise ("Why did Jay-Z resign ...?" over the article on his appointment)."""
        kind = asked_decision(q.text)
        if kind is None:
            return None
        doc = self.documents[best.doc_id]
        if tells_decision(kind, f"{doc.title}\n{doc.text}"):
            return None
        return Abstention(
            "terms_not_in_passage", f"the closest article ({_quote(doc.title)}) tells of no {DECISION_NAMES[kind]}"
        )

    def _unknown_topic(self, q: QuestionTerms) -> Abstention | None:
        """An abstention when a corpus of fewer than ``FULL_ABSENCE`` documents never uses a number of the
        question that names one thing (``_IDENTIFIER``), or rare words of it (``TOPICAL``; not a number, nor
        sharing a corpus word's first five letters) that carry at least ``MIN_UNKNOWN_SHARE`` of its weight. Its
        terms are every word of the question no passage mentions, the deciding ones first."""
        if not q.absent or len(self.documents) >= FULL_ABSENCE:
            return None
        surface = surface_words(q.text)
        written = {t: surface.get(t, t) for t in q.absent}
        prefixes = self._prefixes()
        identifiers = [t for t in q.absent if _IDENTIFIER.fullmatch(t)]  # "2.5.0", "CVE-2025-99999": no neighbour's
        rare = [
            t
            for t, word in written.items()
            if not any(c.isdigit() for c in t)  # a year or number: `_other_year` reads the article's date too
            and len(t) > 1  # the "s" of "over 60s"
            and specificity(word) >= TOPICAL
            and (len(t) < 5 or t[:5] not in prefixes)
            and not self._written_out(word)
        ]
        # a long question's own circumstances ("I never know which day the lorry comes") are not what it asks
        if sum(q.weights.get(t, 0.0) for t in rare) < MIN_UNKNOWN_SHARE * sum(q.weights.values()):
            rare = []
        if not identifiers and not rare:
            return None
        # every word no passage mentions, the deciding ones first ("moons" decides, "Jupiter" is missing too)
        terms = tuple(dict.fromkeys([written[t] for t in (*identifiers, *rare)] + list(written.values())))
        return Abstention("not_in_corpus", f"no passage mentions {_quoted(terms)}", terms)

    def _spelt_out(self, word: str) -> str | None:
        """How a document writes out ``word``, a question's acronym the index lacks, typed in capitals or not
        ("bsl": "British Sign Language", ``written_out``); looked for only in a corpus of under ``FULL_ABSENCE``
        documents (as ``_written_out``), else None."""
        if len(self.documents) >= FULL_ABSENCE:
            return None
        texts = (f"{d.title}\n{d.text}" for d in self.documents.values())
        return next((found for text in texts if (found := written_out(word, text)) is not None), None)

    def _written_out(self, word: str) -> bool:
        """Whether ``word`` is an acronym ("IB", "VC's") some document writes out ("International Baccalaureate",
        "Vice-Chancellor": ``expanded_in``); read only in a corpus of under ``FULL_ABSENCE`` documents, whose
        absent words decide abstentions (a whole-BBC corpus is 5 MB of text to search): False in a larger one."""
        if len(self.documents) >= FULL_ABSENCE or not acronyms(word):
            return False
        return any(expanded_in(word, f"{d.title}\n{d.text}") for d in self.documents.values())

    def _begins_a_term(self, term: str) -> bool:
        """Whether ``term`` (5 letters or more) is the beginning of a longer term of the lexical index ("postgr" of
        "postgresql")."""
        if len(term) < 5:
            return False
        if self._sorted_vocab is None:
            self._sorted_vocab = sorted(self.lexical.vocab)
        i = bisect_left(self._sorted_vocab, term)
        return i < len(self._sorted_vocab) and self._sorted_vocab[i].startswith(term)

    def _prefixes(self) -> frozenset[str]:
        """The first five letters of every term of the lexical index (computed once)."""
        if self._vocab_prefixes is None:
            self._vocab_prefixes = frozenset(t[:5] for t in self.lexical.vocab if len(t) >= 5)
        return self._vocab_prefixes

    def _other_year(self, q: QuestionTerms, best: Candidate) -> Abstention | None:
        """An abstention when the question names a year the best sentence's article (text, title, date or
        metadata) never mentions and the sentence gives another year or none
        (``citeqa.index.text.questions.other_year``): another year's case."""
        doc = self.documents[best.doc_id]
        # the article's date and metadata count as mentions ("Which base did Rutte visit in 2025?" over an
        # article dated 2025-04 whose text says only "April 8-9")
        about = "\n".join([doc.title, doc.date or "", *doc.metadata.values(), doc.text])
        asked, given = other_year(q.text, doc.text[best.start : best.end], about)
        if not asked:
            return None
        says = f"gives {_quoted(given)}, not" if given else "never mentions"
        message = f"the closest article ({_quote(doc.title)}) {says} {_quoted(asked)}"
        return Abstention("terms_not_in_passage", message, asked)

    def _names_nobody(self, q: QuestionTerms, doc_id: str, spans: Sequence[tuple[int, int]]) -> Abstention | None:
        """An abstention when the question asks for a person it does not name (``asks_for_someone_unnamed``)
        and the answer's sentences name no one the question does not: "Who is Helen Marsh's lawyer?"
        is not answered by "Mrs Marsh, 61, denies the charge."."""
        if not asks_for_someone_unnamed(q.text):
            return None
        doc = self.documents[doc_id]
        if any(names_someone_new(as_matched(doc.text[s:e]), q.text, as_matched(doc.text)) for s, e in spans):
            return None
        return Abstention(
            "answer_type_missing", f"the closest article ({_quote(doc.title)}) does not name the person asked for"
        )

    def _nothing_asked_for(self, q: QuestionTerms, doc_id: str, spans: Sequence[tuple[int, int]]) -> Abstention | None:
        """An abstention when a question asking for a name, a date or a number (kinds in ``MUST_HOLD``: "Which
        property developer paid him?", "When was it built?", "How many ...?") is answered by sentences holding
        none that it does not state itself: "... took bribes from a property developer" names none. Over 1,920
        development questions, no answer to such a question whose best sentence held none of the kind held
        an acceptable answer (530 name, 53 date and 509 number questions; 5, 2 and 2 near misses)."""
        if q.kind not in MUST_HOLD:
            return None
        doc = self.documents[doc_id]
        context = as_matched(doc.text)
        if any(type_match(q.kind, as_matched(doc.text[s:e]), q.text, context) for s, e in spans):
            return None
        if _ASKS_RELEASE.match(q.text) and any(_DATING.search(doc.text, s, e) for s, e in spans):
            return None  # "Which version fixed ...?": "## 2.3.1 (released 2025-03-20)" names it
        return Abstention(
            "answer_type_missing",
            f"the closest article ({_quote(doc.title)}) does not give the {ASKED_FOR[q.kind]} asked for",
        )

    def _role_missing(self, q: QuestionTerms, doc_id: str, spans: Sequence[tuple[int, int]]) -> Abstention | None:
        """An abstention when the question asks for a person by a role (``missing_role``) that the answer's
        article never names, by any word of its family: "Who is Ana Ivanovic's coach?" is not answered by
        the article on her win, which names her opponent and no coach. Nor is a question asking who made
        something by the verb of making ("Who directed Boogeyman?") answered by sentences telling of no
        making (``untold_maker``)."""
        doc = self.documents[doc_id]
        role = missing_role(q.text, f"{doc.title}\n{doc.text}")
        if role is not None:
            named = role if role.isupper() else role.lower()  # "a CEO", "a coach"
            return Abstention(
                "answer_type_missing", f"the closest article ({_quote(doc.title)}) never mentions a {named}", (role,)
            )
        role = untold_maker(q.text, " ".join(doc.text[s:e] for s, e in spans))
        if role is None:
            return None
        return Abstention(
            "answer_type_missing", f"the closest article ({_quote(doc.title)}) does not say who the {role} is", (role,)
        )

    def _withheld(self, q: QuestionTerms, doc_id: str, spans: Sequence[tuple[int, int]]) -> Abstention | None:
        """An abstention when a sentence of the answer says the thing asked for is not given
        (``citeqa.index.text.questions.withheld``): "How much will the drug cost?" is not answered by
        "He declined to say how much the drug would cost", nor by another sentence of its article then."""
        doc = self.documents[doc_id]
        # the answer's sentences in any form, but not one giving the number or date asked for: what it says is
        # not given is something else ("tax cuts worth £4bn, although the specific taxes ... have not been
        # announced" for "What value of tax cuts ...?"); the rest of its article when it withholds with the
        # question's own wh-word ("declined to say how many jobs would go" for "How many jobs will go?")
        found = [withheld(q.text, doc.text[s:e]) for s, e in spans]
        if q.kind in NUMBER_KINDS:
            # unless what is not given is an amount itself ("paid an undisclosed amount for the serialisation
            # and up to £135,000 for work as an adviser")
            found = [
                says
                for says, (s, e) in zip(found, spans, strict=True)
                if says is None
                or _AMOUNT_WORD.search(says)
                or type_match(q.kind, doc.text[s:e], q.text, doc.text) < 1.0
            ]
        if withholds(doc.text, q.text):  # one search of the article before reading its sentences one by one
            found += [withheld(q.text, doc.text[s:e], explicit=True) for s, e in self.spans_of(doc_id)]
        for says in found:
            if says is not None:
                return Abstention(
                    "answer_type_missing",
                    f"the closest article ({_quote(doc.title)}) says it is not given: {_quoted((says,))}",
                )
        return None

    def _reversed(self, q: QuestionTerms, doc_id: str, spans: Sequence[tuple[int, int]]) -> Abstention | None:
        """An abstention when a sentence of the answer gives the question's "from A to B" the other way round
        (``reversed_route``), or says its loser beat its winner (``reversed_result``): a false premise ("Why
        did News Corporation move from Delaware to Australia?", "Why did Andy Roddick lose to Thomas
        Enqvist?" over "Andy Roddick rallied to beat Sweden's Thomas Enqvist")."""
        doc = self.documents[doc_id]
        for s, e in spans:
            result = reversed_result(q.text, doc.text[s:e])
            if result is not None:
                return Abstention(
                    "terms_not_in_passage",
                    f"the closest article ({_quote(doc.title)}) says {_quote(result)}",
                    (result,),
                )
            route = reversed_route(q.text, doc.text[s:e])
            if route is not None:
                origin, destination = route
                return Abstention(
                    "terms_not_in_passage",
                    f"the closest article ({_quote(doc.title)}) says from {_quote(origin)} to "
                    f"{_quote(destination)}, the other way round",
                    route,
                )
        return None

    def _no_event(self, q: QuestionTerms, doc_id: str, spans: Sequence[tuple[int, int]]) -> Abstention | None:
        """An abstention when the question asks about a birth, a death or a marriage
        (``citeqa.index.text.events``) and none of the answer's sentences states one: "When was Mark Rutte
        born?" is not answered by "Mark Rutte visited Japan on April 8-9". For a why-question, the answer's
        article must state the event, not its sentences (a cause need not restate what it caused)."""
        kind = asked_event(q.text)
        if kind is None:
            return None
        doc = self.documents[doc_id]
        # a why-question's answer gives the cause, which need not restate the event: its article must state
        # it ("Why did so many bee colonies die?" over "Mite infestations were to blame", headline "... kills");
        # so does an event the question takes for granted in a clause ("the special in which Den was killed")
        whole = q.kind == "why" or event_in_clause(q.text)
        told = [f"{doc.title}\n{doc.text}"] if whole else [doc.text[s:e] for s, e in spans]
        if any(states_event(kind, text) for text in told):
            return None
        return Abstention(
            "answer_type_missing",
            f"the closest article ({_quote(doc.title)}) does not state the {EVENT_NAMES[kind]} asked about",
        )

    def _no_measure(self, q: QuestionTerms, doc_id: str, spans: Sequence[tuple[int, int]]) -> Abstention | None:
        """An abstention when the question asks for a weight, size, duration, age or count
        (``citeqa.index.text.measures``) and none of the answer's sentences gives one: "How much does the
        Orla Fold weigh?" is not answered by "The Fold's battery lasts about a day and a half"."""
        kind = asked_measure(q.text)
        if kind is None:
            return None
        doc = self.documents[doc_id]
        given = [doc.text[s:e] for s, e in spans if gives_measure(kind, doc.text[s:e], q.text)]
        if given and all(age_of_someone_else(q.text, sentence) for sentence in given):
            return Abstention(
                "answer_type_missing", f"the closest article ({_quote(doc.title)}) gives the age of someone else"
            )
        if given:
            return None
        return Abstention(
            "answer_type_missing",
            f"the closest article ({_quote(doc.title)}) does not give the {MEASURE_NAMES[kind]} asked for",
        )

    def _runner_up(self, ranker: Ranker, ranked: list[Candidate]) -> Candidate | None:
        """The second-best sentence when it is from the best one's article and nearly as likely, or, when
        the best is only the article's headline line, at least half as likely (``choose`` then quotes it
        instead: the body's sentence is the evidence)."""
        if len(ranked) < 2 or ranked[1].doc_id != ranked[0].doc_id:
            return None
        best, second = (ranker.probability(c.features) for c in ranked[:2])
        ratio = ranker.second_ratio / 2 if self._is_title_line(ranked[0]) else ranker.second_ratio
        return ranked[1] if second >= ratio * best else None

    def choose(self, q: QuestionTerms, best: Candidate, runner_up: Candidate | None = None) -> list[tuple[int, int]]:
        """Spans of the answer: the best sentence, with the previous one when it names its subject by a
        pronoun or partial name, or the next one when it is a definition's first half (a lead-in ending
        in a colon, a definition question, a sentence that only restates the question) or when that one
        holds the date or number asked for (``carried``: "She completed it in 1887."), or else the
        ``runner_up`` (a nearly as likely sentence of the same article), which replaces the best when
        that is only the article's headline line. A list item asked which release or when comes under the
        heading that dates it (``_dated_section``), a release's heading with what it heads, a table's row
        under its header row; a heading or a table's header is never quoted beside the best sentence.
        At most two sentences and ``MAX_TOTAL_CHARS``; each
        becomes its own citation, reaching on to the sentence that closes a quotation it opens
        (``_closing_quote``)."""
        spans = self.spans_of(best.doc_id)
        text = self.documents[best.doc_id].text
        chosen = [(best.start, best.end)]
        i = best.index
        sentence = text[best.start : best.end]
        # a heading or a table's header is never quoted beside the answer ("Deadlines", "|---|---|")
        before_heads = i == 0 or heads_text(text, *spans[i - 1])
        after_heads = i + 1 >= len(spans) or heads_text(text, *spans[i + 1])
        if best.features.get("pronoun") and i > 1 and not before_heads and _REFERS_BACK.match(sentence.lstrip()):
            chosen.insert(0, _opening_quote(text, spans, i - 1))
        elif (section := self._dated_section(q, best)) is not None:
            chosen.insert(0, spans[section])  # "## 2.2.0 (released 2024-10-01)" over "- Added the C# binding."
        elif not after_heads and _HEADING_MARKS.match(text, best.start) and not _ASKS_RELEASE.match(q.text):
            chosen.append(spans[i + 1])  # "What did 2.4.0-rc.2 fix?": its heading, then what it says under it
        elif (header := header_index(text, spans, best.start)) is not None:
            chosen.insert(0, spans[header])  # a table's row under its header ("| Band | Annual charge |")
        elif not after_heads and (
            q.kind == "definition" or sentence.rstrip().endswith(":") or best.features.get("echo", 0.0) >= ECHO
        ):
            following = self._defining(q, best.doc_id, i, sentence) if q.kind == "definition" else i + 1
            if following is not None:
                chosen.append(spans[following])
        elif best.features.get("carried") and i + 1 < len(spans):
            chosen.append(spans[i + 1])  # it holds what is asked ("She completed it in 1887.")
        elif runner_up is not None and self._is_title_line(best):
            chosen = [(runner_up.start, runner_up.end)]  # a headline is no evidence when the body says it too
        elif runner_up is not None and not self._is_title_line(runner_up):
            chosen.append((runner_up.start, runner_up.end))
        limit = MAX_DEFINITION_CHARS if q.kind == "definition" else MAX_TOTAL_CHARS
        if len(chosen) > 1 and sum(min(e - s, MAX_ANSWER_CHARS) for s, e in chosen) > limit:
            chosen = [(best.start, best.end)]
        closed = [_closing_quote(text, spans, span) for span in chosen]
        # a span the quotation's continuation now covers is no separate citation
        closed = [c for c in closed if not any(o != c and o[0] <= c[0] and c[1] <= o[1] for o in closed)]
        if len(closed) > 1 and sum(e - s for s, e in closed) > limit:
            closed = [c for c in closed if c[0] <= best.start < c[1]]
        return closed

    def _dated_section(self, q: QuestionTerms, best: Candidate) -> int | None:
        """For a question asking which release or when, the index of the Markdown heading that dates or numbers
        the list ``best`` is an item of, when the item does not: a changelog's or a roadmap's fact is in the
        heading over its list ("## 2.2.0 (released 2024-10-01)", "## Q4 2025"), its item only says what
        ("- Added the C# binding for .NET 6."); a paragraph may come between the heading and its list. None
        otherwise."""
        text = self.documents[best.doc_id].text
        if not _ASKS_RELEASE.match(q.text) or not _LIST_ITEM.match(text, best.start):
            return None
        if any(m.group(0) not in q.text for m in _DATING.finditer(text, best.start, best.end)):
            return None  # the item dates itself ("- 2.4.0-rc.1 added reconnect"); "CVE-2024-31337" is the question's
        spans = self.spans_of(best.doc_id)
        for j in range(best.index - 1, max(best.index - 1 - MAX_LIST_ITEMS, -1), -1):
            start, end = spans[j]
            if not _HEADING_MARKS.match(text, start):
                continue  # an item, or a paragraph between the heading and its list ("Security release. ...")
            return j if _DATING.search(text, start, end) else None
        return None

    def _is_title_line(self, candidate: Candidate) -> bool:
        """Whether ``candidate`` is its article's first line repeating the title: no evidence of its own
        beside a sentence of the body ("... in the United States. [1] S&P 500 [2]"). Compared word by word:
        a Markdown heading's marks are not in its title ("# Corvane Air pilots strike")."""
        doc = self.documents[candidate.doc_id]
        return candidate.index == 0 and opens_with_title(doc, self.spans_of(doc.doc_id))

    def _defining(self, q: QuestionTerms, doc_id: str, i: int, sentence: str) -> int | None:
        """The sentence that goes on defining what sentence ``i`` introduces. When ``i`` expands a term of
        the question in brackets ("... Training for Ukraine (NSATU) command."), the first of the next
        ``DEFINITION_REACH`` sentences naming that term ("The NSATU, headquartered in Germany, ...
        coordinates training", two sentences on); otherwise, or when none does, the next sentence, unless
        that opens another entry of a glossary ("SOC - Security operations centre" after "RTO - Recovery
        time objective: ...") or is a heading: then None."""
        expanded = {t for inside in _BRACKETED.findall(sentence) for t in terms(inside)} & q.weights.keys()
        if not expanded:
            doc = self.documents[doc_id]
            start, end = self.spans_of(doc_id)[i + 1]
            if _ENTRY.match(doc.text, start, end) or heading_line(doc.text, start, end):
                return None
            return i + 1
        known = self.terms_of(doc_id)
        last = min(i + DEFINITION_REACH, len(self.spans_of(doc_id)) - 1)
        return next((j for j in range(i + 1, last + 1) if expanded & known.sentence(j)), i + 1)

    def _cite(self, number: int, doc_id: str, start: int, end: int, score: float) -> Citation:
        """Citation ``number`` of ``doc_id``'s text from ``start`` to ``end`` (within ``_window``'s bounds),
        without the marks of a Markdown heading ("# Lindqvist promoted" quotes "Lindqvist promoted") or the
        fence opening a code block ("```powershell" before "winget install Quillstone")."""
        doc = self.documents[doc_id]
        at_line_start = start == 0 or doc.text[start - 1] == "\n"
        marks = (
            (_HEADING_MARKS.match(doc.text, start, end) or _FENCE.match(doc.text, start, end))
            if at_line_start
            else None
        )
        if marks is not None and marks.end() < end and doc.text[marks.end() : end].strip():
            start = marks.end()
        return Citation(number, doc.doc_id, doc.title, doc.url, doc.text[start:end], start, end, round(score, 4))


_HEADING_MARKS = re.compile(r"#{1,6}[ \t]+")
_FENCE = re.compile(r"(?:```|~~~)[\w+#.-]*[ \t]*\n")  # a Markdown code block's opening fence and its language
# a question asking which release or when ("Which version fixed ...?", "In which release was ...?", "When is ...?")
_ASKS_RELEASE = re.compile(
    r"\s*(?:(?:in\s+)?(?:which|what)\s+(?:version|release|quarter|year|month)s?\b|when\b)", re.IGNORECASE
)
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*•+]|\d+[.)])[ \t]+")
# what dates or numbers a section: a version ("2.2.0"), a year, a quarter ("Q4 2025")
_DATING = re.compile(r"\b\d+\.\d+(?:\.\d+)*\b|\b(?:1[89]|20)\d\d\b|\bQ[1-4]\b|\bH[12]\b")
MAX_LIST_ITEMS = 40  # the most items a list's heading is looked for over
# a term naming one thing by its number, which another number does not answer for: a release ("2.5.0",
# "3.0.0-rc.1"), a long or zero-led number ("99999" of "CVE-2025-99999", "0199" of "24/0199/FUL"), letters
# with digits ("rc3", "a380"), a name written with underscores ("quill_pool_lifetime_ms"); not a year, a count or
# an amount ("2019", "12", "3.5", "1,200"), nor a number with a plural, an ordinal's or a unit's ending ("over
# 60s", "the 1990s", "5th", "10km")
_IDENTIFIER = re.compile(
    r"\d+(?:\.\d+){2,}(?:-\S+)?|0\d+|\d{5,}"
    r"|(?!\d+(?i:s|st|nd|rd|th|m|bn|k|km|kg|cm|mm|ml|am|pm|mph|ft|yrs?|x)\Z)(?=\S*\d)(?=\S*[^\W\d_])[\w.-]{3,}"
    r"|[^\W\d_]\w*(?:_[^\W_]+)+"
)
# a glossary's entry: a term in capitals, then a dash or a colon ("SOC - Security operations centre")
_ENTRY = re.compile(r"\s*[A-Z][A-Z0-9&]{1,9}\s*[-–—:]\s")


def _closing_quote(text: str, spans: Sequence[tuple[int, int]], span: tuple[int, int]) -> tuple[int, int]:
    """``span`` reaching on to the end of the sentence that closes a quotation it opens, when one of the
    next ``QUOTE_REACH`` sentences does within ``MAX_ANSWER_CHARS``: He repeated the phrase: "It's Ukraine
    today. It could be East Asia tomorrow." is one quote, not a sentence ending inside the quotation."""
    start, end = span
    if not _open_quote(text[start:end]):
        return span
    after = [e for s, e in spans if s >= end][:QUOTE_REACH]
    for stop in after:
        if stop - start > MAX_ANSWER_CHARS:
            break
        if not _open_quote(text[start:stop]):
            return start, stop
    return span


def _opening_quote(text: str, spans: Sequence[tuple[int, int]], i: int) -> tuple[int, int]:
    """Sentence ``i``, from the start of the sentence that opens the quotation it closes, when one of the
    ``QUOTE_REACH`` before it does: the end of a quotation ('What happens in Europe matters to Japan.”')
    does not name whom "he" means in the sentence after it; the sentence that opened it may ('Rutte noted,
    “Our security ...')."""
    start, end = spans[i]
    if text[start:end].count("”") <= text[start:end].count("“"):
        return spans[i]
    for j in range(i - 1, max(i - 1 - QUOTE_REACH, -1), -1):
        if not _open_quote(text[spans[j][0] : end]) and "“" in text[spans[j][0] : spans[j][1]]:
            return spans[j][0], end
    return spans[i]


def _open_quote(passage: str) -> bool:
    """Whether ``passage`` opens a double quotation it does not close (curly quotes, or an odd number of
    straight ones)."""
    return passage.count("“") > passage.count("”") or passage.count('"') % 2 == 1


def _quote(text: str) -> str:
    """``text`` between typographic double quotes, the one style of abstention reasons: a title or word
    holding an apostrophe or a straight quote (“Japan's ageing workforce”) reads as the others do, and
    JSON carries them unescaped."""
    return f"“{text}”"


def _below(p: float, threshold: float) -> str:
    """ "confidence 0.42 < 0.55", with as many decimals as tell the two apart ("0.548 < 0.553", not "0.55 <
    0.55")."""
    digits = next((d for d in range(2, 6) if round(p, d) < round(threshold, d)), 6)
    return f"confidence {p:.{digits}f} < {threshold:.{digits}f}"


def _quoted(terms: Sequence[str]) -> str:
    quoted = [_quote(t) for t in terms]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


# where a long sentence may be cut: after its clauses and list items ("...; consumables such as filters;"),
# then, when no run of those fits, after any comma
_CLAUSE_ENDS = (re.compile(r"[;:]\s+"), re.compile(r"[;:,]\s+"))


def _window(text: str, start: int, end: int, weights: Mapping[str, float] | None = None) -> tuple[int, int]:
    """The part of the sentence ``text[start:end]`` an answer quotes: all of it within ``MAX_ANSWER_CHARS``;
    else the run of whole clauses (cut after ";" or ":", else after ",") within that length holding the most
    of the question's term ``weights``, the earliest on a tie ("The warranty does not cover: ...; cosmetic
    damage such as scratches and dents that were not reported within 14 days of delivery; ..." asked about
    scratches on delivery quotes that clause whole, not the sentence's first 350 characters cut at "were
    not"); else its first ``MAX_ANSWER_CHARS`` cut at a word boundary."""
    if end - start <= MAX_ANSWER_CHARS:
        return start, end
    for pattern in _CLAUSE_ENDS:
        marks = list(pattern.finditer(text, start, end))
        ends = [*(m.start() for m in marks), end]
        starts = [start, *(m.end() for m in marks)]
        best: tuple[float, int, int] | None = None
        for s in starts:
            fitting = [e for e in ends if s < e <= s + MAX_ANSWER_CHARS]
            if not fitting:
                continue
            e = max(fitting)
            held = sum(weights.get(t, 0.0) for t in set(terms(text[s:e]))) if weights else 0.0
            if best is None or held > best[0]:
                best = (held, s, e)
        if best is not None:
            return best[1], best[2]
    cut = text.rfind(" ", start, start + MAX_ANSWER_CHARS)
    return start, cut if cut > start else start + MAX_ANSWER_CHARS


_FULL_DATE = re.compile(r"\b(\d{1,2})\s+(" + MONTH_WORD + r")\s+(\d{4})\b", re.IGNORECASE)
_MONTH_ORDER = "jan feb mar apr may jun jul aug sep oct nov dec".split()


def _dated_before(sentence: str, other: str) -> bool:
    """Whether ``sentence`` is dated before ``other``, both naming a full date ("12 March 2025: Saturday clinic
    moves ..." before "1 September 2025: Flu clinics ..."): by the first each names."""

    def first(text: str) -> tuple[int, int, int] | None:
        found = _FULL_DATE.search(text)
        if found is None:
            return None
        return int(found.group(3)), _MONTH_ORDER.index(found.group(2)[:3].lower()) + 1, int(found.group(1))

    mine, theirs = first(sentence), first(other)
    return mine is not None and theirs is not None and mine < theirs


def _shown(citation: Citation, span: tuple[int, int], window: tuple[int, int]) -> str:
    """``citation`` as the answer's text shows it: its quote and marker, with "…" where the quote leaves out
    part of its sentence ``span`` (``window``: what ``_window`` kept of it)."""
    before = "… " if window[0] > span[0] else ""
    after = " …" if window[1] < span[1] else ""
    return f"{before}{citation.quote}{after} [{citation.id}]"


__all__ = [
    "NOT_COVERED",
    "STOPWORDS",
    "AbstainModel",
    "Abstention",
    "Answer",
    "Candidate",
    "Citation",
    "Extractor",
    "question_type",
]
