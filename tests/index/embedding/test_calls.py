"""How the ONNX embedder splits a batch of texts into model calls (``_calls``): every text once, calls no
larger than ``batch_size``, and a batch of questions cut where the workers' padded work is most even."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from citeqa.index.embedding.onnx_backend import _calls, _even_cuts


def _padded(lengths: list[int], cuts: list[int]) -> list[int]:
    return [(b - a) * lengths[a] for a, b in itertools.pairwise([0, *cuts, len(lengths)]) if b > a]


def test_one_long_question_does_not_make_one_worker_wait_for_the_other() -> None:
    lengths = [38, 25, 21, 20, 19, 18, 18, 17, 17, 16, 16, *[15] * 3, *[14] * 3, *[13] * 4, *[12] * 10]
    cuts = _even_cuts(lengths, 2, 64)
    halves = _padded(lengths, [len(lengths) - len(lengths) // 2])  # the old cut: equal halves
    assert max(_padded(lengths, cuts)) < 0.6 * max(halves)
    assert max(_padded(lengths, cuts)) == min(max(_padded(lengths, [k])) for k in range(1, len(lengths)))


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_every_text_once_in_calls_of_at_most_batch_size(workers: int) -> None:
    rng = random.Random(7)
    for n in range(1, 300):
        lengths = sorted((rng.randint(3, 120) for _ in range(n)), reverse=True)
        calls = _calls(np.arange(n), lengths, workers, 64)
        assert np.array_equal(np.concatenate(calls), np.arange(n))
        assert all(0 < len(call) <= 64 for call in calls)
        if n <= workers * 64:
            assert len(calls) <= workers


def test_equal_lengths_are_cut_in_equal_parts() -> None:
    assert _even_cuts([20] * 16, 2, 64) == [8]
    assert _even_cuts([20] * 16, 4, 64) == [4, 8, 12]
    assert _even_cuts([9], 2, 64) == []
