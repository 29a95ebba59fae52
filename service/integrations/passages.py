"""What a retrieved passage carries into a framework's document or node: one metadata shape for both."""

from __future__ import annotations

from typing import Any

from citeqa.service.client.models import Passage

#: Metadata keys that locate a passage (shown to a model, with the text) and those that score it.
SOURCE_KEYS = ("doc_id", "title", "url", "page")
DETAIL_KEYS = ("start", "end", "chunk_id", "score", "dense_score", "lexical_score")


def passage_metadata(p: Passage) -> dict[str, Any]:
    """``doc_id``, ``title``, ``url``, ``page``, ``start``, ``end``, ``chunk_id`` and the scores.

    ``start``/``end`` are character offsets into the document's text (``Client.document``);
    ``score`` is the fused score, ``dense_score`` the cosine similarity, ``lexical_score`` BM25.
    """
    return {
        "doc_id": p.doc_id,
        "title": p.title,
        "url": p.url,
        "page": p.page,
        "start": p.start,
        "end": p.end,
        "chunk_id": p.chunk_id,
        "score": p.score,
        "dense_score": p.dense_score,
        "lexical_score": p.lexical_score,
    }


def format_answer(answerable: bool, answer: str, reason: str | None, sources: list[str]) -> str:
    """An answer as text for a model: the quoted answer, then one ``[n] "quote" - title (link)`` line per citation."""
    if not answerable:
        return f"The articles do not cover this question ({reason or 'no reason given'}). Do not answer from memory."
    return "\n".join([answer, "", "Sources (quote verbatim, keep the [n] markers, link them):", *sources])
