"""How training cuts the event log: no pair's own events are visible to its features."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from matching.interactions import InteractionLog
from matching.records import Direction, Event
from matching.scoring.episodes import NEWCOMER_SHARE, plan_episodes

CIDS = [f"c{i}" for i in range(60)]
JIDS = [f"j{i}" for i in range(40)]
START = datetime(2026, 3, 1, tzinfo=timezone.utc)


def _log(*, timed: bool, seed: int = 0) -> InteractionLog:
    rng = np.random.default_rng(seed)
    events = []
    for minute in range(600):
        c, j = CIDS[rng.integers(len(CIDS))], JIDS[rng.integers(len(JIDS))]
        kind = ("view", "apply", "interview")[rng.integers(3)]
        when = START + timedelta(minutes=7 * minute) if timed else None
        events.append(Event(candidate_id=c, job_id=j, type=kind, timestamp=when))
    return InteractionLog.from_events(events, CIDS, JIDS)


def _query(direction: Direction, c: int, j: int) -> int:
    return c if direction is Direction.JOBS_FOR_CANDIDATES else j


def _target_pairs(direction: Direction, targets: dict[int, dict[int, int]]) -> set[tuple[int, int]]:
    if direction is Direction.JOBS_FOR_CANDIDATES:
        return {(q, i) for q, items in targets.items() for i in items}
    return {(i, q) for q, items in targets.items() for i in items}


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("timed", [True, False])
def test_no_target_pair_is_visible_to_its_own_episode(direction: Direction, timed: bool) -> None:
    log = _log(timed=timed)
    plan, episodes = plan_episodes(log, direction, rng=np.random.default_rng(1))
    assert plan == ("time" if timed else "query")
    roles = [e.role for e in episodes]
    assert {"train", "stop", "valid"} <= set(roles)
    assert roles.index("stop") > max(i for i, r in enumerate(roles) if r == "train")
    for episode in episodes:
        visible = set(episode.snapshot.pair_key.tolist())
        for c, j in _target_pairs(direction, episode.targets):
            assert c * log.n_jobs + j not in visible


@pytest.mark.parametrize("direction", list(Direction))
def test_a_timed_log_holds_out_newcomers_whole_beside_its_windows(direction: Direction) -> None:
    log = _log(timed=True)
    _, episodes = plan_episodes(log, direction, rng=np.random.default_rng(2))
    # the windows' snapshots are cut in time; the newcomers' are not
    windows = [e for e in episodes if e.snapshot.as_of is not None or e.role == "train"]
    newcomers = [e for e in episodes if e not in windows]
    assert [e.role for e in newcomers] == ["stop", "valid"]
    new_queries = {q for e in newcomers for q in e.targets}
    side = log.cand if direction is Direction.JOBS_FOR_CANDIDATES else log.job
    n_queries = np.unique(side).size
    assert len(new_queries) == int(n_queries * NEWCOMER_SHARE)
    # a newcomer has no pair in any window, and nothing of its own is visible to it
    for e in windows:
        assert not new_queries & set(e.targets)
    for e in newcomers:
        own = np.isin(side, list(e.targets))
        visible = set(e.snapshot.pair_key.tolist())
        own_pairs = {
            c * log.n_jobs + j
            for c, j in zip(log.cand[own].tolist(), log.job[own].tolist(), strict=True)
        }
        assert not own_pairs & visible
        # everyone else's events are visible
        others = {
            c * log.n_jobs + j
            for c, j in zip(log.cand[~own].tolist(), log.job[~own].tolist(), strict=True)
            if _query(direction, c, j) not in new_queries
        }
        assert others <= visible
    # every labelled pair of the log is a target exactly once
    all_pairs = {(c, j) for c, j in zip(log.cand.tolist(), log.job.tolist(), strict=True)}
    seen = [p for e in episodes for p in _target_pairs(direction, e.targets)]
    assert len(seen) == len(set(seen)) == len(all_pairs)
