"""People: questions asking for a person, and the people a sentence names that the question does not."""

from __future__ import annotations

import pytest

from citeqa.index.text.people import (
    accepts_organisation,
    asks_for_a_person_by_role,
    asks_for_person,
    asks_for_someone_unnamed,
    is_person,
    missing_role,
    names_someone_new,
    new_people,
    untold_maker,
)

ARTICLE = (
    "Harbour trust names new director\n"
    "The Kelvmouth Harbour Trust has appointed Maren Oakes as its new director. "
    "Ms Oakes, 47, replaces Tobias Reed, who retires in May. "
    "The trust was founded by shipwright Elspeth Varga in 1911. "
    "Kelvmouth Council welcomed the decision. "
    "Harbour Lights Festival organisers said visitor numbers rose by 12%. "
    '"We are delighted," said Oakes.'
)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who is the new director of the harbour trust?", True),
        ("Which British writer's novel was adapted?", True),
        ("Which veteran actress did he marry?", True),
        ("What is the name of the woman suing the printer maker?", True),
        ("When was the trust founded?", False),
        ("Which council welcomed the decision?", False),
        ("How many visitors came?", False),
        # whom to reach: an address or a desk answers (seventeenth session's trial: "does not name the person")
        ("Who should I email about a vulnerability I found?", False),
        ("Who do we contact to report a missed bin?", False),
        ("Who should the report be sent to?", True),
    ],
)
def test_questions_asking_for_a_person_are_told_apart(question: str, asks: bool) -> None:
    assert asks_for_person(question) is asks


@pytest.mark.parametrize(
    ("question", "either"),
    [
        ("Who sponsored the Kelbridge summit?", True),
        ("Who was the main sponsor of the summit?", True),
        ("Who owns the Dunmore Brewery?", True),
        ("Who bought the Rover plant?", True),
        ("Who is the publisher of the game?", True),
        ("Who owned up to writing the virus?", False),  # confessed: a person
        ("Who runs Café Brisa?", False),
        ("Who supplied the cross for the opening goal?", False),
        ("Who won the award?", False),
        ("Who won the contract for the Holloway Park play area?", True),  # a firm wins a contract
        ("Who was awarded the bus franchise?", True),
    ],
)
def test_who_questions_a_firm_answers_as_well_as_a_person(question: str, either: bool) -> None:
    assert asks_for_person(question) and accepts_organisation(question) is either


@pytest.mark.parametrize(
    ("phrase", "person"),
    [
        ("Maren Oakes", True),  # "Ms Oakes" and "said Oakes"
        ("Tobias Reed", False),  # named once, with nothing that marks a person
        ("Elspeth Varga", False),  # no title, speech verb, age or known role marks her: missed, not guessed
        ("Kelvmouth Council", False),
        ("Harbour Lights Festival", False),
    ],
)
def test_a_phrase_is_a_person_when_the_article_treats_it_as_one(phrase: str, person: bool) -> None:
    assert is_person(phrase, ARTICLE) is person


def test_a_role_or_an_age_marks_a_person() -> None:
    text = "The club signed striker Ana Lopes on Monday. Ben Carter, 31, joined from Leeds."
    assert is_person("Ana Lopes", text)
    assert is_person("Ben Carter", text)
    assert not is_person("Leeds", text)


def test_new_people_are_those_the_question_does_not_name() -> None:
    sentence = "The Kelvmouth Harbour Trust has appointed Maren Oakes as its new director."
    assert new_people(sentence, "Who is the new director of the Kelvmouth Harbour Trust?", ARTICLE) == ["Maren Oakes"]
    assert new_people(sentence, "Who did the trust appoint after Maren Oakes?", ARTICLE) == []
    assert new_people("Kelvmouth Council welcomed the decision.", "Who welcomed it?", ARTICLE) == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who is Helen Marsh's lawyer?", True),
        ("Who restored the lifeboat?", True),
        ("Which writer adapted the book?", True),
        ("Who is Mark Rutte?", False),  # names the person, asks what they are
        ("Who was Zoë Marchetti?", False),
        ("What did the museum cost?", False),
    ],
)
def test_asks_for_someone_unnamed(question: str, expected: bool) -> None:
    assert asks_for_someone_unnamed(question) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Mrs Marsh, 61, denies the charge.", False),  # a title is not a new name
        ("Visitors can see the restored lifeboat.", False),  # a common word opening the sentence
        ("Her lawyer, Tom Reddy, spoke outside court.", True),
        ("Reddy said she would appeal.", True),  # opening the sentence, but written inside one elsewhere
    ],
)
def test_names_someone_new(sentence: str, expected: bool) -> None:
    document = "Retired teacher Helen Marsh appeared in court, defended by Tom Reddy. " + sentence
    assert names_someone_new(sentence, "Who is Helen Marsh's lawyer?", document) is expected


