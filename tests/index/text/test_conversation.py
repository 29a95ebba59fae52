"""Follow-up questions made to stand alone from the turns before them (pairs written for this test)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from citeqa.index.text.conversation import Turn, is_followup, resolve_followup, topic_of

LIGHTHOUSE = Turn("Who built the lighthouse?", "The lighthouse was built by the engineer Tomas Brennan. [1]")


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        ([LIGHTHOUSE], "When did he build it?", "When did Tomas Brennan build the lighthouse?"),
        # the person named, nothing else leans on the conversation: no topic to pull retrieval back
        ([LIGHTHOUSE], "Why did he choose the reef?", "Why did Tomas Brennan choose the reef?"),
        ([LIGHTHOUSE], "What was his fee?", "What was Tomas Brennan's fee?"),
        ([LIGHTHOUSE], "How tall is it?", "How tall is the lighthouse?"),
        (  # "it" after "Who <did> the X?" is X
            [Turn("Who cooked the pumpkin risotto?", "Chef Ana Ruiz cooked it. [1]")],
            "How much did it weigh?",
            "How much did the pumpkin risotto weigh?",
        ),
        ([LIGHTHOUSE], "Why?", "Why? (built the lighthouse)"),
        (
            [Turn("Who is Mark Rutte?", "Mark Rutte is the NATO Secretary General. [1]")],
            "When did he visit Japan?",
            "When did Mark Rutte visit Japan?",
        ),
        (
            [Turn("Who closed the bakery on Main Street?", "Anna Weiss closed it in May. [1]")],
            "Where does she work now?",
            "Where does Anna Weiss work now?",
        ),
        (  # the topic is what the last question was about, not its verb ("open")
            [Turn("When did the ferry terminal open?", "It opened in 2019. [1]")],
            "How much did it cost?",
            "How much did it cost? (the ferry terminal)",
        ),
        (  # not "(the Pipwick weigh)": the weighing is no part of the battery's question
            [Turn("How much does the Pipwick weigh?", "The Pipwick weighs 212 grams. [1]")],
            "How long does it run on one charge?",
            "How long does it run on one charge? (the Pipwick)",
        ),
        (  # "who is ...?" is about the noun phrase after it
            [Turn("Who is Japan's defense minister?", "Defense Minister Gen Nakatani said Japan would join. [1]")],
            "Where is it headquartered?",
            "Where is it headquartered? (Japan's defense minister)",
        ),
        (  # a chain keeps the first topic and the person
            [LIGHTHOUSE, Turn("When did he build it?", "In 1861. [1]")],
            "How long did it take him?",
            "How long did it take Tomas Brennan? (built the lighthouse)",
        ),
        (  # a name inside quotation marks is a title, not the person asked for
            [
                Turn(
                    "Who gave the opening speech at the harbour festival?",
                    'Mayor Ines Calloway gave a speech titled "Stronger Harbours for a Changing Sea". [1]',
                )
            ],
            "What did she say about fishing?",
            "What did Mayor Ines Calloway say about fishing?",
        ),
        (  # "who is the ...?" does not name its person: the answer does, and a person comes first
            [Turn("Who is the Japanese defence minister?", "Defence Minister Gen Nakatani said Japan would join. [1]")],
            "What did he ask for?",
            "What did Defence Minister Gen Nakatani ask for?",
        ),
        (  # a date opening the answer is not a name
            [Turn("Who opened the bridge?", "On April 9, Mayor Ines Calloway opened the bridge. [1]")],
            "What did she say?",
            "What did Mayor Ines Calloway say?",
        ),
        (  # the visit is not what is asked about now
            [Turn("Who visited Elmford harbour on May 3?", "Minister Karl Odum visited Elmford harbour on May 3. [1]")],
            "Which school did he speak at?",
            "Which school did Minister Karl Odum speak at?",
        ),
        (  # "it" after "What is X?" is X
            [Turn("What is the HWRP?", "The Harbour Wall Repair Plan (HWRP) rebuilds the east wall. [1]")],
            "When was it approved?",
            "When was the HWRP approved?",
        ),
        (  # the first pronoun names the person; the next ones read as they stand
            [Turn("Who is Japan's prime minister?", "Prime Minister Ishiba Shigeru said so. [1]")],
            "When did he give his first policy speech?",
            "When did Prime Minister Ishiba Shigeru give his first policy speech?",
        ),
        (  # not "Who succeeded Japanese?": failing a person, the answer's most specific name
            [
                Turn(
                    "Who was Japan's prime minister at the 2022 NATO Summit?",
                    "When he became the first Japanese prime minister to attend a NATO Summit in June 2022, "
                    "Kishida used this venue to share his sense of crisis. [1]",
                )
            ],
            "Who succeeded him?",
            "Who succeeded Kishida?",
        ),
        (  # the previous turn was not answered: its question still gives the topic
            [Turn("Who built the lighthouse?", "")],
            "When did he build it?",
            "When did he build the lighthouse?",
        ),
    ],
)
def test_follow_ups_are_resolved_against_the_previous_turn(history: list[Turn], question: str, expected: str) -> None:
    assert resolve_followup(question, history) == expected


@pytest.mark.parametrize(
    "question",
    [
        "What is NSATU?",
        "Who created the C++ programming language?",
        "Did Japan raise its defence budget?",  # the pronoun has its name in the question
        "When did the Port of Tallinn open its terminal?",
    ],
)
def test_a_question_that_stands_alone_is_unchanged(question: str) -> None:
    assert not is_followup(question)
    assert resolve_followup(question, [LIGHTHOUSE]) == question


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("What is the HWRP?", "the HWRP"),
        ("Who is Japan's defense minister?", "Japan's defense minister"),
        ("Who built the lighthouse?", "built the lighthouse"),  # the question word is the subject: a "Why?" asks this
        ("How much does the Pipwick weigh?", "the Pipwick"),
        ("How much does Pipwick weigh?", "Pipwick"),
        ("When did the ferry terminal open?", "the ferry terminal"),
        ("When will the bridge open?", "the bridge"),
        ("Where has the Pipwick been sold?", "the Pipwick"),
        ("What did Rutte say at Keio University?", "Rutte, Keio University"),
        ("Which team did Lionel Messi join in 2021?", "Lionel Messi"),
        ("How much does the Pipwick cost in euros?", "Pipwick"),  # where the subject ends is unclear: its names
        ("What did the minister tell reporters?", ""),  # nor names: no topic rather than a fragment
        # a new user's trial: "is/was" before the subject, and names made with symbols ("(C# released)" before)
        ("When was C# released?", "C#"),
        ("When was .NET first released?", ".NET"),
        ("When is the AT&T deal due?", "the AT&T deal"),
    ],
)
def test_a_topic_names_what_the_question_is_about_never_its_main_verb(question: str, topic: str) -> None:
    assert topic_of(question) == topic


def test_without_history_nothing_changes() -> None:
    assert resolve_followup("When did he build it?", []) == "When did he build it?"


def test_her_before_a_noun_is_possessive() -> None:
    history = [
        Turn("Who rowed across the Atlantic alone?", "Helen Marsh completed a solo crossing of the Atlantic. [1]")
    ]
    assert resolve_followup("What was her job before?", history).startswith("What was Helen Marsh's job before?")
    assert resolve_followup("How old is she?", history) == "How old is Helen Marsh?"
    assert resolve_followup("Did they give her the award?", history).startswith("Did they give Helen Marsh the award?")


QUELL = Turn(
    "Who did Marta Quell meet in Port Vell?", "She met the harbour master Olaf Brandt at the customs house. [1]"
)


def test_the_people_an_earlier_turn_names_are_offered_to_choose_from() -> None:
    """The answer's person first (the default), then the question's subject; the chooser decides."""
    offered: list[list[str]] = []

    def choose(people: Sequence[str], question: str) -> int:
        offered.append(list(people))
        return 1

    assert resolve_followup("What did she say?", [QUELL]) == "What did Olaf Brandt say?"
    assert resolve_followup("What did she say?", [QUELL], choose) == "What did Marta Quell say?"
    assert offered == [["Olaf Brandt", "Marta Quell"]]


MUSEUM = Turn(
    "Who built the museum?",
    "The Priory's lands were sold to Sir John Scudamore, who pulled down the church for building stone. [1] The "
    "museum was built in 1868 as the Caldmoor Free Library, paid for by the local brewer Samuel Hartley, who "
    "gave £9,000 towards it. [2]",
)


def test_a_name_followed_by_who_is_a_person_and_the_chooser_hears_what_it_means() -> None:
    """A museum's visitor asked "When did he build it?" and got "... Sir John Scudamore build the museum" (the
    first person named), or "Caldmoor Free Library" when the answer named only Hartley: "Samuel Hartley, who
    gave" is a person's name, and the chooser reads the follow-up with "it" as "the museum"."""
    heard: list[str] = []

    def choose(people: Sequence[str], question: str) -> int:
        heard.append(question)
        return people.index("Samuel Hartley")

    assert resolve_followup("When did he build it?", [MUSEUM], choose) == "When did Samuel Hartley build the museum?"
    assert "the museum" in heard[0]
    only = Turn(MUSEUM.question, MUSEUM.answer.split("[1] ")[1])
    assert resolve_followup("When did he build it?", [only]) == "When did Samuel Hartley build the museum?"


