"""Min-max score fusion (``RetrievalParams(fusion="minmax")``) on the default index."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from citeqa.index.errors import InvalidInput
from citeqa.index.retrieval.fusion import FusionMode, RetrievalParams, scale_scores

QUESTION = "Who did Rutte meet in Tokyo?"


def _search(engine: Any, params: RetrievalParams, k: int = 8) -> list[Any]:
    from citeqa.index.engine import Engine

    return list(Engine(engine.data, engine.embedder, params).search(QUESTION, k).passages)


def test_scale_maps_reference_range_to_unit_interval() -> None:
    values = np.asarray([4.0, 2.0, 1.0, 0.0], dtype=np.float32)
    assert scale_scores(values, values[:3]).tolist() == [1.0, 1 / 3, 0.0, 0.0]
    assert scale_scores(values, values[:1]).tolist() == [1.0, 0.0, 0.0, 0.0]
    assert scale_scores(values, values[:0]).tolist() == [0.0] * 4


def test_minmax_scores_are_sorted_and_within_unit_interval(engine: Any) -> None:
    passages = _search(engine, RetrievalParams(depth=20, dense_weight=0.6, lexical_weight=0.4, fusion="minmax"))
    scores = [p.score for p in passages]
    assert len(passages) == 8
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_minmax_with_one_weight_follows_that_ranking(engine: Any) -> None:
    dense_only = _search(engine, RetrievalParams(depth=20, dense_weight=1.0, lexical_weight=0.0, fusion="minmax"))
    assert [p.dense_score for p in dense_only] == sorted((p.dense_score for p in dense_only), reverse=True)
    assert dense_only[0].score == 1.0
    lexical_only = _search(engine, RetrievalParams(depth=20, dense_weight=0.0, lexical_weight=1.0, fusion="minmax"))
    assert [p.lexical_score for p in lexical_only] == sorted((p.lexical_score for p in lexical_only), reverse=True)
    assert lexical_only[0].score == 1.0


def test_library_defaults_are_the_service_defaults() -> None:
    from citeqa.service import wiring
    from citeqa.service.settings import Settings

    assert wiring.retrieval_params(Settings()) == RetrievalParams()
    assert RetrievalParams().fusion is FusionMode.MINMAX


def test_rrf_scores_are_scaled_to_at_most_one(engine: Any) -> None:
    rrf = _search(engine, RetrievalParams(depth=20, fusion=FusionMode.RRF))
    assert [p.chunk_id for p in rrf] == [p.chunk_id for p in _search(engine, RetrievalParams(depth=20, fusion="rrf"))]
    assert all(0.0 < p.score <= 1.0 for p in rrf)


def test_an_unknown_fusion_mode_is_refused_with_the_valid_ones() -> None:
    with pytest.raises(InvalidInput, match="unknown fusion mode 'sum': use one of minmax, rrf"):
        RetrievalParams(fusion="sum")  # type: ignore[arg-type]
