"""The event log as arrays, and snapshots of it: what was known at a given moment.

An :class:`InteractionLog` holds every event of stored records as parallel arrays (candidate
position, job position, grade, time). A :class:`Snapshot` is the part of the log that a ranking
may see, aggregated to pairs: at serving time the whole log; for a training example only the
events before it (or, when the log has no usable timestamps, everything but the query's own
held-out pairs). Features read snapshots only, so a feature means the same thing at training
and at serving.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import cached_property

import numpy as np
from scipy import sparse

from matching.records import Event

__all__ = ["GRADE_GAIN", "HALF_LIFE_DAYS", "InteractionLog", "Snapshot"]

#: Weight of a pair's furthest grade (none, view, apply, interview, offer, hire) in the
#: engagement sums of neighbour signals: a view says little, an application and later steps
#: say more.
GRADE_GAIN = np.asarray([0.0, 0.25, 1.0, 1.5, 2.0, 2.5], dtype=np.float32)
#: Half-life of an event's weight in popularity counts, when events carry timestamps.
HALF_LIFE_DAYS = 60.0
_DAY = 86400.0


@dataclass(frozen=True)
class InteractionLog:
    """Events of stored records as arrays, positions into ``candidate_ids`` / ``job_ids``.

    Events of ids that are no longer stored are left out.
    """

    candidate_ids: tuple[str, ...]
    job_ids: tuple[str, ...]
    cand: np.ndarray  # int32, (n_events,)
    job: np.ndarray  # int32, (n_events,)
    grade: np.ndarray  # int8, (n_events,)
    time: np.ndarray  # float64 seconds since the epoch, NaN when unknown, (n_events,)

    @classmethod
    def from_events(
        cls, events: Iterable[Event], candidate_ids: Sequence[str], job_ids: Sequence[str]
    ) -> InteractionLog:
        """Build the log of ``events`` over the given records."""
        cpos = {c: i for i, c in enumerate(candidate_ids)}
        jpos = {j: i for i, j in enumerate(job_ids)}
        rows = [
            (
                cpos[e.candidate_id],
                jpos[e.job_id],
                e.type.grade,
                e.timestamp.timestamp() if e.timestamp else math.nan,
            )
            for e in events
            if e.candidate_id in cpos and e.job_id in jpos
        ]
        arr = np.asarray(rows, dtype=np.float64).reshape(-1, 4)
        return cls(
            tuple(candidate_ids),
            tuple(job_ids),
            arr[:, 0].astype(np.int32),
            arr[:, 1].astype(np.int32),
            arr[:, 2].astype(np.int8),
            arr[:, 3],
        )

    def appended(self, events: Iterable[Event]) -> InteractionLog:
        """The log with ``events`` after its own, over the same records.

        Events of ids the log is not over are left out, as :meth:`from_events` does; the
        position maps are shared, not built again.
        """
        cpos, jpos = self.candidate_position, self.job_position
        rows = [
            (
                cpos[e.candidate_id],
                jpos[e.job_id],
                e.type.grade,
                e.timestamp.timestamp() if e.timestamp else math.nan,
            )
            for e in events
            if e.candidate_id in cpos and e.job_id in jpos
        ]
        arr = np.asarray(rows, dtype=np.float64).reshape(-1, 4)
        grown = InteractionLog(
            self.candidate_ids,
            self.job_ids,
            np.concatenate([self.cand, arr[:, 0].astype(np.int32)]),
            np.concatenate([self.job, arr[:, 1].astype(np.int32)]),
            np.concatenate([self.grade, arr[:, 2].astype(np.int8)]),
            np.concatenate([self.time, arr[:, 3]]),
        )
        grown.__dict__["candidate_position"] = cpos
        grown.__dict__["job_position"] = jpos
        return grown

    def __len__(self) -> int:
        return len(self.cand)

    @property
    def n_candidates(self) -> int:
        """How many candidates the log is over."""
        return len(self.candidate_ids)

    @property
    def n_jobs(self) -> int:
        """How many jobs the log is over."""
        return len(self.job_ids)

    @cached_property
    def candidate_position(self) -> dict[str, int]:
        """Each candidate id's position."""
        return {c: i for i, c in enumerate(self.candidate_ids)}

    @cached_property
    def job_position(self) -> dict[str, int]:
        """Each job id's position."""
        return {j: i for i, j in enumerate(self.job_ids)}

    @cached_property
    def timed(self) -> bool:
        """Whether time can order the log: nearly every event has a time, and times differ."""
        known = self.time[~np.isnan(self.time)]
        return len(self) > 1 and len(known) >= 0.9 * len(self) and np.unique(known).size > 1

    @cached_property
    def pair_start(self) -> dict[tuple[int, int], float]:
        """The time of each pair's first event (NaN where unknown)."""
        start: dict[tuple[int, int], float] = {}
        for c, j, t in zip(self.cand.tolist(), self.job.tolist(), self.time.tolist(), strict=True):
            key = (c, j)
            old = start.get(key)
            if old is None or (t < old) or (math.isnan(old) and not math.isnan(t)):
                start[key] = t
        return start

    def snapshot(
        self,
        visible: np.ndarray | None = None,
        *,
        as_of: float | None = None,
        half_life_days: float = HALF_LIFE_DAYS,
    ) -> Snapshot:
        """The events where ``visible`` is true (all by default), aggregated to pairs.

        ``as_of`` (seconds since the epoch) is the moment the snapshot stands for, when it was
        cut in time: popularity is decayed to it, and freshness is measured from its day.
        Otherwise popularity is decayed to the latest visible event. Without timestamps
        nothing decays.
        """
        mask = np.ones(len(self), dtype=bool) if visible is None else np.asarray(visible, bool)
        return Snapshot(self, mask, as_of, half_life_days)


