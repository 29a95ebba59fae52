"""The answer step's plumbing on a tiny corpus: multi-sentence answers, exact citations, abstention reasons.

A deterministic bag-of-words encoder stands in for the model (tests/answer_fixtures.py); the real
model's answers are measured in test_answer_cv.py and test_quality*.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from citeqa.index.answering.abstention import AbstainModel, load_abstain_model
from citeqa.index.answering.extraction import Answer, Extractor
from citeqa.index.answering.features import Candidate, Prepared, heading_line
from citeqa.index.answering.ranker import Ranker
from citeqa.index.domain import Document
from citeqa.index.store.lexical import build_lexical
from tests.index.answering.fixtures import DOCUMENTS, LIGHTHOUSE, encode, lexical, passage, stored_sentences

ALWAYS = AbstainModel(10.0, {}, 0.0, ranker=Ranker({"coverage": 1.0, "type": 0.5}))
NEVER = AbstainModel(-10.0, {}, 1.0, ranker=Ranker({"coverage": 1.0, "type": 0.5}))


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(lexical(), DOCUMENTS, stored_sentences(DOCUMENTS), load_abstain_model())


def _ask(extractor: Extractor, question: str, model: AbstainModel, docs: tuple[str, ...] = ("lighthouse",)) -> Answer:
    passages = [passage(DOCUMENTS[d], rank) for rank, d in enumerate(docs)]
    prepared = extractor.prepare_many([question], [passages], encode([question]))[0]
    return extractor.finish(prepared, model, 5)


def _candidate(extractor: Extractor, doc_id: str, sentence: str) -> Candidate:
    start = DOCUMENTS[doc_id].text.index(sentence)
    index = next(i for i, (s, _) in enumerate(extractor.spans_of(doc_id)) if s == start)
    q = extractor.prepare_many(["x"], [[passage(DOCUMENTS[doc_id])]], encode(["x"]))[0].candidates
    features = next(c.features for c in q if c.start == start)
    return Candidate(doc_id, start, start + len(sentence), index, features)


def _over(doc: Document, question: str) -> tuple[Extractor, Prepared]:
    """An extractor over ``doc`` alone (``ALWAYS``'s ranker) and ``question`` prepared over the whole of it."""
    documents = {doc.doc_id: doc}
    extractor = Extractor(build_lexical([doc.title + "\n" + doc.text]), documents, stored_sentences(documents), ALWAYS)
    return extractor, extractor.prepare_many([question], [[passage(doc)]], encode([question]))[0]


def test_pronoun_subject_brings_the_sentence_naming_it(extractor: Extractor) -> None:
    best = _candidate(extractor, "lighthouse", "She was appointed curator in 2003 by the town council.")
    q = extractor.prepare_many(["When was she appointed?"], [[passage(LIGHTHOUSE)]], encode(["q"]))[0].question
    spans = extractor.choose(q, best)
    assert [LIGHTHOUSE.text[s:e] for s, e in spans] == [
        "Anna Berg runs the museum.",
        "She was appointed curator in 2003 by the town council.",
    ]


def test_definition_question_gets_the_next_sentence_too(extractor: Extractor) -> None:
    answer = _ask(extractor, "What is NSATU?", ALWAYS, ("nsatu",))
    quotes = [c.quote for c in answer.citations]
    assert quotes == [
        "Japan wants to join the NATO Security Assistance and Training for Ukraine (NSATU) command.",
        "The NSATU coordinates training and the supply of equipment for Ukraine.",
    ]
    assert answer.answer == f"{quotes[0]} [1] {quotes[1]} [2]"


def test_every_citation_is_exact_and_answers_stay_short(extractor: Extractor) -> None:
    for question in ("Who runs the museum?", "When are the visiting hours?", "What is NSATU?"):
        answer = _ask(extractor, question, ALWAYS, ("lighthouse", "nsatu"))
        assert answer.answerable and 1 <= len(answer.citations) <= 2
        for c in answer.citations:
            assert DOCUMENTS[c.doc_id].text[c.start : c.end] == c.quote
        assert sum(len(c.quote) for c in answer.citations) <= 400


def test_runner_up_of_the_same_article_is_cited_when_nearly_as_likely(extractor: Extractor) -> None:
    close = AbstainModel(10.0, {}, 0.0, ranker=Ranker({"coverage": 1.0}, second_ratio=0.0))
    answer = _ask(extractor, "Who runs the museum on visiting days?", close)
    assert len(answer.citations) == 2
    assert len(_ask(extractor, "Who runs the museum on visiting days?", ALWAYS).citations) == 1


@pytest.mark.parametrize(
    ("question", "code", "said"),
    [
        ("When was the lighthouse demolished?", "not_in_corpus", "“demolished”"),
        ("When did the harbour lighthouse join NATO?", "terms_not_in_passage", "“NATO”"),
        ("Where does Anna Berg run the museum?", "low_confidence", "does not give the place asked for"),
    ],
)
def test_abstention_says_what_is_missing(extractor: Extractor, question: str, code: str, said: str) -> None:
    answer = _ask(extractor, question, NEVER)
    assert not answer.answerable and answer.citations == ()
    assert answer.abstention.code == code and said in answer.abstention.message


@pytest.mark.parametrize(
    ("question", "model", "reason"),
    [
        ("When was the lighthouse demolished?", NEVER, "no passage mentions “demolished”"),
        (
            "When did the harbour lighthouse join NATO?",
            NEVER,
            "the closest article (“Harbour's lighthouse reopens”) does not mention “join” or “NATO”",
        ),
        (
            "When did the harbour lighthouse reopen to visitors in 2019?",
            ALWAYS,
            "the closest article (“Harbour's lighthouse reopens”) never mentions “2019”",
        ),
        (
            "Where does Anna Berg run the museum?",
            NEVER,
            "the closest article (“Harbour's lighthouse reopens”) does not give the place asked for",
        ),
    ],
)
def test_abstention_reasons_quote_titles_and_words_in_one_style(
    question: str, model: AbstainModel, reason: str
) -> None:
    """Titles and words alike between typographic double quotes: Python's repr quoted words 'NATO' but a
    title with an apostrophe "Harbour's lighthouse reopens", two styles in one reason."""
    documents = {**DOCUMENTS, "lighthouse": replace(LIGHTHOUSE, title="Harbour's lighthouse reopens")}
    extractor = Extractor(lexical(), documents, stored_sentences(documents), load_abstain_model())
    prepared = extractor.prepare_many([question], [[passage(documents["lighthouse"])]], encode([question]))[0]
    answer = extractor.finish(prepared, model, 5)
    assert not answer.answerable
    assert answer.reason is not None and answer.reason.split(" (confidence")[0] == reason


def test_a_word_absent_from_the_corpus_lowers_the_packaged_models_confidence(extractor: Extractor) -> None:
    model = load_abstain_model()
    present = _ask(extractor, "When did the harbour lighthouse reopen?", model)
    absent = _ask(extractor, "When was the harbour lighthouse demolished?", model)
    assert absent.confidence < present.confidence
    assert absent.signals["unknown"] > 0 == present.signals["unknown"]


@pytest.mark.parametrize(("date", "answered"), [(None, False), ("2019-05-04", True)])
def test_a_year_the_article_s_date_gives_is_no_other_year(date: str | None, answered: bool) -> None:
    """A new-user trial's "Which naval base did Rutte visit in 2025?" was refused ("never mentions “2025”")
    over an article dated 2025-04 whose text says only "April 8-9": the date is the article's too."""
    dated = {**DOCUMENTS, "lighthouse": replace(LIGHTHOUSE, date=date)}
    extractor = Extractor(lexical(), dated, stored_sentences(dated), load_abstain_model())
    answer = _ask(extractor, "When did the harbour lighthouse reopen to visitors in 2019?", ALWAYS)
    assert answer.answerable is answered
    if not answered:
        assert "never mentions “2019”" in answer.abstention.message


SPEECH = Document(
    "speech",
    "Mayor opens harbour",
    "Mayor opens harbour\n\nThe harbour reopened on Monday. In her speech, the mayor said, “Our town is "
    "clearly linked to the sea. What happens at the harbour matters to every street.” She even repeated her "
    "favourite phrase: “It’s the harbour today. It could be the whole town tomorrow.” This year's festival, "
    "run by Tom Reddy, starts on Friday. Visitors cheered.",
)


def _choose(question: str, sentence: str) -> list[str]:
    """The quotes ``choose`` gives when ``sentence`` of SPEECH is the best candidate."""
    documents = {SPEECH.doc_id: SPEECH}
    extractor = Extractor(
        build_lexical([SPEECH.title + "\n" + SPEECH.text]), documents, stored_sentences(documents), ALWAYS
    )
    start = SPEECH.text.index(sentence)
    prepared = extractor.prepare_many([question], [[passage(SPEECH)]], encode([question]))[0]
    best = next(c for c in prepared.candidates if c.start == start)
    return [SPEECH.text[s:e] for s, e in extractor.choose(prepared.question, best)]


def test_a_quotation_is_cited_whole_with_the_sentence_that_opened_it() -> None:
    """A new-user trial's "What phrase did Kishida repeat?" was answered with '“It’s Ukraine today.', the
    quotation cut at its first full stop, after the end of another quotation as the context of "He"."""
    quotes = _choose("What phrase did the mayor repeat?", "She even repeated")
    assert quotes == [
        "In her speech, the mayor said, “Our town is clearly linked to the sea. What happens at the harbour "
        "matters to every street.”",
        "She even repeated her favourite phrase: “It’s the harbour today. It could be the whole town tomorrow.”",
    ]


def test_this_as_a_determiner_brings_no_context() -> None:
    """A determiner names no one before: "This year's festival, run by Tom Reddy, ..." names its subject
    itself. A new-user trial's "Who is Caspian Thrule?" was answered with an unrelated sentence before
    "This year's artistic director, Caspian Thrule, ..."."""
    assert _choose("Who runs the festival?", "This year's festival") == [
        "This year's festival, run by Tom Reddy, starts on Friday."
    ]


def test_the_title_line_is_never_cited_beside_a_sentence_of_the_body(extractor: Extractor) -> None:
    """A new-user trial's "What does the S&P 500 track?" was answered "... in the United States. [1] S&P 500
    [2]": the article's first line repeating its title came as the runner-up."""
    best = _candidate(extractor, "lighthouse", "Anna Berg runs the museum.")
    title = _candidate(extractor, "lighthouse", "Harbour lighthouse reopens")
    q = extractor.prepare_many(["Who runs the museum?"], [[passage(LIGHTHOUSE)]], encode(["q"]))[0].question
    assert [LIGHTHOUSE.text[s:e] for s, e in extractor.choose(q, best, title)] == ["Anna Berg runs the museum."]
    other = _candidate(extractor, "lighthouse", "Visiting hours are from 10am to 4pm every day.")
    assert len(extractor.choose(q, best, other)) == 2


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        # "born" asked, no sentence of the answer says it: a near miss, whatever the model's confidence
        ("Where was the curator Anna Berg born?", "does not state the birth asked about"),
        ("When did the curator Anna Berg marry?", "does not state the marriage asked about"),
    ],
)
def test_a_life_event_the_answer_does_not_state(extractor: Extractor, question: str, reason: str) -> None:
    answer = _ask(extractor, question, ALWAYS)
    assert not answer.answerable and answer.abstention.code == "answer_type_missing"
    assert reason in answer.abstention.message


