"""The :class:`MatchingEngine` facade: records in, ranked and explained matches out.

The engine assembles its parts (a catalogue of records, vectors and feature inputs; a
retriever; a featurizer; the model of each direction; the policy stages; an explainer), checks
every argument, and hands requests to the :class:`~matching.pipeline.RankingPipeline`, which
runs them top to bottom:

    hard filters -> retriever -> featurizer -> model of the direction
    -> (for candidates of a job) bounded priority -> fairness constraint -> explainer

Every error it raises is one of :mod:`matching.errors`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from embeddings import CachedEncoder, ChunkingEncoder, EmbeddingsError, Encoder, load_encoder
from matching.audit import AUDIT_ATTRIBUTES, AuditReport, build_report
from matching.catalogue import Catalogue
from matching.compliance import Flag, PayMarket, check_posting
from matching.config import EngineConfig
from matching.errors import EncoderError, ValidationError
from matching.explain import LANGUAGES, Explainer
from matching.features import Featurizer
from matching.ingest import Enricher
from matching.lexicon import Vocabularies
from matching.pipeline import PoolScores, RankingPipeline
from matching.policy import FAIRNESS_ATTRIBUTES, RankingPolicy
from matching.records import Candidate, Direction, Event, Job, Match
from matching.reports import (
    REPORTS,
    Report,
    employment_quality,
    risk_warnings,
    supply_demand,
)
from matching.retrieval import CandidateFilters, JobFilters, Retriever
from matching.scoring import MIN_CHILD_SAMPLES, NUM_LEAVES, TrainingReport
from matching.state import STORE_FILE, EngineState, load_state, save_state
from matching.store import AuditCheck, SQLiteStore
from matching.text import Tokenizer

__all__ = ["MatchingEngine", "PoolScores"]


class MatchingEngine:
    """Match graduates and jobs.

    Parameters
    ----------
    config : EngineConfig, optional
        Retrieval, priority and fairness settings; defaults are the offline multilingual
        encoder, an exact index and the bounded priority on.
    encoder : Encoder, optional
        An encoder instance; built from ``config.encoder`` when omitted.
    path : str or Path, optional
        Engine directory. The store lives there from the start; :meth:`save` writes the rest.
        Without a path everything is in memory until ``save(path)``.

    Raises
    ------
    ValidationError
        ``config.encoder`` names no encoder that is available.
    StorageError
        The store in ``path`` cannot be opened.

    Examples
    --------
    >>> engine = MatchingEngine()
    >>> engine.add_jobs([{"id": "j1", "title": "数据分析师", "description": "熟悉SQL和Python"}])
    ['j1']
    >>> engine.add_candidates([{"id": "c1", "resume_text": "统计学本科，熟悉Python、SQL"}])
    ['c1']
    >>> [m.id for m in engine.recommend_jobs("c1", k=1)]
    ['j1']
    """

    def __init__(
        self,
        *,
        config: EngineConfig | None = None,
        encoder: Encoder | None = None,
        path: str | Path | None = None,
    ) -> None:
        config = config or EngineConfig()
        if encoder is None:
            try:
                encoder = load_encoder(config.encoder)
            except (ValueError, TypeError, ImportError, OSError) as exc:
                raise ValidationError("encoder", str(exc)) from exc
        self._assemble(EngineState.new(config, encoder), path)

    def _assemble(self, state: EngineState, path: str | Path | None) -> None:
        """Build the parts around a state; the store is opened in ``path`` (or in memory)."""
        self.config = state.config
        self._state = state
        self._path = Path(path) if path is not None else None
        if self._path is not None:
            self._path.mkdir(parents=True, exist_ok=True)
        # one snapshot at a time: two would write the same temporary names
        self._saving = threading.Lock()
        vocabularies = Vocabularies.default()
        self._cached = CachedEncoder(state.encoder, state.cache)
        self._catalogue = Catalogue(
            store=SQLiteStore(self._path / STORE_FILE if self._path else ":memory:"),
            # Long texts by parts; every part (a whole short text included) through the cache.
            encoder=ChunkingEncoder(
                self._cached,
                max_chars=state.config.chunk_chars,
                max_chunks=state.config.max_chunks,
            ),
            job_index=state.job_index,
            candidate_index=state.candidate_index,
            enricher=Enricher(vocabularies),
            tokenizer=vocabularies.tokenizer,
        )
        self._models = state.models
        self._pipeline = RankingPipeline(
            config=state.config,
            catalogue=self._catalogue,
            retriever=Retriever(state.config.retrieval_depth),
            featurizer=Featurizer(vocabularies.majors, disabled=state.config.disabled_features),
            models=state.models,
            explainer=Explainer(state.config.n_top_features),
            skills=vocabularies.skills,
        )

    # -- records ------------------------------------------------------------------------------

    @property
    def encoder(self) -> CachedEncoder:
        """The engine's encoder, with its embedding cache (``hits`` / ``misses``)."""
        return self._cached

    @property
    def tokenizer(self) -> Tokenizer:
        """The tokenizer of lexical features (and of BM25 over this engine's records)."""
        return self._catalogue.tokenizer

    @property
    def n_jobs(self) -> int:
        """How many jobs are stored."""
        return len(self._catalogue.jobs)

    @property
    def n_candidates(self) -> int:
        """How many candidates are stored."""
        return len(self._catalogue.candidates)

    def add_jobs(self, records: Iterable[Job | Mapping[str, Any]]) -> list[str]:
        """Add or replace jobs; the batch is stored whole or not at all.

        Returns
        -------
        list of str
            The ids, in input order.

        Raises
        ------
        ValidationError
            A record is invalid; ``field`` is prefixed with its position (``"[3].city"``).
        """
        return self._catalogue.add_jobs(records)

    def add_candidates(self, records: Iterable[Candidate | Mapping[str, Any]]) -> list[str]:
        """Add or replace candidates (with their sensitive attributes); whole batch or nothing.

        Raises
        ------
        ValidationError
            A record is invalid; ``field`` is prefixed with its position.
        """
        return self._catalogue.add_candidates(records)

    def update_job(self, job_id: str, changes: Mapping[str, Any]) -> Job:
        """Change some fields of a stored job; the result is validated like a new record.

        Fields that were read from the text (not given) are read again from the new text;
        fields that were given keep their value unless ``changes`` sets them.

        Raises
        ------
        UnknownIdError, ValidationError
        """
        return self._catalogue.update_job(job_id, changes)

    def update_candidate(self, candidate_id: str, changes: Mapping[str, Any]) -> Candidate:
        """Change some fields of a stored candidate (``sensitive`` replaces the whole record).

        As with :meth:`update_job`, fields read from the resume are read again from it. The
        result carries no sensitive record; read it with ``include_sensitive``.

        Raises
        ------
        UnknownIdError, ValidationError
        """
        return Candidate.from_profile(self._catalogue.update_candidate(candidate_id, changes))

    def remove_job(self, job_id: str) -> None:
        """Remove a job and its events; raises :class:`UnknownIdError` if absent."""
        self._catalogue.remove_job(job_id)

    def export_candidate(self, candidate_id: str) -> dict[str, Any]:
        """Everything the engine holds about a graduate, for them or an operator to read.

        The profile with its sensitive record, the events, and how the audit log refers to
        them (a pseudonym, and how many records carry it).

        Raises
        ------
        UnknownIdError
        """
        candidate = self.get_candidate(candidate_id, include_sensitive=True)
        pseudonym = self._pipeline.pseudonym(candidate_id)
        referenced = [r for r in self.audit_log(limit=10**9) if r.get("candidate") == pseudonym]
        return {
            "candidate": candidate.to_dict(include_sensitive=True),
            "events": [
                {
                    "job_id": e.job_id,
                    "type": e.type.value,
                    "timestamp": None if e.timestamp is None else e.timestamp.isoformat(),
                }
                for e in self._catalogue.store.events_of_candidate(candidate_id)
            ],
            "audit": {"pseudonym": pseudonym, "n_records": len(referenced)},
        }

    def remove_candidate(self, candidate_id: str) -> None:
        """Remove a graduate: profile, sensitive record, events, index entry, cached vectors.

        The next :meth:`save` writes a store, indexes and cache without them; the audit log
        keeps only its pseudonymous references (see :meth:`export_candidate`).
        """
        self._catalogue.remove_candidate(candidate_id)

    def get_job(self, job_id: str) -> Job:
        """Return a stored job; raises :class:`UnknownIdError` if absent."""
        return self._catalogue.jobs.get(job_id)

    def get_candidate(self, candidate_id: str, *, include_sensitive: bool = False) -> Candidate:
        """A stored candidate; sensitive attributes only when asked for (owners, operators)."""
        if include_sensitive:
            return self._catalogue.candidate_with_sensitive(candidate_id)
        return Candidate.from_profile(self._catalogue.candidates.get(candidate_id))

    def warm_up(self) -> None:
        """Load the encoder's weights and build the views requests read, now.

        Both happen on first use otherwise: a server calls this before it answers, so that
        its first requests (at 100k jobs, seconds of building) and its first new posting
        (the model's weights) do not pay for them.
        """
        try:
            self._state.encoder.encode(["预热 warm-up"])
        except EmbeddingsError as exc:
            raise EncoderError(f"the encoder failed to load: {exc}") from exc
        self._pipeline.warm_views()

    def job_ids(self) -> list[str]:
        """Return the ids of all stored jobs."""
        return self._catalogue.jobs.ids()

    def candidate_ids(self) -> list[str]:
        """Return the ids of all stored candidates."""
        return self._catalogue.candidates.ids()

    def search_jobs(
        self,
        *,
        text: str | None = None,
        cities: Sequence[str] | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[int, list[Job]]:
        """Stored jobs whose title holds ``text``, in one of ``cities``; one page of them.

        Matching is on substrings, case-insensitive; cities are normalised like records
        ("上海市" is 上海). Jobs come in the store's order.

        Returns
        -------
        tuple of (int, list of Job)
            How many jobs match in all, and those of the page ``[offset, offset + limit)``.

        Raises
        ------
        ValidationError
            ``offset`` is negative or ``limit`` is not in 1..1000.
        """
        for name, value, low, high in (("offset", offset, 0, 10**12), ("limit", limit, 1, 1000)):
            _check_int_in(name, value, low, high)
        cat = self._catalogue
        with cat.lock.read():
            columns = cat.job_columns()
            keep = np.ones(len(columns), dtype=bool)
            if cities:
                wanted = list(JobFilters(cities=tuple(cities)).cities or ())
                keep &= np.isin(columns.city, wanted)
            if text and text.strip():
                titles = np.char.lower(columns.title.astype(str))
                keep &= np.char.find(titles, text.strip().lower()) >= 0
            ids = columns.ids[keep]
            return len(ids), [cat.jobs.get(str(i)) for i in ids[offset : offset + limit]]

    def record_events(self, events: Iterable[Event | Mapping[str, Any]]) -> int:
        """Store interaction events; every id must name a stored job and candidate.

        Raises
        ------
        ValidationError
            An event is invalid or names an unknown id (``"[2].job_id"``).
        """
        return self._catalogue.record_events(events)

    def events(self) -> list[Event]:
        """Return every stored interaction event."""
        return list(self._catalogue.store.iter_events())

    def audit_log(self, *, limit: int = 100) -> list[dict[str, Any]]:
        """The newest ranking audit records: model version, policy, whether a boost acted.

        Each carries ``seq`` and ``hash``, its link in the log's hash chain.
        """
        return self._catalogue.store.audit_log(limit=limit)

    def audit_report(
        self,
        job_ids: Sequence[str] | None = None,
        *,
        k: int = 20,
        attributes: Sequence[str] | None = None,
        policy: RankingPolicy | Mapping[str, Any] | None = None,
        filters: CandidateFilters | Mapping[str, Any] | None = None,
    ) -> AuditReport:
        """A fairness audit of recruiters' top ``k`` for some jobs (all by default).

        For each attribute and group: pool, selection rate, impact ratio, exposure ratio and
        skew before and after each policy stage, a four-fifths check naming each group below
        0.8, the nDCG cost of the constraints and how many positions the priority moved (see
        :mod:`matching.audit.report`). Nothing is written to the audit log, and only
        group-level counts appear.

        Parameters
        ----------
        job_ids : sequence of str, optional
        k : int, default 20
        attributes : sequence of str, optional
            Of :data:`matching.policy.FAIRNESS_ATTRIBUTES`; by default
            :data:`matching.audit.AUDIT_ATTRIBUTES` (those with fixed group labels).
        policy : RankingPolicy or mapping, optional
            The policy to audit (the deployment's by default); a mapping changes only the
            keys it gives.
        filters : CandidateFilters or mapping, optional
            The recruiters' filters, as for :meth:`rank_candidates`.

        Raises
        ------
        UnknownIdError, ValidationError
        """
        k = _check_k(k)
        chosen = RankingPolicy.resolve(policy, self.config.policy)
        names = tuple(AUDIT_ATTRIBUTES if attributes is None else attributes)
        for name in names:
            if name not in FAIRNESS_ATTRIBUTES:
                raise ValidationError(
                    "attributes", f"got {name!r}; allowed: {', '.join(FAIRNESS_ATTRIBUTES)}"
                )
        flt = (
            filters
            if isinstance(filters, CandidateFilters)
            else CandidateFilters.from_dict(filters)
        )
        ids = list(self.job_ids() if job_ids is None else job_ids)
        depth = max(self.config.retrieval_depth, k)
        pipeline = self._pipeline
        with self._catalogue.lock.read():
            for job_id in ids:
                self._catalogue.jobs.get(job_id)  # unknown ids fail before any work
            scored = ((j, pipeline.candidates_for(j, flt, depth)) for j in ids)
            report = build_report(
                scored,
                k=k,
                policy=chosen,
                attributes=names,
                model_version=self.model_version("candidates"),
            )
        if not report.data["n_jobs"]:
            raise ValidationError("job_ids", "no job has candidates to rank: nothing to audit")
        return report

    def check_postings(
        self, postings: Iterable[Job | Mapping[str, Any]] | None = None
    ) -> list[tuple[str, list[Flag]]]:
        """The fair-recruitment check of postings: the stored ones, or those given.

        Each posting's flags (discriminatory conditions, fraud signals; see
        :mod:`matching.compliance`), with pay compared against the stored postings of the same
        occupation family and city. Postings given are checked as they are, not stored.

        Returns
        -------
        list of (id, flags)
            In the order of the postings (stored ones by id); an id-less record gets ``""``.
        """
        stored = [self._catalogue.jobs.get(i) for i in self.job_ids()]
        market = PayMarket().with_postings(stored)
        items = stored if postings is None else list(postings)
        if postings is not None:
            market = market.with_postings(
                p for p in items if not (isinstance(p, Job) and p.id in self._catalogue.jobs)
            )
        out = []
        for p in items:
            pid = p.id if isinstance(p, Job) else str(p.get("id") or "")
            out.append((pid, check_posting(p, market=market)))
        return out

    def hold_postings(
        self, records: Sequence[Mapping[str, Any]], flags: Sequence[Sequence[Flag]]
    ) -> list[str]:
        """Keep postings back from publication with the flags that held them.

        Each record is validated as a job first (a record that could never be stored is
        refused, naming the field); held postings are not searchable or ranked until an
        operator releases them (:meth:`release_posting`).

        Raises
        ------
        ValidationError
        """
        for n, record in enumerate(records):
            try:
                Job.from_dict(dict(record))
            except ValidationError as exc:
                raise ValidationError(f"[{n}].{exc.field}", exc.message) from None
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        store = self._catalogue.store
        for record, found in zip(records, flags, strict=True):
            store.hold_job(dict(record), [f.to_dict() for f in found], at)
        return [str(r["id"]) for r in records]

    def held_postings(self) -> list[dict[str, Any]]:
        """Postings the fair-recruitment check held back: ``id``, ``record``, ``flags``, ``at``."""
        return self._catalogue.store.held_jobs()

    def release_posting(self, job_id: str) -> Job:
        """Publish a held posting as it was submitted; it leaves the held list.

        Raises
        ------
        UnknownIdError
            No posting of that id is held.
        """
        store = self._catalogue.store
        entry = next((h for h in store.held_jobs() if h["id"] == job_id), None)
        record = store.take_held_job(job_id)
        try:
            self.add_jobs([record])
        except Exception:
            # nothing is lost: the posting goes back to the held list as it was
            assert entry is not None
            store.hold_job(record, entry["flags"], entry["at"])
            raise
        return self.get_job(job_id)

    def drop_held_posting(self, job_id: str) -> None:
        """Discard a held posting (:class:`UnknownIdError` when none of that id is held)."""
        self._catalogue.store.take_held_job(job_id)

    def report(self, name: str, *, as_of: date | None = None) -> Report:
        """An operator report over the engine's records.

        Parameters
        ----------
        name : {"supply-demand", "risk", "quality"}
            Supply and demand by skill, major, occupation, city and province with shortage
            and surplus lists (:mod:`matching.reports.supply_demand`); risk warnings for
            real-name follow-up (:mod:`matching.reports.risk`; it names graduates and their
            hardship status); employment quality from outcomes
            (:mod:`matching.reports.quality`).
        as_of : date, optional
            The day the report is for (today by default): which postings are open, how long
            graduates have been seeking.

        Raises
        ------
        ValidationError
            An unknown report name.
        """
        if name not in REPORTS:
            raise ValidationError("report", f"got {name!r}; allowed: {', '.join(REPORTS)}")
        day = as_of or date.today()
        jobs = [self._catalogue.jobs.get(i) for i in self.job_ids()]
        events = self.events()
        if name == "supply-demand":
            profiles = [self._catalogue.candidates.get(i) for i in self.candidate_ids()]
            return supply_demand(jobs, profiles, events, as_of=day)
        candidates = [self.get_candidate(i, include_sensitive=True) for i in self.candidate_ids()]
        if name == "risk":
            return risk_warnings(jobs, candidates, events, as_of=day)
        return employment_quality(jobs, candidates, events)

    def verify_audit_log(self) -> AuditCheck:
        """Check the ranking audit log's hash chain: ``ok``, the head hash, the first bad record.

        The log is append-only; a record changed, removed or reordered after it was written
        breaks the chain from that record on.
        """
        return self._catalogue.store.verify_audit()

    # -- ranking ------------------------------------------------------------------------------

    def recommend_jobs(
        self,
        candidate_id: str,
        k: int = 10,
        filters: JobFilters | Mapping[str, Any] | None = None,
        *,
        depth: int | None = None,
        language: str | None = None,
        policy: RankingPolicy | Mapping[str, Any] | None = None,
    ) -> list[Match]:
        """Jobs for a candidate, best first, each with a score, a rank and reasons.

        Parameters
        ----------
        candidate_id : str
        k : int, default 10
            How many matches to return (fewer when fewer jobs pass the filters).
        filters : JobFilters or mapping, optional
            Hard filters; by default jobs above the candidate's degree and jobs already
            applied to are left out.
        depth : int, optional
            Retrieval depth for this call (``config.retrieval_depth`` by default, and never
            below ``k``, so that ``k`` matches come back when that many pass the filters);
            rank the whole pool with ``depth=engine.n_jobs``.
        language : {"zh", "en"}, optional
            The language of the reasons; that of the candidate's resume by default.
        policy : RankingPolicy or mapping, optional
            This request's policy: its ``job_boost`` moves key-sector and grassroots-programme
            postings up within a tolerance, and says so in their reasons. The deployment's
            (``config.policy``) by default; a mapping changes only the keys it gives. A list
            the boost acted on is written to the audit log.

        Raises
        ------
        UnknownIdError, ValidationError
        """
        k = _check_k(k)
        depth = max(_check_depth(depth) or self.config.retrieval_depth, k)
        flt = filters if isinstance(filters, JobFilters) else JobFilters.from_dict(filters)
        chosen = None if policy is None else RankingPolicy.resolve(policy, self.config.policy)
        return self._pipeline.recommend_jobs(
            candidate_id, k, flt, depth, _check_language(language), chosen
        )

    def recommend_cohort(
        self,
        candidate_ids: Iterable[str] | None = None,
        k: int = 10,
        filters: JobFilters | Mapping[str, Any] | None = None,
        *,
        depth: int | None = None,
        language: str | None = None,
        policy: RankingPolicy | Mapping[str, Any] | None = None,
        batch_size: int = 64,
    ) -> Iterator[tuple[str, list[Match]]]:
        """Job recommendations for a whole cohort, ``(candidate_id, matches)`` in input order.

        Each list is what :meth:`recommend_jobs` gives for that candidate with the same
        arguments. Candidates are taken ``batch_size`` at a time: retrieval runs per candidate,
        features, the model and the contributions of the rows shown once per batch. The
        engine's lock is held for one batch at a time, so writes go on between batches.

        Parameters
        ----------
        candidate_ids : iterable of str, optional
            Every stored candidate by default.
        k, filters, depth, language, policy
            As for :meth:`recommend_jobs`.
        batch_size : int, default 64
            Candidates per batch (1 to 4096).

        Returns
        -------
        iterator of (str, list of Match)
            Lazily: a batch is ranked when the iterator reaches it. Its length is that of
            ``candidate_ids``.

        Raises
        ------
        UnknownIdError, ValidationError
            At once, before anything is ranked: for an id that is not stored (the first
            such), and for a bad argument.

        Examples
        --------
        >>> engine = MatchingEngine()
        >>> engine.add_jobs([{"id": "j1", "title": "会计", "description": "熟悉财务报表"}])
        ['j1']
        >>> engine.add_candidates([{"id": "c1", "resume_text": "会计学本科"},
        ...                        {"id": "c2", "resume_text": "财务管理专业"}])
        ['c1', 'c2']
        >>> [(cid, [m.id for m in ms]) for cid, ms in engine.recommend_cohort(k=1)]
        [('c1', ['j1']), ('c2', ['j1'])]
        """
        k = _check_k(k)
        depth = max(_check_depth(depth) or self.config.retrieval_depth, k)
        flt = filters if isinstance(filters, JobFilters) else JobFilters.from_dict(filters)
        chosen = None if policy is None else RankingPolicy.resolve(policy, self.config.policy)
        lang = _check_language(language)
        if isinstance(batch_size, bool) or not isinstance(batch_size, int):
            raise ValidationError("batch_size", f"got {batch_size!r}; an integer is required")
        if not 1 <= batch_size <= 4096:
            raise ValidationError("batch_size", f"got {batch_size}; allowed: 1 to 4096")
        if isinstance(candidate_ids, str):
            raise ValidationError("candidate_ids", "a list of ids is required, not one id")
        ids = self.candidate_ids() if candidate_ids is None else list(candidate_ids)
        for cid in ids:
            self._catalogue.candidates.get(cid)  # UnknownIdError names the first unknown id

        def batches() -> Iterator[tuple[str, list[Match]]]:
            for start in range(0, len(ids), batch_size):
                part = ids[start : start + batch_size]
                lists = self._pipeline.recommend_cohort(part, k, flt, depth, lang, chosen)
                yield from zip(part, lists, strict=True)

        return batches()

    def rank_candidates(
        self,
        job_id: str,
        k: int = 10,
        filters: CandidateFilters | Mapping[str, Any] | None = None,
        *,
        depth: int | None = None,
        language: str | None = None,
        policy: RankingPolicy | Mapping[str, Any] | None = None,
    ) -> list[Match]:
        """Candidates for a job, best first, for a recruiter.

        The bounded priority and the fairness constraint of ``policy`` (the deployment's,
        ``config.policy``, by default; a mapping changes only the keys it gives) act here,
        using the sensitive attributes from the store; the returned matches carry none of
        them, and each call is written to the audit log with the policy it ran under.
        Reasons are in ``language`` ("zh" or "en"), that of the job's text by default; their
        feature contributions are shares of each candidate's evidence, and scores depend on
        the rank alone.

        Raises
        ------
        UnknownIdError, ValidationError
        """
        k = _check_k(k)
        depth = max(_check_depth(depth) or self.config.retrieval_depth, k)
        flt = (
            filters
            if isinstance(filters, CandidateFilters)
            else CandidateFilters.from_dict(filters)
        )
        chosen = None if policy is None else RankingPolicy.resolve(policy, self.config.policy)
        return self._pipeline.rank_candidates(
            job_id, k, flt, depth, _check_language(language), chosen
        )

    def stage_timings(self) -> dict[str, float]:
        """Milliseconds spent in each stage of this thread's last ranking request.

        The stages of :meth:`recommend_jobs` and :meth:`rank_candidates`: ``filters``,
        ``retrieval`` (which includes ``filters``), ``features``, ``model``, ``policy``,
        ``audit`` (recruiters' lists), ``contributions`` (for the rows shown) and ``reasons``.
        Empty before the first request on this thread.
        """
        return self._pipeline.timings.last()

    def score_pool(
        self, query_id: str, direction: Direction | str = Direction.JOBS_FOR_CANDIDATES
    ) -> PoolScores:
        """Score the whole other side for one query: no filters, priority, fairness or reasons.

        The scores are the model's, after the configured popularity damping (students' lists)
        or fit-first stage (recruiters' lists), so their order is the one a person would see.

        This is what offline evaluation ranks: for ``"jobs-for-candidates"`` every job for
        candidate ``query_id``, for ``"candidates-for-job"`` every candidate for job
        ``query_id`` (``"jobs"`` and ``"candidates"`` are accepted too).

        Returns
        -------
        PoolScores
            ``ids`` (item ids, in the store's order), ``scores`` of shape (n_items,) (the
            model's) and ``semantic`` of shape (n_items,) (cosine similarity of the
            embeddings, the dense-retrieval score).

        Raises
        ------
        UnknownIdError, ValidationError
        """
        ranked: Direction = Direction.parse(direction, "direction")
        return self._pipeline.score_pool(query_id, ranked)

    def retrieve(
        self,
        query_id: str,
        direction: Direction | str = Direction.JOBS_FOR_CANDIDATES,
        *,
        depth: int | None = None,
        filters: JobFilters | CandidateFilters | Mapping[str, Any] | None = None,
    ) -> list[str]:
        """The ids retrieval hands the ranker for one query, best first (no ranking yet).

        The candidate set: dense, lexical and (once events exist) collaborative and popular
        sources, fused. Without ``filters`` nothing is filtered out (not even applied jobs),
        so the set shows what retrieval can find.

        Raises
        ------
        UnknownIdError, ValidationError
        """
        ranked: Direction = Direction.parse(direction, "direction")
        depth = _check_depth(depth)
        flt: Any = filters
        if ranked is Direction.JOBS_FOR_CANDIDATES and not isinstance(filters, JobFilters):
            flt = JobFilters.from_dict(
                filters or {"require_degree": False, "exclude_applied": False}  # type: ignore[arg-type]
            )
        elif ranked is Direction.CANDIDATES_FOR_JOB and not isinstance(filters, CandidateFilters):
            flt = CandidateFilters.from_dict(filters or {"require_degree": False})  # type: ignore[arg-type]
        return self._pipeline.retrieve_ids(query_id, ranked, flt, depth)

    def pair_features(self, candidate_ids: Sequence[str], job_ids: Sequence[str]) -> np.ndarray:
        """The feature rows the models score, for aligned ``(candidate_ids[i], job_ids[i])``.

        Columns are :data:`matching.features.FEATURE_NAMES`; event-log columns are NaN where
        there is no history (a record added a moment ago, say).

        Raises
        ------
        UnknownIdError, ValidationError
        """
        if len(candidate_ids) != len(job_ids):
            raise ValidationError(
                "job_ids", f"got {len(job_ids)} ids for {len(candidate_ids)} candidate ids"
            )
        return self._pipeline.pair_features(list(candidate_ids), list(job_ids))

    def model_version(self, direction: Direction | str = Direction.JOBS_FOR_CANDIDATES) -> str:
        """Version of the scorer that ranks ``direction``."""
        return self._models[Direction.parse(direction, "direction")].version

    def train_ranker(
        self,
        *,
        negatives_per_query: int = 30,
        min_queries: int = 5,
        random_state: int = 0,
        n_estimators: int = 300,
        learning_rate: float = 0.05,
        num_leaves: int = NUM_LEAVES,
        min_child_samples: int = MIN_CHILD_SAMPLES,
        require_improvement: bool = True,
    ) -> TrainingReport:
        """Train the learning-to-rank models from the stored events.

        Each event's grade (view 1 < apply 2 < interview 3 < offer 4 < hire 5) is the label of
        its pair; items drawn at random among those the query has no event with are the
        negatives (see :mod:`matching.scoring.training`). One model is trained per direction. A
        direction keeps the transparent scorer when it has fewer than ``min_queries``
        queries, or when ``require_improvement`` is true and the model did worse than the
        transparent scorer on a fifth of the queries held out from a first fit.
        ``num_leaves`` and ``min_child_samples`` bound each tree (leaves, and the fewest
        training rows in a leaf); the defaults keep trees small, as event logs are.

        Returns
        -------
        TrainingReport
            Per direction: queries, pairs, held-out nDCG@10 of model and transparent
            scorer, whether the model was adopted.

        Raises
        ------
        ValidationError
            A hyper-parameter is out of range.
        """
        for name, value, low, high in (
            ("negatives_per_query", negatives_per_query, 0, 1000),
            ("min_queries", min_queries, 2, 10**9),
            ("n_estimators", n_estimators, 1, 2000),
            ("num_leaves", num_leaves, 2, 1024),
            ("min_child_samples", min_child_samples, 1, 10**6),
            ("random_state", random_state, 0, 2**31 - 1),
        ):
            _check_int_in(name, value, low, high)
        if isinstance(learning_rate, bool) or not (
            isinstance(learning_rate, (int, float)) and 0 < learning_rate <= 1
        ):
            raise ValidationError(
                "learning_rate", f"got {learning_rate!r}; a number in (0, 1] is required"
            )
        return self._pipeline.train(
            negatives_per_query=negatives_per_query,
            min_queries=min_queries,
            random_state=random_state,
            n_estimators=n_estimators,
            learning_rate=learning_rate,
            num_leaves=num_leaves,
            min_child_samples=min_child_samples,
            require_improvement=require_improvement,
        )

    # -- persistence --------------------------------------------------------------------------

    def save(self, path: str | Path | None = None) -> Path:
        """Write the engine to a directory: config, store, vector indexes, cache, models.

        Each part is written to a temporary name and renamed into place, and ``config.json``
        last, so a reader never sees a half-written engine (see :mod:`matching.state`).

        Raises
        ------
        ValidationError
            No ``path`` was given and the engine has no directory.
        StorageError
            A part cannot be written.
        """
        target = Path(path) if path is not None else self._path
        if target is None:
            raise ValidationError("path", "this engine has no directory yet; pass save(path)")
        own = self._path is not None and target.resolve() == self._path.resolve()
        # No engine lock: each part is copied under its own lock and written without it, so
        # requests and writes go on during a snapshot. The parts need not agree with each
        # other: the store is the record, and loading makes each index agree with it.
        with self._saving:
            return save_state(target, self._state, self._catalogue.store, store_in_place=own)

    @classmethod
    def load(cls, path: str | Path, *, encoder: Encoder | None = None) -> MatchingEngine:
        """Open an engine directory written by :meth:`save`; it answers exactly as before.

        Raises
        ------
        StorageError
            ``path`` holds no engine, its store is missing, its format is newer, or a part
            of it is damaged.
        ValidationError
            ``encoder`` is not the encoder the engine was built with.
        """
        state = load_state(Path(path), encoder=encoder)
        engine = cls.__new__(cls)
        engine._assemble(state, path)
        engine._catalogue.sync_from_store()
        return engine

    @classmethod
    def open(cls, path: str | Path, *, config: EngineConfig | None = None) -> MatchingEngine:
        """Load the engine in ``path`` if there is one, else start a new one there.

        A directory with a store but no ``config.json`` (records written, never saved) is
        opened with its records.

        Raises
        ------
        StorageError, ValidationError
            As :meth:`load`.
        """
        path = Path(path)
        if (path / "config.json").exists():
            return cls.load(path)
        engine = cls(config=config, path=path)
        store = engine._catalogue.store
        if store.count_jobs() or store.count_candidates():
            engine._catalogue.sync_from_store()
        return engine

    def close(self) -> None:
        """Close the store; the engine cannot be used afterwards."""
        self._catalogue.store.close()


# -- helpers ----------------------------------------------------------------------------------


def _check_int_in(name: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(name, f"got {value!r}; an integer from {low} to {high} is required")


def _check_depth(depth: Any) -> int | None:
    if depth is None:
        return None
    if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or depth < 1:
        raise ValidationError("depth", f"got {depth!r}; a positive integer or None is required")
    return int(depth)


def _check_language(language: Any) -> Any:
    if language is None or language in LANGUAGES:
        return language
    raise ValidationError(
        "language", f"got {language!r}; allowed: {', '.join(LANGUAGES)} (or None: the text's)"
    )


def _check_k(k: Any) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValidationError("k", f"got {k!r}; a positive integer is required")
    return int(k)