@pytest.mark.parametrize(
    "turn",
    [
        # a possessive or a place in the question is no one the follow-up can mean
        Turn("Who is Japan's defence minister?", "Gen Nakatani is the defence minister. [1]"),
        Turn("Who visited Japan?", "NATO chief Mark Rutte visited Japan. [1]"),
    ],
)
def test_only_people_are_offered(turn: Turn) -> None:
    def choose(people: Sequence[str], question: str) -> int:
        raise AssertionError(f"one person only, yet asked to choose among {people}")

    resolved = resolve_followup("What did he say?", [turn], choose)
    assert "Japan" not in resolved


@pytest.mark.parametrize(
    ("question", "resolved"),
    [
        (
            "Henrik Vass created Larkspur as a graduate student. Where does he work now?",
            "Where does Henrik Vass work now?",
        ),
        (
            "Lucía Ferrer Ibáñez runs the firm building the trains. How many jobs does she say the deal will secure?",
            "How many jobs does Lucía Ferrer Ibáñez say the deal will secure?",
        ),
        ("The institute's underwater drone is called Tangen. Who built it?", "Who built Tangen?"),
        (
            "Port Ellery is creating an Office of Climate Resilience. What will its first task be?",
            "What will the Office of Climate Resilience's first task be?",
        ),
        ("Henrik Vass created Larkspur. When did he leave it?", "When did Henrik Vass leave Larkspur?"),
        # the question proper stands alone, or there is no lead-in: unchanged
        ("Larkspur is a database. Who created Larkspur?", "Larkspur is a database. Who created Larkspur?"),
        ("Why did Dr. Hamid Rezaei urge care?", "Why did Dr. Hamid Rezaei urge care?"),
        ("Who founded it? Who runs it now?", "Who founded it? Who runs it now?"),
    ],
)
def test_a_question_opening_with_statements_leans_on_them(question: str, resolved: str) -> None:
    assert resolve_followup(question, []) == resolved


