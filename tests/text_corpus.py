"""A small corpus of invented articles for the text cases of issue 13 (matching, symbol terms, language,
follow-ups): each document is written so that the wrong behaviour cites another document.

- ``c-language`` / ``cpp-language`` / ``csharp-language``: "C", "C++" and "C#" are different terms.
- ``kestrel-rx9``: stored with a ligature (ﬁ), fullwidth letters (ＲＸ９), a decomposed accent (Zoe + U+0308)
  and a soft hyphen, none of which a question typing plain letters contains.
- ``skerrow-lighthouse`` / ``calder-bridge``: "When did he build it?" only means the lighthouse after
  "Who built the Skerrow Point lighthouse?"; on its own, the bridge (built by a man, with a year) fits too.
- ``greyhaven-lighthouse``: the year it was built is in the sentence after the builder's, which names it by a
  pronoun ("She completed it in 1887."); other sentences give a year (a sale) and a time of day (opening hours).
- ``phare-skerrow``: the lighthouse article in French (a French question must still be refused).
- ``vell-visit``: after "Who did Marta Quell meet in Port Vell?" (answered with Olaf Brandt), "What did
  she talk about at the academy?" means Quell, whom a sentence places at the academy, not Brandt.
"""

from __future__ import annotations

from pathlib import Path

DECOMPOSED_NAME = "Zoe\u0308 Marchetti"  # "Zoë" with the diaeresis as a combining mark (NFD)
ARTICLES = {
    "c-language": (
        "The C language",
        "The C programming language was created by Dennis Ritchie at Bell Labs between 1969 and 1973. "
        "Ritchie designed C to rewrite the Unix operating system. C remains common in embedded devices.",
    ),
    "cpp-language": (
        "The C++ language",
        "The C++ programming language was created by Bjarne Stroustrup, who began the work in 1979. "
        "Stroustrup first called C++ 'C with Classes'. C++ added classes and templates.",
    ),
    "csharp-language": (
        "The C# language",
        "C# was designed by Anders Hejlsberg at Microsoft and released in 2000 with the .NET framework. "
        "Programs in C# and F# run on .NET.",
    ),
    "kestrel-rx9": (
        "Kestrel Audio's new amplifier",
        "Kestrel Audio released the ＲＸ９ amplifier in Aberdeen in March 2021. "
        f"Its ﬁrmware was written by the engineer {DECOMPOSED_NAME}, who joined the company in 2017. "
        "The amplifier's trans\u00adistor stage was designed in Glasgow.",
    ),
    "skerrow-lighthouse": (
        "The Skerrow Point lighthouse",
        "The Skerrow Point lighthouse was built by the engineer Tomas Brennan. "
        "Brennan's crew completed the tower in 1861 after four winters of work on the reef. "
        "Its lamp could be seen from thirty kilometres away.",
    ),
    "calder-bridge": (
        "The Calder viaduct",
        "The Calder viaduct was built by the railway engineer Hugh Pennant. "
        "He finished it in 1898, and trains still cross it every day.",
    ),
    "greyhaven-lighthouse": (
        "The Greyhaven lighthouse",
        "The Greyhaven lighthouse was built by the engineer Margaret Ellison. "
        "She completed it in 1887 after four years of work. "
        "Peter Grant bought the lighthouse in 1998 for 2.4 million pounds. "
        "The lighthouse opens to visitors at 10 a.m. on weekdays.",
    ),
    "vell-visit": (
        "Trade envoy visits Port Vell",
        "Trade envoy Marta Quell visited Port Vell on Monday. "
        "She met the harbour master Olaf Brandt at the customs house. "
        "Later, Quell gave a talk on shipping tariffs at the Vell Maritime Academy. "
        "Brandt showed reporters the new container cranes.",
    ),
    "phare-skerrow": (
        "Le phare de Skerrow Point",
        "Le phare de Skerrow Point a été construit par l'ingénieur Tomas Brennan. "
        "Son équipe a achevé la tour en 1861 après quatre hivers de travail sur le récif.",
    ),
}


def write_text_corpus(directory: Path) -> Path:
    """Write the articles as Markdown files with front matter into ``directory``; returns it."""
    directory.mkdir(parents=True, exist_ok=True)
    for doc_id, (title, body) in ARTICLES.items():
        front = f'---\nid: {doc_id}\ntitle: "{title}"\n---\n'
        (directory / f"{doc_id}.md").write_text(front + body + "\n", encoding="utf-8")
    return directory
