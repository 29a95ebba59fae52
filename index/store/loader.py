"""Loading a published index: verify the manifest and every checksum, then read it into memory."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from citeqa.index.domain import Chunk, Document, Vectors
from citeqa.index.errors import CiteqaError, IndexCorrupt, IndexMismatch
from citeqa.index.store.dense import FAISS_FILE, VECTORS_FILE, SearchParams, load_faiss, load_vectors
from citeqa.index.store.lexical import MATRIX_FILE, VOCAB_FILE, LexicalIndex, load_lexical
from citeqa.index.store.manifest import (
    MODEL_DIGEST,
    Manifest,
    check_model,
    current_version_dir,
    read_manifest,
    verify_files,
)
from citeqa.index.store.records import CHUNKS_FILE, DOCUMENTS_FILE, chunks_per_document, read_chunks, read_documents
from citeqa.index.store.sentences import SENTENCE_VECTORS_FILE, SENTENCES_FILE, SentenceStore, load_sentences
from citeqa.index.store.terms import CONTENT_TERMS, TERM_FILES, load_content_terms
from citeqa.index.text.tokens import content_terms_scheme


@dataclass(frozen=True)
class IndexData:
    """Everything a loaded index holds, in memory and immutable once built."""

    manifest: Manifest
    directory: Path
    documents: dict[str, Document]
    chunks: list[Chunk]
    vectors: Vectors
    faiss_index: Any
    lexical: LexicalIndex
    title_in_text: bool
    sentences: SentenceStore
    """Every document's sentence spans, stored sentence vectors (what the answer step compares) and, when
    the version has them under this tokeniser (``stored_terms_current``), content terms."""

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """The chunks of one document, in order."""
        return [c for c in self.chunks if c.doc_id == doc_id]

    @cached_property
    def chunk_counts(self) -> dict[str, int]:
        """Chunks per document id (documents without chunks are absent)."""
        return chunks_per_document(self.chunks)


def load_index(
    root: Path,
    model: str | None = None,
    dimension: int | None = None,
    model_digest: str = "",
    search: SearchParams | None = None,
) -> IndexData:
    """The published index under ``root``, verified; model and dimension checked when given.

    The FAISS structure is read as built (never rebuilt); ``search`` overrides its query-time
    parameters (IVF nprobe, HNSW efSearch) where given.

    ``model_digest`` (the content hash of the model files, ``Embedder.digest``): when both it and
    the manifest's are known and differ, the model was changed in place since the build and the
    index is refused with ``IndexMismatch`` (rebuild it). Raises ``IndexNotFound``, ``IndexCorrupt``.
    """
    directory = current_version_dir(root)
    manifest = read_manifest(directory)
    if model is not None and dimension is not None:
        check_model(manifest, model, dimension, directory)
    built_with = str(manifest.extra.get(MODEL_DIGEST) or "")
    if model_digest and built_with and built_with != model_digest:
        raise IndexMismatch(
            f"{directory} was embedded with other weights of model {manifest.model!r} (its files changed "
            "since the build): rebuild the index with `citeqa build`"
        )
    verify_files(directory, manifest)
    return read_index_files(directory, manifest, search)


def read_index_files(directory: Path, manifest: Manifest, search: SearchParams | None = None) -> IndexData:
    reading = DOCUMENTS_FILE
    try:
        docs = {d.doc_id: d for d in read_documents(directory)}
        reading = CHUNKS_FILE
        chunks = read_chunks(directory, docs)
        reading = FAISS_FILE
        faiss_index = load_faiss(directory, search)
        reading = VECTORS_FILE
        vectors = load_vectors(directory, faiss_index)
        reading = f"{MATRIX_FILE} or {VOCAB_FILE}"
        lexical = load_lexical(directory)
        reading = f"{SENTENCES_FILE} or {SENTENCE_VECTORS_FILE}"
        sentences = load_sentences(directory, list(docs), [len(d.text) for d in docs.values()])
        if stored_terms_current(manifest):
            reading = " or ".join(TERM_FILES)
            sentences = replace(sentences, terms=load_content_terms(directory, sentences.rows))
    except CiteqaError:
        raise
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, json.JSONDecodeError) as exc:
        raise IndexCorrupt(f"{directory}: cannot read {reading} ({exc}): rebuild with `citeqa build --force`") from None
    consistent = len(chunks) == len(vectors) == faiss_index.ntotal == lexical.size == manifest.chunk_count
    dimensions = vectors.shape[1:] == sentences.vectors.shape[1:] == (manifest.dimension,)
    if not consistent or not dimensions:
        raise IndexCorrupt(
            f"{directory}: index files disagree on the chunk count or dimension: rebuild with `citeqa build --force`"
        )
    return IndexData(
        manifest=manifest,
        directory=directory,
        documents=docs,
        chunks=chunks,
        vectors=vectors,
        faiss_index=faiss_index,
        lexical=lexical,
        title_in_text=bool(manifest.extra.get("title_in_text", True)),
        sentences=sentences,
    )


def stored_terms_current(manifest: Manifest) -> bool:
    """Whether the version stores content terms (``citeqa.index.store.terms``) made by this tokeniser:
    one built before they were stored, or by a citeqa whose ``content_terms`` reads text otherwise, is
    served without them (the answer step tokenises, with the same answers) until rebuilt."""
    return all(name in manifest.files for name in TERM_FILES) and manifest.extra.get(CONTENT_TERMS) == (
        content_terms_scheme()
    )
