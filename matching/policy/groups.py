"""Fairness groups: the label each attribute gives a candidate; checks on constraints.

Most attributes come from a candidate's sensitive record; ``school_tier`` comes from the
school named in the profile (985 / 211 / 双一流 / other, after the shipped university list) and
``region`` from the place of origin in the sensitive record (the four statistical regions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matching.errors import ValidationError
from matching.lexicon.schools import REGIONS, SCHOOL_TIERS, SchoolTable, region_of
from matching.records import CandidateProfile, SensitiveAttributes
from ranking import FairnessConstraint

__all__ = [
    "FAIRNESS_ATTRIBUTES",
    "GROUP_LABELS",
    "check_constraint_labels",
    "group_of",
    "groups_of",
]

#: The group labels each fairness attribute produces; ``None`` means free text (lower-cased).
GROUP_LABELS: Mapping[str, frozenset[str] | None] = {
    "gender": frozenset({"female", "male", "other", "unknown"}),
    "assisted": frozenset({"assisted", "not_assisted"}),
    "disability": frozenset({"disabled", "not_disabled", "unknown"}),
    "ethnicity": None,
    "origin": None,
    "school_tier": frozenset(SCHOOL_TIERS),
    "region": frozenset(REGIONS),
}

#: The attributes a fairness constraint or an audit may group candidates by.
FAIRNESS_ATTRIBUTES = tuple(GROUP_LABELS)


def group_of(
    sensitive: SensitiveAttributes, attribute: str, candidate: CandidateProfile | None = None
) -> str:
    """The fairness group label of one candidate for ``attribute`` (see :data:`GROUP_LABELS`).

    ``school_tier`` reads ``candidate.school`` (``"unknown"`` without a candidate).
    """
    if attribute == "assisted":
        return "assisted" if sensitive.assisted else "not_assisted"
    if attribute == "disability":
        if sensitive.disability is None:
            return "unknown"
        return "disabled" if sensitive.disability else "not_disabled"
    if attribute == "school_tier":
        return SchoolTable.default().tier_of(None if candidate is None else candidate.school)
    if attribute == "region":
        return region_of(sensitive.origin)
    if attribute not in GROUP_LABELS:
        raise ValidationError(
            "attribute", f"got {attribute!r}; allowed: {', '.join(FAIRNESS_ATTRIBUTES)}"
        )
    value = getattr(sensitive, attribute)
    return "unknown" if value is None else str(value).strip().lower()


def groups_of(
    candidates: Sequence[CandidateProfile],
    sensitive: Sequence[SensitiveAttributes],
    attribute: str,
) -> list[str]:
    """The group label of each candidate, in order."""
    return [group_of(s, attribute, c) for c, s in zip(candidates, sensitive, strict=True)]


def check_constraint_labels(constraint: FairnessConstraint, attribute: str) -> None:
    """Refuse a constraint naming groups that ``attribute`` can never produce.

    Raises
    ------
    ValidationError
        Naming ``fairness`` and the labels that are allowed.
    """
    if attribute not in GROUP_LABELS:
        raise ValidationError(
            "fairness_attribute",
            f"got {attribute!r}; allowed: {', '.join(FAIRNESS_ATTRIBUTES)}",
        )
    allowed = GROUP_LABELS[attribute]
    for label in constraint.groups_named:
        if not isinstance(label, str):
            raise ValidationError(
                "fairness", f"group label {label!r} must be a string for attribute {attribute!r}"
            )
        if allowed is not None and label not in allowed:
            raise ValidationError(
                "fairness",
                f"group label {label!r} is not produced by attribute {attribute!r}; "
                f"allowed: {', '.join(sorted(allowed))}",
            )
