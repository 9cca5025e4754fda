"""Known-answer tests of ranking.fairness."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ranking import (
    FOUR_FIFTHS,
    exposure_ratio,
    impact_ratio,
    impact_ratios,
    ndkl,
    selection_rates,
    skew_at_k,
)

LOG2_3 = math.log2(3)  # 1 / exposure at rank 2


def test_skew_known_answers() -> None:
    ranked = np.array(["a", "b", "a", "a"])
    assert skew_at_k(ranked, "a", 0.5, 4) == pytest.approx(math.log(0.75 / 0.5))
    assert skew_at_k(ranked, "a", 0.5, 2) == pytest.approx(0.0)
    assert skew_at_k(ranked, "b", 0.5, 4) == pytest.approx(math.log(0.25 / 0.5))
    assert skew_at_k(ranked, "a", 0.75, 100) == pytest.approx(0.0)  # k beyond the ranking
    assert skew_at_k(ranked, "b", 0.5, 1) == -math.inf
    assert skew_at_k(np.append(ranked, "c"), "c", 0.2, 4) == -math.inf  # ranked, not top 4


def test_ndkl_known_answers() -> None:
    targets = {"a": 0.5, "b": 0.5}
    # prefix 1: (1, 0) -> KL = ln 2; prefix 2: (1/2, 1/2) -> 0; Z = 1 + 1/log2(3)
    assert ndkl(["a", "b"], targets) == pytest.approx(math.log(2) / (1 + 1 / LOG2_3))
    assert ndkl(["a", "a"], {"a": 1.0}) == 0.0
    # prefixes (1,0), (1,0): KL = ln 2 twice -> NDKL = ln 2
    assert ndkl(["a", "a"], targets) == pytest.approx(math.log(2))
    # a group with a zero target share that does not occur is fine
    assert ndkl(["a"], {"a": 1.0, "b": 0.0}) == 0.0


def test_ndkl_grows_with_imbalance() -> None:
    targets = {"a": 0.5, "b": 0.5}
    balanced = ndkl(["a", "b"] * 10, targets)
    clustered = ndkl(["a"] * 10 + ["b"] * 10, targets)
    assert 0 < balanced < clustered


def test_exposure_ratio_known_answers() -> None:
    # protected at rank 1 (exposure 1), other at rank 2 (exposure 1/log2 3)
    assert exposure_ratio(["p", "o"], "p") == pytest.approx(LOG2_3)
    assert exposure_ratio(["o", "p"], "p") == pytest.approx(1 / LOG2_3)
    # protected at ranks 1 and 3, other at rank 2
    expected = ((1 + 1 / 2) / 2) / (1 / LOG2_3)
    assert exposure_ratio(np.array([1, 0, 1]), 1) == pytest.approx(expected)


def test_exposure_ratio_per_unit_of_merit() -> None:
    # The protected item has twice the merit and twice the exposure ratio: parity per merit.
    exp_p, exp_o = 1.0, 1 / LOG2_3
    scores = [2.0 * exp_p, 2.0 * exp_o * 0.5]
    assert exposure_ratio(["p", "o"], "p", scores=scores) == pytest.approx(
        (exp_p / scores[0]) / (exp_o / scores[1])
    )
    assert exposure_ratio(["p", "o"], "p", scores=[exp_p, exp_o]) == pytest.approx(1.0)


def test_impact_ratio_known_answers() -> None:
    pool = ["p"] * 10 + ["o"] * 10
    selected = ["p"] * 4 + ["o"] * 5
    assert impact_ratio(selected, pool, "p") == pytest.approx(0.8)  # 0.4 / 0.5
    assert impact_ratio(selected, pool, "o") == pytest.approx(1.0)  # the most selected
    assert impact_ratio(["p"] * 3 + ["o"] * 5, pool, "p") < FOUR_FIFTHS
    assert impact_ratio(["p", "o"], pool, "p") == pytest.approx(1.0)
    assert impact_ratio(["p"], pool, "o") == 0.0
    assert math.isnan(impact_ratio([], pool, "p"))


def test_the_four_fifths_rule_divides_by_the_most_selected_group() -> None:
    # rates 0.30, 0.60 and 0: pooling "everyone else" would give group a 1.0 and hide it
    pool = ["a"] * 10 + ["b"] * 10 + ["c"] * 10
    selected = ["a"] * 3 + ["b"] * 6
    assert selection_rates(selected, pool) == pytest.approx({"a": 0.3, "b": 0.6, "c": 0.0})
    assert impact_ratios(selected, pool) == pytest.approx({"a": 0.5, "b": 1.0, "c": 0.0})
    assert impact_ratio(selected, pool, "a") == pytest.approx(0.5)
    below = [g for g, r in impact_ratios(selected, pool).items() if r < FOUR_FIFTHS]
    assert below == ["a", "c"]


def test_unknown_and_absent_labels_are_errors_that_name_them() -> None:
    pool = ["a", "a", "b"]
    with pytest.raises(ValueError, match="'typo' is not in groups_pool"):
        impact_ratio(["a"], pool, "typo")
    with pytest.raises(ValueError, match="label 'z', which is not in groups_pool"):
        selection_rates(["z"], pool)
    with pytest.raises(ValueError, match="'typo' is not among the ranked labels"):
        skew_at_k(["a", "b"], "typo", 0.5, 2)


def test_labels_keep_their_types() -> None:
    # The int 1 and the string "1" are different groups; numpy would merge them in a str array.
    assert impact_ratios([1], [1, "1"]) == {1: 1.0, "1": 0.0}
    assert skew_at_k([1, "1"], "1", 0.5, 2) == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: skew_at_k([], "a", 0.5, 1), ValueError, "groups_ranked must contain at least"),
        (
            lambda: skew_at_k(["a"], "a", 0.0, 1),
            ValueError,
            r"target_proportion must be in \(0, 1\]",
        ),
        (lambda: skew_at_k(["a"], "a", 0.5, 0), ValueError, "k must be >= 1"),
        (lambda: skew_at_k(np.array([["a"]]), "a", 0.5, 1), ValueError, "must be 1-D"),
        (lambda: skew_at_k([["a"]], "a", 0.5, 1), TypeError, "must be hashable"),
        (lambda: skew_at_k([0.5], 0.5, 0.5, 1), TypeError, "must be hashable and not float"),
        (lambda: ndkl(["a", "c"], {"a": 0.5, "b": 0.5}), ValueError, "contains group 'c'"),
        (lambda: ndkl(["b"], {"a": 1.0, "b": 0.0}), ValueError, "no positive share"),
        (lambda: ndkl(["a"], {"a": 0.5}), ValueError, "target_proportions must sum to 1"),
        (lambda: ndkl(["a"], {"a": 1.5, "b": -0.5}), ValueError, r"must be in \[0, 1\]"),
        (lambda: ndkl(["a"], [("a", 1.0)]), TypeError, "target_proportions must be a mapping"),
        (lambda: exposure_ratio(["p", "p"], "p"), ValueError, "both the protected group"),
        (
            lambda: exposure_ratio(["p", "o"], "p", scores=[1]),
            ValueError,
            "scores must have length 2",
        ),
        (lambda: exposure_ratio(["p", "o"], "p", scores=[0, 1]), ValueError, "positive mean merit"),
        (lambda: impact_ratio(["p", "p"], ["p", "o"], "p"), ValueError, "must be a subset"),
        (lambda: impact_ratio("po", ["p", "o"], "p"), TypeError, "groups_selected must be a 1-D"),
    ],
)
def test_validation(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()


def test_group_exposures_known_answers() -> None:
    from ranking import exposure_ratios, group_exposures

    # pool: a x2, b x2, c x1; ranked a (rank 1), b (rank 2); c and one of each left out
    pool = ["a", "a", "b", "b", "c"]
    exposures = group_exposures(["a", "b"], pool)
    assert exposures == pytest.approx({"a": 0.5, "b": 0.5 / LOG2_3, "c": 0.0})
    ratios = exposure_ratios(["a", "b"], pool)
    assert ratios == pytest.approx({"a": 1.0, "b": 1 / LOG2_3, "c": 0.0})
    assert all(math.isnan(v) for v in exposure_ratios([], pool).values())
    with pytest.raises(ValueError, match="label 'z', which is not in groups_pool"):
        group_exposures(["z"], pool)
