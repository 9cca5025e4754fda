"""Fair re-ranking of scored candidates: the algorithms and the constraint that picks one.

* :func:`~ranking.det.det_greedy`, :func:`~ranking.det.det_cons`,
  :func:`~ranking.det.det_relaxed` and :func:`~ranking.det.det_const_sort` (Geyik, Ambler,
  Kenthapadi 2019) keep every prefix of the ranking close to target proportions for any
  number of groups; the targets are given, or taken from the qualified pool.
* :func:`~ranking.fa_ir.fa_ir_topk` (Zehlike et al. 2017) guarantees a
  statistically tested minimum share of one protected group.

All keep the relative score order *within* each group: they only decide how
the groups interleave.  :class:`FairnessConstraint` is the policy object, part
of the audit record via :meth:`FairnessConstraint.to_dict`, and
:func:`fair_rerank` applies it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    GroupLabels,
    as_bool_mask,
    as_labels,
    as_real_vector,
    baseline_order,
    check_bool,
    check_float,
    check_k,
    check_proportions,
    label_mask,
)
from .det import det_cons, det_const_sort, det_greedy, det_relaxed, pool_proportions
from .fa_ir import fa_ir_minimum_table, fa_ir_topk

__all__ = [
    "MULTI_GROUP_KINDS",
    "FairnessConstraint",
    "RerankResult",
    "fair_rerank",
]

#: The multi-group algorithms, by the name a :class:`FairnessConstraint` gives them.
MULTI_GROUP_KINDS = {
    "det_greedy": det_greedy,
    "det_cons": det_cons,
    "det_relaxed": det_relaxed,
    "det_const_sort": det_const_sort,
}

#: ``target_proportions`` that asks for each group's share of the qualified pool.
POOL = "pool"


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


Kind = Literal["det_greedy", "det_cons", "det_relaxed", "det_const_sort", "fa_ir"]


@dataclass(frozen=True, slots=True)
class FairnessConstraint:
    """Which fair re-ranking to apply, with its parameters (a policy, part of the audit record).

    Parameters
    ----------
    kind : {"det_greedy", "det_cons", "det_relaxed", "det_const_sort", "fa_ir"}
        The algorithm: one of the multi-group algorithms of :mod:`ranking.det`, or FA*IR for
        one protected group.
    target_proportions : Mapping[hashable, float] or "pool", optional
        Multi-group kinds only (required there): the desired share of every group, summing to
        1 (stored as a read-only copy), or ``"pool"`` for each group's share of the qualified
        candidates that :func:`fair_rerank` is given.
    protected_group : hashable, optional
        ``fa_ir`` only (required there): the label of the protected group.
    p : float, optional
        ``fa_ir`` only (required there): target minimum protected share, in (0, 1).
    alpha : float, optional
        ``fa_ir`` only: significance level in (0, 1); defaults to 0.1.
    adjust_alpha : bool, optional
        ``fa_ir`` only: use the multiple-test corrected table; defaults to True.

    Parameters of the other algorithms must be left as ``None``: a value that would
    silently be ignored is refused instead.
    """

    kind: Kind
    target_proportions: Mapping[Any, float] | Literal["pool"] | None = field(
        default=None, hash=False
    )
    protected_group: Hashable | None = None
    p: float | None = None
    alpha: float | None = None
    adjust_alpha: bool | None = None

    def __post_init__(self) -> None:
        if self.kind in MULTI_GROUP_KINDS:
            self._check_unused(("protected_group", "p", "alpha", "adjust_alpha"))
            if self.target_proportions is None:
                raise ValueError(
                    f"target_proportions (a mapping of group -> share, or 'pool') is required "
                    f"for kind={self.kind!r}"
                )
            if isinstance(self.target_proportions, str):
                if self.target_proportions != POOL:
                    raise ValueError(
                        "target_proportions must be a mapping of group -> share or 'pool', "
                        f"got {self.target_proportions!r}"
                    )
            else:
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
            allowed = ", ".join(repr(k) for k in (*MULTI_GROUP_KINDS, "fa_ir"))
            raise ValueError(f"kind must be one of {allowed}, got {self.kind!r}")

    def _check_unused(self, names: tuple[str, ...]) -> None:
        for name in names:
            if getattr(self, name) is not None:
                raise ValueError(
                    f"{name} does not apply to kind={self.kind!r}; leave it None "
                    f"(got {getattr(self, name)!r})"
                )

    @property
    def groups_named(self) -> tuple[Hashable, ...]:
        """The group labels the constraint names (its targets' keys, or the protected group)."""
        if isinstance(self.target_proportions, Mapping):
            return tuple(self.target_proportions)
        return () if self.protected_group is None else (self.protected_group,)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data description for audit logs (JSON-serialisable for str/int labels)."""
        targets = self.target_proportions
        return {
            "kind": self.kind,
            "target_proportions": (
                [[g, v] for g, v in targets.items()] if isinstance(targets, Mapping) else targets
            ),
            "protected_group": self.protected_group,
            "p": self.p,
            "alpha": self.alpha,
            "adjust_alpha": self.adjust_alpha,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FairnessConstraint:
        """Rebuild a constraint from :meth:`to_dict` output or a JSON body.

        ``target_proportions`` may be a mapping, ``[[group, share], ...]`` pairs or ``"pool"``;
        keys other than the constructor's parameters are refused by name.
        """
        if not isinstance(data, Mapping):
            raise TypeError(f"a fairness constraint must be a mapping, got {type(data).__name__}")
        known = {"kind", "target_proportions", "protected_group", "p", "alpha", "adjust_alpha"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(
                f"unknown key(s) {', '.join(map(repr, unknown))}; "
                f"allowed: {', '.join(sorted(known))}"
            )
        if "kind" not in data:
            raise ValueError("kind is required")
        values = dict(data)
        targets = values.get("target_proportions")
        if isinstance(targets, list):
            try:
                values["target_proportions"] = dict(targets)
            except (TypeError, ValueError):
                raise ValueError(
                    "target_proportions as a list must hold [group, share] pairs"
                ) from None
        return cls(**values)


def fair_rerank(
    scores: ArrayLike,
    groups: GroupLabels | None,
    constraint: FairnessConstraint,
    k: int,
    *,
    qualified: ArrayLike | None = None,
    known_labels: Iterable[Hashable] | None = None,
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
    qualified : array-like of bool, shape (n,), optional
        Which candidates form the qualified pool that ``target_proportions="pool"`` takes its
        shares from; all of them by default (or when none is qualified).
    known_labels : iterable of hashable, optional
        Every label the attribute can produce. The groups the constraint names must be among
        them, so that a typo is an error while a pool that happens to hold none of a group is
        not. Without it, FA*IR's protected group must occur in ``groups``.

    Raises
    ------
    ValueError
        A group the constraint names is unknown (it names the group and the labels known).

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
    if groups is None or s.size == 0:
        return RerankResult(baseline, False)
    labels = as_labels(groups, "groups", n=s.size)
    if known_labels is not None:
        universe = set(known_labels)
        unknown = [g for g in constraint.groups_named if g not in universe]
        if unknown:
            raise ValueError(
                f"the constraint names group {unknown[0]!r}, which is not a known label "
                f"(known: {sorted(map(str, universe))})"
            )
    elif constraint.kind == "fa_ir" and constraint.protected_group not in set(labels.tolist()):
        raise ValueError(
            f"protected_group {constraint.protected_group!r} is not among the labels of groups "
            f"({sorted(map(str, set(labels.tolist())))}); pass known_labels to allow a pool "
            "without it"
        )
    if constraint.kind == "fa_ir":
        assert constraint.p is not None and constraint.alpha is not None
        order = fa_ir_topk(
            s,
            label_mask(labels, constraint.protected_group),
            k,
            p=constraint.p,
            alpha=constraint.alpha,
            adjust_alpha=bool(constraint.adjust_alpha),
        )
    else:
        targets = constraint.target_proportions
        if not isinstance(targets, Mapping):
            mask = None if qualified is None else as_bool_mask(qualified, "qualified", n=s.size)
            pool = labels if mask is None or not mask.any() else labels[mask]
            targets = pool_proportions(pool)
            # groups outside the qualified pool get no share of their own
            targets.update({g: 0.0 for g in labels.tolist() if g not in targets})
        order = MULTI_GROUP_KINDS[constraint.kind](s, labels, targets, k)
    return RerankResult(order, not np.array_equal(order, baseline))