def test_a_lead_in_splits_at_the_question_proper() -> None:
    from citeqa.index.text.conversation import split_lead_in

    assert split_lead_in("Tangen is a drone. Who built it?") == ("Tangen is a drone.", "Who built it?")
    assert split_lead_in("Who built it?") == ("", "Who built it?")
    assert split_lead_in("The drone was built in 2015. Really.") == ("", "The drone was built in 2015. Really.")


@pytest.mark.parametrize(
    ("answer", "question", "resolved"),
    [
        ("Mr Tom Reed and Ms Ana Ruiz spoke at the hearing. [1]", "Where does she work?", "Ana Ruiz"),
        ("Ms Ana Ruiz and Mr Tom Reed spoke at the hearing. [1]", "Where does he work?", "Tom Reed"),
        ("Ms Ana Ruiz and Mr Tom Reed spoke at the hearing. [1]", "Where does she work?", "Ana Ruiz"),
        ("Sir Tom Reed and Dame Ana Ruiz spoke at the hearing. [1]", "Where does she work?", "Ana Ruiz"),
    ],
)
def test_a_pronoun_agrees_with_the_gender_a_title_marks(answer: str, question: str, resolved: str) -> None:
    assert resolved in resolve_followup(question, [Turn("Who spoke at the hearing?", answer)])


