"""Search primitives behind :class:`~embeddings.index.VectorIndex`: FAISS and exact top-k.

Every kind stores external int64 ids inside FAISS and uses the inner-product metric.

Filtering by ``allowed_ids`` goes through ``SearchParameters.sel``: an ``IDSelectorBitmap``
(one bit per id up to the largest allowed one) when ids are dense, as store keys are, else an
``IDSelectorBatch`` (a hash set); membership is O(1) either way, and ``IndexIDMap`` translates
it to its internal ids. A bitmap costs a fraction of a millisecond to build for 100k ids, a
hash set a millisecond or more, paid on every filtered query.

Exact top-k is used wherever an approximate structure cannot be trusted or does not exist yet:
an IVF index before it is trained, a small ``allowed_ids`` subset, an HNSW search whose filter
allows too small a share of the vectors (scanned in FAISS over the graph's own codes), and
queries for which a filtered approximate search came back with too few results.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import faiss
import numpy as np

__all__ = [
    "IndexKind",
    "SearchResult",
    "exact_search",
    "faiss_search",
    "id_selector",
    "in_score_order",
    "pad_results",
]

IndexKind = Literal["flat", "hnsw", "ivf"]

# Scores are computed for blocks of queries so the (queries x vectors) score matrix stays
# around 64 MB however large the index is.
_BLOCK_CELLS = 16 * 1024 * 1024
# A bitmap selector is used while it takes at most this many bits per allowed id (plus a
# fixed allowance): ids as dense as store keys, whatever their spread.
_BITMAP_BITS_PER_ID = 64
_BITMAP_ALLOWANCE = 1 << 20


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


class Selector(NamedTuple):
    """A FAISS id selector and the buffer it reads (which must outlive every search with it)."""

    selector: Any
    buffer: np.ndarray | None


def id_selector(allowed_ids: np.ndarray) -> Selector:
    """A FAISS selector of the distinct ``allowed_ids``: a bitmap when they are dense.

    Examples
    --------
    >>> type(id_selector(np.array([3, 7])).selector).__name__
    'IDSelectorBitmap'
    >>> type(id_selector(np.array([-3, 7])).selector).__name__
    'IDSelectorBatch'
    """
    allowed_ids = np.ascontiguousarray(allowed_ids, dtype=np.int64)
    top = int(allowed_ids.max()) if len(allowed_ids) else -1
    dense = top + 1 <= _BITMAP_BITS_PER_ID * len(allowed_ids) + _BITMAP_ALLOWANCE
    if dense and not (len(allowed_ids) and int(allowed_ids.min()) < 0):
        member = np.zeros(top + 1, dtype=bool)
        member[allowed_ids] = True
        bits = np.packbits(member, bitorder="little")
        # FAISS takes the bitmap's length in bytes
        return Selector(faiss.IDSelectorBitmap(len(bits), faiss.swig_ptr(bits)), bits)
    return Selector(faiss.IDSelectorBatch(allowed_ids), None)


def in_score_order(ids: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row by descending score, ties by ascending id, missing results (-1) last."""
    order = np.lexsort((np.where(ids < 0, np.iinfo(np.int64).max, ids), -scores), axis=1)
    return np.take_along_axis(ids, order, axis=1), np.take_along_axis(scores, order, axis=1)


def faiss_search(
    index: Any,
    queries: np.ndarray,
    k: int,
    params: Any,
    *,
    allowed: Selector | None = None,
    labels: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Search ``index`` and return ``(ids, scores)`` with -1 / -inf marking missing results.

    ``params`` are the kind's FAISS search parameters; ``k`` must not exceed
    ``index.ntotal`` (the caller pads wider requests itself). ``allowed`` restricts the
    results (see :func:`id_selector`); ``labels``, when the index returns positions rather
    than ids, maps each position to its id.
    """
    if allowed is not None:
        params.sel = allowed.selector
    scores, ids = index.search(queries, k, params=params)
    # FAISS marks a missing result with -1 and -FLT_MAX; make the score an honest -inf.
    scores = np.where(ids < 0, -np.inf, scores).astype(np.float32, copy=False)
    ids = ids.astype(np.int64, copy=False)
    if labels is not None:
        ids = np.where(ids >= 0, labels[np.maximum(ids, 0)], -1)
    return ids, scores
