"""Request and response models of the HTTP API.

Input and output are separate models (``JobCreate`` / ``JobPublic``). Input models give the
OpenAPI docs their types and refuse unknown keys; the value checks (ranges, closed sets,
dates in order) stay with the domain records, which raise an error naming the field. Output
models are allow-lists: a field that is not declared here cannot reach a caller, which is how
sensitive attributes stay out of every response.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from matching import (
    ID_GRAMMAR,
    ID_PATTERN,
    MAX_ID_CHARS,
    MAX_LIST_ITEMS,
    MAX_TEXT_CHARS,
    DegreeLevel,
    EmployerType,
    EmploymentType,
    HardshipCategory,
)

__all__ = [
    "AuditResponse",
    "CandidateBatch",
    "CandidateCreate",
    "CandidateMatchPublic",
    "CandidatePublic",
    "CandidateSummary",
    "CandidateUpdate",
    "CandidatesIn",
    "DirectionReportPublic",
    "ErrorDetail",
    "ErrorResponse",
    "EventBatch",
    "EventCreate",
    "EventsIn",
    "EventsRecorded",
    "FeatureContribution",
    "HealthResponse",
    "IdsResponse",
    "JobBatch",
    "JobCreate",
    "JobListItem",
    "JobMatchPublic",
    "JobPublic",
    "JobSummary",
    "JobUpdate",
    "JobsIn",
    "JobsPage",
    "MatchPublic",
    "ModelVersions",
    "RankedCandidatesResponse",
    "ReasonsPublic",
    "RecommendationsResponse",
    "SensitiveCreate",
    "TrainRequest",
    "TrainResponse",
]

_DEGREES = "associate, bachelor, master, doctor (or 大专, 本科, 硕士, 博士)"


def _choices(choice: Any) -> dict[str, Any]:
    """The JSON-schema ``enum`` of a closed set: its values and their Chinese aliases."""
    return {"enum": [m.value for m in choice] + list(choice.aliases())}


Degree = Annotated[str, Field(json_schema_extra=_choices(DegreeLevel))]
EmployerKind = Annotated[str, Field(json_schema_extra=_choices(EmployerType))]
Employment = Annotated[str, Field(json_schema_extra=_choices(EmploymentType))]
Hardship = Annotated[str, Field(json_schema_extra=_choices(HardshipCategory))]
Gender = Annotated[str, Field(json_schema_extra={"enum": ["female", "male", "other", "女", "男"]})]

# The limits the records check, stated in the schema so that it says what the service accepts.
_ID = Field(min_length=1, max_length=MAX_ID_CHARS, pattern=ID_PATTERN,
            description=f"An id: {ID_GRAMMAR}.")  # fmt: skip
Text = Annotated[str, Field(max_length=MAX_TEXT_CHARS)]
Short = Annotated[str, Field(max_length=200)]
Items = Annotated[list[Short], Field(max_length=MAX_LIST_ITEMS)]
Money = Annotated[int, Field(ge=0, le=10_000_000, description="Monthly, CNY.")]
Years = Annotated[float, Field(ge=0, le=60)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @classmethod
    def pick(cls, data: dict[str, Any]) -> Any:
        """Build from a record's dict, keeping only the declared fields (an allow-list)."""
        return cls.model_validate({k: data[k] for k in cls.model_fields if k in data})


# -- jobs -------------------------------------------------------------------------------------


class _JobFields(_In):
    title: Text | None = Field(default=None, description="A title or a description is required.")
    description: Text | None = None
    employer: Short | None = None
    employer_type: EmployerKind | None = Field(
        default=None,
        description="state_owned, private, foreign, public_institution, government, nonprofit, "
        "other (or 国企, 民企, 外企, 事业单位, ...)",
    )
    industry: Short | None = None
    city: Short | None = Field(default=None, examples=["北京"])
    job_type: Short | None = None
    min_degree: Degree | None = Field(default=None, description=_DEGREES)
    preferred_majors: Items | None = None
    required_skills: Items | None = Field(
        default=None, description="Read from the description when omitted."
    )
    preferred_skills: Items | None = None
    salary_min: Money | None = None
    salary_max: Money | None = Field(default=None, description="Not below salary_min.")
    employment_type: Employment | None = Field(
        default=None, description="full_time (default), part_time, internship, contract"
    )
    headcount: int | None = Field(default=None, ge=1, le=100_000)
    experience_years: Years | None = None
    posted_at: date | None = None
    deadline: date | None = Field(default=None, description="Not before posted_at.")
    key_sector: bool | None = None
    grassroots_programme: bool | None = None


