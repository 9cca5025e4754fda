"""gradmatch's domain layer: the :class:`MatchingEngine` facade and the names its users need.

The subpackages follow one request top to bottom: ``records`` (what comes in), ``ingest``
(files and free text into records), ``text`` and ``lexicon`` (words and vocabularies),
``store`` (the source of truth), ``catalogue`` (records stored, embedded and ready to rank),
``retrieval`` (filters, dense and lexical search), ``features`` (pair features), ``scoring``
(the model of each direction and its training), ``policy`` (bounded priority and fairness),
``explain`` (reasons) and ``evaluation`` (offline metrics against baselines).
"""

from matching.compliance import Flag, check_posting, check_postings
from matching.config import EngineConfig
from matching.demo import demo_as_of
from matching.engine import MatchingEngine, PoolScores
from matching.errors import (
    DuplicateIdError,
    EncoderError,
    GradmatchError,
    LeakageError,
    RecordsChangedError,
    StorageError,
    UnknownIdError,
    ValidationError,
)
from matching.evaluation import EvaluationResult, evaluate, read_relevance
from matching.ingest import (
    job_from_schema_org,
    read_candidates,
    read_events,
    read_jobs,
    read_records,
)
from matching.policy import JobBoost, RankingPolicy
from matching.records import (
    ID_GRAMMAR,
    ID_PATTERN,
    MAX_ID_CHARS,
    MAX_LIST_ITEMS,
    MAX_TEXT_CHARS,
    Candidate,
    CandidateProfile,
    DegreeLevel,
    Direction,
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
from matching.retrieval import CandidateFilters, JobFilters
from matching.scoring import DirectionReport, TrainingReport
from ranking import FairnessConstraint, PriorityPolicy

__all__ = [
    "Candidate",
    "CandidateFilters",
    "CandidateProfile",
    "DegreeLevel",
    "Direction",
    "DirectionReport",
    "DuplicateIdError",
    "EmployerType",
    "EmploymentType",
    "EncoderError",
    "EngineConfig",
    "EvaluationResult",
    "Event",
    "EventType",
    "FairnessConstraint",
    "Flag",
    "GradmatchError",
    "HardshipCategory",
    "ID_GRAMMAR",
    "ID_PATTERN",
    "Job",
    "JobBoost",
    "JobFilters",
    "LeakageError",
    "MAX_ID_CHARS",
    "MAX_LIST_ITEMS",
    "MAX_TEXT_CHARS",
    "Match",
    "MatchingEngine",
    "PoolScores",
    "PriorityPolicy",
    "RankingPolicy",
    "Reasons",
    "RecordsChangedError",
    "SensitiveAttributes",
    "StorageError",
    "TrainingReport",
    "UnknownIdError",
    "ValidationError",
    "check_posting",
    "check_postings",
    "demo_as_of",
    "evaluate",
    "job_from_schema_org",
    "read_candidates",
    "read_events",
    "read_jobs",
    "read_records",
    "read_relevance",
]
