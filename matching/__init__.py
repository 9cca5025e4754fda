"""gradmatch's domain layer: records, store, features, and the :class:`MatchingEngine` facade."""

from matching.config import EngineConfig
from matching.engine import MatchingEngine
from matching.errors import (
    DuplicateIdError,
    GradmatchError,
    LeakageError,
    StorageError,
    UnknownIdError,
    ValidationError,
)
from matching.filters import CandidateFilters, JobFilters
from matching.records import (
    Candidate,
    DegreeLevel,
    EmployerType,
    EmploymentType,
    Event,
    EventType,
    HardshipCategory,
    Job,
    Match,
    Reasons,
    SensitiveAttributes,
)
from matching.training import TrainingReport

__all__ = [
    "Candidate",
    "CandidateFilters",
    "DegreeLevel",
    "DuplicateIdError",
    "EmployerType",
    "EmploymentType",
    "EngineConfig",
    "Event",
    "EventType",
    "GradmatchError",
    "HardshipCategory",
    "Job",
    "JobFilters",
    "LeakageError",
    "Match",
    "MatchingEngine",
    "Reasons",
    "SensitiveAttributes",
    "StorageError",
    "TrainingReport",
    "UnknownIdError",
    "ValidationError",
]
