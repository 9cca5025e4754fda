"""Feature matrices for training, built from episodes the way serving would see each pair.

For every query of an episode, the labelled items are its pairs in the episode (label = the
pair's furthest grade) and the negatives are drawn one of three ways, compared on validation:

* ``random``: items the query never engaged with, drawn from the whole pool;
* ``hard``: the items a live request would have ranked highest for the query (its retrieval
  list as of the episode's snapshot) that it never engaged with;
* ``mixed``: half of each.

The episodes that stop boosting and validate are not sampled: their rows are exactly the
retrieval lists a live request would have ranked, so the validation score is the score of the
task, and a labelled item that retrieval missed counts as missed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from matching.interactions import InteractionLog, Snapshot
from matching.records import Direction
from matching.scoring.episodes import Episode

__all__ = [
    "NEGATIVE_STRATEGIES",
    "LiveItems",
    "Lists",
    "Matrices",
    "build_lists",
    "build_sampled",
]

#: The ways of drawing negatives that training compares.
NEGATIVE_STRATEGIES = ("random", "hard", "mixed")
# At most this many queries of each held-out episode are ranked in full.
MAX_HELD_OUT_QUERIES = 300

#: Feature rows of aligned (candidate ids, job ids) pairs under a snapshot.
PairFeatures = Callable[[list[str], list[str], Snapshot], np.ndarray]
#: The ids of the items a live request would rank for a query, as of a snapshot.
ServingList = Callable[[str, Snapshot], list[str]]
#: Which items (by log position) existed as of a snapshot; None when all did.
LiveItems = Callable[[Snapshot], "np.ndarray | None"]


@dataclass(frozen=True)
class Matrices:
    """Rows of query groups: features ``X``, labels ``y`` and group ``sizes``."""

    X: np.ndarray
    y: np.ndarray
    sizes: np.ndarray

    @classmethod
    def join(cls, parts: Sequence[Matrices], n_features: int) -> Matrices:
        """All parts one after the other."""
        if not parts:
            return cls(
                np.zeros((0, n_features), dtype=np.float32),
                np.zeros(0, dtype=np.int32),
                np.zeros(0, dtype=np.int64),
            )
        return cls(
            np.concatenate([p.X for p in parts]),
            np.concatenate([p.y for p in parts]),
            np.concatenate([p.sizes for p in parts]),
        )

    @property
    def n_queries(self) -> int:
        """How many groups."""
        return len(self.sizes)


@dataclass(frozen=True)
class Lists:
    """Retrieval lists of held-out queries: their rows, and every labelled grade per query.

    ``ideal`` holds, per group, the grades of all the query's labelled items, including those
    retrieval did not find, so a miss lowers nDCG.
    """

    rows: Matrices
    ideal: list[np.ndarray]

    @classmethod
    def join(cls, parts: Sequence[Lists], n_features: int) -> Lists:
        """The lists of all parts, one after the other."""
        return cls(
            Matrices.join([p.rows for p in parts], n_features),
            [ideal for p in parts for ideal in p.ideal],
        )


def _pair_ids(
    log: InteractionLog, direction: Direction, query: int, items: Sequence[int]
) -> tuple[list[str], list[str]]:
    if direction is Direction.JOBS_FOR_CANDIDATES:
        return [log.candidate_ids[query]] * len(items), [log.job_ids[i] for i in items]
    return [log.candidate_ids[i] for i in items], [log.job_ids[query]] * len(items)


def _query_id(log: InteractionLog, direction: Direction, query: int) -> str:
    if direction is Direction.JOBS_FOR_CANDIDATES:
        return log.candidate_ids[query]
    return log.job_ids[query]


def _item_positions(log: InteractionLog, direction: Direction, ids: Sequence[str]) -> list[int]:
    pos = log.job_position if direction is Direction.JOBS_FOR_CANDIDATES else log.candidate_position
    return [pos[i] for i in ids]


def _engaged(log: InteractionLog, direction: Direction) -> dict[int, set[int]]:
    """Every item each query ever engaged with, in the whole log."""
    out: dict[int, set[int]] = {}
    queries, items = (
        (log.cand, log.job) if direction is Direction.JOBS_FOR_CANDIDATES else (log.job, log.cand)
    )
    for q, i in zip(queries.tolist(), items.tolist(), strict=True):
        out.setdefault(q, set()).add(i)
    return out


def _random_negatives(
    items: np.ndarray, seen: set[int], n: int, rng: np.random.Generator
) -> list[int]:
    """Up to ``n`` distinct ``items`` drawn uniformly, none of them in ``seen``.

    Drawn as ``n + len(seen)`` distinct items with the seen ones then dropped: the same
    distribution as drawing from the items minus the seen, without building that set (a
    pass over every item per query, most of a training run's time at 100,000 jobs).
    """
    if n <= 0 or not len(items):
        return []
    draw = min(len(items), n + len(seen))
    picked = items[rng.choice(len(items), size=draw, replace=False)].tolist()
    return [i for i in picked if i not in seen][:n]


def build_sampled(
    log: InteractionLog,
    direction: Direction,
    episodes: Sequence[Episode],
    *,
    features: PairFeatures,
    serving_list: ServingList,
    live: LiveItems,
    negatives_per_query: int,
    rng: np.random.Generator,
    n_features: int,
) -> dict[str, Matrices]:
    """Training rows of ``episodes`` for each negative strategy.

    Random negatives are drawn among the items that existed as of the episode (``live``).
    """
    n_items = log.n_jobs if direction is Direction.JOBS_FOR_CANDIDATES else log.n_candidates
    engaged = _engaged(log, direction)
    parts: dict[str, list[Matrices]] = {s: [] for s in NEGATIVE_STRATEGIES}
    for episode in episodes:
        mask = live(episode.snapshot)
        items_then = np.arange(n_items) if mask is None else np.flatnonzero(mask)
        # The rows of every query of the episode are computed in one batch.
        planned: list[tuple[dict[int, int], dict[str, list[int]], list[int], int]] = []
        all_cids: list[str] = []
        all_jids: list[str] = []
        for query in sorted(episode.targets):
            positives = episode.targets[query]
            seen = engaged.get(query, set())
            random = _random_negatives(items_then, seen, negatives_per_query, rng)
            listed = _item_positions(
                log, direction, serving_list(_query_id(log, direction, query), episode.snapshot)
            )
            hard = [i for i in listed if i not in seen][:negatives_per_query]
            half = negatives_per_query // 2
            chosen = {
                "random": random,
                "hard": hard,
                "mixed": list(dict.fromkeys(hard[:half] + random))[:negatives_per_query],
            }
            union = list(dict.fromkeys([*positives, *random, *hard]))
            cids, jids = _pair_ids(log, direction, query, union)
            planned.append((positives, chosen, union, len(all_cids)))
            all_cids += cids
            all_jids += jids
        X_all = features(all_cids, all_jids, episode.snapshot) if all_cids else None
        for positives, chosen, union, start in planned:
            assert X_all is not None
            X = X_all[start : start + len(union)]
            row = {item: r for r, item in enumerate(union)}
            for strategy, negatives in chosen.items():
                # Shuffled, so that tied scores never favour the items listed first.
                items = [
                    ([*positives, *negatives])[i]
                    for i in rng.permutation(len(positives) + len(negatives))
                ]
                y = np.asarray([positives.get(i, 0) for i in items], dtype=np.int32)
                parts[strategy].append(
                    Matrices(
                        X[[row[i] for i in items]], y, np.asarray([len(items)], dtype=np.int64)
                    )
                )
    return {s: Matrices.join(p, n_features) for s, p in parts.items()}


def build_lists(
    log: InteractionLog,
    direction: Direction,
    episode: Episode,
    *,
    features: PairFeatures,
    serving_list: ServingList,
    live: LiveItems,
    rng: np.random.Generator,
    n_features: int,
) -> Lists:
    """The retrieval lists of (at most :data:`MAX_HELD_OUT_QUERIES`) queries of an episode."""
    queries = sorted(episode.targets)
    if len(queries) > MAX_HELD_OUT_QUERIES:
        queries = sorted(rng.choice(queries, size=MAX_HELD_OUT_QUERIES, replace=False).tolist())
    ys, sizes, ideal = [], [], []
    all_cids: list[str] = []
    all_jids: list[str] = []
    for query in queries:
        targets = episode.targets[query]
        listed = _item_positions(
            log, direction, serving_list(_query_id(log, direction, query), episode.snapshot)
        )
        if not listed:
            continue
        cids, jids = _pair_ids(log, direction, query, listed)
        all_cids += cids
        all_jids += jids
        ys.append(np.asarray([targets.get(i, 0) for i in listed], dtype=np.int32))
        sizes.append(len(listed))
        ideal.append(np.asarray(sorted(targets.values(), reverse=True), dtype=np.int32))
    if not sizes:
        return Lists(Matrices.join([], n_features), [])
    X = features(all_cids, all_jids, episode.snapshot)
    return Lists(Matrices(X, np.concatenate(ys), np.asarray(sizes, dtype=np.int64)), ideal)
