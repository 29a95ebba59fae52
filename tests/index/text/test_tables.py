"""Which line of a table a sentence is, and the header a row falls under (``citeqa.index.text.tables``)."""

from __future__ import annotations

import pytest

from citeqa.index.text.tables import Role, header_of, is_separator, role

# a Markdown table as written, then an HTML table as the HTML reader writes it: a blank line between rows,
# its caption a header of its own over an empty-celled separator
MARKDOWN = "Rates:\n| Room | Hourly rate |\n|---|---:|\n| Pavilion | £18.00 |\n| Chamber | £38.00 |\nAfter."
HTML = (
    "Bands.\n\n| Total council tax by band |  |\n\n|---|---|\n\n| Band | Annual charge |\n\n|---|---|\n\n"
    "| A | £1,512.40 |\n\n| D | £2,268.60 |\n\nDiscounts follow."
)


def _at(text: str, line: str) -> tuple[int, int]:
    start = text.index(line)
    return start, start + len(line)


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        (MARKDOWN, "| Room | Hourly rate |", Role.HEADER),
        (MARKDOWN, "|---|---:|", Role.SEPARATOR),
        (MARKDOWN, "| Pavilion | £18.00 |", Role.ROW),
        (MARKDOWN, "Rates:", Role.NONE),
        (HTML, "| Total council tax by band |  |", Role.HEADER),  # a caption
        (HTML, "| Band | Annual charge |", Role.HEADER),
        (HTML, "| D | £2,268.60 |", Role.ROW),
        (HTML, "Discounts follow.", Role.NONE),
    ],
)
def test_the_role_of_a_line(text: str, line: str, expected: Role) -> None:
    assert role(text, *_at(text, line)) is expected


@pytest.mark.parametrize(
    ("text", "row", "header"),
    [
        (MARKDOWN, "| Chamber | £38.00 |", "| Room | Hourly rate |"),
        (HTML, "| D | £2,268.60 |", "| Band | Annual charge |"),  # the nearest header, not the caption
        (HTML, "| Band | Annual charge |", "| Total council tax by band |  |"),
    ],
)
def test_a_row_falls_under_the_nearest_header_above_it(text: str, row: str, header: str) -> None:
    found = header_of(text, text.index(row))
    assert found is not None and text[found[0] : found[1]] == header


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (MARKDOWN, "After."),  # a sentence right after a table is in no table
        (MARKDOWN, "Rates:"),
        ("| a | b |\n| c | d |", "| c | d |"),  # rows without a separator: no header
    ],
)
def test_no_header_outside_a_table(text: str, line: str) -> None:
    assert header_of(text, text.index(line)) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [("|---|---|", True), ("| :--- | ---: |", True), ("---|---", True), ("| --- |", True), ("---", False)],
)
def test_a_separator_row(line: str, expected: bool) -> None:
    """A Markdown rule ("---") alone is no table's separator."""
    assert is_separator(line) is expected
