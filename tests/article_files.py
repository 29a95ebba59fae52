"""Real article files made for tests: an HTML page with boilerplate around the article, and PDFs
(a report, a two-column page, a typeset page with hyphenated line ends and ligature glyphs)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

ARTICLE_TITLE = "Harbour town opens tidal energy plant"
ARTICLE_AUTHOR = "Mara Lindqvist"
ARTICLE_DATE = "2024-03-18"
ARTICLE_SITE = "Coastal Gazette"
ARTICLE_URL = "https://news.example.org/energy/tidal-plant"
ARTICLE_PARAGRAPHS = (
    "The harbour town of Kelvmouth switched on its tidal energy plant on Monday, the first of its kind "
    "on this stretch of coast. Twelve underwater turbines now turn with the tide twice a day.",
    "The plant cost 48 million euros and was paid for by a cooperative of 2,300 residents, who will "
    "share the income from selling electricity to the regional grid.",
    "Engineers from the Nordvik Institute spent four years testing the turbine blades against storms "
    "and drifting seaweed before the council approved the design.",
    "At full tide the turbines produce enough electricity for about 9,000 homes, more than twice the "
    "number of households in Kelvmouth itself.",
)
BOILERPLATE = (
    "Subscribe to our newsletter for daily deals",
    "Cookie settings and privacy choices",
    "Advertisement: buy discount garden furniture now",
    "Copyright Coastal Gazette Media Group, all rights reserved",
)


def article_html() -> str:
    """A saved article page: navigation, ads, a related-links box and a footer around the article."""
    paragraphs = "\n".join(f"      <p>{escape(p)}</p>" for p in ARTICLE_PARAGRAPHS)
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in ("Home", "World", "Sport", "Weather"))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{escape(ARTICLE_TITLE)} | {ARTICLE_SITE}</title>
  <meta property="og:title" content="{escape(ARTICLE_TITLE)}">
  <meta property="og:site_name" content="{ARTICLE_SITE}">
  <meta name="author" content="{ARTICLE_AUTHOR}">
  <meta property="article:published_time" content="{ARTICLE_DATE}T08:30:00Z">
  <link rel="canonical" href="{ARTICLE_URL}">
  <script>window.tracking = {{"id": 42}};</script>
  <style>.ad {{ color: red; }}</style>
</head>
<body>
  <header><nav><ul>{nav}</ul></nav><div class="promo">{BOILERPLATE[0]}</div></header>
  <div class="cookie-banner">{BOILERPLATE[1]}</div>
  <main>
    <article>
      <h1>{escape(ARTICLE_TITLE)}</h1>
      <p class="byline">By {ARTICLE_AUTHOR}, <time datetime="{ARTICLE_DATE}">18 March 2024</time></p>
{paragraphs}
    </article>
    <aside class="ad advertisement" id="sidebar-ad">{BOILERPLATE[2]}</aside>
    <aside class="related"><h2>Related</h2><ul><li><a href="/x">Wind farm delayed</a></li></ul></aside>
  </main>
  <footer><p>{BOILERPLATE[3]}</p><a href="/terms">Terms</a> <a href="/contact">Contact</a></footer>
</body>
</html>
"""


def dated_page(head: str = "", article: str = "", footer: str = "© 2025 Kelvmouth Council") -> bytes:
    """The article's paragraphs as a page (UTF-8) with ``head`` in its <head>, ``article`` after the paragraphs
    and ``footer`` below them: by default no date but a footer's copyright year."""
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{ARTICLE_TITLE}</title>{head}</head>"
        "<body><main><article>"
        f"<h1>{ARTICLE_TITLE}</h1>{paragraphs}{article}</article></main><footer><p>{footer}</p></footer>"
        "</body></html>"
    ).encode()


