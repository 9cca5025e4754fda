"""Tests of ranking.rerank: DetConstSort, the FairnessConstraint policy and fair_rerank."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest

from ranking import (
    FairnessConstraint,
    RerankResult,
    det_const_sort,
    fa_ir_minimum_table,
    fair_rerank,
    ndkl,
    skew_at_k,
)

TARGETS = {"f": 0.4, "m": 0.6}
K = 20


def biased_pool(seed: int, n: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """30% of candidates are 'f' and their scores are shifted down: the top is mostly 'm'."""
    rng = np.random.default_rng(seed)
    groups = np.where(rng.random(n) < 0.3, "f", "m")
    scores = rng.normal(size=n) - 1.0 * (groups == "f")
    return scores, groups


def assert_within_group_order(order: np.ndarray, scores: np.ndarray, groups: np.ndarray) -> None:
    for label in set(groups.tolist()):
        members = order[groups[order] == label]
        # score descending; ties by original index ascending
        keys = list(zip(-scores[members], members, strict=True))
        assert keys == sorted(keys)


def test_det_const_sort_reduces_skew_and_ndkl_on_a_biased_ranking() -> None:
    scores, groups = biased_pool(seed=0)
    before = groups[np.argsort(-scores, kind="stable")][:K]
    after = groups[det_const_sort(scores, groups, TARGETS, K)]
    assert skew_at_k(before, "f", 0.4, K) < -0.9  # 'f' badly under-represented before
    assert skew_at_k(after, "f", 0.4, K) == pytest.approx(0.0, abs=0.05)
    assert skew_at_k(after, "m", 0.6, K) == pytest.approx(0.0, abs=0.05)
    # NDKL cannot reach 0: a prefix of length 1 always holds a single group.  Its
    # floor here is about 0.1 (on-target prefixes from length 2 on).
    assert ndkl(before, TARGETS) > 0.4
    assert ndkl(after, TARGETS) == pytest.approx(0.0, abs=0.15)
    assert ndkl(after, TARGETS) < ndkl(before, TARGETS) / 3


@pytest.mark.parametrize("seed", range(20))
def test_det_const_sort_properties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 60))
    scores = np.round(rng.normal(size=n), 1)  # rounding creates ties
    groups = rng.choice(["a", "b", "c"], size=n, p=[0.6, 0.3, 0.1])
    targets = {"a": 0.5, "b": 0.3, "c": 0.2}
    k = int(rng.integers(1, n + 5))
    order = det_const_sort(scores, groups, targets, k)
    assert order.dtype == np.int64 and order.size == min(k, n)
    assert np.unique(order).size == order.size
    assert_within_group_order(order, scores, groups)
    # Every prefix meets the minimum counts floor(i * p) of each group that has enough
    # candidates left to do so.
    available = {g: int(np.count_nonzero(groups == g)) for g in targets}
    for i in range(1, order.size + 1):
        prefix = groups[order[:i]]
        for g, p in targets.items():
            need = min(math.floor(i * p + 1e-9), available[g])
            assert np.count_nonzero(prefix == g) >= need, (i, g)


def test_det_const_sort_paper_style_example() -> None:
    scores = np.array([10.0, 9.0, 8.0, 7.0, 6.0, 5.0])
    groups = np.array(["m", "m", "m", "m", "f", "f"])
    order = det_const_sort(scores, groups, {"f": 0.5, "m": 0.5}, 4)
    # floor(i/2) of each group by prefix 2 and 4: one 'f' in the top 2, two in the top 4.
    np.testing.assert_array_equal(order, [0, 4, 1, 5])


def test_absent_groups_give_the_score_ranking() -> None:
    scores = np.array([0.3, 0.9, 0.1, 0.5])
    baseline = np.array([1, 3, 0, 2])
    only_a = np.array(["a"] * 4)
    constraint = FairnessConstraint(kind="det_const_sort", target_proportions={"a": 0.5, "b": 0.5})
    for groups in (None, only_a):
        result = fair_rerank(scores, groups, constraint, 10)
        assert isinstance(result, RerankResult)
        np.testing.assert_array_equal(result.order, baseline)
        assert result.changed is False
    fa = FairnessConstraint(kind="fa_ir", protected_group="b", p=0.5)
    # a known label that this pool lacks
    result = fair_rerank(scores, only_a, fa, 3, known_labels=["a", "b"])
    np.testing.assert_array_equal(result.order, baseline[:3])
    assert result.changed is False


def test_fair_rerank_dispatches_to_both_algorithms() -> None:
    scores, groups = biased_pool(seed=1)
    det = fair_rerank(
        scores, groups, FairnessConstraint(kind="det_const_sort", target_proportions=TARGETS), K
    )
    np.testing.assert_array_equal(det.order, det_const_sort(scores, groups, TARGETS, K))
    assert det.changed is True
    fa = fair_rerank(
        scores, groups, FairnessConstraint(kind="fa_ir", protected_group="f", p=0.4), K
    )
    table = fa_ir_minimum_table(K, p=0.4)
    counts = np.cumsum(groups[fa.order] == "f")
    assert np.all(counts >= table)
    assert fa.changed is True


def test_mixed_label_types_are_distinct_groups() -> None:
    scores = np.array([4.0, 3.0, 2.0, 1.0])
    groups = [1, 1, "1", "1"]
    order = det_const_sort(scores, groups, {1: 0.5, "1": 0.5}, 4)
    np.testing.assert_array_equal(order, [0, 2, 1, 3])


def test_constraint_is_a_frozen_audit_record() -> None:
    constraint = FairnessConstraint(kind="det_const_sort", target_proportions={"f": 0.4, "m": 0.6})
    with pytest.raises(dataclasses.FrozenInstanceError):
        constraint.kind = "fa_ir"  # type: ignore[misc]
    with pytest.raises(TypeError):
        constraint.target_proportions["f"] = 1.0  # type: ignore[index]
    assert hash(constraint) == hash(
        FairnessConstraint(kind="det_const_sort", target_proportions={"f": 0.4, "m": 0.6})
    )
    assert json.loads(json.dumps(constraint.to_dict()))["target_proportions"] == [
        ["f", 0.4],
        ["m", 0.6],
    ]
    fa = FairnessConstraint(kind="fa_ir", protected_group="f", p=0.3)
    assert fa.to_dict() == {
        "kind": "fa_ir",
        "target_proportions": None,
        "protected_group": "f",
        "p": 0.3,
        "alpha": 0.1,
        "adjust_alpha": True,
    }


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"kind": "quota"}, ValueError, "kind must be one of"),
        ({"kind": "det_const_sort"}, ValueError, "target_proportions .* is required"),
        (
            {"kind": "det_const_sort", "target_proportions": {"a": 0.5}},
            ValueError,
            "target_proportions must sum to 1",
        ),
        (
            {"kind": "det_const_sort", "target_proportions": {"a": 1.0}, "p": 0.5},
            ValueError,
            "p does not apply to kind='det_const_sort'",
        ),
        ({"kind": "fa_ir", "p": 0.5}, ValueError, "protected_group .* is required"),
        ({"kind": "fa_ir", "p": 0.5, "protected_group": ["f"]}, TypeError, "protected_group must"),
        ({"kind": "fa_ir", "p": 0.5, "protected_group": 1.0}, TypeError, "protected_group must"),
        ({"kind": "fa_ir", "protected_group": "f"}, ValueError, "p .* is required"),
        ({"kind": "fa_ir", "protected_group": "f", "p": 1.0}, ValueError, r"p must be in \(0, 1\)"),
        (
            {"kind": "fa_ir", "protected_group": "f", "p": 0.5, "alpha": 0.0},
            ValueError,
            r"alpha must be in \(0, 1\)",
        ),
        (
            {"kind": "fa_ir", "protected_group": "f", "p": 0.5, "adjust_alpha": 1},
            TypeError,
            "adjust_alpha must be a bool",
        ),
        (
            {"kind": "fa_ir", "protected_group": "f", "p": 0.5, "target_proportions": {"f": 1}},
            ValueError,
            "target_proportions does not apply to kind='fa_ir'",
        ),
    ],
)
def test_constraint_validation(kwargs: dict[str, object], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        FairnessConstraint(**kwargs)  # type: ignore[arg-type]


def test_rerank_input_validation() -> None:
    constraint = FairnessConstraint(kind="det_const_sort", target_proportions=TARGETS)
    with pytest.raises(TypeError, match="constraint must be a FairnessConstraint"):
        fair_rerank([1.0], ["f"], {"kind": "fa_ir"}, 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="groups must have length 2"):
        fair_rerank([1.0, 2.0], ["f"], constraint, 1)
    with pytest.raises(ValueError, match="scores must contain only finite"):
        fair_rerank([1.0, math.nan], ["f", "m"], constraint, 1)
    with pytest.raises(ValueError, match="k must be >= 1"):
        fair_rerank([1.0], ["f"], constraint, 0)
    with pytest.raises(ValueError, match=r"labels \['x'\] that target_proportions"):
        det_const_sort([1.0, 2.0], ["f", "x"], TARGETS, 2)


def test_k_larger_than_pool_and_empty_pool() -> None:
    scores, groups = biased_pool(seed=2, n=7)
    assert det_const_sort(scores, groups, TARGETS, 50).size == 7
    assert det_const_sort(np.array([]), np.array([], dtype=str), TARGETS, 3).size == 0


def _paper_det_const_sort(scores: np.ndarray, groups: np.ndarray, p: dict, k_max: int) -> list:
    """Literal transcription of Geyik et al. (2019) Algorithm 4, 1-based as in the paper.

    It assumes every group has enough candidates, so it is only compared on such inputs.
    """
    n = scores.size
    by_score = sorted(range(n), key=lambda i: (-scores[i], i))
    a = {g: [i for i in by_score if groups[i] == g] for g in p}
    counts = dict.fromkeys(p, 0)
    min_counts = dict.fromkeys(p, 0)
    idx, score, max_indices = [None] * (k_max + 1), [None] * (k_max + 1), [None] * (k_max + 1)
    last_empty, k = 1, 0
    while last_empty <= k_max:
        k += 1
        temp = {g: math.floor(k * p[g] + 1e-9) for g in p}
        changed = sorted(
            (g for g in p if min_counts[g] < temp[g]),
            key=lambda g: (-scores[a[g][counts[g]]], a[g][counts[g]]),
        )
        for g in changed:
            if last_empty > k_max:
                break
            i = a[g][counts[g]]
            idx[last_empty], score[last_empty], max_indices[last_empty] = i, scores[i], k
            start = last_empty
            while start > 1 and max_indices[start - 1] >= start and score[start - 1] < score[start]:
                for arr in (idx, score, max_indices):
                    arr[start - 1], arr[start] = arr[start], arr[start - 1]
                start -= 1
            counts[g] += 1
            last_empty += 1
        if changed:
            min_counts = temp
    return idx[1:]


@pytest.mark.parametrize("seed", range(40))
def test_det_const_sort_matches_the_paper_algorithm(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 20))
    n = int(rng.integers(3 * k, 3 * k + 30))
    groups = np.repeat(np.array(["a", "b", "c"]), [k, k, n - 2 * k])
    rng.shuffle(groups)
    shares = rng.dirichlet([1.0, 1.0, 1.0])
    targets = {"a": float(shares[0]), "b": float(shares[1])}
    targets["c"] = 1.0 - targets["a"] - targets["b"]
    scores = np.round(rng.normal(size=n), 1)
    expected = _paper_det_const_sort(scores, groups, targets, k)
    np.testing.assert_array_equal(det_const_sort(scores, groups, targets, k), expected)
