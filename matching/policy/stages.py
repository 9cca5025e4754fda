"""The stages that may use sensitive attributes: bounded priority and the fairness constraint.

They run only when candidates are ranked for a job. Their inputs are the relevance scores of
the retrieved candidates and, from the store, each candidate's sensitive record; their output
is an order and an audit record. Nothing here returns a sensitive value to a caller.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from matching.features import Feature
from matching.policy.groups import GROUP_LABELS, groups_of
from matching.policy.policies import JobBoost, RankingPolicy
from matching.records import CandidateProfile, SensitiveAttributes
from ranking import (
    MULTI_GROUP_KINDS,
    FairnessConstraint,
    PriorityPolicy,
    apply_priority,
    fair_rerank,
)

__all__ = [
    "FIT_STANDING",
    "boost_jobs",
    "city_needs_skills",
    "contribution_shares",
    "damp_popularity",
    "display_scores",
    "fit_evidence",
    "fit_first",
    "order",
]

#: How many standard deviations closer than the job's usual candidate a profile must be (dense
#: or lexical) to count as evidence of fit on its own.
FIT_STANDING = 1.5


def _cover_groups(constraint: FairnessConstraint, groups: np.ndarray) -> FairnessConstraint:
    """Give groups the constraint does not name (``"unknown"``, say) their share of the pool.

    The named targets are scaled to what is left, so a missing attribute never makes a
    ranking fail and the named groups keep their relative targets.
    """
    targets = constraint.target_proportions
    if constraint.kind not in MULTI_GROUP_KINDS or not isinstance(targets, Mapping):
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
    candidates: Sequence[CandidateProfile],
    sensitive: Sequence[SensitiveAttributes],
    k: int,
    policy: RankingPolicy,
    *,
    qualified: np.ndarray | None = None,
) -> tuple[np.ndarray, dict[str, Any]]:
    """The final order of the top ``k`` and the audit record of what the stages did.

    Parameters
    ----------
    relevance : ndarray of shape (n,)
        Scores on the fixed relevance scale that ``policy.priority.tolerance`` is measured on
        (not clipped, so that the order among the best candidates is the model's).
    candidates, sensitive : sequences of length n
        The retrieved candidates and their sensitive records.
    k : int
    policy : RankingPolicy
        The priority, the fairness constraint and the attribute of its groups.
    qualified : ndarray of bool, shape (n,), optional
        The qualified pool whose group shares ``target_proportions="pool"`` takes (those with
        evidence of fit for the job); all retrieved candidates by default.

    Returns
    -------
    order : ndarray of shape (min(k, n),)
        Indices into ``relevance``.
    audit : dict
        The policy, whether each stage changed the top k, how many assisted candidates the
        priority promoted and by how many positions in all.
    """
    n = len(relevance)
    assisted = np.asarray([s.assisted for s in sensitive], dtype=bool)
    prio = apply_priority(relevance, assisted, policy.priority)
    result = np.asarray(prio.order, dtype=np.int64)
    # What the audit reports is what the recruiter receives: the top k, not the whole list.
    baseline = np.argsort(-np.asarray(relevance, dtype=np.float64), kind="stable")
    rank_before = np.empty(n, dtype=np.int64)
    rank_before[baseline] = np.arange(n)
    moved_up = [
        int(rank_before[i] - pos)
        for pos, i in enumerate(result[:k])
        if assisted[i] and pos < rank_before[i]
    ]
    audit: dict[str, Any] = {
        "policy": policy.to_dict(),
        "priority_changed": not np.array_equal(result[:k], baseline[:k]),
        "n_promoted": len(moved_up),
        "positions_moved": sum(moved_up),
        "fairness_changed": False,
    }
    fairness = policy.fairness
    if fairness is not None and n:
        groups = np.asarray(groups_of(candidates, sensitive, policy.attribute), dtype=object)
        # Rank positions as scores keep the priority order inside each group.
        positional = -np.arange(n, dtype=np.float64)
        pool = None if qualified is None else np.asarray(qualified, dtype=bool)[result]
        # free-text attributes have no fixed labels: any the constraint names may occur
        known = GROUP_LABELS[policy.attribute] or fairness.groups_named
        fair = fair_rerank(
            positional,
            groups[result],
            _cover_groups(fairness, groups[result]),
            min(k, n),
            qualified=pool,
            known_labels=known,
        )
        before = result[:k].copy()
        result = result[np.asarray(fair.order, dtype=np.int64)]
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


def contribution_shares(contributions: np.ndarray) -> np.ndarray:
    """Per-feature contributions as shares of each row's evidence, for recruiters.

    Positive contributions become their share of the row's positive total, negative ones
    their (negative) share of its negative total, and the bias column 0. The features keep
    their order within a row, so reasons name the same ones; but no row's figures add up to
    its model score any more, so the scores cannot be rebuilt beside an order that the
    priority or fairness stage changed.

    Parameters
    ----------
    contributions : ndarray of shape (n, n_features + 1)
        Bias last.
    """
    c = np.asarray(contributions, dtype=np.float64)
    if not c.size:
        return c.copy()
    features = c[:, :-1]
    pos = np.where(features > 0, features, 0.0)
    neg = np.where(features < 0, features, 0.0)
    pos_total = pos.sum(axis=1, keepdims=True)
    neg_total = -neg.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(pos_total > 0, pos / pos_total, 0.0) + np.where(
            neg_total > 0, neg / neg_total, 0.0
        )
    return np.concatenate([shares, np.zeros((len(c), 1))], axis=1)


def fit_evidence(X: np.ndarray) -> np.ndarray | None:
    """Which candidates show evidence of fit for the job of their pairs (see :func:`fit_first`).

    ``None`` when the job names neither skills nor majors: there is nothing to check a profile
    against.

    Parameters
    ----------
    X : ndarray of shape (n, n_features)
        The pairs' raw features.
    """
    if not len(X):
        return None
    # skill coverage is unknown exactly when the job names no skills; the major match when it
    # names no majors (or the candidate gives none)
    if (
        np.isnan(X[:, Feature.SKILL_COVERAGE.column]).all()
        and np.isnan(X[:, Feature.MAJOR_MATCH.column]).all()
    ):
        return None
    return (
        _named_fit(X)
        | (np.nan_to_num(X[:, Feature.SEMANTIC_FOR_JOB.column], nan=0.0) >= FIT_STANDING)
        | (np.nan_to_num(X[:, Feature.LEXICAL_FOR_JOB.column], nan=0.0) >= FIT_STANDING)
    )


def _named_fit(X: np.ndarray) -> np.ndarray:
    """Which pairs' candidates have one of the job's skills or a related major."""
    return (np.nan_to_num(X[:, Feature.MATCHED_SKILLS.column], nan=0.0) >= 1) | (
        np.nan_to_num(X[:, Feature.MAJOR_MATCH.column], nan=0.0) >= 0.75
    )


def fit_first(relevance: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Relevance of candidates for a job, in three tiers of evidence of fit for it.

    Evidence of fit is any one of: a skill of the job's in the profile, a related major
    (``major_match`` >= 0.75: the same major or one of its major class), or a profile at least
    :data:`FIT_STANDING` standard deviations closer to the job than its usual candidate
    (``semantic_for_job`` or ``lexical_for_job``). Candidates with a skill or a related major
    come first; then those whose profile's closeness is their only evidence, since closeness
    of texts can rest on a posting's common words; then those with none. Each tier is moved
    down by more than the span of the list's relevance, so the tiers never mix and the order
    within each is the model's. Where the job names neither skills nor majors, nothing is
    moved: there is nothing to check the profile against. (The fairness stage that follows
    may still move a candidate up, to meet its minimum.)

    Parameters
    ----------
    relevance : ndarray of shape (n,)
        On the model's fixed relevance scale.
    X : ndarray of shape (n, n_features)
        The pairs' raw features.
    """
    evidence = fit_evidence(X)
    if evidence is None:
        return relevance
    named = _named_fit(X)
    span = float(np.ptp(relevance)) if np.isfinite(relevance).all() else 0.0
    return relevance - (span + 1.0) * ((~evidence).astype(float) + (~named).astype(float))


def city_needs_skills(X: np.ndarray, skilled: np.ndarray) -> np.ndarray | None:
    """The pairs' features with ``city_match`` unknown for candidates without the job's skills.

    A model learns a desired city from applications (graduates apply where they want to live),
    so in a recruiter's list the city could lift a candidate who has none of the skills the job
    asks for over one who has them. Where some candidate of the list holds one of the skills
    that say what the job is (``skilled``; see :meth:`~matching.lexicon.SkillVocabulary.
    specific`), the city counts for those candidates only: for the others it is unknown, as for
    a candidate who names no city. ``None`` when nothing changes (nobody, or everybody, holds
    one).

    Parameters
    ----------
    X : ndarray of shape (n, n_features)
        The pairs' raw features (not changed).
    skilled : ndarray of shape (n,), bool
        Which candidates hold one of the job's specific skills.
    """
    skilled = np.asarray(skilled, dtype=bool)
    if not skilled.any() or skilled.all():
        return None
    out = X.copy()
    out[~skilled, Feature.CITY_MATCH.column] = np.nan
    return out


def damp_popularity(relevance: np.ndarray, X: np.ndarray, damping: float) -> np.ndarray:
    """Relevance of jobs for a student, lowered for popular and for filled jobs.

    A job loses ``damping`` times its popularity among other graduates (the larger of its
    engagements' and its applications' log-ratio to the pool mean, clipped to [0, 3] and
    scaled to [0, 1]: a log of views alone concentrates attention as much as one of
    applications); a job with no opening left loses ``damping`` whole. Jobs without history
    keep their relevance.

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
    popular = np.maximum(
        np.nan_to_num(X[:, Feature.JOB_APPLICATIONS.column], nan=0.0),
        np.nan_to_num(X[:, Feature.JOB_ENGAGEMENT.column], nan=0.0),
    )
    filled = np.nan_to_num(X[:, Feature.REMAINING_HEADCOUNT.column], nan=1.0) <= 0
    penalty = np.clip(popular, 0.0, 3.0) / 3.0
    return relevance - damping * np.where(filled, 1.0, penalty)


def boost_jobs(
    relevance: np.ndarray, flags: Sequence[tuple[bool, bool]], boost: JobBoost
) -> tuple[np.ndarray, np.ndarray]:
    """Students' order with the bounded boost of key-sector and grassroots-programme postings.

    A boosted posting passes another only when that one's relevance is higher by less than
    ``boost.tolerance`` (:func:`ranking.apply_priority`); boosted postings keep their order
    among themselves, and so do the others.

    Parameters
    ----------
    relevance : ndarray of shape (n,)
        On the model's fixed relevance scale.
    flags : sequence of (key_sector, grassroots_programme), length n
        Each posting's flags.
    boost : JobBoost

    Returns
    -------
    order : ndarray of shape (n,)
        Indices into ``relevance``, best first.
    passed : ndarray of int, shape (n,)
        For each posting, how many postings it passed thanks to the boost (0 for most).
    """
    n = len(relevance)
    boosted = np.asarray([boost.applies_to(ks, gp) for ks, gp in flags], dtype=bool)
    baseline = np.argsort(-np.asarray(relevance, dtype=np.float64), kind="stable")
    if not boost.enabled or not boosted.any():
        return baseline, np.zeros(n, dtype=np.int64)
    result = apply_priority(
        relevance, boosted, PriorityPolicy(enabled=True, tolerance=boost.tolerance)
    ).order
    rank_before = np.empty(n, dtype=np.int64)
    rank_before[baseline] = np.arange(n)
    rank_after = np.empty(n, dtype=np.int64)
    rank_after[result] = np.arange(n)
    passed = np.where(boosted, np.maximum(rank_before - rank_after, 0), 0)
    return np.asarray(result, dtype=np.int64), passed
