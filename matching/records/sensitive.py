"""Sensitive attributes: a record of their own, never a ranking feature, never for recruiters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from matching.errors import ValidationError
from matching.records.choices import HardshipCategory
from matching.records.fields import check_keys, enum_tuple, opt_bool, opt_str

__all__ = ["GENDERS", "SensitiveAttributes"]

#: Gender values a record may hold.
GENDERS = ("female", "male", "other")


@dataclass(frozen=True, slots=True)
class SensitiveAttributes:
    """Attributes used only by the priority and fairness stages and by audits.

    They never become ranking features and never appear in what a recruiter receives.

    Examples
    --------
    >>> SensitiveAttributes.from_dict({"hardship": ["低保家庭"], "gender": "女"}).assisted
    True
    """

    hardship: tuple[HardshipCategory, ...] = ()
    gender: str | None = None
    disability: bool | None = None
    ethnicity: str | None = None
    origin: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "hardship", enum_tuple(self.hardship, "sensitive.hardship", HardshipCategory)
        )
        if self.gender is not None and self.gender not in GENDERS:
            raise ValidationError(
                "sensitive.gender", f"got {self.gender!r}; allowed values are {', '.join(GENDERS)}"
            )
        object.__setattr__(
            self, "disability", opt_bool(self.disability, "sensitive.disability", None)
        )
        object.__setattr__(self, "ethnicity", opt_str(self.ethnicity, "sensitive.ethnicity"))
        object.__setattr__(self, "origin", opt_str(self.origin, "sensitive.origin"))

    @property
    def assisted(self) -> bool:
        """Whether the candidate is a hardship-assisted graduate (帮扶对象)."""
        return bool(self.hardship) or bool(self.disability)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> SensitiveAttributes:
        """Build the record from a mapping; ``None`` gives an empty record.

        Unknown keys are refused; a gender may also be given as 女 (female) or 男 (male).
        """
        if data is None:
            return cls()
        check_keys(data, (f.name for f in fields(cls)), "sensitive")
        gender = data.get("gender")
        if isinstance(gender, str):
            gender = {"女": "female", "男": "male"}.get(gender.strip(), gender.strip().lower())
        return cls(
            hardship=enum_tuple(data.get("hardship"), "sensitive.hardship", HardshipCategory),
            gender=gender or None,
            disability=opt_bool(data.get("disability"), "sensitive.disability", None),
            ethnicity=data.get("ethnicity"),
            origin=data.get("origin"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping (hardship categories as their values)."""
        return {
            "hardship": [h.value for h in self.hardship],
            "gender": self.gender,
            "disability": self.disability,
            "ethnicity": self.ethnicity,
            "origin": self.origin,
        }
