"""Life events: questions about a birth, a death or a marriage, and sentences stating one."""

from __future__ import annotations

import pytest

from citeqa.index.text.events import EVENT_NAMES, asked_event, states_event


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When was Mark Rutte born?", "birth"),
        ("In which Texas town was the singer Jerry Scoggins born?", "birth"),
        ("In what year was Youssou N'Dour born?", "birth"),
        ("What is the mayor's birthplace?", "birth"),
        ("Where did the band's former manager die?", "death"),
        ("What was the cause of death?", "death"),
        ("Who was killed when the garden wall collapsed?", "death"),
        ("How many people were killed in the fire?", "death"),
        ("Which actress did the comedian marry in 1941?", "marriage"),
        ("Why had the film-maker received death threats?", None),  # a death threat is no death asked about
        ("Which game did the parents of the boy stabbed to death blame?", None),
        ("When did the museum reopen?", None),
    ],
)
def test_the_event_a_question_asks_about(question: str, kind: str | None) -> None:
    assert asked_event(question) == kind


@pytest.mark.parametrize(
    ("kind", "sentence", "states"),
    [
        ("birth", "She was born in Cork in 1961.", True),
        ("birth", "The Dublin-born writer won the prize.", True),
        ("birth", "Jerry Scoggins has died in Los Angeles at the age of 93.", False),
        ("birth", "Mark Rutte visited Japan on April 8-9.", False),
        ("death", "Jerry Scoggins has died in Los Angeles at the age of 93.", True),
        ("death", "The singer played at the festival in 1998.", False),
        # a new user's bees (trial 5): colonies "dead or collapsed", a headline saying what "kills" them
        ("death", "Mystery mite kills half the valley's bee colonies", True),
        ("death", "Hundreds of colonies were found dead or collapsed.", True),
        ("death", "The hives were moved to the valley in May.", False),
        ("marriage", "He married actress Betty Astell in 1941.", True),
        ("marriage", "He toured with actress Betty Astell in 1941.", False),
    ],
)
def test_whether_a_sentence_states_the_event(kind: str, sentence: str, states: bool) -> None:
    assert states_event(kind, sentence) is states


def test_every_kind_has_a_readable_name() -> None:
    assert set(EVENT_NAMES) == {"birth", "death", "marriage"}
    with pytest.raises(KeyError):
        states_event("graduation", "She graduated in 2001.")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Why did Jay-Z resign as president of Def Jam?", "resignation"),
        ("Why did Amit Yoran quit as director?", "resignation"),
        ("Why did Vodafone sack the head of its Japanese arm?", "dismissal"),
        ("Why was George Galloway thrown out of the Labour party?", "dismissal"),
        ("Why did Ricky Gervais turn down the invitation?", "refusal"),
        ("When did the railway cancel its order?", "cancellation"),
        ("When did the council ban smoking in bars?", "ban"),
        ("Did Kinnock refuse a seat in the Lords?", None),  # asks whether: takes nothing for granted
        ("What verdict did the jury reach in the fraud trial?", "verdict"),  # a verdict, in any question
        ("Was Helen Marsh found guilty of fraud?", "verdict"),
        ("What sentence did Darren Pike receive?", "punishment"),  # a sentence passed, not a verdict alone
        # a fine, like a verdict, in any question
        ("How large a fine did the regulator impose on Orla?", "fine"),
        ("How much was the Dunmore Brewery fined?", "fine"),
        ("How fine is the sand on Kelvmouth beach?", None),
        ("Why did Jack McConnell say sorry to the pupils?", "apology"),
        ("When did the council apologise for the delay?", "apology"),
        ("Why did Ana Ruiz lose the 800m final to Mira Holt?", "defeat"),
        ("Why did the coach leave Ana Ruiz out of the squad?", None),  # an omission, not a resignation
        ("Why did Ana Ruiz leave the club?", "resignation"),
        ("Why was Rovers beaten at home?", "defeat"),
        ("Why were 300 jobs lost?", None),  # not a contest
        ("Why did Rovers beat Leeds?", None),  # the winner's verb
        ("Why was Dani Okafor sent off in the final?", "dismissal"),
        ("Why did the firm report a loss?", None),
        ("Why did the bank raise rates?", None),
    ],
)
def test_the_decision_a_question_takes_for_granted(question: str, kind: str | None) -> None:
    from citeqa.index.text.events import asked_decision

    assert asked_decision(question) == kind


