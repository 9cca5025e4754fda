"""Retrieval: the items a ranker gets to see, nearest first, under the hard filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from embeddings import VectorIndex

__all__ = ["Retrieved", "Retriever"]


class Retrieved(NamedTuple):
    """What retrieval found for one query.

    ``keys`` are store keys of the items, best first; ``semantic`` of shape (n,) their cosine
    similarity to the query.
    """

    keys: list[int]
    semantic: np.ndarray


class Retriever:
    """Dense retrieval over a vector index, restricted to the items the filters allow.

    Parameters
    ----------
    depth : int
        How many items a query gets by default.
    """

    def __init__(self, depth: int) -> None:
        self.depth = depth

    def retrieve(
        self,
        index: VectorIndex,
        query: np.ndarray,
        allowed: Sequence[int],
        depth: int | None = None,
    ) -> Retrieved:
        """The nearest ``depth`` items among ``allowed`` for one query vector of shape (1, dim)."""
        n = min(depth or self.depth, len(allowed))
        if n == 0:
            return Retrieved([], np.zeros(0, dtype=np.float32))
        res = index.search(query, n, allowed_ids=np.asarray(allowed, dtype=np.int64))
        ids, scores = res.ids[0], res.scores[0]
        keep = ids >= 0
        return Retrieved([int(i) for i in ids[keep]], scores[keep].astype(np.float32))
