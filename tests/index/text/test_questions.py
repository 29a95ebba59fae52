"""Question analysis: what kind of thing a question asks for, and its words that must be matched."""

from __future__ import annotations

import pytest

from citeqa.index.text.questions import (
    asks_present,
    expanded_in,
    focus_terms,
    new_names,
    other_year,
    past_scoped,
    question_type,
    specific_terms,
    spells_out,
    type_match,
    without_contractions,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who created the C programming language?", "who"),
        ("When was the lighthouse demolished?", "when"),
        ("In what year did the terminal open?", "when"),
        ("How many ferries leave each hour?", "amount"),
        ("What was the cost of the terminal?", "amount"),
        ("Where is the bakery?", "where"),
        ("Why did the council approve the tram?", "why"),
        ("What is NSATU?", "definition"),
        ("Which club won the cup?", "name"),
        ("By what margin did Labour win?", "score"),
        ("", "other"),
    ],
)
def test_question_type(question: str, kind: str) -> None:
    assert question_type(question) == kind


def test_names_and_numbers_are_specific_terms() -> None:
    specific = specific_terms("Did Anna Weiss open the Graz bakery in 2019?")
    assert specific == ["anna", "weiss", "graz", "2019"]


def test_focus_is_what_follows_the_question_word() -> None:
    assert focus_terms("What prize did the film win?")


@pytest.mark.parametrize(
    ("question", "specific"),
    [
        ("Who created the C++ programming language?", ["c++"]),
        ("Who designed C#?", ["c#"]),
        ("What runs on .NET?", [".net"]),
        ("When did AT&T launch 4G?", ["at&t", "4g"]),
        ("Who wrote the ＲＸ９ firmware?", ["rx9"]),  # fullwidth, normalised
    ],
)
def test_symbol_terms_are_specific_terms(question: str, specific: list[str]) -> None:
    assert specific_terms(question) == specific


@pytest.mark.parametrize(
    ("question", "sentence", "article", "expected"),
    [
        ("Fined in 2004?", "It was fined in 2002.", "It was fined in 2002.", (("2004",), ("2002",))),
        ("Fined in 2002?", "It was fined in 2002.", "It was fined in 2002.", ((), ())),
        ("Fined in 2004?", "It was fined last year.", "It was fined last year.", ((), ())),  # may be 2004
        ("Visited in 2019?", "He visited on April 8-9.", "He visited on April 8-9.", (("2019",), ())),
        ("Fined in 2004?", "It was fined in 2002.", "In 2004 it paid. It was fined in 2002.", ((), ())),
        ("How much was the fine?", "It was fined in 2002.", "It was fined in 2002.", ((), ())),
    ],
)
def test_other_year_is_another_year_s_case(
    question: str, sentence: str, article: str, expected: tuple[tuple[str, ...], tuple[str, ...]]
) -> None:
    assert other_year(question, sentence, article) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The academy blames the popularity of computer games.", 1.0),
        ("Heavy losses have convinced the carmaker to back away.", 1.0),
        ("The move was prompted by a fall in sales.", 1.0),
        ("The delay stems from a shortage of parts.", 1.0),
        ("The academy runs classes in 80 countries.", 0.0),
    ],
)
def test_a_sentence_giving_a_cause_answers_why(sentence: str, expected: float) -> None:
    from citeqa.index.text.questions import type_match

    assert type_match("why", sentence, "Why are fewer children taking ballet classes?") == expected


def test_a_sum_written_out_in_millions_is_money() -> None:
    from citeqa.index.text.questions import type_match, without_question_form

    assert type_match("amount", "The project cost 118 million euros.", "How much did the bridge cost?") == 1.0
    assert "money" not in without_question_form("How much money did the bridge cost?")
    assert "else" not in without_question_form("What else did she design?")


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # "Who is <a name>?" asks what they are: a sentence about them answers, a new name does not
        ("Who is Zoë Marchetti?", "The firmware was written by the engineer Zoe Marchetti.", 1.0),
        ("Who is Zoë Marchetti?", "Kestrel Audio released the amplifier in March.", 0.0),
        ("who was Mark Rutte", "NATO Secretary General Mark Rutte visited Japan.", 1.0),
        # a question asking for someone it does not name still wants a new name
        ("Who is Ana Ivanovic's coach?", "Ivanovic beat Melinda Czink.", 1.0),
        ("Who is Ana Ivanovic's coach?", "Ana Ivanovic won the title.", 0.0),
    ],
)
def test_who_is_a_name_wants_a_sentence_about_them(question: str, sentence: str, expected: float) -> None:
    from citeqa.index.text.questions import type_match

    assert type_match("who", sentence, question) == expected


