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
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import binom

from ._validation import as_bool_mask, as_real_vector, baseline_order, check_float, check_k

__all__ = ["fa_ir_minimum_table", "fa_ir_topk", "fair_mtable"]

# A binomial CDF this close to alpha is decided again in exact rational arithmetic.
_TIE = 1e-9
# Up to this k the two candidate adjusted tables are compared by exact failure probability.
_EXACT_MAX_K = 100


def _check_p_alpha(p: object, alpha: object) -> tuple[float, float]:
    p_value = check_float(p, "p")
    if not 0.0 < p_value < 1.0:
        raise ValueError(f"p must be in (0, 1) (target protected share), got {p_value}")
    alpha_value = check_float(alpha, "alpha")
    if not 0.0 < alpha_value < 1.0:
        raise ValueError(f"alpha must be in (0, 1) (significance level), got {alpha_value}")
    return p_value, alpha_value


def _cdf_matrix(k: int, p: float) -> NDArray[np.float64]:
    """``F[i - 1, m] = P(Binomial(i, p) <= m)`` for ``i = 1..k``, ``m = 0..k`` (1 beyond i)."""
    i = np.arange(1, k + 1)[:, None]
    m = np.arange(0, k + 1)[None, :]
    return np.asarray(binom.cdf(m, i, p), dtype=np.float64)


def _exact_quantile(i: int, p: Fraction, alpha: Fraction) -> int:
    """Smallest ``m`` with ``P(Binomial(i, p) <= m) >= alpha``, in exact arithmetic."""
    q = 1 - p
    term, total = q**i, Fraction(0)
    for m in range(i + 1):
        total += term
        if total >= alpha:
            return m
        term = term * (i - m) / (m + 1) * p / q
    return i


def _table_at(
    cdf: NDArray[np.float64], level: float, p: float, *, exact: bool = False
) -> NDArray[np.int64]:
    """``m(i)``: the smallest ``m`` whose CDF reaches ``level``, for every prefix length.

    With ``exact``, rows whose CDF comes within 1e-9 of ``level`` are decided in rational
    arithmetic (for a level the caller gave; the levels the adjusted search walks are CDF
    values themselves, compared as computed).
    """
    table = (cdf < level).sum(axis=1).astype(np.int64)
    rows = np.flatnonzero(np.abs(cdf - level).min(axis=1) < _TIE) if exact else np.zeros(0)
    if rows.size:
        exact_p, exact_level = Fraction(p), Fraction(level)
        for r in rows:
            table[r] = _exact_quantile(int(r) + 1, exact_p, exact_level)
    return table


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


def _exact_fail_probability(table: NDArray[np.int64], p: float) -> Fraction:
    """:func:`_fail_probability` in rational arithmetic."""
    exact_p = Fraction(p)
    alive = [Fraction(1)]
    for minimum in table.tolist():
        step = [a * (1 - exact_p) for a in alive] + [Fraction(0)]
        for j, a in enumerate(alive):
            step[j + 1] += a * exact_p
        for j in range(min(int(minimum), len(step))):
            step[j] = Fraction(0)
        alive = step
    return 1 - sum(alive, Fraction(0))


@functools.lru_cache(maxsize=256)
def _table_cached(k: int, p: float, alpha: float, adjust_alpha: bool) -> tuple[int, ...]:
    cdf = _cdf_matrix(k, p)
    if not adjust_alpha:
        return tuple(_table_at(cdf, alpha, p, exact=True).tolist())
    # Every alpha' gives one table, and the table only changes where alpha' crosses a value of
    # the CDF: the distinct tables are those at the CDF values, a finite, ordered set (each
    # entry, and so the failure probability, grows with alpha'). Find the two tables whose
    # failure probabilities bracket alpha and keep the closer one.
    levels = np.unique(cdf[cdf < 1.0])
    fail = functools.cache(lambda j: _fail_probability(_table_at(cdf, float(levels[j]), p), p))
    low, high = 0, len(levels) - 1
    if fail(low) >= alpha:
        high = low
    elif fail(high) <= alpha:
        low = high
    else:
        while high - low > 1:  # fail(low) < alpha < fail(high)
            middle = (low + high) // 2
            if fail(middle) <= alpha:
                low = middle
            else:
                high = middle
    candidates = {low, high}
    tables = {j: _table_at(cdf, float(levels[j]), p) for j in candidates}
    if k <= _EXACT_MAX_K:  # decide the closest in exact arithmetic
        target = Fraction(alpha)
        distance = {j: abs(_exact_fail_probability(t, p) - target) for j, t in tables.items()}
    else:
        distance = {j: Fraction(abs(fail(j) - alpha)) for j in tables}
    # the closer one; on a tie the lower (the one that fails a fair ranking less often)
    best = min(sorted(tables), key=lambda j: distance[j])
    return tuple(tables[best].tolist())


