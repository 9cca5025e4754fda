"""Closed sets of options used by the records, with their Chinese labels as aliases.

Each parses from its value or an alias and refuses anything else with an error that lists
the allowed values.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from matching.errors import ValidationError

__all__ = [
    "Choice",
    "DegreeLevel",
    "Direction",
    "EmployerType",
    "EmploymentType",
    "EventType",
    "HardshipCategory",
]


class Choice(str, enum.Enum):
    """A closed set of options; accepts the value or one of its aliases (Chinese labels)."""

    @classmethod
    def aliases(cls) -> Mapping[str, str]:
        """Map accepted aliases (Chinese labels) to member values; none by default."""
        return {}

    @classmethod
    def parse(cls, value: Any, field_name: str) -> Any:
        """Return the member named by ``value`` (a member, a value in any case, or an alias).

        Parameters
        ----------
        value : Any
            What the caller gave.
        field_name : str
            The field to name in the error.

        Returns
        -------
        Choice
            A member of this class.

        Raises
        ------
        ValidationError
            ``value`` is neither a value nor an alias; the message lists the allowed values.
        """
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


class DegreeLevel(Choice):
    """Degree levels, in increasing order (see :meth:`rank`)."""

    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTOR = "doctor"

    @classmethod
    def aliases(cls) -> Mapping[str, str]:
        """Chinese degree names (本科, 硕士, ...) and PhD."""
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


class EmployerType(Choice):
    """Employer types (国企, 民企, 外企, ...)."""

    STATE_OWNED = "state_owned"
    PRIVATE = "private"
    FOREIGN = "foreign"
    PUBLIC_INSTITUTION = "public_institution"
    GOVERNMENT = "government"
    NONPROFIT = "nonprofit"
    OTHER = "other"

    @classmethod
    def aliases(cls) -> Mapping[str, str]:
        """Chinese employer-type labels."""
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


class EmploymentType(Choice):
    """Employment types: full time, part time, internship, contract."""

    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    INTERNSHIP = "internship"
    CONTRACT = "contract"

    @classmethod
    def aliases(cls) -> Mapping[str, str]:
        """Chinese employment-type labels."""
        return {"全职": "full_time", "兼职": "part_time", "实习": "internship", "合同": "contract"}


class HardshipCategory(Choice):
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
        """Chinese hardship-category labels (脱贫家庭, 低保家庭, 零就业家庭, ...)."""
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


class EventType(Choice):
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


class Direction(Choice):
    """Which way a ranking goes: jobs for a candidate, or candidates for a job.

    ``"jobs"`` and ``"candidates"`` (the side that is ranked) are accepted as aliases.
    """

    JOBS_FOR_CANDIDATES = "jobs-for-candidates"
    CANDIDATES_FOR_JOB = "candidates-for-job"

    @classmethod
    def aliases(cls) -> Mapping[str, str]:
        """The ranked side's name: ``"jobs"`` and ``"candidates"``."""
        return {"jobs": "jobs-for-candidates", "candidates": "candidates-for-job"}

    @property
    def ranked(self) -> str:
        """The side that is ranked: ``"jobs"`` or ``"candidates"``."""
        return "jobs" if self is Direction.JOBS_FOR_CANDIDATES else "candidates"
