"""Tests of ranking.det: DetGreedy, DetCons, DetRelaxed and DetConstSort, and pool targets."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ranking import (
    MULTI_GROUP_KINDS,
    FairnessConstraint,
    det_cons,
    det_const_sort,
    det_greedy,
    det_relaxed,
    fair_rerank,
    pool_proportions,
)

ALGORITHMS = [det_greedy, det_cons, det_relaxed, det_const_sort]
FEASIBLE = [det_cons, det_relaxed, det_const_sort]


def meets_minimums(order: np.ndarray, groups: np.ndarray, targets: dict[str, float]) -> bool:
    counts = dict.fromkeys(targets, 0)
    for t, i in enumerate(order, start=1):
        counts[str(groups[i])] += 1
        if any(counts[g] < math.floor(t * p + 1e-9) for g, p in targets.items()):
            return False
    return True


def test_known_answers_two_groups() -> None:
    # a: indices 0-4 (scores 10..6), b: indices 5-7 (5..3); targets a 0.7, b 0.3
    scores = np.array([10, 9, 8, 7, 6, 5, 4, 3], dtype=float)
    groups = np.array(list("aaaaabbb"))
    targets = {"a": 0.7, "b": 0.3}
    # DetGreedy waits for b's minimum (floor(4 * 0.3) = 1) at position 4
    assert det_greedy(scores, groups, targets, 5).tolist() == [0, 1, 2, 5, 3]
    # DetCons places b at 3, where b's maximum (due at ceil(0.9)/0.3 = 3.33) comes before a's
    # (ceil(2.1)/0.7 = 4.29)
    assert det_cons(scores, groups, targets, 5).tolist() == [0, 1, 5, 2, 3]
    assert det_relaxed(scores, groups, targets, 5).tolist() == [0, 1, 5, 2, 3]


def test_det_relaxed_rounds_the_deadline_and_lets_score_decide() -> None:
    groups = np.array(list("cacccacbc"))
    scores = np.arange(9, 0, -1, dtype=float)
    targets = {"a": 0.2, "b": 0.1, "c": 0.7}
    # at position 3, a's deadline is 1/0.2 = 5 and c's 3/0.7 = 4.29: DetCons takes c, while
    # DetRelaxed rounds 4.29 up to 5, ties a with c, and takes the better candidate (a, index 1)
    assert det_cons(scores, groups, targets, 6).tolist() == [0, 2, 3, 1, 4, 6]
    assert det_relaxed(scores, groups, targets, 6).tolist() == [0, 2, 1, 3, 4, 6]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_plain_order_when_the_targets_already_hold(algorithm) -> None:  # type: ignore[no-untyped-def]
    scores = np.array([6, 5, 4, 3, 2, 1], dtype=float)
    groups = np.array(list("ababab"))
    assert algorithm(scores, groups, {"a": 0.5, "b": 0.5}, 6).tolist() == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_errors_name_the_labels(algorithm) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=r"labels \['x'\] that target_proportions"):
        algorithm([1.0, 2.0], ["a", "x"], {"a": 1.0}, 2)
    with pytest.raises(ValueError, match="target_proportions must sum to 1"):
        algorithm([1.0, 2.0], ["a", "b"], {"a": 0.5, "b": 0.2}, 2)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_exhausted_group_and_short_pool(algorithm) -> None:  # type: ignore[no-untyped-def]
    scores = np.array([5, 4, 3, 2], dtype=float)
    groups = np.array(list("aaab"))
    order = algorithm(scores, groups, {"a": 0.2, "b": 0.8}, 10)
    # b has one candidate: after it, a fills the list; nobody is lost or repeated
    assert sorted(order.tolist()) == [0, 1, 2, 3]
    # b's minimum is 1 from position 2 (floor(2 * 0.8))
    assert 3 in order[:2]


pools = st.integers(min_value=2, max_value=5).flatmap(
    lambda m: st.tuples(
        st.just(m),
        st.integers(min_value=1, max_value=25),
        st.lists(st.integers(1, 20), min_size=m, max_size=m),
        st.integers(0, 2**32 - 1),
    )
)


def draw_pool(m: int, k: int, weights: list[int], seed: int):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    names = [f"g{i}" for i in range(m)]
    shares = np.asarray(weights, dtype=float) / sum(weights)
    targets = dict(zip(names, shares.tolist(), strict=True))
    # enough candidates of every group for k positions, plus some extra at random
    groups = np.array([g for g in names for _ in range(k)] + list(rng.choice(names, size=7)))
    rng.shuffle(groups)
    scores = np.round(rng.normal(size=groups.size), 1)  # rounded: ties occur
    return scores, groups, targets, k


@settings(max_examples=300, deadline=None)
@given(pools)
def test_feasible_algorithms_meet_every_prefix_minimum(pool) -> None:  # type: ignore[no-untyped-def]
    scores, groups, targets, k = draw_pool(*pool)
    for algorithm in FEASIBLE:
        order = algorithm(scores, groups, targets, k)
        assert len(set(order.tolist())) == order.size == k
        assert meets_minimums(order, groups, targets), algorithm.__name__


@settings(max_examples=300, deadline=None)
@given(pools)
def test_every_algorithm_keeps_score_order_within_groups(pool) -> None:  # type: ignore[no-untyped-def]
    scores, groups, targets, k = draw_pool(*pool)
    for algorithm in ALGORITHMS:
        order = algorithm(scores, groups, targets, k)
        for label in set(groups.tolist()):
            members = order[groups[order] == label]
            keys = list(zip(-scores[members], members, strict=True))
            assert keys == sorted(keys), algorithm.__name__


def test_det_greedy_can_miss_a_minimum_as_the_paper_says() -> None:
    # Four groups at 0.25: DetGreedy fills positions by score while only maximums bind, and
    # then cannot serve two minimums that rise at the same position.
    rng = np.random.default_rng(3)
    misses = 0
    for _ in range(200):
        scores, groups, targets, k = draw_pool(4, 12, [1, 2, 3, 4], int(rng.integers(2**32)))
        misses += not meets_minimums(det_greedy(scores, groups, targets, k), groups, targets)
    assert misses > 0


def _zero_based_transcription(scores: np.ndarray, groups: np.ndarray, p: dict, k_max: int) -> list:
    """Algorithm 4 with 0-based positions and the swap test kept as printed."""
    by_score = sorted(range(scores.size), key=lambda i: (-scores[i], i))
    a = {g: [i for i in by_score if groups[i] == g] for g in p}
    counts, min_counts = dict.fromkeys(p, 0), dict.fromkeys(p, 0)
    idx: list[int] = []
    max_indices: list[int] = []
    k = 0
    while len(idx) < k_max:
        k += 1
        temp = {g: math.floor(k * p[g] + 1e-9) for g in p}
        changed = sorted(
            (g for g in p if min_counts[g] < temp[g]), key=lambda g: by_score.index(a[g][counts[g]])
        )
        for g in changed:
            if len(idx) == k_max:
                break
            idx.append(a[g][counts[g]])
            max_indices.append(k)
            start = len(idx) - 1
            while (
                start > 0
                and max_indices[start - 1] >= start
                and scores[idx[start - 1]] < scores[idx[start]]
            ):
                idx[start - 1], idx[start] = idx[start], idx[start - 1]
                max_indices[start - 1], max_indices[start] = (
                    max_indices[start],
                    max_indices[start - 1],
                )
                start -= 1
            counts[g] += 1
        if changed:
            min_counts = temp
    return idx


def test_det_const_sort_keeps_minimums_the_zero_based_reading_breaks() -> None:
    rng = np.random.default_rng(11)
    broken = 0
    for _ in range(100):
        scores, groups, targets, k = draw_pool(3, 15, [1, 1, 2], int(rng.integers(2**32)))
        assert meets_minimums(det_const_sort(scores, groups, targets, k), groups, targets)
        literal = np.asarray(_zero_based_transcription(scores, groups, targets, k))
        broken += not meets_minimums(literal, groups, targets)
    assert broken > 0


def test_pool_proportions() -> None:
    assert pool_proportions(["a", "b", "a", "c"]) == {"a": 0.5, "b": 0.25, "c": 0.25}
    with pytest.raises(ValueError, match="at least one label"):
        pool_proportions([])


@pytest.mark.parametrize("kind", sorted(MULTI_GROUP_KINDS))
def test_pool_targets_come_from_the_qualified_candidates(kind: str) -> None:
    # 10 candidates: the top 6 all group a; of the 8 qualified, half are b
    scores = np.arange(10, 0, -1, dtype=float)
    groups = np.array(list("aaaaaabbbb"))
    qualified = np.array([True] * 4 + [False] * 2 + [True] * 4)
    constraint = FairnessConstraint(kind=kind, target_proportions="pool")  # type: ignore[arg-type]
    order = fair_rerank(scores, groups, constraint, 4, qualified=qualified).order
    assert sorted(groups[order].tolist()) == ["a", "a", "b", "b"]
    # over the whole pool b is 40%: floor(4 * 0.4) = 1 b in the top 4
    whole = fair_rerank(scores, groups, constraint, 4).order
    assert (groups[whole] == "b").sum() >= 1


def test_constraint_from_dict_round_trip_and_errors() -> None:
    c = FairnessConstraint(kind="det_cons", target_proportions={"a": 0.25, "b": 0.75})
    assert FairnessConstraint.from_dict(c.to_dict()) == c
    pool = FairnessConstraint.from_dict({"kind": "det_relaxed", "target_proportions": "pool"})
    assert pool.to_dict()["target_proportions"] == "pool"
    with pytest.raises(ValueError, match="'pool'"):
        FairnessConstraint(kind="det_greedy", target_proportions="qualified")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"unknown key\(s\) 'tolerance'"):
        FairnessConstraint.from_dict({"kind": "fa_ir", "tolerance": 1})
    with pytest.raises(ValueError, match="kind must be one of"):
        FairnessConstraint.from_dict({"kind": "det_fancy", "target_proportions": "pool"})


def test_a_typo_in_the_protected_group_is_an_error() -> None:
    constraint = FairnessConstraint(kind="fa_ir", protected_group="femal", p=0.5)
    with pytest.raises(ValueError, match="protected_group 'femal' is not among the labels"):
        fair_rerank([3.0, 2.0, 1.0], ["male", "male", "female"], constraint, 3)
    with pytest.raises(ValueError, match="names group 'femal', which is not a known label"):
        fair_rerank([3.0, 2.0], ["male", "male"], constraint, 2, known_labels=["female", "male"])
    # a pool without any protected candidate is fine when the label is known
    ok = FairnessConstraint(kind="fa_ir", protected_group="female", p=0.5)
    result = fair_rerank([3.0, 2.0], ["male", "male"], ok, 2, known_labels=["female", "male"])
    assert result.order.tolist() == [0, 1]
    typo = FairnessConstraint(kind="det_cons", target_proportions={"femal": 0.5, "male": 0.5})
    with pytest.raises(ValueError, match="'femal'"):
        fair_rerank([3.0, 2.0], ["male", "female"], typo, 2, known_labels=["female", "male"])
