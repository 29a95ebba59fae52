"""citeqa for agent frameworks: LangChain (``citeqa[langchain]``) and LlamaIndex (``citeqa[llamaindex]``).

Each module imports its framework on import and says which extra to install when it is missing.
Both talk to a running ``citeqa serve`` through the typed client (``citeqa.service.client``).
"""