def test_it_after_who_did_a_named_thing_is_that_thing() -> None:
    history = [Turn("Who leads Quillwork?", "Marta Carvalho leads Quillwork. [1]")]
    assert resolve_followup("What did she do before founding it?", history) == (
        "What did Marta Carvalho do before founding Quillwork?"
    )
    # "Who is ...?" asks what someone is: "it" after it is not that person
    assert "it" in resolve_followup("What does it do?", [Turn("Who is Mark Rutte?", "Mark Rutte is NATO's chief. [1]")])


@pytest.mark.parametrize(
    ("history", "question", "resolved"),
    [
        # the earlier question's subject, though one word, before the full name of its object
        (
            [Turn("Why did Vass sue Anna Keller?", "Vass said Anna Keller had copied his design. [1]")],
            "When did he start the firm?",
            "When did Vass start the firm?",
        ),
        (
            [Turn("When did Reed meet Tomas Lind?", "Reed met Tomas Lind in May. [1]")],
            "What did he say?",
            "What did Reed say?",
        ),
        # a question asking for someone: "he" is whom the answer gave
        (
            [Turn("Who did Reed meet?", "Reed met Tomas Lind in May. [1]")],
            "What did he say?",
            "What did Tomas Lind say?",
        ),
    ],
)
def test_a_pronoun_means_the_earlier_questions_subject(history: list[Turn], question: str, resolved: str) -> None:
    assert resolve_followup(question, history) == resolved


@pytest.mark.parametrize(
    ("answer", "question", "resolved"),
    [
        # a new user's trial: the middle initial ended the name ("Where does Mr Peter live?")
        (
            "Mr Peter O. Grant, a U.S. citizen, bought the lighthouse in 1998.",
            "Where does he live?",
            "Where does Mr Peter O. Grant live?",
        ),
        (
            "Prof. Alan R. Whitby measured the tower.",
            "What did he measure next?",
            "What did Alan R. Whitby measure next?",
        ),
    ],
)
def test_a_middle_initial_stays_in_the_name(answer: str, question: str, resolved: str) -> None:
    assert resolve_followup(question, [Turn("Who bought it?", answer)]) == resolved


def test_a_follow_up_means_a_person_the_answer_names_in_fullwidth_letters() -> None:
    from citeqa.index.text.conversation import Turn, resolve_followup

    answer = "The jury was chaired by the head of the chamber of commerce, Ｈｅｌｇａ Ｂｒｕｎｓ. [1]"
    assert resolve_followup("What did she praise?", [Turn("Who chaired the jury?", answer)]) == (
        "What did Helga Bruns praise?"
    )


CASE = Turn(
    "Which earlier case did the judges rely on?",
    "The judges relied on a 2009 case, Pemberton v Sykes, in which a warehouse owner was found liable. [1]",
)


