"""Offline ranking-quality metrics, one query at a time, and their means over queries.

Conventions used by every function here:

* ``ranked_relevance`` is the graded relevance (``>= 0``) of the items *in the order
  they were ranked*, as long as the ranking (it may be shorter than ``k``, or empty).
* An item is *relevant* for the binary metrics (precision, recall, reciprocal rank,
  average precision) when its grade is ``> 0``.
* DCG uses the exponential gain ``2**rel - 1`` and the discount ``1 / log2(rank + 1)``
  (rank counted from 1), the same gain LightGBM's LambdaRank optimises by default.
* A query with no relevant item scores ``0.0`` on every metric rather than NaN, so a
  mean over queries stays defined; filter such queries out first if they should not
  count.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_real_vector, check_int, check_k

__all__ = [
    "average_precision",
    "dcg_at_k",
    "evaluate_rankings",
    "ndcg_at_k",
    "precision_at_k",
    "recall_at_k",
    "reciprocal_rank",
]

# Slack for "the ranking cannot beat the ideal ranking" in float arithmetic.
_IDEAL_SLACK = 1e-9


def _relevance(value: object, name: str = "ranked_relevance") -> NDArray[np.float64]:
    return as_real_vector(value, name, nonnegative=True)


def _dcg(relevance: NDArray[np.float64], k: int) -> float:
    top = relevance[:k]
    discounts = 1.0 / np.log2(np.arange(2, top.size + 2, dtype=np.float64))
    return float(np.dot(np.exp2(top) - 1.0, discounts))


def _check_n_relevant(n_relevant: object, hits_in_ranking: int) -> int:
    n = check_int(n_relevant, "n_relevant", minimum=0)
    if hits_in_ranking > n:
        raise ValueError(
            f"n_relevant must be >= the number of relevant items in ranked_relevance "
            f"({hits_in_ranking}), got {n}"
        )
    return n


def dcg_at_k(ranked_relevance: ArrayLike, k: int) -> float:
    """Discounted cumulative gain of the first ``k`` ranked items.

    Parameters
    ----------
    ranked_relevance : array-like of shape (n_ranked,)
        Relevance grades (>= 0) in ranked order.
    k : int
        Cut-off, >= 1.

    Returns
    -------
    float
        ``sum_{i < k} (2**rel_i - 1) / log2(i + 2)``.
    """
    return _dcg(_relevance(ranked_relevance), check_k(k))


def ndcg_at_k(
    ranked_relevance: ArrayLike,
    k: int,
    *,
    all_relevance: ArrayLike | None = None,
) -> float:
    """Normalised DCG: DCG@k divided by the DCG@k of the ideal ordering.

    Parameters
    ----------
    ranked_relevance : array-like of shape (n_ranked,)
        Relevance grades (>= 0) in ranked order.
    k : int
        Cut-off, >= 1.
    all_relevance : array-like, optional
        Grades of all relevant items of the query, ranked or not (extra zeros are
        harmless).  The ideal DCG is computed from it, so relevant items the ranking
        missed lower the score.  Defaults to ``ranked_relevance``, i.e. the ideal
        re-ordering of what was ranked.

    Returns
    -------
    float
        In ``[0, 1]``; ``0.0`` when the query has no relevant item.

    Raises
    ------
    ValueError
        If the ranking's DCG exceeds the ideal one, which means ``all_relevance`` is
        missing grades that appear in ``ranked_relevance``.
    """
    k = check_k(k)
    ranked = _relevance(ranked_relevance)
    pool = ranked if all_relevance is None else _relevance(all_relevance, "all_relevance")
    ideal = _dcg(np.sort(pool)[::-1], k)
    if ideal == 0.0:
        return 0.0
    actual = _dcg(ranked, k)
    if actual > ideal * (1.0 + _IDEAL_SLACK):
        raise ValueError(
            "all_relevance must include the grade of every relevant item in ranked_relevance; "
            f"the ranking's DCG@{k} ({actual}) exceeds the ideal DCG@{k} ({ideal})"
        )
    return min(actual / ideal, 1.0)


def precision_at_k(ranked_relevance: ArrayLike, k: int) -> float:
    """Fraction of the first ``k`` positions holding a relevant item.

    Parameters
    ----------
    ranked_relevance : array-like of shape (n_ranked,)
        Relevance grades (>= 0) in ranked order.
    k : int
        Cut-off, >= 1.  The denominator is ``k`` even if the ranking is shorter: empty
        slots count as misses.

    Returns
    -------
    float
    """
    k = check_k(k)
    return float(np.count_nonzero(_relevance(ranked_relevance)[:k] > 0)) / k


def recall_at_k(ranked_relevance: ArrayLike, k: int, *, n_relevant: int) -> float:
    """Fraction of the query's relevant items found in the first ``k`` positions.

    Parameters
    ----------
    ranked_relevance : array-like of shape (n_ranked,)
        Relevance grades (>= 0) in ranked order.
    k : int
        Cut-off, >= 1.
    n_relevant : int
        Number of relevant items the query has in total (ranked or not).

    Returns
    -------
    float
        In ``[0, 1]``; ``0.0`` when ``n_relevant == 0``.
    """
    k = check_k(k)
    relevant = _relevance(ranked_relevance) > 0
    n = _check_n_relevant(n_relevant, int(np.count_nonzero(relevant)))
    if n == 0:
        return 0.0
    return float(np.count_nonzero(relevant[:k])) / n


def reciprocal_rank(ranked_relevance: ArrayLike) -> float:
    """``1 / rank`` of the first relevant item (rank counted from 1), 0.0 if there is none.

    Parameters
    ----------
    ranked_relevance : array-like of shape (n_ranked,)
        Relevance grades (>= 0) in ranked order.

    Returns
    -------
    float
    """
    hits = np.flatnonzero(_relevance(ranked_relevance) > 0)
    return 0.0 if hits.size == 0 else 1.0 / (int(hits[0]) + 1)


def average_precision(ranked_relevance: ArrayLike, *, n_relevant: int) -> float:
    """Average of precision@i over the ranks ``i`` of the relevant items, over the whole ranking.

    Parameters
    ----------
    ranked_relevance : array-like of shape (n_ranked,)
        Relevance grades (>= 0) in ranked order.
    n_relevant : int
        Number of relevant items the query has in total; relevant items that were not
        ranked contribute a precision of 0.

    Returns
    -------
    float
        In ``[0, 1]``; ``0.0`` when ``n_relevant == 0``.
    """
    relevant = _relevance(ranked_relevance) > 0
    n = _check_n_relevant(n_relevant, int(np.count_nonzero(relevant)))
    if n == 0:
        return 0.0
    ranks = np.flatnonzero(relevant) + 1
    precisions = np.arange(1, ranks.size + 1, dtype=np.float64) / ranks
    return float(precisions.sum()) / n


def evaluate_rankings(
    rankings: Sequence[ArrayLike],
    all_relevance: Sequence[ArrayLike],
    k: int,
) -> dict[str, float]:
    """Mean ranking metrics over queries.

    Parameters
    ----------
    rankings : sequence of array-like
        Per query, the relevance grades of the ranked items in ranked order.
    all_relevance : sequence of array-like
        Per query (same order and length as ``rankings``), the grades of all the
        query's relevant items; its count of grades ``> 0`` is ``n_relevant``.
    k : int
        Cut-off for nDCG and recall, >= 1.

    Returns
    -------
    dict
        ``{"ndcg@<k>", "recall@<k>", "mrr", "map"}`` means over the queries (queries with
        no relevant item count as 0.0), plus ``"n_queries"`` (an int).
    """
    k = check_k(k)
    if isinstance(rankings, np.ndarray) and rankings.ndim == 1 and rankings.dtype != object:
        raise TypeError("rankings must be a sequence of per-query arrays, got one flat array")
    if len(rankings) != len(all_relevance):
        raise ValueError(
            f"rankings and all_relevance must have one entry per query, got "
            f"{len(rankings)} and {len(all_relevance)}"
        )
    if len(rankings) == 0:
        raise ValueError("rankings must contain at least one query, got none")
    ndcg, recall, rr, ap = [], [], [], []
    for ranked, pool in zip(rankings, all_relevance, strict=True):
        n_relevant = int(np.count_nonzero(_relevance(pool, "all_relevance") > 0))
        ndcg.append(ndcg_at_k(ranked, k, all_relevance=pool))
        recall.append(recall_at_k(ranked, k, n_relevant=n_relevant))
        rr.append(reciprocal_rank(ranked))
        ap.append(average_precision(ranked, n_relevant=n_relevant))
    return {
        f"ndcg@{k}": float(np.mean(ndcg)),
        f"recall@{k}": float(np.mean(recall)),
        "mrr": float(np.mean(rr)),
        "map": float(np.mean(ap)),
        "n_queries": len(rankings),
    }
