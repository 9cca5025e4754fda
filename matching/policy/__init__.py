"""The policy stages: fit first, popularity damping, bounded priority and fairness.

Only the last two read sensitive attributes, and only when candidates are ranked for a job.
"""

from matching.policy.groups import GROUP_LABELS, check_constraint_labels, group_of
from matching.policy.stages import FIT_STANDING, damp_popularity, display_scores, fit_first, order

__all__ = [
    "FIT_STANDING",
    "GROUP_LABELS",
    "check_constraint_labels",
    "damp_popularity",
    "display_scores",
    "fit_first",
    "group_of",
    "order",
]
