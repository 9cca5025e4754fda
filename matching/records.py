"""Frozen domain records: :class:`Candidate`, :class:`Job`, :class:`Event` and :class:`Match`.

Records are validated when they are built, whether from Python or from a mapping with
``from_dict``; a bad value raises :class:`~matching.errors.ValidationError` naming the field.
Sensitive attributes of a candidate live in their own record, :class:`SensitiveAttributes`, so
that code which must not see them (features, recruiter output) never needs to touch them.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, timezone
from typing import Any

from matching.errors import ValidationError

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

MAX_TEXT_CHARS = 50_000
MAX_LIST_ITEMS = 200
MAX_ID_CHARS = 128


class _Choice(str, enum.Enum):
    """A closed set of options; accepts the value or one of its aliases (Chinese labels)."""

    @classmethod
    def aliases(cls) -> Mapping[str, str]:
        return {}

    @classmethod
    def parse(cls, value: Any, field_name: str) -> Any:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            key = value.strip().lower()
            for member in cls:
                if member.value == key:
                    return member
            alias = cls.aliases().get(value.strip())
            if alias is not None:
                return cls(alias)
        allowed = ", ".join(m.value for m in cls)
        raise ValidationError(field_name, f"got {value!r}; allowed values are {allowed}")


class DegreeLevel(_Choice):
    """Degree levels, in increasing order (see :meth:`rank`)."""

    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTOR = "doctor"

    @classmethod
    def aliases(cls) -> Mapping[str, str]:
        return {
            "大专": "associate",
            "专科": "associate",
            "高职": "associate",
            "本科": "bachelor",
            "学士": "bachelor",
            "硕士": "master",
            "研究生": "master",
            "博士": "doctor",
            "phd": "doctor",
            "PhD": "doctor",
        }

    @property
    def rank(self) -> int:
        """Ordinal position: associate 1, bachelor 2, master 3, doctor 4."""
        return _DEGREE_RANK[self]


_DEGREE_RANK = {
    DegreeLevel.ASSOCIATE: 1,
    DegreeLevel.BACHELOR: 2,
    DegreeLevel.MASTER: 3,
    DegreeLevel.DOCTOR: 4,
}


class EmployerType(_Choice):
    STATE_OWNED = "state_owned"
    PRIVATE = "private"
    FOREIGN = "foreign"
    PUBLIC_INSTITUTION = "public_institution"
    GOVERNMENT = "government"
    NONPROFIT = "nonprofit"
    OTHER = "other"

    @classmethod
    def aliases(cls) -> Mapping[str, str]:
        return {
            "国企": "state_owned",
            "央企": "state_owned",
            "民企": "private",
            "民营": "private",
            "外企": "foreign",
            "外资": "foreign",
            "事业单位": "public_institution",
            "机关": "government",
            "政府机关": "government",
            "非营利": "nonprofit",
            "其他": "other",
        }


class EmploymentType(_Choice):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    INTERNSHIP = "internship"
    CONTRACT = "contract"

    @classmethod
    def aliases(cls) -> Mapping[str, str]:
        return {"全职": "full_time", "兼职": "part_time", "实习": "internship", "合同": "contract"}


class HardshipCategory(_Choice):
    """Hardship-assistance categories (帮扶对象) for the bounded priority."""

    POVERTY_ALLEVIATED_FAMILY = "poverty_alleviated_family"
    MINIMUM_LIVING_ALLOWANCE = "minimum_living_allowance"
    NEAR_MINIMUM_LIVING_ALLOWANCE = "near_minimum_living_allowance"
    RIGID_EXPENDITURE_HARDSHIP = "rigid_expenditure_hardship"
    ZERO_EMPLOYMENT_FAMILY = "zero_employment_family"
    DISABILITY = "disability"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed"

    @classmethod
    def aliases(cls) -> Mapping[str, str]:
        return {
            "脱贫家庭": "poverty_alleviated_family",
            "低保家庭": "minimum_living_allowance",
            "低保边缘家庭": "near_minimum_living_allowance",
            "刚性支出困难家庭": "rigid_expenditure_hardship",
            "零就业家庭": "zero_employment_family",
            "残疾": "disability",
            "残疾毕业生": "disability",
            "长期失业": "long_term_unemployed",
            "长期失业毕业生": "long_term_unemployed",
        }


class EventType(_Choice):
    """Interaction events, graded: view < apply < interview < offer < hire."""

    VIEW = "view"
    APPLY = "apply"
    INTERVIEW = "interview"
    OFFER = "offer"
    HIRE = "hire"

    @property
    def grade(self) -> int:
        """Relevance grade used as the learning-to-rank label (view 1 ... hire 5)."""
        return _EVENT_GRADE[self]


_EVENT_GRADE = {
    EventType.VIEW: 1,
    EventType.APPLY: 2,
    EventType.INTERVIEW: 3,
    EventType.OFFER: 4,
    EventType.HIRE: 5,
}

_GENDERS = ("female", "male", "other")


# ---------------------------------------------------------------------------------------------
# field coercion helpers: each names the field and what is allowed


def _id(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(name, f"got {value!r}; a non-empty string is required")
    value = value.strip()
    if len(value) > MAX_ID_CHARS:
        raise ValidationError(name, f"got {len(value)} characters; at most {MAX_ID_CHARS} allowed")
    return value


def _text(value: Any, name: str, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(name, f"got {type(value).__name__}; a string is required")
    if len(value) > MAX_TEXT_CHARS:
        raise ValidationError(name, f"got {len(value)} characters; at most {MAX_TEXT_CHARS}")
    if required and not value.strip():
        raise ValidationError(name, "is empty; a non-empty text is required")
    return value.strip()


def _opt_str(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(name, f"got {type(value).__name__}; a string or null is required")
    value = value.strip()
    if len(value) > 200:
        raise ValidationError(name, f"got {len(value)} characters; at most 200 allowed")
    return value or None


def _str_tuple(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        # A single comma/、-separated string is a common CSV export; split it.
        value = list(value.replace("、", ",").replace("，", ",").split(","))
    if not isinstance(value, Iterable):
        raise ValidationError(name, f"got {type(value).__name__}; a list of strings is required")
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise ValidationError(
                f"{name}[{i}]", f"got {type(item).__name__}; a string is required"
            )
        item = item.strip()
        if item and item not in out:
            out.append(item)
    if len(out) > MAX_LIST_ITEMS:
        raise ValidationError(name, f"got {len(out)} items; at most {MAX_LIST_ITEMS} allowed")
    return tuple(out)


def _opt_number(value: Any, name: str, *, lo: float, hi: float, integer: bool = False) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value) if not integer else int(str(value).strip())
        except (TypeError, ValueError):
            kind = "an integer" if integer else "a number"
            raise ValidationError(name, f"got {value!r}; {kind} is required") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(name, f"got {value!r}; a finite number is required")
    if integer and isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(name, f"got {value!r}; an integer is required")
        value = int(value)
    if not lo <= value <= hi:
        raise ValidationError(name, f"got {value!r}; allowed range is {lo:g} to {hi:g}")
    return value


def _opt_bool(value: Any, name: str, default: bool | None) -> bool | None:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if value in (0, 1) and not isinstance(value, float):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in {
        "true",
        "false",
        "yes",
        "no",
        "是",
        "否",
    }:
        return value.strip().lower() in {"true", "yes", "是"}
    raise ValidationError(name, f"got {value!r}; true or false is required")


def _opt_date(value: Any, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ValidationError(name, f"got {value!r}; an ISO 8601 date (YYYY-MM-DD) is required")


def _opt_datetime(value: Any, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(
                name, f"got {value!r}; an ISO 8601 timestamp is required"
            ) from None
    else:
        raise ValidationError(name, f"got {value!r}; an ISO 8601 timestamp is required")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _enum_tuple(value: Any, name: str, choice: type[_Choice]) -> tuple[Any, ...]:
    items = _str_tuple(value, name) if not isinstance(value, (list, tuple)) else value
    out = []
    for i, item in enumerate(items):
        member = choice.parse(item, f"{name}[{i}]")
        if member not in out:
            out.append(member)
    return tuple(out)


def _check_keys(data: Mapping[str, Any], allowed: Iterable[str], kind: str) -> None:
    if not isinstance(data, Mapping):
        raise ValidationError(kind, f"got {type(data).__name__}; a JSON object is required")
    allowed = set(allowed)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationError(
            unknown[0], f"is not a {kind} field; allowed fields are {', '.join(sorted(allowed))}"
        )


# ---------------------------------------------------------------------------------------------


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
            self, "hardship", _enum_tuple(self.hardship, "sensitive.hardship", HardshipCategory)
        )
        if self.gender is not None and self.gender not in _GENDERS:
            raise ValidationError(
                "sensitive.gender", f"got {self.gender!r}; allowed values are {', '.join(_GENDERS)}"
            )
        object.__setattr__(
            self, "disability", _opt_bool(self.disability, "sensitive.disability", None)
        )
        object.__setattr__(self, "ethnicity", _opt_str(self.ethnicity, "sensitive.ethnicity"))
        object.__setattr__(self, "origin", _opt_str(self.origin, "sensitive.origin"))

    @property
    def assisted(self) -> bool:
        """Whether the candidate is a hardship-assisted graduate (帮扶对象)."""
        return bool(self.hardship) or bool(self.disability)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> SensitiveAttributes:
        if data is None:
            return cls()
        _check_keys(data, (f.name for f in fields(cls)), "sensitive")
        gender = data.get("gender")
        if isinstance(gender, str):
            gender = {"女": "female", "男": "male"}.get(gender.strip(), gender.strip().lower())
        return cls(
            hardship=_enum_tuple(data.get("hardship"), "sensitive.hardship", HardshipCategory),
            gender=gender or None,
            disability=_opt_bool(data.get("disability"), "sensitive.disability", None),
            ethnicity=data.get("ethnicity"),
            origin=data.get("origin"),
        )

    def to_dict(self) -> dict[str, Any]:
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
        object.__setattr__(self, "id", _id(self.id, "id"))
        object.__setattr__(self, "resume_text", _text(self.resume_text, "resume_text"))
        object.__setattr__(self, "school", _opt_str(self.school, "school"))
        if self.degree is not None:
            object.__setattr__(self, "degree", DegreeLevel.parse(self.degree, "degree"))
        object.__setattr__(self, "major", _opt_str(self.major, "major"))
        object.__setattr__(
            self,
            "graduation_year",
            _opt_number(self.graduation_year, "graduation_year", lo=1950, hi=2100, integer=True),
        )
        for name in ("skills", "desired_cities", "desired_job_types"):
            object.__setattr__(self, name, _str_tuple(getattr(self, name), name))
        object.__setattr__(
            self,
            "expected_salary",
            _opt_number(self.expected_salary, "expected_salary", lo=0, hi=10_000_000, integer=True),
        )
        years = _opt_number(self.experience_years, "experience_years", lo=0, hi=60)
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
        _check_keys(data, (f.name for f in fields(cls)), "candidate")
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
        object.__setattr__(self, "id", _id(self.id, "id"))
        object.__setattr__(self, "title", _text(self.title, "title"))
        object.__setattr__(self, "description", _text(self.description, "description"))
        if not (self.title or self.description):
            raise ValidationError("description", "is empty; give a description or a title")
        for name in ("employer", "industry", "city", "job_type"):
            object.__setattr__(self, name, _opt_str(getattr(self, name), name))
        if self.employer_type is not None:
            object.__setattr__(
                self, "employer_type", EmployerType.parse(self.employer_type, "employer_type")
            )
        if self.min_degree is not None:
            object.__setattr__(self, "min_degree", DegreeLevel.parse(self.min_degree, "min_degree"))
        for name in ("preferred_majors", "required_skills", "preferred_skills"):
            object.__setattr__(self, name, _str_tuple(getattr(self, name), name))
        for name in ("salary_min", "salary_max"):
            object.__setattr__(
                self,
                name,
                _opt_number(getattr(self, name), name, lo=0, hi=10_000_000, integer=True),
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
            _opt_number(self.headcount, "headcount", lo=1, hi=100_000, integer=True),
        )
        object.__setattr__(
            self,
            "experience_years",
            _opt_number(self.experience_years, "experience_years", lo=0, hi=60),
        )
        object.__setattr__(self, "posted_at", _opt_date(self.posted_at, "posted_at"))
        object.__setattr__(self, "deadline", _opt_date(self.deadline, "deadline"))
        if self.posted_at and self.deadline and self.deadline < self.posted_at:
            raise ValidationError(
                "deadline",
                f"got {self.deadline.isoformat()}, before posted_at {self.posted_at.isoformat()}",
            )
        object.__setattr__(self, "key_sector", _opt_bool(self.key_sector, "key_sector", False))
        object.__setattr__(
            self,
            "grassroots_programme",
            _opt_bool(self.grassroots_programme, "grassroots_programme", False),
        )

    @property
    def text(self) -> str:
        """Title and description, the text that is embedded."""
        return f"{self.title}\n{self.description}".strip()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Job:
        """Build a job from a JSON-like mapping; unknown keys are refused."""
        _check_keys(data, (f.name for f in fields(cls)), "job")
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
        return _plain(self)


@dataclass(frozen=True, slots=True)
class Event:
    """An interaction between a candidate and a job."""

    candidate_id: str
    job_id: str
    type: EventType
    timestamp: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "candidate_id", _id(self.candidate_id, "candidate_id"))
        object.__setattr__(self, "job_id", _id(self.job_id, "job_id"))
        object.__setattr__(self, "type", EventType.parse(self.type, "type"))
        object.__setattr__(self, "timestamp", _opt_datetime(self.timestamp, "timestamp"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        _check_keys(data, (f.name for f in fields(cls)), "event")
        for name in ("candidate_id", "job_id", "type"):
            if name not in data:
                raise ValidationError(name, "is missing; events need candidate_id, job_id, type")
        kwargs = dict(data)
        for name in ("candidate_id", "job_id"):
            if isinstance(kwargs[name], int) and not isinstance(kwargs[name], bool):
                kwargs[name] = str(kwargs[name])
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
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
    """One ranked result: a job for a candidate, or a candidate for a job."""

    id: str
    rank: int
    score: float
    relevance: float
    reasons: Reasons = field(default_factory=Reasons)

    def to_dict(self) -> dict[str, Any]:
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
