"""The API's ceilings, declared once: the HTTP schemas, the settings, the chat endpoint and the
question-set reader all take them from here (settings may lower them, never raise them)."""

from __future__ import annotations

__all__ = ["DEFAULT_K", "MAX_HISTORY_ANSWER_CHARS", "MAX_HISTORY_TURNS", "MAX_K", "MAX_QUESTION_CHARS"]

MAX_QUESTION_CHARS = 1000
"""Longest question or search query, in characters after trimming."""

MAX_K = 20
"""Most passages one request may ask for."""

DEFAULT_K = 5
"""Passages returned when a request does not say."""

MAX_HISTORY_TURNS = 10
"""Most earlier turns of a conversation one ``/v1/ask`` request may send (follow-ups use the last ones)."""

MAX_HISTORY_ANSWER_CHARS = 4000
"""Longest answer text of one earlier turn."""
