"""New names in a sentence: a capital that only starts the sentence is a name unless the article also
writes the word in lower case, as a whole word (a run of ``\\w`` characters, as ``re`` reads them)."""

from __future__ import annotations

import re

import pytest

from citeqa.index.text.questions import new_names

SENTENCE = "Despite the rain, Halvorsen opened the bridge."


@pytest.mark.parametrize(
    "article",
    [
        "despite the rain",  # the word itself: "Despite" is no name
        "It rained.\ndespite",  # at the very end
        "(despite) it all",  # between punctuation
        "undespite the rain",  # inside a longer word: never written alone
        "despite_x and despite2",  # "_" and digits are word characters
        "despiteé and édespite",  # so are accented letters
        "despite\u0301 the rain",  # a combining accent is not (re's \w nor str.isalnum)
        "DESPITE the rain",  # upper case is not lower case
    ],
)
def test_a_sentence_initial_capital_is_a_name_unless_the_article_writes_it_in_lower_case(article: str) -> None:
    written = "despite" in re.findall(r"\w+", article)
    expected = ["Halvorsen"] if written else ["Despite", "Halvorsen"]
    assert new_names(SENTENCE, "Who opened the bridge?", article) == expected
