"""Group-fairness metrics of rankings and selections.

Groups are given as 1-D arrays of hashable labels (str, int or bool), one per
ranked or selected item, in ranked order where order matters.  References:

* Geyik, Ambler, Kenthapadi (2019), *Fairness-Aware Ranking in Search &
  Recommendation Systems with Application to LinkedIn Talent Search*, KDD:
  ``skew_at_k`` and ``ndkl``.
* Singh, Joachims (2018), *Fairness of Exposure in Rankings*, KDD: position-based
  exposure ``1 / log2(1 + rank)``.
* The US EEOC "four-fifths rule" (29 CFR 1607.4(D)): an ``impact_ratio`` below 0.8
  is commonly read as evidence of adverse impact.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    GroupLabels,
    as_labels,
    as_real_vector,
    check_float,
    check_k,
    check_proportions,
    label_mask,
)

__all__ = [
    "FOUR_FIFTHS",
    "exposure_ratio",
    "exposure_ratios",
    "group_exposures",
    "impact_ratio",
    "impact_ratios",
    "ndkl",
    "selection_rates",
    "skew_at_k",
]

#: Threshold of the four-fifths rule for :func:`impact_ratio`.
FOUR_FIFTHS = 0.8


def _nonempty_labels(value: object, name: str) -> NDArray[Any]:
    labels = as_labels(value, name)
    if labels.size == 0:
        raise ValueError(f"{name} must contain at least one item, got an empty array")
    return labels


def _position_exposure(n: int) -> NDArray[np.float64]:
    """Exposure ``1 / log2(1 + rank)`` of ranks 1..n."""
    return 1.0 / np.log2(np.arange(2, n + 2, dtype=np.float64))


def skew_at_k(
    groups_ranked: GroupLabels, group: Hashable, target_proportion: float, k: int
) -> float:
    """Log-ratio of a group's share of the top ``k`` to its target share (Geyik et al. 2019).

    Parameters
    ----------
    groups_ranked : array-like of shape (n_ranked,)
        Group label of each item, in ranked order.
    group : hashable
        The group whose skew is measured.
    target_proportion : float
        Its desired share, in ``(0, 1]``.
    k : int
        Cut-off, >= 1; a ranking shorter than ``k`` is measured over all its items.

    Returns
    -------
    float
        ``ln(share_in_top_k / target_proportion)``: 0 is exactly on target, negative is
        under-represented, ``-inf`` when the group is ranked but none of it in the top ``k``.

    Raises
    ------
    ValueError
        ``group`` is not in the ranking at all (a typo, or a group with no candidates).
    """
    labels = _nonempty_labels(groups_ranked, "groups_ranked")
    k = check_k(k)
    target = check_float(target_proportion, "target_proportion")
    if not 0.0 < target <= 1.0:
        raise ValueError(f"target_proportion must be in (0, 1], got {target}")
    if not label_mask(labels, group).any():
        raise ValueError(
            f"group {group!r} is not among the ranked labels "
            f"(they are: {sorted(set(map(repr, labels.tolist())))})"
        )
    top = labels[:k]
    share = float(np.count_nonzero(label_mask(top, group))) / top.size
    return -math.inf if share == 0.0 else math.log(share / target)


def ndkl(groups_ranked: GroupLabels, target_proportions: Mapping[Any, float]) -> float:
    """Normalised discounted KL divergence of a ranking from target proportions.

    ``NDKL = (1/Z) * sum_i d_KL(D_i || D) / log2(i + 1)`` over every prefix ``i`` of the
    ranking, where ``D_i`` is the group distribution of the top ``i`` items, ``D`` the
    target distribution and ``Z = sum_i 1 / log2(i + 1)`` (Geyik et al. 2019).  The KL
    divergence uses the natural logarithm and ``0 * log 0 = 0``.

    Parameters
    ----------
    groups_ranked : array-like of shape (n_ranked,)
        Group label of each item, in ranked order.
    target_proportions : Mapping[hashable, float]
        Desired share of each group, in [0, 1], summing to 1.  Every group that occurs
        in ``groups_ranked`` needs a positive share (otherwise the divergence is infinite).

    Returns
    -------
    float
        ``>= 0``; 0 means every prefix matches the targets exactly.
    """
    labels = _nonempty_labels(groups_ranked, "groups_ranked")
    targets = check_proportions(target_proportions, "target_proportions")
    names = list(targets)
    index = {name: j for j, name in enumerate(names)}
    columns = np.empty(labels.size, dtype=np.int64)
    for position, label in enumerate(labels.tolist()):
        j = index.get(label)
        if j is None or targets[label] == 0.0:
            raise ValueError(
                f"groups_ranked contains group {label!r}, which has no positive share in "
                f"target_proportions {targets}"
            )
        columns[position] = j
    one_hot = np.zeros((labels.size, len(names)), dtype=np.float64)
    one_hot[np.arange(labels.size), columns] = 1.0
    prefix_sizes = np.arange(1, labels.size + 1, dtype=np.float64)[:, None]
    observed = np.cumsum(one_hot, axis=0) / prefix_sizes
    target = np.asarray([targets[name] for name in names], dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(observed > 0, observed * np.log(observed / target), 0.0)
    kl = terms.sum(axis=1)
    weights = _position_exposure(labels.size)
    return float(np.dot(weights, kl) / weights.sum())


def exposure_ratio(
    groups_ranked: GroupLabels,
    protected: Hashable,
    *,
    scores: ArrayLike | None = None,
) -> float:
    """Mean position-based exposure of the protected group relative to everyone else.

    Exposure at rank ``r`` (counted from 1) is ``1 / log2(1 + r)``.

    Parameters
    ----------
    groups_ranked : array-like of shape (n_ranked,)
        Group label of each item, in ranked order.
    protected : hashable
        Label of the protected group; all other labels form the comparison group.
    scores : array-like of shape (n_ranked,), optional
        Non-negative merit of each ranked item.  When given, each group's mean exposure
        is divided by its mean merit first (exposure per unit of merit, the "disparate
        treatment" ratio of Singh & Joachims 2018), so a group that deserves less
        exposure is not counted as treated unfairly for getting less.

    Returns
    -------
    float
        1.0 is parity; below 1.0 the protected group receives less exposure (per merit).

    Raises
    ------
    ValueError
        If either group is absent, or (with ``scores``) a group's mean merit is 0.
    """
    labels = _nonempty_labels(groups_ranked, "groups_ranked")
    is_protected = label_mask(labels, protected)
    if not is_protected.any() or is_protected.all():
        raise ValueError(
            f"groups_ranked must contain both the protected group {protected!r} and others; "
            f"it has {int(is_protected.sum())} protected of {labels.size} items"
        )
    exposure = _position_exposure(labels.size)
    exp_protected = float(exposure[is_protected].mean())
    exp_other = float(exposure[~is_protected].mean())
    if scores is None:
        return exp_protected / exp_other
    merit = as_real_vector(scores, "scores", n=labels.size, nonnegative=True)
    merit_protected = float(merit[is_protected].mean())
    merit_other = float(merit[~is_protected].mean())
    if merit_protected == 0.0 or merit_other == 0.0:
        raise ValueError(
            "scores must give each group a positive mean merit, got "
            f"protected={merit_protected}, others={merit_other}"
        )
    return (exp_protected / merit_protected) / (exp_other / merit_other)


def selection_rates(groups_selected: GroupLabels, groups_pool: GroupLabels) -> dict[Any, float]:
    """Each group's selection rate: how many of its pooled candidates were selected.

    Parameters
    ----------
    groups_selected : array-like of shape (n_selected,)
        Group label of each selected candidate (may be empty).
    groups_pool : array-like of shape (n_pool,)
        Group label of every candidate who could have been selected; the selected
        candidates are part of it.

    Returns
    -------
    dict
        Label -> selected / pooled, for every group of the pool, in order of first appearance.

    Raises
    ------
    ValueError
        A selected label is not in the pool (it names the label), or a group has more
        selected than pooled candidates.
    """
    selected = as_labels(groups_selected, "groups_selected")
    pool = _nonempty_labels(groups_pool, "groups_pool")
    pooled = _counts(pool)
    chosen = _counts(selected)
    unknown = [g for g in chosen if g not in pooled]
    if unknown:
        raise ValueError(
            f"groups_selected has label {unknown[0]!r}, which is not in groups_pool "
            f"(its labels: {list(pooled)})"
        )
    for group, n in chosen.items():
        if n > pooled[group]:
            raise ValueError(
                f"groups_selected must be a subset of groups_pool: {n} of group {group!r} "
                f"selected, {pooled[group]} pooled"
            )
    return {g: chosen.get(g, 0) / n for g, n in pooled.items()}


def impact_ratios(groups_selected: GroupLabels, groups_pool: GroupLabels) -> dict[Any, float]:
    """Each group's impact ratio under the four-fifths rule, for any number of groups.

    The selection rate of each group divided by the rate of the most selected group
    (29 CFR 1607.4(D); the impact ratio of NYC Local Law 144 bias audits). A group below
    :data:`FOUR_FIFTHS` (0.8) shows adverse impact. With rates 0.30, 0.60 and 0 the ratios
    are 0.5, 1.0 and 0.0: dividing by the pooled rate of everyone else instead would give the
    first group 1.0 and hide it.

    Returns
    -------
    dict
        Label -> ratio in [0, 1], for every group of the pool; NaN for all when nobody was
        selected.

    Raises
    ------
    ValueError
        As :func:`selection_rates`.
    """
    rates = selection_rates(groups_selected, groups_pool)
    top = max(rates.values())
    return {g: (r / top if top > 0 else math.nan) for g, r in rates.items()}


def impact_ratio(groups_selected: GroupLabels, groups_pool: GroupLabels, group: Hashable) -> float:
    """One group's impact ratio under the four-fifths rule (see :func:`impact_ratios`).

    Parameters
    ----------
    groups_selected, groups_pool : array-like
        As :func:`selection_rates`.
    group : hashable
        The group whose ratio is returned; it must be in the pool.

    Returns
    -------
    float
        Its selection rate divided by that of the most selected group: 1.0 is the most
        selected, below :data:`FOUR_FIFTHS` (0.8) fails the four-fifths rule; NaN when nobody
        was selected.

    Raises
    ------
    ValueError
        ``group`` is not in the pool (it names the label and lists those there), or as
        :func:`selection_rates`.
    """
    ratios = impact_ratios(groups_selected, groups_pool)
    if group not in ratios:
        raise ValueError(f"group {group!r} is not in groups_pool (its labels: {list(ratios)})")
    return ratios[group]


def group_exposures(groups_ranked: GroupLabels, groups_pool: GroupLabels) -> dict[Any, float]:
    """Each group's exposure per pooled candidate in a ranking of part of the pool.

    Exposure at rank ``r`` (from 1) is ``1 / log2(1 + r)``; a pooled candidate left out of
    the ranking gets none. A group's figure is the sum over its ranked members divided by its
    size in the pool, so that a group with more candidates is expected to collect more.

    Parameters
    ----------
    groups_ranked : array-like of shape (n_ranked,)
        Group label of each ranked candidate, in ranked order (the top k shown).
    groups_pool : array-like of shape (n_pool,)
        Group label of every candidate who could have been ranked; the ranked ones among them.

    Returns
    -------
    dict
        Label -> mean exposure per pooled member, for every group of the pool.

    Raises
    ------
    ValueError
        As :func:`selection_rates`.
    """
    ranked = as_labels(groups_ranked, "groups_ranked")
    selection_rates(ranked, groups_pool)  # the same checks: ranked labels are pooled ones
    pooled = _counts(as_labels(groups_pool, "groups_pool"))
    exposure = _position_exposure(ranked.size)
    totals = dict.fromkeys(pooled, 0.0)
    for label, e in zip(ranked.tolist(), exposure.tolist(), strict=True):
        totals[label] += e
    return {g: totals[g] / n for g, n in pooled.items()}


def exposure_ratios(groups_ranked: GroupLabels, groups_pool: GroupLabels) -> dict[Any, float]:
    """Each group's exposure per pooled member over that of the most exposed group.

    The position-weighted counterpart of :func:`impact_ratios` (see :func:`group_exposures`):
    1.0 for the best-served group, 0.5 for a group whose members get half as much attention.

    Returns
    -------
    dict
        Label -> ratio in [0, 1]; NaN for all when the ranking is empty.
    """
    exposures = group_exposures(groups_ranked, groups_pool)
    top = max(exposures.values())
    return {g: (e / top if top > 0 else math.nan) for g, e in exposures.items()}


def _counts(labels: NDArray[Any]) -> dict[Any, int]:
    """Label -> count, in order of first appearance; labels of different types stay apart."""
    counts: dict[Any, int] = {}
    for label in labels.tolist():
        key = (type(label), label)
        counts[key] = counts.get(key, 0) + 1
    return {label: n for (_, label), n in counts.items()}