@pytest.mark.parametrize(
    ("history", "question", "resolved"),
    [
        # a new user's chat: "that case" stayed, and the damages of another case were cited
        ([CASE], "What year was that case?", "What year was Pemberton v Sykes?"),
        (
            [CASE, Turn("What year was that case?", CASE.answer)],
            "How much were the damages in that case?",
            "How much were the damages in Pemberton v Sykes?",
        ),
        (
            [Turn("Where is the Dunmore Brewery?", "The Dunmore Brewery is in Leeds. [1]")],
            "Who owns that brewery?",
            "Who owns Dunmore Brewery?",
        ),
        (
            [Turn("Which bank did he join?", "He joined the Bank of America in 2001. [1]")],
            "Who runs this bank?",
            "Who runs Bank of America?",
        ),
        (
            [Turn("Which film won?", "The award went to the film Vera Drake. [1]")],
            "What is that film about?",
            "What is Vera Drake about?",
        ),
        # nothing of that kind named: the question stands as asked, and so does a "that" that is no
        # demonstrative (a standalone question got the last turn's topic)
        (
            [Turn("Who sponsored the summit?", "The summit's main sponsor was AT&T. [1]")],
            "What did that company say?",
            "What did that company say?",
        ),
        ([CASE], "Which firm said that profits fell?", "Which firm said that profits fell?"),
        ([CASE], "Is that true?", "Is that true?"),
        # a time is not a name
        (
            [Turn("When was it built?", "It was built in 1901. [1]")],
            "What else happened that year?",
            "What else happened that year?",
        ),
    ],
)
def test_a_demonstrative_means_the_thing_of_its_kind_the_last_turn_named(
    history: list[Turn], question: str, resolved: str
) -> None:
    assert resolve_followup(question, history) == resolved


EXHIBITION = Turn("What is the Roman exhibition?", "Life on the Frontier is open until 4 May 2026. [1]")
WASHER = Turn("What is the WM-8400X?", "The WM-8400X is a 9 kg washing machine. [1]")


@pytest.mark.parametrize(
    ("history", "question", "resolved"),
    [
        # a clinic's patient asked "how many doses do I need of that one?" and was refused
        ([EXHIBITION], "how long is that one on for", "how long is the Roman exhibition on for"),
        ([WASHER], "How much does this one cost?", "How much does the WM-8400X cost?"),
        ([WASHER], "What is that one's capacity?", "What is the WM-8400X's capacity?"),
        # something of its own to compare with: no follow-up
        ([WASHER], "Is the Bosch quieter than that one?", "Is the Bosch quieter than that one?"),
        # "And that one?" points at something new the asker does not name
        ([WASHER], "And that one?", "And that one?"),
    ],
)
def test_that_one_means_what_it_would(history: list[Turn], question: str, resolved: str) -> None:
    assert resolve_followup(question, history) == resolved


POLICY = Turn(
    "Who approved the travel policy?", "The policy was approved by Inés Okonkwo-Lefèvre on 14 March 2024. [1]"
)


@pytest.mark.parametrize(
    "question",
    [
        # a new user's chat turned "IT" into "the travel policy" and cited a wrong answer
        "What is the IT helpdesk extension?",
        "Who handles IT requests?",
        "Does IT support Linux laptops?",
    ],
)
def test_an_acronym_spelt_like_a_pronoun_is_no_pronoun(question: str) -> None:
    assert resolve_followup(question, [POLICY]) == question


@pytest.mark.parametrize(
    ("question", "resolved"),
    [
        ("WHEN DID SHE APPROVE IT?", "when did Inés Okonkwo-Lefèvre approve the travel policy?"),
        ("IS SHE STILL IN FINANCE?", "is Inés Okonkwo-Lefèvre still in finance?"),
        # capitals throughout, yet still an acronym after an article; a question standing alone is untouched
        ("WHAT DOES THE IT DESK DO?", "WHAT DOES THE IT DESK DO?"),
        ("WHERE IS THE HEAD OFFICE?", "WHERE IS THE HEAD OFFICE?"),
    ],
)
def test_a_followup_typed_in_capitals_is_resolved(question: str, resolved: str) -> None:
    """Sixteenth session: "WHEN DID HE BUILD IT?" was left as it was, every word in capitals read as an acronym."""
    assert resolve_followup(question, [POLICY]) == resolved
    assert resolve_followup(question, [Turn(POLICY.question.upper(), POLICY.answer)]) == resolved


