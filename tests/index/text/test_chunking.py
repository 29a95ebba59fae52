from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citeqa.index.domain import Document
from citeqa.index.text.chunking import ChunkingParams, chunk_document, chunk_spans

TEXTS = st.lists(
    st.sampled_from(
        ["a", "b", "word", "XYZ", " ", "  ", ".", ",", ";", "!", "?", "\n", "\n\n", "’", "“", "”", "–", ". ", "Mr. "]
    ),
    max_size=800,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=TEXTS, size=st.integers(50, 600), overlap=st.integers(0, 40))
def test_every_chunk_is_the_document_text_at_its_span(text: str, size: int, overlap: int) -> None:
    doc = Document(doc_id="d", title="t", text=text)
    chunks = chunk_document(doc, ChunkingParams(size=size, overlap=overlap))
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        assert chunk.text.strip() == chunk.text and chunk.text
    starts = [c.start for c in chunks]
    assert starts == sorted(starts)


@settings(max_examples=100, deadline=None)
@given(text=TEXTS)
def test_chunks_cover_every_non_space_character(text: str) -> None:
    spans = chunk_spans(text, ChunkingParams(size=200, overlap=20))
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_chunks_end_on_sentence_boundaries_when_possible() -> None:
    sentence = "The committee met in Brussels to discuss the plan. "
    text = sentence * 40
    for start, end in chunk_spans(text, ChunkingParams(size=300, overlap=0)):
        assert text[start:end].endswith("plan.")


def test_chunk_ids_are_numbered_from_the_first_id() -> None:
    doc = Document(doc_id="d", title="t", text="One. " * 400)
    chunks = chunk_document(doc, ChunkingParams(size=200, overlap=0), first_id=10)
    assert [c.chunk_id for c in chunks] == list(range(10, 10 + len(chunks)))
    assert {c.doc_id for c in chunks} == {"d"}
