"""Search primitives behind :class:`~embeddings.index.VectorIndex`: FAISS and exact top-k.

Every kind stores external int64 ids inside FAISS and uses the inner-product metric.

Filtering by ``allowed_ids`` goes through ``SearchParameters.sel`` with an
``IDSelectorBatch`` (a hash set, so membership is O(1) whatever the subset size); ``IndexIDMap``
translates it to its internal ids.

Exact top-k is used wherever an approximate structure cannot be trusted or does not exist yet:
an IVF index before it is trained, a small ``allowed_ids`` subset, and queries for which a
filtered approximate search came back with too few results.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import faiss
import numpy as np

__all__ = ["IndexKind", "SearchResult", "exact_search", "faiss_search", "pad_results"]

IndexKind = Literal["flat", "hnsw", "ivf"]

# Scores are computed for blocks of queries so the (queries x vectors) score matrix stays
# around 64 MB however large the index is.
_BLOCK_CELLS = 16 * 1024 * 1024


class SearchResult(NamedTuple):
    """Result of :meth:`VectorIndex.search`.

    Attributes
    ----------
    ids : numpy.ndarray
        int64 ``(n_queries, k)``, best first; -1 where there are fewer than ``k`` results.
    scores : numpy.ndarray
        float32 ``(n_queries, k)`` cosine similarities; -inf where ``ids`` is -1.
    """

    ids: np.ndarray
    scores: np.ndarray


def pad_results(n_queries: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(ids, scores)`` of shape ``(n_queries, k)`` filled with -1 and -inf."""
    ids = np.full((n_queries, k), -1, dtype=np.int64)
    scores = np.full((n_queries, k), -np.inf, dtype=np.float32)
    return ids, scores


def exact_search(
    vectors: np.ndarray, ids: np.ndarray, queries: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-``k`` of ``queries @ vectors.T``.

    Parameters
    ----------
    vectors : numpy.ndarray
        float32 ``(m, d)`` stored vectors.
    ids : numpy.ndarray
        int64 ``(m,)`` id of each stored vector.
    queries : numpy.ndarray
        float32 ``(q, d)``.
    k : int
        Results per query, ``>= 1``.

    Returns
    -------
    ids, scores : numpy.ndarray
        ``(q, k)`` int64 and float32, best first; ties are broken by ascending id so the
        result is deterministic. Columns beyond ``m`` hold -1 / -inf.
    """
    n_queries, m = queries.shape[0], vectors.shape[0]
    out_ids, out_scores = pad_results(n_queries, k)
    if m == 0 or n_queries == 0:
        return out_ids, out_scores
    take = min(k, m)
    block = max(1, _BLOCK_CELLS // m)
    for start in range(0, n_queries, block):
        scores = queries[start : start + block] @ vectors.T
        if take < m:
            top = np.argpartition(-scores, take - 1, axis=1)[:, :take]
        else:
            top = np.broadcast_to(np.arange(m), (scores.shape[0], m))
        top_scores = np.take_along_axis(scores, top, axis=1)
        top_ids = ids[top]
        # lexsort sorts by the last key first: descending score, then ascending id.
        order = np.lexsort((top_ids, -top_scores), axis=1)
        rows = slice(start, start + scores.shape[0])
        out_ids[rows, :take] = np.take_along_axis(top_ids, order, axis=1)
        out_scores[rows, :take] = np.take_along_axis(top_scores, order, axis=1)
    return out_ids, out_scores


def faiss_search(
    index: Any,
    queries: np.ndarray,
    k: int,
    params: Any,
    *,
    allowed_ids: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Search ``index`` and return ``(ids, scores)`` with -1 / -inf marking missing results.

    ``params`` are the kind's FAISS search parameters; ``k`` must not exceed
    ``index.ntotal`` (the caller pads wider requests itself).
    """
    selector = None
    if allowed_ids is not None:
        selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed_ids, dtype=np.int64))
        params.sel = selector
    scores, ids = index.search(queries, k, params=params)
    # FAISS marks a missing result with -1 and -FLT_MAX; make the score an honest -inf.
    scores = np.where(ids < 0, -np.inf, scores).astype(np.float32, copy=False)
    del selector  # kept alive until here: params.sel does not own it
    return ids.astype(np.int64, copy=False), scores