def fair_mtable(k: int, p: float, alpha: float, *, adjust_alpha: bool = False) -> NDArray[np.int64]:
    """The FA*IR table: the fewest protected candidates each prefix of a top-``k`` must hold.

    Entry ``i`` is ``m(i + 1)``, the minimum number of protected candidates in the top
    ``i + 1``. Unadjusted, ``m(i)`` is the ``alpha``-quantile of Binomial(``i``, ``p``): the
    smallest ``m`` with ``P(X <= m) >= alpha``, so a prefix with fewer protected candidates
    than that would be drawn with probability below ``alpha`` by a fair process. (Binomial
    probabilities within 1e-9 of ``alpha`` are decided in exact rational arithmetic.)

    Adjusted (``adjust_alpha=True``): testing all ``k`` prefixes rejects a fair ranking more
    often than ``alpha``. Every ``alpha'`` gives a table as above; among the finitely many
    distinct tables they give, this returns the one whose exact failure probability (a ranking
    whose candidates are protected with probability ``p``, independently, fails at least one of
    the ``k`` prefix tests, the last position included) is closest to ``alpha``, and on a tie the
    less strict one. The search walks the ordered set of tables, with no floating bisection on
    ``alpha'``; the final comparison is exact for ``k <= 100``.

    Parameters
    ----------
    k : int
        Ranking length, >= 1.
    p : float
        Target minimum share of protected candidates, in (0, 1).
    alpha : float
        Significance level, in (0, 1).
    adjust_alpha : bool, default=False
        Whether to correct for testing every prefix (see above).

    Returns
    -------
    numpy.ndarray of int64, shape (k,)

    Examples
    --------
    >>> fair_mtable(10, 0.5, 0.1).tolist()
    [0, 0, 0, 1, 1, 1, 2, 2, 3, 3]
    >>> fair_mtable(10, 0.5, 0.1, adjust_alpha=True).tolist()  # fails a fair ranking 11.1 %
    [0, 0, 0, 1, 1, 1, 2, 2, 2, 3]
    """
    k = check_k(k)
    p_value, alpha_value = _check_p_alpha(p, alpha)
    if not isinstance(adjust_alpha, (bool, np.bool_)):
        raise TypeError(f"adjust_alpha must be a bool, got {adjust_alpha!r}")
    return np.asarray(_table_cached(k, p_value, alpha_value, bool(adjust_alpha)), dtype=np.int64)


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
    return fair_mtable(k, p, alpha, adjust_alpha=adjust_alpha)


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
    otherwise the better of the two groups' best remaining candidates by score, the
    protected one on a tie (within a group, ties go to the lower index).

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
    # Both queues are in baseline order: by score, ties by original index.
    queue_protected = baseline[mask[baseline]]
    queue_other = baseline[~mask[baseline]]
    order = np.empty(length, dtype=np.int64)
    i_p = i_o = 0
    for position in range(length):
        has_p = i_p < queue_protected.size
        has_o = i_o < queue_other.size
        # on tied scores the protected candidate goes first, as the authors' implementation
        take_protected = has_p and (
            not has_o or table[position] > i_p or s[queue_protected[i_p]] >= s[queue_other[i_o]]
        )
        if take_protected:
            order[position] = queue_protected[i_p]
            i_p += 1
        else:
            order[position] = queue_other[i_o]
            i_o += 1
    return order
