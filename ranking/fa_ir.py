r"""FA*IR top-k ranking with a minimum share of protected candidates (Zehlike et al. 2017).

Zehlike, Bonchi, Castillo, Hajian, Megahed, Baeza-Yates (2017), *FA\*IR: A Fair
Top-k Ranking Algorithm*, CIKM.  A ranking passes the *ranked group fairness*
test when every prefix of length ``i`` holds at least ``m(i)`` protected
candidates, where ``m(i) = F^-1(alpha; i, p)`` is the ``alpha``-quantile of the
Binomial(``i``, ``p``) distribution: a prefix with fewer protected candidates
would be unlikely (probability < ``alpha``) if protected candidates had been
drawn with probability ``p``.  Testing every prefix is a multiple test, so the
paper corrects ``alpha`` to ``alpha_c`` such that a truly fair ranking fails
*some* prefix with probability at most ``alpha``; that correction is on by
default here (``adjust_alpha=True``).
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import binom

from ._validation import as_bool_mask, as_real_vector, baseline_order, check_float, check_k

__all__ = ["fa_ir_minimum_table", "fa_ir_topk"]

# Bisection steps for alpha_c: 2**-60 of alpha is far below any meaningful difference.
_ALPHA_BISECTION_STEPS = 60


def _check_p_alpha(p: object, alpha: object) -> tuple[float, float]:
    p_value = check_float(p, "p")
    if not 0.0 < p_value < 1.0:
        raise ValueError(f"p must be in (0, 1) (target protected share), got {p_value}")
    alpha_value = check_float(alpha, "alpha")
    if not 0.0 < alpha_value < 1.0:
        raise ValueError(f"alpha must be in (0, 1) (significance level), got {alpha_value}")
    return p_value, alpha_value


def _raw_table(k: int, p: float, alpha: float) -> NDArray[np.int64]:
    """``m(i) = binom.ppf(alpha, i, p)`` for prefix lengths ``i = 1..k``."""
    prefix_lengths = np.arange(1, k + 1)
    return np.maximum(binom.ppf(alpha, prefix_lengths, p), 0).astype(np.int64)


def _fail_probability(table: NDArray[np.int64], p: float) -> float:
    """Probability that a Bernoulli(``p``) ranking violates ``table`` at some prefix.

    Exact dynamic programme over the number of protected candidates seen so far,
    keeping only the rankings that have not failed yet.
    """
    alive = np.zeros(table.size + 1, dtype=np.float64)
    alive[0] = 1.0
    for i, minimum in enumerate(table):
        step = alive * (1.0 - p)
        step[1 : i + 2] += alive[: i + 1] * p
        step[:minimum] = 0.0
        alive = step
    return max(0.0, 1.0 - float(alive.sum()))


@functools.lru_cache(maxsize=256)
def _table_cached(k: int, p: float, alpha: float, adjust_alpha: bool) -> tuple[int, ...]:
    if not adjust_alpha:
        return tuple(_raw_table(k, p, alpha).tolist())
    if _fail_probability(_raw_table(k, p, alpha), p) <= alpha:
        return tuple(_raw_table(k, p, alpha).tolist())
    # The failure probability grows with alpha_c, so bisect for the largest alpha_c
    # whose table fails a fair ranking with probability at most alpha.
    low, high = 0.0, alpha
    for _ in range(_ALPHA_BISECTION_STEPS):
        middle = (low + high) / 2.0
        if _fail_probability(_raw_table(k, p, middle), p) <= alpha:
            low = middle
        else:
            high = middle
    return tuple(_raw_table(k, p, low).tolist()) if low > 0.0 else (0,) * k


def fa_ir_minimum_table(
    k: int, *, p: float, alpha: float = 0.1, adjust_alpha: bool = True
) -> NDArray[np.int64]:
    """Minimum number of protected candidates required in each prefix of a top-``k`` ranking.

    Parameters
    ----------
    k : int
        Ranking length, >= 1.
    p : float
        Target minimum share of protected candidates, in (0, 1).
    alpha : float, default=0.1
        Significance level of the ranked group fairness test, in (0, 1).
    adjust_alpha : bool, default=True
        Use the multiple-test corrected ``alpha_c`` of the paper (the whole ranking,
        not each prefix, is rejected with probability ``alpha``).  ``False`` uses
        ``alpha`` for every prefix, which is stricter (larger minima).

    Returns
    -------
    numpy.ndarray of int64, shape (k,)
        Entry ``i`` is the minimum number of protected candidates among the top ``i + 1``.
    """
    k = check_k(k)
    p_value, alpha_value = _check_p_alpha(p, alpha)
    if not isinstance(adjust_alpha, (bool, np.bool_)):
        raise TypeError(f"adjust_alpha must be a bool, got {adjust_alpha!r}")
    return np.asarray(_table_cached(k, p_value, alpha_value, bool(adjust_alpha)), dtype=np.int64)


def fa_ir_topk(
    scores: ArrayLike,
    protected: ArrayLike,
    k: int,
    *,
    p: float,
    alpha: float = 0.1,
    adjust_alpha: bool = True,
) -> NDArray[np.int64]:
    """Top-``k`` ranking that satisfies FA*IR's minimum-protected table at every prefix.

    Candidates of each group keep their score order.  At each position the best
    remaining protected candidate is taken if the table demands another one;
    otherwise the better of the two groups' best remaining candidates (by score,
    ties to the lower index) is taken.

    Parameters
    ----------
    scores : array-like of float, shape (n,)
        Finite scores; higher is better.
    protected : numpy.ndarray of bool, shape (n,)
        True for candidates of the protected group.
    k : int
        Number of positions to fill, >= 1; the result has ``min(k, n)`` entries.
    p, alpha, adjust_alpha
        See :func:`fa_ir_minimum_table`.

    Returns
    -------
    numpy.ndarray of int64, shape (min(k, n),)
        Candidate indices in ranked order.

    Notes
    -----
    If there are fewer protected candidates than the table requires, every protected
    candidate is placed as early as the table asks and the remaining positions are
    filled by score: the table cannot then be met and this is best effort.
    """
    s = as_real_vector(scores, "scores")
    mask = as_bool_mask(protected, "protected", n=s.size)
    k = check_k(k)
    length = min(k, s.size)
    if length == 0:
        return np.empty(0, dtype=np.int64)
    table = fa_ir_minimum_table(length, p=p, alpha=alpha, adjust_alpha=adjust_alpha)
    baseline = baseline_order(s)
    # Both queues are in baseline order, so comparing baseline ranks compares
    # scores with ties broken by original index.
    queue_protected = baseline[mask[baseline]]
    queue_other = baseline[~mask[baseline]]
    rank = np.empty(s.size, dtype=np.int64)
    rank[baseline] = np.arange(s.size)
    order = np.empty(length, dtype=np.int64)
    i_p = i_o = 0
    for position in range(length):
        has_p = i_p < queue_protected.size
        has_o = i_o < queue_other.size
        take_protected = has_p and (
            not has_o
            or table[position] > i_p
            or rank[queue_protected[i_p]] < rank[queue_other[i_o]]
        )
        if take_protected:
            order[position] = queue_protected[i_p]
            i_p += 1
        else:
            order[position] = queue_other[i_o]
            i_o += 1
    return order
