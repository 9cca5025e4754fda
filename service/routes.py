"""The ``/v1`` routes: records, events, recommendations, rankings, training and audits.

Endpoints are plain ``def`` functions: the engine's work is CPU-bound, so FastAPI runs them
in its threadpool and the event loop stays free. A write is committed to the store before it
is answered; the indexes, embedding cache and models are saved by a background snapshot
(:mod:`service.app`), at once after training and after a candidate is deleted, and inside
every write request when ``Settings.save_on_write`` is on.
"""

from __future__ import annotations

import re
import secrets
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response, Security
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from matching import (
    MatchingEngine,
    StorageError,
    UnknownIdError,
    ValidationError,
)
from service.auth import CredentialError, Principal
from service.errors import ApiKeyError, ConflictError, ForbiddenError
from service.models import (
    AuditCheckResponse,
    AuditReportRequest,
    AuditResponse,
    CandidateBatch,
    CandidateMatchPublic,
    CandidatePublic,
    CandidatesIn,
    CandidateSummary,
    CandidateUpdate,
    CohortRequest,
    CohortResults,
    CohortStatus,
    CredentialCreated,
    CredentialIn,
    CredentialPublic,
    CredentialsList,
    ErrorResponse,
    EventBatch,
    EventsIn,
    EventsRecorded,
    FlagPublic,
    HeldPosting,
    HeldPostings,
    IdsResponse,
    JobBatch,
    JobListItem,
    JobMatchPublic,
    JobPublic,
    JobsCreated,
    JobsIn,
    JobsPage,
    JobSummary,
    JobUpdate,
    ModelVersions,
    PostingCheckIn,
    PostingFlags,
    PostingFlagsPage,
    RankedCandidatesResponse,
    RankRequest,
    RecommendationsResponse,
    TrainingStatus,
    TrainRequest,
    TrainResponse,
)
from service.settings import Settings

__all__ = ["get_engine", "model_versions", "router"]

_api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="A credential (gm_<key id>_<secret>), or with auth off the configured API key.",
)
_bearer = HTTPBearer(
    auto_error=False, description="A credential: Authorization: Bearer gm_<key id>_<secret>."
)
_operator_key_header = APIKeyHeader(
    name="X-Operator-Key",
    auto_error=False,
    description="With auth off, the configured operator key (an operator credential also works).",
)


def _check_key(given: str | None, expected: str | None, header: str) -> None:
    """Refuse unless ``given`` equals the configured key (no check when none is configured)."""
    if expected is None:
        return
    # Constant-time comparison, so the key cannot be guessed from response times.
    if given is None or not secrets.compare_digest(given.encode(), expected.encode()):
        raise ApiKeyError(header)


def authenticate(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    key: Annotated[str | None, Security(_api_key_header)],
    operator_key: Annotated[str | None, Security(_operator_key_header)],
) -> None:
    """Who the request comes from: a credential's role, or with auth off the shared key."""
    settings = request.app.state.settings
    request.state.principal = None
    if settings.auth == "off":
        _check_key(key, settings.api_key, "X-API-Key")
        return
    token = bearer.credentials if bearer is not None else (key or operator_key)
    principal = request.app.state.credentials.verify(token)
    if principal is None:
        raise ApiKeyError("Authorization")
    request.state.principal = principal


def principal_of(request: Request) -> Principal | None:
    """The request's principal; ``None`` with auth off."""
    return getattr(request.state, "principal", None)


def require_operator_key(
    request: Request, key: Annotated[str | None, Security(_operator_key_header)]
) -> None:
    """Operators only: the operator role, or with auth off the operator key (when one is set)."""
    settings = request.app.state.settings
    if settings.auth == "off":
        _check_key(key, settings.operator_api_key, "X-Operator-Key")
        return
    principal = principal_of(request)
    if principal is None or principal.role != "operator":
        raise ForbiddenError("operators only")


def _may_candidate(request: Request, candidate_id: str) -> None:
    """A student reaches their own candidate record only; recruiters none; operators all."""
    p = principal_of(request)
    if p is None or p.role == "operator" or (p.role == "student" and p.subject == candidate_id):
        return
    raise ForbiddenError(
        f"a {p.role} credential does not reach candidate {candidate_id!r}"
        + (" (a student reaches their own record only)" if p.role == "student" else "")
    )


def _may_job(request: Request, engine: MatchingEngine, job_id: str) -> None:
    """A recruiter reaches their organisation's jobs only; operators all."""
    p = principal_of(request)
    if p is None or p.role == "operator":
        return
    if p.role == "recruiter" and engine.get_job(job_id).employer == p.subject:
        return
    raise ForbiddenError(f"a {p.role} credential does not reach job {job_id!r}")


