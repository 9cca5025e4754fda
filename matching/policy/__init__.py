"""The policy stages: fit first, popularity damping, job boosts, bounded priority and fairness.

Only the priority and fairness stages read sensitive attributes, and only when candidates are
ranked for a job. :class:`RankingPolicy` is what they run under, per deployment or per request.
"""

from matching.policy.groups import (
    FAIRNESS_ATTRIBUTES,
    GROUP_LABELS,
    check_constraint_labels,
    group_of,
    groups_of,
)
from matching.policy.policies import BOOST_NAME, JobBoost, RankingPolicy
from matching.policy.stages import (
    FIT_STANDING,
    boost_jobs,
    city_needs_skills,
    contribution_shares,
    damp_popularity,
    display_scores,
    fit_evidence,
    fit_first,
    order,
)

__all__ = [
    "BOOST_NAME",
    "FAIRNESS_ATTRIBUTES",
    "FIT_STANDING",
    "GROUP_LABELS",
    "JobBoost",
    "RankingPolicy",
    "boost_jobs",
    "check_constraint_labels",
    "city_needs_skills",
    "contribution_shares",
    "damp_popularity",
    "display_scores",
    "fit_evidence",
    "fit_first",
    "group_of",
    "groups_of",
    "order",
]
