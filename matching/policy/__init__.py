"""The stages that may read sensitive attributes: bounded priority and fairness, for recruiters."""

from matching.policy.groups import GROUP_LABELS, check_constraint_labels, group_of
from matching.policy.stages import damp_popularity, display_scores, order

__all__ = [
    "GROUP_LABELS",
    "check_constraint_labels",
    "damp_popularity",
    "display_scores",
    "group_of",
    "order",
]
