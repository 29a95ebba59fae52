"""HTML article pages: main text and metadata extracted with trafilatura (navigation, ads, footers left out)."""

from __future__ import annotations

import logging
from typing import Any

from citeqa.index.domain import Document
from citeqa.index.errors import CorpusError

__all__ = ["PAGE_SEPARATOR", "read_html"]

PAGE_SEPARATOR = "\n\n"
DATE_SEARCH: dict[str, Any] = {"extensive_search": False, "original_date": True}
"""htmldate's options: the date the page gives as its own (meta tags, JSON-LD, ``<time>``, an element marked as a
date; failing those a full date the text states as the page's, "Published on 12/03/2025", or an ISO date), the
publication date before the modification date; no extensive search of the text, which turned a footer's "© 2025"
into 2025-01-01 for a page giving no date."""


def read_html(html: str, doc_id: str, source: str = "") -> Document:
    """The main text of an article page with its title, author, date, site name and canonical URL.

    The date (``YYYY-MM-DD``) is the one the page gives as its own (``DATE_SEARCH``), else None: never guessed
    from a copyright year or a year in the text. Raises ``CorpusError`` when the page holds no article text."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    extracted: Any = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        date_extraction_params=DATE_SEARCH,
    )
    raw_text = (getattr(extracted, "text", None) or "") if extracted is not None else ""
    text = PAGE_SEPARATOR.join(line.strip() for line in raw_text.splitlines() if line.strip())
    if not text:
        raise CorpusError(f"{source or doc_id}: no article text found in the HTML page")
    fields = {
        "author": getattr(extracted, "author", None),
        "site": getattr(extracted, "sitename", None),
        "description": getattr(extracted, "description", None),
        "format": "html",
    }
    title = (getattr(extracted, "title", None) or "").strip() or text.splitlines()[0][:200]
    return Document(
        doc_id=doc_id,
        title=title,
        text=text,
        source=source,
        url=getattr(extracted, "url", None) or None,
        date=getattr(extracted, "date", None) or None,
        metadata={k: str(v) for k, v in fields.items() if v},
    )
