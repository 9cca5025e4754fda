"""Bounded "under equal conditions" priority for hardship-assisted graduates.

Hard rule implemented by :func:`apply_priority`: an assisted candidate may be
ranked above a non-assisted candidate who scored higher **only** when that
candidate's score is higher by *less than* ``policy.tolerance``.  Nothing else
moves: assisted candidates keep their score order among themselves, so do
non-assisted candidates, and ties keep the original index order.  The priority
therefore acts only between candidates whose scores are practically equal; it
never overrides a clear difference in suitability.

The result is the merge of the two groups' score-ordered lists in which the
assisted head goes first exactly when the rule allows it to pass the
non-assisted head.  Because the rule is monotone (if an assisted candidate may
pass someone, it may pass everyone scored lower), that merge realises the
pairwise rule for *every* pair, using the very comparison ``s_b - s_a < tolerance``
that an auditor would check.  (Sorting by ``score + tolerance * assisted`` gives
the same order up to floating-point rounding of the addition.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_bool_mask, as_real_vector, baseline_order, check_bool, check_float

__all__ = ["PriorityPolicy", "PriorityResult", "apply_priority"]

POLICY_NAME = "bounded_equal_conditions_priority"


@dataclass(frozen=True, slots=True)
class PriorityPolicy:
    """Whether the bounded priority is on, and how close scores must be for it to act.

    Parameters
    ----------
    enabled : bool, default=False
        Off unless explicitly switched on.
    tolerance : float, default=0.02
        Finite, >= 0.  An assisted candidate may pass a non-assisted one whose score
        is higher by strictly less than this.  0 means no candidate is ever passed.
    """

    enabled: bool = False
    tolerance: float = 0.02

    def __post_init__(self) -> None:
        check_bool(self.enabled, "enabled")
        tolerance = check_float(self.tolerance, "tolerance")
        if tolerance < 0.0:
            raise ValueError(f"tolerance must be >= 0, got {tolerance}")
        object.__setattr__(self, "enabled", bool(self.enabled))
        object.__setattr__(self, "tolerance", tolerance)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable description for the audit record."""
        return {"policy": POLICY_NAME, "enabled": self.enabled, "tolerance": self.tolerance}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PriorityPolicy:
        """Rebuild a policy from :meth:`to_dict` output (e.g. to replay an audit record)."""
        if data.get("policy") != POLICY_NAME:
            raise ValueError(f"data['policy'] must be {POLICY_NAME!r}, got {data.get('policy')!r}")
        return cls(enabled=data["enabled"], tolerance=data["tolerance"])


class PriorityResult(NamedTuple):
    """Outcome of :func:`apply_priority`.

    Attributes
    ----------
    order : numpy.ndarray of int64, shape (n,)
        Candidate indices in the final ranked order.
    changed : bool
        Whether ``order`` differs from the plain score ranking.
    n_promoted : int
        Number of assisted candidates ranked higher than in the plain score ranking.
    boost_pairs : int
        Number of (assisted, non-assisted) pairs whose relative order the priority
        reversed: the size of the policy's effect, for the audit record.
    """

    order: NDArray[np.int64]
    changed: bool
    n_promoted: int
    boost_pairs: int


def apply_priority(
    scores: ArrayLike, assisted: ArrayLike, policy: PriorityPolicy
) -> PriorityResult:
    """Rank candidates by score with the bounded priority for assisted candidates.

    Parameters
    ----------
    scores : array-like of float, shape (n,)
        Finite scores; higher is better.  Compared in float64.
    assisted : numpy.ndarray of bool, shape (n,)
        True for hardship-assisted candidates.
    policy : PriorityPolicy
        The policy; when disabled the plain score ranking is returned.

    Returns
    -------
    PriorityResult
        The order and what the policy changed.  The plain score ranking sorts by score
        descending with ties in original index order.
    """
    if not isinstance(policy, PriorityPolicy):
        raise TypeError(f"policy must be a PriorityPolicy, got {type(policy).__name__}")
    s = as_real_vector(scores, "scores")
    mask = as_bool_mask(assisted, "assisted", n=s.size)
    baseline = baseline_order(s)
    if not policy.enabled or policy.tolerance == 0.0 or mask.all() or not mask.any():
        return PriorityResult(baseline, False, 0, 0)

    queue_assisted = baseline[mask[baseline]]
    queue_other = baseline[~mask[baseline]]
    rank = np.empty(s.size, dtype=np.int64)
    rank[baseline] = np.arange(s.size)
    tolerance = policy.tolerance
    order = np.empty(s.size, dtype=np.int64)
    i_a = i_o = 0
    for position in range(s.size):
        if i_a == queue_assisted.size:
            order[position:] = queue_other[i_o:]
            break
        if i_o == queue_other.size:
            order[position:] = queue_assisted[i_a:]
            break
        a, b = queue_assisted[i_a], queue_other[i_o]
        # a goes first if it already precedes b, or if b's lead is below the tolerance.
        if rank[a] < rank[b] or s[b] - s[a] < tolerance:
            order[position] = a
            i_a += 1
        else:
            order[position] = b
            i_o += 1

    # Both orders keep the non-assisted candidates in the same relative order, so the
    # pairs an assisted candidate gained are the non-assisted candidates it used to
    # follow minus those it still follows.
    other_in_baseline = (~mask[baseline]).astype(np.int64)
    other_in_final = (~mask[order]).astype(np.int64)
    others_before_baseline = np.cumsum(other_in_baseline) - other_in_baseline
    others_before_final = np.cumsum(other_in_final) - other_in_final
    before_baseline = np.empty(s.size, dtype=np.int64)
    before_final = np.empty(s.size, dtype=np.int64)
    before_baseline[baseline] = others_before_baseline
    before_final[order] = others_before_final
    gained = (before_baseline - before_final)[mask]
    return PriorityResult(
        order,
        not np.array_equal(order, baseline),
        int(np.count_nonzero(gained > 0)),
        int(gained.sum()),
    )