def test_a_question_about_no_life_event_is_answered(extractor: Extractor) -> None:
    assert _ask(extractor, "When was the curator Anna Berg appointed?", ALWAYS).answerable


def test_a_rare_word_a_small_corpus_never_uses_is_no_answer(extractor: Extractor) -> None:
    """Issue 13: "When was the lighthouse demolished?" was answered with its visiting hours."""
    answer = _ask(extractor, "When was the harbour lighthouse demolished?", ALWAYS)
    assert not answer.answerable and answer.abstention.code == "not_in_corpus"
    assert answer.abstention.terms == ("demolished",)
    # a common word's absence says little ("show"), and one sharing five letters with a corpus word is there
    assert _ask(extractor, "What does the harbour lighthouse show visitors?", ALWAYS).answerable
    assert _ask(extractor, "When did the lighthouse's visitings begin?", ALWAYS).answerable


def test_a_confidence_below_the_threshold_reads_below_it() -> None:
    """A new user read "(confidence 0.55 < 0.55)": both rounded to two decimals."""
    from citeqa.index.answering.extraction import _below

    assert _below(0.42, 0.55) == "confidence 0.42 < 0.55"
    assert _below(0.5475, 0.5531) == "confidence 0.547 < 0.553"


VIADUCT = Document(
    "viaduct",
    "Calder viaduct",
    "Calder viaduct\n\nThe Calder viaduct was built by the engineer Hugh Pennant. He finished it in 1898. "
    "The Ardle bridge was designed by Ruth Kerr. “She drew it in 1902,” her son said.",
)


