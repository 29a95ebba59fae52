"""A tiny corpus, lexical index and deterministic encoder for unit tests of the answer step's plumbing.

The encoder is a bag-of-words hash (not a language model): it only has to give the same vector to
the same text, so the tests check feature extraction, expansion, citations and reasons, not quality.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from citeqa.index.domain import Document, Vectors
from citeqa.index.retrieval.hybrid import Passage
from citeqa.index.store.lexical import LexicalIndex, build_lexical
from citeqa.index.store.sentences import SentenceStore, sentence_store
from citeqa.index.text.sentences import sentence_spans
from citeqa.index.text.tokens import content_terms

if TYPE_CHECKING:
    from citeqa.index.answering.extraction import Answer

LIGHTHOUSE = Document(
    "lighthouse",
    "Harbour lighthouse reopens",
    "Harbour lighthouse reopens\n\nThe old harbour lighthouse reopened to visitors on Saturday. "
    "Visiting hours are from 10am to 4pm every day. "
    "Anna Berg runs the museum. She was appointed curator in 2003 by the town council.",
)
NSATU = Document(
    "nsatu",
    "NATO command for Ukraine",
    "NATO command for Ukraine\n\nJapan wants to join the NATO Security Assistance and Training for Ukraine "
    "(NSATU) command. The NSATU coordinates training and the supply of equipment for Ukraine.",
)
DOCUMENTS = {d.doc_id: d for d in (LIGHTHOUSE, NSATU)}


def lexical() -> LexicalIndex:
    return build_lexical([d.title + "\n" + d.text for d in DOCUMENTS.values()])


def encode(texts: Sequence[str]) -> Vectors:
    out = np.zeros((len(texts), 64), dtype=np.float32)
    for row, text in enumerate(texts):
        for term in content_terms(text):
            out[row, int(hashlib.sha256(term.encode()).hexdigest(), 16) % 64] += 1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-9)


def passage(doc: Document, rank: int = 0) -> Passage:
    """The whole document as one retrieved passage."""
    return Passage(doc.doc_id, doc.title, rank, doc.text, 0, len(doc.text), 1.0 / (1 + rank), 0.5, 3.0)


def stored_sentences(
    documents: Mapping[str, Document], encoder: Callable[[Sequence[str]], Vectors] = encode
) -> SentenceStore:
    """The sentences of ``documents`` as a build stores them, each encoded on its own by ``encoder``."""
    spans = [sentence_spans(d.text) for d in documents.values()]
    texts = [d.text[s:e] for d, doc_spans in zip(documents.values(), spans, strict=True) for s, e in doc_spans]
    return sentence_store(list(documents), spans, encoder(texts))


def ask_one(doc: Document, question: str, build_embedder: Any, embedder: Any) -> Answer:
    """``question`` over ``doc`` alone with the real model (``build_embedder`` for its sentences, ``embedder`` for
    the question, as a build and the service do) and the shipped answer model."""
    from citeqa.index.answering.abstention import load_abstain_model
    from citeqa.index.answering.extraction import Extractor

    documents = {doc.doc_id: doc}
    extractor = Extractor(
        build_lexical([doc.title + "\n" + doc.text]), documents, stored_sentences(documents, build_embedder.encode)
    )
    prepared = extractor.prepare_many([question], [[passage(doc)]], embedder.encode([question]))[0]
    return extractor.finish(prepared, load_abstain_model(), 5)