def _not_role(request: Request, *roles: str) -> None:
    p = principal_of(request)
    if p is not None and p.role in roles:
        raise ForbiddenError(f"a {p.role} credential does not reach this route")


async def get_engine(request: Request) -> MatchingEngine:
    """The engine loaded by the app's lifespan."""
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        raise StorageError("the engine is not loaded (the app's lifespan has not run)")
    return engine  # type: ignore[no-any-return]


Engine = Annotated[MatchingEngine, Depends(get_engine)]
JobId = Annotated[str, Path(max_length=128, examples=["j-001"])]
CandidateId = Annotated[str, Path(max_length=128, examples=["c-001"])]
K = Annotated[int, Query(ge=1, le=1000, description="How many matches to return.")]
Lang = Annotated[
    Literal["zh", "en"] | None,
    Query(
        description="Language of the reasons; by default the first of Accept-Language that "
        "is zh or en, else the language of the query's own text."
    ),
]


def _language(lang: str | None, request: Request) -> str | None:
    """The language asked for: the ``lang`` parameter, else Accept-Language, else None."""
    if lang is not None:
        return lang
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in ("zh", "en"):
            return tag
    return None


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in (
        (401, "Missing or wrong API key"),
        (404, "Unknown id"),
        (415, "A body not sent as JSON (`Content-Type: application/json`)"),
        (422, "Invalid input; `error.field` names what to fix"),
    )
}

router = APIRouter(prefix="/v1", dependencies=[Depends(authenticate)], responses=_ERRORS)


def model_versions(engine: MatchingEngine) -> ModelVersions:
    """The scorer versions of both directions."""
    return ModelVersions(
        jobs=engine.model_version("jobs"), candidates=engine.model_version("candidates")
    )


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _persist(request: Request, engine: MatchingEngine, *, now: bool = False) -> None:
    """After a write: save now (``save_on_write``, or ``now``) or at the next snapshot.

    The write itself is already committed to the store.
    """
    settings = _settings(request)
    if not (settings.save_on_write or now):
        request.app.state.dirty = True
        return
    try:
        engine.save(settings.engine_dir)
    except ValueError as exc:  # an engine with no directory and no engine_dir to save to
        raise StorageError(str(exc)) from exc


@contextmanager
def _fields(rename: Callable[[str], str]) -> Iterator[None]:
    """Re-raise the engine's validation errors with the field as this request names it."""
    try:
        yield
    except ValidationError as exc:
        raise ValidationError(rename(exc.field), exc.message) from exc


def _single(field: str) -> str:
    # The engine validates a batch of one: "[0].city" is "city" of this request's body.
    return re.sub(r"^\[0\]\.?", "", field) or "body"


def _batched(name: str) -> Callable[[str], str]:
    return lambda field: f"{name}{field}"


_FILTER_PARAMS = {
    "filters.cities": "city",
    "filters.job_types": "job_type",
    "filters.employment_types": "employment_type",
    "filters.open_on": "include_expired",
    "filters.graduation_years": "graduation_year",
    "filters.min_degree": "min_degree",
}


def _filter_param(field: str) -> str:
    return _FILTER_PARAMS.get(field, field)


def _check_batch(request: Request, name: str, n: int) -> None:
    limit = _settings(request).max_batch
    if n > limit:
        raise ValidationError(name, f"got {n} records; at most {limit} per request")
    if n == 0:
        raise ValidationError(name, "is empty; send at least one record")


# -- jobs -------------------------------------------------------------------------------------