@pytest.mark.parametrize(
    ("question", "sentence", "says"),
    [
        (
            "How much will vemiraxin cost per patient?",
            "He declined to say how much the drug would cost, but analysts expect sales of $2.3bn.",
            "declined to say how much",
        ),
        (
            "Who was Rachel Brennan's line manager?",
            "She said the overtime was authorised by her line manager, who was not named at the hearing.",
            "was not named",
        ),
        (
            "How much was the deal worth?",
            "The value of the deal was not disclosed.",
            "value of the deal was not disclosed",
        ),
        ("How much did Rovers pay for him?", "He joined Rovers for an undisclosed fee.", "undisclosed fee"),
        ("When will the plant open?", "The firm would not say when the plant would open.", "would not say when"),
        ("Why did he resign?", "It is unclear why he resigned.", "It is unclear why"),
        (
            "How much did the launch cost?",
            "Neither company has disclosed what the launch cost.",
            "Neither company has disclosed what",
        ),
        (
            "What did the inquiry into the breakdown conclude?",
            "An inquiry opened; its findings have not yet been published.",
            "have not yet been published",
        ),
        ("Who attacked the guard?", "The guard was attacked by an unidentified man.", "unidentified"),
        (
            "What is the real name of the diver known as Kraken?",
            "The diver, known only by his nickname Kraken, found the wreck.",
            "known only by",
        ),
        ("Who found the wreck?", "The diver who found the wreck asked not to be named.", "asked not to be named"),
        ("Who will lead the trust?", "The trust's new leader has not yet been named.", "has not yet been named"),
        (
            "What is Quillwork's valuation?",
            "Quillwork did not disclose its valuation.",
            "did not disclose its valuation",
        ),
        (
            "What is the real name of the blogger who writes as Kraken?",
            "The blogger Kraken - not his real name - began a column in a newspaper.",
            "not his real name",
        ),
    ],
)
def test_a_sentence_saying_the_thing_asked_is_not_given(question: str, sentence: str, says: str) -> None:
    from citeqa.index.text.questions import withheld

    assert withheld(question, sentence) == says


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # it withholds something else than what is asked
        ("How many jobs will go?", "The firm would not say when the plant would open."),
        ("Who is the chief executive?", "The firm, which declined to comment, is led by chief executive Ann Lee."),
        ("How much did profits rise?", "The company, which declined to comment, said profits rose 10%."),
        ("When did the club sign him?", "He joined in June for an undisclosed fee."),
        ("Who scored the winner?", "An unnamed source said Leon Abbott scored the winner."),
        # the nickname is what is asked: "known only by" gives it
        ("What name does the diver go by?", "The diver, known only by his nickname Kraken, found the wreck."),
    ],
)
def test_a_sentence_withholding_something_else_answers(question: str, sentence: str) -> None:
    from citeqa.index.text.questions import withheld

    assert withheld(question, sentence) is None


@pytest.mark.parametrize(
    "question", ["What does HFpEF stand for?", "What does HFpEF mean?", "What is NSATU short for?"]
)
def test_a_definition_s_form_words_ask_and_do_not_match(question: str) -> None:
    from citeqa.index.text.questions import question_type, without_question_form

    asked = without_question_form(question).lower()
    assert not {"stand", "mean", "short"} & set(asked.replace("?", " ").split())
    assert question_type(question) == "definition"