class Snapshot:
    """The visible part of a log, per pair: furthest grade, decayed weight; and its statistics.

    Matrices are candidates x jobs (CSR); statistics are computed once, on first use.
    """

    def __init__(
        self,
        log: InteractionLog,
        visible: np.ndarray,
        as_of: float | None,
        half_life_days: float,
    ) -> None:
        self.log = log
        self.as_of = as_of
        reference_time = as_of
        cand, job = log.cand[visible], log.job[visible]
        grade, time = log.grade[visible].astype(np.int8), log.time[visible]
        self.n_events = int(visible.sum())
        shape = (log.n_candidates, log.n_jobs)
        if reference_time is None:
            known = time[~np.isnan(time)]
            reference_time = float(known.max()) if known.size else math.nan
        self.reference_time = reference_time
        # Per pair: the furthest grade and the latest time among its visible events.
        key = cand.astype(np.int64) * max(log.n_jobs, 1) + job
        pairs, inverse = np.unique(key, return_inverse=True)
        pg = np.zeros(len(pairs), dtype=np.int8)
        np.maximum.at(pg, inverse, grade)
        latest = np.full(len(pairs), -np.inf)
        np.fmax.at(latest, inverse, np.nan_to_num(time, nan=-np.inf))
        pt = np.where(np.isinf(latest), np.nan, latest)
        pc = (pairs // max(log.n_jobs, 1)).astype(np.int32)
        pj = (pairs % max(log.n_jobs, 1)).astype(np.int32)
        if math.isnan(reference_time) or not log.timed:
            decay = np.ones(len(pc), dtype=np.float32)
        else:
            age = np.clip((reference_time - np.nan_to_num(pt, nan=reference_time)) / _DAY, 0, None)
            decay = np.power(0.5, age / half_life_days).astype(np.float32)
        # Pairs are sorted by (candidate, job): the CSR matrices' data follow the same order.
        self.pair_key = pairs
        self.pair_cand, self.pair_job, self.pair_grade, self.pair_decay = pc, pj, pg, decay
        self.grades = sparse.csr_matrix((pg.astype(np.int8), (pc, pj)), shape=shape)
        self.decay = sparse.csr_matrix((decay, (pc, pj)), shape=shape)
        self.engaged = sparse.csr_matrix(
            (np.ones(len(pc), dtype=np.float32), (pc, pj)), shape=shape
        )
        #: Each candidate's nearest engaged candidates and their weights, as the neighbour
        #: signal first computed them (they depend on this snapshot and the log's vectors
        #: only): a recruiter's request compared 300 candidates with every engaged one.
        self.neighbours: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def widened(self, log: InteractionLog, *, same_vectors: bool = True) -> Snapshot:
        """The same snapshot over ``log``: the same events, with records added after its own.

        ``log`` holds this snapshot's log's events and its ids first, in the same order, then
        records with no events yet (as :meth:`InteractionLog.appended` keeps the records, this
        keeps the events). The pairs and their statistics are those of this snapshot, with zero
        rows and columns for the new records: nothing is aggregated again, and the costly
        statistics already computed (the jobs' co-occurrence, the column view) are padded, not
        recomputed. ``same_vectors=False`` (a record's vector changed) drops the cached
        neighbours, which depend on the vectors.
        """
        old = self.log

        def kept(new: tuple[str, ...], had: tuple[str, ...]) -> bool:
            # the ends of the old ids (a full comparison would cost a pass over every id)
            return len(new) >= len(had) and (
                not had or (new[0], new[len(had) - 1]) == (had[0], had[-1])
            )

        if not (
            kept(log.candidate_ids, old.candidate_ids)
            and kept(log.job_ids, old.job_ids)
            and len(log) == len(old)
        ):
            raise ValueError("widened: the log must keep this snapshot's events and ids first")
        out = Snapshot.__new__(Snapshot)
        out.log, out.as_of, out.reference_time = log, self.as_of, self.reference_time
        out.n_events = self.n_events
        out.pair_cand, out.pair_job = self.pair_cand, self.pair_job
        out.pair_grade, out.pair_decay = self.pair_grade, self.pair_decay
        # the pairs stay in (candidate, job) order: their keys are only spelt again
        out.pair_key = self.pair_cand.astype(np.int64) * max(log.n_jobs, 1) + self.pair_job
        shape = (log.n_candidates, log.n_jobs)
        out.grades = _padded(self.grades, shape)
        out.decay = _padded(self.decay, shape)
        out.engaged = _padded(self.engaged, shape)
        out.neighbours = dict(self.neighbours) if same_vectors else {}
        cached = self.__dict__
        if "cooccurrence" in cached:
            out.__dict__["cooccurrence"] = _padded(cached["cooccurrence"], (log.n_jobs,) * 2)
        if "engaged_by_job" in cached:
            out.__dict__["engaged_by_job"] = _padded(cached["engaged_by_job"], shape)
        return out

    @property
    def as_of_day(self) -> date | None:
        """The (UTC) day of :attr:`as_of`, or None for a snapshot not cut in time."""
        if self.as_of is None or not math.isfinite(self.as_of):
            return None
        return datetime.fromtimestamp(self.as_of, tz=timezone.utc).date()

    def pair_index(self, cand: np.ndarray, job: np.ndarray) -> np.ndarray:
        """Index of each (cand[i], job[i]) among the visible pairs, -1 where it is not one."""
        query = np.asarray(cand, dtype=np.int64) * max(self.log.n_jobs, 1) + job
        if not len(self.pair_key):
            return np.full(len(query), -1, dtype=np.int64)
        idx = np.minimum(np.searchsorted(self.pair_key, query), len(self.pair_key) - 1)
        return np.where(self.pair_key[idx] == query, idx, -1)

    def pair_gain(self, cand: np.ndarray, job: np.ndarray) -> np.ndarray:
        """:data:`GRADE_GAIN` of each pair's furthest visible grade (0 where not visible)."""
        idx = self.pair_index(cand, job)
        grades = np.where(idx >= 0, self.pair_grade[np.maximum(idx, 0)], 0)
        return GRADE_GAIN[grades.astype(np.int64)]

    @cached_property
    def engaged_by_job(self) -> sparse.csc_matrix:
        """:attr:`engaged` in column order, for the candidates of each job."""
        return self.engaged.tocsc()

    @property
    def empty(self) -> bool:
        """Whether nothing is visible: every event feature is then 'no history' (NaN)."""
        return self.n_events == 0

    def _by_job(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.pair_job, weights=values, minlength=self.log.n_jobs)

    @cached_property
    def job_engagement(self) -> np.ndarray:
        """Decayed count of pairs that engaged each job (any event), of shape (n_jobs,)."""
        return self._by_job(self.pair_decay.astype(np.float64))

    @cached_property
    def job_applications(self) -> np.ndarray:
        """Decayed count of pairs that applied (or went further), of shape (n_jobs,)."""
        return self._by_job(self.pair_decay * (self.pair_grade >= 2))

    @cached_property
    def job_outcomes(self) -> np.ndarray:
        """Decayed count of pairs that reached an interview, offer or hire, of shape (n_jobs,)."""
        return self._by_job(self.pair_decay * (self.pair_grade >= 3))

    @cached_property
    def job_hires(self) -> np.ndarray:
        """Hires per job (not decayed), of shape (n_jobs,)."""
        return self._by_job((self.pair_grade == 5).astype(np.float64))

    @cached_property
    def job_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Counts (not decayed) of engaged and of applied pairs per job."""
        return (
            self._by_job(np.ones(len(self.pair_job))),
            self._by_job((self.pair_grade >= 2).astype(np.float64)),
        )

    @cached_property
    def candidate_pairs(self) -> np.ndarray:
        """Engaged pairs per candidate, of shape (n_candidates,)."""
        return np.bincount(self.pair_cand, minlength=self.log.n_candidates).astype(np.float64)

    @cached_property
    def cooccurrence(self) -> sparse.csr_matrix:
        """Jobs x jobs: how many candidates engaged both (the diagonal: each job's count)."""
        engaged = self.engaged_by_job
        return sparse.csr_matrix(engaged.T @ engaged)

    @cached_property
    def job_counts(self) -> np.ndarray:
        """The diagonal of :attr:`cooccurrence` (candidates who engaged each job), float64."""
        return self.cooccurrence.diagonal().astype(np.float64)

    @cached_property
    def gains(self) -> sparse.csr_matrix:
        """Candidates x jobs: :data:`GRADE_GAIN` of each pair's furthest grade."""
        data = GRADE_GAIN[self.grades.data.astype(np.int64)]
        return sparse.csr_matrix(
            (data, self.grades.indices, self.grades.indptr), shape=self.grades.shape
        )

    @cached_property
    def engaged_candidates(self) -> np.ndarray:
        """Positions of the candidates with at least one visible pair."""
        return np.flatnonzero(self.candidate_pairs > 0)

    @cached_property
    def engaged_jobs(self) -> np.ndarray:
        """Positions of the jobs with at least one visible pair."""
        return np.flatnonzero(self.job_pairs[0] > 0)


def _padded(
    matrix: sparse.csr_matrix | sparse.csc_matrix, shape: tuple[int, int]
) -> sparse.csr_matrix | sparse.csc_matrix:
    """``matrix`` with empty rows and columns after its own, up to ``shape``; data shared."""
    major = shape[0] if matrix.format == "csr" else shape[1]
    indptr = np.concatenate(
        [matrix.indptr, np.full(major + 1 - len(matrix.indptr), matrix.indptr[-1])]
    ).astype(matrix.indptr.dtype)
    kind = sparse.csr_matrix if matrix.format == "csr" else sparse.csc_matrix
    return kind((matrix.data, matrix.indices, indptr), shape=shape)