@router.post(
    "/jobs",
    status_code=201,
    response_model=JobsCreated,
    response_model_exclude_none=True,
    tags=["jobs"],
    responses={202: {"model": JobsCreated, "description": "Some postings were held back."}},
)
def create_jobs(request: Request, engine: Engine, body: Annotated[JobsIn, Body()]) -> JobsCreated:
    """Add jobs, one (a job object) or several (``{"jobs": [...]}``).

    An existing id is replaced. A batch is stored whole or not at all. With the service's
    ``posting_check`` set, a posting the fair-recruitment check flags is refused (``reject``,
    422) or held back for an operator (``hold``, 202 with its id under ``held``).
    """
    if isinstance(body, JobBatch):
        _check_batch(request, "jobs", len(body.jobs))
        records, rename = [j.model_dump(exclude_unset=True) for j in body.jobs], _batched("jobs")
    else:
        records, rename = [body.model_dump(exclude_unset=True)], _single
    _not_role(request, "student")
    p = principal_of(request)
    if p is not None and p.role == "recruiter":
        for record in records:
            # a recruiter posts for their own organisation, and may not take over another's job
            if record.setdefault("employer", p.subject) != p.subject:
                raise ForbiddenError(
                    f"a recruiter of {p.subject!r} posts for that organisation only"
                )
            if record["id"] in set(engine.job_ids()):
                _may_job(request, engine, record["id"])
    mode = _settings(request).posting_check
    held: list[str] = []
    if mode != "off":
        checked = engine.check_postings(records)
        flagged = [(n, flags) for n, (_, flags) in enumerate(checked) if flags]
        if flagged and mode == "reject":
            n, flags = flagged[0]
            found = "; ".join(f"{f.rule} {f.span!r} ({f.message})" for f in flags)
            raise ValidationError(
                rename(f"[{n}].{flags[0].field}"),
                f"the posting breaks fair-recruitment rules: {found}; see POST /v1/postings/check",
            )
        if flagged:
            with _fields(rename):
                held = engine.hold_postings(
                    [records[n] for n, _ in flagged], [flags for _, flags in flagged]
                )
            keep = {n for n, _ in flagged}
            records = [r for n, r in enumerate(records) if n not in keep]
    with _fields(rename):
        ids = engine.add_jobs(records) if records else []
    _persist(request, engine)
    if held:
        return JSONResponse(  # type: ignore[return-value]
            status_code=202, content=JobsCreated(ids=ids, held=held).model_dump()
        )
    return JobsCreated(ids=ids)


