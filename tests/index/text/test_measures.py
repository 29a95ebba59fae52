"""Measures: the weight, size, duration, age or count a question asks for, and whether a sentence gives one."""

from __future__ import annotations

import pytest

from citeqa.index.text.measures import MEASURE_NAMES, asked_measure, gives_measure


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much does the new kayak weigh?", "mass"),
        ("How heavy was the bell?", "mass"),
        ("What is the weight of the statue?", "mass"),
        ("How tall is the lighthouse?", "length"),
        ("What is the height of the dam?", "length"),
        ("How long is the tunnel?", "length_or_time"),
        ("For how long did she coach the side?", "length_or_time"),
        ("How many years did he serve on the council?", "time"),
        ("How many minutes did the final last?", "time"),
        ("Within what timeframe must the homes be built?", "when_by"),
        ("How soon will the line reopen?", "when_by"),
        ("How old is the mayor?", "age"),
        ("At what age did she start rowing?", "age"),
        ("How many people came to the fair?", "count"),
        ("How many goals did Ross score?", "count"),
        ("How much did the bridge cost?", "money"),
        ("What is the price of a ticket to the show?", "money"),
        ("How much money did the appeal raise?", "money"),
        ("How much will the carmaker invest in its new plant?", "money"),
        ("How much did the bidders offer for the club?", "money"),
        ("How much did Henrik Vass sell Larkspur for?", "money"),  # the verb and its "for" apart
        ("How much did the council buy the old mill for?", "money"),
        # the sum as the question's object (eleventh session: blind8's near misses)
        ("What price is the bank putting on the stake it wants?", "money"),
        ("What salary would members of the new chamber be paid?", "money"),
        ("What fee did the club pay to sign him?", "money"),
        ("What reduced price would pensioners pay for the card?", "money"),
        ("What is the salary range for the new engineer posts?", "money"),  # a new user's (sixteenth session)
        ("What is the budget for the offsite?", "money"),
        # a race's time, not a time of day
        ("What was the runner's winning time in the half-marathon?", "race_time"),
        ("What time did Collins run when he took silver?", "race_time"),
        ("What time does the museum open?", None),
        ("What time did the plane land?", None),
        ("What price inflation was reported?", None),
        ("How much did they sell?", None),
        ("How much of the budget has been spent?", None),  # a share, not a sum
        ("What percentage of staff voted?", None),
        ("When did the ferry sink?", None),
        ("Who weighed in on the debate?", None),
        # a way to reach someone (seventeenth session's trial: a council's contact pages)
        ("What is Declan O'Neill's email address?", "email"),
        ("Email address for parking permits?", "email"),
        ("What is the email of the press office?", "email"),
        ("What emails did the minister send?", None),
        ("Who should I email about a vulnerability?", None),
        ("What is the council's main phone number?", "phone"),
        ("How much is a phone bill?", None),  # no sum asked by its verb
        ("Did he phone her?", None),
    ],
)
def test_the_measure_a_question_asks_for(question: str, kind: str | None) -> None:
    assert asked_measure(question) == kind


