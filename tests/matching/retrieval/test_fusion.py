"""Reciprocal-rank fusion against its definition, ties and repeats included."""

from __future__ import annotations

import numpy as np
import pytest

from matching.retrieval import fuse
from matching.retrieval.hybrid import RRF_K


def _by_definition(rankings: list[np.ndarray], depth: int) -> list[int]:
    """Score = sum of 1 / (k + rank) over the sources; ties in order of first appearance."""
    scores: dict[int, float] = {}
    for ranked in rankings:
        for rank, key in enumerate(ranked.tolist(), start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores, key=lambda key: -scores[key])[:depth]  # sorted is stable


@pytest.mark.parametrize("seed", range(4))
def test_fusion_follows_its_definition(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(300):
        # few distinct keys, so that many fused scores tie exactly
        span = int(rng.integers(1, 40))
        rankings = [
            rng.integers(0, span, size=int(rng.integers(0, 25)))
            for _ in range(int(rng.integers(0, 5)))
        ]
        depth = int(rng.integers(1, 30))
        got = fuse(rankings, depth)
        assert got.dtype == np.int64
        assert got.tolist() == _by_definition(rankings, depth)


def test_fusion_of_nothing_is_empty() -> None:
    assert fuse([], 5).tolist() == []
    assert fuse([np.zeros(0, dtype=np.int64)], 5).tolist() == []