def _one_of_given(*fields: str, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """Schema: at least one of these fields is given, as a text or a list with an item.

    That is what the records check (a job needs a title or a description, say); a text of
    whitespace alone counts as not given, which the schema does not state.
    """
    text = {"type": "string", "minLength": 1}
    branches = [{"required": [f], "properties": {f: text}} for f in fields]
    branches += [
        {"required": [f], "properties": {f: {"type": "array", "minItems": 1}}} for f in lists
    ]
    return {"anyOf": branches}


class JobCreate(_JobFields):
    """A job posting to add (or replace, when the id exists)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra=_one_of_given("title", "description")
    )

    id: Annotated[str, _ID] = Field(examples=["j-001"])


class JobUpdate(_JobFields):
    """Fields of a stored job to change; the result is validated like a new job."""


class JobBatch(_In):
    """Several jobs in one request, stored whole or not at all."""

    jobs: list[JobCreate] = Field(min_length=1)


def _batch_or_single(key: str) -> Any:
    def choose(value: Any) -> str:
        return "batch" if isinstance(value, dict) and key in value else "single"

    return Discriminator(choose)


# One body schema for "one record or a batch": the batch is recognised by its key.
JobsIn = Annotated[
    Annotated[JobCreate, Tag("single")] | Annotated[JobBatch, Tag("batch")],
    _batch_or_single("jobs"),
]


class JobPublic(_Out):
    """A stored job."""

    id: str
    title: str
    description: str
    employer: str | None
    employer_type: str | None
    industry: str | None
    city: str | None
    job_type: str | None
    min_degree: str | None
    preferred_majors: list[str]
    required_skills: list[str]
    preferred_skills: list[str]
    salary_min: int | None
    salary_max: int | None
    employment_type: str
    headcount: int
    experience_years: float | None
    posted_at: date | None
    deadline: date | None
    key_sector: bool
    grassroots_programme: bool


class JobSummary(_Out):
    """What a student sees of a recommended job at a glance."""

    title: str
    employer: str | None
    city: str | None
    salary_min: int | None
    salary_max: int | None
    employment_type: str
    deadline: date | None


class JobListItem(JobSummary):
    """A job in a list: its id and summary."""

    id: str


class JobsPage(_Out):
    """One page of the jobs that match a search, and how many match in all."""

    total: int
    offset: int
    limit: int
    jobs: list[JobListItem]


# -- candidates -------------------------------------------------------------------------------


class SensitiveCreate(_In):
    """Sensitive attributes: input only, never returned by any endpoint.

    Used by the bounded priority for hardship-assisted graduates, the fairness constraint and
    audits; never a ranking feature.
    """

    hardship: list[Hardship] | None = Field(
        default=None,
        max_length=MAX_LIST_ITEMS,
        description="Hardship categories (帮扶对象): poverty_alleviated_family, "
        "minimum_living_allowance, near_minimum_living_allowance, "
        "rigid_expenditure_hardship, zero_employment_family, disability, "
        "long_term_unemployed (or the Chinese labels)",
    )
    gender: Gender | None = Field(default=None, description="female, male, other (or 女, 男)")
    disability: bool | None = None
    ethnicity: Short | None = None
    origin: Short | None = None


class _CandidateFields(_In):
    resume_text: Text | None = Field(
        default=None, description="A resume text, or at least skills or a major, is required."
    )
    school: Short | None = None
    degree: Degree | None = Field(default=None, description=_DEGREES)
    major: Short | None = None
    graduation_year: int | None = Field(default=None, ge=1950, le=2100)
    skills: Items | None = Field(
        default=None, description="Read from the resume text when omitted."
    )
    desired_cities: Items | None = None
    desired_job_types: Items | None = None
    expected_salary: Money | None = None
    experience_years: Years | None = None
    sensitive: SensitiveCreate | None = None


class CandidateCreate(_CandidateFields):
    """A graduate's profile to add (or replace, when the id exists)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=_one_of_given("resume_text", "major", lists=("skills",)),
    )

    id: Annotated[str, _ID] = Field(examples=["c-001"])


class CandidateUpdate(_CandidateFields):
    """Fields of a stored candidate to change; ``sensitive`` replaces the whole record."""


class CandidateBatch(_In):
    """Several candidates in one request, stored whole or not at all."""

    candidates: list[CandidateCreate] = Field(min_length=1)


CandidatesIn = Annotated[
    Annotated[CandidateCreate, Tag("single")] | Annotated[CandidateBatch, Tag("batch")],
    _batch_or_single("candidates"),
]


