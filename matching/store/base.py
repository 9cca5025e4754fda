"""The record store's interface: what every store (SQLite, in memory, later PostgreSQL) provides.

A store holds jobs, candidate profiles, candidates' sensitive records, events and the ranking
audit log. Every write method is one atomic unit: a batch is stored whole or not at all. Each
job and candidate gets a stable integer *key* that is never reused after a delete; the vector
indexes use keys as their ids. Beside each completed record the store keeps its *source*: the
fields as they were given, before anything was read from the text, so that an update can read
the text again without overwriting what a user set.

Sensitive attributes come in and go out as their own records (:class:`SensitiveAttributes`),
never inside a profile.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from matching.records import CandidateProfile, Event, Job, SensitiveAttributes
from matching.store.audit import AuditCheck

__all__ = ["RecordStore", "StoreSnapshot"]


@dataclass(frozen=True)
class StoreSnapshot:
    """Everything a store holds, keys included: what one store hands another to copy itself.

    Rows are ``(key, record, source)``, audit rows ``(at, record, hash)``, held postings
    ``(id, record, flags, at)``. ``next_job_key`` and
    ``next_candidate_key`` are the keys the store would give next, so a copy never reuses a
    key either.
    """

    jobs: list[tuple[int, Job, dict[str, Any]]] = field(default_factory=list)
    candidates: list[tuple[int, CandidateProfile, dict[str, Any]]] = field(default_factory=list)
    sensitive: dict[str, SensitiveAttributes] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    audit: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)
    held: list[tuple[str, dict[str, Any], list[dict[str, Any]], str]] = field(default_factory=list)
    next_job_key: int = 1
    next_candidate_key: int = 1


@runtime_checkable
class RecordStore(Protocol):
    """The operations the engine needs of a record store (see the module notes).

    Reads of an unknown id raise :class:`~matching.errors.UnknownIdError`; a store that cannot
    be read or written raises :class:`~matching.errors.StorageError`.
    """

    # -- jobs --------------------------------------------------------------------------------

    def upsert_jobs(self, jobs: Sequence[Job], sources: Sequence[Job] | None = None) -> list[int]:
        """Insert or replace jobs in one transaction; return their keys, in input order."""
        ...

    def get_job(self, job_id: str) -> Job:
        """Return a stored job."""
        ...

    def job_source(self, job_id: str) -> dict[str, Any]:
        """Return the job's fields as they were given."""
        ...

    def iter_jobs(self) -> Iterator[tuple[int, Job]]:
        """Yield ``(key, job)`` for every stored job, in key order."""
        ...

    def delete_job(self, job_id: str) -> int:
        """Delete a job and its events; return the key it had."""
        ...

    def count_jobs(self) -> int:
        """Return the number of stored jobs."""
        ...

    # -- candidates --------------------------------------------------------------------------

    def upsert_candidates(
        self,
        candidates: Sequence[CandidateProfile],
        sensitive: Sequence[SensitiveAttributes],
        sources: Sequence[CandidateProfile] | None = None,
    ) -> list[int]:
        """Insert or replace profiles and their sensitive records in one transaction."""
        ...

    def get_candidate(self, candidate_id: str) -> CandidateProfile:
        """Return a stored profile."""
        ...

    def candidate_source(self, candidate_id: str) -> dict[str, Any]:
        """Return the profile's fields as they were given."""
        ...

    def sensitive_of(self, candidate_ids: Sequence[str]) -> list[SensitiveAttributes]:
        """Sensitive records aligned with ``candidate_ids`` (empty records for none stored)."""
        ...

    def iter_candidates(self) -> Iterator[tuple[int, CandidateProfile]]:
        """Yield ``(key, profile)`` for every stored candidate, in key order."""
        ...

    def delete_candidate(self, candidate_id: str) -> int:
        """Delete a candidate, their sensitive record and their events; return the key."""
        ...

    def count_candidates(self) -> int:
        """Return the number of stored candidates."""
        ...

    # -- events and audit --------------------------------------------------------------------

    def add_events(self, events: Iterable[Event]) -> int:
        """Append events in one transaction; return how many were stored."""
        ...

    def iter_events(self) -> Iterator[Event]:
        """Yield every stored event, oldest first."""
        ...

    def events_of_candidate(self, candidate_id: str) -> list[Event]:
        """Return one candidate's events, oldest first."""
        ...

    def count_events(self) -> int:
        """Return the number of stored events."""
        ...

    def append_audit(self, at: str, record: dict[str, Any]) -> None:
        """Append one ranking audit record stamped with the time ``at`` (ISO 8601).

        The log is append-only and a hash chain: each record carries the hash of the one
        before (:mod:`matching.store.audit`).
        """
        ...

    def audit_log(self, *, limit: int = 100) -> list[dict[str, Any]]:
        """Return up to ``limit`` audit records, newest first.

        Each with its ``at`` time, ``seq`` (position from 1) and ``hash`` (its chain link).
        """
        ...

    def verify_audit(self) -> AuditCheck:
        """Recompute the audit log's hash chain (:func:`matching.store.audit.verify_chain`)."""
        ...

    # -- held postings -----------------------------------------------------------------------

    def hold_job(self, record: dict[str, Any], flags: list[dict[str, Any]], at: str) -> None:
        """Keep a posting back from publication with the flags that held it (replaces one)."""
        ...

    def held_jobs(self) -> list[dict[str, Any]]:
        """Held postings, oldest first: ``{"id", "record", "flags", "at"}``."""
        ...

    def take_held_job(self, job_id: str) -> dict[str, Any]:
        """Remove a held posting and return its record (:class:`UnknownIdError` if none)."""
        ...

    # -- whole store -------------------------------------------------------------------------

    def snapshot(self) -> StoreSnapshot:
        """Return everything the store holds, keys included."""
        ...

    def backup_to(self, path: str | Path) -> None:
        """Write a consistent copy of the whole store to ``path`` as an SQLite database."""
        ...

    def close(self) -> None:
        """Release the store; it cannot be used afterwards."""
        ...
