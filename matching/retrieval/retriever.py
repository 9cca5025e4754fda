"""Retrieval: the items a ranker gets to see, under the hard filters, from several sources."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from embeddings import VectorIndex
from matching.retrieval.hybrid import fuse

__all__ = ["Retrieved", "Retriever"]


class Retrieved(NamedTuple):
    """What retrieval found for one query.

    ``keys`` are store keys of the items, best first; ``semantic`` of shape (n,) their cosine
    similarity to the query.
    """

    keys: list[int]
    semantic: np.ndarray


class Retriever:
    """Dense retrieval over a vector index, fused with other sources' rankings.

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
        allowed: Sequence[int] | np.ndarray,
        depth: int | None = None,
        *,
        sources: Sequence[np.ndarray] = (),
        similarity: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> Retrieved:
        """The ``depth`` best items among ``allowed`` for one query vector of shape (1, dim).

        ``sources`` are further rankings of store keys (lexical, collaborative, popular);
        keys outside ``allowed`` are dropped from them. With none, the list is the dense one;
        with some, the sources and the dense ranking are fused by reciprocal rank.
        ``similarity`` gives the cosine of the query with items by key (the index's scores
        otherwise).
        """
        n = min(depth or self.depth, len(allowed))
        if n == 0:
            return Retrieved([], np.zeros(0, dtype=np.float32))
        allowed_ids = np.asarray(allowed, dtype=np.int64)
        res = index.search(query, n, allowed_ids=allowed_ids)
        dense = res.ids[0][res.ids[0] >= 0]
        allowed_sorted = allowed_ids
        if len(allowed_ids) > 1 and not (allowed_ids[1:] > allowed_ids[:-1]).all():
            allowed_sorted = np.unique(allowed_ids)
        others = [s[_members(s, allowed_sorted)][:n] for s in sources]
        others = [s for s in others if len(s)]
        keys = fuse([dense, *others], n) if others else dense
        if similarity is not None:
            # One way of computing a pair's similarity, whichever source found it: a pair's
            # features never depend on how it was retrieved.
            semantic = np.asarray(similarity(keys), dtype=np.float32)
        elif others:
            semantic = (index.get_vectors(keys) @ query[0]).astype(np.float32)
        else:
            semantic = res.scores[0][: len(dense)].astype(np.float32)
        return Retrieved([int(k) for k in keys], semantic)


def _members(keys: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Mask of the ``keys`` found in the sorted, distinct ``allowed`` (binary search)."""
    keys = np.asarray(keys, dtype=np.int64)
    if not len(allowed):
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(allowed, keys), len(allowed) - 1)
    return allowed[at] == keys
