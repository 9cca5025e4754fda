"""The SQLite record store: one file in the engine directory (or in memory).

Jobs, candidates, events and the audit log live in separate tables; a candidate's sensitive
attributes in a table of their own, so that reading a profile never touches them. Every public
write is one transaction. Keys are ``INTEGER PRIMARY KEY AUTOINCREMENT``, never reused after a
delete. See :mod:`matching.store.base` for the contract.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from matching.errors import StorageError, UnknownIdError
from matching.records import CandidateProfile, Event, Job, SensitiveAttributes, stored
from matching.store.audit import GENESIS, AuditCheck, canonical, chain_hash, verify_chain
from matching.store.base import StoreSnapshot

__all__ = ["SQLiteStore"]

SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    key INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,
    source TEXT
);
CREATE TABLE IF NOT EXISTS candidates (
    key INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,
    source TEXT
);
CREATE TABLE IF NOT EXISTS candidate_sensitive (
    id TEXT PRIMARY KEY REFERENCES candidates(id) ON DELETE CASCADE,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    type TEXT NOT NULL,
    timestamp TEXT
);
CREATE INDEX IF NOT EXISTS events_candidate ON events(candidate_id);
CREATE INDEX IF NOT EXISTS events_job ON events(job_id);
CREATE TABLE IF NOT EXISTS held_jobs (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    flags TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    hash TEXT
);
"""

# The audit log is append-only: the database refuses to change or remove its rows.
_AUDIT_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


