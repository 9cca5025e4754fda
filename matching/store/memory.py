"""A record store in plain Python dictionaries: the reference the other stores are tested against.

It keeps the same contract as :class:`~matching.store.sqlite.SQLiteStore` (see
:mod:`matching.store.base`) with nothing in between: records are frozen, so they are held as
they are. A batch is checked whole before anything changes. It is not durable; ``backup_to``
writes an SQLite copy, which is how an engine built on it is saved.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from matching.errors import UnknownIdError
from matching.records import CandidateProfile, Event, Job, SensitiveAttributes
from matching.store.audit import GENESIS, AuditCheck, canonical, chain_hash, verify_chain
from matching.store.base import StoreSnapshot
from matching.store.sqlite import SQLiteStore

__all__ = ["InMemoryStore"]


class InMemoryStore:
    """Records in memory (see the module notes).

    Examples
    --------
    >>> store = InMemoryStore()
    >>> store.upsert_jobs([Job(id="j1", title="会计")])
    [1]
    >>> store.get_job("j1").title
    '会计'
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._jobs: dict[str, tuple[int, Job, dict[str, Any]]] = {}
        self._candidates: dict[str, tuple[int, CandidateProfile, dict[str, Any]]] = {}
        self._sensitive: dict[str, SensitiveAttributes] = {}
        self._events: list[Event] = []
        self._audit: list[tuple[str, dict[str, Any], str]] = []
        self._held: dict[str, tuple[dict[str, Any], list[dict[str, Any]], str]] = {}
        self._next = {"jobs": 1, "candidates": 1}

    def _key(self, table: dict[str, Any], kind: str, item_id: str) -> int:
        if item_id in table:
            return int(table[item_id][0])
        key = self._next[kind]
        self._next[kind] = key + 1
        return key

    # -- jobs --------------------------------------------------------------------------------

    def upsert_jobs(self, jobs: Sequence[Job], sources: Sequence[Job] | None = None) -> list[int]:
        """Insert or replace jobs; return their keys."""
        given = list(sources) if sources is not None else list(jobs)
        if len(given) != len(jobs):
            raise ValueError("sources must have one entry per job")
        # Everything that can fail is done before anything changes: a batch is whole or nothing.
        rows = [
            (job, source.to_dict(), job.to_dict()) for job, source in zip(jobs, given, strict=True)
        ]
        with self._lock:
            keys = []
            for job, source, _ in rows:
                key = self._key(self._jobs, "jobs", job.id)
                self._jobs[job.id] = (key, job, source)
                keys.append(key)
            return keys

    def get_job(self, job_id: str) -> Job:
        """Return a stored job."""
        return self._row(self._jobs, "job", job_id)[1]

    def job_source(self, job_id: str) -> dict[str, Any]:
        """Return the job's fields as they were given."""
        return dict(self._row(self._jobs, "job", job_id)[2])

    def iter_jobs(self) -> Iterator[tuple[int, Job]]:
        """Yield ``(key, job)`` in key order."""
        with self._lock:
            rows = sorted(self._jobs.values(), key=lambda r: r[0])
        for key, job, _ in rows:
            yield key, job

    def delete_job(self, job_id: str) -> int:
        """Delete a job and its events; return its key."""
        with self._lock:
            key = self._row(self._jobs, "job", job_id)[0]
            del self._jobs[job_id]
            self._events = [e for e in self._events if e.job_id != job_id]
            return key

    def count_jobs(self) -> int:
        """Return the number of stored jobs."""
        return len(self._jobs)

    # -- candidates --------------------------------------------------------------------------

    def upsert_candidates(
        self,
        candidates: Sequence[CandidateProfile],
        sensitive: Sequence[SensitiveAttributes],
        sources: Sequence[CandidateProfile] | None = None,
    ) -> list[int]:
        """Insert or replace profiles and their sensitive records."""
        given = list(sources) if sources is not None else list(candidates)
        if not len(given) == len(sensitive) == len(candidates):
            raise ValueError("sensitive and sources must have one entry per candidate")
        rows = [
            (profile, attrs, source.to_dict(), profile.to_dict(), attrs.to_dict())
            for profile, attrs, source in zip(candidates, sensitive, given, strict=True)
        ]
        with self._lock:
            keys = []
            for profile, attrs, source, _, _ in rows:
                key = self._key(self._candidates, "candidates", profile.id)
                self._candidates[profile.id] = (key, profile, source)
                self._sensitive[profile.id] = attrs
                keys.append(key)
            return keys

    def get_candidate(self, candidate_id: str) -> CandidateProfile:
        """Return a stored profile."""
        return self._row(self._candidates, "candidate", candidate_id)[1]

    def candidate_source(self, candidate_id: str) -> dict[str, Any]:
        """Return the profile's fields as they were given."""
        return dict(self._row(self._candidates, "candidate", candidate_id)[2])

    def sensitive_of(self, candidate_ids: Sequence[str]) -> list[SensitiveAttributes]:
        """Sensitive records aligned with ``candidate_ids``."""
        empty = SensitiveAttributes()
        return [self._sensitive.get(i, empty) for i in candidate_ids]

    def iter_candidates(self) -> Iterator[tuple[int, CandidateProfile]]:
        """Yield ``(key, profile)`` in key order."""
        with self._lock:
            rows = sorted(self._candidates.values(), key=lambda r: r[0])
        for key, profile, _ in rows:
            yield key, profile

    def delete_candidate(self, candidate_id: str) -> int:
        """Delete a candidate, their sensitive record and their events; return the key."""
        with self._lock:
            key = self._row(self._candidates, "candidate", candidate_id)[0]
            del self._candidates[candidate_id]
            self._sensitive.pop(candidate_id, None)
            self._events = [e for e in self._events if e.candidate_id != candidate_id]
            return key

    def count_candidates(self) -> int:
        """Return the number of stored candidates."""
        return len(self._candidates)

    # -- events and audit --------------------------------------------------------------------

    def add_events(self, events: Iterable[Event]) -> int:
        """Append events; return how many were stored."""
        batch = list(events)
        with self._lock:
            self._events.extend(batch)
        return len(batch)

    def iter_events(self) -> Iterator[Event]:
        """Yield every stored event, oldest first."""
        with self._lock:
            events = list(self._events)
        yield from events

    def events_of_candidate(self, candidate_id: str) -> list[Event]:
        """Return one candidate's events, oldest first."""
        with self._lock:
            return [e for e in self._events if e.candidate_id == candidate_id]

    def count_events(self) -> int:
        """Return the number of stored events."""
        return len(self._events)

    def append_audit(self, at: str, record: dict[str, Any]) -> None:
        """Append one ranking audit record, chained to the one before."""
        # kept as its canonical JSON, as the SQLite store keeps it
        data = json.loads(canonical(record))
        with self._lock:
            previous = self._audit[-1][2] if self._audit else GENESIS
            self._audit.append((at, data, chain_hash(previous, at, data)))

    def audit_log(self, *, limit: int = 100) -> list[dict[str, Any]]:
        """Return up to ``limit`` audit records, newest first, with ``at``, ``seq`` and ``hash``."""
        with self._lock:
            newest = list(enumerate(self._audit, start=1))[::-1][:limit]
        return [
            {**copy.deepcopy(record), "at": at, "seq": seq, "hash": h}
            for seq, (at, record, h) in newest
        ]

    def verify_audit(self) -> AuditCheck:
        """Recompute the audit log's hash chain."""
        with self._lock:
            rows = list(self._audit)
        return verify_chain(rows)

    # -- held postings -----------------------------------------------------------------------

    def hold_job(self, record: dict[str, Any], flags: list[dict[str, Any]], at: str) -> None:
        """Keep a posting back from publication with the flags that held it (replaces one)."""
        with self._lock:
            self._held[record["id"]] = (copy.deepcopy(record), copy.deepcopy(flags), at)

    def held_jobs(self) -> list[dict[str, Any]]:
        """Held postings, oldest first: ``{"id", "record", "flags", "at"}``."""
        with self._lock:
            items = sorted(self._held.items(), key=lambda kv: (kv[1][2], kv[0]))
        return [
            {"id": i, "record": copy.deepcopy(r), "flags": copy.deepcopy(f), "at": at}
            for i, (r, f, at) in items
        ]

    def take_held_job(self, job_id: str) -> dict[str, Any]:
        """Remove a held posting and return its record."""
        with self._lock:
            if job_id not in self._held:
                raise UnknownIdError("held posting", job_id)
            return self._held.pop(job_id)[0]

    # -- whole store -------------------------------------------------------------------------

    def snapshot(self) -> StoreSnapshot:
        """Return everything the store holds, keys included."""
        with self._lock:
            return StoreSnapshot(
                jobs=sorted(self._jobs.values(), key=lambda r: r[0]),
                candidates=sorted(self._candidates.values(), key=lambda r: r[0]),
                sensitive=dict(self._sensitive),
                events=list(self._events),
                audit=list(self._audit),
                held=[(i, r, f, at) for i, (r, f, at) in self._held.items()],
                next_job_key=self._next["jobs"],
                next_candidate_key=self._next["candidates"],
            )

    def backup_to(self, path: str | Path) -> None:
        """Write the whole store to ``path`` as an SQLite database."""
        SQLiteStore.write_snapshot(path, self.snapshot())

    def close(self) -> None:
        """Nothing to release; the records are simply dropped with the store."""

    def _row(self, table: dict[str, Any], kind: str, item_id: str) -> Any:
        try:
            return table[item_id]
        except (KeyError, TypeError):
            raise UnknownIdError(kind, item_id) from None
