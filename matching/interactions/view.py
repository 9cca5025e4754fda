"""The live view of a catalogue's event log: rebuilt when events or records change."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from matching.interactions.log import InteractionLog, Snapshot
from matching.interactions.signals import HISTORY_SIGNALS, history_signals
from matching.records import Event

__all__ = ["HistoryView"]


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
    ) -> None:
        self._events = events
        self._candidate_ids = candidate_ids
        self._job_ids = job_ids
        self._candidate_vectors = candidate_vectors
        self._job_vectors = job_vectors
        self._headcount = headcount
        self._version = version
        self._events_version = events_version
        # the stored events as read, kept while they do not change: a new job or candidate
        # then costs a rebuild of the log, not a second reading of every event
        self._read: tuple[Any, list[Event]] | None = None
        self._lock = threading.Lock()
        self._cached: tuple[Any, InteractionLog, Snapshot, np.ndarray, np.ndarray] | None = None

    def _current(self) -> tuple[Any, InteractionLog, Snapshot, np.ndarray, np.ndarray]:
        version = self._version()
        with self._lock:
            if self._cached is None or self._cached[0] != version:
                log = InteractionLog.from_events(
                    self._stored_events(), self._candidate_ids(), self._job_ids()
                )
                # Embeddings in log order, for the neighbour signals (one gather per request).
                cand_vectors = self._candidate_vectors(list(log.candidate_ids))
                job_vectors = self._job_vectors(list(log.job_ids))
                self._cached = (version, log, log.snapshot(), cand_vectors, job_vectors)
            return self._cached

    def _stored_events(self) -> Iterable[Event]:
        if self._events_version is None:
            return self._events()
        version = self._events_version()
        if self._read is None or self._read[0] != version:
            self._read = (version, list(self._events()))
        return self._read[1]

    def current(self) -> tuple[InteractionLog, Snapshot]:
        """The log of the stored events and the snapshot a live request sees (all of it)."""
        _, log, snap, _, _ = self._current()
        return log, snap

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Candidate and job embeddings in log order, of shape (n, dim)."""
        _, _, _, cand_vectors, job_vectors = self._current()
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
        _, log, live, cand_vectors, job_vectors = self._current()
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
            candidate_vectors=lambda pos: cand_vectors[pos],
            job_vectors=lambda pos: job_vectors[pos],
            headcount=np.asarray([self._headcount(j) for j in job_ids], dtype=np.float64),
        )
