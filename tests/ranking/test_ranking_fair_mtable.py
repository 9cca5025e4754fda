"""``fair_mtable`` against tables computed independently in exact rational arithmetic."""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from math import comb

import numpy as np
import pytest

from ranking import fair_mtable


@cache
def _cdf(i: int, m: int, p: Fraction) -> Fraction:
    return sum((comb(i, j) * p**j * (1 - p) ** (i - j) for j in range(m + 1)), Fraction(0))


def _table(k: int, p: Fraction, level: Fraction) -> tuple[int, ...]:
    """m(i) = the smallest m with P(Binomial(i, p) <= m) >= level, i = 1..k."""
    return tuple(next(m for m in range(i + 1) if _cdf(i, m, p) >= level) for i in range(1, k + 1))


def _fail(table: tuple[int, ...], p: Fraction) -> Fraction:
    """P(a ranking with Bernoulli(p) protected candidates fails some prefix), by enumeration
    of the counts still alive (a different recursion from the library's)."""
    alive = {0: Fraction(1)}
    for minimum in table:
        nxt: dict[int, Fraction] = {}
        for count, prob in alive.items():
            for add, w in ((1, p), (0, 1 - p)):
                if count + add >= minimum:
                    nxt[count + add] = nxt.get(count + add, Fraction(0)) + prob * w
        alive = nxt
    return 1 - sum(alive.values(), Fraction(0))


def _adjusted(k: int, p: Fraction, alpha: Fraction) -> tuple[int, ...]:
    """Every distinct table some alpha' gives (at each CDF value), the closest failure wins."""
    levels = sorted({_cdf(i, m, p) for i in range(1, k + 1) for m in range(i)})
    tables = sorted({_table(k, p, level) for level in levels}, key=lambda t: (_fail(t, p), t))
    return min(tables, key=lambda t: (abs(_fail(t, p) - alpha), _fail(t, p)))


CASES = [(k, p, a) for k in (1, 5, 10, 16) for p in (0.2, 0.5, 0.7) for a in (0.05, 0.1, 0.15)]


@pytest.mark.parametrize(("k", "p", "alpha"), CASES)
def test_unadjusted_tables_are_the_exact_binomial_quantiles(k: int, p: float, alpha: float) -> None:
    expected = _table(k, Fraction(p), Fraction(alpha))
    got = fair_mtable(k, p, alpha)
    assert got.dtype == np.int64 and got.shape == (k,)
    assert tuple(got.tolist()) == expected


@pytest.mark.parametrize(("k", "p", "alpha"), CASES)
def test_adjusted_tables_have_the_failure_probability_closest_to_alpha(
    k: int, p: float, alpha: float
) -> None:
    expected = _adjusted(k, Fraction(p), Fraction(alpha))
    assert tuple(fair_mtable(k, p, alpha, adjust_alpha=True).tolist()) == expected


def test_the_known_case_and_its_failure_probability() -> None:
    # k=10, p=0.5, alpha=0.1: the tables next to alpha fail a fair ranking 7.52 % and 11.13 %
    adjusted = tuple(fair_mtable(10, 0.5, 0.1, adjust_alpha=True).tolist())
    assert adjusted == (0, 0, 0, 1, 1, 1, 2, 2, 2, 3)
    assert float(_fail(adjusted, Fraction(1, 2))) == pytest.approx(0.11133, abs=1e-5)
    assert float(_fail((0, 0, 0, 0, 1, 1, 1, 2, 2, 3), Fraction(1, 2))) == pytest.approx(
        0.07520, abs=1e-5
    )


def test_a_cdf_exactly_at_alpha_is_decided_exactly() -> None:
    # P(Binomial(2, 0.5) <= 0) = 0.25 exactly: m(2) is 0 at alpha = 0.25, 1 just above it
    assert fair_mtable(2, 0.5, 0.25).tolist() == [0, 0]
    assert fair_mtable(2, 0.5, 0.25 + 1e-12).tolist() == [0, 1]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"k": 0, "p": 0.5, "alpha": 0.1}, "k"), ({"k": 5, "p": 1.0, "alpha": 0.1}, "p must be"),
     ({"k": 5, "p": 0.5, "alpha": 0.0}, "alpha must be")],
)  # fmt: skip
def test_arguments_are_checked(kwargs: dict, match: str) -> None:
    with pytest.raises((ValueError, TypeError), match=match):
        fair_mtable(**kwargs)


def test_on_tied_scores_the_protected_candidate_goes_first() -> None:
    from ranking import fa_ir_topk

    scores = np.array([1.0, 1.0, 0.5])
    protected = np.array([False, True, False])
    # the table asks for no one yet (k=3, p=0.1): only the tie decides
    assert fa_ir_topk(scores, protected, 3, p=0.1, alpha=0.1).tolist() == [1, 0, 2]
