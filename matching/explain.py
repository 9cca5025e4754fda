"""Reasons for a match: matched and missing skills, and the features that moved the score."""

from __future__ import annotations

import math

import numpy as np

from matching.features import FEATURE_NAMES, CandidateProfile, JobProfile
from matching.records import Candidate, Job, Reasons

__all__ = ["reasons_for"]

_NOTES = {
    "degree_ok": "degree meets the requirement",
    "degree_short": "degree is below the stated minimum",
    "city": "job is in a desired city",
    "major": "major is among the preferred majors",
    "major_field": "job is in a field the major leads to",
    "job_type": "job type matches what the candidate is looking for",
}


def reasons_for(
    candidate: Candidate,
    job: Job,
    features: np.ndarray,
    contributions: np.ndarray,
    *,
    n_top_features: int,
    cprofile: CandidateProfile | None = None,
    jprofile: JobProfile | None = None,
) -> Reasons:
    """Reasons for one pair.

    Parameters
    ----------
    candidate, job : the pair's records (the candidate's sensitive record is not read)
    features : ndarray of shape (n_features,)
        The pair's raw features.
    contributions : ndarray of shape (n_features + 1,)
        Per-feature contributions to the score, bias last.
    n_top_features : int
        How many of the largest positive contributions to report.
    """
    skills = set(candidate.skills)
    wanted = list(job.required_skills) + [
        s for s in job.preferred_skills if s not in job.required_skills
    ]
    matched = tuple(s for s in wanted if s in skills)
    base = job.required_skills or job.preferred_skills
    missing = tuple(s for s in base if s not in skills)
    contrib = np.asarray(contributions[: len(FEATURE_NAMES)], dtype=np.float64)
    order = np.argsort(-contrib, kind="stable")
    top = tuple(
        (FEATURE_NAMES[i], round(float(contrib[i]), 4))
        for i in order[:n_top_features]
        if contrib[i] > 0
    )
    col = {name: i for i, name in enumerate(FEATURE_NAMES)}
    notes = []
    gap = features[col["degree_gap"]]
    if not math.isnan(gap):
        notes.append(_NOTES["degree_ok"] if gap >= 0 else _NOTES["degree_short"])
    if features[col["city_match"]] == 1.0:
        notes.append(_NOTES["city"])
    if features[col["major_match"]] >= 1.0:
        notes.append(_NOTES["major"])
    elif features[col["major_field_fit"]] == 1.0:
        notes.append(_NOTES["major_field"])
    if features[col["job_type_match"]] == 1.0:
        notes.append(_NOTES["job_type"])
    return Reasons(
        matched_skills=matched, missing_skills=missing, top_features=top, notes=tuple(notes)
    )
