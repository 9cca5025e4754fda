"""Fair re-ranking of scored candidates: DetConstSort, FA*IR and the policy that picks one.

* :func:`det_const_sort` (Geyik, Ambler, Kenthapadi 2019, *Fairness-Aware Ranking
  in Search & Recommendation Systems*, KDD) keeps every prefix of the ranking
  close to target proportions for any number of groups.
* :func:`~ranking.fa_ir.fa_ir_topk` (Zehlike et al. 2017) guarantees a
  statistically tested minimum share of one protected group.

Both keep the relative score order *within* each group: they only decide how
the groups interleave.  :class:`FairnessConstraint` is the policy object, part
of the audit record via :meth:`FairnessConstraint.to_dict`, and
:func:`fair_rerank` applies it.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    GroupLabels,
    as_labels,
    as_real_vector,
    baseline_order,
    check_bool,
    check_float,
    check_k,
    check_proportions,
    group_positions,
    label_mask,
)
from .fa_ir import fa_ir_minimum_table, fa_ir_topk

__all__ = [
    "FairnessConstraint",
    "RerankResult",
    "det_const_sort",
    "fa_ir_minimum_table",
    "fa_ir_topk",
    "fair_rerank",
]

# floor(step * p) is computed with this slack so that, e.g., 100 * 0.29 (which is
# 28.999999999999996 in binary floating point) counts as 29.
_FLOOR_SLACK = 1e-9


class RerankResult(NamedTuple):
    """Outcome of :func:`fair_rerank`.

    Attributes
    ----------
    order : numpy.ndarray of int64
        Candidate indices in the new ranked order, ``min(k, n)`` of them.
    changed : bool
        Whether ``order`` differs from the plain score ranking's top ``min(k, n)``.
    """

    order: NDArray[np.int64]
    changed: bool


def det_const_sort(
    scores: ArrayLike,
    groups: GroupLabels,
    target_proportions: Mapping[Any, float],
    k: int,
) -> NDArray[np.int64]:
    """Re-rank so every prefix meets ``floor(i * p_g)`` minimum counts (DetConstSort).

    Candidates are added whenever a group's minimum count ``floor(i * p_g)`` rises
    for the prefix length ``i``; each is then moved up past lower-scored candidates
    as long as they stay within the position at which their own minimum required
    them (Geyik et al. 2019, Algorithm 4).  Candidates of groups whose targets are
    already met, or whose target is 0, fill any remaining positions by score.

    Parameters
    ----------
    scores : array-like of float, shape (n,)
        Finite scores; higher is better.
    groups : array-like of shape (n,)
        Group label of each candidate; every label must be a key of
        ``target_proportions``.
    target_proportions : Mapping[hashable, float]
        Desired share of each group, in [0, 1], summing to 1.  Groups with no
        candidates are allowed and simply cannot be represented.
    k : int
        Number of positions to fill, >= 1.

    Returns
    -------
    numpy.ndarray of int64, shape (min(k, n),)
        Candidate indices in ranked order; within a group, score order (ties by index)
        is preserved.
    """
    s = as_real_vector(scores, "scores")
    labels = as_labels(groups, "groups", n=s.size)
    targets = check_proportions(target_proportions, "target_proportions")
    k = check_k(k)
    baseline = baseline_order(s)
    positions = group_positions(labels[baseline])
    unknown = [label for label in positions if label not in targets]
    if unknown:
        raise ValueError(
            f"groups contains labels {unknown} that target_proportions {targets} does not cover"
        )
    # Each group's candidates in baseline order (score descending, ties by index).
    queues = {label: baseline[pos] for label, pos in positions.items()}
    rank = np.empty(s.size, dtype=np.int64)
    rank[baseline] = np.arange(s.size)
    length = min(k, s.size)
    placed: list[int] = []
    max_index: list[int] = []
    taken = dict.fromkeys(queues, 0)
    minimum = dict.fromkeys(queues, 0)
    step = 0

    def active() -> list[Hashable]:
        return [g for g in queues if targets[g] > 0 and taken[g] < queues[g].size]

    while len(placed) < length and (groups_left := active()):
        # Jump straight to the next prefix length at which some active group's minimum
        # rises; the steps in between add nobody.
        step = max(
            step + 1,
            min(math.ceil((minimum[g] + 1 - _FLOOR_SLACK) / targets[g]) for g in groups_left),
        )
        new_minimum = {g: math.floor(step * targets[g] + _FLOOR_SLACK) for g in queues}
        rising = [g for g in groups_left if new_minimum[g] > minimum[g]]
        rising.sort(key=lambda g: rank[queues[g][taken[g]]])
        for g in rising:
            if len(placed) == length:
                break
            placed.append(int(queues[g][taken[g]]))
            max_index.append(step)
            taken[g] += 1
            # Bubble the newcomer up past lower-scored candidates that may still move
            # down one position without exceeding the rank their minimum allowed.
            pos = len(placed) - 1
            while pos > 0 and max_index[pos - 1] >= pos + 1 and s[placed[pos - 1]] < s[placed[pos]]:
                placed[pos - 1], placed[pos] = placed[pos], placed[pos - 1]
                max_index[pos - 1], max_index[pos] = max_index[pos], max_index[pos - 1]
                pos -= 1
        minimum = new_minimum
    if len(placed) < length:
        rest = [g for g in queues if taken[g] < queues[g].size]
        leftovers = np.concatenate([queues[g][taken[g] :] for g in rest])
        leftovers = leftovers[np.argsort(rank[leftovers], kind="stable")]
        placed.extend(int(i) for i in leftovers[: length - len(placed)])
    return np.asarray(placed, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class FairnessConstraint:
    """Which fair re-ranking to apply, with its parameters (a policy, part of the audit record).

    Parameters
    ----------
    kind : {"det_const_sort", "fa_ir"}
        The algorithm.
    target_proportions : Mapping[hashable, float], optional
        ``det_const_sort`` only (required there): desired share of every group, summing
        to 1.  Stored as a read-only copy.
    protected_group : hashable, optional
        ``fa_ir`` only (required there): the label of the protected group.
    p : float, optional
        ``fa_ir`` only (required there): target minimum protected share, in (0, 1).
    alpha : float, optional
        ``fa_ir`` only: significance level in (0, 1); defaults to 0.1.
    adjust_alpha : bool, optional
        ``fa_ir`` only: use the multiple-test corrected level; defaults to True.

    Parameters of the other algorithm must be left as ``None``: a value that would
    silently be ignored is refused instead.
    """

    kind: Literal["det_const_sort", "fa_ir"]
    target_proportions: Mapping[Any, float] | None = field(default=None, hash=False)
    protected_group: Hashable | None = None
    p: float | None = None
    alpha: float | None = None
    adjust_alpha: bool | None = None

    def __post_init__(self) -> None:
        if self.kind == "det_const_sort":
            self._check_unused(("protected_group", "p", "alpha", "adjust_alpha"))
            if self.target_proportions is None:
                raise ValueError("target_proportions is required for kind='det_const_sort'")
            targets = check_proportions(self.target_proportions, "target_proportions")
            object.__setattr__(self, "target_proportions", MappingProxyType(targets))
        elif self.kind == "fa_ir":
            self._check_unused(("target_proportions",))
            if self.protected_group is None:
                raise ValueError("protected_group (a group label) is required for kind='fa_ir'")
            # Same rule as for the labels in `groups`: float labels (NaN != NaN) are refused.
            if isinstance(self.protected_group, float) or not isinstance(
                self.protected_group, Hashable
            ):
                raise TypeError(
                    "protected_group must be a hashable str, int or bool label, "
                    f"got {self.protected_group!r}"
                )
            if self.p is None:
                raise ValueError("p (target protected share in (0, 1)) is required for 'fa_ir'")
            alpha = 0.1 if self.alpha is None else self.alpha
            adjust = (
                True if self.adjust_alpha is None else check_bool(self.adjust_alpha, "adjust_alpha")
            )
            # Validates p and alpha with the same rules as the algorithm itself.
            fa_ir_minimum_table(1, p=self.p, alpha=alpha, adjust_alpha=adjust)
            object.__setattr__(self, "p", check_float(self.p, "p"))
            object.__setattr__(self, "alpha", check_float(alpha, "alpha"))
            object.__setattr__(self, "adjust_alpha", adjust)
        else:
            raise ValueError(f"kind must be 'det_const_sort' or 'fa_ir', got {self.kind!r}")

    def _check_unused(self, names: tuple[str, ...]) -> None:
        for name in names:
            if getattr(self, name) is not None:
                raise ValueError(
                    f"{name} does not apply to kind={self.kind!r}; leave it None "
                    f"(got {getattr(self, name)!r})"
                )

    def to_dict(self) -> dict[str, Any]:
        """Plain-data description for audit logs (JSON-serialisable for str/int labels)."""
        targets = self.target_proportions
        return {
            "kind": self.kind,
            "target_proportions": None if targets is None else [[g, v] for g, v in targets.items()],
            "protected_group": self.protected_group,
            "p": self.p,
            "alpha": self.alpha,
            "adjust_alpha": self.adjust_alpha,
        }


def fair_rerank(
    scores: ArrayLike,
    groups: GroupLabels | None,
    constraint: FairnessConstraint,
    k: int,
) -> RerankResult:
    """Apply a :class:`FairnessConstraint` to scored candidates.

    Parameters
    ----------
    scores : array-like of float, shape (n,)
        Finite scores; higher is better.
    groups : array-like of shape (n,) or None
        Group label of each candidate.  ``None`` (group data unavailable) returns the
        plain score ranking unchanged.
    constraint : FairnessConstraint
        The policy.
    k : int
        Number of positions to fill, >= 1.

    Returns
    -------
    RerankResult
        ``order`` (``min(k, n)`` indices) and whether it differs from the plain score
        ranking.
    """
    if not isinstance(constraint, FairnessConstraint):
        raise TypeError(f"constraint must be a FairnessConstraint, got {type(constraint).__name__}")
    s = as_real_vector(scores, "scores")
    k = check_k(k)
    baseline = baseline_order(s)[:k]
    if groups is None:
        return RerankResult(baseline, False)
    labels = as_labels(groups, "groups", n=s.size)
    if constraint.kind == "det_const_sort":
        assert constraint.target_proportions is not None  # guaranteed by __post_init__
        order = det_const_sort(s, labels, constraint.target_proportions, k)
    else:
        assert constraint.p is not None and constraint.alpha is not None
        order = fa_ir_topk(
            s,
            label_mask(labels, constraint.protected_group),
            k,
            p=constraint.p,
            alpha=constraint.alpha,
            adjust_alpha=bool(constraint.adjust_alpha),
        )
    return RerankResult(order, not np.array_equal(order, baseline))