@pytest.mark.parametrize(
    ("question", "sentence", "quotes"),
    [
        # the year is in the next sentence, which carries on by a pronoun: both are quoted
        (
            "When was the Calder viaduct built?",
            "The Calder viaduct was built by the engineer Hugh Pennant.",
            ["The Calder viaduct was built by the engineer Hugh Pennant.", "He finished it in 1898."],
        ),
        # a "why" question is not carried (no date asked for)
        (
            "Why was the Calder viaduct built?",
            "The Calder viaduct was built by the engineer Hugh Pennant.",
            ["The Calder viaduct was built by the engineer Hugh Pennant."],
        ),
        # a quotation starting with a pronoun is someone speaking, not the sentence carrying on
        (
            "When was the Ardle bridge designed?",
            "The Ardle bridge was designed by Ruth Kerr.",
            ["The Ardle bridge was designed by Ruth Kerr."],
        ),
    ],
)
def test_the_date_asked_for_is_carried_from_the_next_sentence_only_when_it_carries_on(
    question: str, sentence: str, quotes: list[str]
) -> None:
    extractor, prepared = _over(VIADUCT, question)
    best = next(c for c in prepared.candidates if c.start == VIADUCT.text.index(sentence))
    carried = len(quotes) == 2
    assert (best.features.get("carried") == 1.0) is carried and (best.features["type"] == 1.0 or not carried)
    assert [VIADUCT.text[s:e] for s, e in extractor.choose(prepared.question, best)] == quotes