class CandidatePublic(_Out):
    """A stored candidate's profile. There is no field for sensitive attributes."""

    id: str
    resume_text: str
    school: str | None
    degree: str | None
    major: str | None
    graduation_year: int | None
    skills: list[str]
    desired_cities: list[str]
    desired_job_types: list[str]
    expected_salary: int | None
    experience_years: float


class CandidateSummary(_Out):
    """What a recruiter sees of a ranked candidate; never a sensitive attribute."""

    school: str | None
    degree: str | None
    major: str | None
    graduation_year: int | None
    skills: list[str]


class IdsResponse(_Out):
    """The ids stored by a create request, in input order."""

    ids: list[str]


class JobsCreated(IdsResponse):
    """The ids stored by ``POST /v1/jobs``, and those the posting check held back."""

    held: list[str] | None = Field(
        default=None,
        description="Postings the fair-recruitment check held back for an operator (with "
        "posting_check 'hold'); not stored as jobs. Absent when none was held.",
    )


class FlagPublic(_Out):
    """One finding of the fair-recruitment check of a posting."""

    rule: str
    category: Literal["discrimination", "fraud"]
    span: str = Field(description="The exact text flagged.")
    field: Literal["title", "description"]
    start: int
    end: int
    message: str
    suggestion: str


class PostingCheckIn(BaseModel):
    """A posting to check; a whole job body is accepted, and title and description suffice."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = Field(default=None, max_length=128)
    title: str = Field(default="", max_length=MAX_TEXT_CHARS)
    description: str = Field(default="", max_length=MAX_TEXT_CHARS)
    city: str | None = Field(default=None, max_length=200)
    salary_min: int | None = Field(default=None, ge=0)
    salary_max: int | None = Field(default=None, ge=0)
    experience_years: float | None = Field(default=None, ge=0)


class PostingFlags(_Out):
    """The flags of one posting."""

    id: str
    flags: list[FlagPublic]


class PostingFlagsPage(_Out):
    """The stored postings the check flags (the others pass)."""

    n_checked: int
    n_flagged: int
    postings: list[PostingFlags]


class HeldPosting(_Out):
    """A posting kept back by the check, as submitted, with the flags that held it."""

    id: str
    at: str
    record: dict[str, Any]
    flags: list[FlagPublic]


class HeldPostings(_Out):
    """Postings waiting for an operator."""

    postings: list[HeldPosting]


# -- events -----------------------------------------------------------------------------------


class EventCreate(_In):
    """An interaction of a candidate with a job."""

    candidate_id: Annotated[str, _ID]
    job_id: Annotated[str, _ID]
    type: Literal["view", "apply", "interview", "offer", "hire"]
    timestamp: datetime | None = None


class EventBatch(_In):
    """Several events in one request."""

    events: list[EventCreate] = Field(min_length=1)


EventsIn = Annotated[
    Annotated[EventCreate, Tag("single")] | Annotated[EventBatch, Tag("batch")],
    _batch_or_single("events"),
]


class EventsRecorded(_Out):
    """How many events were stored."""

    n_recorded: int


# -- matches ----------------------------------------------------------------------------------


class FeatureContribution(_Out):
    """One feature's part of a score, with what the feature's value means in plain words."""

    feature: str
    contribution: float
    label: str = Field(default="", description="The feature's name in the reasons' language.")
    text: str = Field(default="", description="What the feature's value is for this match.")


class ReasonsPublic(_Out):
    """Why an item was matched."""

    matched_skills: list[str]
    missing_skills: list[str]
    top_features: list[FeatureContribution]
    notes: list[str]
    language: Literal["zh", "en"] = "en"


class MatchPublic(_Out):
    """One ranked result."""

    id: str
    rank: int
    score: float
    relevance: float = Field(
        description="Score on the scorer's fixed [0, 1] scale (comparable across requests "
        "of one model version)."
    )
    reasons: ReasonsPublic


class JobMatchPublic(MatchPublic):
    """A recommended job, with what a student needs to see it at a glance."""

    job: JobSummary


class CandidateMatchPublic(MatchPublic):
    """A ranked candidate, with an optional public profile summary."""

    candidate: CandidateSummary | None = None


class RecommendationsResponse(_Out):
    """Jobs recommended for a candidate, best first."""

    candidate_id: str
    model_version: str
    matches: list[JobMatchPublic]


class RankedCandidatesResponse(_Out):
    """Candidates ranked for a job, best first."""

    job_id: str
    model_version: str
    matches: list[CandidateMatchPublic]


# -- operations -------------------------------------------------------------------------------


class ModelVersions(_Out):
    """Versions of the scorers of both directions."""

    jobs: str = Field(description="Scorer of job recommendations for candidates.")
    candidates: str = Field(description="Scorer of candidate rankings for jobs.")


class TrainRequest(_In):
    """Options of ranker training; every field has a default."""

    negatives_per_query: int = Field(default=30, ge=0, le=1000)
    min_queries: int = Field(default=5, ge=2, le=10**9)
    random_state: int = Field(default=0, ge=0, le=2**31 - 1)
    n_estimators: int = Field(default=300, ge=1, le=2000)
    learning_rate: float = Field(default=0.05, gt=0, le=1)
    num_leaves: int = Field(default=15, ge=2, le=1024, description="Leaves per tree.")
    min_child_samples: int = Field(
        default=50, ge=1, le=10**6, description="Fewest training rows in a leaf."
    )
    require_improvement: bool = Field(
        default=True,
        description="Keep a direction's model only if it beat the transparent scorer on "
        "held-out queries.",
    )


class TrainingStatus(_Out):
    """A background training job."""

    job_id: str
    status: Literal["running", "done", "failed"]
    started_at: str
    finished_at: str | None = None
    report: dict[str, Any] | None = Field(
        default=None, description="When done: the training report, as the train route gives it."
    )
    error: str | None = None


class CohortRequest(_In):
    """A cohort's recommendations, run as a background job (the filters of one student's)."""

    candidate_ids: list[Annotated[str, _ID]] | None = Field(
        default=None,
        max_length=1_000_000,
        description="The graduates to recommend for, in this order; every stored candidate "
        "when left out.",
    )
    k: int = Field(default=10, ge=1, le=100, description="Jobs per graduate.")
    include_expired: bool = Field(default=False, description="Keep jobs past their deadline.")
    include_applied: bool = Field(default=False, description="Keep jobs already applied to.")
    lang: Literal["zh", "en"] | None = Field(
        default=None, description="Language of the reasons; each resume's by default."
    )


class CohortStatus(_Out):
    """A background job computing a cohort's recommendations."""

    job_id: str
    status: Literal["running", "done", "failed"]
    started_at: str
    finished_at: str | None = None
    total: int = Field(description="Graduates in the cohort.")
    done: int = Field(description="Graduates whose recommendations are ready.")
    error: str | None = None


