"""A graduate: the profile every stage may read, and the full record with sensitive attributes.

:class:`CandidateProfile` has no field for sensitive attributes; it is what the catalogue,
retrieval, features and explanations work with. :class:`Candidate` is the record a platform
sends and an owner or operator reads back: the profile plus :class:`SensitiveAttributes`, which
the catalogue splits off into their own record for the priority and fairness stages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from matching.errors import ValidationError
from matching.records.choices import DegreeLevel
from matching.records.fields import (
    check_keys,
    id_field,
    opt_number,
    opt_str,
    str_tuple,
    text_field,
    to_plain,
)
from matching.records.sensitive import SensitiveAttributes

__all__ = ["Candidate", "CandidateProfile"]


@dataclass(frozen=True, slots=True)
class CandidateProfile:
    """A graduate's profile, without sensitive attributes.

    Only ``id`` is required besides some text; a record with just ``{"id", "resume_text"}`` is
    valid, and ingestion reads skills, degree and major from the text when they are missing.
    Salaries are monthly, in CNY.
    """

    id: str
    resume_text: str = ""
    school: str | None = None
    degree: DegreeLevel | None = None
    major: str | None = None
    graduation_year: int | None = None
    skills: tuple[str, ...] = ()
    desired_cities: tuple[str, ...] = ()
    desired_job_types: tuple[str, ...] = ()
    expected_salary: int | None = None
    experience_years: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", id_field(self.id, "id"))
        object.__setattr__(self, "resume_text", text_field(self.resume_text, "resume_text"))
        object.__setattr__(self, "school", opt_str(self.school, "school"))
        if self.degree is not None:
            object.__setattr__(self, "degree", DegreeLevel.parse(self.degree, "degree"))
        object.__setattr__(self, "major", opt_str(self.major, "major"))
        object.__setattr__(
            self,
            "graduation_year",
            opt_number(self.graduation_year, "graduation_year", lo=1950, hi=2100, integer=True),
        )
        for name in ("skills", "desired_cities", "desired_job_types"):
            object.__setattr__(self, name, str_tuple(getattr(self, name), name))
        object.__setattr__(
            self,
            "expected_salary",
            opt_number(self.expected_salary, "expected_salary", lo=0, hi=10_000_000, integer=True),
        )
        years = opt_number(self.experience_years, "experience_years", lo=0, hi=60)
        object.__setattr__(self, "experience_years", float(years or 0.0))
        if not (self.resume_text or self.skills or self.major):
            raise ValidationError(
                "resume_text", "is empty; give a resume text, or at least skills or a major"
            )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CandidateProfile:
        """Build a profile from a JSON-like mapping; unknown keys (``sensitive``) are refused."""
        check_keys(data, (f.name for f in fields(cls)), "candidate")
        return cls(**_profile_kwargs(data))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping: enums as values, tuples as lists."""
        return to_plain(self)


@dataclass(frozen=True, slots=True)
class Candidate(CandidateProfile):
    """A graduate's profile with their sensitive attributes (see the module notes).

    Examples
    --------
    >>> c = Candidate.from_dict(
    ...     {"id": "c1", "resume_text": "统计学本科", "sensitive": {"gender": "female"}}
    ... )
    >>> c.sensitive.gender, "sensitive" in c.profile().to_dict()
    ('female', False)
    """

    sensitive: SensitiveAttributes = field(default_factory=SensitiveAttributes)

    def __post_init__(self) -> None:
        CandidateProfile.__post_init__(self)
        if not isinstance(self.sensitive, SensitiveAttributes):
            raise ValidationError("sensitive", "must be a SensitiveAttributes record")

    def profile(self) -> CandidateProfile:
        """The same graduate without the sensitive record."""
        return CandidateProfile(**{f.name: getattr(self, f.name) for f in fields(CandidateProfile)})

    @classmethod
    def from_profile(
        cls, profile: CandidateProfile, sensitive: SensitiveAttributes | None = None
    ) -> Candidate:
        """A full record from a profile and (optionally) its sensitive record."""
        values = {f.name: getattr(profile, f.name) for f in fields(CandidateProfile)}
        return cls(**values, sensitive=sensitive or SensitiveAttributes())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Candidate:
        """Build a candidate from a JSON-like mapping; unknown keys are refused."""
        check_keys(data, (f.name for f in fields(cls)), "candidate")
        kwargs = _profile_kwargs({k: v for k, v in data.items() if k != "sensitive"})
        return cls(**kwargs, sensitive=SensitiveAttributes.from_dict(data.get("sensitive")))

    def to_dict(self, *, include_sensitive: bool = True) -> dict[str, Any]:
        """A JSON-ready mapping; ``include_sensitive=False`` drops the sensitive record."""
        out = to_plain(self)
        if include_sensitive:
            out["sensitive"] = self.sensitive.to_dict()
        else:
            out.pop("sensitive", None)
        return out


def _profile_kwargs(data: Mapping[str, Any]) -> dict[str, Any]:
    if "id" not in data:
        raise ValidationError("id", "is missing; every candidate needs an id")
    kwargs = dict(data)
    if isinstance(kwargs.get("id"), int) and not isinstance(kwargs.get("id"), bool):
        kwargs["id"] = str(kwargs["id"])
    if kwargs.get("experience_years") is None:
        kwargs.pop("experience_years", None)
    return kwargs
