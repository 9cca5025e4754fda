"""The transparent scorer used until a learning-to-rank model is trained.

A weighted sum over the pair features after a fixed, documented transform that maps each one
to [0, 1] and gives unknown values (NaN) a neutral value, so a missing field neither helps nor
hurts. Weights were set by hand from what a career adviser would weigh first (meaning and skills,
then degree and major, then place and pay), then checked on the bundled demo data.
"""

from __future__ import annotations

import numpy as np

from matching.features import FEATURE_NAMES
from ranking import LinearScorer

__all__ = ["TRANSPARENT_WEIGHTS", "transparent_inputs", "transparent_scorer"]

TRANSPARENT_WEIGHTS: dict[str, float] = {
    "semantic_similarity": 1.0,
    "lexical_similarity": 0.6,
    "skill_coverage": 0.35,
    "preferred_skill_coverage": 0.05,
    "skill_overlap": 0.2,
    "matched_skills": 0.1,
    "missing_skills": 0.0,
    "degree_gap": 0.1,
    "major_match": 0.2,
    "major_field_fit": 0.15,
    "city_match": 0.15,
    "job_type_match": 0.1,
    "salary_ratio": 0.05,
    "experience_gap": 0.05,
    "days_since_posted": 0.0,
}

# Value used for NaN, per feature: 0.5 where "unknown" sits between a match and a mismatch.
_NEUTRAL = {
    "skill_coverage": 0.0,
    "preferred_skill_coverage": 0.0,
    "skill_overlap": 0.0,
    "matched_skills": 0.0,
    "missing_skills": 0.0,
    "degree_gap": 0.5,
    "major_match": 0.0,
    "major_field_fit": 0.0,
    "city_match": 0.5,
    "job_type_match": 0.5,
    "salary_ratio": 0.5,
    "experience_gap": 1.0,
    "days_since_posted": 0.0,
}


def transparent_inputs(X: np.ndarray) -> np.ndarray:
    """Map raw pair features of shape (n, n_features) to [0, 1] with NaN made neutral."""
    X = np.asarray(X, dtype=np.float32)
    out = X.copy()
    col = {name: i for i, name in enumerate(FEATURE_NAMES)}
    out[:, col["matched_skills"]] = np.minimum(X[:, col["matched_skills"]], 5.0) / 5.0
    out[:, col["missing_skills"]] = np.minimum(X[:, col["missing_skills"]], 5.0) / 5.0
    out[:, col["degree_gap"]] = np.where(X[:, col["degree_gap"]] >= 0, 1.0, 0.0)
    out[:, col["salary_ratio"]] = np.minimum(X[:, col["salary_ratio"]], 1.5) / 1.5
    out[:, col["experience_gap"]] = np.where(X[:, col["experience_gap"]] >= 0, 1.0, 0.0)
    out[:, col["days_since_posted"]] = 1.0 - np.minimum(X[:, col["days_since_posted"]], 90) / 90
    for name, value in _NEUTRAL.items():
        j = col[name]
        out[np.isnan(X[:, j]), j] = value
    return np.nan_to_num(out, nan=0.0)


def transparent_scorer() -> LinearScorer:
    """The default scorer: :data:`TRANSPARENT_WEIGHTS` over :func:`transparent_inputs`."""
    return LinearScorer(weights={name: TRANSPARENT_WEIGHTS[name] for name in FEATURE_NAMES})
