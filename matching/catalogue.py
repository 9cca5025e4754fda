"""Adding, changing, removing and reading records: the write side of the engine.

:class:`RecordsMixin` is part of :class:`~matching.engine.MatchingEngine`. A batch is validated
and embedded before anything is stored, then stored in one transaction, so a bad record or
a failing encoder leaves the engine as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from matching.errors import ValidationError
from matching.ingest import enrich_candidate, enrich_job
from matching.records import Candidate, Event, Job
from matching.sides import candidate_text, job_text

if TYPE_CHECKING:
    from embeddings import CachedEncoder, VectorIndex
    from matching.sides import Side
    from matching.store import SQLiteStore

__all__ = ["RecordsMixin"]


class RecordsMixin:
    """Record management of the engine (jobs, candidates, events, audit log)."""

    _store: SQLiteStore
    _encoder: CachedEncoder
    _jobs: Side[Job]
    _candidates: Side[Candidate]
    _job_index: VectorIndex
    _candidate_index: VectorIndex
    _lock: threading.RLock

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
        given = [_coerce(r, Job, i) for i, r in enumerate(records)]
        _check_unique([j.id for j in given])
        jobs = [enrich_job(j) for j in given]
        vectors = self._encoder.encode([job_text(j) for j in jobs])
        with self._lock:
            keys = self._store.upsert_jobs(jobs, given)
            for job, key in zip(jobs, keys, strict=False):
                self._jobs.put(key, job)
            if jobs:
                self._job_index.add(np.asarray(keys, dtype=np.int64), vectors)
        return [j.id for j in jobs]

    def add_candidates(self, records: Iterable[Candidate | Mapping[str, Any]]) -> list[str]:
        """Add or replace candidates; the batch is stored whole or not at all."""
        given = [_coerce(r, Candidate, i) for i, r in enumerate(records)]
        _check_unique([c.id for c in given])
        cands = [enrich_candidate(c) for c in given]
        vectors = self._encoder.encode([candidate_text(c) for c in cands])
        with self._lock:
            keys = self._store.upsert_candidates(cands, given)
            for cand, key in zip(cands, keys, strict=False):
                # The side keeps the profile only; sensitive attributes stay in the store.
                self._candidates.put(key, _without_sensitive(cand))
            if cands:
                self._candidate_index.add(np.asarray(keys, dtype=np.int64), vectors)
        return [c.id for c in cands]

    def update_job(self, job_id: str, changes: Mapping[str, Any]) -> Job:
        """Change some fields of a stored job; the result is validated like a new record.

        Fields that were read from the text (not given) are read again from the new text;
        fields that were given keep their value unless ``changes`` sets them.
        """
        if not isinstance(changes, Mapping):
            raise ValidationError("changes", "a mapping of field names to new values is required")
        with self._lock:
            merged = {**self._store.job_source(job_id), **dict(changes), "id": job_id}
            self.add_jobs([merged])
            return self.get_job(job_id)

    def update_candidate(self, candidate_id: str, changes: Mapping[str, Any]) -> Candidate:
        """Change some fields of a stored candidate (``sensitive`` replaces the whole record).

        As with :meth:`update_job`, fields read from the resume are read again from it.
        """
        if not isinstance(changes, Mapping):
            raise ValidationError("changes", "a mapping of field names to new values is required")
        with self._lock:
            source = self._store.candidate_source(candidate_id)
            source["sensitive"] = self._store.get_sensitive(candidate_id).to_dict()
            merged = {**source, **dict(changes), "id": candidate_id}
            self.add_candidates([merged])
            return self.get_candidate(candidate_id)

    def remove_job(self, job_id: str) -> None:
        """Remove a job and its events."""
        with self._lock:
            key = self._store.delete_job(job_id)
            self._jobs.drop(job_id)
            self._job_index.remove(np.asarray([key], dtype=np.int64), missing_ok=True)

    def remove_candidate(self, candidate_id: str) -> None:
        """Remove a candidate, their sensitive record and their events."""
        with self._lock:
            key = self._store.delete_candidate(candidate_id)
            self._candidates.drop(candidate_id)
            self._candidate_index.remove(np.asarray([key], dtype=np.int64), missing_ok=True)

    def get_job(self, job_id: str) -> Job:
        """Return a stored job; raises :class:`~matching.errors.UnknownIdError` if absent."""
        return self._jobs.get(job_id)

    def get_candidate(self, candidate_id: str, *, include_sensitive: bool = False) -> Candidate:
        """A stored candidate; sensitive attributes only when asked for (operators, audits)."""
        if include_sensitive:
            return self._store.get_candidate(candidate_id, include_sensitive=True)
        return self._candidates.get(candidate_id)

    def job_ids(self) -> list[str]:
        """Return the ids of all stored jobs."""
        return self._jobs.ids()

    def candidate_ids(self) -> list[str]:
        """Return the ids of all stored candidates."""
        return self._candidates.ids()

    def record_events(self, events: Iterable[Event | Mapping[str, Any]]) -> int:
        """Store interaction events; every id must name a stored job and candidate."""
        parsed = [_coerce(e, Event, i) for i, e in enumerate(events)]
        # Checked and stored under the lock: a removal in between would leave orphan events.
        with self._lock:
            for i, e in enumerate(parsed):
                if e.candidate_id not in self._candidates:
                    raise ValidationError(
                        f"[{i}].candidate_id", f"unknown candidate {e.candidate_id!r}"
                    )
                if e.job_id not in self._jobs:
                    raise ValidationError(f"[{i}].job_id", f"unknown job {e.job_id!r}")
            return self._store.add_events(parsed)

    def events(self) -> list[Event]:
        """Return every stored interaction event."""
        return list(self._store.iter_events())

    def audit_log(self, *, limit: int = 100) -> list[dict[str, Any]]:
        """The newest ranking audit records: model version, policy, whether a boost acted."""
        return self._store.audit_log(limit=limit)


def _coerce(record: Any, cls: Any, position: int) -> Any:
    if isinstance(record, cls):
        return record
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


def _without_sensitive(candidate: Candidate) -> Candidate:
    data = candidate.to_dict(include_sensitive=False)
    return Candidate.from_dict(data)