def test_stand_for_election_is_no_question_form() -> None:
    from citeqa.index.text.questions import without_question_form

    assert "stand for election" in without_question_form("Who will stand for election in Leeds?")


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("How much did Halvorsen Foods pay for Brightmill?", "price of the acquisition was not disclosed"),
        ("What was the value of the deal?", "price of the acquisition was not disclosed"),
        ("How many jobs will go?", None),  # not a sum in a deal
    ],
)
def test_a_deal_s_price_not_disclosed_anywhere_in_the_article_withholds_it(question: str, says: str | None) -> None:
    from citeqa.index.text.questions import withheld

    sentence = "The price of the acquisition was not disclosed."
    assert withheld(question, sentence, explicit=True) == says


def test_withheld_explicitly_asks_for_the_question_s_own_wh_word() -> None:
    """Read anywhere in an article (not only in the cited sentences), only the explicit form counts."""
    from citeqa.index.text.questions import withheld, withholds

    sentence = "He declined to say how many jobs would be lost."
    assert withholds(sentence)
    assert withheld("How many jobs will be lost in the merger?", sentence, explicit=True) == "declined to say how many"
    assert withheld("When will jobs be lost?", sentence, explicit=True) is None
    unnamed = "The overtime was authorised by her line manager, who was not named."
    assert withheld("Who was her line manager?", unnamed) == "was not named"
    assert withheld("Who was her line manager?", unnamed, explicit=True) is None


@pytest.mark.parametrize(
    ("question", "article", "says"),
    [
        ("How many jobs will go?", "Hull Foods DECLINED TO SAY How Many jobs would go.", True),
        ("Who bought it?", "THE BUYER'S NAME HAS NOT BEEN DISCLOSED.", True),
        ("How much did Halvorsen pay for Brightmill?", "The Price Of The Deal Was Not Disclosed.", True),
        ("How much did Halvorsen pay for Brightmill?", "The price was £40m. Staff declined comment.", False),
    ],
)
def test_an_article_withholds_whatever_its_letters_case(question: str, article: str, says: bool) -> None:
    """The article-wide search runs on lower-cased text (twice as fast): capitals change nothing."""
    from citeqa.index.text.questions import withholds

    assert withholds(article, question) is says


@pytest.mark.parametrize(
    "article",
    [
        "Mr Ross declined to say how much he was paid.",
        "She refused to reveal when the album would be out.",
        "The club did not want to comment on who would replace him.",
        "The firm has not yet disclosed how many jobs will go.",
        "Police would not confirm where the raid took place.",
        "Neither company has revealed what the launch cost.",
        "It is unclear when the plant will reopen. It was not known why.",
        "Nobody knows exactly how long the repairs will take.",
        "The ship's name has not yet been identified.",
        "The identity of the buyer was not disclosed.",
        "He joined Rovers for an undisclosed fee.",
        "The terms of the deal were not made public.",
        "Quillwork did not disclose its valuation. Staff refused to give any figures.",
        "The price has not been announced, and the size of the site was not given.",
        "The report was published on Monday; profits rose by 4% and nobody was named.",
        "The singer, who is not known for ballads, said he would not say much.",
    ],
)
def test_the_article_wide_searches_find_what_their_full_patterns_find(article: str) -> None:
    """``withholds``' article-wide searches run only after a cheaper search for what every match of theirs
    holds, and the name search without the optional owner: the same booleans as the full patterns."""
    import re

    from citeqa.index.text.questions import _NAME_UNGIVEN, _UNDISCLOSED, _WOULD_NOT_SAY, _article_withholds

    full = tuple(
        re.compile(p.pattern).search(article.lower()) is not None for p in (_WOULD_NOT_SAY, _NAME_UNGIVEN, _UNDISCLOSED)
    )
    assert _article_withholds.__wrapped__(article) == full


