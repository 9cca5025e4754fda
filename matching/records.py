"""Frozen domain records: :class:`Candidate`, :class:`Job`, :class:`Event` and :class:`Match`.

Records are validated when they are built, whether from Python or from a mapping with
``from_dict``; a bad value raises :class:`~matching.errors.ValidationError` naming the field.
Sensitive attributes of a candidate live in their own record, :class:`SensitiveAttributes`, so
that code which must not see them (features, recruiter output) never needs to touch them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any

from matching.choices import (
    DegreeLevel,
    EmployerType,
    EmploymentType,
    EventType,
    HardshipCategory,
)
from matching.errors import ValidationError
from matching.fields import (
    check_keys,
    enum_tuple,
    id_field,
    opt_bool,
    opt_date,
    opt_datetime,
    opt_number,
    opt_str,
    str_tuple,
    text_field,
)

__all__ = [
    "Candidate",
    "DegreeLevel",
    "EmployerType",
    "EmploymentType",
    "Event",
    "EventType",
    "HardshipCategory",
    "Job",
    "Match",
    "Reasons",
    "SensitiveAttributes",
]

_GENDERS = ("female", "male", "other")


@dataclass(frozen=True, slots=True)
class SensitiveAttributes:
    """Attributes used only by the priority and fairness stages and by audits.

    They never become ranking features and never appear in what a recruiter receives.
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
        if self.gender is not None and self.gender not in _GENDERS:
            raise ValidationError(
                "sensitive.gender", f"got {self.gender!r}; allowed values are {', '.join(_GENDERS)}"
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


@dataclass(frozen=True, slots=True)
class Candidate:
    """A graduate's profile.

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
    sensitive: SensitiveAttributes = field(default_factory=SensitiveAttributes)

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
        if not isinstance(self.sensitive, SensitiveAttributes):
            raise ValidationError("sensitive", "must be a SensitiveAttributes record")
        if not (self.resume_text or self.skills or self.major):
            raise ValidationError(
                "resume_text", "is empty; give a resume text, or at least skills or a major"
            )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Candidate:
        """Build a candidate from a JSON-like mapping; unknown keys are refused."""
        check_keys(data, (f.name for f in fields(cls)), "candidate")
        if "id" not in data:
            raise ValidationError("id", "is missing; every candidate needs an id")
        kwargs = {k: v for k, v in data.items() if k != "sensitive"}
        if isinstance(kwargs.get("id"), int) and not isinstance(kwargs.get("id"), bool):
            kwargs["id"] = str(kwargs["id"])
        if kwargs.get("experience_years") is None:
            kwargs.pop("experience_years", None)
        return cls(**kwargs, sensitive=SensitiveAttributes.from_dict(data.get("sensitive")))

    def to_dict(self, *, include_sensitive: bool = True) -> dict[str, Any]:
        """A JSON-ready mapping; ``include_sensitive=False`` drops the sensitive record."""
        out = _plain(self)
        if include_sensitive:
            out["sensitive"] = self.sensitive.to_dict()
        else:
            out.pop("sensitive", None)
        return out


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
        return _plain(self)


@dataclass(frozen=True, slots=True)
class Event:
    """An interaction between a candidate and a job."""

    candidate_id: str
    job_id: str
    type: EventType
    timestamp: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "candidate_id", id_field(self.candidate_id, "candidate_id"))
        object.__setattr__(self, "job_id", id_field(self.job_id, "job_id"))
        object.__setattr__(self, "type", EventType.parse(self.type, "type"))
        object.__setattr__(self, "timestamp", opt_datetime(self.timestamp, "timestamp"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        """Build an event from a JSON-like mapping; candidate, job and type are required."""
        check_keys(data, (f.name for f in fields(cls)), "event")
        for name in ("candidate_id", "job_id", "type"):
            if name not in data:
                raise ValidationError(name, "is missing; events need candidate_id, job_id, type")
        kwargs = dict(data)
        for name in ("candidate_id", "job_id"):
            if isinstance(kwargs[name], int) and not isinstance(kwargs[name], bool):
                kwargs[name] = str(kwargs[name])
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping: the type as its value, the timestamp as an ISO string."""
        return _plain(self)


@dataclass(frozen=True, slots=True)
class Reasons:
    """Why an item was matched: skills and the features that moved the score most."""

    matched_skills: tuple[str, ...] = ()
    missing_skills: tuple[str, ...] = ()
    top_features: tuple[tuple[str, float], ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked result: a job for a candidate, or a candidate for a job.

    For a job recommended to a candidate, ``score`` is the ranker's score and ``relevance``
    the same on the engine's fixed scale, clipped to [0, 1] (1 is a top score of the current
    model). For a candidate ranked for a recruiter both are a function of the rank alone
    (1.0 for the first of n, then down by 1/n), since model scores beside an order that the
    priority or fairness stage changed would show whom they moved. ``reasons`` say why.
    """

    id: str
    rank: int
    score: float
    relevance: float
    reasons: Reasons = field(default_factory=Reasons)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping, with each top feature as ``{feature, contribution}``."""
        return {
            "id": self.id,
            "rank": self.rank,
            "score": self.score,
            "relevance": self.relevance,
            "reasons": {
                "matched_skills": list(self.reasons.matched_skills),
                "missing_skills": list(self.reasons.missing_skills),
                "top_features": [
                    {"feature": n, "contribution": v} for n, v in self.reasons.top_features
                ],
                "notes": list(self.reasons.notes),
            },
        }


def _plain(record: Any) -> dict[str, Any]:
    """JSON-ready dict of a record: enums to values, dates to ISO strings, tuples to lists."""
    out = asdict(record)
    for key, value in list(out.items()):
        out[key] = _jsonable(value)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value
