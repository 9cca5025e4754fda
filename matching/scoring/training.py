"""Training sets from events, and fitting the learning-to-rank models.

For the "jobs" direction each candidate with events is a query; its items are the jobs it has
events with (label = the furthest event's grade) plus negatives drawn at random from the jobs it
has no event with. The "candidates" direction is the mirror image, with jobs as queries.

Why random and not "hard" negatives (the unlabelled items retrieval ranks highest): an item
near the top of retrieval that a graduate never opened is often one they were never shown, not
one they turned down, and a model taught that those are bad learns to distrust similarity.
Measured on the held-out demo slices and on real job-view feedback (benchmarks/README.md),
random negatives gave the better model in all three settings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matching.features import FEATURE_NAMES
from matching.records import Direction, Event
from matching.scoring.models import RankingModel
from matching.scoring.transparent import TransparentScorer
from ranking import LambdaRankRanker, evaluate_rankings

#: Feature rows of aligned (candidate ids, job ids) pairs, of shape (n, n_features).
PairFeatures = Callable[[list[str], list[str]], np.ndarray]

__all__ = [
    "EVENT_LABEL_GAIN",
    "DirectionReport",
    "TrainingReport",
    "TrainingSet",
    "fit_rankers",
    "pair_labels",
    "prepare_training_sets",
]

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
    queries held out from a first fit, for the model and for the transparent scorer on the
    same items; applications and later steps are the relevant grades (views too when the
    held-out queries have nothing beyond views). ``adopted`` says whether the model now
    ranks: it is kept only when it did at least as well as the transparent scorer there.
    """

    direction: Direction
    n_queries: int
    n_pairs: int
    trained: bool
    model_version: str | None
    validation_ndcg_at_10: float | None
    transparent_ndcg_at_10: float | None
    adopted: bool = False


