"""The pair features, named once: column order, meaning, and how the transparent scorer reads them.

Every stage that touches a feature column (the featurizer that fills it, the transparent scorer
that weighs it, the explainer that names it) looks it up here, by :class:`Feature`, never by a
bare column number.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["COLUMNS", "FEATURE_NAMES", "HISTORY_FEATURES", "Column", "Feature"]


class Feature(str, enum.Enum):
    """One pair feature; members are in column order."""

    SEMANTIC_SIMILARITY = "semantic_similarity"
    LEXICAL_SIMILARITY = "lexical_similarity"
    SKILL_COVERAGE = "skill_coverage"
    PREFERRED_SKILL_COVERAGE = "preferred_skill_coverage"
    SKILL_OVERLAP = "skill_overlap"
    MATCHED_SKILLS = "matched_skills"
    MISSING_SKILLS = "missing_skills"
    DEGREE_GAP = "degree_gap"
    MAJOR_MATCH = "major_match"
    MAJOR_FIELD_FIT = "major_field_fit"
    CITY_MATCH = "city_match"
    JOB_TYPE_MATCH = "job_type_match"
    SALARY_RATIO = "salary_ratio"
    EXPERIENCE_GAP = "experience_gap"
    DAYS_SINCE_POSTED = "days_since_posted"
    SEMANTIC_FOR_CANDIDATE = "semantic_for_candidate"
    SEMANTIC_FOR_JOB = "semantic_for_job"
    LEXICAL_FOR_CANDIDATE = "lexical_for_candidate"
    LEXICAL_FOR_JOB = "lexical_for_job"
    # From the event log (see matching.interactions): NaN when there is no history.
    JOB_ENGAGEMENT = "job_engagement"
    JOB_APPLICATIONS = "job_applications"
    JOB_OUTCOMES = "job_outcomes"
    JOB_APPLY_RATE = "job_apply_rate"
    REMAINING_HEADCOUNT = "remaining_headcount"
    CANDIDATE_ACTIVITY = "candidate_activity"
    COLLABORATIVE = "collaborative"
    SIMILAR_CANDIDATES = "similar_candidates"
    HISTORY_SIMILARITY = "history_similarity"
    APPLICANT_SIMILARITY = "applicant_similarity"

    @property
    def column(self) -> int:
        """The feature's column in a feature matrix."""
        return _INDEX[self]


_INDEX = {feature: i for i, feature in enumerate(Feature)}


# Standings beyond this many standard deviations count as this many.
_STANDING_CAP = 8.0
# Weight of each of the four standings in the transparent scorer.
_STANDING_WEIGHT = 0.2 * _STANDING_CAP


def _identity(x: np.ndarray) -> np.ndarray:
    return x


def _capped(cap: float) -> Callable[[np.ndarray], np.ndarray]:
    def scale(x: np.ndarray) -> np.ndarray:
        return np.minimum(x, cap) / cap

    return scale


def _non_negative(x: np.ndarray) -> np.ndarray:
    # NaN >= 0 is False; NaN cells are replaced by the neutral value afterwards.
    return np.where(x >= 0, 1.0, 0.0).astype(np.float32)


def _standing(x: np.ndarray) -> np.ndarray:
    # Standard deviations above (or below, counting against) the usual similarity.
    return np.clip(x, -_STANDING_CAP, _STANDING_CAP) / _STANDING_CAP


def _fresh(x: np.ndarray) -> np.ndarray:
    return 1.0 - np.minimum(x, 90) / 90


@dataclass(frozen=True, slots=True)
class Column:
    """What one feature means and how the transparent scorer uses it.

    Parameters
    ----------
    feature : Feature
    description : str
        What the value is, in plain words (English).
    label_zh : str
        A short Chinese name for reasons shown to students and recruiters.
    weight : float
        Weight in the transparent scorer.
    neutral : float
        Transparent value of an unknown (NaN) feature: 0.5 where "unknown" sits between a
        match and a mismatch, 0 where it is no evidence.
    to_unit : callable
        Maps raw values onto [0, 1] for the transparent scorer; the similarity standings onto
        [-1, 1], as a pair less similar than usual counts against.
    """

    feature: Feature
    description: str
    label_zh: str
    weight: float
    neutral: float
    to_unit: Callable[[np.ndarray], np.ndarray] = _identity