@router.get("/jobs", response_model=JobsPage, tags=["jobs"])
def list_jobs(
    engine: Engine,
    q: Annotated[str | None, Query(max_length=200, description="Text in the title.")] = None,
    city: Annotated[list[str] | None, Query(description="Only jobs in these cities.")] = None,
    offset: Annotated[int, Query(ge=0, le=10**12)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> JobsPage:
    """Stored jobs, a page at a time, optionally those whose title holds ``q`` or in ``city``."""
    total, jobs = engine.search_jobs(text=q, cities=city, offset=offset, limit=limit)
    items = [JobListItem.pick(j.to_dict()) for j in jobs]
    return JobsPage(total=total, offset=offset, limit=limit, jobs=items)


@router.get("/jobs/{job_id}", response_model=JobPublic, tags=["jobs"])
def read_job(engine: Engine, job_id: JobId) -> JobPublic:
    """A stored job."""
    return JobPublic.pick(engine.get_job(job_id).to_dict())  # type: ignore[no-any-return]


@router.patch("/jobs/{job_id}", response_model=JobPublic, tags=["jobs"])
def update_job(request: Request, engine: Engine, job_id: JobId, body: JobUpdate) -> JobPublic:
    """Change some fields of a job.

    A new title or description re-reads the skills, majors and degree that were taken from the
    old text, unless they are given too.
    """
    _may_job(request, engine, job_id)
    changes = body.model_dump(exclude_unset=True)
    p = principal_of(request)
    if p is not None and p.role == "recruiter" and changes.get("employer", p.subject) != p.subject:
        raise ForbiddenError(f"a recruiter of {p.subject!r} posts for that organisation only")
    if not changes:
        return read_job(engine, job_id)
    with _fields(_single):
        job = engine.update_job(job_id, changes)
    _persist(request, engine)
    return JobPublic.pick(job.to_dict())  # type: ignore[no-any-return]


@router.delete("/jobs/{job_id}", status_code=204, response_class=Response, tags=["jobs"])
def delete_job(request: Request, engine: Engine, job_id: JobId) -> Response:
    """Remove a job and its events."""
    _may_job(request, engine, job_id)
    engine.remove_job(job_id)
    _persist(request, engine)
    return Response(status_code=204)


# -- candidates -------------------------------------------------------------------------------


@router.post("/candidates", status_code=201, response_model=IdsResponse, tags=["candidates"])
def create_candidates(
    request: Request, engine: Engine, body: Annotated[CandidatesIn, Body()]
) -> IdsResponse:
    """Add candidates, one or several (``{"candidates": [...]}``); an existing id is replaced.

    The optional ``sensitive`` object is stored apart and never returned by any endpoint.
    """
    if isinstance(body, CandidateBatch):
        _check_batch(request, "candidates", len(body.candidates))
        records = [c.model_dump(exclude_unset=True) for c in body.candidates]
        rename = _batched("candidates")
    else:
        records, rename = [body.model_dump(exclude_unset=True)], _single
    _not_role(request, "recruiter")
    for record in records:
        _may_candidate(request, str(record.get("id")))
    with _fields(rename):
        ids = engine.add_candidates(records)
    _persist(request, engine)
    return IdsResponse(ids=ids)


@router.get("/candidates/{candidate_id}", response_model=CandidatePublic, tags=["candidates"])
def read_candidate(request: Request, engine: Engine, candidate_id: CandidateId) -> CandidatePublic:
    """A candidate's public profile; sensitive attributes are never returned."""
    _may_candidate(request, candidate_id)
    candidate = engine.get_candidate(candidate_id)
    return CandidatePublic.pick(  # type: ignore[no-any-return]
        candidate.to_dict(include_sensitive=False)
    )


@router.get("/candidates/{candidate_id}/export", response_model=dict[str, Any], tags=["candidates"])
def export_candidate(request: Request, engine: Engine, candidate_id: CandidateId) -> dict[str, Any]:
    """All the service holds about a graduate, sensitive record included: for them or operators.

    ``DELETE /v1/candidates/{id}`` removes all of it (the audit log keeps a pseudonym only).
    """
    _may_candidate(request, candidate_id)
    return engine.export_candidate(candidate_id)


@router.patch("/candidates/{candidate_id}", response_model=CandidatePublic, tags=["candidates"])
def update_candidate(
    request: Request, engine: Engine, candidate_id: CandidateId, body: CandidateUpdate
) -> CandidatePublic:
    """Change some fields of a candidate.

    ``sensitive``, when given, replaces the whole sensitive record.
    """
    _may_candidate(request, candidate_id)
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        return read_candidate(request, engine, candidate_id)
    with _fields(_single):
        candidate = engine.update_candidate(candidate_id, changes)
    _persist(request, engine)
    return CandidatePublic.pick(  # type: ignore[no-any-return]
        candidate.to_dict(include_sensitive=False)
    )


@router.delete(
    "/candidates/{candidate_id}", status_code=204, response_class=Response, tags=["candidates"]
)
def delete_candidate(request: Request, engine: Engine, candidate_id: CandidateId) -> Response:
    """Remove a candidate, their sensitive record and their events."""
    _may_candidate(request, candidate_id)
    engine.remove_candidate(candidate_id)
    # at once: the saved index and embedding cache must not keep the deleted profile
    _persist(request, engine, now=True)
    return Response(status_code=204)


# -- events -----------------------------------------------------------------------------------


@router.post("/events", status_code=201, response_model=EventsRecorded, tags=["events"])
def create_events(
    request: Request, engine: Engine, body: Annotated[EventsIn, Body()]
) -> EventsRecorded:
    """Record interactions (view, apply, interview, offer, hire), one or several.

    Several go in ``{"events": [...]}``. Events are the training data of the ranker.
    """
    if isinstance(body, EventBatch):
        _check_batch(request, "events", len(body.events))
        records = [e.model_dump(exclude_unset=True) for e in body.events]
        rename = _batched("events")
    else:
        records, rename = [body.model_dump(exclude_unset=True)], _single
    p = principal_of(request)
    for record in records:
        if p is not None and p.role == "student":
            _may_candidate(request, str(record.get("candidate_id")))
        elif p is not None and p.role == "recruiter":
            # a recruiter records what happened on their own jobs (interviews, offers, hires)
            _may_job(request, engine, str(record.get("job_id")))
    with _fields(rename):
        n = engine.record_events(records)
    _persist(request, engine)
    return EventsRecorded(n_recorded=n)


# -- postings check ---------------------------------------------------------------------------


def _flags(flags: list[Any]) -> list[FlagPublic]:
    return [FlagPublic(**f.to_dict()) for f in flags]


@router.post("/postings/check", response_model=PostingFlags, tags=["jobs"])
def check_posting(engine: Engine, body: Annotated[PostingCheckIn, Body()]) -> PostingFlags:
    """Check a posting before it is published; nothing is stored.

    Flags conditions unrelated to the job that the rules on equal employment forbid (gender,
    age, marital or child-bearing status, ethnicity, residence registration or origin,
    health, appearance or height, school tier) and signs of fraud (fees or deposits, moving
    applicants to private contact, pay far outside the market for the occupation and city).
    Each flag names the rule, the exact span and a suggested fix.
    """
    record = body.model_dump(exclude_none=True)
    ((pid, flags),) = engine.check_postings([record])
    return PostingFlags(id=pid, flags=_flags(flags))


@router.get(
    "/postings/flags",
    response_model=PostingFlagsPage,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def stored_posting_flags(engine: Engine) -> PostingFlagsPage:
    """The fair-recruitment check over every stored posting: those flagged, with their flags."""
    results = engine.check_postings()
    flagged = [PostingFlags(id=i, flags=_flags(f)) for i, f in results if f]
    return PostingFlagsPage(n_checked=len(results), n_flagged=len(flagged), postings=flagged)


@router.get(
    "/postings/held",
    response_model=HeldPostings,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def held_postings(engine: Engine) -> HeldPostings:
    """Postings held back by the check, oldest first."""
    return HeldPostings(postings=[HeldPosting(**h) for h in engine.held_postings()])


@router.post(
    "/postings/held/{job_id}/release",
    status_code=201,
    response_model=JobPublic,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def release_posting(request: Request, engine: Engine, job_id: JobId) -> JobPublic:
    """Publish a held posting as it was submitted."""
    job = engine.release_posting(job_id)
    _persist(request, engine)
    return JobPublic.pick(job.to_dict())  # type: ignore[no-any-return]


@router.delete(
    "/postings/held/{job_id}",
    status_code=204,
    response_class=Response,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def drop_posting(request: Request, engine: Engine, job_id: JobId) -> Response:
    """Discard a held posting."""
    engine.drop_held_posting(job_id)
    _persist(request, engine)
    return Response(status_code=204)


# -- matching ---------------------------------------------------------------------------------


@router.get(
    "/candidates/{candidate_id}/recommendations",
    response_model=RecommendationsResponse,
    tags=["students"],
)
def recommend_jobs(
    request: Request,
    engine: Engine,
    candidate_id: CandidateId,
    k: K = 10,
    lang: Lang = None,
    city: Annotated[list[str] | None, Query(description="Only jobs in these cities.")] = None,
    job_type: Annotated[list[str] | None, Query()] = None,
    employment_type: Annotated[
        list[str] | None, Query(description="full_time, part_time, internship, contract")
    ] = None,
    key_sector: Annotated[bool | None, Query(description="Only key-sector jobs (or not).")] = None,
    grassroots_programme: Annotated[bool | None, Query()] = None,
    include_expired: Annotated[bool, Query(description="Keep jobs past their deadline.")] = False,
    include_applied: Annotated[bool, Query(description="Keep jobs already applied to.")] = False,
    require_degree: Annotated[
        bool, Query(description="Leave out jobs that ask for a higher degree.")
    ] = True,
    boost: Annotated[
        bool | None,
        Query(
            description="Turn the bounded boost of key-sector and grassroots-programme postings "
            "on or off for this request (the deployment's setting by default); a boosted posting "
            "passes another only within the configured tolerance, and its reasons say so."
        ),
    ] = None,
) -> RecommendationsResponse:
    """Jobs for a student, best first.

    Each comes with the skills matched and missing and the features that moved its score.
    """
    _may_candidate(request, candidate_id)
    filters: dict[str, Any] = {
        "cities": city or None,
        "job_types": job_type or None,
        "employment_types": employment_type or None,
        "key_sector": key_sector,
        "grassroots_programme": grassroots_programme,
        "open_on": None if include_expired else date.today(),
        "exclude_applied": not include_applied,
        "require_degree": require_degree,
    }
    with _fields(_filter_param):
        matches = engine.recommend_jobs(
            candidate_id,
            k=k,
            filters=filters,
            language=_language(lang, request),
            policy=None if boost is None else {"job_boost": {"enabled": boost}},
        )
    request.state.stages = ("jobs", engine.stage_timings())
    out = [
        JobMatchPublic.pick({**m.to_dict(), "job": JobSummary.pick(engine.get_job(m.id).to_dict())})
        for m in matches
    ]
    return RecommendationsResponse(
        candidate_id=candidate_id, model_version=engine.model_version("jobs"), matches=out
    )


@router.get(
    "/jobs/{job_id}/candidates", response_model=RankedCandidatesResponse, tags=["recruiters"]
)
def rank_candidates(
    request: Request,
    engine: Engine,
    job_id: JobId,
    k: K = 10,
    lang: Lang = None,
    city: Annotated[
        list[str] | None, Query(description="Only candidates who want to work in these cities.")
    ] = None,
    graduation_year: Annotated[list[int] | None, Query()] = None,
    min_degree: Annotated[
        str | None, Query(description="associate, bachelor, master, doctor")
    ] = None,
    require_degree: Annotated[
        bool, Query(description="Leave out candidates below the job's minimum degree.")
    ] = True,
    include_profile: Annotated[
        bool, Query(description="Add school, degree, major, graduation year and skills.")
    ] = True,
) -> RankedCandidatesResponse:
    """Candidates for a recruiter's job, best first.

    The ranking may apply the bounded priority for hardship-assisted graduates and a fairness
    constraint, and is written to the audit log; the response carries no sensitive attribute.
    """
    _not_role(request, "student")
    _may_job(request, engine, job_id)
    filters: dict[str, Any] = {
        "cities": city or None,
        "graduation_years": graduation_year or None,
        "min_degree": min_degree,
        "require_degree": require_degree,
    }
    return _ranked(request, engine, job_id, k, filters, lang, include_profile, None)


def _ranked(
    request: Request,
    engine: MatchingEngine,
    job_id: str,
    k: int,
    filters: dict[str, Any],
    lang: str | None,
    include_profile: bool,
    policy: dict[str, Any] | None,
) -> RankedCandidatesResponse:
    with _fields(_filter_param):
        matches = engine.rank_candidates(
            job_id, k=k, filters=filters, language=_language(lang, request), policy=policy
        )
    request.state.stages = ("candidates", engine.stage_timings())
    out = []
    for m in matches:
        summary = None
        if include_profile:
            # The engine's plain get_candidate holds no sensitive record; the allow-list of
            # CandidateSummary is the second guard.
            profile = engine.get_candidate(m.id).to_dict(include_sensitive=False)
            summary = CandidateSummary.pick(profile)
        out.append(CandidateMatchPublic.pick({**m.to_dict(), "candidate": summary}))
    return RankedCandidatesResponse(
        job_id=job_id, model_version=engine.model_version("candidates"), matches=out
    )


@router.post(
    "/jobs/{job_id}/candidates/ranking",
    response_model=RankedCandidatesResponse,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def rank_candidates_with_policy(
    request: Request, engine: Engine, job_id: JobId, body: Annotated[RankRequest, Body()]
) -> RankedCandidatesResponse:
    """Candidates for a job under a policy given with this request.

    ``policy`` changes the deployment's (priority, fairness constraint and its attribute);
    the ranking is audited with the policy it ran under. What comes back is what a recruiter
    would see: no sensitive attribute, scores of the rank alone.
    """
    filters = {
        "cities": body.cities,
        "graduation_years": body.graduation_years,
        "min_degree": body.min_degree,
        "require_degree": body.require_degree,
    }
    policy = None if body.policy is None else body.policy.changes()
    with _fields(lambda f: f if f.startswith("policy") else _filter_param(f)):
        return _ranked(
            request, engine, job_id, body.k, filters, body.lang, body.include_profile, policy
        )


# -- operations -------------------------------------------------------------------------------


class _BackgroundJobs:
    """One kind of the service's background jobs: one at a time, each in a thread.

    Each job's status is kept for its status route.

    Parameters
    ----------
    kind : str
        ``"training"`` or ``"cohort"``, for messages.
    route : str
        The status route's prefix, named in the 409 answered while a job runs.
    """

    def __init__(self, kind: str, route: str) -> None:
        self.kind, self.route = kind, route
        self.lock = threading.Lock()
        self.jobs: dict[str, dict[str, Any]] = {}
        self.running: str | None = None

    def start(
        self,
        prepare: Callable[[], tuple[dict[str, Any], Callable[[dict[str, Any]], None]]],
    ) -> dict[str, Any]:
        """Start a job unless one runs (409); return its status.

        ``prepare`` runs first, under the lock (its errors are the request's): it returns the
        status's own fields and the work, which is called with the status in a thread and
        may add to it; the status then says done or failed, and when.
        """
        with self.lock:
            if self.running is not None:
                raise ConflictError(
                    f"{self.kind} job {self.running!r} is running; see {self.route}/{self.running}"
                )
            fields, work = prepare()
            job_id = uuid.uuid4().hex[:12]
            status: dict[str, Any] = {
                "job_id": job_id,
                "status": "running",
                "started_at": _now(),
                **fields,
            }
            self.jobs[job_id] = status
            self.running = job_id

        def run() -> None:
            try:
                work(status)
                status["status"] = "done"
            except Exception as exc:  # reported on the status route
                status["status"], status["error"] = "failed", f"{type(exc).__name__}: {exc}"
            finally:
                status["finished_at"] = _now()
                with self.lock:
                    self.running = None

        threading.Thread(target=run, name=f"{self.kind}-{job_id}", daemon=True).start()
        return status

    def status(self, job_id: str) -> dict[str, Any]:
        """A job's status; :class:`UnknownIdError` for an id that names none."""
        status = self.jobs.get(job_id)
        if status is None:
            raise UnknownIdError(f"{self.kind} job", job_id)
        return status


def _jobs(request: Request, kind: str, route: str) -> _BackgroundJobs:
    """The app's background jobs of ``kind``, made on first use."""
    state = request.app.state
    jobs = getattr(state, f"{kind}_jobs", None)
    if jobs is None:
        jobs = _BackgroundJobs(kind, route)
        setattr(state, f"{kind}_jobs", jobs)
    return jobs  # type: ignore[no-any-return]


def _trainings(request: Request) -> _BackgroundJobs:
    return _jobs(request, "training", "/v1/ranker/train")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@router.post(
    "/ranker/train",
    response_model=TrainResponse | TrainingStatus,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
    responses={202: {"model": TrainingStatus, "description": "Training started."}},
)
def train_ranker(
    request: Request,
    engine: Engine,
    body: Annotated[TrainRequest | None, Body()] = None,
    wait: Annotated[
        bool, Query(description="Train inside the request and answer with the report.")
    ] = False,
) -> Any:
    """Train the learning-to-rank models from the recorded events, as a background job.

    Answers 202 with a job id at once; ``GET /v1/ranker/train/{job_id}`` tells how it goes and
    gives the report when done. Requests keep being served meanwhile; the new models replace
    the old ones at the end, in one step. ``wait=true`` trains inside the request instead. A
    direction with too few queries keeps its current scorer. One training runs at a time (409
    while another runs).
    """
    options = (body or TrainRequest()).model_dump()
    if wait:
        report = engine.train_ranker(**options).to_dict()
        _persist(request, engine, now=True)  # models live outside the store
        return TrainResponse.pick({**report, "model_versions": model_versions(engine)})

    def work(status: dict[str, Any]) -> None:
        report = engine.train_ranker(**options).to_dict()
        _persist(request, engine, now=True)  # models live outside the store
        status["report"] = TrainResponse.pick(
            {**report, "model_versions": model_versions(engine)}
        ).model_dump()

    status = _trainings(request).start(lambda: ({}, work))
    return JSONResponse(status_code=202, content=TrainingStatus(**status).model_dump())


@router.get(
    "/ranker/train/{job_id}",
    response_model=TrainingStatus,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def training_status(request: Request, job_id: Annotated[str, Path(max_length=64)]) -> Any:
    """How a training job goes: running, done (with its report) or failed (with the error)."""
    return TrainingStatus(**_trainings(request).status(job_id))


def _cohorts(request: Request) -> _BackgroundJobs:
    return _jobs(request, "cohort", "/v1/cohorts/recommendations")


def _cohort_lists(request: Request) -> dict[str, list[dict[str, Any]]]:
    """Each cohort job's lists so far, by job id."""
    state = request.app.state
    if getattr(state, "cohort_lists", None) is None:
        state.cohort_lists = {}
    return state.cohort_lists  # type: ignore[no-any-return]


@router.post(
    "/cohorts/recommendations",
    response_model=CohortStatus,
    status_code=202,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def start_cohort(request: Request, engine: Engine, body: CohortRequest) -> Any:
    """Recommendations for a whole cohort, as a background job.

    Answers 202 with a job id at once (404 first if an id is not stored);
    ``GET /v1/cohorts/recommendations/{job_id}`` tells how far it is and
    ``.../results`` pages through the lists ready so far, in the cohort's order: each
    graduate's jobs with rank, score and relevance (the student route gives the reasons).
    Requests keep being served meanwhile. One cohort job runs at a time (409 while another
    runs).
    """
    filters = {
        "open_on": None if body.include_expired else date.today(),
        "exclude_applied": not body.include_applied,
    }
    results: list[dict[str, Any]] = []

    def prepare() -> tuple[dict[str, Any], Callable[[dict[str, Any]], None]]:
        lists = engine.recommend_cohort(
            body.candidate_ids, k=body.k, filters=filters, language=body.lang
        )
        total = engine.n_candidates if body.candidate_ids is None else len(body.candidate_ids)

        def work(status: dict[str, Any]) -> None:
            for cid, matches in lists:
                results.append(
                    {
                        "candidate_id": cid,
                        "matches": [
                            {"id": m.id, "rank": m.rank, "score": m.score, "relevance": m.relevance}
                            for m in matches
                        ],
                    }
                )
                status["done"] = len(results)

        return {"total": total, "done": 0}, work

    status = _cohorts(request).start(prepare)
    _cohort_lists(request)[status["job_id"]] = results
    return CohortStatus(**status)


@router.get(
    "/cohorts/recommendations/{job_id}",
    response_model=CohortStatus,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def cohort_status(request: Request, job_id: Annotated[str, Path(max_length=64)]) -> Any:
    """How a cohort job goes: running (with how many graduates are done), done or failed."""
    return CohortStatus(**_cohorts(request).status(job_id))


@router.get(
    "/cohorts/recommendations/{job_id}/results",
    response_model=CohortResults,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def cohort_results(
    request: Request,
    job_id: Annotated[str, Path(max_length=64)],
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> Any:
    """A page of a cohort job's lists, those ready so far (``total``), in the cohort's order."""
    _cohorts(request).status(job_id)
    ready = _cohort_lists(request)[job_id]
    page = ready[offset : offset + limit]
    return CohortResults.model_validate(
        {"job_id": job_id, "total": len(ready), "offset": offset, "limit": limit, "results": page}
    )


@router.get(
    "/audit",
    response_model=AuditResponse,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def audit(
    engine: Engine,
    limit: Annotated[int, Query(ge=1, le=10_000, description="Newest records first.")] = 100,
) -> AuditResponse:
    """The ranking audit log, newest first.

    For each ranking of candidates: the model version, the priority and fairness policy, and
    whether they changed the order.
    """
    return AuditResponse(records=engine.audit_log(limit=limit))


@router.get(
    "/reports/{name}",
    response_model=dict[str, Any],
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def operator_report(
    engine: Engine,
    name: Annotated[
        Literal["supply-demand", "risk", "quality"],
        Path(description="supply-demand, risk (warnings for follow-up) or quality"),
    ],
    as_of: Annotated[date | None, Query(description="The day of the report (today).")] = None,
) -> dict[str, Any]:
    """An operator report: supply and demand, risk warnings, or employment quality.

    ``risk`` names graduates for real-name follow-up, with their hardship status: operators
    only. The CLI (``gradmatch report``) also writes CSV and PNG charts.
    """
    return engine.report(name, as_of=as_of).to_dict()


@router.post(
    "/credentials",
    status_code=201,
    response_model=CredentialCreated,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def create_credential(request: Request, body: Annotated[CredentialIn, Body()]) -> CredentialCreated:
    """Create a credential for a student, a recruiter or an operator; its token is shown once."""
    try:
        key_id, token = request.app.state.credentials.create(
            body.role, body.subject, label=body.label
        )
    except CredentialError as exc:
        field, _, message = str(exc).partition(": ")
        raise ValidationError(field, message) from None
    return CredentialCreated(key_id=key_id, token=token, role=body.role, subject=body.subject)


@router.get(
    "/credentials",
    response_model=CredentialsList,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def list_credentials(request: Request) -> CredentialsList:
    """Every credential (key id, role, subject, label, dates), never a secret."""
    items = request.app.state.credentials.list()
    return CredentialsList(credentials=[CredentialPublic(**c) for c in items])


@router.delete(
    "/credentials/{key_id}",
    status_code=204,
    response_class=Response,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def revoke_credential(request: Request, key_id: Annotated[str, Path(max_length=64)]) -> Response:
    """Revoke a credential at once."""
    try:
        request.app.state.credentials.revoke(key_id)
    except CredentialError as exc:
        raise UnknownIdError("credential", key_id) from exc
    return Response(status_code=204)


@router.get(
    "/audit/verify",
    response_model=AuditCheckResponse,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def verify_audit(engine: Engine) -> AuditCheckResponse:
    """Recompute the audit log's hash chain: ``ok``, the head hash, the first broken record."""
    return AuditCheckResponse(**engine.verify_audit_log().to_dict())


@router.post(
    "/audit/report",
    response_model=dict[str, Any],
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
)
def audit_report(
    engine: Engine, body: Annotated[AuditReportRequest | None, Body()] = None
) -> dict[str, Any]:
    """A fairness audit of recruiters' top k: per attribute and group, before and after.

    Selection rate, impact ratio, exposure ratio and skew at each stage (model order, after
    the priority, after the fairness constraint); a four-fifths check naming each group below
    0.8; the nDCG cost of the constraints; how many positions the priority moved. Group-level
    counts only. The chart of one attribute is at ``GET /v1/audit/report/chart``.
    """
    options = body or AuditReportRequest()
    policy = None if options.policy is None else options.policy.changes()
    report = engine.audit_report(
        options.job_ids, k=options.k, attributes=options.attributes, policy=policy
    )
    return report.to_dict()


@router.get(
    "/audit/report/chart",
    response_class=Response,
    tags=["operators"],
    dependencies=[Depends(require_operator_key)],
    responses={200: {"content": {"image/png": {}}, "description": "A PNG chart."}},
)
def audit_chart(
    engine: Engine,
    attribute: Annotated[
        Literal["gender", "assisted", "disability", "ethnicity", "origin", "school_tier", "region"],
        Query(description="The attribute whose groups the chart shows."),
    ] = "gender",
    k: Annotated[int, Query(ge=1, le=1000)] = 20,
    job_id: Annotated[
        list[str] | None, Query(description="Jobs to audit (all by default).")
    ] = None,
) -> Response:
    """The audit chart of one attribute under the deployment's policy, as a PNG."""
    report = engine.audit_report(job_id, k=k, attributes=[attribute])
    return Response(content=report.chart_png(attribute), media_type="image/png")
