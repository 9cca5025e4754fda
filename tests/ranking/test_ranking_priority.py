"""Tests of ranking.priority: the bounded "under equal conditions" priority."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest

from ranking import PriorityPolicy, PriorityResult, apply_priority

ON = PriorityPolicy(enabled=True, tolerance=0.02)


def test_known_answer() -> None:
    scores = np.array([1.0, 0.99, 0.98, 0.5])
    assisted = np.array([False, False, True, True])
    result = apply_priority(scores, assisted, ON)
    assert isinstance(result, PriorityResult)
    # 0.98 may pass 0.99 (lead 0.01 < 0.02) but not 1.0 (lead 0.02 is not < 0.02)
    np.testing.assert_array_equal(result.order, [0, 2, 1, 3])
    assert result.order.dtype == np.int64
    assert result.changed is True
    assert result.n_promoted == 1
    assert result.boost_pairs == 1


def test_a_lead_of_exactly_the_tolerance_is_never_overturned() -> None:
    # Dyadic values are exact in binary, so the gap is exactly the tolerance.
    scores = np.array([0.5, 0.25])
    assisted = np.array([False, True])
    kept = apply_priority(scores, assisted, PriorityPolicy(enabled=True, tolerance=0.25))
    np.testing.assert_array_equal(kept.order, [0, 1])
    assert kept.changed is False and kept.boost_pairs == 0
    passed = apply_priority(scores, assisted, PriorityPolicy(enabled=True, tolerance=0.2500001))
    np.testing.assert_array_equal(passed.order, [1, 0])


def test_disabled_or_zero_tolerance_is_the_score_ranking() -> None:
    scores = np.array([0.2, 0.9, 0.9, 0.5])
    assisted = np.array([True, False, True, False])
    for policy in (
        PriorityPolicy(),
        PriorityPolicy(enabled=False, tolerance=1.0),
        PriorityPolicy(enabled=True, tolerance=0.0),
    ):
        result = apply_priority(scores, assisted, policy)
        np.testing.assert_array_equal(result.order, [1, 2, 3, 0])  # ties by index
        assert (result.changed, result.n_promoted, result.boost_pairs) == (False, 0, 0)


def test_equal_scores_favour_the_assisted_candidate_when_enabled() -> None:
    scores = np.array([0.7, 0.7])
    assisted = np.array([False, True])
    np.testing.assert_array_equal(apply_priority(scores, assisted, ON).order, [1, 0])
    np.testing.assert_array_equal(apply_priority(scores, assisted, PriorityPolicy()).order, [0, 1])


def test_empty_and_single_class_inputs() -> None:
    assert apply_priority(np.array([]), np.array([], dtype=bool), ON).order.size == 0
    scores = np.array([0.1, 0.3])
    for flags in ([True, True], [False, False]):
        result = apply_priority(scores, np.array(flags), ON)
        np.testing.assert_array_equal(result.order, [1, 0])
        assert result.changed is False


def _check_pairwise_rule(scores: np.ndarray, assisted: np.ndarray, tol: float, order: np.ndarray):
    n = scores.size
    baseline = np.argsort(-scores, kind="stable")
    base_pos = np.empty(n, dtype=np.int64)
    base_pos[baseline] = np.arange(n)
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n)
    flipped = 0
    promoted = set()
    for i in range(n):
        for j in range(n):
            if i == j or base_pos[i] > base_pos[j]:
                continue  # look at each pair once, with i ahead of j in the score ranking
            if assisted[i] == assisted[j] or assisted[i]:
                assert pos[i] < pos[j], "only an assisted candidate may pass, and only upwards"
            else:  # j is assisted, i is not and scored at least as high
                allowed = scores[i] - scores[j] < tol
                assert (pos[j] < pos[i]) == allowed, (scores[i], scores[j], tol)
                if allowed:
                    flipped += 1
                    promoted.add(j)
    return flipped, len(promoted)


@pytest.mark.parametrize("seed", range(300))
def test_pairwise_bound_property(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 40))
    if seed % 3 == 0:
        scores = rng.integers(0, 40, size=n) / 64  # coarse grid: many ties and exact gaps
        tol = float(rng.integers(0, 5)) / 64
    else:
        scores = rng.random(n)
        tol = float(rng.choice([0.0, 0.01, 0.02, 0.05, 0.2, rng.random() / 4]))
    assisted = rng.random(n) < rng.random()
    result = apply_priority(scores, assisted, PriorityPolicy(enabled=True, tolerance=tol))
    assert sorted(result.order.tolist()) == list(range(n))
    flipped, promoted = _check_pairwise_rule(scores, assisted, tol, result.order)
    assert result.boost_pairs == flipped
    assert result.n_promoted == promoted
    assert result.changed == (flipped > 0)
    if seed % 3 == 0:
        # On a dyadic grid the additions are exact: the order is a sort by
        # score + tol * assisted.  A key tie between classes means a lead of exactly
        # tol, which the non-assisted candidate keeps; with tol == 0 it means equal
        # scores, where the original index decides as in the plain ranking.
        tie_break = assisted if tol > 0 else np.zeros(n, dtype=bool)
        keys = np.lexsort((np.arange(n), tie_break, -(scores + tol * assisted)))
        np.testing.assert_array_equal(result.order, keys)


def test_policy_is_frozen_and_auditable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ON.tolerance = 0.5  # type: ignore[misc]
    record = ON.to_dict()
    assert record == {
        "policy": "bounded_equal_conditions_priority",
        "enabled": True,
        "tolerance": 0.02,
    }
    assert PriorityPolicy.from_dict(json.loads(json.dumps(record))) == ON
    assert PriorityPolicy().enabled is False and PriorityPolicy().tolerance == 0.02
    assert PriorityPolicy(enabled=np.bool_(True), tolerance=1).to_dict()["enabled"] is True


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"tolerance": -0.01}, ValueError, "tolerance must be >= 0, got -0.01"),
        ({"tolerance": math.nan}, ValueError, "tolerance must be finite"),
        ({"tolerance": math.inf}, ValueError, "tolerance must be finite"),
        ({"tolerance": True}, TypeError, "tolerance must be a real number"),
        ({"tolerance": "0.1"}, TypeError, "tolerance must be a real number"),
        ({"enabled": 1}, TypeError, "enabled must be a bool"),
    ],
)
def test_policy_validation(kwargs: dict[str, object], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        PriorityPolicy(**kwargs)  # type: ignore[arg-type]


def test_apply_priority_validation() -> None:
    with pytest.raises(TypeError, match="assisted must be a bool array"):
        apply_priority(np.array([0.1, 0.2]), np.array([0, 1]), ON)
    with pytest.raises(ValueError, match="assisted must be 1-D of length 2"):
        apply_priority(np.array([0.1, 0.2]), np.array([True]), ON)
    with pytest.raises(TypeError, match="policy must be a PriorityPolicy"):
        apply_priority(np.array([0.1]), np.array([True]), {"enabled": True})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scores must contain only finite"):
        apply_priority(np.array([np.nan]), np.array([True]), ON)
    with pytest.raises(ValueError, match="from_dict|data\\['policy'\\]"):
        PriorityPolicy.from_dict({"policy": "other", "enabled": True, "tolerance": 0.1})
