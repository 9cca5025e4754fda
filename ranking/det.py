"""Multi-group fair re-ranking of Geyik, Ambler and Kenthapadi (KDD 2019).

*Fairness-Aware Ranking in Search & Recommendation Systems with Application to LinkedIn
Talent Search* gives four deterministic algorithms that keep every prefix of a ranking close
to target proportions ``p_g`` of any number of groups. At prefix length ``t`` a group is

* *below its minimum* when it holds fewer than ``floor(t * p_g)`` of the ``t`` positions, and
* *below its maximum* when it holds fewer than ``ceil(t * p_g)``.

:func:`det_greedy`, :func:`det_cons` and :func:`det_relaxed` fill one position at a time:

* if some groups are below their minimum, the best next candidate of those groups is placed;
* otherwise, among the groups below their maximum, DetGreedy takes the best next candidate;
  DetCons the group whose maximum is due soonest (smallest ``ceil(t * p_g) / p_g``, ties to
  the better next candidate); DetRelaxed the best next candidate among the groups whose
  ``ceil(ceil(t * p_g) / p_g)`` is smallest.

:func:`det_const_sort` inserts a candidate whenever a group's minimum rises and lets it move
up past lower-scored candidates while they stay within the position their own minimum gave
them. The published pseudocode (Algorithm 4) counts positions from 1: a displaced candidate may
move down only while its new position is at most its allowed index. Transcribed into 0-based
positions with the comparison kept as printed (``maxIndices[start - 1] >= start``), it lets
the displaced candidate go one place past its allowed index and breaks the minimum counts it
is meant to keep; here the comparison is made on the 1-based position, and every prefix meets
its minimum counts whenever the pool has the candidates (tested against both readings).

In all four, candidates of one group keep their score order (ties by index); a group that
has no candidates left is skipped, and once no group is below its minimum or maximum, or
none of those has candidates, the best remaining candidate of any group is placed. DetGreedy
may miss a minimum further down the list (the paper's infeasibility); the others are built
not to.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    GroupLabels,
    as_labels,
    as_real_vector,
    baseline_order,
    check_k,
    check_proportions,
    group_positions,
)

__all__ = ["det_cons", "det_const_sort", "det_greedy", "det_relaxed", "pool_proportions"]

# floor(step * p) is computed with this slack so that, e.g., 100 * 0.29 (which is
# 28.999999999999996 in binary floating point) counts as 29.
_FLOOR_SLACK = 1e-9


def _floor(x: float) -> int:
    return math.floor(x + _FLOOR_SLACK)


def _ceil(x: float) -> int:
    return math.ceil(x - _FLOOR_SLACK)


def pool_proportions(groups: GroupLabels) -> dict[Any, float]:
    """Each group's share of a pool: the target "taken from the qualified pool".

    Parameters
    ----------
    groups : array-like of shape (n,)
        Group label of each qualified candidate; at least one.

    Returns
    -------
    dict
        ``{label: count / n}`` in first-seen order; the shares sum to 1.

    Examples
    --------
    >>> pool_proportions(["a", "b", "a", "a"])
    {'a': 0.75, 'b': 0.25}
    """
    labels = as_labels(groups, "groups")
    if labels.size == 0:
        raise ValueError("groups must hold at least one label to take proportions from")
    return {g: pos.size / labels.size for g, pos in group_positions(labels).items()}


def _prepare(
    scores: ArrayLike, groups: GroupLabels, target_proportions: Mapping[Any, float], k: int
) -> tuple[NDArray[np.float64], dict[Hashable, float], dict[Hashable, NDArray[np.int64]], int]:
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
    # each group's candidates in baseline order (score descending, ties by index)
    queues = {label: baseline[pos] for label, pos in positions.items()}
    rank = np.empty(s.size, dtype=np.int64)
    rank[baseline] = np.arange(s.size)
    return rank.astype(np.float64), targets, queues, min(k, s.size)


def _greedy(
    scores: ArrayLike,
    groups: GroupLabels,
    target_proportions: Mapping[Any, float],
    k: int,
    choose: Callable[[list[Hashable], int, Callable[[Hashable], float]], Hashable],
) -> NDArray[np.int64]:
    rank, targets, queues, length = _prepare(scores, groups, target_proportions, k)
    taken = dict.fromkeys(queues, 0)
    placed: list[int] = []

    def next_rank(g: Hashable) -> float:
        return float(rank[queues[g][taken[g]]])

    for t in range(1, length + 1):
        left = [g for g in queues if taken[g] < queues[g].size]
        below_min = [g for g in left if taken[g] < _floor(t * targets[g])]
        below_max = [g for g in left if taken[g] < _ceil(t * targets[g])]
        if below_min:
            g = min(below_min, key=next_rank)
        elif below_max:
            g = choose(below_max, t, next_rank)
        else:
            g = min(left, key=next_rank)
        placed.append(int(queues[g][taken[g]]))
        taken[g] += 1
    return np.asarray(placed, dtype=np.int64)


def det_greedy(
    scores: ArrayLike, groups: GroupLabels, target_proportions: Mapping[Any, float], k: int
) -> NDArray[np.int64]:
    """DetGreedy: the best next candidate of a group below its minimum, else below its maximum.

    Parameters
    ----------
    scores : array-like of float, shape (n,)
        Finite scores; higher is better.
    groups : array-like of shape (n,)
        Group label of each candidate; every label must be a key of ``target_proportions``.
    target_proportions : Mapping[hashable, float]
        Desired share of each group, in [0, 1], summing to 1 (see :func:`pool_proportions`).
        Groups with no candidates are allowed.
    k : int
        Number of positions to fill, >= 1.

    Returns
    -------
    numpy.ndarray of int64, shape (min(k, n),)
        Candidate indices in ranked order.
    """

    def best(below_max: list[Hashable], t: int, next_rank: Callable[[Hashable], float]) -> Hashable:
        return min(below_max, key=next_rank)

    return _greedy(scores, groups, target_proportions, k, best)


def det_cons(
    scores: ArrayLike, groups: GroupLabels, target_proportions: Mapping[Any, float], k: int
) -> NDArray[np.int64]:
    """DetCons: once minimums are met, the group whose maximum is due soonest goes next.

    Parameters and result as for :func:`det_greedy`.
    """
    targets = check_proportions(target_proportions, "target_proportions")

    def due(below_max: list[Hashable], t: int, next_rank: Callable[[Hashable], float]) -> Hashable:
        return min(below_max, key=lambda g: (_ceil(t * targets[g]) / targets[g], next_rank(g)))

    return _greedy(scores, groups, targets, k, due)


def det_relaxed(
    scores: ArrayLike, groups: GroupLabels, target_proportions: Mapping[Any, float], k: int
) -> NDArray[np.int64]:
    """DetRelaxed: the best next candidate among the groups whose maximum is due soonest.

    "Soonest" is rounded up to whole positions, ``ceil(ceil(t * p_g) / p_g)``, so more groups
    tie than in :func:`det_cons` and score decides among them. Parameters and result as for
    :func:`det_greedy`.
    """
    targets = check_proportions(target_proportions, "target_proportions")

    def due(below_max: list[Hashable], t: int, next_rank: Callable[[Hashable], float]) -> Hashable:
        def soonest(g: Hashable) -> tuple[int, float]:
            return math.ceil(_ceil(t * targets[g]) / targets[g] - _FLOOR_SLACK), next_rank(g)

        return min(below_max, key=soonest)

    return _greedy(scores, groups, targets, k, due)


def det_const_sort(
    scores: ArrayLike,
    groups: GroupLabels,
    target_proportions: Mapping[Any, float],
    k: int,
) -> NDArray[np.int64]:
    """DetConstSort: insert when a group's minimum rises, then move up within allowed positions.

    Candidates are added whenever a group's minimum count ``floor(i * p_g)`` rises for the
    prefix length ``i``; each is then moved up past lower-scored candidates as long as they
    stay within the position at which their own minimum required them (see the module notes
    for the one correction to the published pseudocode). Candidates of groups whose targets
    are already met, or whose target is 0, fill any remaining positions by score.
    Parameters and result as for :func:`det_greedy`.
    """
    s = as_real_vector(scores, "scores")
    rank, targets, queues, length = _prepare(s, groups, target_proportions, k)
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
        new_minimum = {g: _floor(step * targets[g]) for g in queues}
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