@pytest.mark.parametrize(
    ("kind", "text", "tells"),
    [
        ("resignation", "Reports suggest he left because his division lacked clout.", True),
        ("resignation", "Jay-Z will become the company's president and chief executive.", False),
        ("dismissal", "Mr Galloway was expelled from the Labour party.", True),
        ("dismissal", "Mr Tsuda, who will become chairman, was appointed president.", False),
        ("refusal", "He turned the offer down in March.", True),
        ("refusal", "Gervais is writing an episode after an invitation from its creator.", False),
        ("cancellation", "The club called off the match.", True),
        ("ban", "MPs are barred from using the devices in the chamber.", True),
        ("verdict", "Marsh, 61, denies the charge and pleaded not guilty.", False),  # the accusation
        ("verdict", "Hollis will be sentenced next month.", True),
        ("fine", "The regulator wrote to Orla, alleging it abused its position.", False),
        ("fine", "The regulator fined Orla £2m.", True),
        ("punishment", "Pell was found guilty and will be sentenced on 21 November.", False),  # sentencing to come
        ("punishment", "Pell was sentenced to four years.", True),
        ("punishment", "He was given a two-year suspended sentence.", True),
        ("apology", "The first minister said he regretted the remark.", True),
        ("apology", "The first minister defended the remark.", False),
        ("defeat", "Ana Ruiz won the 800m title in 2:01.", False),  # the article on her win
        ("defeat", "Mira Holt beat Ana Ruiz in the final.", True),
        ("fine", "Orla faces a penalty of up to 10% of its sales.", True),
        # a blaze and new trains that replace old ones tell of no one's dismissal
        ("dismissal", "The fire spread overnight. The new trains will replace the diesel fleet.", False),
        # "the two jailed bloggers" over "two imprisoned Iranian bloggers ... both in prison"
        ("verdict", "The campaign supports two imprisoned bloggers.", True),
        ("verdict", "Both men are in prison in Iran.", True),
        # told only to be denied (a new user's "When was Marta Lindqvist fined?" over "No fine was imposed.")
        ("fine", "The breach was reported in time. No fine was imposed.", False),
        ("fine", "The firm was not fined.", False),
        ("resignation", "He has no plans to resign.", False),
        ("dismissal", "She was never sacked, but moved to Leeds.", False),
        ("verdict", "He was found not guilty.", True),  # an acquittal is a verdict
    ],
)
def test_whether_an_article_tells_of_the_decision(kind: str, text: str, tells: bool) -> None:
    from citeqa.index.text.events import tells_decision

    assert tells_decision(kind, text) is tells


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What verdict did the jury reach in the Sam Hollis trial?", True),
        ("What was the verdict in the Marsh case?", True),
        ("When was the verdict given?", False),  # asks when, not what
        ("Why did the verdict surprise the court?", False),
        ("How long did the jury deliberate?", False),
    ],
)
def test_what_asks_for_the_verdict_itself(question: str, asks: bool) -> None:
    from citeqa.index.text.events import asks_verdict

    assert asks_verdict(question) is asks


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        ("A jury found builder Sam Hollis guilty of theft on Friday.", True),
        ("She was acquitted of all charges.", True),
        ("He was convicted of fraud in 2003.", True),
        ("Marsh pleaded not guilty.", True),
        ("The verdict came after four hours of deliberation.", False),  # the word, not the verdict
        ("Hollis will be sentenced next month.", False),
        ("Mrs Marsh, 61, denies the charge.", False),
    ],
)
def test_which_sentence_says_what_the_verdict_was(sentence: str, states: bool) -> None:
    from citeqa.index.text.events import states_verdict

    assert states_verdict(sentence) is states


@pytest.mark.parametrize(
    ("question", "in_clause"),
    [
        # the event is what the clause takes for granted; the question asks for the audience
        ("What was the peak audience for the EastEnders special in which Den was killed?", True),
        ("What did the man whose father was killed say?", True),
        ("What was the audience for the show in which the star was born?", True),
        # the event is what is asked, a clause elsewhere
        ("Who was killed when the wall collapsed?", False),
        ("Where did the singer who won the award die?", False),
        ("On what date was the thriller writer born who told BBC News that the plans were wrong?", False),
        ("In which Texas town was Jerry Scoggins born?", False),
        ("When was Mark Rutte born?", False),
        ("When did the museum reopen?", False),  # no event
    ],
)
def test_an_event_in_a_clause_is_taken_for_granted_not_asked(question: str, in_clause: bool) -> None:
    from citeqa.index.text.events import event_in_clause

    assert event_in_clause(question) is in_clause