PDF_TITLE = "Annual report of the Kelvmouth cooperative"
PDF_AUTHOR = "Kelvmouth Energy Cooperative"
PDF_PAGES = (
    (
        "Annual report of the Kelvmouth cooperative.",
        "This report covers the first year of the tidal energy plant owned by the residents.",
    ),
    (
        "Production. The twelve turbines delivered 31 gigawatt hours of electricity during the year.",
        "Maintenance divers cleaned the turbine blades of seaweed every six weeks.",
    ),
    (
        "Finance. Each member of the cooperative received a dividend of 212 euros in December.",
        "The board proposes to build a battery store next to the harbour wall.",
    ),
)


def report_pdf() -> bytes:
    """A three-page PDF written with fpdf2, with title and author metadata."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(PDF_TITLE)
    pdf.set_author(PDF_AUTHOR)
    pdf.set_font("Helvetica", size=12)
    for lines in PDF_PAGES:
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(0, 8, line)
            pdf.ln(4)
    return bytes(pdf.output())


COLUMN_LEFT = (
    "The council met on Tuesday to discuss the new bus depot. After a long debate the members agreed that "
    "the depot will move to the northern industrial estate next spring, freeing the old site for housing. "
    "Neighbours had asked for this change for years because of the noise of early buses."
)
COLUMN_RIGHT = (
    "In other business the market hall becomes a covered food court in June. Traders welcomed the plan, "
    "although some worried about higher rents. The mayor promised a review of the rents after the first "
    "year of trading."
)
UNICODE_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # Debian's fonts-dejavu-core: has the ligatures


def _wrap(pdf: Any, text: str, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and pdf.get_string_width(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line]


def two_column_pdf(row_by_row: bool) -> bytes:
    """A page with a heading over two columns; ``row_by_row``: drawn a line of each column at a time."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.text(20, 20, "Town news")
    left, right = _wrap(pdf, COLUMN_LEFT, 80), _wrap(pdf, COLUMN_RIGHT, 80)
    draws = [(20, row, line) for row, line in enumerate(left)] + [(110, row, line) for row, line in enumerate(right)]
    if row_by_row:
        draws.sort(key=lambda draw: (draw[1], draw[0]))
    for x, row, line in draws:
        pdf.text(x, 32 + 4.8 * row, line)
    return bytes(pdf.output())


def typeset_pdf(lines: Sequence[str], title: str = "") -> bytes:
    """One page with these lines as a typesetter breaks them (hyphens at line ends, ligature glyphs)."""
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.add_page()
    pdf.add_font("DejaVu", fname=UNICODE_FONT)
    pdf.set_font("DejaVu", size=11)
    for row, line in enumerate(lines):
        pdf.text(20, 30 + 4.8 * row, line)
    return bytes(pdf.output())


JUSTIFIED_HEADING = "Probation and reviews"
JUSTIFIED_PARAGRAPHS = (
    "The probation period is six months. During probation, the notice period is two weeks for both sides. "
    "Your manager holds check-in conversations after 30, 60 and 90 days and a probation review in the fifth "
    "month.",
    "After probation, the notice period follows your contract, usually three months to the end of a month. "
    "Notice is given in writing to People & Culture, who confirm the last working day within a week.",
)
JUSTIFIED_LIST = ("Laptop: a 14-inch MacBook Pro", "Security key: a YubiKey", "Accounts: Slack and Chronos")


def justified_pdf(font: str = "Helvetica") -> bytes:
    """A page as an office tool writes it (the onboarding guide of trial s16): a 16 pt heading, paragraphs
    of justified 11 pt lines 6 mm apart (1.5 line spacing) with 3 mm between them, then a list of short lines.

    ``font``: ``Helvetica`` (a core font, justified by word spacing) or ``DejaVu`` (an embedded
    TrueType font, justified by moving the words).
    """
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if font == "DejaVu":
        pdf.add_font("DejaVu", fname=UNICODE_FONT)
    pdf.set_font(font, size=16)
    pdf.multi_cell(0, 10, JUSTIFIED_HEADING, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, size=11)
    for paragraph in JUSTIFIED_PARAGRAPHS:
        pdf.multi_cell(0, 6, paragraph, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    for item in JUSTIFIED_LIST:
        pdf.multi_cell(0, 6, item, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
