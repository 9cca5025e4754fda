"""Training episodes: which pairs are labels, and what their features may see.

Training must see a pair the way a live request would have seen it. Two plans:

* **by time**, when the events carry distinct timestamps: the pairs are cut by the time of
  their first event into consecutive windows; a window's pairs are the labels, and every
  feature of that window reads only the events before the window began. The last window
  validates, the one before it stops boosting early, the others train. Beside the windows,
  a fifth of the queries are held out whole as *newcomers*: none of their pairs is in a
  window; half of them join the stop window and half the validation window, each seen with
  everyone else's events visible, as for a graduate who joins while the others are active.
  A log says two things about a model, how well the past predicts what comes next and how
  well other people's behaviour predicts a new person's, and the two can disagree (jobs that
  come and go make past popularity a weak guide to the next month, while the popularity among
  one's peers of the same weeks stays strong); the choice of rounds and the validation pool
  both.
* **by query**, otherwise: the queries are dealt into folds; for the queries of a fold, their
  labelled pairs (all of them for half of the queries, which are then as new as a first-time
  visitor; a random half for the others, whose other half stays visible as their history) are
  hidden from the fold's snapshot. One fold validates, one stops boosting, the others train.

Either way a pair's own events are never in the snapshot its features are computed from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

import numpy as np

from matching.interactions import InteractionLog, Snapshot
from matching.records import Direction

__all__ = ["Episode", "Plan", "plan_episodes"]

Role = Literal["train", "stop", "valid"]
#: Share of the queries held out whole, as newcomers, from a log cut by time.
NEWCOMER_SHARE = 0.2
Plan = Literal["time", "query"]

_WINDOWS = 5
_FOLDS = 5


@dataclass(frozen=True)
class Episode:
    """Labelled pairs and the snapshot their features are computed from.

    ``targets`` maps a query's log position to ``{item position: grade}``; for the
    jobs-for-candidates direction queries are candidates and items jobs, and the other way
    round for candidates-for-job.
    """

    snapshot: Snapshot
    targets: dict[int, dict[int, int]]
    role: Role


def _pairs(log: InteractionLog) -> dict[tuple[int, int], int]:
    grades: dict[tuple[int, int], int] = {}
    for c, j, g in zip(log.cand.tolist(), log.job.tolist(), log.grade.tolist(), strict=True):
        grades[(c, j)] = max(grades.get((c, j), 0), g)
    return grades


def _targets(
    pairs: dict[tuple[int, int], int], keys: list[tuple[int, int]], direction: Direction
) -> dict[int, dict[int, int]]:
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for c, j in keys:
        if direction is Direction.JOBS_FOR_CANDIDATES:
            out[c][j] = pairs[(c, j)]
        else:
            out[j][c] = pairs[(c, j)]
    return dict(out)


def _roles(n: int) -> list[Role]:
    roles: list[Role] = ["train"] * (n - 2)
    return [*roles, "stop", "valid"]


def plan_episodes(
    log: InteractionLog, direction: Direction, *, rng: np.random.Generator
) -> tuple[Plan, list[Episode]]:
    """Cut the log into episodes (see the module notes); fewer than three means too little.

    The ``train`` episodes come first, then the ``stop`` and ``valid`` ones (two of each for a
    log cut by time: its window and its newcomers).
    """
    pairs = _pairs(log)
    if log.timed:
        episodes = _by_time(log, pairs, direction, rng)
        if episodes:
            return "time", episodes
    return "query", _by_query(log, pairs, direction, rng)


def _query_of(direction: Direction, pair: tuple[int, int]) -> int:
    return pair[0] if direction is Direction.JOBS_FOR_CANDIDATES else pair[1]


def _by_time(
    log: InteractionLog,
    pairs: dict[tuple[int, int], int],
    direction: Direction,
    rng: np.random.Generator,
) -> list[Episode]:
    start = log.pair_start
    queries = sorted({_query_of(direction, p) for p in pairs})
    n_new = int(len(queries) * NEWCOMER_SHARE)
    newcomers = {queries[i] for i in rng.permutation(len(queries))[:n_new].tolist()}
    held = [p for p in sorted(pairs) if _query_of(direction, p) in newcomers]
    keys = sorted(
        (p for p in pairs if _query_of(direction, p) not in newcomers),
        key=lambda p: (np.nan_to_num(start[p], nan=np.inf), p),
    )
    times = np.asarray([start[p] for p in keys], dtype=np.float64)
    cuts = np.unique(np.nanquantile(times, np.linspace(0, 1, _WINDOWS + 1)[1:-1]))
    bounds = [-np.inf, *cuts.tolist(), np.inf]
    windows = []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        members = [p for p, t in zip(keys, times, strict=True) if lo <= t < hi]
        if members:
            windows.append((lo, members))
    if len(windows) < 3:
        return []
    episodes = []
    for role, (lo, members) in zip(_roles(len(windows)), windows, strict=True):
        visible = log.time < lo
        snap = log.snapshot(visible, as_of=None if np.isinf(lo) else lo)
        episodes.append(Episode(snap, _targets(pairs, members, direction), role))
    # newcomers: one half stops boosting beside the stop window, the other validates
    side = log.cand if direction is Direction.JOBS_FOR_CANDIDATES else log.job
    ordered = sorted(newcomers)
    for role, part in (("stop", ordered[0::2]), ("valid", ordered[1::2])):
        if not part:
            continue
        chosen = set(part)
        visible = ~np.isin(side, np.asarray(part, dtype=side.dtype))
        members = [p for p in held if _query_of(direction, p) in chosen]
        episodes.append(Episode(log.snapshot(visible), _targets(pairs, members, direction), role))
    return episodes


def _by_query(
    log: InteractionLog,
    pairs: dict[tuple[int, int], int],
    direction: Direction,
    rng: np.random.Generator,
) -> list[Episode]:
    by_query: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for c, j in sorted(pairs):
        by_query[c if direction is Direction.JOBS_FOR_CANDIDATES else j].append((c, j))
    queries = sorted(by_query)
    folds = max(3, min(_FOLDS, len(queries)))
    order = rng.permutation(len(queries))
    episodes = []
    for fold, role in enumerate(_roles(folds)):
        hidden: list[tuple[int, int]] = []
        for i in order[fold::folds]:
            own = by_query[queries[i]]
            if len(own) > 1 and rng.random() < 0.5:
                # a returning visitor: a random half is history, the rest is to predict
                chosen = rng.permutation(len(own))[: max(1, len(own) // 2)]
                hidden.extend(own[k] for k in sorted(chosen))
            else:
                hidden.extend(own)  # a first-time visitor: nothing of theirs is visible
        hidden_set = set(hidden)
        visible = np.fromiter(
            (
                (c, j) not in hidden_set
                for c, j in zip(log.cand.tolist(), log.job.tolist(), strict=True)
            ),
            dtype=bool,
            count=len(log),
        )
        snap = log.snapshot(visible)
        episodes.append(Episode(snap, _targets(pairs, hidden, direction), role))
    return episodes