@pytest.mark.parametrize(
    ("question", "says"),
    [
        # a new user's wreck (trial 5): the ship's name said not to be known, in a sentence not cited
        ("What was the name of the ship found off Kelham Point?", "ship's name has not yet been identified"),
        ("Who was the buyer of the painting?", None),  # another thing's name: the ship's is no answer to it
        # the name of another thing than the one asked for
        ("What name do fishermen give to the reef where their nets snag?", None),
    ],
)
def test_a_name_said_not_to_be_known_anywhere_in_the_article_withholds_it(question: str, says: str | None) -> None:
    from citeqa.index.text.questions import withheld, withholds

    article = "Divers found the wreck in May. The ship's name has not yet been identified."
    assert withholds(article, question) or says is None  # the cheap search before the sentences are read
    found = [withheld(question, sentence + ".", explicit=True) for sentence in article.split(". ")]
    assert next((f for f in found if f), None) == says


def test_what_kind_of_asks() -> None:
    from citeqa.index.text.questions import without_question_form

    assert "kind" not in without_question_form("What kind of boat stood in for the ferry?")


@pytest.mark.parametrize(
    ("question", "left"),
    [
        # the asker's hedges are no words an answer must use (bbc_blind5: "Roughly how many people live in
        # Kibera?" over "Kibera, where 800,000 live")
        ("Roughly how many people live in Kelham?", "how many people live in Kelham?"),
        ("About how many people live in Kelham?", "how many people live in Kelham?"),
        ("Why did Tom Reed reportedly quit?", "Why did Tom Reed quit?"),
        ("How many nearly new cars were sold?", "How many nearly new cars were sold?"),  # a word of the thing
    ],
)
def test_the_askers_hedges_are_question_form(question: str, left: str) -> None:
    from citeqa.index.text.questions import without_question_form

    assert " ".join(without_question_form(question).split()) == left


@pytest.mark.parametrize(
    ("question", "found"),
    [
        ("What does NSATU stand for?", ["NSATU"]),
        ("What does HFpEF stand for?", ["HFpEF"]),  # mixed case, mostly capitals
        ("Is AT&T bigger than the BBC?", ["AT&T", "BBC"]),
        ("Who has a PhD at McDonald's?", ["PhD"]),  # "McDonald" is a name, not an acronym
        ("What is the capital of Japan?", []),
    ],
)
def test_acronyms_are_mostly_capitals(question: str, found: list[str]) -> None:
    from citeqa.index.text.questions import acronyms

    assert acronyms(question) == found


@pytest.mark.parametrize("question", ["What is NSATU？", "What is ＮＳＡＴＵ?", "What is NSATU?"])
def test_a_question_is_typed_as_matching_reads_it(question: str) -> None:
    """A new user's fullwidth question mark made "What is NSATU？" an ``other`` question, and fullwidth
    letters hid its acronym: the answer's confidence fell from 0.72 to 0.51."""
    from citeqa.index.text.questions import acronyms

    assert question_type(question) == "definition"
    assert acronyms(question) == ["NSATU"]


@pytest.mark.parametrize(
    ("question", "sentence", "says"),
    [
        (
            "How much did Rovers offer for Dawson?",
            "Rovers had also made an undisclosed offer for Dawson.",
            "undisclosed offer",
        ),
        (
            "How much did the club bid for him?",
            "The club lodged an undisclosed bid for the striker.",
            "undisclosed bid",
        ),
        ("How much did Rovers offer for Dawson?", "Rovers offered £3m for Dawson.", None),
    ],
)
def test_an_undisclosed_offer_or_bid_withholds_the_sum(question: str, sentence: str, says: str | None) -> None:
    from citeqa.index.text.questions import withheld

    assert withheld(question, sentence) == says


@pytest.mark.parametrize(
    ("question", "sentence", "route"),
    [
        (
            "Why did News Corporation move its home from the US state of Delaware to Australia?",
            "Investors approved the transfer of its domicile from Australia to the US state of Delaware.",
            ("Australia", "the US state of Delaware"),
        ),
        ("Why did inflation rise from 2% to 3% in May?", "Inflation fell from 3% to 2% in May.", ("3%", "2%")),
        # the same way round, or through a stop on the way: nothing against the question
        ("Why did the firm move from Leeds to Hull?", "The firm moved from Leeds to Hull in 2003.", None),
        ("Why did he move from Leeds to Hull?", "He moved from Leeds to York and then from York to Hull.", None),
        ("Why did the firm move to Hull?", "The firm moved from Hull to Leeds.", None),
    ],
)
def test_a_route_the_answer_gives_the_other_way_round(
    question: str, sentence: str, route: tuple[str, str] | None
) -> None:
    from citeqa.index.text.questions import reversed_route

    assert reversed_route(question, sentence) == route