class SQLiteStore:
    """Records in one SQLite database.

    Parameters
    ----------
    path : str or Path, default ":memory:"
        Database file; ``":memory:"`` keeps everything in memory (copy it out with
        :meth:`backup_to`).
    """

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        try:
            self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open store {self.path!r}: {exc}") from exc
        self._lock = threading.RLock()
        self._conn.execute("PRAGMA foreign_keys = ON")
        # deleted rows (a graduate who asked to be forgotten) are overwritten, not left in
        # free pages of the file
        self._conn.execute("PRAGMA secure_delete = ON")
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
        self._conn.executescript(_SCHEMA)
        for table in ("jobs", "candidates"):
            # Stores from before sources were kept lack the column; a NULL source reads as
            # the completed record.
            columns = {row[1] for row in self._conn.execute(f"PRAGMA table_info({table})")}
            if "source" not in columns:
                self._conn.execute(f"ALTER TABLE {table} ADD COLUMN source TEXT")
        version = self.get_meta("schema_version")
        if version is not None and int(version) > SCHEMA_VERSION:
            raise StorageError(
                f"store {self.path!r} has schema version {version}; this gradmatch reads up to "
                f"{SCHEMA_VERSION}"
            )
        if version is None or int(version) < SCHEMA_VERSION:
            # version 2: the audit log is a hash chain (older rows are chained on first open)
            self.set_meta("schema_version", str(SCHEMA_VERSION))
        self._chain_old_audit_rows()
        self._conn.executescript(_AUDIT_TRIGGERS)

    # -- plumbing --------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: everything inside commits together or not at all."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        """Close the database connection; the store is unusable afterwards."""
        with self._lock:
            self._conn.close()

    def backup_to(self, path: str | Path) -> None:
        """Write a consistent copy of the whole database to ``path``, atomically.

        The copy is written beside the target and renamed over it; a write-ahead log left
        next to the target by an earlier process is removed first, or SQLite would replay it
        over the new copy.
        """
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.unlink(missing_ok=True)
        with self._lock:
            target = sqlite3.connect(str(tmp))
            try:
                self._conn.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
        for suffix in ("-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, path)

    def get_meta(self, key: str) -> str | None:
        """Return a stored setting, or ``None`` if it was never set."""
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Store a setting, replacing any earlier value."""
        with self._lock:
            self._conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- jobs ------------------------------------------------------------------------------

    def upsert_jobs(self, jobs: Sequence[Job], sources: Sequence[Job] | None = None) -> list[int]:
        """Insert or replace jobs in one transaction; returns their integer keys.

        ``sources`` are the records as given, before completion from the text (default: the
        jobs themselves).
        """
        given = sources if sources is not None else jobs
        with self.transaction() as conn:
            return [
                self._upsert(conn, "jobs", j.id, j.to_dict(), g.to_dict())
                for j, g in zip(jobs, given, strict=True)
            ]

    def job_source(self, job_id: str) -> dict[str, Any]:
        """The job's fields as they were given (see the module notes)."""
        row = self._one("SELECT source, data FROM jobs WHERE id = ?", (job_id,))
        if row is None:
            raise UnknownIdError("job", job_id)
        return json.loads(row[0] or row[1])  # type: ignore[no-any-return]

    def get_job(self, job_id: str) -> Job:
        """Return a stored job; raises :class:`UnknownIdError` if absent."""
        row = self._one("SELECT data FROM jobs WHERE id = ?", (job_id,))
        if row is None:
            raise UnknownIdError("job", job_id)
        return stored(Job.from_dict, json.loads(row[0]))

    def iter_jobs(self) -> Iterator[tuple[int, Job]]:
        """Yield ``(key, job)`` for every stored job, in key order."""
        for key, data in self._all("SELECT key, data FROM jobs ORDER BY key"):
            yield int(key), stored(Job.from_dict, json.loads(data))

    def delete_job(self, job_id: str) -> int:
        """Delete a job and its events; returns the key it had."""
        with self.transaction() as conn:
            row = conn.execute("SELECT key FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                raise UnknownIdError("job", job_id)
            conn.execute("DELETE FROM jobs WHERE id = ?", (job_id,))
            conn.execute("DELETE FROM events WHERE job_id = ?", (job_id,))
            return int(row[0])

    def count_jobs(self) -> int:
        """Return the number of stored jobs."""
        return int(self._one("SELECT COUNT(*) FROM jobs", ())[0])

    # -- candidates ------------------------------------------------------------------------

    def upsert_candidates(
        self,
        candidates: Sequence[CandidateProfile],
        sensitive: Sequence[SensitiveAttributes],
        sources: Sequence[CandidateProfile] | None = None,
    ) -> list[int]:
        """Insert or replace profiles and their sensitive records in one transaction."""
        given = sources if sources is not None else candidates
        keys = []
        with self.transaction() as conn:
            for c, s, g in zip(candidates, sensitive, given, strict=True):
                keys.append(self._upsert(conn, "candidates", c.id, c.to_dict(), g.to_dict()))
                conn.execute(
                    "INSERT INTO candidate_sensitive(id, data) VALUES (?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                    (c.id, json.dumps(s.to_dict(), ensure_ascii=False)),
                )
        return keys

    def get_candidate(self, candidate_id: str) -> CandidateProfile:
        """Return a stored profile; raises :class:`UnknownIdError` if absent."""
        row = self._one("SELECT data FROM candidates WHERE id = ?", (candidate_id,))
        if row is None:
            raise UnknownIdError("candidate", candidate_id)
        return stored(CandidateProfile.from_dict, json.loads(row[0]))

    def candidate_source(self, candidate_id: str) -> dict[str, Any]:
        """The candidate's profile fields as given, without the sensitive record."""
        row = self._one("SELECT source, data FROM candidates WHERE id = ?", (candidate_id,))
        if row is None:
            raise UnknownIdError("candidate", candidate_id)
        return json.loads(row[0] or row[1])  # type: ignore[no-any-return]

    def sensitive_of(self, candidate_ids: Sequence[str]) -> list[SensitiveAttributes]:
        """Sensitive records of many candidates in one query, aligned with ``candidate_ids``."""
        found: dict[str, SensitiveAttributes] = {}
        ids = list(dict.fromkeys(candidate_ids))
        # SQLite caps the number of parameters of one statement; stay well below it.
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for item_id, data in self._all(
                f"SELECT id, data FROM candidate_sensitive WHERE id IN ({marks})", tuple(chunk)
            ):
                found[item_id] = _sensitive(data)
        return [found.get(i, SensitiveAttributes()) for i in candidate_ids]

    def iter_candidates(self) -> Iterator[tuple[int, CandidateProfile]]:
        """Yield ``(key, profile)`` for every stored candidate, in key order."""
        for key, data in self._all("SELECT key, data FROM candidates ORDER BY key"):
            yield int(key), stored(CandidateProfile.from_dict, json.loads(data))

    def delete_candidate(self, candidate_id: str) -> int:
        """Delete a candidate, their sensitive record and their events; returns the key."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT key FROM candidates WHERE id = ?", (candidate_id,)
            ).fetchone()
            if row is None:
                raise UnknownIdError("candidate", candidate_id)
            conn.execute("DELETE FROM candidate_sensitive WHERE id = ?", (candidate_id,))
            conn.execute("DELETE FROM candidates WHERE id = ?", (candidate_id,))
            conn.execute("DELETE FROM events WHERE candidate_id = ?", (candidate_id,))
            return int(row[0])

    def count_candidates(self) -> int:
        """Return the number of stored candidates."""
        return int(self._one("SELECT COUNT(*) FROM candidates", ())[0])

    # -- events ----------------------------------------------------------------------------

    def add_events(self, events: Iterable[Event]) -> int:
        """Append events in one transaction; returns how many were stored."""
        rows = [_event_row(e) for e in events]
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO events(candidate_id, job_id, type, timestamp) VALUES (?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    def iter_events(self) -> Iterator[Event]:
        """Yield every stored event, oldest first."""
        for cid, jid, etype, ts in self._all(
            "SELECT candidate_id, job_id, type, timestamp FROM events ORDER BY seq"
        ):
            yield stored(Event, candidate_id=cid, job_id=jid, type=etype, timestamp=ts)

    def events_of_candidate(self, candidate_id: str) -> list[Event]:
        """Return one candidate's events, oldest first."""
        return [
            stored(Event, candidate_id=cid, job_id=jid, type=t, timestamp=ts)
            for cid, jid, t, ts in self._all(
                "SELECT candidate_id, job_id, type, timestamp FROM events "
                "WHERE candidate_id = ? ORDER BY seq",
                (candidate_id,),
            )
        ]

    def count_events(self) -> int:
        """Return the number of stored events."""
        return int(self._one("SELECT COUNT(*) FROM events", ())[0])

    # -- audit -----------------------------------------------------------------------------

    def append_audit(self, at: str, record: dict[str, Any]) -> None:
        """Append one ranking audit record, stamped with the time ``at`` (ISO 8601).

        The record carries the hash of the one before (see :mod:`matching.store.audit`).
        """
        with self.transaction() as conn:
            row = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
            previous = GENESIS if row is None else row[0]
            conn.execute(
                "INSERT INTO audit_log(at, data, hash) VALUES (?, ?, ?)",
                (at, canonical(record), chain_hash(previous, at, record)),
            )

    def audit_log(self, *, limit: int = 100) -> list[dict[str, Any]]:
        """Return up to ``limit`` audit records, newest first, each with its ``at`` time.

        Each also carries ``seq`` (its position, from 1) and ``hash`` (its link in the chain).
        """
        rows = self._all(
            "SELECT seq, at, data, hash FROM audit_log ORDER BY seq DESC LIMIT ?", (limit,)
        )
        return [
            {**json.loads(data), "at": at, "seq": int(seq), "hash": h} for seq, at, data, h in rows
        ]

    def verify_audit(self) -> AuditCheck:
        """Recompute the audit log's hash chain (see :func:`matching.store.audit.verify_chain`)."""
        with self._lock:
            rows = self._conn.execute("SELECT at, data, hash FROM audit_log ORDER BY seq")
            return verify_chain((at, data, h) for at, data, h in rows)

    def _chain_old_audit_rows(self) -> None:
        """Give rows written before the chain existed their hashes, once, in order."""
        columns = {row[1] for row in self._conn.execute("PRAGMA table_info(audit_log)")}
        if "hash" not in columns:
            self._conn.execute("ALTER TABLE audit_log ADD COLUMN hash TEXT")
        if self._conn.execute("SELECT 1 FROM audit_log WHERE hash IS NULL LIMIT 1").fetchone():
            with self.transaction() as conn:
                previous = GENESIS
                rows = conn.execute("SELECT seq, at, data, hash FROM audit_log ORDER BY seq")
                for seq, at, data, h in rows.fetchall():
                    if h is None:
                        record = json.loads(data)
                        h = chain_hash(previous, at, record)
                        conn.execute(
                            "UPDATE audit_log SET data = ?, hash = ? WHERE seq = ?",
                            (canonical(record), h, seq),
                        )
                    previous = h

    # -- held postings ---------------------------------------------------------------------

    def hold_job(self, record: dict[str, Any], flags: list[dict[str, Any]], at: str) -> None:
        """Keep a posting back from publication with the flags that held it (replaces one)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO held_jobs(id, data, flags, at) VALUES (?, ?, ?, ?)",
                (record["id"], _dumps(record), _dumps(flags), at),
            )

    def held_jobs(self) -> list[dict[str, Any]]:
        """Held postings, oldest first: ``{"id", "record", "flags", "at"}``."""
        rows = self._all("SELECT id, data, flags, at FROM held_jobs ORDER BY at, id", ())
        return [
            {"id": i, "record": json.loads(d), "flags": json.loads(f), "at": at}
            for i, d, f, at in rows
        ]

    def take_held_job(self, job_id: str) -> dict[str, Any]:
        """Remove a held posting and return its record.

        Raises
        ------
        UnknownIdError
            No posting of that id is held.
        """
        with self.transaction() as conn:
            row = conn.execute("SELECT data FROM held_jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                raise UnknownIdError("held posting", job_id)
            conn.execute("DELETE FROM held_jobs WHERE id = ?", (job_id,))
        return dict(json.loads(row[0]))

    # -- whole store -----------------------------------------------------------------------

    def snapshot(self) -> StoreSnapshot:
        """Return everything the store holds, keys included."""
        with self._lock:
            jobs = [
                (int(k), stored(Job.from_dict, json.loads(d)), json.loads(src or d))
                for k, d, src in self._all("SELECT key, data, source FROM jobs ORDER BY key")
            ]
            candidates = [
                (int(k), stored(CandidateProfile.from_dict, json.loads(d)), json.loads(src or d))
                for k, d, src in self._all("SELECT key, data, source FROM candidates ORDER BY key")
            ]
            sensitive = {
                i: _sensitive(d) for i, d in self._all("SELECT id, data FROM candidate_sensitive")
            }
            audit = [
                (at, json.loads(d), h)
                for at, d, h in self._all("SELECT at, data, hash FROM audit_log ORDER BY seq")
            ]
            held = [
                (i, json.loads(d), json.loads(f), at)
                for i, d, f, at in self._all("SELECT id, data, flags, at FROM held_jobs", ())
            ]
            seqs = dict(self._all("SELECT name, seq FROM sqlite_sequence"))
            return StoreSnapshot(
                jobs=jobs,
                candidates=candidates,
                sensitive=sensitive,
                events=list(self.iter_events()),
                audit=audit,
                held=held,
                next_job_key=int(seqs.get("jobs", 0)) + 1,
                next_candidate_key=int(seqs.get("candidates", 0)) + 1,
            )

    @classmethod
    def write_snapshot(cls, path: str | Path, snapshot: StoreSnapshot) -> None:
        """Write ``snapshot`` as a new SQLite store at ``path``, atomically."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        for stale in (tmp, *(tmp.with_name(tmp.name + x) for x in ("-wal", "-shm"))):
            stale.unlink(missing_ok=True)
        store = cls(tmp)
        try:
            with store.transaction() as conn:
                for table, rows in (("jobs", snapshot.jobs), ("candidates", snapshot.candidates)):
                    conn.executemany(
                        f"INSERT INTO {table}(key, id, data, source) VALUES (?, ?, ?, ?)",
                        [(key, r.id, _dumps(r.to_dict()), _dumps(src)) for key, r, src in rows],
                    )
                conn.executemany(
                    "INSERT INTO candidate_sensitive(id, data) VALUES (?, ?)",
                    [(i, _dumps(s.to_dict())) for i, s in snapshot.sensitive.items()],
                )
                conn.executemany(
                    "INSERT INTO events(candidate_id, job_id, type, timestamp) VALUES (?, ?, ?, ?)",
                    [_event_row(e) for e in snapshot.events],
                )
                # the stored hashes are copied, not recomputed: a copy of a log that was
                # tampered with still fails verification
                conn.executemany(
                    "INSERT INTO audit_log(at, data, hash) VALUES (?, ?, ?)",
                    [(at, canonical(r), h) for at, r, h in snapshot.audit],
                )
                conn.executemany(
                    "INSERT INTO held_jobs(id, data, flags, at) VALUES (?, ?, ?, ?)",
                    [(i, _dumps(d), _dumps(f), at) for i, d, f, at in snapshot.held],
                )
                # Keys are never reused: carry the counters over, not just the rows.
                for table, nxt in (
                    ("jobs", snapshot.next_job_key),
                    ("candidates", snapshot.next_candidate_key),
                ):
                    conn.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
                    conn.execute(
                        "INSERT INTO sqlite_sequence(name, seq) VALUES (?, ?)", (table, nxt - 1)
                    )
            store._conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            store.close()
        for suffix in ("-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, path)

    # -- helpers ---------------------------------------------------------------------------

    def _upsert(
        self, conn: sqlite3.Connection, table: str, item_id: str, data: dict, source: dict
    ) -> int:
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
        given = json.dumps(source, ensure_ascii=False, sort_keys=True)
        row = conn.execute(f"SELECT key FROM {table} WHERE id = ?", (item_id,)).fetchone()
        if row is not None:
            conn.execute(
                f"UPDATE {table} SET data = ?, source = ? WHERE key = ?", (payload, given, row[0])
            )
            return int(row[0])
        cur = conn.execute(
            f"INSERT INTO {table}(id, data, source) VALUES (?, ?, ?)", (item_id, payload, given)
        )
        return int(cur.lastrowid or 0)

    def _one(self, sql: str, args: tuple) -> Any:
        with self._lock:
            return self._conn.execute(sql, args).fetchone()

    def _all(self, sql: str, args: tuple = ()) -> list[Any]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()


def _dumps(data: Any, *, sort_keys: bool = True) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=sort_keys)


def _event_row(e: Event) -> tuple[str, str, str, str | None]:
    return (
        e.candidate_id,
        e.job_id,
        e.type.value,
        e.timestamp.isoformat() if e.timestamp else None,
    )


@functools.lru_cache(maxsize=4096)
def _sensitive(data: str) -> SensitiveAttributes:
    """The record a stored JSON text holds, decoded once per distinct text.

    Most candidates share one of a few records (none given, one hardship category), and the
    records are immutable; decoding 300 of them anew cost a ranking request 10 ms.
    """
    return SensitiveAttributes.from_dict(json.loads(data))
