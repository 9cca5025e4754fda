"""The catalogue: validates, completes, embeds and stores records, and serves what ranking reads.

A batch is validated, completed from its text and embedded before anything is stored, then
stored in one transaction, so a bad record or a failing encoder leaves everything as it was.
Candidates come in with their sensitive attributes; the catalogue splits those off into their
own record in the store, and every in-memory view (sides, feature inputs, lexical corpus) holds
the profile only.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from embeddings import EmbeddingsError, Encoder, VectorIndex
from matching.catalogue.lock import ReadWriteLock
from matching.catalogue.side import Change, Side
from matching.catalogue.standing import ReferenceSample, Standing
from matching.catalogue.texts import candidate_text, job_text
from matching.errors import EncoderError, ValidationError
from matching.features import (
    PairInputs,
    PreparedCandidate,
    PreparedJob,
    prepare_candidate,
    prepare_job,
)
from matching.features.lexical import LexicalCorpus
from matching.ingest import Enricher
from matching.interactions import Added, HistoryView, Snapshot
from matching.records import (
    Candidate,
    CandidateProfile,
    Event,
    EventType,
    Job,
    SensitiveAttributes,
)
from matching.retrieval.columns import CandidateColumns, JobColumns
from matching.store import RecordStore
from matching.text import Tokenizer

__all__ = ["APPLIED", "Catalogue"]

#: Event types that mean the candidate applied (or went further).
APPLIED = frozenset({EventType.APPLY, EventType.INTERVIEW, EventType.OFFER, EventType.HIRE})
# record_events calls whose events the history view can append without reading the store
_APPENDS_KEPT = 256


class Catalogue:
    """Jobs and candidates: the store, their vectors, and the in-memory views ranking reads.

    Parameters
    ----------
    store : RecordStore
        The source of truth.
    encoder : Encoder
        Embeds record texts (the engine's caches its vectors, so re-embedding an unchanged
        text is free).
    job_index, candidate_index : VectorIndex
        Vectors of each side, by store key.
    enricher : Enricher
        Completes records from their text.
    tokenizer : Tokenizer
        Splits texts into the words of lexical features.

    Notes
    -----
    ``lock`` (a :class:`~matching.catalogue.lock.ReadWriteLock`) guards the views: writes hold
    it alone, and callers that combine several reads into one answer hold it to read around
    them, so that no answer mixes the views before and after a write.
    """

    def __init__(
        self,
        *,
        store: RecordStore,
        encoder: Encoder,
        job_index: VectorIndex,
        candidate_index: VectorIndex,
        enricher: Enricher,
        tokenizer: Tokenizer,
    ) -> None:
        self.store = store
        self.encoder = encoder
        self.job_index = job_index
        self.candidate_index = candidate_index
        self.enricher = enricher
        self.tokenizer = tokenizer
        self.jobs: Side[Job, PreparedJob] = Side("job")
        self.candidates: Side[CandidateProfile, PreparedCandidate] = Side("candidate")
        self.corpus = LexicalCorpus()
        self.lock = ReadWriteLock()
        self._reference: tuple[int, float] = (-1, float("nan"))
        self._events_version = 0
        # the events each recent record_events call stored, by the events version it made
        self._appends: OrderedDict[int, list[Event]] = OrderedDict()
        self._columns: dict[str, tuple[Any, Any]] = {}
        self.standing = Standing(
            candidate_ids=self.candidates.ids,
            job_ids=self.jobs.ids,
            semantic=self.semantic_matrix,
            lexical=self.corpus.matrix,
            version=lambda: (self.jobs.version, self.candidates.version),
            samples={
                "candidates": ReferenceSample(self.candidates).ids,
                "jobs": ReferenceSample(self.jobs).ids,
            },
            changed=self._changed_records,
            size=lambda: len(self.jobs) + len(self.candidates),
        )
        self.history = HistoryView(
            events=self.store.iter_events,
            candidate_ids=self.candidates.ids,
            job_ids=self.jobs.ids,
            candidate_vectors=self.candidate_vectors,
            job_vectors=self.job_vectors,
            headcount=lambda job_id: self.jobs.get(job_id).headcount,
            version=lambda: (self._events_version, self.jobs.version, self.candidates.version),
            events_version=lambda: self._events_version,
            records_version=lambda: (self.candidates.version, self.jobs.version),
            added_since=self.added_since,
            events_since=self.events_since,
        )

    def _changed_records(self, versions: Any) -> list[tuple[str, str]] | None:
        """``(side, id)`` of the records put or dropped since ``(jobs, candidates)`` versions."""
        out: list[tuple[str, str]] = []
        for name, side, since in (
            ("jobs", self.jobs, versions[0]),
            ("candidates", self.candidates, versions[1]),
        ):
            changes = side.changes_since(since)
            if changes is None:
                return None
            out.extend((name, c.item_id) for c in changes)
        return out

    def events_since(self, version: int) -> list[Event] | None:
        """The events stored since an events version, oldest first; None when not known.

        Only appends are known: a removal or a reload in between (or more than
        :data:`_APPENDS_KEPT` calls since) gives None, and the reader reads the store again.
        """
        out: list[Event] = []
        for v in range(version + 1, self._events_version + 1):
            batch = self._appends.get(v)
            if batch is None:
                return None
            out.extend(batch)
        return out

    def added_since(self, versions: tuple[int, int]) -> Added | None:
        """The records put since ``(candidates.version, jobs.version)``; None after a removal."""
        lists: list[list[str]] = []
        for side, since in ((self.candidates, versions[0]), (self.jobs, versions[1])):
            changes = side.changes_since(since)
            if changes is None or any(c.dropped for c in changes):
                return None
            lists.append(list(dict.fromkeys(c.item_id for c in changes if c.old_key is None)))
            lists.append(list(dict.fromkeys(c.item_id for c in changes if c.old_key is not None)))
        return Added(lists[0], lists[2], lists[1], lists[3])

    # -- writes ------------------------------------------------------------------------------

    def add_jobs(self, records: Iterable[Job | Mapping[str, Any]]) -> list[str]:
        """Add or replace jobs; the batch is stored whole or not at all."""
        given = [_coerce(r, Job, i) for i, r in enumerate(records)]
        _check_unique([j.id for j in given])
        jobs = [self.enricher.enrich_job(j) for j in given]
        vectors = self._encode([job_text(j) for j in jobs])
        prepared = [prepare_job(j, self.tokenizer) for j in jobs]
        with self.lock.write():
            keys = self.store.upsert_jobs(jobs, given)
            for job, key, prep in zip(jobs, keys, prepared, strict=True):
                self._put_job(key, job, prep)
            if jobs:
                self.job_index.add(np.asarray(keys, dtype=np.int64), vectors)
        return [j.id for j in jobs]

    def add_candidates(self, records: Iterable[Candidate | Mapping[str, Any]]) -> list[str]:
        """Add or replace candidates; the batch is stored whole or not at all."""
        full = [_coerce(r, Candidate, i) for i, r in enumerate(records)]
        _check_unique([c.id for c in full])
        given = [c.profile() for c in full]
        profiles = [self.enricher.enrich_candidate(p) for p in given]
        vectors = self._encode([candidate_text(p) for p in profiles])
        prepared = [prepare_candidate(p, self.tokenizer) for p in profiles]
        with self.lock.write():
            keys = self.store.upsert_candidates(profiles, [c.sensitive for c in full], given)
            for profile, key, prep in zip(profiles, keys, prepared, strict=True):
                self._put_candidate(key, profile, prep)
            if profiles:
                self.candidate_index.add(np.asarray(keys, dtype=np.int64), vectors)
        return [p.id for p in profiles]

    def update_job(self, job_id: str, changes: Mapping[str, Any]) -> Job:
        """Change some fields of a stored job (see :meth:`MatchingEngine.update_job`)."""
        if not isinstance(changes, Mapping):
            raise ValidationError("changes", "a mapping of field names to new values is required")
        with self.lock.write():
            merged = {**self.store.job_source(job_id), **dict(changes), "id": job_id}
            self.add_jobs([merged])
            return self.jobs.get(job_id)

    def update_candidate(self, candidate_id: str, changes: Mapping[str, Any]) -> CandidateProfile:
        """Change some fields of a stored candidate; ``sensitive`` replaces the whole record."""
        if not isinstance(changes, Mapping):
            raise ValidationError("changes", "a mapping of field names to new values is required")
        with self.lock.write():
            source = self.store.candidate_source(candidate_id)
            source["sensitive"] = self.store.sensitive_of([candidate_id])[0].to_dict()
            merged = {**source, **dict(changes), "id": candidate_id}
            self.add_candidates([merged])
            return self.candidates.get(candidate_id)

    def remove_job(self, job_id: str) -> None:
        """Remove a job and its events."""
        with self.lock.write():
            key = self.store.delete_job(job_id)
            self._events_version += 1
            self.jobs.drop(job_id)
            self.corpus.drop("jobs", job_id)
            self.job_index.remove(np.asarray([key], dtype=np.int64), missing_ok=True)

    def remove_candidate(self, candidate_id: str) -> None:
        """Remove a candidate, their sensitive record, their events and their cached vectors."""
        with self.lock.write():
            text = candidate_text(self.candidates.get(candidate_id))
            key = self.store.delete_candidate(candidate_id)
            self._events_version += 1
            self.candidates.drop(candidate_id)
            self.corpus.drop("candidates", candidate_id)
            self.candidate_index.remove(np.asarray([key], dtype=np.int64), missing_ok=True)
            # the embedding cache keeps no vector of a deleted graduate's text
            forget = getattr(self.encoder, "forget", None)
            if forget is not None:
                forget([text])

    def record_events(self, events: Iterable[Event | Mapping[str, Any]]) -> int:
        """Store events; every id must name a stored job and candidate."""
        parsed = [_coerce(e, Event, i) for i, e in enumerate(events)]
        # Checked and stored under the lock: a removal in between would leave orphan events.
        with self.lock.write():
            for i, e in enumerate(parsed):
                if e.candidate_id not in self.candidates:
                    raise ValidationError(
                        f"[{i}].candidate_id", f"unknown candidate {e.candidate_id!r}"
                    )
                if e.job_id not in self.jobs:
                    raise ValidationError(f"[{i}].job_id", f"unknown job {e.job_id!r}")
            stored = self.store.add_events(parsed)
            self._events_version += 1
            self._appends[self._events_version] = parsed
            while len(self._appends) > _APPENDS_KEPT:
                self._appends.popitem(last=False)
            return stored

    def _encode(self, texts: list[str]) -> np.ndarray:
        try:
            return self.encoder.encode(texts)
        except EmbeddingsError as exc:
            raise EncoderError(
                f"the encoder failed on a batch of {len(texts)} texts: {exc}"
            ) from exc

    def _put_job(self, key: int, job: Job, prepared: PreparedJob) -> None:
        self.jobs.put(key, job.id, job, prepared)
        self.corpus.put("jobs", job.id, prepared.tokens)

    def _put_candidate(
        self, key: int, profile: CandidateProfile, prepared: PreparedCandidate
    ) -> None:
        self.candidates.put(key, profile.id, profile, prepared)
        self.corpus.put("candidates", profile.id, prepared.tokens)

    # -- reads -------------------------------------------------------------------------------

    def candidate_with_sensitive(self, candidate_id: str) -> Candidate:
        """A stored candidate with their sensitive record (owners and operators only)."""
        with self.lock.read():
            profile = self.candidates.get(candidate_id)
            return Candidate.from_profile(profile, self.store.sensitive_of([candidate_id])[0])

    def sensitive_of(self, candidate_ids: Sequence[str]) -> list[SensitiveAttributes]:
        """Sensitive records aligned with ``candidate_ids``, for the priority and fairness."""
        return self.store.sensitive_of(candidate_ids)

    def applied_jobs(self, candidate_id: str) -> frozenset[str]:
        """Ids of the jobs a candidate applied to (or went further with)."""
        return frozenset(
            e.job_id for e in self.store.events_of_candidate(candidate_id) if e.type in APPLIED
        )

    def job_columns(self) -> JobColumns:
        """The filterable fields of every job, as arrays (kept up to date as jobs change)."""
        return self._side_columns("jobs", self.jobs, JobColumns)  # type: ignore[return-value]

    def candidate_columns(self) -> CandidateColumns:
        """The filterable fields of every candidate, as arrays."""
        return self._side_columns(  # type: ignore[return-value]
            "candidates", self.candidates, CandidateColumns
        )

    def _side_columns(self, name: str, side: Side[Any, Any], cls: Any) -> Any:
        cached = self._columns.get(name)
        version = side.version
        if cached is not None and cached[0] == version:
            return cached[1]
        columns = None
        if cached is not None:
            columns = _apply_changes(cached[1], side, side.changes_since(cached[0]))
        if columns is None:
            keys, records = zip(*side.items(), strict=True) if len(side) else ((), ())
            columns = cls.build(keys, records)
        self._columns[name] = (version, columns)
        return columns

    def job_vectors(self, job_ids: Sequence[str]) -> np.ndarray:
        """The stored unit vectors of jobs, of shape (n, dim)."""
        keys = np.asarray([self.jobs.key(j) for j in job_ids], dtype=np.int64)
        return self.job_index.get_vectors(keys)

    def candidate_vectors(self, candidate_ids: Sequence[str]) -> np.ndarray:
        """The stored unit vectors of candidates, of shape (n, dim)."""
        keys = np.asarray([self.candidates.key(c) for c in candidate_ids], dtype=np.int64)
        return self.candidate_index.get_vectors(keys)

    def semantic(self, candidate_ids: Sequence[str], job_ids: Sequence[str]) -> np.ndarray:
        """Cosine similarity of aligned pairs' stored vectors, of shape (n,)."""
        return self.semantic_of_keys(
            np.asarray([self.candidates.key(c) for c in candidate_ids], dtype=np.int64),
            np.asarray([self.jobs.key(j) for j in job_ids], dtype=np.int64),
        )

    def semantic_of_keys(self, candidate_keys: np.ndarray, job_keys: np.ndarray) -> np.ndarray:
        """:meth:`semantic` of aligned pairs given by store keys (the same numbers)."""
        cv = self.candidate_index.get_vectors(candidate_keys)
        jv = self.job_index.get_vectors(job_keys)
        return np.einsum("ij,ij->i", cv, jv).astype(np.float32)

    def semantic_matrix(self, candidate_ids: Sequence[str], job_ids: Sequence[str]) -> np.ndarray:
        """Cosine similarity of every candidate with every job, of shape (len(c), len(j)).

        In float64, so that a value does not depend on which other rows it was computed with
        (float32 matrix products round differently for different shapes).
        """
        cand = self.candidate_vectors(candidate_ids).astype(np.float64)
        return cand @ self.job_vectors(job_ids).astype(np.float64).T

    def reference_day(self) -> float:
        """The newest posting date of the whole store: the day freshness is measured from.

        One day for every request and for training, so a pair's features never depend on
        which other jobs happen to be ranked with it.
        """
        version, day = self._reference
        if version != self.jobs.version:
            posted = self.job_columns().posted
            posted = posted[posted >= 0]
            day = float(posted.max()) if len(posted) else float("nan")
            self._reference = (self.jobs.version, day)
        return day

    def pair_inputs(
        self,
        candidate_ids: Sequence[str],
        job_ids: Sequence[str],
        semantic: np.ndarray,
        *,
        snapshot: Snapshot | None = None,
    ) -> PairInputs:
        """Everything the features of aligned pairs are computed from.

        ``snapshot`` restricts the event log to what a training example may see (and, when it
        was cut in time, freshness is measured from its day); a live request sees all of it.
        """
        as_of = snapshot.as_of_day if snapshot is not None else None
        lexical = self.corpus.similarity(candidate_ids, job_ids)
        return PairInputs(
            [self.candidates.prepared(c) for c in candidate_ids],
            [self.jobs.prepared(j) for j in job_ids],
            semantic,
            lexical,
            float(as_of.toordinal()) if as_of is not None else self.reference_day(),
            self.history.signals(candidate_ids, job_ids, snapshot=snapshot),
            self.standing.standings(candidate_ids, job_ids, semantic, lexical),
        )

    # -- loading -----------------------------------------------------------------------------

    def sync_from_store(self) -> None:
        """Fill the views from the store and make each index agree with it.

        An id missing from the index, an id the store no longer has, and a vector that is not
        the embedding of the stored text (a record changed after the last save) are all put
        right; unchanged texts come from the embedding cache without encoding.
        """
        with self.lock.write():
            job_rows = list(self.store.iter_jobs())
            for key, job in job_rows:
                self._put_job(key, job, prepare_job(job, self.tokenizer))
            _reconcile(self.job_index, job_rows, job_text, self.encoder)
            cand_rows = list(self.store.iter_candidates())
            for key, profile in cand_rows:
                self._put_candidate(key, profile, prepare_candidate(profile, self.tokenizer))
            _reconcile(self.candidate_index, cand_rows, candidate_text, self.encoder)
            self._events_version += 1


