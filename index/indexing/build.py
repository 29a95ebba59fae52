"""From a corpus directory to a published, verified index version.

Incremental: chunks of documents whose content hash, chunking and model are unchanged reuse
their vectors (and their sentences' spans and vectors) from the published index; only new or
changed documents are embedded. The chunk pass also gives every sentence its stored vector
(``citeqa.index.indexing.sentence_vectors``), which the answer step compares with questions.
"""

from __future__ import annotations

import fcntl
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from citeqa.index.corpus.walk import read_corpus
from citeqa.index.domain import Chunk, Document, Vectors
from citeqa.index.embedding.base import Embedder
from citeqa.index.errors import CiteqaError, CorpusError
from citeqa.index.indexing.reuse import Reusable, reusable_vectors, reuse, reused_terms
from citeqa.index.indexing.sentence_vectors import encode_chunks, encode_leftovers, plan_sentences
from citeqa.index.store.dense import save_vectors
from citeqa.index.store.kinds import choose_kind
from citeqa.index.store.lexical import build_lexical, save_lexical
from citeqa.index.store.loader import IndexData, load_index, stored_terms_current
from citeqa.index.store.manifest import (
    CORPUS,
    MODEL_DIGEST,
    VERSIONS_DIR,
    Manifest,
    corpus_record,
    new_version_dir,
    publish,
)
from citeqa.index.store.records import write_chunks, write_documents
from citeqa.index.store.sentences import SentenceStore, save_sentences
from citeqa.index.store.terms import CONTENT_TERMS, build_content_terms
from citeqa.index.text.chunking import ChunkingParams, chunk_document
from citeqa.index.text.tokens import content_terms_scheme

Progress = Callable[[int, int], None]
Stage = Callable[[str], None]
LOCK_FILE = ".build.lock"
LOCK_WAIT_SECONDS = 600.0
"""How long a build (or ``citeqa add``/``remove``) waits for another build on the same index to finish."""
_LOCK_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class BuildParams:
    """Everything besides the corpus and the model that shapes an index."""

    chunking: ChunkingParams = field(default_factory=ChunkingParams)
    index_kind: str = "auto"
    title_in_text: bool = True
    batch_size: int = 4  # small length-sorted batches: least padding, attention fits the cache

    def identity(self) -> dict[str, object]:
        return {"chunking": asdict(self.chunking), "index_kind": self.index_kind, "title_in_text": self.title_in_text}


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    directory: Path | None
    documents: int
    chunks: int
    embedded: int
    reused: int
    seconds: float
    up_to_date: bool = False


def passage_text(title: str, text: str, title_in_text: bool) -> str:
    """What is embedded and matched lexically for a chunk: its text, after its title if set."""
    return f"{title}\n{text}" if title_in_text else text


def is_up_to_date(
    previous: IndexData | Manifest | None,
    documents: Sequence[Document],
    model: str,
    params: BuildParams,
    model_digest: str = "",
) -> bool:
    """Whether ``previous`` holds exactly these documents, built by this model (name and content) and params,
    with their content terms stored by this tokeniser (``stored_terms_current``): an index built before
    they were stored is rebuilt once, reusing every vector."""
    manifest = previous.manifest if isinstance(previous, IndexData) else previous
    if manifest is None:
        return False
    return (
        manifest.model == model
        and manifest.extra.get(MODEL_DIGEST) == model_digest
        and manifest.documents == {d.doc_id: d.content_hash for d in documents}
        and manifest.extra.get("params") == params.identity()
        and stored_terms_current(manifest)
    )


