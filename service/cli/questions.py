"""Commands that ask the index: ask (an answer with citations) and search (passages)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from citeqa.service.cli.common import (
    IndexOpt,
    JsonOpt,
    KOpt,
    app,
    engine_from,
    settings_from,
    validated,
)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    k: KOpt = 5,
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Answer a question with quotes from the articles.

    Example: citeqa ask "what is NSATU?"
    """
    from citeqa.service.api.schemas import AskRequest, AskResponse

    request = validated(AskRequest, question=question, k=k)  # another language fails here, before the model loads
    engine = engine_from(settings_from(index=index))
    answer, timings = engine.ask(request.resolved(), request.k)
    response = AskResponse.of(answer, timings, engine.data.documents)
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    typer.echo(answer.answer)
    for c in response.citations:
        typer.echo(f"  [{c.id}] {c.source()}")
    if not answer.answerable:
        typer.echo(f"  reason: {answer.reason}")
        for p in answer.passages[:3]:
            text = " ".join(p.text.split())  # one line: the passage's line breaks and runs of spaces folded
            typer.echo(f"  closest: {p.doc_id} {p.start}-{p.end}: {text[:100]}{'...' if len(text) > 100 else ''}")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Search text.")],
    k: KOpt = 5,
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show the passages nearest a query, with their scores.

    Each passage has its fused, dense and lexical scores.

    Example: citeqa search "Individually Tailored Partnership Program" -k 3
    """
    from citeqa.service.api.schemas import PassageOut, SearchRequest

    request = validated(SearchRequest, query=query, k=k)
    engine = engine_from(settings_from(index=index))
    result = engine.search(request.query, request.k)
    if as_json:
        passages = [PassageOut.of(p, engine.data.documents.get(p.doc_id)).model_dump() for p in result.passages]
        typer.echo(json.dumps({"passages": passages}, ensure_ascii=False, indent=2))
        return
    for rank, p in enumerate(result.passages, start=1):
        typer.echo(
            f"{rank}. {p.doc_id} [{p.start}:{p.end}] "
            f"score={p.score:.3f} dense={p.dense_score:.3f} bm25={p.lexical_score:.2f}"
        )
        typer.echo(f"   {p.text[:200]}")
