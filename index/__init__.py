"""citeqa's library: corpus reading, chunking, embedding, indexes, retrieval, answers.

Importing this package has no side effects and never imports FastAPI, a CLI framework or
torch; heavy components load only when asked to (see ``index.embedding``).
"""

__version__ = "0.1.0"
