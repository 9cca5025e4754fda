"""A job posting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from matching.errors import ValidationError
from matching.records.choices import DegreeLevel, EmployerType, EmploymentType
from matching.records.fields import (
    check_keys,
    id_field,
    opt_bool,
    opt_date,
    opt_number,
    opt_str,
    str_tuple,
    text_field,
    to_plain,
)

__all__ = ["Job"]


@dataclass(frozen=True, slots=True)
class Job:
    """A job posting. Salaries are monthly, in CNY; dates are ISO 8601."""

    id: str
    title: str = ""
    description: str = ""
    employer: str | None = None
    employer_type: EmployerType | None = None
    industry: str | None = None
    city: str | None = None
    job_type: str | None = None
    min_degree: DegreeLevel | None = None
    preferred_majors: tuple[str, ...] = ()
    required_skills: tuple[str, ...] = ()
    preferred_skills: tuple[str, ...] = ()
    salary_min: int | None = None
    salary_max: int | None = None
    employment_type: EmploymentType = EmploymentType.FULL_TIME
    headcount: int = 1
    experience_years: float | None = None
    posted_at: date | None = None
    deadline: date | None = None
    key_sector: bool = False
    grassroots_programme: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", id_field(self.id, "id"))
        object.__setattr__(self, "title", text_field(self.title, "title"))
        object.__setattr__(self, "description", text_field(self.description, "description"))
        if not (self.title or self.description):
            raise ValidationError("description", "is empty; give a description or a title")
        for name in ("employer", "industry", "city", "job_type"):
            object.__setattr__(self, name, opt_str(getattr(self, name), name))
        if self.employer_type is not None:
            object.__setattr__(
                self, "employer_type", EmployerType.parse(self.employer_type, "employer_type")
            )
        if self.min_degree is not None:
            object.__setattr__(self, "min_degree", DegreeLevel.parse(self.min_degree, "min_degree"))
        for name in ("preferred_majors", "required_skills", "preferred_skills"):
            object.__setattr__(self, name, str_tuple(getattr(self, name), name))
        for name in ("salary_min", "salary_max"):
            object.__setattr__(
                self,
                name,
                opt_number(getattr(self, name), name, lo=0, hi=10_000_000, integer=True),
            )
        if (
            self.salary_min is not None
            and self.salary_max is not None
            and self.salary_min > self.salary_max
        ):
            raise ValidationError(
                "salary_max", f"got {self.salary_max}, below salary_min={self.salary_min}"
            )
        object.__setattr__(
            self, "employment_type", EmploymentType.parse(self.employment_type, "employment_type")
        )
        object.__setattr__(
            self,
            "headcount",
            opt_number(self.headcount, "headcount", lo=1, hi=100_000, integer=True),
        )
        object.__setattr__(
            self,
            "experience_years",
            opt_number(self.experience_years, "experience_years", lo=0, hi=60),
        )
        object.__setattr__(self, "posted_at", opt_date(self.posted_at, "posted_at"))
        object.__setattr__(self, "deadline", opt_date(self.deadline, "deadline"))
        if self.posted_at and self.deadline and self.deadline < self.posted_at:
            raise ValidationError(
                "deadline",
                f"got {self.deadline.isoformat()}, before posted_at {self.posted_at.isoformat()}",
            )
        object.__setattr__(self, "key_sector", opt_bool(self.key_sector, "key_sector", False))
        object.__setattr__(
            self,
            "grassroots_programme",
            opt_bool(self.grassroots_programme, "grassroots_programme", False),
        )

    @property
    def text(self) -> str:
        """Title and description, the text that is embedded."""
        return f"{self.title}\n{self.description}".strip()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Job:
        """Build a job from a JSON-like mapping; unknown keys are refused."""
        check_keys(data, (f.name for f in fields(cls)), "job")
        if "id" not in data:
            raise ValidationError("id", "is missing; every job needs an id")
        kwargs = dict(data)
        if isinstance(kwargs.get("id"), int) and not isinstance(kwargs.get("id"), bool):
            kwargs["id"] = str(kwargs["id"])
        for name, default in (("employment_type", EmploymentType.FULL_TIME), ("headcount", 1)):
            if kwargs.get(name) is None:
                kwargs[name] = default
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping: enums as values, dates as ISO strings."""
        return to_plain(self)