MOVES = Document(
    "moves",
    "Rovers and the Hull firm",
    "Rovers and the Hull firm\n\nRovers made an undisclosed offer for 21-year-old defender Dawson. "
    "Marlow Tools moved its head office from Hull to Leeds in 2003. "
    "Kelso Rovers rallied to beat Ardle Town 2-1 on Saturday.",
)


@pytest.mark.parametrize(
    ("question", "code", "said"),
    [
        ("How much did Rovers offer for Dawson?", "answer_type_missing", "“undisclosed offer”"),
        (
            "Why did Marlow Tools move its head office from Leeds to Hull?",
            "terms_not_in_passage",
            "the other way round",
        ),
        (
            "Why did Kelso Rovers lose to Ardle Town?",
            "terms_not_in_passage",
            "“Kelso Rovers rallied to beat Ardle Town”",
        ),
    ],
)
def test_an_answer_saying_the_sum_is_not_given_or_the_premise_went_the_other_way_abstains(
    question: str, code: str, said: str
) -> None:
    """An undisclosed offer is no sum even beside another number ("21-year-old"); a move asked about from
    Leeds to Hull is not explained by one from Hull to Leeds, nor a defeat by the other side's."""
    extractor, prepared = _over(MOVES, question)
    answer = extractor.finish(prepared, ALWAYS, 5)
    assert not answer.answerable and answer.abstention is not None
    assert answer.abstention.code == code and said in answer.abstention.message


