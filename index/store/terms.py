"""Content terms of every document of an index version: what the answer step matches a question against.

The answer step reads the content terms (``citeqa.index.text.tokens.content_terms``) of a document's
title, of its whole text and of each of its sentences (``citeqa.index.answering.features.DocumentTerms``).
Tokenising the articles a question's passages come from cost about 1.5 ms a question on the whole BBC
corpus (distinct questions rarely meet an article twice), so the build computes them once and stores
them with the version, listed in the manifest's checksums:

- ``content_term_vocab.json``: the distinct terms (a JSON list of strings); a term's id is its place.
- ``content_terms.npy``: int32, shape ``(T,)``: the term ids of every unit, units one after another.
  A document's units are its title, its whole text (title and text, as ``whole_terms`` reads them),
  then each of its sentences (the spans of ``sentences.npy``), documents in file order. Each unit's
  terms are ``content_terms``' own: distinct, in order of first use.
- ``content_term_offsets.npy``: int64, shape ``(S + 2 * D + 1,)`` for ``S`` sentences and ``D``
  documents: unit ``u`` holds ``content_terms.npy[offsets[u]:offsets[u + 1]]``.

The terms are only as right as the tokeniser that made them: the manifest records
``citeqa.index.text.tokens.content_terms_scheme()`` (``CONTENT_TERMS``), and a version made by another
tokeniser, or before terms were stored, is read without them (the answer step then tokenises as it
reads, with the same answers, only slower) until ``citeqa build`` writes a version that has them
(reusing every vector: ``citeqa.index.indexing.build.is_up_to_date``).

Whole BBC (2,127 articles, 42,090 sentences): 20,740 terms, 778k ids (3.1 MB), 1.5 s to compute.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import numpy.typing as npt

from citeqa.index.domain import Document
from citeqa.index.text.tokens import content_terms

__all__ = [
    "CONTENT_TERMS",
    "TERM_FILES",
    "TERM_IDS_FILE",
    "TERM_OFFSETS_FILE",
    "TERM_VOCAB_FILE",
    "ContentTerms",
    "build_content_terms",
    "document_units",
    "load_content_terms",
    "save_content_terms",
    "sentence_terms",
    "title_terms",
    "whole_terms",
]

TERM_VOCAB_FILE = "content_term_vocab.json"
TERM_IDS_FILE = "content_terms.npy"
TERM_OFFSETS_FILE = "content_term_offsets.npy"
TERM_FILES = (TERM_VOCAB_FILE, TERM_IDS_FILE, TERM_OFFSETS_FILE)
CONTENT_TERMS = "content_terms"
"""Key in ``Manifest.extra`` of the ``content_terms_scheme()`` the stored content terms were made with."""
UNITS_BEFORE_SENTENCES = 2  # a document's title and whole text come before its sentences

Span = tuple[int, int]


def title_terms(doc: Document) -> list[str]:
    """The content terms of ``doc``'s title."""
    return content_terms(doc.title)


def whole_terms(doc: Document) -> list[str]:
    """The content terms of ``doc``'s title and text together."""
    return content_terms(doc.title + "\n" + doc.text)


def sentence_terms(doc: Document, span: Span) -> list[str]:
    """The content terms of ``doc.text[start:end]`` for ``span`` ``(start, end)``."""
    start, end = span
    return content_terms(doc.text[start:end])


def document_units(doc: Document, spans: Sequence[Span]) -> list[list[str]]:
    """``doc``'s units as stored: its title's terms, its whole text's, then each sentence's (``spans``)."""
    return [title_terms(doc), whole_terms(doc), *(sentence_terms(doc, s) for s in spans)]


