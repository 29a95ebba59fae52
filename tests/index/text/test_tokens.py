"""Tokens for matching: normalised Unicode, symbol terms kept, the same function for index and question."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citeqa.index.store.lexical import build_lexical
from citeqa.index.text.tokens import (
    CONTENT_TERMS_VERSION,
    content_terms,
    content_terms_scheme,
    normalise,
    terms,
    words,
)


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("the ﬁnal ﬁgure", "the final figure"),  # ligatures
        ("the ＲＸ９ amplifier", "the RX9 amplifier"),  # fullwidth forms
        ("Zoe\u0308 Marchetti", "Zoë Marchetti"),  # decomposed (NFD) vs composed (NFC) accent
        ("José Ramos", unicodedata.normalize("NFD", "José Ramos")),
        ("infor\u00admation desk", "information desk"),  # soft hyphen
        ("zero\u200bwidth join\u200ders", "zerowidth joiners"),  # zero-width space and joiner
        ("STRASSE", "straße"),  # case folding
        ("Kelvmouth’s harbour", "Kelvmouth's harbour"),  # typographic apostrophe
        ("We cannot be naïve", "we cannot be naive"),  # accents of Latin letters, as readers type them
        ("José Mourinho, Zürich, Nguyễn", "Jose Mourinho, Zurich, Nguyen"),
    ],
)
def test_text_is_normalised_for_matching(stored: str, typed: str) -> None:
    assert terms(stored) == terms(typed)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C and C++ and C# and F#", ["c", "and", "c++", "and", "c#", "and", "f#"]),
        ("Apps on .NET run", ["apps", "on", ".net", "run"]),
        ("AT&T joined the S&P 500", ["at&t", "joined", "the", "s&p", "500"]),
        ("4G, 5G and 3D", ["4g", "5g", "and", "3d"]),
        ("MP3, G20, A380", ["mp3", "g20", "a380"]),
        ("in the 1990s, £10m", ["in", "the", "1990", "s", "10", "m"]),
        ("4g or 4G, mp3 or MP3, h5n1", ["4g", "or", "4g", "mp3", "or", "mp3", "h5n1"]),  # any case
        ("£10M, 2nd, 9am, 100kg", ["10", "m", "2", "nd", "9", "am", "100", "kg"]),  # units and suffixes apart
        ("3.5% at 10:30, 1,200 people", ["3.5", "at", "10:30", "1,200", "people"]),
        ("The end.Next one", ["the", "end", "next", "one"]),
        # a version is one term, with or without its "v"; "v2" alone is a term like "G20"
        ("v2.3.1 and 2.3.1, V2.4.0-rc.2", ["2.3.1", "and", "2.3.1", "2.4.0-rc.2"]),
        ("v2 (v3.1)", ["v2", "3.1"]),
        ("2.4.0-rc.2, 3.0.0-beta1 and 3.0.0.", ["2.4.0-rc.2", "3.0.0-beta1", "and", "3.0.0"]),
        (
            "`max_pool_size` (QUILL_MAX_POOL)",
            ["max", "pool", "size", "max_pool_size", "quill", "max", "pool", "quill_max_pool"],
        ),
    ],
)
def test_terms_with_symbols_are_terms(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_c_cpp_and_csharp_are_three_terms_in_the_lexical_index() -> None:
    index = build_lexical(["Ritchie made C.", "Stroustrup made C++.", "Hejlsberg made C#."])
    scores = index.score_many(["C", "C++", "C#"])
    assert list(scores.argmax(axis=1)) == [0, 1, 2]
    assert all((row > 0).sum() == 1 for row in scores)


def test_a_version_is_told_from_its_neighbours_in_the_lexical_index() -> None:
    """Sixteenth session's trial: "v2.3.1" was the terms "v2" and "3.1", so "When was v2.3.1 released?" read the
    v2.4.0 sentence as well as any."""
    index = build_lexical(["v2.3.1 was released on 4 March.", "v2.4.0 was released on 9 June.", "3.1 million"])
    scores = index.score_many(["v2.3.1", "2.3.1", "version 2.4.0"])
    assert list(scores.argmax(axis=1)) == [0, 0, 1]
    assert scores[0][2] == 0


def test_symbol_terms_are_not_stemmed_and_words_are() -> None:
    # "programmers" and "programming" (read as "programme") share a stem
    assert content_terms("C++ programmers programming AT&T") == ["c++", "programm", "at&t"]


def test_accents_stay_on_letters_of_other_scripts() -> None:
    """Only Latin letters lose their accents: Greek tonos and kana voicing tell words apart."""
    assert words("Ελλάδα がっこう") == ["ελλάδα", "がっこう"]
    assert words("かっこう") != words("がっこう")


def test_normalise_keeps_case_and_drops_only_invisible_characters() -> None:
    assert normalise("ＲＸ９ ﬁne\u00ad") == "RX9 fine"


@given(st.text(max_size=200))
def test_terms_are_stable_under_normal_forms(text: str) -> None:
    """Any text and its NFC, NFD and NFKC forms give the same terms: the index and a question agree."""
    expected = terms(text)
    for form in ("NFC", "NFD", "NFKC"):
        assert terms(unicodedata.normalize(form, text)) == expected


def _words_by_regex(text: str) -> list[str]:
    """The reference: every token found by ``_TOKEN`` over the whole normalised text, each whitespace-separated
    piece's followed by the names with underscores in it (``_UNDERSCORED``: "max_pool_size" after its words)."""
    from citeqa.index.text.tokens import _TOKEN, _UNDERSCORED, _fold

    normalised = normalise(text)
    tokens = list(_TOKEN.finditer(normalised))
    out = []
    for piece in re.finditer(r"\S+", normalised):
        out += [_fold(m.group(0)) for m in tokens if piece.start() <= m.start() < piece.end()]
        out += [_fold(m.group(0)) for m in _UNDERSCORED.finditer(piece.group(0))]
    return out