# Weights were set by hand from what a career adviser would weigh first (meaning and skills,
# then degree and major, place and pay), then checked on the bundled demo data and on real job
# views (benchmarks/README.md). The desired city counts about as much as skill coverage: where
# both sides state one, it was the strongest single field on the real views, and graduates
# rarely take a job outside the cities they name.
COLUMNS: tuple[Column, ...] = (
    # The raw similarities are for models and explanations; the transparent scorer weighs
    # their standings (below): how far each stands above the candidate's and the job's usual
    # similarity, on which dense and lexical evidence count alike.
    Column(Feature.SEMANTIC_SIMILARITY, "cosine of the two texts' embeddings", "语义相似度",
           0.0, 0.0),
    Column(Feature.LEXICAL_SIMILARITY, "TF-IDF cosine of the two texts' words", "用词相似度",
           0.0, 0.0),
    Column(Feature.SKILL_COVERAGE, "share of the job's required skills the candidate has",
           "技能覆盖率", 0.35, 0.0),
    Column(Feature.PREFERRED_SKILL_COVERAGE, "share of the preferred skills the candidate has",
           "加分技能覆盖率", 0.05, 0.0),
    Column(Feature.SKILL_OVERLAP, "share of the candidate's skills the job asks for",
           "技能重合度", 0.2, 0.0),
    Column(Feature.MATCHED_SKILLS, "number of the job's skills the candidate has", "匹配技能数",
           0.1, 0.0, _capped(5.0)),
    Column(Feature.MISSING_SKILLS, "number of required skills the candidate lacks",
           "缺少技能数", 0.0, 0.0, _capped(5.0)),
    Column(Feature.DEGREE_GAP, "candidate's degree minus the job's minimum (levels)", "学历差距",
           0.1, 0.5, _non_negative),
    Column(Feature.MAJOR_MATCH, "closeness of the candidate's major to the preferred majors",
           "专业匹配", 0.2, 0.0),
    Column(Feature.MAJOR_FIELD_FIT, "whether the job is in a field the major leads to",
           "专业对口", 0.15, 0.0),
    Column(Feature.CITY_MATCH, "whether the job is in a city the candidate wants", "城市匹配",
           0.45, 0.5),
    Column(Feature.JOB_TYPE_MATCH, "whether the job is of a type the candidate wants",
           "岗位类型匹配", 0.1, 0.5),
    Column(Feature.SALARY_RATIO, "job's top pay over the candidate's expected pay", "薪资比",
           0.05, 0.5, _capped(1.5)),
    Column(Feature.EXPERIENCE_GAP, "candidate's years of experience minus the years asked",
           "经验差距", 0.05, 1.0, _non_negative),
    Column(Feature.DAYS_SINCE_POSTED, "days between the newest posting and this one",
           "发布天数", 0.0, 0.0, _fresh),
    Column(Feature.SEMANTIC_FOR_CANDIDATE, "standard deviations by which the pair's embedding "
           "similarity exceeds the candidate's mean similarity to the store's jobs",
           "语义相似度（相对候选人）", _STANDING_WEIGHT, 0.0, _standing),
    Column(Feature.SEMANTIC_FOR_JOB, "standard deviations by which the pair's embedding "
           "similarity exceeds the job's mean similarity to the store's candidates",
           "语义相似度（相对岗位）", _STANDING_WEIGHT, 0.0, _standing),
    Column(Feature.LEXICAL_FOR_CANDIDATE, "standard deviations by which the pair's word "
           "similarity exceeds the candidate's mean similarity to the store's jobs (in the "
           "candidates' typical deviation)",
           "用词相似度（相对候选人）", _STANDING_WEIGHT, 0.0, _standing),
    Column(Feature.LEXICAL_FOR_JOB, "standard deviations by which the pair's word "
           "similarity exceeds the job's mean similarity to the store's candidates (in the "
           "jobs' typical deviation)",
           "用词相似度（相对岗位）", _STANDING_WEIGHT, 0.0, _standing),
    # The event signals are for trained models; the transparent scorer does not weigh them.
    Column(Feature.JOB_ENGAGEMENT, "how many others engaged with the job (any event; "
           "log of count + 1 over the pool mean, time-decayed)", "岗位关注度", 0.0, 0.0),
    Column(Feature.JOB_APPLICATIONS, "how many others applied to the job (same scale)",
           "岗位投递热度", 0.0, 0.0),
    Column(Feature.JOB_OUTCOMES, "how many others reached an interview, offer or hire there "
           "(same scale)", "岗位面试录用数", 0.0, 0.0),
    Column(Feature.JOB_APPLY_RATE, "share of those who engaged with the job who applied "
           "(smoothed towards the pool's share)", "岗位投递率", 0.0, 0.0),
    Column(Feature.REMAINING_HEADCOUNT, "share of the job's openings not yet filled by a hire",
           "剩余招聘名额", 0.0, 0.0),
    Column(Feature.CANDIDATE_ACTIVITY, "how many other jobs the candidate engaged with "
           "(log of count + 1)", "求职活跃度", 0.0, 0.0),
    Column(Feature.COLLABORATIVE, "how often the candidate's other jobs and this one were "
           "engaged by the same people (mean item-to-item cosine)", "协同过滤", 0.0, 0.0),
    Column(Feature.SIMILAR_CANDIDATES, "how strongly the 20 candidates most like this one "
           "engaged with the job", "相似求职者的选择", 0.0, 0.0),
    Column(Feature.HISTORY_SIMILARITY, "closeness of the job to the jobs the candidate engaged "
           "with", "与求职记录相似", 0.0, 0.0),
    Column(Feature.APPLICANT_SIMILARITY, "closeness of the candidate to those who engaged with "
           "the job", "与该岗位申请者相似", 0.0, 0.0),
)  # fmt: skip

#: The features read from the event log, in column order (the last columns).
HISTORY_FEATURES: tuple[Feature, ...] = tuple(Feature)[
    tuple(Feature).index(Feature.JOB_ENGAGEMENT) :
]

#: Column names in order, as the rankers record them.
FEATURE_NAMES: tuple[str, ...] = tuple(c.feature.value for c in COLUMNS)

if tuple(c.feature for c in COLUMNS) != tuple(Feature):  # pragma: no cover - a coding error
    raise RuntimeError("COLUMNS must list every Feature once, in Feature order")
