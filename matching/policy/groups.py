"""Fairness groups: the label each sensitive attribute gives a candidate; checks on constraints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matching.errors import ValidationError
from matching.records import SensitiveAttributes
from ranking import FairnessConstraint

__all__ = ["GROUP_LABELS", "check_constraint_labels", "group_of"]

#: The group labels each fairness attribute produces; ``None`` means free text (lower-cased).
GROUP_LABELS: Mapping[str, frozenset[str] | None] = {
    "gender": frozenset({"female", "male", "other", "unknown"}),
    "assisted": frozenset({"assisted", "not_assisted"}),
    "disability": frozenset({"disabled", "not_disabled", "unknown"}),
    "ethnicity": None,
    "origin": None,
}


def group_of(sensitive: SensitiveAttributes, attribute: str) -> str:
    """The fairness group label of one candidate for ``attribute`` (see :data:`GROUP_LABELS`)."""
    if attribute == "assisted":
        return "assisted" if sensitive.assisted else "not_assisted"
    if attribute == "disability":
        if sensitive.disability is None:
            return "unknown"
        return "disabled" if sensitive.disability else "not_disabled"
    value = getattr(sensitive, attribute)
    return "unknown" if value is None else str(value).strip().lower()


def check_constraint_labels(constraint: FairnessConstraint, attribute: str) -> None:
    """Refuse a constraint naming groups that ``attribute`` can never produce.

    Raises
    ------
    ValidationError
        Naming ``fairness`` and the labels that are allowed.
    """
    allowed = GROUP_LABELS.get(attribute)
    named: list[Any] = list(constraint.target_proportions or {})
    if constraint.protected_group is not None:
        named.append(constraint.protected_group)
    for label in named:
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
