"""Training the learning-to-rank models: episodes, matrices, early stopping, adoption.

The stored events are cut into episodes (:mod:`.episodes`) so that every training pair's
features see only what a live request would have seen. For each direction, one model per way
of drawing negatives (:mod:`.training_sets`) is boosted from the transparent scorer's scores,
so that its trees learn corrections to it (:class:`~.models.ResidualScorer`); the number of
rounds it keeps is the best of a few on held-out stop episodes' retrieval lists (early
stopping on the measure of the task); the kind of negatives is chosen on the validation episodes'
retrieval lists (the lists a live request ranks, labelled items that retrieval missed counted
as missed; for a log cut by time, its last window and the queries held out whole as
newcomers, pooled), random unless another is clearly better; and the model is adopted only
if it beats the transparent scorer there. The adopted kind of model is then refitted on every
episode.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matching.features import FEATURE_NAMES
from matching.interactions import InteractionLog, Snapshot
from matching.records import Direction
from matching.scoring.episodes import Plan, plan_episodes
from matching.scoring.models import RankingModel, ResidualScorer
from matching.scoring.training_sets import (
    NEGATIVE_STRATEGIES,
    Lists,
    Matrices,
    build_lists,
    build_sampled,
)
from matching.scoring.transparent import TransparentScorer
from ranking import LambdaRankRanker, evaluate_rankings

__all__ = [
    "CLEAR_MARGIN",
    "MIN_CHILD_SAMPLES",
    "NUM_LEAVES",
    "ROUND_GRID",
    "EVENT_LABEL_GAIN",
    "DirectionReport",
    "TrainingReport",
    "TrainingSet",
    "fit_rankers",
    "prepare_training_sets",
]

#: LambdaRank gain of each label: no event 0, view 1, apply 2, interview 3, offer 4, hire 5.
#: A view is weak evidence: what a graduate opens follows what the board showed them more than
#: what they would apply to, so it gains little; from an application on, the gain doubles with
#: each step as in the usual 2**grade - 1.
EVENT_LABEL_GAIN: tuple[float, ...] = (0.0, 0.2, 3.0, 7.0, 15.0, 31.0)
#: Boosting rounds compared on the stop episode's lists (the model keeps the best of them).
ROUND_GRID = (25, 50, 100, 200, 400)
#: How much better than random negatives (validation nDCG@10) another way must be to be chosen.
CLEAR_MARGIN = 0.01
#: Leaves per tree and rows per leaf. Event logs are small next to the number of features: on
#: the real job views, LightGBM's usual 31 leaves of 20 rows fitted noise (the model lost to
#: the transparent scorer on one split and to smaller trees on the other; see
#: benchmarks/README.md), so trees are kept shallow and each leaf holds at least 50 rows.
NUM_LEAVES = 15
MIN_CHILD_SAMPLES = 50

PairFeatures = Callable[[list[str], list[str], Snapshot], np.ndarray]
ServingList = Callable[[Direction, str, Snapshot], list[str]]
LiveItems = Callable[[Direction, Snapshot], "np.ndarray | None"]


@dataclass(frozen=True, slots=True)
class DirectionReport:
    """What training did for one direction.

    ``plan`` is how the log was cut ("time" or "query"); ``negatives`` maps each way of
    drawing negatives to its model's validation nDCG@10, ``chosen`` names the best one.
    ``validation_ndcg_at_10`` (that model) and ``transparent_ndcg_at_10`` are measured on the
    validation episode's retrieval lists; applications and later steps are the relevant
    grades (views too when there is nothing beyond views). ``adopted`` says whether the model
    now ranks: it is kept only when it did at least as well as the transparent scorer there.
    """

    direction: Direction
    n_queries: int
    n_pairs: int
    trained: bool
    model_version: str | None
    validation_ndcg_at_10: float | None
    transparent_ndcg_at_10: float | None
    adopted: bool = False
    plan: str | None = None
    negatives: dict[str, float | None] = field(default_factory=dict)
    chosen: str | None = None
    n_trees: int | None = None
    n_validation_queries: int = 0


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


@dataclass(frozen=True)
class TrainingSet:
    """Everything one direction's training needs, built under the catalogue's lock."""

    direction: Direction
    plan: Plan | None
    n_queries: int
    n_pairs: int
    train: dict[str, Matrices] | None = None
    full: dict[str, Matrices] | None = None
    stop: Lists | None = None
    valid: Lists | None = None


def prepare_training_sets(
    log: InteractionLog,
    *,
    features: PairFeatures,
    serving_list: ServingList,
    live: LiveItems,
    negatives_per_query: int,
    min_queries: int,
    random_state: int,
) -> list[TrainingSet]:
    """Build the training sets of both directions from the event log.

    A direction with fewer than ``min_queries`` queries, or whose log cannot be cut into a
    training, a stopping and a validation episode with labels in each, gets no matrices and
    keeps the transparent scorer.
    """
    n_features = len(FEATURE_NAMES)
    out = []
    for direction in Direction:
        rng = np.random.default_rng([random_state, 0 if direction.ranked == "jobs" else 1])
        queries = np.unique(log.cand if direction is Direction.JOBS_FOR_CANDIDATES else log.job)
        n_pairs = len({(c, j) for c, j in zip(log.cand.tolist(), log.job.tolist(), strict=True)})
        if len(queries) < max(min_queries, 2):
            out.append(TrainingSet(direction, None, len(queries), n_pairs))
            continue
        plan, episodes = plan_episodes(log, direction, rng=rng)
        stopping = [e for e in episodes if e.role == "stop"]
        validating = [e for e in episodes if e.role == "valid"]
        if len(episodes) < 3 or not all(e.targets for e in stopping + validating):
            out.append(TrainingSet(direction, plan, len(queries), n_pairs))
            continue

        # the training episodes are read again for the full model: their lists once each
        # (a list is a whole retrieval; the snapshots live as long as the episodes)
        Listed = dict[tuple[str, int], list[str]]
        listed: Listed = {}

        def listing(
            query: str, snap: Snapshot, d: Direction = direction, memo: Listed = listed
        ) -> list[str]:
            key = (query, id(snap))
            if key not in memo:
                memo[key] = serving_list(d, query, snap)
            return memo[key]

        def existing(snap: Snapshot, d: Direction = direction) -> np.ndarray | None:
            return live(d, snap)

        common: dict[str, Any] = {
            "features": features,
            "serving_list": listing,
            "live": existing,
            "n_features": n_features,
        }
        train = build_sampled(
            log, direction, [e for e in episodes if e.role == "train"],
            negatives_per_query=negatives_per_query, rng=rng, **common,
        )  # fmt: skip
        full = build_sampled(
            log, direction, episodes, negatives_per_query=negatives_per_query, rng=rng, **common
        )
        stop, valid = (
            Lists.join(
                [build_lists(log, direction, e, rng=rng, **common) for e in part], n_features
            )
            for part in (stopping, validating)
        )
        out.append(TrainingSet(direction, plan, len(queries), n_pairs, train, full, stop, valid))
    return out


def _relevance(grades: np.ndarray, shift: int) -> np.ndarray:
    return np.maximum(grades - shift, 0)


def list_ndcg(scores: np.ndarray, lists: Lists) -> float:
    """Mean nDCG@10 of ranking each retrieval list by ``scores`` (misses count).

    An application is the first relevant grade; a view alone is not relevant, unless nothing
    went beyond a view (a log of views only), in which case views are what there is to measure.
    """
    shift = 1 if any((ideal >= 2).any() for ideal in lists.ideal) else 0
    rankings, ideals = [], []
    start = 0
    for size, ideal in zip(lists.rows.sizes, lists.ideal, strict=True):
        s = scores[start : start + size]
        y = lists.rows.y[start : start + size]
        start += size
        wanted = _relevance(ideal, shift)
        if wanted.max(initial=0) <= 0:
            continue
        rankings.append(_relevance(y, shift)[np.argsort(-s, kind="stable")])
        ideals.append(wanted[wanted > 0])
    if not rankings:
        return float("nan")
    return float(evaluate_rankings(rankings, ideals, k=10)["ndcg@10"])


def _rounds(model: LambdaRankRanker, stop: Lists, base: np.ndarray, most: int) -> int:
    """How many boosting rounds to keep: the best of a few on the stop episode's lists.

    ``base`` is the transparent score of the stop rows, which the trees correct. A coarse
    grid, because held-out lists of a few hundred queries are noisy: picking the best of every
    round would pick noise (a spike after two rounds, say).
    """
    grid = sorted({r for r in ROUND_GRID if r < most} | {most})
    measured = [(list_ndcg(base + model.predict(stop.rows.X, n_trees=r), stop), r) for r in grid]
    finite = [(v, r) for v, r in measured if not np.isnan(v)]
    # ties go to the fewer rounds
    return max(finite, key=lambda vr: (vr[0], -vr[1]))[1] if finite else most


def _choose(measured: dict[str, float]) -> str | None:
    """The way of drawing negatives to keep: random, unless another is clearly better."""
    if not measured:
        return None
    best = max(measured, key=lambda s: measured[s])
    if "random" in measured and measured[best] - measured["random"] < CLEAR_MARGIN:
        return "random"
    return best


def fit_rankers(
    sets: Sequence[TrainingSet],
    n_events: int,
    *,
    random_state: int,
    n_estimators: int,
    learning_rate: float,
    num_leaves: int = NUM_LEAVES,
    min_child_samples: int = MIN_CHILD_SAMPLES,
    require_improvement: bool = True,
) -> tuple[dict[Direction, RankingModel], TrainingReport]:
    """Fit, compare and (maybe) adopt one model per prepared direction; needs no engine.

    Returns the adopted models, each with its score scale (1st and 99th percentile of its
    scores on its training rows), and the report.
    """
    adopted: dict[Direction, RankingModel] = {}
    reports = []
    transparent = TransparentScorer()
    for ts in sets:
        if ts.train is None or ts.full is None or ts.stop is None or ts.valid is None:
            reports.append(
                DirectionReport(
                    ts.direction, ts.n_queries, ts.n_pairs, False, None, None, None, plan=ts.plan
                )
            )
            continue

        def make(trees: int) -> LambdaRankRanker:
            return LambdaRankRanker(
                label_gain=EVENT_LABEL_GAIN,
                n_estimators=trees,
                learning_rate=learning_rate,
                num_leaves=num_leaves,
                min_child_samples=min_child_samples,
                random_state=random_state,
            )

        def fit(rows: Matrices, n_trees: int) -> LambdaRankRanker:
            # boosted from the transparent score: the trees learn its corrections
            return make(n_trees).fit(
                rows.X,
                rows.y,
                rows.sizes,
                feature_names=list(FEATURE_NAMES),
                init_score=transparent.predict(rows.X),
            )

        stop_base = transparent.predict(ts.stop.rows.X)
        valid_base = transparent.predict(ts.valid.rows.X)
        scores: dict[str, float | None] = {}
        trees: dict[str, int] = {}
        for strategy in NEGATIVE_STRATEGIES:
            rows = ts.train[strategy]
            if rows.n_queries == 0:
                scores[strategy] = None
                continue
            model = fit(rows, n_estimators)
            trees[strategy] = _rounds(model, ts.stop, stop_base, n_estimators)
            corrected = valid_base + model.predict(ts.valid.rows.X, n_trees=trees[strategy])
            value = list_ndcg(corrected, ts.valid)
            scores[strategy] = None if np.isnan(value) else round(value, 4)
        base = list_ndcg(valid_base, ts.valid)
        measured = {s: v for s, v in scores.items() if v is not None}
        chosen = _choose(measured)
        best = measured.get(chosen, float("nan")) if chosen else float("nan")
        # A NaN (nothing to measure) does not block; a model that loses to the transparent
        # scorer on the task is not adopted.
        better = chosen is not None and not (best < base)
        final = None
        if chosen is not None and (better or not require_improvement):
            rows = ts.full[chosen]
            final = fit(rows, max(1, trees[chosen]))
            scorer = ResidualScorer(final)
            fitted = scorer.predict(rows.X)
            scale = (float(np.percentile(fitted, 1)), float(np.percentile(fitted, 99)))
            adopted[ts.direction] = RankingModel(scorer, scale)
        reports.append(
            DirectionReport(
                ts.direction,
                ts.n_queries,
                ts.n_pairs,
                chosen is not None,
                final.model_version_ if final is not None else None,
                None if np.isnan(best) else round(best, 4),
                None if np.isnan(base) else round(base, 4),
                final is not None,
                plan=ts.plan,
                negatives=scores,
                chosen=chosen,
                n_trees=trees.get(chosen) if chosen else None,
                n_validation_queries=len(ts.valid.ideal),
            )
        )
    return adopted, TrainingReport(n_events=n_events, directions=tuple(reports))