class CohortMatch(_Out):
    """One recommended job of a cohort's list (see the student route for the full form)."""

    id: str
    rank: int
    score: float
    relevance: float


class CohortEntry(_Out):
    """One graduate's recommendations in a cohort job's results."""

    candidate_id: str
    matches: list[CohortMatch]


class CohortResults(_Out):
    """A page of a finished cohort job's recommendations, in the cohort's order."""

    job_id: str
    total: int
    offset: int
    limit: int
    results: list[CohortEntry]


class DirectionReportPublic(_Out):
    """The training outcome of one direction."""

    direction: Literal["jobs-for-candidates", "candidates-for-job"]
    n_queries: int
    n_pairs: int
    trained: bool
    model_version: str | None
    validation_ndcg_at_10: float | None
    transparent_ndcg_at_10: float | None
    adopted: bool
    plan: Literal["time", "query"] | None = Field(
        default=None, description="How the event log was cut: by time, or by query."
    )
    negatives: dict[str, float | None] = Field(
        default_factory=dict,
        description="Validation nDCG@10 of the model trained with each way of drawing negatives.",
    )
    chosen: str | None = Field(default=None, description="The way of drawing negatives kept.")
    n_trees: int | None = None
    n_validation_queries: int = 0


class TrainResponse(_Out):
    """The training outcome of both directions and the scorer versions now in use."""

    n_events: int
    directions: list[DirectionReportPublic]
    model_versions: ModelVersions


class PriorityIn(_In):
    """The bounded priority for hardship-assisted graduates; keys left out keep the engine's."""

    enabled: bool | None = None
    tolerance: float | None = Field(default=None, ge=0, le=1)


class FairnessIn(_In):
    """A fairness constraint on recruiters' top k."""

    kind: Literal["det_greedy", "det_cons", "det_relaxed", "det_const_sort", "fa_ir"]
    target_proportions: dict[str, float] | Literal["pool"] | None = Field(
        default=None,
        description="Multi-group kinds: the share of each group (summing to 1), or 'pool' "
        "for each group's share of the qualified candidates.",
    )
    protected_group: str | None = Field(default=None, description="fa_ir: the protected group.")
    p: float | None = Field(default=None, gt=0, lt=1, description="fa_ir: target minimum share.")
    alpha: float | None = Field(default=None, gt=0, lt=1, description="fa_ir: significance.")
    adjust_alpha: bool | None = None