@pytest.mark.parametrize(
    ("question", "sentence", "says"),
    [
        (
            "Why did top seed Andy Roddick lose to Thomas Enqvist in San Jose?",
            "Top seed Andy Roddick rallied to beat Sweden's Thomas Enqvist 3-6 7-6 7-5.",
            "Andy Roddick rallied to beat Sweden's Thomas Enqvist",
        ),
        ("Why did England beat Wales?", "England were beaten by Wales in Cardiff.", "England were beaten by Wales"),
        ("Why did England lose to Wales?", "Wales lost to England at Twickenham.", "Wales lost to England"),
        # the same result, or no result at all: nothing against the question
        ("Why did Wales beat England?", "England were beaten by Wales in Cardiff.", None),
        ("Why did England lose to Wales?", "England lost 21-9 to Wales in Cardiff.", None),
        ("Who did Lindsay Davenport beat in Dubai?", "Davenport beat Li Na in straight sets.", None),
    ],
)
def test_a_result_the_answer_gives_the_other_way_round(question: str, sentence: str, says: str | None) -> None:
    from citeqa.index.text.questions import reversed_result

    assert reversed_result(question, sentence) == says


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("The keynote argued that C remains the language of choice.", ["C"]),
        ("Programs in C# and F# run on .NET, and AT&T tested 4G.", ["C#", "F#", ".NET", "AT&T", "4G"]),
        ("A panel and I spoke.", []),  # "A" and "I" are no names
    ],
)
def test_symbol_names_and_a_letter_alone_are_names(sentence: str, names: list[str]) -> None:
    from citeqa.index.text.questions import new_names

    context = f"{sentence} Most programs, panels and keynotes are in English."  # "Programs" opens the sentence
    assert new_names(sentence, "Which language?", context) == names


def test_a_currency_code_before_a_sum_is_no_name() -> None:
    """A new user's "Which company made the cheaper offer?" was answered by "The cheaper offer (approx. EUR
    29,000) was rejected ...": "EUR" was read as the name asked for."""
    sentence = "The cheaper offer (approx. EUR 29,000) was rejected."
    assert new_names(sentence, "Which company made the cheaper offer?", sentence) == []
    other = "The offer from Kestrel Security was EUR 38,500."
    assert new_names(other, "Which company?", other) == ["Kestrel Security"]


@pytest.mark.parametrize(
    ("acronym", "sentence", "spelt"),
    [
        ("VPN", "Laptops must use the VPN (virtual private network) at all times.", True),
        ("ISO", "ISO - Information Security Officer (not the standards body).", True),
        ("RPO", "RPO: recovery point objective, how much data may be lost.", True),
        ("NATO", "NATO (the North Atlantic Treaty Organisation) met.", True),  # "the" left out of the initials
        ("VPN", "Working from public Wi-Fi without the VPN is not allowed.", False),
        ("BBC", "The BBC - which is public - said so.", False),
    ],
)
def test_an_acronym_spelt_out_after_it(acronym: str, sentence: str, spelt: bool) -> None:
    """A new user's "What does VPN stand for?" was answered by the sentence naming the VPN without its words."""
    assert spells_out(acronym, sentence) is spelt
    assert type_match("definition", sentence, f"What does {acronym} stand for?") == (1.0 if spelt else 0.5)