def test_a_pronoun_in_lower_case_is_still_resolved() -> None:
    assert resolve_followup("When did she approve it?", [POLICY]) == (
        "When did Inés Okonkwo-Lefèvre approve the travel policy?"
    )


@pytest.mark.parametrize(
    ("question", "topic"),
    [("And the churn?", "the churn"), ("What about the churn in Q3?", "the churn in Q3"), ("So who won?", "won")],
)
def test_words_carrying_the_conversation_on_are_no_part_of_its_topic(question: str, topic: str) -> None:
    assert topic_of(question) == topic


def test_a_topic_the_answer_uses_as_a_phrase_keeps_its_last_word() -> None:
    """A new user's "How much did it cost?" after "Which company did the penetration test?" leaned on "(the
    penetration)": "test" was read as the main verb. The answer uses "the penetration test" as a phrase."""
    turn = Turn("Which company did the penetration test?", "Kestrel Security did the penetration test in May. [1]")
    assert resolve_followup("How much did it cost?", [turn]) == "How much did it cost? (the penetration test)"


INSTALL = Turn("How do I install Quillstone on macOS?", "Run brew install quillstone. [1]")


@pytest.mark.parametrize(
    ("history", "question", "resolved"),
    [
        ([INSTALL], "And on Windows?", "How do I install Quillstone on Windows?"),
        (
            [Turn("How do I install Quillstone on Ubuntu 24.04?")],
            "What about Windows 11?",
            "How do I install Quillstone on Windows 11?",
        ),
        ([Turn("When was 2.4.0 released?")], "And 2.3.1?", "When was 2.3.1 released?"),
        ([Turn("When was 2.4.0 released?")], "How about 2.4.0-rc.1?", "When was 2.4.0-rc.1 released?"),
        (
            [Turn("What is the p50 latency of the Python binding?")],
            "And of the Go binding?",
            "What is the p50 latency of the Go binding?",
        ),
        (
            [Turn("What is the p50 latency of the Python binding?")],
            "What about the Go binding?",
            "What is the p50 latency of the Go binding?",
        ),
        (
            [Turn("Who is the councillor for Riverside ward?")],
            "And for Marsh End?",
            "Who is the councillor for Marsh End?",
        ),
        ([Turn("How much is a resident parking permit?")], "And a visitor permit?", "How much is a visitor permit?"),
        ([Turn("When is the library open on Mondays?")], "And on Saturdays?", "When is the library open on Saturdays?"),
        ([Turn("Who won the league in 2022?")], "And in 2023?", "Who won the league in 2023?"),
        ([Turn("Who won the 2022 league?")], "And 2023?", "Who won the 2023 league?"),
        ([Turn("When was Quillstone released?")], "What about Larkspur?", "When was Larkspur released?"),
        ([INSTALL], "And on Windows, then?", "How do I install Quillstone on Windows?"),
        ([Turn("Who is Japan's defence minister?")], "What about China?", "Who is China's defence minister?"),
        ([Turn("Who is Japan's defence minister?")], "And China's?", "Who is China's defence minister?"),
        (
            [Turn("Does Quillstone support Python 3.12?")],
            "And Python 3.13?",
            "Does Quillstone support Python 3.13?",
        ),
        # the last question was itself a follow-up: its resolved form is swapped
        ([INSTALL, Turn("And on Windows?")], "And on Linux?", "How do I install Quillstone on Linux?"),
        ([INSTALL, Turn("And on Windows?")], "How do I uninstall it?", "How do I uninstall Quillstone?"),
    ],
)
def test_an_elliptical_follow_up_swaps_its_part_into_the_last_question(
    history: list[Turn], question: str, resolved: str
) -> None:
    """Seventeenth session's trial: a docs bot's "And on Windows?" after "How do I install Quillstone on macOS?"
    was left as it was, and retrieval saw "Windows" alone."""
    assert resolve_followup(question, history) == resolved


