"""Frozen domain records, validated when built, with errors that name the field.

Records are validated whether built from Python or from a mapping with ``from_dict``; a bad
value raises :class:`~matching.errors.ValidationError` naming the field. A candidate's
sensitive attributes live in their own record, :class:`SensitiveAttributes`; the profile that
every ranking stage reads, :class:`CandidateProfile`, has no field for them.
"""

from matching.records.candidate import Candidate, CandidateProfile
from matching.records.choices import (
    Choice,
    DegreeLevel,
    Direction,
    EmployerType,
    EmploymentType,
    EventType,
    HardshipCategory,
)
from matching.records.event import Event
from matching.records.fields import (
    ID_GRAMMAR,
    ID_PATTERN,
    MAX_ID_CHARS,
    MAX_LIST_ITEMS,
    MAX_TEXT_CHARS,
    stored,
)
from matching.records.job import Job
from matching.records.results import Contribution, Match, Reasons
from matching.records.sensitive import GENDERS, SensitiveAttributes

__all__ = [
    "Candidate",
    "CandidateProfile",
    "Choice",
    "Contribution",
    "DegreeLevel",
    "Direction",
    "EmployerType",
    "EmploymentType",
    "Event",
    "EventType",
    "GENDERS",
    "HardshipCategory",
    "ID_GRAMMAR",
    "ID_PATTERN",
    "Job",
    "MAX_ID_CHARS",
    "MAX_LIST_ITEMS",
    "MAX_TEXT_CHARS",
    "Match",
    "Reasons",
    "SensitiveAttributes",
    "stored",
]
