"""LlamaIndex integration (``pip install 'citeqa[llamaindex]'``): a retriever over a citeqa server.

``CiteqaRetriever`` returns ``NodeWithScore``s: each node is a ``TextNode`` with the passage text,
``start_char_idx``/``end_char_idx`` set to its offsets in the document, the document as its
source node and ``metadata`` with doc_id, title, url, page, start, end, chunk_id and the scores
(score, dense_score, lexical_score); the node's score is the fused score. A language model (and an
embedder) sees only doc_id, title, url and page of the metadata, and of those only the ones known:
no "url: None" for a document without a URL, nor "page: None" outside a PDF. Bad input or a refused
key raise the client's typed errors (``InvalidRequest``, ``Unauthorized``...) with the API's message.
"""

from __future__ import annotations

from typing import Any

try:
    from llama_index.core.callbacks import CallbackManager
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import NodeRelationship, NodeWithScore, QueryBundle, RelatedNodeInfo, TextNode
except ImportError as exc:  # pragma: no cover - exercised by test_integrations in a venv without it
    raise ImportError(
        "citeqa's LlamaIndex integration needs llama-index-core: pip install 'citeqa[llamaindex]'"
    ) from exc

from citeqa.service.client import AsyncClient, Client, Passage
from citeqa.service.client.client import DEFAULT_URL
from citeqa.service.integrations.passages import DETAIL_KEYS, passage_metadata


def passage_node(p: Passage) -> NodeWithScore:
    """A ``NodeWithScore`` for a passage (node id ``doc_id:chunk_id``, score the fused score).

    Its metadata has every key (None when unknown); the text a model or an embedder reads of it leaves
    out the details (offsets, scores) and the unknown values."""
    metadata = passage_metadata(p)
    unread = [*DETAIL_KEYS, *(key for key, value in metadata.items() if value is None and key not in DETAIL_KEYS)]
    node = TextNode(
        id_=f"{p.doc_id}:{p.chunk_id}",
        text=p.text,
        metadata=metadata,
        start_char_idx=p.start,
        end_char_idx=p.end,
        excluded_llm_metadata_keys=unread,
        excluded_embed_metadata_keys=list(unread),
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=p.doc_id)},
    )
    return NodeWithScore(node=node, score=p.score)


class CiteqaRetriever(BaseRetriever):
    """Retrieves the ``k`` (1-20) passages nearest a query from the citeqa server at ``url``.

    Example::

        retriever = CiteqaRetriever("http://127.0.0.1:8000", k=3)
        for hit in retriever.retrieve("what is NSATU?"):
            hit.score, hit.node.metadata["doc_id"], hit.node.metadata["start"]
    """

    def __init__(
        self,
        url: str = DEFAULT_URL,
        *,
        api_key: str | None = None,
        k: int = 5,
        timeout: float = 60.0,
        callback_manager: CallbackManager | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(callback_manager=callback_manager, **kwargs)
        Client(url, timeout=timeout).close()  # validates the URL now, not at the first query
        self.url = url
        self.k = k
        self.timeout = timeout
        self._api_key = api_key

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        with Client(self.url, api_key=self._api_key, timeout=self.timeout) as client:
            return [passage_node(p) for p in client.search(query_bundle.query_str, self.k).passages]

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        async with AsyncClient(self.url, api_key=self._api_key, timeout=self.timeout) as client:
            return [passage_node(p) for p in (await client.search(query_bundle.query_str, self.k)).passages]
