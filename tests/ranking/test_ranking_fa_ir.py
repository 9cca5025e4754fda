"""Tests of ranking.fa_ir: the FA*IR minimum table and top-k re-ranking."""

from __future__ import annotations

import numpy as np
import pytest

from ranking import fa_ir_minimum_table, fa_ir_topk


def test_unadjusted_table_known_answer() -> None:
    # m(i) = smallest x with BinomCDF(x; i, 0.5) >= 0.1, e.g. i=4: CDF(0)=1/16 < 0.1 <= CDF(1)=5/16;
    # i=7: CDF(1)=8/128 < 0.1 <= CDF(2)=29/128; i=9: CDF(2)=46/512 < 0.1 <= CDF(3)=130/512.
    table = fa_ir_minimum_table(10, p=0.5, alpha=0.1, adjust_alpha=False)
    np.testing.assert_array_equal(table, [0, 0, 0, 1, 1, 1, 2, 2, 3, 3])
    assert table.dtype == np.int64


def _monte_carlo_fail_rate(table: np.ndarray, p: float, draws: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    protected_counts = np.cumsum(rng.random((draws, table.size)) < p, axis=1)
    return float(np.mean((protected_counts < table).any(axis=1)))


def test_adjusted_table_controls_the_overall_type_one_error() -> None:
    k, p, alpha = 60, 0.5, 0.1
    raw = fa_ir_minimum_table(k, p=p, alpha=alpha, adjust_alpha=False)
    adjusted = fa_ir_minimum_table(k, p=p, alpha=alpha)
    assert np.all(adjusted <= raw) and np.all(np.diff(adjusted) >= 0)
    # Testing every prefix at level alpha rejects far more than alpha of fair rankings;
    # the corrected table rejects at most alpha of them (checked by simulation).
    assert _monte_carlo_fail_rate(raw, p, 20_000, seed=0) > alpha + 0.05
    assert _monte_carlo_fail_rate(adjusted, p, 20_000, seed=1) <= alpha + 0.01


@pytest.mark.parametrize("seed", range(25))
def test_topk_meets_the_table_at_every_prefix(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 80))
    protected = rng.random(n) < 0.35
    scores = rng.normal(size=n) - 1.5 * protected  # protected candidates score lower
    k = int(rng.integers(5, n))
    p = float(rng.choice([0.2, 0.3, 0.5]))
    adjust = bool(seed % 2)
    order = fa_ir_topk(scores, protected, k, p=p, adjust_alpha=adjust)
    assert order.size == k and np.unique(order).size == k
    table = fa_ir_minimum_table(k, p=p, adjust_alpha=adjust)
    if protected.sum() >= table[-1]:
        assert np.all(np.cumsum(protected[order]) >= table)
    # Within each group the score order is preserved.
    for flag in (True, False):
        members = order[protected[order] == flag]
        assert np.all(np.diff(scores[members]) <= 0)


def test_topk_without_pressure_is_the_score_ranking() -> None:
    scores = np.array([5.0, 4.0, 3.0, 2.0, 1.0])
    protected = np.array([True, False, True, False, False])
    np.testing.assert_array_equal(fa_ir_topk(scores, protected, 5, p=0.3), [0, 1, 2, 3, 4])
    none_protected = np.zeros(5, dtype=bool)
    np.testing.assert_array_equal(fa_ir_topk(scores, none_protected, 3, p=0.5), [0, 1, 2])


def test_topk_known_answer_promotion() -> None:
    # 10 candidates, the only protected ones at the bottom; unadjusted p=0.5 table
    # [0,0,0,1,1,1,2,2,3,3] forces a protected candidate into positions 4, 7 and 9.
    scores = np.arange(10, 0, -1, dtype=float)
    protected = np.zeros(10, dtype=bool)
    protected[[7, 8, 9]] = True
    order = fa_ir_topk(scores, protected, 10, p=0.5, adjust_alpha=False)
    np.testing.assert_array_equal(order, [0, 1, 2, 7, 3, 4, 8, 5, 9, 6])


def test_too_few_protected_is_best_effort() -> None:
    scores = np.arange(10, 0, -1, dtype=float)
    protected = np.zeros(10, dtype=bool)
    protected[9] = True
    order = fa_ir_topk(scores, protected, 10, p=0.5, adjust_alpha=False)
    np.testing.assert_array_equal(order, [0, 1, 2, 9, 3, 4, 5, 6, 7, 8])


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: fa_ir_minimum_table(0, p=0.5), ValueError, "k must be >= 1"),
        (lambda: fa_ir_minimum_table(5, p=0.0), ValueError, r"p must be in \(0, 1\)"),
        (lambda: fa_ir_minimum_table(5, p=0.5, alpha=1.0), ValueError, r"alpha must be in"),
        (lambda: fa_ir_minimum_table(5, p="0.5"), TypeError, "p must be a real number"),
        (lambda: fa_ir_minimum_table(5, p=0.5, adjust_alpha=None), TypeError, "adjust_alpha"),
        (lambda: fa_ir_topk([1.0, 2.0], [1, 0], 1, p=0.5), TypeError, "protected must be a bool"),
        (lambda: fa_ir_topk([1.0], np.array([True, False]), 1, p=0.5), ValueError, "length 1"),
        (lambda: fa_ir_topk([np.inf], np.array([True]), 1, p=0.5), ValueError, "scores must"),
    ],
)
def test_validation(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()