class JobBoostIn(_In):
    """The bounded boost of key-sector and grassroots-programme postings for students."""

    enabled: bool | None = None
    tolerance: float | None = Field(default=None, ge=0, le=1)
    key_sector: bool | None = None
    grassroots_programme: bool | None = None


class PolicyIn(_In):
    """A ranking policy for one request: the keys given replace the deployment's."""

    priority: PriorityIn | None = None
    fairness: FairnessIn | None = Field(
        default=None, description="A constraint; an explicit null turns the deployment's off."
    )
    attribute: (
        Literal["gender", "assisted", "disability", "ethnicity", "origin", "school_tier", "region"]
        | None
    ) = Field(default=None, description="The attribute that defines the fairness groups.")
    job_boost: JobBoostIn | None = None

    def changes(self) -> dict[str, Any]:
        """The policy as the engine takes it: only what the body set."""
        out = self.model_dump(exclude_unset=True)
        for key in ("priority", "job_boost"):
            if key in out:
                if out[key] is None:
                    del out[key]
                else:
                    out[key] = {k: v for k, v in out[key].items() if v is not None}
        if out.get("fairness") is not None:
            out["fairness"] = {k: v for k, v in out["fairness"].items() if v is not None}
        if out.get("attribute", "") is None:
            del out["attribute"]
        return out


class RankRequest(_In):
    """A recruiter's ranking under a policy of this request (operators)."""

    k: int = Field(default=10, ge=1, le=1000)
    lang: Literal["zh", "en"] | None = None
    cities: list[str] | None = None
    graduation_years: list[int] | None = None
    min_degree: Literal["associate", "bachelor", "master", "doctor"] | None = None
    require_degree: bool = True
    include_profile: bool = True
    policy: PolicyIn | None = None


class AuditReportRequest(_In):
    """Which rankings to audit: jobs (all by default), cut-off, attributes and policy."""

    job_ids: list[str] | None = Field(default=None, max_length=100_000)
    k: int = Field(default=20, ge=1, le=1000)
    attributes: (
        list[
            Literal[
                "gender", "assisted", "disability", "ethnicity", "origin", "school_tier", "region"
            ]
        ]
        | None
    ) = None
    policy: PolicyIn | None = None


class CredentialIn(_In):
    """A credential to create."""

    role: Literal["student", "recruiter", "operator"]
    subject: str | None = Field(
        default=None,
        max_length=200,
        description="The candidate id of a student, the organisation (job employer) of a "
        "recruiter; none for an operator.",
    )
    label: str | None = Field(default=None, max_length=200)


class CredentialPublic(_Out):
    """A credential, without anything secret."""

    key_id: str
    role: Literal["student", "recruiter", "operator"]
    subject: str | None = None
    label: str | None = None
    created_at: str
    revoked_at: str | None = None


class CredentialCreated(_Out):
    """A new credential: the token is shown this once and not kept."""

    key_id: str
    token: str = Field(description="Send as 'Authorization: Bearer <token>'.")
    role: Literal["student", "recruiter", "operator"]
    subject: str | None = None


class CredentialsList(_Out):
    """Every credential, revoked ones included."""

    credentials: list[CredentialPublic]


class AuditCheckResponse(_Out):
    """The audit log's hash chain, recomputed."""

    ok: bool
    n_records: int
    head: str = Field(description="The newest record's hash: keep it to detect a rewrite later.")
    first_bad: int | None = Field(description="Position (from 1) of the first broken record.")
    reason: str


class AuditResponse(_Out):
    """Ranking audit records, newest first: model version, policy, whether a boost acted."""

    records: list[dict[str, Any]]


class HealthResponse(_Out):
    """Service status, how many jobs and candidates are stored, and the scorer versions."""

    status: Literal["ok"]
    n_jobs: int
    n_candidates: int
    model_versions: ModelVersions


class ErrorDetail(_Out):
    """What went wrong: the error type, the field to fix if any, and a message."""

    type: str = Field(examples=["validation_error"])
    field: str | None = Field(default=None, examples=["salary_max"])
    message: str


class ErrorResponse(_Out):
    """The body of every 4xx and 5xx response."""

    error: ErrorDetail
