"""citeqa's application layer: HTTP service, settings and command line, over ``index``."""