def test_a_common_word_a_small_corpus_never_uses_is_not_the_reason(extractor: Extractor) -> None:
    """ "get" (specificity 0.0) is in no passage of the two articles, but it is not why the answer is refused:
    a rare word would be ("demolished")."""
    common = _ask(extractor, "Why did the harbour lighthouse get reopened?", NEVER)
    assert not common.answerable and "“get”" not in common.abstention.message, common.abstention
    rare = _ask(extractor, "Why was the harbour lighthouse demolished?", NEVER)
    assert rare.abstention.code == "not_in_corpus" and "“demolished”" in rare.abstention.message


def test_a_name_in_fullwidth_letters_is_a_person() -> None:
    """Names are read as matching reads them; the quote stays as written."""
    jury = Document(
        "jury",
        "Award jury",
        "Award jury\n\nThe award went to a harbour café. The jury was chaired by Ｈｅｌｇａ Ｂｒｕｎｓ of the chamber.",
    )
    extractor, prepared = _over(jury, "Who chaired the jury?")
    chaired = next(c for c in prepared.candidates if "chaired" in jury.text[c.start : c.end])
    assert chaired.features["type"] == 1.0  # a new name, as "Helga Bruns" would be
    answer = extractor.finish(prepared, ALWAYS, 5)
    assert answer.answerable and "Ｈｅｌｇａ Ｂｒｕｎｓ" in answer.citations[0].quote, answer.abstention


@pytest.mark.parametrize(
    ("text", "headline", "lead"),
    [
        # a BBC article: the headline line, then the body
        ("Cafe wins award\n\nZoe Castellanos has won the award. She opened the cafe in 2019.", [1, 0, 0], [0, 1, 0]),
        # a Markdown file whose title was in its front matter: the body's first sentence is the lead
        ("Zoe Castellanos has won the award. She opened the cafe in 2019.", [0, 0], [1, 0]),
    ],
)
def test_the_headline_is_the_title_line_and_the_lead_the_body_s_first_sentence(
    text: str, headline: list[int], lead: list[int]
) -> None:
    doc = Document("cafe", "Cafe wins award", text)
    _, prepared = _over(doc, "Who won the award?")
    ordered = sorted(prepared.candidates, key=lambda c: c.index)
    assert [c.features["headline"] for c in ordered] == headline
    assert [c.features["lead"] for c in ordered] == lead


def test_a_question_asking_for_a_name_is_not_answered_by_sentences_naming_none() -> None:
    doc = Document(
        "bribes",
        "Former mayor in court",
        "Former mayor in court\n\nThe former mayor was accused of taking bribes from a property developer. "
        "The developer was named in court as Kestrel Homes.",
    )
    extractor, prepared = _over(doc, "Which property developer paid the mayor?")
    best = next(c for c in prepared.candidates if "bribes" in doc.text[c.start : c.end])
    unsaid = extractor._unsaid(prepared.question, doc.doc_id, [(best.start, best.end)])
    assert unsaid is not None and unsaid.message.endswith("does not give the name asked for")
    named = next(c for c in prepared.candidates if "Kestrel" in doc.text[c.start : c.end])
    assert extractor._unsaid(prepared.question, doc.doc_id, [(named.start, named.end)]) is None


@pytest.mark.parametrize(
    ("question", "holds"),
    [
        ("When did the council approve the harbour plan?", False),
        ("How many councillors approved the harbour plan?", False),
        ("When did the council meet?", True),
    ],
)
def test_a_date_or_number_asked_for_must_be_in_the_answer(question: str, holds: bool) -> None:
    doc = Document(
        "harbour",
        "Harbour plan",
        "Harbour plan\n\nThe council approved the harbour plan after a long debate. It met on Monday.",
    )
    extractor, prepared = _over(doc, question)
    cited = next(c for c in prepared.candidates if c.index == (2 if holds else 1))  # "It met on Monday." or the first
    unsaid = extractor._unsaid(prepared.question, doc.doc_id, [(cited.start, cited.end)])
    assert (unsaid is None) is holds, unsaid