@pytest.mark.parametrize(
    ("question", "by_role"),
    [
        ("Who is the chief executive of the harbour trust?", True),
        ("Who replaced Tobias Reed as director?", True),
        ("Which British writer's novel was adapted?", True),
        ("Who bought the harbour trust?", False),  # a firm may buy
        ("Who is Maren Oakes?", False),  # names the person
        ("When was the trust founded?", False),
    ],
)
def test_questions_asking_for_a_person_by_role(question: str, by_role: bool) -> None:
    assert asks_for_a_person_by_role(question) is by_role


@pytest.mark.parametrize(
    "question",
    [
        "What are the names of the men police questioned over the harbour theft?",
        "What is the real name of the diver known as Kraken?",
        "What is the name of the Kelvmouth woman suing the harbour trust?",
    ],
)
def test_the_names_of_people_ask_for_people(question: str) -> None:
    assert asks_for_person(question)
    assert asks_for_a_person_by_role(question)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A UK woman is suing Kelvmouth Harbour Trading (KHT) over lost moorings.", False),  # "KHT" spelt out
        ("A UK woman is suing the company over lost moorings.", False),  # an acronym names no one
        ("Maren Oakes is suing Kelvmouth Harbour Trading (KHT) over lost moorings.", True),
    ],
)
def test_an_acronym_or_its_expansion_is_no_answer_to_a_person_asked_for(sentence: str, expected: bool) -> None:
    question = "What is the name of the woman suing KHT over lost moorings?"
    assert names_someone_new(sentence, question, ARTICLE + " " + sentence) is expected


@pytest.mark.parametrize(
    ("question", "article", "missing"),
    [
        # issue 13's near miss, our text: the article on her win names her opponent, no coach
        ("Who is Lena Varga's coach?", "Lena Varga beat Mira Holt 6-2 6-3 in the final.", "coach"),
        ("Who is Lena Varga's coach?", "Varga's trainer, Ana Ruiz, watched the final.", None),  # a word of its family
        ("Who replaced Tom Reed as director?", "Tom Reed will stand down in May.", "replaced"),
        ("Who replaced Tom Reed as director?", "Ann Lee takes over from Tom Reed in May.", None),
        (
            "Who is the chief executive of Kelvmouth Harbour Trading?",
            "The firm said profits rose 10%.",
            "chief executive",
        ),
        ("Who is the chief executive of Kelvmouth Harbour Trading?", "The firm's boss, Ann Lee, spoke.", None),
        # its acronym is the same role: "CEO" in the question, "chief executive" in the article, or neither
        ("Who is the CEO of Kelvmouth Harbour Trading?", "The firm said profits rose 10%.", "CEO"),
        ("Who is the CEO of Kelvmouth Harbour Trading?", "Its chief executive, Ann Lee, spoke.", None),
        ("Who is the chief executive of Kelvmouth Harbour Trading?", "Its CEO, Ann Lee, spoke.", None),
        # several roles: missing only when the article uses none of them
        ("Which singer did the veteran comedian marry?", "The comedian married Ann Lee in 1950.", None),
        ("Who restored the lifeboat?", "The lifeboat was restored.", None),  # no role asked
        ("Which cabinet minister put forward the plan?", "Home Secretary Ann Lee put forward the plan.", None),
        # a maker asked for by the verb of making: the article must tell of that making
        ("Who directed Harbour Lights?", "Harbour Lights took $12m at the weekend.", "director"),
        ("Who directed Harbour Lights?", "Film-maker Ann Lee's Harbour Lights took $12m.", None),
        ("Who set up the Kelvmouth Rowing Club?", "The club won the regatta again.", "founder"),
        ("Who set up the Kelvmouth Rowing Club?", "Tom Reed founded the club in 1921.", None),
        ("Who produced the band's debut album?", "The band's debut album sold 3,000 copies.", "producer"),
        # families: an opposition spokesman is its shadow secretary; an MP holds a seat
        ("Which Tory health spokesman spoke?", "Ann Lee, the shadow health secretary, spoke.", None),
        ("Which Tory health spokesman spoke?", "The health service was praised.", "spokesman"),
        ("Which former MP spoke?", "Tom Reed, who won the Tatton seat in 1997, spoke.", None),
    ],
)
def test_a_role_asked_for_that_the_article_never_names(question: str, article: str, missing: str | None) -> None:
    assert missing_role(question, article) == missing


