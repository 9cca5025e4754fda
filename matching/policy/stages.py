"""The stages that may use sensitive attributes: bounded priority and the fairness constraint.

They run only when candidates are ranked for a job. Their inputs are the relevance scores of
the retrieved candidates and, from the store, each candidate's sensitive record; their output
is an order and an audit record. Nothing here returns a sensitive value to a caller.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np

from matching.features import Feature
from matching.policy.groups import group_of
from matching.records import SensitiveAttributes
from ranking import FairnessConstraint, PriorityPolicy, apply_priority, fair_rerank

__all__ = ["FIT_STANDING", "damp_popularity", "display_scores", "fit_first", "order"]

#: How many standard deviations closer than the job's usual candidate a profile must be (dense
#: or lexical) to count as evidence of fit on its own.
FIT_STANDING = 1.5


def _cover_groups(constraint: FairnessConstraint, groups: np.ndarray) -> FairnessConstraint:
    """Give groups the constraint does not name (``"unknown"``, say) their share of the pool.

    The named targets are scaled to what is left, so a missing attribute never makes a
    ranking fail and the named groups keep their relative targets.
    """
    targets = constraint.target_proportions
    if constraint.kind != "det_const_sort" or not targets:
        return constraint
    labels, counts = np.unique(groups.astype(str), return_counts=True)
    extra = {
        lab: c / len(groups) for lab, c in zip(labels, counts, strict=True) if lab not in targets
    }
    if not extra:
        return constraint
    covered = 1.0 - sum(extra.values())
    scaled = {g: p * covered for g, p in targets.items()}
    return dataclasses.replace(constraint, target_proportions={**scaled, **extra})


def order(
    relevance: np.ndarray,
    sensitive: Sequence[SensitiveAttributes],
    k: int,
    *,
    priority: PriorityPolicy,
    fairness: FairnessConstraint | None,
    attribute: str,
) -> tuple[np.ndarray, dict[str, Any]]:
    """The final order of the top ``k`` and the audit record of what the stages did.

    Parameters
    ----------
    relevance : ndarray of shape (n,)
        Scores on the fixed relevance scale that ``priority.tolerance`` is measured on
        (not clipped, so that the order among the best candidates is the model's).
    sensitive : sequence of SensitiveAttributes, length n
    k : int
    priority, fairness, attribute : the engine's policy settings

    Returns
    -------
    order : ndarray of shape (min(k, n),)
        Indices into ``relevance``.
    audit : dict
        Policies, whether each stage changed the order, how many were promoted.
    """
    n = len(relevance)
    assisted = np.asarray([s.assisted for s in sensitive], dtype=bool)
    prio = apply_priority(relevance, assisted, priority)
    result = np.asarray(prio.order, dtype=np.int64)
    # What the audit reports is what the recruiter receives: the top k, not the whole list.
    baseline = np.argsort(-np.asarray(relevance, dtype=np.float64), kind="stable")
    rank_before = np.empty(n, dtype=np.int64)
    rank_before[baseline] = np.arange(n)
    moved_up = [i for pos, i in enumerate(result[:k]) if assisted[i] and pos < rank_before[i]]
    audit: dict[str, Any] = {
        "priority": priority.to_dict(),
        "priority_changed": not np.array_equal(result[:k], baseline[:k]),
        "n_promoted": len(moved_up),
        "fairness": None,
        "fairness_changed": False,
    }
    if fairness is not None and n:
        groups = np.asarray([group_of(s, attribute) for s in sensitive], dtype=object)
        # Rank positions as scores keep the priority order inside each group.
        positional = -np.arange(n, dtype=np.float64)
        fair = fair_rerank(
            positional, groups[result], _cover_groups(fairness, groups[result]), min(k, n)
        )
        before = result[:k].copy()
        result = result[np.asarray(fair.order, dtype=np.int64)]
        audit["fairness"] = {**fairness.to_dict(), "attribute": attribute}
        audit["fairness_changed"] = not np.array_equal(result[:k], before)
    return result[:k], audit


def display_scores(n: int) -> np.ndarray:
    """The score a recruiter sees for each of ``n`` ranked candidates: 1.0 down to 1/n.

    It depends on the rank alone. Any value derived from the model score beside an order
    that the priority or fairness stage changed would show, by an inversion or by a tie,
    whom they moved, and so a sensitive attribute; the rank is all a recruiter is given.
    """
    if n <= 0:
        return np.zeros(0, dtype=np.float64)
    return np.round((n - np.arange(n)) / n, 4)


def fit_first(relevance: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Relevance of candidates for a job, with those showing no fit for it moved behind.

    Evidence of fit is any one of: a skill of the job's in the profile, a related major
    (``major_match`` >= 0.75: the same major or one of its major class), or a profile at least
    :data:`FIT_STANDING` standard deviations closer to the job than its usual candidate
    (``semantic_for_job`` or ``lexical_for_job``). A candidate without any is moved down by more
    than the span of the list's relevance, so every candidate with evidence stays ahead and the
    order within each of the two tiers is the model's. Where the job names neither skills nor
    majors, nothing is moved: there is nothing to check the profile against. (The fairness
    stage that follows may still move a candidate without evidence up, to meet its minimum.)

    Parameters
    ----------
    relevance : ndarray of shape (n,)
        On the model's fixed relevance scale.
    X : ndarray of shape (n, n_features)
        The pairs' raw features.
    """
    if not len(relevance):
        return relevance
    skills = X[:, Feature.MATCHED_SKILLS.column]
    major = X[:, Feature.MAJOR_MATCH.column]
    # skill coverage is unknown exactly when the job names no skills; the major match when it
    # names no majors (or the candidate gives none)
    if np.isnan(X[:, Feature.SKILL_COVERAGE.column]).all() and np.isnan(major).all():
        return relevance
    with np.errstate(invalid="ignore"):
        evidence = (
            (np.nan_to_num(skills, nan=0.0) >= 1)
            | (np.nan_to_num(major, nan=0.0) >= 0.75)
            | (np.nan_to_num(X[:, Feature.SEMANTIC_FOR_JOB.column], nan=0.0) >= FIT_STANDING)
            | (np.nan_to_num(X[:, Feature.LEXICAL_FOR_JOB.column], nan=0.0) >= FIT_STANDING)
        )
    span = float(np.ptp(relevance)) if np.isfinite(relevance).all() else 0.0
    return relevance - (span + 1.0) * (~evidence)


def damp_popularity(relevance: np.ndarray, X: np.ndarray, damping: float) -> np.ndarray:
    """Relevance of jobs for a student, lowered for popular and for filled jobs.

    A job loses ``damping`` times its popularity among other graduates (its applications'
    log-ratio to the pool mean, clipped to [0, 3] and scaled to [0, 1]); a job with no
    opening left loses ``damping`` whole. Jobs without history keep their relevance.

    Parameters
    ----------
    relevance : ndarray of shape (n,)
        On the model's fixed relevance scale.
    X : ndarray of shape (n, n_features)
        The pairs' raw features (the event columns are read).
    damping : float
        In [0, 1]; 0 changes nothing.
    """
    if damping <= 0 or not len(relevance):
        return relevance
    popular = np.nan_to_num(X[:, Feature.JOB_APPLICATIONS.column], nan=0.0)
    filled = np.nan_to_num(X[:, Feature.REMAINING_HEADCOUNT.column], nan=1.0) <= 0
    penalty = np.clip(popular, 0.0, 3.0) / 3.0
    return relevance - damping * np.where(filled, 1.0, penalty)