def test_a_sponsor_asked_for_by_who_may_be_a_firm() -> None:
    """A new user's "Who sponsored the summit?" was answered with the panellist's sentence: a who-question
    wanted a person, and the sponsor is a firm. Shipped model."""
    summit = Document(
        "summit",
        "Developer summit",
        "Developer summit\n\nThe Kelbridge Developer Summit drew about 2,300 programmers to the harbour hall. "
        "Panellist Ingrid Solvay said her team rewrote its billing service in F# in 2022. "
        "The summit's main sponsor was AT&T, which used its stand to show a 4G fallback for rural areas.",
    )
    extractor, prepared = _over(summit, "Who sponsored the Kelbridge summit?")
    sponsor = next(c for c in prepared.candidates if "sponsor" in summit.text[c.start : c.end])
    assert sponsor.features["person_missing"] == 0.0
    answer = extractor.finish(prepared, load_abstain_model(), 5)
    assert answer.answerable and "AT&T" in answer.citations[0].quote, answer


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("## Annual leave\nStaff get 28 days.", "## Annual leave"),
        ("**Is there a free trial?**\nEvery workspace gets a 21-day free trial.", "**Is there a free trial?**"),
        ("Cost\nThe analysis cost EUR 6,800.", "Cost"),
        ("Is it safe?\nThe audit says so.", "Is it safe?"),
    ],
)
def test_a_heading_line_is_a_heading(text: str, heading: str) -> None:
    assert heading_line(text, 0, len(heading))


@pytest.mark.parametrize(
    "line",
    [
        "| Taxi or ride-hailing | EUR 35 per ride |",  # a table row
        "- 28 days of leave",  # a list item
        "9,796",  # an attendance (BBC)
        "Ipswich v Bolton",  # a fixture (BBC)
        "Animation - Brush Head",  # an award and its winner (BBC)
        "Staff get 28 days.",  # a sentence
        "## v2.3.1 (2024-10-30)",  # a release's date in its heading
    ],
)
def test_a_fact_set_out_as_a_line_is_no_heading(line: str) -> None:
    assert not heading_line(f"Intro.\n{line}\nMore.", 7, 7 + len(line))


def test_a_heading_is_never_the_answer() -> None:
    """A new user's FAQ had "What discount do customers get on annual plans?" answered with the heading
    "**What plans are available?**" alone, and "How long is the free trial?" refused over its heading."""
    faq = Document(
        "faq",
        "Product FAQ",
        "Product FAQ\n\n**What plans are available?**\nStarter, Team and Enterprise.\n\n"
        "**Is there a free trial?**\nEvery new workspace gets a 21-day free trial of the Team plan.",
    )
    extractor, prepared = _over(faq, "How long is the free trial?")
    quoted = [faq.text[c.start : c.end] for c in prepared.candidates]
    assert "**Is there a free trial?**" not in quoted and "Starter, Team and Enterprise." in quoted
    answer = extractor.finish(prepared, load_abstain_model(), 5)
    assert answer.answerable and "21-day" in answer.citations[0].quote, answer


def test_a_glossary_entry_is_not_continued_by_the_next_entry() -> None:
    """A definition question cites the sentence after the definition (what the thing does), but not the
    glossary's next entry: a new user's "What is the RTO?" cited "SOC - Security operations centre" too."""
    glossary = Document(
        "glossary",
        "Glossary",
        "Glossary\n\nRPO - Recovery point objective: how much data may be lost.\n"
        "RTO - Recovery time objective: how long it may take to restore the service.\n"
        "SOC - Security operations centre; ours is run by Nordwatch.",
    )
    extractor, prepared = _over(glossary, "What is the RTO?")
    best = next(c for c in prepared.candidates if glossary.text[c.start :].startswith("RTO"))
    assert [glossary.text[s:e] for s, e in extractor.choose(prepared.question, best)] == [
        "RTO - Recovery time objective: how long it may take to restore the service."
    ]