@pytest.mark.parametrize(
    ("history", "question", "resolved"),
    [
        # a question form of its own: a new question, resolved as before (its "it" leans on the last topic)
        ([Turn("Who played in the final?")], "And who won the final?", "And who won the final?"),
        (
            [Turn("Who played in the final?")],
            "And when was it played?",
            "And when was it played? (played in the final)",
        ),
        # a clause, no part to swap
        ([LIGHTHOUSE], "What about the claims that profits fell?", "What about the claims that profits fell?"),
        ([CASE], "Which firm said that profits fell?", "Which firm said that profits fell?"),
        # nothing corresponds: nothing invented
        ([Turn("What was the revenue in Q3?")], "And the churn?", "And the churn?"),
        ([Turn("Who won the league?")], "And in 2023?", "And in 2023?"),
        ([Turn("How do I install Quillstone?")], "And on Windows?", "And on Windows?"),
        ([LIGHTHOUSE], "And then?", "And then? (built the lighthouse)"),
        # two names, either of which could be meant
        ([INSTALL], "What about Windows?", "What about Windows?"),
        ([Turn("What did Rutte say at Keio?")], "What about Trump?", "What about Trump?"),
        # a pronoun, not a part: resolved as before
        ([LIGHTHOUSE], "What about his fee?", "What about Tomas Brennan's fee?"),
    ],
)
def test_a_follow_up_with_no_part_to_swap_is_left_as_asked(history: list[Turn], question: str, resolved: str) -> None:
    """Seventeenth session's trial: only a short part with a counterpart in the last question is swapped; a
    standalone question opening with "And" keeps its own question form."""
    assert resolve_followup(question, history) == resolved


@pytest.mark.parametrize(
    ("history", "question", "resolved"),
    [
        # "I" was a name: "How do I uninstall it? (I, Quillstone, Windows)"
        (
            [Turn("How do I install Quillstone on Windows 11?")],
            "How do I uninstall it?",
            "How do I uninstall Quillstone?",
        ),
        (
            [Turn("Can I use Quillstone with Django?")],
            "Does it support async views?",
            "Does Quillstone support async views?",
        ),
        # "How long does it take?" asks about the installing, not Quillstone
        ([INSTALL], "How long does it take?", "How long does it take? (Quillstone)"),
        # a yes/no question's auxiliary was its topic's first word: "(Does Quillstone have an F# binding)"
        (
            [Turn("Does Quillstone have an F# binding?")],
            "Which version added it?",
            "Which version added it? (Quillstone, an F# binding)",
        ),
        # not "the default value of the default max_pool_size"
        (
            [Turn("What is the default max_pool_size?")],
            "What is the default value of it in 2.4?",
            "What is the default value of the max_pool_size in 2.4?",
        ),
        # what the asker acts on is no "its" after a phrase of its own: the giraffe's calf
        (
            [INSTALL],
            "How long does a giraffe carry its calf?",
            "How long does a giraffe carry its calf? (Quillstone)",
        ),
        # an expletive "it" beside one that refers
        (
            [Turn("What is the Pool?")],
            "Is it safe to use it with asyncio?",
            "Is it safe to use the Pool with asyncio?",
        ),
    ],
)
def test_a_topic_and_a_thing_leave_out_the_asker_and_the_auxiliary(
    history: list[Turn], question: str, resolved: str
) -> None:
    """Seventeenth session's trial: a docs user's follow-ups leaned on "(I, Quillstone, Windows)"."""
    assert resolve_followup(question, history) == resolved


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("How do I install Quillstone on Windows 11?", "Quillstone, Windows 11"),
        ("Does Quillstone have an F# binding?", "Quillstone, an F# binding"),
        ("Is Quillstone thread-safe?", "Quillstone thread-safe"),
        ("Can I use Quillstone with Django?", "Quillstone with Django"),
        ("Where do I'm supposed to put Quillstone?", "Quillstone"),
    ],
)
def test_a_topic_has_no_asker_nor_auxiliary(question: str, topic: str) -> None:
    """Seventeenth session's trial: "I" and "Does" opened topics."""
    assert topic_of(question) == topic