@contextmanager
def build_lock(
    root: Path, wait: float = LOCK_WAIT_SECONDS, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """One build at a time per index root; stale staging directories of killed builds are removed.

    Waits up to ``wait`` seconds for a build holding the lock (``on_wait`` is told once, with a
    message), then raises ``CorpusError`` naming the index and the fix.
    """
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK_FILE).open("w") as fh:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise CorpusError(  # no path: this message also goes out over HTTP
                        f"another build of this index is running and did not finish within {wait:g}s: "
                        "try again when it is done"
                    ) from None
                if on_wait is not None and not told:
                    on_wait(f"another build is running on {root}: waiting up to {wait:g}s for it to finish")
                    told = True
                time.sleep(min(_LOCK_POLL_SECONDS, max(0.0, deadline - time.monotonic())))
        for stale in (root / VERSIONS_DIR).glob(".staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        yield


def _previous(root: Path, model: str, dimension: int) -> IndexData | None:
    try:
        return load_index(root, model, dimension)
    except CiteqaError:
        return None


def build_index(
    corpus_dir: Path,
    root: Path,
    embedder: Embedder,
    params: BuildParams | None = None,
    *,
    force: bool = False,
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
    stage: Stage | None = None,
    lock: bool = True,
    lock_wait: float = LOCK_WAIT_SECONDS,
) -> BuildReport:
    """Read, chunk, embed and publish ``corpus_dir`` as a new version under ``root``.

    The corpus is read once the build lock is held (``lock=False``: the caller holds it, see
    ``build_lock``), so a build never publishes a corpus change that another process undoes.
    ``stage`` is told when embedding, writing and publishing start; ``warn`` hears about skipped
    files and a wait for the lock. Raises ``CorpusError`` (nothing indexable, or the lock still
    held after ``lock_wait``).
    """
    started = time.perf_counter()
    if lock:
        with build_lock(root, lock_wait, warn):
            return build_index(
                corpus_dir, root, embedder, params, force=force, progress=progress, warn=warn, stage=stage, lock=False
            )
    documents = read_corpus(corpus_dir, warn)
    return build_documents(
        documents,
        root,
        embedder,
        params,
        force=force,
        progress=progress,
        stage=stage,
        started=started,
        lock=False,
        source=corpus_dir,
        warn=warn,
    )


def build_documents(
    documents: Sequence[Document],
    root: Path,
    embedder: Embedder,
    params: BuildParams | None = None,
    *,
    force: bool = False,
    progress: Progress | None = None,
    stage: Stage | None = None,
    started: float | None = None,
    lock: bool = True,
    source: Path | None = None,
    warn: Callable[[str], None] | None = None,
) -> BuildReport:
    """Chunk, embed and publish documents already in memory (e.g. a BEIR corpus) under ``root``.

    ``lock=False``: the caller already holds ``build_lock(root)``. ``source``: the corpus directory
    they were read from, recorded in the manifest (``recorded_corpus``). ``warn`` hears about new or
    changed documents that are not in English (``_warn_languages``).
    """
    params = params or BuildParams()
    started = time.perf_counter() if started is None else started
    with build_lock(root) if lock else nullcontext():
        previous = _previous(root, embedder.name, embedder.dimension)
        digest = embedder.digest
        if not force and is_up_to_date(previous, documents, embedder.name, params, digest):
            assert previous is not None
            count = previous.manifest.chunk_count
            return BuildReport(previous.directory, len(documents), count, 0, count, time.perf_counter() - started, True)
        if warn is not None:
            _warn_languages(documents, previous.manifest.documents if previous is not None else {}, warn)
        chunks = _chunk_all(documents, params.chunking)
        reusable = reusable_vectors(previous, params.identity(), digest) if not force else {}
        _tell(stage, "embedding")
        vectors, sentences, embedded = _embed(documents, chunks, embedder, params, reusable, progress)
        directory = _write_version(root, documents, chunks, (vectors, sentences), embedder, params, stage, source)
    return BuildReport(
        directory, len(documents), len(chunks), embedded, len(chunks) - embedded, time.perf_counter() - started
    )


# a document the detector reads as another language with this probability, English with at most
# MAX_ENGLISH: none of the 2,225 BBC articles; the German article of a new user's corpus at 1.0
FOREIGN_DOCUMENT = 0.9
LANGUAGE_SAMPLE = 2000  # characters of a document the detector reads (~1 ms)


def _warn_languages(documents: Sequence[Document], known: Mapping[str, str], warn: Callable[[str], None]) -> None:
    """Warn about the new or changed documents (not in ``known``, doc id -> content hash, as built) that are
    not in English: the model reads English only, and questions about them are rarely answered."""
    from citeqa.index.text.language import MAX_ENGLISH, NAMES, detect_language

    foreign = []
    for doc in documents:
        if known.get(doc.doc_id) == doc.content_hash:
            continue
        code, probability, english = detect_language(f"{doc.title}\n{doc.text[:LANGUAGE_SAMPLE]}")
        if code != "en" and probability >= FOREIGN_DOCUMENT and english <= MAX_ENGLISH:
            foreign.append(f"{doc.doc_id}: {NAMES.get(code, code)}")
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        warn(
            f"{len(foreign)} document(s) not in English ({shown}): the model reads English only, so questions "
            "about them are rarely answered"
        )


def _tell(stage: Stage | None, name: str) -> None:
    if stage is not None:
        stage(name)


def _chunk_all(documents: Sequence[Document], params: ChunkingParams) -> list[Chunk]:
    chunks: list[Chunk] = []
    for doc in documents:
        chunks.extend(chunk_document(doc, params, first_id=len(chunks)))
    return chunks


def _embed(
    documents: Sequence[Document],
    chunks: Sequence[Chunk],
    embedder: Embedder,
    params: BuildParams,
    reusable: dict[str, Reusable],
    progress: Progress | None,
) -> tuple[Vectors, SentenceStore, int]:
    """Chunk and sentence vectors of the build, with the content terms of every document (all reused where
    the document is unchanged); how many chunks were embedded."""
    plan = plan_sentences(documents, chunks, params.title_in_text)
    vectors = np.zeros((len(chunks), embedder.dimension), dtype=np.float32)
    sentences = np.full((len(plan.rows), embedder.dimension), np.nan, dtype=np.float32)
    todo = reuse(documents, chunks, plan, reusable, vectors, sentences)
    # longest first over the whole corpus, so that each model batch holds texts of one length (no padding)
    titles = {d.doc_id: d.title for d in documents}
    texts_by_chunk = {c.chunk_id: passage_text(titles[c.doc_id], c.text, params.title_in_text) for c in todo}
    todo.sort(key=lambda c: -len(texts_by_chunk[c.chunk_id]))
    step = max(params.batch_size * 32, 256)
    for begin in range(0, len(todo), step):
        ids = [c.chunk_id for c in todo[begin : begin + step]]
        texts = [texts_by_chunk[i] for i in ids]
        vectors[ids] = encode_chunks(embedder, texts, ids, plan, sentences, params.batch_size)
        if progress:
            progress(min(begin + step, len(todo)), len(todo))
    if progress and not todo:
        progress(0, 0)
    encode_leftovers(embedder, documents, plan, sentences, params.batch_size)
    terms = build_content_terms(documents, plan.spans, reused_terms(documents, plan, reusable))
    return vectors, replace(plan.store(sentences), terms=terms), len(todo)


def _write_version(
    root: Path,
    documents: Sequence[Document],
    chunks: Sequence[Chunk],
    vectors: tuple[Vectors, SentenceStore],
    embedder: Embedder,
    params: BuildParams,
    stage: Stage | None = None,
    source: Path | None = None,
) -> Path:
    """Write a version of chunk vectors ``vectors[0]`` and sentences ``vectors[1]`` and publish it."""
    staging = new_version_dir(root)
    titles = {d.doc_id: d.title for d in documents}
    lexical = build_lexical([passage_text(titles[c.doc_id], c.text, params.title_in_text) for c in chunks])
    names = [write_documents(documents, staging), write_chunks(chunks, staging)]
    _tell(stage, "writing")
    names += save_vectors(vectors[0], staging, params.index_kind)
    names += save_sentences(vectors[1], staging)
    names += save_lexical(lexical, staging)
    manifest = Manifest(
        model=embedder.name,
        dimension=embedder.dimension,
        normalized=True,
        chunking=asdict(params.chunking),
        index_kind=choose_kind(params.index_kind, len(chunks)),
        documents={d.doc_id: d.content_hash for d in documents},
        files=dict.fromkeys(names, ""),
        chunk_count=len(chunks),
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        extra={
            "params": params.identity(),
            "title_in_text": params.title_in_text,
            MODEL_DIGEST: embedder.digest,
            **({CONTENT_TERMS: content_terms_scheme()} if vectors[1].terms is not None else {}),
            **({CORPUS: corpus_record(source, root)} if source is not None else {}),
        },
    )
    _tell(stage, "publishing")
    return publish(root, staging, manifest)
