"""Event signals against their definitions, and the rule that a pair's own events never count."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from matching.features import HISTORY_FEATURES
from matching.interactions import (
    GRADE_GAIN,
    HISTORY_SIGNALS,
    NEIGHBOURS,
    InteractionLog,
    history_signals,
)
from matching.records import Event

N_CAND, N_JOBS, DIM = 30, 25, 8
TYPES = ("view", "apply", "interview", "offer", "hire")


def _events(seed: int, n: int = 160, timed: bool = True) -> list[Event]:
    rng = np.random.default_rng(seed)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return [
        Event(
            candidate_id=f"c{rng.integers(N_CAND)}",
            job_id=f"j{rng.integers(N_JOBS)}",
            type=TYPES[min(int(rng.geometric(0.5)) - 1, 4)],
            timestamp=start + timedelta(hours=int(i)) if timed else None,
        )
        for i in range(n)
    ]


CIDS = [f"c{i}" for i in range(N_CAND)]
JIDS = [f"j{i}" for i in range(N_JOBS)]
_rng = np.random.default_rng(7)
CV = _rng.normal(size=(N_CAND, DIM))
CV /= np.linalg.norm(CV, axis=1, keepdims=True)
JV = _rng.normal(size=(N_JOBS, DIM))
JV /= np.linalg.norm(JV, axis=1, keepdims=True)


def signals(log: InteractionLog, cand: np.ndarray, job: np.ndarray) -> np.ndarray:
    return history_signals(
        log.snapshot(),
        cand,
        job,
        candidate_vectors=lambda p: CV[p],
        job_vectors=lambda p: JV[p],
        headcount=np.full(len(cand), 2.0),
    )


def all_pairs() -> tuple[np.ndarray, np.ndarray]:
    c, j = np.meshgrid(np.arange(N_CAND), np.arange(N_JOBS), indexing="ij")
    return c.ravel(), j.ravel()


def test_columns_match_the_feature_table() -> None:
    assert tuple(f.value for f in HISTORY_FEATURES) == HISTORY_SIGNALS


@pytest.mark.parametrize("timed", [True, False])
def test_a_pairs_own_events_never_reach_its_signals(timed: bool) -> None:
    # Leakage test: remove a pair's events from the log; its signals must not move.
    events = _events(1, timed=timed)
    log = InteractionLog.from_events(events, CIDS, JIDS)
    cand, job = all_pairs()
    full = signals(log, cand, job)
    rng = np.random.default_rng(3)
    pairs = {(e.candidate_id, e.job_id) for e in events}
    for cid, jid in [sorted(pairs)[i] for i in rng.choice(len(pairs), 12, replace=False)]:
        without = [e for e in events if (e.candidate_id, e.job_id) != (cid, jid)]
        other = InteractionLog.from_events(without, CIDS, JIDS)
        i = CIDS.index(cid) * N_JOBS + JIDS.index(jid)
        got = signals(other, cand[i : i + 1], job[i : i + 1])[0]
        if timed:
            # decay is measured to the latest event, which the removal may change
            keep = [k for k, n in enumerate(HISTORY_SIGNALS) if not n.startswith("job_")]
            np.testing.assert_allclose(got[keep], full[i][keep], atol=1e-5, equal_nan=True)
        else:
            np.testing.assert_allclose(got, full[i], atol=1e-5, equal_nan=True)


def _reference(log: InteractionLog, c: int, j: int) -> dict[str, float]:
    """Each signal computed the slow way, from the definitions in the feature table."""
    grade = np.zeros((N_CAND, N_JOBS), dtype=int)
    for ci, ji, g in zip(log.cand, log.job, log.grade, strict=True):
        grade[ci, ji] = max(grade[ci, ji], g)
    engaged = (grade > 0).astype(float)
    others = np.delete(np.arange(N_CAND), c)
    e = engaged[others]  # the log without the query candidate
    history = [h for h in np.flatnonzero(engaged[c]) if h != j]
    cos = []
    for h in history:
        denom = np.sqrt(e[:, h].sum() * e[:, j].sum())
        cos.append((e[:, h] @ e[:, j]) / denom if denom else 0.0)
    pool = [n for n in np.flatnonzero(engaged.any(axis=1)) if n != c]
    sims = np.asarray([CV[c] @ CV[n] for n in pool])
    top = np.argsort(-sims)[:NEIGHBOURS]
    w = np.clip(sims[top], 0, None)
    gains = np.asarray([GRADE_GAIN[grade[pool[t], j]] for t in top])
    applicants = [n for n in np.flatnonzero(engaged[:, j]) if n != c]
    return {
        "collaborative": float(np.mean(cos)) if history else np.nan,
        "similar_candidates": float(w @ gains / w.sum()) if w.sum() > 0 else np.nan,
        "history_similarity": max(JV[j] @ JV[h] for h in history) if history else np.nan,
        "applicant_similarity": max(CV[c] @ CV[n] for n in applicants) if applicants else np.nan,
        "candidate_activity": float(np.log1p(engaged[c].sum() - engaged[c, j])),
        "job_engagement": float(
            np.log1p(engaged[:, j].sum() - engaged[c, j])
            - np.log1p((engaged.sum() - engaged[c, j]) / N_JOBS)
        ),
    }


def test_signals_equal_their_definitions() -> None:
    log = InteractionLog.from_events(_events(2, timed=False), CIDS, JIDS)
    cand, job = all_pairs()
    got = signals(log, cand, job)
    column = {name: i for i, name in enumerate(HISTORY_SIGNALS)}
    for i in np.random.default_rng(5).choice(len(cand), 60, replace=False):
        want = _reference(log, int(cand[i]), int(job[i]))
        for name in (
            "collaborative",
            "similar_candidates",
            "history_similarity",
            "applicant_similarity",
            "candidate_activity",
            "job_engagement",
        ):
            assert got[i, column[name]] == pytest.approx(want[name], abs=1e-5, nan_ok=True), (
                name,
                cand[i],
                job[i],
            )


def test_a_snapshot_keeps_each_candidate_s_neighbours_once_found() -> None:
    log = InteractionLog.from_events(_events(4), CIDS, JIDS)
    snap = log.snapshot()

    def run(cand: np.ndarray, job: np.ndarray) -> np.ndarray:
        return history_signals(snap, cand, job, candidate_vectors=lambda p: CV[p],
                               job_vectors=lambda p: JV[p], headcount=np.full(len(cand), 2.0))  # fmt: skip

    cand, job = all_pairs()
    column = HISTORY_SIGNALS.index("similar_candidates")
    first = run(cand[:200], job[:200])[:, column]
    assert sorted(snap.neighbours) == sorted(set(cand[:200].tolist()))
    np.testing.assert_allclose(first, signals(log, cand[:200], job[:200])[:, column], rtol=1e-6)
    # the same candidates against other jobs, in another batch: the same as found afresh
    again = run(cand[:200][::-1], job[200:400])[:, column]
    fresh = signals(log, cand[:200][::-1], job[200:400])[:, column]
    np.testing.assert_allclose(again, fresh, rtol=1e-6)
    # and read from what the snapshot keeps: neighbours without weight give no value
    user = int(cand[0])
    row, weights = snap.neighbours[user]
    snap.neighbours[user] = (row, np.zeros_like(weights))
    assert np.isnan(run(np.asarray([user]), job[:1])[0, column])


def test_no_history_is_nan() -> None:
    log = InteractionLog.from_events([], CIDS, JIDS)
    cand, job = all_pairs()
    assert np.isnan(signals(log, cand, job)).all()


@pytest.mark.parametrize(
    ("n_vectors", "n_queries", "density", "n_items"),
    [
        # 300 pairs over 30 items: one product per item
        (50, 1, 0.15, 30),
        (50, 40, 0.15, 30),
        (3000, 200, 0.01, 30),
        # over 300 items: one product of the distinct queries and others ...
        (50, 40, 0.15, 300),
        # ... or one dot product per entry
        (3000, 200, 0.01, 300),
    ],
)
def test_max_similarity_matches_a_loop_over_the_pairs(
    n_vectors: int, n_queries: int, density: float, n_items: int
) -> None:
    from scipy import sparse

    from matching.interactions.signals import _max_similarity

    rng = np.random.default_rng(n_queries)
    vectors = rng.normal(size=(n_vectors, 8)).astype(np.float32)
    lists = sparse.random(n_items, n_vectors, density=density, format="csr", random_state=n_queries)
    query = rng.permutation(np.resize(rng.integers(0, n_vectors, size=n_queries), 300))
    item = rng.integers(0, n_items, size=300)
    # an item that lists no one: its pairs have no value, whichever way the rest is computed
    lists = sparse.csr_matrix(lists.multiply((np.arange(n_items) > 0)[:, None]))
    lists.eliminate_zeros()
    item[:3] = 0
    got = _max_similarity(query, item, lists, lambda pos: vectors[pos])
    assert np.isnan(got[:3]).all() and not np.isnan(got).all()
    # lists by column (the candidates who engaged with each job) read the same
    by_column = _max_similarity(query, item, lists.T.tocsc(), lambda pos: vectors[pos])
    np.testing.assert_array_equal(by_column, got)
    for i in range(300):
        others = [o for o in lists[item[i]].indices.tolist() if o != query[i]]
        want = max(float(vectors[query[i]] @ vectors[o]) for o in others) if others else np.nan
        np.testing.assert_allclose(got[i], want, rtol=1e-5, atol=1e-5, equal_nan=True)
