"""Benchmarks of citeqa against LangChain and txtai (``make bench``; not part of ``make test``)."""
