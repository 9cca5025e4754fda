"""Hybrid retrieval: dense, lexical and (once events exist) collaborative sources, fused.

Each source ranks the items the hard filters allow; reciprocal-rank fusion (Cormack et al.,
SIGIR 2009: score = sum of 1 / (k + rank) over the sources that rank an item) merges them into
the one candidate list the ranker sees. A source that finds nothing simply adds nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from matching.features import TokenCounts
from matching.retrieval.bm25 import BM25

__all__ = ["RRF_K", "LexicalIndex", "fuse"]

#: The constant of reciprocal-rank fusion (60, as in the paper).
RRF_K = 60


def fuse(rankings: Sequence[np.ndarray], depth: int, *, k: int = RRF_K) -> np.ndarray:
    """Reciprocal-rank fusion of ranked key arrays, best first, at most ``depth`` keys.

    Ties (the same fused score) keep the order of first appearance, source by source.

    Examples
    --------
    >>> fuse([np.array([1, 2, 3]), np.array([3, 4])], depth=3).tolist()
    [3, 1, 2]
    """
    scores: dict[int, float] = {}
    for ranked in rankings:
        for rank, key in enumerate(np.asarray(ranked, dtype=np.int64).tolist(), start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
    order = sorted(scores, key=lambda key: -scores[key])  # sorted is stable
    return np.asarray(order[:depth], dtype=np.int64)


class LexicalIndex:
    """BM25 over one side's documents (store keys and token counts), rebuilt when they change.

    Parameters
    ----------
    documents : callable
        ``(keys, token_counts)`` of every document of the side.
    version : callable
        Anything that changes whenever the documents change.
    """

    def __init__(
        self,
        documents: Callable[[], tuple[list[int], list[TokenCounts]]],
        version: Callable[[], Any],
    ) -> None:
        self._documents = documents
        self._version = version
        self._lock = threading.Lock()
        self._built: tuple[Any, np.ndarray, BM25] | None = None

    def _index(self) -> tuple[np.ndarray, BM25]:
        version = self._version()
        with self._lock:
            if self._built is None or self._built[0] != version:
                keys, docs = self._documents()
                bm25 = BM25().fit_tokens([_expand(d) for d in docs])
                self._built = (version, np.asarray(keys, dtype=np.int64), bm25)
            return self._built[1], self._built[2]

    def top(self, query: TokenCounts, allowed: np.ndarray | None, n: int) -> np.ndarray:
        """Keys of the ``n`` best-scoring documents among ``allowed`` (all when None).

        Documents that share no word with the query are not returned.
        """
        keys, bm25 = self._index()
        scores = bm25.scores_tokens([t for t, _ in query])
        if allowed is not None:
            scores = np.where(np.isin(keys, allowed), scores, 0.0)
        hits = np.flatnonzero(scores > 0)
        if len(hits) > n:
            hits = hits[np.argpartition(-scores[hits], n - 1)[:n]]
        order = hits[np.lexsort((keys[hits], -scores[hits]))]
        return keys[order]


def _expand(counts: TokenCounts) -> list[str]:
    return [token for token, count in counts for _ in range(count)]