@dataclass(frozen=True)
class ContentTerms:
    """The stored content terms of every document (module docstring for the layout).

    ``vocab``: term by id; ``ids``: int32 ``(T,)``; ``offsets``: int64 ``(U + 1,)``; ``units``: document
    id -> (its first unit, its sentence count).
    """

    vocab: Sequence[str]
    ids: npt.NDArray[np.int32]
    offsets: npt.NDArray[np.int64]
    units: Mapping[str, tuple[int, int]]

    def _unit(self, unit: int) -> frozenset[str]:
        begin, end = self.offsets[unit : unit + 2].tolist()
        return frozenset(map(self.vocab.__getitem__, self.ids[begin:end].tolist()))

    def title(self, doc_id: str) -> frozenset[str]:
        """The terms of ``doc_id``'s title (``KeyError`` for an unknown document)."""
        return self._unit(self.units[doc_id][0])

    def whole(self, doc_id: str) -> frozenset[str]:
        """The terms of ``doc_id``'s title and text together."""
        return self._unit(self.units[doc_id][0] + 1)

    def sentence(self, doc_id: str, i: int) -> frozenset[str]:
        """The terms of sentence ``i`` of ``doc_id`` (empty outside the document)."""
        first, count = self.units[doc_id]
        return self._unit(first + UNITS_BEFORE_SENTENCES + i) if 0 <= i < count else frozenset()

    def units_of(self, doc_id: str) -> list[list[str]]:
        """``doc_id``'s units as ``document_units`` makes them (for a build reusing them)."""
        first, count = self.units[doc_id]
        bounds = self.offsets[first : first + UNITS_BEFORE_SENTENCES + count + 1].tolist()
        ids = self.ids[bounds[0] : bounds[-1]].tolist()
        base = bounds[0]
        return [[self.vocab[t] for t in ids[b - base : e - base]] for b, e in pairwise(bounds)]


def build_content_terms(
    documents: Sequence[Document],
    spans: Sequence[Sequence[Span]],
    reused: Callable[[int], list[list[str]] | None] | None = None,
) -> ContentTerms:
    """The content terms of ``documents`` (each with its sentence ``spans``); ``reused(i)`` may give
    document ``i``'s units from an earlier version (``None``: tokenise it)."""
    vocab: dict[str, int] = {}
    ids: list[int] = []
    offsets = [0]
    units: dict[str, tuple[int, int]] = {}
    for index, (doc, doc_spans) in enumerate(zip(documents, spans, strict=True)):
        known = reused(index) if reused is not None else None
        doc_units = known if known is not None else document_units(doc, doc_spans)
        units[doc.doc_id] = (len(offsets) - 1, len(doc_spans))
        for unit in doc_units:
            ids.extend(vocab.setdefault(t, len(vocab)) for t in unit)
            offsets.append(len(ids))
    return ContentTerms(list(vocab), np.asarray(ids, dtype=np.int32), np.asarray(offsets, dtype=np.int64), units)


def save_content_terms(terms: ContentTerms, directory: Path) -> list[str]:
    """Write the vocabulary, the term ids and the unit offsets; returns the file names written."""
    (directory / TERM_VOCAB_FILE).write_text(json.dumps(list(terms.vocab), ensure_ascii=False), encoding="utf-8")
    np.save(directory / TERM_IDS_FILE, np.asarray(terms.ids, dtype=np.int32), allow_pickle=False)
    np.save(directory / TERM_OFFSETS_FILE, np.asarray(terms.offsets, dtype=np.int64), allow_pickle=False)
    return list(TERM_FILES)


def load_content_terms(directory: Path, sentences: Mapping[str, tuple[int, int]]) -> ContentTerms:
    """The stored terms of a version whose documents have ``sentences`` (document id -> first sentence row
    and sentence count, in file order: ``SentenceStore.rows``).

    Raises ``ValueError`` when the files disagree with each other or with the sentences (the loader turns
    it into ``IndexCorrupt``), ``OSError`` when a file cannot be read.
    """
    vocab = json.loads((directory / TERM_VOCAB_FILE).read_text(encoding="utf-8"))
    ids: npt.NDArray[np.int32] = np.load(directory / TERM_IDS_FILE, allow_pickle=False)
    offsets: npt.NDArray[np.int64] = np.load(directory / TERM_OFFSETS_FILE, allow_pickle=False)
    if not isinstance(vocab, list) or not all(isinstance(t, str) for t in vocab):
        raise ValueError("the content term vocabulary is not a list of strings")
    if ids.ndim != 1 or ids.dtype != np.int32 or offsets.ndim != 1 or offsets.dtype != np.int64:
        raise ValueError("content term ids or offsets have another shape or type")
    sentence_count = sum(count for _, count in sentences.values())
    if len(offsets) != sentence_count + UNITS_BEFORE_SENTENCES * len(sentences) + 1:
        raise ValueError("content term offsets disagree with the sentences")
    if offsets[0] != 0 or offsets[-1] != len(ids) or np.any(np.diff(offsets) < 0):
        raise ValueError("content term offsets are out of order")
    if len(ids) and (ids.min() < 0 or ids.max() >= len(vocab)):
        raise ValueError("a content term id is outside the vocabulary")
    units = {
        doc_id: (first + UNITS_BEFORE_SENTENCES * index, count)
        for index, (doc_id, (first, count)) in enumerate(sentences.items())
    }
    return ContentTerms(vocab, ids, offsets, units)