def test_fast_path_gives_the_tokens_of_the_regex_on_the_bbc_corpus() -> None:
    """``words`` skips the regex for plain-letter pieces; over every line of the 2,225 BBC articles and
    a line of symbol terms it must give exactly what the regex gives on the whole text."""
    from tests.conftest import BBC_NEWS

    lines = ["C++, C# and F#; .NET (AT&T) S&P 500 4G MP3 1990s £10m 2nd “quoted” «cité» José ﬁnal ＲＸ９ it’s U.S."]
    for path in sorted(BBC_NEWS.glob("*/*.txt")):
        lines.extend(path.read_bytes().decode("utf-8", errors="replace").splitlines())
    assert len(lines) > 20_000
    assert [line for line in lines if words(line) != _words_by_regex(line)] == []


@given(st.text(alphabet=st.sampled_from(list("aZé1 .,;:+#&'’\"“”()-_£%\n")), max_size=40))
def test_fast_path_agrees_with_the_regex_on_any_text(text: str) -> None:
    assert words(text) == _words_by_regex(text)


def test_irregular_inflections_are_their_lemma_for_the_answer_step_only() -> None:
    """Snowball stems regular endings only; the answer step reads "met", "spent", "built", "won" as their
    lemma; ambiguous forms ("left": leave or left) stay; the lexical index's terms stay as written."""
    assert content_terms("Rutte met Ishiba") == content_terms("Rutte meets Ishiba")
    assert content_terms("spent built won") == content_terms("spend build win")
    assert content_terms("he left") == ["left"]
    assert terms("Rutte met Ishiba") == ["rutt", "met", "ishiba"]


def test_ambiguous_forms_are_tried_for_a_question_s_verb_the_index_lacks() -> None:
    """ "found" (find or found), "rewrote" (a prefixed verb) are never read as a lemma, but a question asking
    "rewrite" or "find" over a text saying only "rewrote" or "found" is read with the text's word."""
    from citeqa.index.answering.features import parse_question
    from citeqa.index.store.lexical import build_lexical
    from citeqa.index.text.tokens import ambiguous_inflections, lemma

    assert ambiguous_inflections("rewrite") == ("rewritten", "rewrote")
    assert ambiguous_inflections("find") == ("found",) and lemma("found") == "found"
    lexical = build_lexical(
        ["Solvay's team rewrote its billing service in the F# language.", "Okafor found 12 otters."]
    )
    for question, term in [
        ("Which language did the team rewrite the service in?", "rewrot"),
        ("What did Okafor find?", "found"),
    ]:
        q = parse_question(question, lexical)
        assert q.absent == () and term in q.weights, q  # the text's term: its sentences match it


# The digest of ``content_terms`` over a line of symbol terms and every line of the BBC articles, by
# ``CONTENT_TERMS_VERSION``: indexes store content terms (``citeqa.index.store.terms``) and read them only
# under the version they were made with. When this fails, ``content_terms`` reads text otherwise: bump
# ``CONTENT_TERMS_VERSION`` (stored terms then go unread until ``citeqa build``) and record the new digest.
CONTENT_TERMS_DIGESTS = {
    1: "fdeecc7ec29cd1b8f750c74e6c45cece827b290da29efefbad7bb57c563a9236",
    2: "0ff4dd14451aa1ba1db150c3a515920619f4bc6880527eff0b81eeb1a3ba95e5",  # versions: "v2.3.1", "2.4.0-rc.2"
}


def test_content_terms_are_those_their_version_stored() -> None:
    from tests.conftest import BBC_NEWS

    lines = [
        "C++, C# and F#; .NET (AT&T) S&P 500 4G MP3 1990s £10m 2nd “quoted” «cité» José ﬁnal ＲＸ９ it’s U.S. v2.3.1 "
        "2.4.0-rc.2 max_pool_size",
        "met",
    ]
    for path in sorted(BBC_NEWS.glob("*/*.txt")):
        lines.extend(path.read_bytes().decode("utf-8", errors="replace").splitlines())
    read = json.dumps([content_terms(line) for line in lines], ensure_ascii=False)
    assert hashlib.sha256(read.encode("utf-8")).hexdigest() == CONTENT_TERMS_DIGESTS[CONTENT_TERMS_VERSION]
    assert content_terms_scheme().startswith(f"content_terms {CONTENT_TERMS_VERSION}; ")