@pytest.mark.parametrize(
    ("history", "question"),
    [
        (
            [Turn("Who is Zoë Lindqvist?", "Zoë Lindqvist maintains Quillstone. [1]")],
            "Is it safe to share a Pool between threads?",
        ),
        ([LIGHTHOUSE], "Is it true that the bridge closed?"),
        ([LIGHTHOUSE], "Would it be possible to visit the keeper's house?"),
        ([LIGHTHOUSE], "How long does it take to walk from the harbour to the pier?"),
        ([LIGHTHOUSE], "Is it worth visiting the museum?"),
        ([LIGHTHOUSE], "How long has it been since the keeper left?"),
        ([LIGHTHOUSE], "How long will it be before the ferry runs again?"),
        ([LIGHTHOUSE], "What do sailors call it when the fog rolls in?"),
        ([LIGHTHOUSE], "How much did it cost Sony to make the film?"),
    ],
)
def test_an_expletive_it_is_no_pronoun(history: list[Turn], question: str) -> None:
    """Seventeenth session's trial: "Is it safe to share a Pool between threads?" after "Who is Zoë Lindqvist?"
    leaned on "(Zoë Lindqvist)"; its "it" refers to nothing, and the question stands alone."""
    assert not is_followup(question)
    assert resolve_followup(question, history) == question


@pytest.mark.parametrize(
    "question", ["Is it safe?", "Is it true?", "Why is it slow to start?", "Is it easy to install?"]
)
def test_an_it_with_no_clause_of_its_own_still_refers(question: str) -> None:
    """Seventeenth session's trial: "it" before an adjective alone, or a verb without its object, is the thing."""
    assert is_followup(question)


@pytest.mark.parametrize(
    ("history", "question", "resolved"),
    [
        # a new user's clinic: the weekday in "She is the only GP on Tuesdays" was taken for the person
        (
            [Turn("Who is the GP on Tuesdays?", "She is the only GP at the practice on Tuesdays.")],
            "What time does she start?",
            "What time does she start?",
        ),
        # "the GP" is a role; the answer's doctor is meant
        (
            [Turn("Who is the GP on Tuesdays?", "Dr. Carver works on Tuesdays and Thursdays.")],
            "What time does she start?",
            "What time does Carver start?",
        ),
        # a name taken from a possessive is not made possessive twice ("Dr Whitlock's's clinic")
        (
            [Turn("what is Dr Whitlock's special interest?", "He has a special interest in sports medicine.")],
            "when is his clinic?",
            "when is Dr Whitlock's clinic?",
        ),
    ],
)
def test_a_day_a_role_and_a_possessive_are_no_person(history: list[Turn], question: str, resolved: str) -> None:
    assert resolve_followup(question, history) == resolved


def test_a_pronoun_of_the_other_gender_means_no_one_the_corpus_says_is_of_the_other() -> None:
    """ "What time does she start?" after an answer naming only Dr Daniel Whitlock, whom the articles call "he",
    had become "What time does Daniel Whitlock start?"."""
    history = [Turn("Who is the GP on Tuesdays?", "Dr. Daniel Whitlock is a salaried GP who joined us in 2025.")]
    known: dict[str, str | None] = {"Daniel Whitlock": "m"}
    assert resolve_followup("What time does she start?", history, gender=known.get) == "What time does she start?"
    assert resolve_followup("What time does he start?", history, gender=known.get) == (
        "What time does Daniel Whitlock start?"
    )
    # a person the corpus does not tell is anyone's
    assert resolve_followup("What time does she start?", history, gender=lambda name: None) == (
        "What time does Daniel Whitlock start?"
    )
