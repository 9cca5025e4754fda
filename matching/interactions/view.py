"""The live view of a catalogue's event log, kept up to date as events and records change.

A record added or replaced extends the log: the new record takes the next position and the
arrays of events are kept, so a write to a large pool costs what the log holds, not the pool.
New events are appended to the arrays, and only the vectors of records engaged for the first
time are read. Removals, and events the view was not told of, rebuild it from the store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np

from matching.interactions.log import InteractionLog, Snapshot
from matching.interactions.signals import HISTORY_SIGNALS, history_signals
from matching.records import Event

__all__ = ["Added", "HistoryView", "LogVectors"]

_Cached = tuple[Any, Any, Any, InteractionLog, Snapshot, "LogVectors", "LogVectors"]


class Added(NamedTuple):
    """Records put since a version of the sides, none removed (see :class:`HistoryView`)."""

    candidates: list[str]  # new ids, in the order they were added
    jobs: list[str]
    replaced_candidates: list[str]  # ids held before whose record (and vector) changed
    replaced_jobs: list[str]


def _read_only(matrix: np.ndarray) -> np.ndarray:
    matrix.flags.writeable = False
    return matrix


class LogVectors:
    """Unit embeddings of a side by log position: those of records with events kept in memory.

    Neighbour signals compare a record with the records that have events, over and over;
    those are gathered once per log. Any other position (a query record with no history) is
    read from the index when asked for.

    Parameters
    ----------
    ids : sequence of str
        The log's ids of the side, by position.
    engaged : ndarray of int
        Positions of the records with at least one event.
    fetch : callable
        Vectors by id, of shape (n, dim).
    """

    def __init__(
        self, ids: Sequence[str], engaged: np.ndarray, fetch: Callable[[Sequence[str]], np.ndarray]
    ) -> None:
        self._ids = ids
        self._fetch = fetch
        self._row = np.full(len(ids), -1, dtype=np.int64)
        self._row[engaged] = np.arange(len(engaged))
        self._matrix = _read_only(fetch([ids[p] for p in engaged.tolist()]))

    def extended(self, ids: Sequence[str], replaced: Sequence[int]) -> LogVectors:
        """These vectors over a longer list of ids; ``replaced`` positions read again."""
        out = LogVectors.__new__(LogVectors)
        out._ids, out._fetch = ids, self._fetch
        out._row = np.full(len(ids), -1, dtype=np.int64)
        out._row[: len(self._row)] = self._row
        out._matrix = self._matrix
        # a record added and replaced since is new here: it has no row to read again
        again = np.asarray(replaced, dtype=np.int64)
        again = again[again < len(self._row)]
        rows = self._row[again]
        kept = rows[rows >= 0]
        if len(kept):
            positions = again[rows >= 0]
            matrix = self._matrix.copy()
            matrix[kept] = self._fetch([ids[p] for p in positions.tolist()])
            out._matrix = _read_only(matrix)
        return out

    def engaging(self, positions: np.ndarray) -> LogVectors:
        """These vectors with those of ``positions`` held too (read once, when new)."""
        positions = np.unique(np.asarray(positions, dtype=np.int64))
        new = positions[self._row[positions] < 0]
        if not len(new):
            return self
        out = LogVectors.__new__(LogVectors)
        out._ids, out._fetch = self._ids, self._fetch
        out._row = self._row.copy()
        out._row[new] = len(self._matrix) + np.arange(len(new))
        fetched = self._fetch([self._ids[p] for p in new.tolist()])
        out._matrix = _read_only(
            np.concatenate([self._matrix, fetched.astype(self._matrix.dtype, copy=False)])
        )
        return out

    def __call__(self, positions: np.ndarray) -> np.ndarray:
        """The vectors at some log positions, of shape (n, dim)."""
        positions = np.asarray(positions, dtype=np.int64)
        rows = self._row[positions]
        held = rows >= 0
        if held.all():
            if len(rows) == len(self._matrix) and (rows == np.arange(len(rows))).all():
                # every held vector in row order (the pool of neighbour signals): no copy
                return self._matrix
            return self._matrix[rows]  # type: ignore[no-any-return]
        out = np.empty((len(positions), self._matrix.shape[1]), dtype=self._matrix.dtype)
        out[held] = self._matrix[rows[held]]
        out[~held] = self._fetch([self._ids[p] for p in positions[~held].tolist()])
        return out

    def similarities(self, positions: np.ndarray, query: np.ndarray) -> np.ndarray:
        """``self(positions) @ query``, without gathering the vectors when all are held.

        A snapshot cut in time engages fewer records than the log holds vectors for; one
        product with every held vector is then cheaper than copying the rows it needs.
        """
        positions = np.asarray(positions, dtype=np.int64)
        rows = self._row[positions]
        if (rows >= 0).all() and 2 * len(rows) >= len(self._matrix):
            return (self._matrix @ query)[rows]  # type: ignore[no-any-return]
        return self(positions) @ query  # type: ignore[no-any-return]


class HistoryView:
    """The event log over the stored records, its serving snapshot, and pair signals.

    Parameters
    ----------
    events : callable
        Every stored event.
    candidate_ids, job_ids : callable
        The stored ids, in store order.
    candidate_vectors, job_vectors : callable
        Unit embeddings of records by id, of shape (n, dim).
    headcount : callable
        Openings of a job by id.
    version : callable
        Anything that changes whenever events or records change.
    events_version : callable, optional
        Anything that changes whenever the stored events change; with it the events read are
        kept between rebuilds that only records caused.
    records_version, added_since : callable, optional
        The sides' version now, and ``added_since(version)``: the :class:`Added` records since
        an earlier one, or None when a record was removed or the changes are not known. With
        both, a write that only adds or replaces records extends the log instead of
        rebuilding it.
    events_since : callable, optional
        ``events_since(events version)``: the events stored since an earlier events version,
        oldest first, or None when they are not known (a removal, a reload). With it (and the
        three above), new events are appended to the log instead of rebuilding it.
    """

    def __init__(
        self,
        *,
        events: Callable[[], Iterable[Event]],
        candidate_ids: Callable[[], list[str]],
        job_ids: Callable[[], list[str]],
        candidate_vectors: Callable[[Sequence[str]], np.ndarray],
        job_vectors: Callable[[Sequence[str]], np.ndarray],
        headcount: Callable[[str], int],
        version: Callable[[], Any],
        events_version: Callable[[], Any] | None = None,
        records_version: Callable[[], Any] | None = None,
        added_since: Callable[[Any], Added | None] | None = None,
        events_since: Callable[[Any], list[Event] | None] | None = None,
    ) -> None:
        self._events = events
        self._candidate_ids = candidate_ids
        self._job_ids = job_ids
        self._candidate_vectors = candidate_vectors
        self._job_vectors = job_vectors
        self._headcount = headcount
        self._version = version
        self._events_version = events_version
        self._records_version = records_version
        self._added_since = added_since
        self._events_since = events_since
        # the stored events as read, kept while they do not change: a new job or candidate
        # then costs a rebuild of the log, not a second reading of every event
        self._read: tuple[Any, list[Event]] | None = None
        self._lock = threading.Lock()
        # (version, events version, records version, log, snapshot, candidate vectors, jobs')
        self._cached: _Cached | None = None

    def _current(self) -> tuple[InteractionLog, Snapshot, LogVectors, LogVectors]:
        version = self._version()
        with self._lock:
            cached = self._cached
            if cached is None or cached[0] != version:
                events_version = self._events_version() if self._events_version else None
                records = self._records_version() if self._records_version else None
                extended = self._followed(cached, events_version, records)
                if extended is None:
                    log = InteractionLog.from_events(
                        self._stored_events(), self._candidate_ids(), self._job_ids()
                    )
                    extended = (
                        log,
                        LogVectors(log.candidate_ids, np.unique(log.cand), self._candidate_vectors),
                        LogVectors(log.job_ids, np.unique(log.job), self._job_vectors),
                        None,
                    )
                log, cand_vectors, job_vectors, snapshot = extended
                cached = (version, events_version, records, log,
                          snapshot if snapshot is not None else log.snapshot(),
                          cand_vectors, job_vectors)  # fmt: skip
                self._cached = cached
            return cached[3], cached[4], cached[5], cached[6]

    def _followed(
        self, cached: _Cached | None, events_version: Any, records: Any
    ) -> tuple[InteractionLog, LogVectors, LogVectors, Snapshot | None] | None:
        """The cached log brought up to date without reading the store, or None if it cannot.

        With it the cached snapshot widened over the new log when only records were added
        (they have no events: the pairs are the same; see :meth:`Snapshot.widened`), else None.
        """
        if cached is None or self._events_version is None or self._added_since is None:
            return None
        if self._records_version is None:
            return None
        log, cand_vectors, job_vectors = cached[3], cached[5], cached[6]
        snapshot = None
        if records != cached[2]:
            added = self._added_since(cached[2])
            if added is None:
                return None
            log, cand_vectors, job_vectors = _extend(log, cand_vectors, job_vectors, added)
            if events_version == cached[1]:
                snapshot = cached[4].widened(log, same_vectors=not added.replaced_candidates)
        if events_version != cached[1]:
            new = self._events_since(cached[1]) if self._events_since is not None else None
            if new is None:
                return None
            before = len(log)
            log = log.appended(new)
            cand_vectors = cand_vectors.engaging(log.cand[before:])
            job_vectors = job_vectors.engaging(log.job[before:])
            if self._read is not None and self._read[0] == cached[1]:
                self._read[1].extend(new)  # the events as read, kept for the next rebuild
                self._read = (events_version, self._read[1])
        return log, cand_vectors, job_vectors, snapshot

    def _stored_events(self) -> Iterable[Event]:
        if self._events_version is None:
            return self._events()
        version = self._events_version()
        if self._read is None or self._read[0] != version:
            self._read = (version, list(self._events()))
        return self._read[1]

    def current(self) -> tuple[InteractionLog, Snapshot]:
        """The log of the stored events and the snapshot a live request sees (all of it)."""
        log, snap, _, _ = self._current()
        return log, snap

    def vectors(self) -> tuple[LogVectors, LogVectors]:
        """Candidate and job embeddings by log position (called with positions)."""
        _, _, cand_vectors, job_vectors = self._current()
        return cand_vectors, job_vectors

    def signals(
        self,
        candidate_ids: Sequence[str],
        job_ids: Sequence[str],
        *,
        snapshot: Snapshot | None = None,
    ) -> np.ndarray:
        """History signals of aligned pairs, of shape (n, len(HISTORY_SIGNALS)).

        ``snapshot`` (of the current log) restricts what is seen, for training; a live
        request sees the whole log.
        """
        log, live, cand_vectors, job_vectors = self._current()
        snap = snapshot if snapshot is not None else live
        if snap.empty or not len(candidate_ids):
            return np.full((len(candidate_ids), len(HISTORY_SIGNALS)), np.nan, dtype=np.float32)
        cpos, jpos = log.candidate_position, log.job_position
        cand = np.asarray([cpos[c] for c in candidate_ids], dtype=np.int64)
        job = np.asarray([jpos[j] for j in job_ids], dtype=np.int64)
        return history_signals(
            snap,
            cand,
            job,
            candidate_vectors=cand_vectors,
            job_vectors=job_vectors,
            headcount=np.asarray([self._headcount(j) for j in job_ids], dtype=np.float64),
        )


def _grown_ids(
    ids: tuple[str, ...], position: dict[str, int], new: Sequence[str]
) -> tuple[tuple[str, ...], dict[str, int]]:
    """``ids`` and their positions with ``new`` ones after them; shared when none is new.

    A side that gained nothing keeps its tuple and map (a copy of either is a pass over every
    id of the pool).
    """
    extra = [i for i in dict.fromkeys(new) if i not in position]
    if not extra:
        return ids, position
    grown = dict(position)
    grown.update((item_id, len(ids) + k) for k, item_id in enumerate(extra))
    return ids + tuple(extra), grown


def _extend(
    log: InteractionLog, cand_vectors: LogVectors, job_vectors: LogVectors, added: Added
) -> tuple[InteractionLog, LogVectors, LogVectors]:
    """The log over its records and the ``added`` ones (who have no events yet)."""
    cids, cpos = _grown_ids(log.candidate_ids, log.candidate_position, added.candidates)
    jids, jpos = _grown_ids(log.job_ids, log.job_position, added.jobs)
    grown = InteractionLog(cids, jids, log.cand, log.job, log.grade, log.time)
    # the positions are known: no pass over every id to list them again
    grown.__dict__["candidate_position"] = cpos
    grown.__dict__["job_position"] = jpos
    return (
        grown,
        cand_vectors.extended(
            grown.candidate_ids, [cpos[c] for c in added.replaced_candidates]
        ),  # fmt: skip
        job_vectors.extended(grown.job_ids, [jpos[j] for j in added.replaced_jobs]),
    )
