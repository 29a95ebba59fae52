from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citeqa.index.text.sentences import sentence_spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two!", ["One.", "Two!"]),
        # a museum's dates and opening times (nineteenth session's trial)
        ("It was made c. 1250 BC in Thebes. Next.", ["It was made c. 1250 BC in Thebes.", "Next."]),
        ("A chalice made c. AD 1140 here. Next.", ["A chalice made c. AD 1140 here.", "Next."]),
        ("Open 10.30 a.m. – 4 p.m. daily. Closed Mondays.", ["Open 10.30 a.m. – 4 p.m. daily.", "Closed Mondays."]),
        ("She takes vitamin c. Then more.", ["She takes vitamin c.", "Then more."]),
        ("It struggles above 17°C. The team found more.", ["It struggles above 17°C.", "The team found more."]),
        ("Met in Tokyo, Apr. 8, 2025. Then left.", ["Met in Tokyo, Apr. 8, 2025.", "Then left."]),
        ("The U.S. base in Germany. Next.", ["The U.S. base in Germany.", "Next."]),
        ("He said “hi.” Then more.", ["He said “hi.”", "Then more."]),
        ("Para one\n\nPara two", ["Para one", "Para two"]),
        ("John F. Kennedy spoke.", ["John F. Kennedy spoke."]),
        # abbreviations, initials, decimals and ellipses (issue 13, item 6)
        (
            "Prof. Lena Dorsch of the Univ. of Bremen chaired it. She retired.",
            ["Prof. Lena Dorsch of the Univ. of Bremen chaired it.", "She retired."],
        ),
        ("The vote is at 10 a.m. on Monday in Hall No. 4.", ["The vote is at 10 a.m. on Monday in Hall No. 4."]),
        # a new user's expense policy: "e.g." and "excl." before a capital go on (sixteenth session)
        (
            "| Hotel (Tier 1 cities, e.g. London, Paris) | EUR 210 |",
            ["| Hotel (Tier 1 cities, e.g. London, Paris) | EUR 210 |"],
        ),
        ("It cost EUR 38,500 (excl. VAT). It was approved.", ["It cost EUR 38,500 (excl. VAT).", "It was approved."]),
        # "No." is a number's only before one; a numbered item's number; "Mt."; hard-wrapped lines
        ("The answer was no. Nobody expected it.", ["The answer was no.", "Nobody expected it."]),
        ('He replied: "No. Definitely not."', ['He replied: "No.', 'Definitely not."']),
        ("He lives at No. 10 with his wife.", ["He lives at No. 10 with his wife."]),
        ("1. Preheat the oven.\n2. Mix the flour.", ["1. Preheat the oven.", "2. Mix the flour."]),
        ("## 2. Methods\nWe surveyed 120 homes.", ["## 2. Methods", "We surveyed 120 homes."]),
        ("They climbed Mt. Kenya in 2008.", ["They climbed Mt. Kenya in 2008."]),
        ("Written by Prof.\nJane Doe at the Univ.\nof Leeds.", ["Written by Prof.\nJane Doe at the Univ.\nof Leeds."]),
        ("Called off at 3 p.m.\nand the fans went home.", ["Called off at 3 p.m.\nand the fans went home."]),
        ("Doors open at 8 p.m. Bring a coat.", ["Doors open at 8 p.m.", "Bring a coat."]),
        ("Mr Orme and Mrs. Pike moved to the U.S. in May.", ["Mr Orme and Mrs. Pike moved to the U.S. in May."]),
        (
            "A report by T. S. Haldane and K.M. Ruiz appeared. It sold out.",
            ["A report by T. S. Haldane and K.M. Ruiz appeared.", "It sold out."],
        ),
        (
            "Inflation was 2.75% in 2023. It fell to 1.9 later.",
            ["Inflation was 2.75% in 2023.", "It fell to 1.9 later."],
        ),
        (
            "“We tried … we failed, and then we tried again,” said Ines. Then she left.",
            ["“We tried … we failed, and then we tried again,” said Ines.", "Then she left."],
        ),
        ('"Maybe... one day," he wrote. Nobody replied.', ['"Maybe... one day," he wrote.', "Nobody replied."]),
        ("“Run!” he said. They ran.", ["“Run!” he said.", "They ran."]),
        ("Revenue was $4.2bn. Costs rose.", ["Revenue was $4.2bn.", "Costs rose."]),
        ("The deal was with AT&T. Shares rose.", ["The deal was with AT&T.", "Shares rose."]),
        ("They bought pens, paper etc. Then they left.", ["They bought pens, paper etc.", "Then they left."]),
        # a table's row ends with its line, not at a cell's "p.m." (a clinic's opening hours were cut there)
        (
            "| Monday | 8:00 a.m. to 6:30 p.m. | closed |\n| Sat. | 9 a.m. |",
            ["| Monday | 8:00 a.m. to 6:30 p.m. | closed |", "| Sat. | 9 a.m. |"],
        ),
    ],
)
def test_sentence_spans(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


@given(st.text(max_size=500), st.integers(0, 1000))
def test_spans_are_offset_and_trimmed(text: str, offset: int) -> None:
    for start, end in sentence_spans(text, offset):
        piece = text[start - offset : end - offset]
        assert piece and piece == piece.strip()