def _apply_changes(columns: Any, side: Side[Any, Any], changes: list[Change] | None) -> Any:
    """``columns`` with a side's changes applied, or None when a rebuild is simpler."""
    if changes is None or len(changes) > max(64, len(columns) // 4):
        return None
    if len({c.item_id for c in changes}) < len(changes):
        return None  # a record changed twice: its net change is left to a rebuild
    replaced: dict[int, tuple[int, Any]] = {}
    removed: list[int] = []
    added: list[tuple[int, Any]] = []
    for change in changes:
        if change.dropped:
            removed.append(change.key)
        elif not side.holds(change.item_id, change.key):
            return None
        elif change.old_key is None:
            added.append((change.key, side.get(change.item_id)))
        else:
            replaced[change.old_key] = (change.key, side.get(change.item_id))
    return columns.updated(replaced, removed, added)


def _reconcile(
    index: VectorIndex, rows: list[tuple[int, Any]], text_of: Any, encoder: Encoder
) -> None:
    stored = np.asarray([k for k, _ in rows], dtype=np.int64)
    extra = np.setdiff1d(index.ids, stored)
    if len(extra):
        index.remove(extra, missing_ok=True)
    if not len(stored):
        return
    try:
        expected = encoder.encode([text_of(r) for _, r in rows])
    except EmbeddingsError as exc:
        raise EncoderError(f"the encoder failed while re-embedding stored records: {exc}") from exc
    present = np.isin(stored, index.ids)
    stale = ~present
    if present.any():
        current = index.get_vectors(stored[present])
        # the index keeps unit vectors at half precision (a component within 2.5e-4 of the
        # encoder's); a changed text moves some component by far more than 1e-3
        want = expected[present]
        want = want / np.maximum(np.linalg.norm(want, axis=1, keepdims=True), 1e-12)
        same = np.all(np.abs(current - want) <= 1e-3, axis=1)
        stale[np.flatnonzero(present)[~same]] = True
    if stale.any():
        index.add(stored[stale], expected[stale])


def _coerce(record: Any, cls: Any, position: int) -> Any:
    if isinstance(record, cls):
        return record
    if cls is Candidate and isinstance(record, CandidateProfile):
        return Candidate.from_profile(record)
    if not isinstance(record, Mapping):
        raise ValidationError(
            f"[{position}]",
            f"got {type(record).__name__}; a {cls.__name__} or a mapping is required",
        )
    try:
        return cls.from_dict(record)
    except ValidationError as exc:
        raise ValidationError(f"[{position}].{exc.field}", exc.message) from None


def _check_unique(ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            raise ValidationError(f"[{i}].id", f"{item!r} appears twice in one batch")
        seen.add(item)
