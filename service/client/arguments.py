"""The client's own check of a method's arguments, before any request: each raises ``InvalidArgument``
naming the argument and the shape expected, so a malformed call is an ``ApiError`` like any other
failure rather than a ``TypeError`` from deep inside httpx, or a request the server cannot route
(``document("")`` asks for ``/v1/documents/``).

Only the shapes are checked here (and that a document id can be put in a URL path at all); the values
(lengths, ranges, the characters of an id) are the server's to check, so its messages stay the one
source of them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from citeqa.service.client.errors import InvalidArgument

TURN = "{'question': str, 'answer': str} ('answer' optional)"


def _kind(value: object) -> str:
    return type(value).__name__


def string(name: str, value: object) -> str:
    """``value``, which must be a ``str``."""
    if not isinstance(value, str):
        raise InvalidArgument(f"{name}: expected a string, got {_kind(value)}")
    return value


def optional_string(name: str, value: object) -> str | None:
    return None if value is None else string(name, value)


def integer(name: str, value: object) -> int:
    """``value``, which must be an ``int`` (not a ``bool``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}: expected an integer, got {_kind(value)}")
    return value


def flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}: expected True or False, got {_kind(value)}")
    return value


def doc_id(value: object) -> str:
    """A document id: a string, not empty (``/v1/documents/`` is no document)."""
    checked = string("doc_id", value)
    if not checked.strip():
        raise InvalidArgument("doc_id: must not be empty: give a document's id (documents() lists them)")
    if "/" in checked or checked in (".", ".."):
        # no request could reach the document: "a/b" is another path, ".." climbs out of /v1/documents
        raise InvalidArgument(
            f"doc_id: {checked!r} is no document id (ids have no '/' and are not '.' or '..'; documents() lists them)"
        )
    return checked


def strings(name: str, value: object) -> dict[str, str]:
    """A ``{str: str}`` mapping (``metadata``); None is an empty one."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise InvalidArgument(f"{name}: expected a dict of strings ({{'section': 'Business'}}), got {_kind(value)}")
    return dict(value)


def history(value: object) -> list[dict[str, str]]:
    """The earlier turns of a conversation: a list of ``{'question': str, 'answer': str}``; None is none."""
    if value is None:
        return []
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise InvalidArgument(f"history: expected a list of turns, oldest first, each {TURN}; got {_kind(value)}")
    turns = []
    for i, turn in enumerate(value):
        if not isinstance(turn, Mapping) or not all(isinstance(key, str) for key in turn):
            raise InvalidArgument(f"history[{i}]: expected a dict {TURN}, got {_kind(turn)}")
        unknown = sorted(set(turn) - {"question", "answer"})
        if unknown or "question" not in turn:
            what = f"unknown key {unknown[0]!r}" if unknown else "no 'question'"
            raise InvalidArgument(f"history[{i}]: {what}: a turn is {TURN}")
        for key, text in turn.items():
            if not isinstance(text, str):
                raise InvalidArgument(f"history[{i}][{key!r}]: expected a string, got {_kind(text)}")
        turns.append(dict(turn))
    return turns


def file(path: object, content: object) -> tuple[str, bytes]:
    """The name and bytes of a file to upload: ``content`` named ``path``, else the file at ``path``."""
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidArgument(f"path: expected a file path (str or Path), got {_kind(path)}")
    name = Path(path).name
    if content is not None:
        if not isinstance(content, (bytes, bytearray)):
            raise InvalidArgument(f"content: expected bytes, got {_kind(content)} (encode text: text.encode())")
        return name, bytes(content)
    try:
        return name, Path(path).read_bytes()
    except OSError as exc:
        raise InvalidArgument(f"path: cannot read {str(path)!r}: {exc.strerror or exc}") from None


__all__ = ["doc_id", "file", "flag", "history", "integer", "optional_string", "string", "strings"]