def test_an_organisation_is_no_answer_to_a_role_only_a_person_holds() -> None:
    sentence = "Kelvmouth Council welcomed the decision."
    assert not names_someone_new(sentence, "Who is the chief executive of the harbour trust?", ARTICLE)
    assert names_someone_new(sentence, "Who bought the harbour trust?", ARTICLE)
    person = "The Kelvmouth Harbour Trust has appointed Maren Oakes as its new director."
    assert names_someone_new(person, "Who is the new director of the harbour trust?", ARTICLE)


@pytest.mark.parametrize(
    "phrase",
    [
        "Employment Judge Margaret Olusanya",  # a title inside the capitalised phrase
        "Prime Minister Ishiba Shigeru",
        "Defense Minister Nakatani Gen",
        "Prof. Émilie Vasseur-Obi",  # an accented capital after a title
    ],
)
def test_a_title_inside_a_name_marks_a_person(phrase: str) -> None:
    assert is_person(phrase, "No other mention.")


@pytest.mark.parametrize(
    "phrase", ["Foreign Minister", "General Motors", "Minister Council", "Justice Department", "NATO Secretary General"]
)
def test_a_title_word_before_an_organisation_or_nothing_is_no_person(phrase: str) -> None:
    assert not is_person(phrase, "No other mention.")


def test_names_with_accented_capitals_are_names() -> None:
    article = "The trial was led by Prof. Émilie Vasseur-Obi. Ó Súilleabháin, 52, was sacked on Sunday."
    assert new_people("The trial was led by Prof. Émilie Vasseur-Obi.", "Who led the trial?", article) == [
        "Émilie Vasseur-Obi"
    ]
    assert is_person("Émilie Vasseur-Obi", "Émilie Vasseur-Obi said the drug worked.")


def test_the_person_a_question_names_after_a_title_is_not_new() -> None:
    sentence = "Former Japanese Prime Minister Kishida Fumio shaped the response."
    assert new_people(sentence, "Who succeeded Kishida as prime minister?", sentence) == []
    rutte = "NATO Secretary General Mark Rutte visited Japan."
    assert new_people(rutte, "Who is the NATO Secretary General?", rutte) == ["Secretary General Mark Rutte"]


def test_the_name_of_someone_who_asks_for_a_person() -> None:
    assert asks_for_person("What is the name of the firefighter who was burned in the blaze?")
    assert not asks_for_person("What is the name of the ferry that replaced the Torran?")


@pytest.mark.parametrize(
    ("question", "answer", "untold"),
    [
        # the article may tell of another film's director; the answer must tell of the making asked for
        ("Who directed Harbour Lights?", "Harbour Lights was also a new entry in the chart.", "director"),
        ("Who directed Harbour Lights?", "Harbour Lights, directed by Ann Lee, was a new entry.", None),
        ("Who first created the Zorblax logo?", "The logo was drawn up by Ann Lee, who created the brand.", None),
        ("Who wrote the report?", "The report says profits fell.", "writer"),
        ("Who scored the winning goal?", "Ann Lee was the hero.", None),  # no verb of making asked
    ],
)
def test_a_maker_asked_for_by_the_verb_of_making(question: str, answer: str, untold: str | None) -> None:
    assert untold_maker(question, answer) == untold


def test_a_firm_named_with_an_ampersand_is_someone_new() -> None:
    """A new user's "Who owned Bell Labs?" over "Bell Labs was owned by AT&T ...": "AT&T" is one name (it
    read as the stopword "at" and a lone "T"), and an owner may be a firm."""
    from citeqa.index.text.people import names_someone_new
    from citeqa.index.text.questions import new_names

    sentence = "Bell Labs was owned by AT&T for most of its history."
    assert new_names(sentence, "Who owned Bell Labs?") == ["AT&T"]
    assert names_someone_new(sentence, "Who owned Bell Labs?", sentence)
    assert new_names("Shares rose at M&S and P&O, and the S&P 500 fell.", "Which shares rose?") == [
        "M&S",
        "P&O",
        "S&P",
    ]


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("Who gets the RSV vaccine?", False),  # a group answers: "adults aged 75 to 79"
        ("Who is eligible for the NHS health check?", False),
        ("Who can apply for a carer's permit?", False),
        ("Who should have the whooping cough vaccine?", False),
        ("Who is the GP on Tuesdays?", True),
        ("Who gave the lecture?", True),
    ],
)
def test_a_question_about_whom_a_rule_covers_asks_for_no_person(question: str, person: bool) -> None:
    assert asks_for_person(question) is person
