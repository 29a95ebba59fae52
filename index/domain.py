"""The values every layer passes around: documents, chunks and embedding vectors.

Frozen dataclasses with no behaviour beyond what identifies them; they sit at the bottom of the
library so that reading (``corpus``), cutting (``text``), storing (``store``) and answering
(``answering``) can all speak of them without importing one another.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Self

import numpy as np
import numpy.typing as npt

from citeqa.index.errors import InvalidInput

__all__ = ["Choice", "Chunk", "Document", "Vectors"]

Vectors = npt.NDArray[np.float32]
"""Embedding vectors: float32, shape ``(n, dimension)``, each row of unit L2 length."""


@dataclass(frozen=True)
class Document:
    """One article: its verbatim body ``text`` (citation offsets point into it) and metadata."""

    doc_id: str
    title: str
    text: str
    source: str = ""
    url: str | None = None
    date: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def content_hash(self) -> str:
        """sha256 (hex) of everything that is indexed: text, title and metadata. The manifest keeps it per
        document; answers and ``GET /v1/documents/{doc_id}`` give it, so a citation's document can be
        told from a replaced one."""
        payload = json.dumps(
            [self.doc_id, self.title, self.text, self.url, self.date, dict(self.metadata)],
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Chunk:
    """A span of one document. ``chunk_id`` is its row in the index."""

    chunk_id: int
    doc_id: str
    start: int
    end: int
    text: str


class Choice(StrEnum):
    """A setting with a fixed set of values (fusion mode, index kind, backend); ``from_str`` lists them."""

    @classmethod
    def from_str(cls, value: str) -> Self:
        """The member named ``value``; ``InvalidInput`` naming the valid values otherwise."""
        try:
            return cls(value)
        except ValueError:
            valid = ", ".join(member.value for member in cls)
            raise InvalidInput(f"unknown {cls.label()} {value!r}: use one of {valid}") from None

    @classmethod
    def label(cls) -> str:
        """What the choice is called in messages."""
        return cls.__name__.lower()