@pytest.mark.parametrize(
    ("kind", "sentence", "gives"),
    [
        ("mass", "The kayak weighs just 14kg, half its rival's weight.", True),
        # a chart's size and "one" as a word are not counts
        ("count", "One effect has been to push the game out of the top ten.", False),
        ("count", "It is one of the biggest sellers in the top-40 chart.", False),
        ("count", "One hundred fans queued, and 2,000 copies sold in a day.", True),
        ("count", "Japan is one of the so-called Indo-Pacific Four partners.", False),  # a name's number word
        ("count", "Four frigates sailed from the base.", True),
        ("mass", "The boat weighs two tonnes.", True),
        ("mass", "Its battery lasts about a day and a half.", False),
        ("mass", "It costs £40 and comes in three colours.", False),
        ("length", "The lighthouse stands 35 metres above the bay.", True),
        ("length", "The tower is 120ft tall.", True),
        ("length", "It was built in 1871 by a local engineer.", False),
        ("length_or_time", "The tunnel runs for 3.2 miles under the hills.", True),
        ("length_or_time", "She coached the side for nine seasons.", True),
        ("length_or_time", "She has coached the side since 1998.", True),
        ("length_or_time", "She coached the side from 1998 to 2004.", True),
        ("length_or_time", "She coached the side between 1998 and 2004.", True),
        ("length_or_time", "She coached the side in 1998-2004.", True),
        # a year alone is when, not how long: "How long did the speech last?"
        ("length_or_time", "He gave his first policy speech in October 2024.", False),
        ("length_or_time", "Mrs Marsh, 61, denies the charge.", False),
        ("length_or_time", "Two major themes emerge from Rutte's visit.", False),  # "from" alone is no time
        ("length_or_time", "Rutte visited Japan on April 8-9.", True),  # a span of days
        ("length_or_time", "The show ran from 2001 to 2004.", True),
        ("time", "He sat on the council for 12 years.", True),
        ("time", "The final went on for two hours and 40 minutes.", True),
        ("time", "He was elected to the council on a low turnout.", False),
        ("when_by", "The homes must be finished within three years.", True),
        ("when_by", "The line will reopen in March.", True),
        ("when_by", "They must build at least 50,000 square metres of homes.", False),
        ("age", "Mayor Ann Toll, 58, opened the fair.", True),
        ("age", "The 17-year-old won in straight sets.", True),
        ("age", "She began rowing aged 12.", True),
        ("age", "Kowalczyk, who is 38, played 54 times for Poland.", True),
        ("age", "The club, which is 120 years old this year, ...", True),
        ("age", "The mayor opened the fair on Saturday.", False),
        ("count", "About 4,500 people came to the fair.", True),
        ("count", "Three thousand fans watched the final.", True),
        ("count", "Nobody was hurt in the fire.", True),
        ("count", "The museum reopened after a two-year restoration costing £3m.", False),
        ("count", "Rovers beat Dover 3-1 at Prenton Park on 12 March.", False),
        ("count", "Sales rose 12% in 2004, the firm said at 9 a.m. on Friday.", False),
        ("count", "Mrs Marsh, 61, denies the charge.", False),
        ("money", "The bridge cost £3.5m to build.", True),
        ("money", "Tickets cost 1,299 euros each.", True),
        ("money", "Entry to the museum is free.", True),
        # a currency no list knows, after a verb of paying (a new-user trial's made-up corpus)
        ("money", "The repair of the Zorvath Bridge cost 48 million krell.", True),
        ("money", "A single dose costs about 12 krell.", True),
        ("money", "The festival drew 48,000 visitors over five nights.", False),
        ("race_time", "Gardener clocked 6.56 seconds to equal the meeting record.", True),
        ("race_time", "She won in 2hr 19min 36sec.", True),
        ("race_time", "He finished in 2:08:30.", True),
        ("race_time", "Collins ran in Birmingham at the 2003 World Indoor Championships.", False),
        ("money", "The museum reopened on Saturday after a two-year restoration.", False),
        # a new user's company documents: currency codes, before or after the number (sixteenth session)
        ("money", "The external forensic analysis by Nordwatch cost EUR 6,800.", True),
        ("money", "The licence is 12,000 USD a year.", True),
        ("money", "A budget of CHF 1.2 million was approved.", True),
        ("money", "We try 5 suppliers before choosing one.", False),  # a code in capitals only
        ("count", "A lost key costs EUR 55 to replace.", False),  # a sum is no count
        ("count", "A lost key costs EUR 55 to replace, and 3 were lost.", True),
        # the kind of day counted between the number and the unit
        ("time", "Full-time employees receive 28 working days of paid annual leave.", True),
        ("time", "Refunds are paid within 10 business days.", True),
        ("email", "Write to d.oneill@marshferry-tc.gov.uk with your ward.", True),
        ("email", "Email the parking team.", False),
        ("phone", "Call 01632 960 400 on weekdays.", True),
        ("phone", "Call +44 (0)1632 960400.", True),
        ("phone", "Visitors rose from 2019-2020 by 1,200,000.", False),  # years and a count are no number to call
    ],
)
def test_whether_a_sentence_gives_the_measure(kind: str, sentence: str, gives: bool) -> None:
    assert gives_measure(kind, sentence) is gives


def test_a_measure_the_question_already_states_is_not_an_answer() -> None:
    question = "How many of the 300 workers will lose their jobs?"
    assert not gives_measure("count", "The firm employs 300 workers at the plant.", question)
    assert gives_measure("count", "About 120 of the 300 workers will go.", question)


def test_goals_and_times_are_counted_by_repetition_words() -> None:
    assert gives_measure("count", "Abbott scored twice before half-time.", "How many goals did Abbott score?")
    assert not gives_measure("count", "Abbott scored twice before half-time.", "How many people watched?")


@pytest.mark.parametrize(
    ("sentence", "question", "gives"),
    [
        # a density is no total; a fraction with a magnitude is a count
        ("It counted 3.75 otters per kilometre, up from 2.1 in 2015.", "How many otters were counted in all?", False),
        ("About 2.1 million people voted.", "How many people voted?", True),
        # an average, a rate or a multiple may have a fraction
        ("He averaged 9.5 goals a season in senior football.", "How many goals a season did he average?", True),
        ("The offer was 16.2 times oversubscribed.", "How many times oversubscribed was the offer?", True),
    ],
)
def test_a_number_with_a_fraction_is_a_count_only_of_a_rate_or_with_a_magnitude(
    sentence: str, question: str, gives: bool
) -> None:
    assert gives_measure("count", sentence, question) is gives


def test_every_kind_has_a_readable_name() -> None:
    questions = ("How heavy?", "How tall?", "How long?", "How many days?", "How soon?", "How old?")
    questions += ("How many?", "How much money?", "What was her winning time?", "Email address?", "Phone number?")
    kinds = {asked_measure(q) for q in questions}
    assert kinds == set(MEASURE_NAMES)
    with pytest.raises(KeyError):
        gives_measure("volume", "It holds 2 litres.")


@pytest.mark.parametrize(
    ("question", "sentence", "else_"),
    [
        # the third trial's near miss, our words: the age given is another person's
        ("How old is the club manager Lena Varga?", "The 19-year-old forward Ana Ruiz scored twice.", True),
        ("How old is Adam Hickey, the junior runner?", "Meanwhile 16-year-old Hickey runs the junior race.", False),
        ("How old is Lena Varga?", "She is 45 and has managed the club since 2019.", False),  # "she" opens it
        ("How old is the substitute who scored twice?", "The 19-year-old forward Ana Ruiz scored twice.", False),
        # an age with no name beside it may be the asked person's (a blind set's answer, our words)
        ("How old is Tomos Rees?", "The Ospreys are interested in the 32-year-old, but he may stay.", False),
        ("How old is Lena Varga?", "Ana Ruiz, 19, scored twice.", True),
        ("How tall is Lena Varga?", "The 19-year-old forward Ana Ruiz scored twice.", False),  # no age asked
    ],
)
def test_an_age_of_someone_else_is_no_answer(question: str, sentence: str, else_: bool) -> None:
    from citeqa.index.text.measures import age_of_someone_else

    assert age_of_someone_else(question, sentence) is else_
