"""citeqa's library: corpus reading, chunking, embedding, indexes, retrieval, answers.

Importing this package has no side effects and never imports FastAPI, a CLI framework or
torch; heavy components load only when asked to (see ``citeqa.index.embedding``).
"""

from citeqa import __version__

__all__ = ["__version__"]
