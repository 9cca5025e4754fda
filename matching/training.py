"""Training sets from events, and fitting the learning-to-rank models.

For the "jobs" direction each candidate with events is a query; its items are the jobs it has
events with (label = the furthest event's grade) plus negatives: jobs that retrieval ranks high
for it without any event (hard negatives) and a few random ones. The "candidates" direction is
the mirror image, with jobs as queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from matching.features import FEATURE_NAMES
from matching.sides import Side
from ranking import LambdaRankRanker, evaluate_rankings

if TYPE_CHECKING:
    from matching.engine import MatchingEngine

__all__ = ["EVENT_LABEL_GAIN", "DirectionReport", "TrainingReport", "fit_rankers", "pair_labels"]

#: LambdaRank gain of each label: no event 0, view 1, apply 2, interview 3, offer 4, hire 5.
#: A view is weak evidence: what a graduate opens follows what the board showed them (their
#: cities, their field) more than what they would apply to, so it gains little; from an
#: application on, the gain doubles with each step as in the usual 2**grade - 1. On the demo
#: data's held-out slices this beat the plain 2**grade - 1 gains in both directions
#: (benchmarks/README.md).
EVENT_LABEL_GAIN: tuple[float, ...] = (0.0, 0.2, 3.0, 7.0, 15.0, 31.0)


@dataclass(frozen=True, slots=True)
class DirectionReport:
    """What training did for one direction.

    ``validation_ndcg_at_10`` and ``transparent_ndcg_at_10`` are measured on a fifth of the
    queries held out from a first fit, with applications and later steps as the relevant
    grades, for the model and for the transparent scorer on the same items.
    """

    direction: str
    n_queries: int
    n_pairs: int
    trained: bool
    model_version: str | None
    validation_ndcg_at_10: float | None
    transparent_ndcg_at_10: float | None


@dataclass(frozen=True, slots=True)
class TrainingReport:
    """The result of :meth:`MatchingEngine.train_ranker`."""

    n_events: int
    directions: tuple[DirectionReport, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_events": self.n_events,
            "directions": [
                {f: getattr(d, f) for f in DirectionReport.__dataclass_fields__}
                for d in self.directions
            ],
        }


def pair_labels(engine: MatchingEngine) -> dict[tuple[str, str], int]:
    """The furthest grade reached by each (candidate, job) pair in the stored events."""
    labels: dict[tuple[str, str], int] = {}
    for event in engine._store.iter_events():
        pair = (event.candidate_id, event.job_id)
        labels[pair] = max(labels.get(pair, 0), event.type.grade)
    return labels


def _groups(
    engine: MatchingEngine,
    labels: dict[tuple[str, str], int],
    direction: str,
    negatives_per_query: int,
    rng: np.random.Generator,
) -> list[tuple[list[str], list[str], np.ndarray]]:
    """Per query: aligned candidate ids, job ids and labels."""
    by_query: dict[str, dict[str, int]] = defaultdict(dict)
    for (cid, jid), grade in labels.items():
        if direction == "jobs":
            by_query[cid][jid] = grade
        else:
            by_query[jid][cid] = grade
    own: Side[Any]
    other: Side[Any]
    if direction == "jobs":
        own, other, own_index, other_index = (
            engine._candidates,
            engine._jobs,
            engine._candidate_index,
            engine._job_index,
        )
    else:
        own, other, own_index, other_index = (
            engine._jobs,
            engine._candidates,
            engine._job_index,
            engine._candidate_index,
        )
    all_keys = np.asarray([key for key, _ in other.items()], dtype=np.int64)
    n_hard = negatives_per_query // 2
    out = []
    for query in sorted(by_query):
        positives = by_query[query]
        vec = own_index.get_vectors(np.asarray([own.key(query)], dtype=np.int64))
        depth = min(len(all_keys), max(engine.config.retrieval_depth, len(positives) + n_hard))
        keys, _ = engine._retrieve(other_index, vec, all_keys.tolist(), depth)
        hard = [other.by_key(k).id for k in keys if other.by_key(k).id not in positives][:n_hard]
        taken = set(hard)
        pool = [i for i in other.ids() if i not in positives and i not in taken]
        n_random = min(len(pool), negatives_per_query - len(hard))
        rand = (
            [pool[i] for i in rng.choice(len(pool), size=n_random, replace=False)]
            if (n_random > 0)
            else []
        )
        items = list(positives) + hard + rand
        y = np.asarray([positives.get(i, 0) for i in items], dtype=np.int32)
        if direction == "jobs":
            out.append(([query] * len(items), items, y))
        else:
            out.append((items, [query] * len(items), y))
    return out


def _matrix(
    engine: MatchingEngine, groups: list[tuple[list[str], list[str], np.ndarray]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cids = [c for g in groups for c in g[0]]
    jids = [j for g in groups for j in g[1]]
    X = engine._pair_features(cids, jids, engine._semantic(cids, jids))
    y = np.concatenate([g[2] for g in groups]) if groups else np.zeros(0, dtype=np.int32)
    sizes = np.asarray([len(g[2]) for g in groups], dtype=np.int64)
    return X, y, sizes


def _ndcg(scores: np.ndarray, y: np.ndarray, sizes: np.ndarray) -> float:
    """Mean nDCG@10 with an application as the first relevant grade (a view alone is not)."""
    rankings, alls = [], []
    start = 0
    for size in sizes:
        s = scores[start : start + size]
        t = np.maximum(y[start : start + size] - 1, 0)
        start += size
        if t.max() <= 0:
            continue
        rankings.append(t[np.argsort(-s, kind="stable")])
        alls.append(t[t > 0])
    if not rankings:
        return float("nan")
    return float(evaluate_rankings(rankings, alls, k=10)["ndcg@10"])


def fit_rankers(
    engine: MatchingEngine,
    *,
    negatives_per_query: int,
    min_queries: int,
    random_state: int,
    n_estimators: int,
    learning_rate: float,
) -> tuple[dict[str, LambdaRankRanker], dict[str, tuple[float, float]], TrainingReport]:
    """Fit one LambdaRank model per direction; report held-out nDCG@10 against the default.

    A fifth of the queries is held out first to measure the model against the transparent
    scorer on the same items; the model that is kept is then refitted on all queries.
    """
    from matching.scoring import transparent_inputs

    labels = pair_labels(engine)
    rng = np.random.default_rng(random_state)
    rankers: dict[str, LambdaRankRanker] = {}
    scales: dict[str, tuple[float, float]] = {}
    reports = []
    for direction in ("jobs", "candidates"):
        groups = _groups(engine, labels, direction, negatives_per_query, rng)
        n_pairs = sum(len(g[2]) for g in groups)
        if len(groups) < min_queries:
            reports.append(
                DirectionReport(direction, len(groups), n_pairs, False, None, None, None)
            )
            continue

        def make() -> LambdaRankRanker:
            return LambdaRankRanker(
                label_gain=EVENT_LABEL_GAIN,
                n_estimators=n_estimators,
                learning_rate=learning_rate,
                random_state=random_state,
            )

        order = rng.permutation(len(groups))
        n_valid = max(1, len(groups) // 5)
        valid = [groups[i] for i in sorted(order[:n_valid])]
        train = [groups[i] for i in sorted(order[n_valid:])]
        Xt, yt, st = _matrix(engine, train)
        Xv, yv, sv = _matrix(engine, valid)
        held_out = make().fit(Xt, yt, st, feature_names=list(FEATURE_NAMES))
        model_ndcg = _ndcg(held_out.predict(Xv), yv, sv)
        base_ndcg = _ndcg(engine._transparent.predict(transparent_inputs(Xv)), yv, sv)
        X, y, sizes = _matrix(engine, groups)
        ranker = make().fit(X, y, sizes, feature_names=list(FEATURE_NAMES))
        rankers[direction] = ranker
        fitted = ranker.predict(X)
        scales[direction] = (float(np.percentile(fitted, 1)), float(np.percentile(fitted, 99)))
        reports.append(
            DirectionReport(
                direction,
                len(groups),
                n_pairs,
                True,
                ranker.model_version_,
                round(model_ndcg, 4),
                round(base_ndcg, 4),
            )
        )
    return (
        rankers,
        scales,
        TrainingReport(n_events=engine._store.count_events(), directions=tuple(reports)),
    )
