"""Snapshots of the event log: a widened snapshot is the snapshot of the widened log."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from scipy import sparse

from matching.interactions import InteractionLog
from matching.records import Event

START = datetime(2026, 3, 1, tzinfo=timezone.utc)
STATISTICS = (
    "job_engagement", "job_applications", "job_outcomes", "job_hires", "candidate_pairs",
    "job_counts", "engaged_candidates", "engaged_jobs",
)  # fmt: skip
MATRICES = ("grades", "decay", "engaged", "engaged_by_job", "cooccurrence", "gains")


def _log(n_cands: int, n_jobs: int, seed: int = 0) -> InteractionLog:
    rng = np.random.default_rng(seed)
    cids, jids = [f"c{i}" for i in range(n_cands)], [f"j{i}" for i in range(n_jobs)]
    kinds = ("view", "apply", "interview", "offer", "hire")
    events = [
        Event(
            candidate_id=cids[int(rng.integers(n_cands))],
            job_id=jids[int(rng.integers(n_jobs))],
            type=kinds[int(rng.integers(len(kinds)))],
            timestamp=START + timedelta(hours=3 * i),
        )
        for i in range(300)
    ]
    return InteractionLog.from_events(events, cids, jids)


def _grown(log: InteractionLog, more_cands: int, more_jobs: int) -> InteractionLog:
    return InteractionLog(
        log.candidate_ids + tuple(f"new-c{i}" for i in range(more_cands)),
        log.job_ids + tuple(f"new-j{i}" for i in range(more_jobs)),
        log.cand, log.job, log.grade, log.time,
    )  # fmt: skip


@pytest.mark.parametrize(("more_cands", "more_jobs"), [(0, 3), (4, 0), (2, 5), (0, 0)])
@pytest.mark.parametrize("warm", [True, False])
def test_a_widened_snapshot_equals_the_snapshot_of_the_widened_log(
    more_cands: int, more_jobs: int, warm: bool
) -> None:
    log = _log(30, 20)
    snap = log.snapshot()
    if warm:  # the costly statistics computed before the records were added
        _ = snap.cooccurrence, snap.engaged_by_job
    grown = _grown(log, more_cands, more_jobs)
    wide, fresh = snap.widened(grown), grown.snapshot()
    assert wide.log is grown and wide.n_events == fresh.n_events
    assert wide.reference_time == fresh.reference_time
    np.testing.assert_array_equal(wide.pair_key, fresh.pair_key)
    for name in STATISTICS:
        np.testing.assert_array_equal(getattr(wide, name), getattr(fresh, name), err_msg=name)
    for name in MATRICES:
        a, b = getattr(wide, name), getattr(fresh, name)
        assert a.shape == b.shape, name
        assert (sparse.csr_matrix(a) != sparse.csr_matrix(b)).nnz == 0, name
    new_c = np.arange(len(log.candidate_ids), len(grown.candidate_ids))
    new_j = np.arange(len(log.job_ids), len(grown.job_ids))
    cand = np.concatenate([log.cand[:5], new_c]).astype(np.int64)
    job = np.concatenate(
        [log.job[:5], np.resize(new_j, len(new_c)) if len(new_j) else log.job[: len(new_c)]]
    )
    np.testing.assert_array_equal(wide.pair_gain(cand, job), fresh.pair_gain(cand, job))
    # the original snapshot is as it was
    assert snap.grades.shape == (30, 20) and snap.log is log


def test_widening_needs_the_same_events_and_ids_first() -> None:
    log = _log(10, 8)
    snap = log.snapshot()
    other = InteractionLog(log.candidate_ids, ("x",) + log.job_ids[1:], log.cand, log.job,
                           log.grade, log.time)  # fmt: skip
    with pytest.raises(ValueError, match="widened"):
        snap.widened(other)
    fewer = InteractionLog(log.candidate_ids, log.job_ids, log.cand[:-1], log.job[:-1],
                           log.grade[:-1], log.time[:-1])  # fmt: skip
    with pytest.raises(ValueError, match="widened"):
        snap.widened(fewer)