MINUTES = "Q3 results\nRevenue for Q3 was EUR 1.27 million, up 18% on Q3 2023."


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # a new user's "What was the revenue in Q2?" was answered with the third quarter's
        ("What was the revenue in Q2?", "Revenue for Q3 was EUR 1.27 million.", (("Q2",), ("Q3",))),
        ("What was the revenue in the second quarter?", "Revenue for Q3 was EUR 1.27 million.", (("Q2",), ("Q3",))),
        ("What was the revenue in the third quarter?", "Revenue for Q3 was EUR 1.27 million.", ((), ())),
        ("What was the revenue in Q2?", "Revenue grew strongly.", ((), ())),  # no other quarter given
    ],
)
def test_another_quarter_s_figure(question: str, sentence: str, expected: tuple[tuple[str, ...], ...]) -> None:
    assert other_year(question, sentence, MINUTES) == expected


@pytest.mark.parametrize(
    ("question", "present"),
    [
        ("What is the default value of max_pool_size?", True),
        ("Who's the mayor?", True),
        ("How many connections does the pool keep open?", True),
        ("What was the default value of max_pool_size?", False),
        ("What is the default value of max_pool_size before version 3.0.0?", False),
        ("What is the population in 2019?", False),
        ("Who won the Carrow Cup?", False),  # no present tense
    ],
)
def test_a_question_asking_how_things_are_now(question: str, present: bool) -> None:
    assert asks_present(question) is present


@pytest.mark.parametrize(
    ("sentence", "scoped"),
    [
        ("Before version 3.0.0 the default of max_pool_size was 10.", True),
        ("Until 2019 the mayor was Councillor Ashdown.", True),
        ("Previously, permits were free for carers.", True),
        ("Before you start, check that the pool is empty.", False),  # no past, no version or date
        ("Until March 2026 the bridge is closed.", False),  # the present tense
        ("The default max_pool_size rose from 10 to 16.", False),
    ],
)
def test_a_sentence_telling_how_things_were_before_a_change(sentence: str, scoped: bool) -> None:
    assert past_scoped(sentence) is scoped


@pytest.mark.parametrize(
    "sentence",
    [
        "| 6-in-1 | babies | 8, 12 and 16 weeks | 3 doses, 4 weeks apart |",
        "Pregnant women are offered the vaccine from 16 weeks of pregnancy, ideally between 20 and 32 weeks.",
        "We aim to give you a full written response within 40 working days.",
        "We send a text reminder 2 days before the appointment.",
        "He joined the club two years ago.",
    ],
)
def test_a_point_counted_from_an_event_answers_when(sentence: str) -> None:
    """A new user's clinic: "When does my baby get the 6 in 1 vaccine?" was refused, its answer giving an age."""
    assert type_match("when", sentence, "When does my baby get the 6 in 1 vaccine?") == 1.0


@pytest.mark.parametrize("sentence", ["He spent two years at Chelsea.", "The deal lasts 3 years.", "It costs £65."])
def test_a_length_of_time_alone_does_not_answer_when(sentence: str) -> None:
    assert type_match("when", sentence, "When did he join?") == 0.0


@pytest.mark.parametrize(
    ("acronym", "text", "expanded"),
    [
        ("IB", "The International Baccalaureate Diploma is accepted with 32 points.", True),
        ("VC's", "The Vice-Chancellor's Excellence Scholarship is awarded each year.", True),
        ("NHS", "the National Health Service", True),
        ("DPO", "Our Data Protection Officer is Mr. Tomasz Nowak.", True),
        ("IB", "in brief", False),  # capitalised words only
        ("RSV", "The flu vaccine is given every year.", False),
        ("jab", "Just A Bit", False),  # no acronym
    ],
)
def test_an_acronym_written_out(acronym: str, text: str, expanded: bool) -> None:
    assert expanded_in(acronym, text) is expanded


@pytest.mark.parametrize(
    ("question", "left"),
    [
        ("what happens if im late", "what happens if late"),
        ("whats the wifi password", "the wifi password"),
        ("I don't know, can't you say?", "I know, you say?"),
        ("Who’s Mr O'Neill?", "Who’s Mr O'Neill?"),  # "’s" is left to the tokeniser, a possessive's too
        ("Is the imam at the mosque?", "Is the imam at the mosque?"),
    ],
)
def test_a_questions_contractions_are_left_out(question: str, left: str) -> None:
    assert " ".join(without_contractions(question).split()) == left
