"""The :class:`MatchingEngine` facade: records in, ranked and explained matches out.

One request runs: hard filters -> vector retrieval -> pair features -> ranker score ->
(for candidates of a job) bounded priority -> fairness constraint -> reasons.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from embeddings import CachedEncoder, EmbeddingCache, Encoder, VectorIndex, load_encoder
from matching import policy
from matching.catalogue import RecordsMixin
from matching.config import EngineConfig
from matching.errors import ValidationError
from matching.explain import reasons_for
from matching.features import FeatureSpace
from matching.filters import CandidateFilters, JobFilters
from matching.pairs import PairScoring
from matching.persistence import load_engine, rebuild_from_store, save_engine
from matching.policy import display_scores
from matching.records import Candidate, EventType, Job, Match
from matching.scoring import transparent_scorer
from matching.sides import Side
from matching.store import SQLiteStore
from matching.training import TrainingReport, fit_rankers, prepare_training_sets
from ranking import LambdaRankRanker

__all__ = ["MatchingEngine", "PoolScores"]

_APPLIED = frozenset({EventType.APPLY, EventType.INTERVIEW, EventType.OFFER, EventType.HIRE})
DIRECTIONS = ("jobs", "candidates")


class PoolScores(NamedTuple):
    """Scores of a whole pool for one query (see :meth:`MatchingEngine.score_pool`)."""

    ids: list[str]
    scores: np.ndarray
    semantic: np.ndarray


class MatchingEngine(RecordsMixin, PairScoring):
    """Match graduates and jobs.

    Parameters
    ----------
    config : EngineConfig, optional
        Retrieval, priority and fairness settings; defaults are the offline multilingual
        encoder, an exact index and the bounded priority on.
    encoder : Encoder, optional
        An encoder instance; built from ``config.encoder`` when omitted.
    path : str or Path, optional
        Engine directory. The store lives there from the start; :meth:`save` writes the rest.
        Without a path everything is in memory until ``save(path)``.

    Examples
    --------
    >>> engine = MatchingEngine()
    >>> engine.add_jobs([{"id": "j1", "title": "数据分析师", "description": "熟悉SQL和Python"}])
    ['j1']
    >>> engine.add_candidates([{"id": "c1", "resume_text": "统计学本科，熟悉Python、SQL"}])
    ['c1']
    >>> [m.id for m in engine.recommend_jobs("c1", k=1)]
    ['j1']
    """

    def __init__(
        self,
        *,
        config: EngineConfig | None = None,
        encoder: Encoder | None = None,
        path: str | Path | None = None,
    ) -> None:
        self.config = config or EngineConfig()
        base = encoder if encoder is not None else load_encoder(self.config.encoder)
        self._cache = EmbeddingCache(dim=base.dim)
        self._encoder = CachedEncoder(base, self._cache)
        self._path = Path(path) if path is not None else None
        if self._path is not None:
            self._path.mkdir(parents=True, exist_ok=True)
        self._store = SQLiteStore(self._path / "store.sqlite" if self._path else ":memory:")
        self._space = FeatureSpace()
        self._jobs: Side[Job] = Side("job", self._space)
        self._candidates: Side[Candidate] = Side("candidate", self._space)
        self._job_index = VectorIndex(base.dim, kind=self.config.index_kind)
        self._candidate_index = VectorIndex(base.dim, kind=self.config.index_kind)
        self._rankers: dict[str, LambdaRankRanker] = {}
        self._scales: dict[str, tuple[float, float]] = {}
        self._transparent = transparent_scorer()
        self._transparent_max = float(sum(self._transparent.weights.values()))
        self._reference: tuple[int, float] = (-1, float("nan"))
        self._lock = threading.RLock()

    # -- records ------------------------------------------------------------------------------

    @property
    def encoder(self) -> Encoder:
        """The engine's encoder, with its embedding cache (``hits`` / ``misses``)."""
        return self._encoder

    @property
    def n_jobs(self) -> int:
        """How many jobs are stored."""
        return len(self._jobs)

    @property
    def n_candidates(self) -> int:
        """How many candidates are stored."""
        return len(self._candidates)

    # -- ranking ------------------------------------------------------------------------------

    def recommend_jobs(
        self,
        candidate_id: str,
        k: int = 10,
        filters: JobFilters | Mapping[str, Any] | None = None,
        *,
        depth: int | None = None,
    ) -> list[Match]:
        """Jobs for a candidate, best first, each with a score, a rank and reasons.

        Parameters
        ----------
        candidate_id : str
        k : int, default 10
            How many matches to return (fewer when fewer jobs pass the filters).
        filters : JobFilters or mapping, optional
            Hard filters; by default jobs above the candidate's degree and jobs already
            applied to are left out.
        depth : int, optional
            Retrieval depth for this call (``config.retrieval_depth`` by default); rank
            the whole pool with ``depth=engine.n_jobs``.
        """
        k = _check_k(k)
        depth = _check_depth(depth)
        flt = filters if isinstance(filters, JobFilters) else JobFilters.from_dict(filters)
        with self._lock:
            cand = self._candidates.get(candidate_id)
            applied = frozenset(
                e.job_id
                for e in self._store.events_of_candidate(candidate_id)
                if e.type in _APPLIED
            )
            allowed = [key for key, job in self._jobs.items() if flt.accepts(job, cand, applied)]
            query = self._candidate_index.get_vectors(
                np.asarray([self._candidates.key(candidate_id)], dtype=np.int64)
            )
            keys, semantic = self._retrieve(self._job_index, query, allowed, depth)
            jobs = [self._jobs.by_key(key) for key in keys]
            scores, X, contrib = self._score(
                "jobs", [cand.id] * len(jobs), [j.id for j in jobs], semantic
            )
            top = np.argsort(-scores, kind="stable")[:k]
            return self._matches(
                [(cand, jobs[i]) for i in top],
                [jobs[i].id for i in top],
                scores[top],
                np.clip(self._relevance("jobs", scores)[top], 0.0, 1.0),
                X[top],
                contrib[top],
            )

    def rank_candidates(
        self,
        job_id: str,
        k: int = 10,
        filters: CandidateFilters | Mapping[str, Any] | None = None,
        *,
        depth: int | None = None,
    ) -> list[Match]:
        """Candidates for a job, best first, for a recruiter.

        The bounded priority and the fairness constraint of ``config`` act here, using the
        sensitive attributes from the store; the returned matches carry none of them, and
        each call is written to the audit log.
        """
        k = _check_k(k)
        depth = _check_depth(depth)
        flt = (
            filters
            if isinstance(filters, CandidateFilters)
            else CandidateFilters.from_dict(filters)
        )
        with self._lock:
            job = self._jobs.get(job_id)
            allowed = [key for key, c in self._candidates.items() if flt.accepts(c, job)]
            query = self._job_index.get_vectors(
                np.asarray([self._jobs.key(job_id)], dtype=np.int64)
            )
            keys, semantic = self._retrieve(self._candidate_index, query, allowed, depth)
            cands = [self._candidates.by_key(key) for key in keys]
            scores, X, contrib = self._score(
                "candidates", [c.id for c in cands], [job.id] * len(cands), semantic
            )
            relevance = self._relevance("candidates", scores)
            top, audit = policy.order(
                relevance,
                self._store.sensitive_of([c.id for c in cands]),
                k,
                priority=self.config.priority,
                fairness=self.config.fairness,
                attribute=self.config.fairness_attribute,
            )
            self._store.append_audit(
                datetime.now(timezone.utc).isoformat(),
                {
                    "kind": "rank_candidates",
                    "job_id": job_id,
                    "k": k,
                    "n_ranked": len(cands),
                    "model_version": self.model_version("candidates"),
                    **audit,
                },
            )
            # What a recruiter sees must not show whom the priority or fairness stage moved.
            shown = display_scores(len(top))
            return self._matches(
                [(cands[i], job) for i in top],
                [cands[i].id for i in top],
                shown,
                shown,
                X[top],
                contrib[top],
            )

    def score_pool(self, query_id: str, direction: str = "jobs") -> PoolScores:
        """Score the whole other side for one query: no filters, priority, fairness or reasons.

        This is what offline evaluation ranks. ``direction="jobs"`` scores every job for
        candidate ``query_id``; ``"candidates"`` scores every candidate for job ``query_id``.

        Returns
        -------
        PoolScores
            ``ids`` (item ids, in the store's order), ``scores`` of shape (n_items,) (the
            ranker's) and ``semantic`` of shape (n_items,) (cosine similarity of the
            embeddings, the dense-retrieval score).
        """
        if direction not in ("jobs", "candidates"):
            raise ValidationError("direction", f"got {direction!r}; allowed: jobs, candidates")
        with self._lock:
            own: Side[Any]
            other: Side[Any]
            if direction == "jobs":
                own, other, own_index, other_index = (
                    self._candidates,
                    self._jobs,
                    self._candidate_index,
                    self._job_index,
                )
            else:
                own, other, own_index, other_index = (
                    self._jobs,
                    self._candidates,
                    self._job_index,
                    self._candidate_index,
                )
            query = own_index.get_vectors(np.asarray([own.key(query_id)], dtype=np.int64))
            keys = np.asarray([key for key, _ in other.items()], dtype=np.int64)
            ids = [other.by_key(int(key)).id for key in keys]
            semantic = (other_index.get_vectors(keys) @ query[0]).astype(np.float32)
            if direction == "jobs":
                scores, _, _ = self._score(
                    direction, [query_id] * len(ids), ids, semantic, explain=False
                )
            else:
                scores, _, _ = self._score(
                    direction, ids, [query_id] * len(ids), semantic, explain=False
                )
            return PoolScores(ids, scores, semantic)

    def model_version(self, direction: str = "jobs") -> str:
        """Version of the scorer used for ``direction`` ("jobs" or "candidates")."""
        ranker = self._rankers.get(direction)
        return (
            ranker.model_version_
            if ranker is not None
            else ("transparent-" + self._transparent.model_version_)
        )

    def train_ranker(
        self,
        *,
        negatives_per_query: int = 30,
        min_queries: int = 5,
        random_state: int = 0,
        n_estimators: int = 300,
        learning_rate: float = 0.05,
        require_improvement: bool = True,
    ) -> TrainingReport:
        """Train the learning-to-rank models from the stored events.

        Each event's grade (view 1 < apply 2 < interview 3 < offer 4 < hire 5) is the label of
        its pair; items drawn at random among those the query has no event with are the
        negatives (see :mod:`matching.training`). One model is trained per direction. A
        direction keeps the transparent scorer when it has fewer than ``min_queries``
        queries, or when ``require_improvement`` is true and the model did worse than the
        transparent scorer on a fifth of the queries held out from a first fit.

        Returns
        -------
        TrainingReport
            Per direction: queries, pairs, held-out nDCG@10 of model and transparent
            scorer, whether the model was adopted.
        """
        for name, value, low in (
            ("negatives_per_query", negatives_per_query, 0),
            ("min_queries", min_queries, 2),
            ("n_estimators", n_estimators, 1),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValidationError(name, f"got {value!r}; an integer >= {low} is required")
        if not (isinstance(learning_rate, (int, float)) and 0 < learning_rate <= 1):
            raise ValidationError(
                "learning_rate", f"got {learning_rate!r}; a number in (0, 1] is required"
            )
        with self._lock:
            sets, n_events = prepare_training_sets(
                self,
                negatives_per_query=negatives_per_query,
                min_queries=min_queries,
                random_state=random_state,
            )
        # Fitting takes a while and needs nothing of the engine: requests go on meanwhile.
        rankers, scales, report = fit_rankers(
            sets,
            n_events,
            random_state=random_state,
            n_estimators=n_estimators,
            learning_rate=learning_rate,
            require_improvement=require_improvement,
        )
        with self._lock:
            for d in report.directions:
                if d.trained and not d.adopted:
                    # the new model lost to the transparent scorer: so would an older one
                    self._rankers.pop(d.direction, None)
                    self._scales.pop(d.direction, None)
            self._rankers.update(rankers)
            self._scales.update(scales)
        return report

    # -- internals used by ranking and training -----------------------------------------------

    def _matches(
        self,
        pairs: Sequence[tuple[Candidate, Job]],
        ids: Sequence[str],
        scores: np.ndarray,
        relevance: np.ndarray,
        X: np.ndarray,
        contrib: np.ndarray,
    ) -> list[Match]:
        """Matches with reasons for ``(candidate, job)`` pairs already in their final order."""
        out = []
        for rank, ((cand, job), item_id) in enumerate(zip(pairs, ids, strict=True), start=1):
            reasons = reasons_for(
                cand,
                job,
                X[rank - 1],
                contrib[rank - 1],
                n_top_features=self.config.n_top_features,
            )
            out.append(
                Match(
                    id=item_id,
                    rank=rank,
                    score=float(scores[rank - 1]),
                    relevance=float(relevance[rank - 1]),
                    reasons=reasons,
                )
            )
        return out

    # -- persistence --------------------------------------------------------------------------

    def save(self, path: str | Path | None = None) -> Path:
        """Write the engine to a directory: config, store, vector indexes, cache, models.

        Each part is written to a temporary name and renamed into place, and ``config.json``
        last, so a reader never sees a half-written engine (see :mod:`matching.persistence`).
        """
        target = Path(path) if path is not None else self._path
        if target is None:
            raise ValueError("path: this engine has no directory yet; pass save(path)")
        with self._lock:
            return save_engine(self, target)

    @classmethod
    def load(cls, path: str | Path, *, encoder: Encoder | None = None) -> MatchingEngine:
        """Open an engine directory written by :meth:`save`; it answers exactly as before.

        Raises
        ------
        StorageError
            ``path`` holds no engine, its store is missing, or its format is newer.
        """
        return load_engine(cls, Path(path), encoder=encoder)

    @classmethod
    def open(cls, path: str | Path, *, config: EngineConfig | None = None) -> MatchingEngine:
        """Load the engine in ``path`` if there is one, else start a new one there.

        A directory with a store but no ``config.json`` (records written, never saved) is
        opened with its records.
        """
        path = Path(path)
        if (path / "config.json").exists():
            return cls.load(path)
        engine = cls(config=config, path=path)
        if engine._store.count_jobs() or engine._store.count_candidates():
            rebuild_from_store(engine)
        return engine

    def close(self) -> None:
        """Close the store; the engine cannot be used afterwards."""
        self._store.close()


# -- helpers ----------------------------------------------------------------------------------


def _check_depth(depth: Any) -> int | None:
    if depth is None:
        return None
    if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or depth < 1:
        raise ValidationError("depth", f"got {depth!r}; a positive integer or None is required")
    return int(depth)


def _check_k(k: Any) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValidationError("k", f"got {k!r}; a positive integer is required")
    return int(k)