@dataclass(frozen=True, slots=True)
class TrainingReport:
    """The result of :meth:`MatchingEngine.train_ranker`."""

    n_events: int
    directions: tuple[DirectionReport, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping: the event count and one entry per direction."""
        return {
            "n_events": self.n_events,
            "directions": [
                {
                    f: (getattr(d, f).value if f == "direction" else getattr(d, f))
                    for f in DirectionReport.__dataclass_fields__
                }
                for d in self.directions
            ],
        }


def pair_labels(
    events: Iterable[Event], job_ids: Iterable[str], candidate_ids: Iterable[str]
) -> dict[tuple[str, str], int]:
    """The furthest grade reached by each (candidate, job) pair among stored records' events."""
    jobs, candidates = set(job_ids), set(candidate_ids)
    labels: dict[tuple[str, str], int] = {}
    for event in events:
        if event.candidate_id not in candidates or event.job_id not in jobs:
            continue  # a record removed since; its events go with it
        pair = (event.candidate_id, event.job_id)
        labels[pair] = max(labels.get(pair, 0), event.type.grade)
    return labels


def _groups(
    labels: dict[tuple[str, str], int],
    direction: Direction,
    items: Sequence[str],
    negatives_per_query: int,
    rng: np.random.Generator,
) -> list[tuple[list[str], list[str], np.ndarray]]:
    """Per query: aligned candidate ids, job ids and labels; ``items`` is the ranked side."""
    jobs_ranked = direction is Direction.JOBS_FOR_CANDIDATES
    by_query: dict[str, dict[str, int]] = defaultdict(dict)
    for (cid, jid), grade in labels.items():
        if jobs_ranked:
            by_query[cid][jid] = grade
        else:
            by_query[jid][cid] = grade
    out = []
    for query in sorted(by_query):
        positives = by_query[query]
        pool = [i for i in items if i not in positives]
        n_random = min(len(pool), negatives_per_query)
        negatives = (
            [pool[i] for i in rng.choice(len(pool), size=n_random, replace=False)]
            if n_random > 0
            else []
        )
        # Shuffled, so that tied scores never favour the positives listed first.
        listed = [
            (list(positives) + negatives)[i]
            for i in rng.permutation(len(positives) + len(negatives))
        ]
        y = np.asarray([positives.get(i, 0) for i in listed], dtype=np.int32)
        if jobs_ranked:
            out.append(([query] * len(listed), listed, y))
        else:
            out.append((listed, [query] * len(listed), y))
    return out


def _matrix(
    features: PairFeatures, groups: list[tuple[list[str], list[str], np.ndarray]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cids = [c for g in groups for c in g[0]]
    jids = [j for g in groups for j in g[1]]
    X = features(cids, jids)
    y = np.concatenate([g[2] for g in groups]) if groups else np.zeros(0, dtype=np.int32)
    sizes = np.asarray([len(g[2]) for g in groups], dtype=np.int64)
    return X, y, sizes


def _ndcg(scores: np.ndarray, y: np.ndarray, sizes: np.ndarray) -> float:
    """Mean nDCG@10 with an application as the first relevant grade.

    A view alone is not relevant, unless no pair has gone beyond a view (a log of views
    only), in which case views are what there is to measure.
    """
    shift = 1 if (y >= 2).any() else 0
    rankings, alls = [], []
    start = 0
    for size in sizes:
        s = scores[start : start + size]
        t = np.maximum(y[start : start + size] - shift, 0)
        start += size
        if t.max() <= 0:
            continue
        rankings.append(t[np.argsort(-s, kind="stable")])
        alls.append(t[t > 0])
    if not rankings:
        return float("nan")
    return float(evaluate_rankings(rankings, alls, k=10)["ndcg@10"])


@dataclass(frozen=True, slots=True)
class TrainingSet:
    """Feature matrices of one direction (built under the catalogue's lock, fitted outside it)."""

    direction: Direction
    n_queries: int
    n_pairs: int
    train: tuple[np.ndarray, np.ndarray, np.ndarray] | None
    valid: tuple[np.ndarray, np.ndarray, np.ndarray] | None
    full: tuple[np.ndarray, np.ndarray, np.ndarray] | None
    transparent_valid_scores: np.ndarray | None


def prepare_training_sets(
    events: Iterable[Event],
    job_ids: Sequence[str],
    candidate_ids: Sequence[str],
    features: PairFeatures,
    *,
    negatives_per_query: int,
    min_queries: int,
    random_state: int,
) -> list[TrainingSet]:
    """Build the training sets of both directions.

    Parameters
    ----------
    events : iterable of Event
        The event log; events of ids not in ``job_ids`` / ``candidate_ids`` are left out.
    job_ids, candidate_ids : sequences of str
        The stored records, in store order (negatives are drawn from them).
    features : callable
        Feature rows of aligned (candidate ids, job ids).

    Notes
    -----
    A fifth of the queries (at least one) is set aside to measure a first model against the
    transparent scorer on the same items. A direction with fewer than ``min_queries``
    queries gets no matrices and keeps the transparent scorer.
    """
    labels = pair_labels(events, job_ids, candidate_ids)
    rng = np.random.default_rng(random_state)
    transparent = TransparentScorer()
    out = []
    for direction in Direction:
        items = job_ids if direction is Direction.JOBS_FOR_CANDIDATES else candidate_ids
        groups = _groups(labels, direction, items, negatives_per_query, rng)
        n_pairs = sum(len(g[2]) for g in groups)
        if len(groups) < max(min_queries, 2):
            out.append(TrainingSet(direction, len(groups), n_pairs, None, None, None, None))
            continue
        order = rng.permutation(len(groups))
        n_valid = max(1, len(groups) // 5)
        valid = [groups[i] for i in sorted(order[:n_valid])]
        train = [groups[i] for i in sorted(order[n_valid:])]
        Xv, yv, sv = _matrix(features, valid)
        out.append(
            TrainingSet(
                direction,
                len(groups),
                n_pairs,
                train=_matrix(features, train),
                valid=(Xv, yv, sv),
                full=_matrix(features, groups),
                transparent_valid_scores=transparent.predict(Xv),
            )
        )
    return out


def fit_rankers(
    sets: list[TrainingSet],
    n_events: int,
    *,
    random_state: int,
    n_estimators: int,
    learning_rate: float,
    require_improvement: bool = True,
) -> tuple[dict[Direction, RankingModel], TrainingReport]:
    """Fit one LambdaRank model per prepared direction; needs no access to the engine.

    Returns the adopted models, each with its score scale (1st and 99th percentile of its
    scores on its training pairs), and a report with held-out nDCG@10 of a first model and of
    the transparent scorer. A direction's model is refitted on all queries and kept only when
    the first model did at least as well as the transparent scorer on the held-out queries
    (or ``require_improvement`` is false).
    """
    adopted_models: dict[Direction, RankingModel] = {}
    reports = []

    def make() -> LambdaRankRanker:
        return LambdaRankRanker(
            label_gain=EVENT_LABEL_GAIN,
            n_estimators=n_estimators,
            learning_rate=learning_rate,
            random_state=random_state,
        )

    for ts in sets:
        if ts.train is None or ts.valid is None or ts.full is None:
            reports.append(
                DirectionReport(ts.direction, ts.n_queries, ts.n_pairs, False, None, None, None)
            )
            continue
        Xv, yv, sv = ts.valid
        held_out = make().fit(*ts.train, feature_names=list(FEATURE_NAMES))
        model_ndcg = _ndcg(held_out.predict(Xv), yv, sv)
        base_ndcg = _ndcg(np.asarray(ts.transparent_valid_scores), yv, sv)
        X, y, sizes = ts.full
        ranker = make().fit(X, y, sizes, feature_names=list(FEATURE_NAMES))
        better = not (model_ndcg < base_ndcg)  # a NaN (nothing to measure) does not block
        adopted = better or not require_improvement
        if adopted:
            fitted = ranker.predict(X)
            scale = (float(np.percentile(fitted, 1)), float(np.percentile(fitted, 99)))
            adopted_models[ts.direction] = RankingModel(ranker, scale)
        reports.append(
            DirectionReport(
                ts.direction,
                ts.n_queries,
                ts.n_pairs,
                True,
                ranker.model_version_,
                _round(model_ndcg),
                _round(base_ndcg),
                adopted,
            )
        )
    return adopted_models, TrainingReport(n_events=n_events, directions=tuple(reports))


def _round(value: float) -> float | None:
    return None if np.isnan(value) else round(value, 4)
