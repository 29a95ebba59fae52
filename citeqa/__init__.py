"""citeqa: question answering over articles with exact, verifiable citations.

Two layers: ``citeqa.index`` (the library: corpus, chunks, embeddings, indexes, retrieval,
answers, evaluation) and ``citeqa.service`` (the application: HTTP API, CLI, settings), which
depends on the library and never the reverse.
"""

__version__ = "0.1.0"
