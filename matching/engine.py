"""The :class:`MatchingEngine` facade: records in, ranked and explained matches out.

One request runs: hard filters -> vector retrieval -> pair features -> ranker score ->
(for candidates of a job) bounded priority -> fairness constraint -> reasons.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from embeddings import (
    CachedEncoder,
    EmbeddingCache,
    Encoder,
    VectorIndex,
    encoder_from_config,
    load_encoder,
)
from matching.config import EngineConfig
from matching.errors import StorageError, ValidationError
from matching.explain import reasons_for
from matching.features import FeatureSpace, widen_columns
from matching.filters import CandidateFilters, JobFilters
from matching.ingest import enrich_candidate, enrich_job
from matching.records import Candidate, Event, EventType, Job, Match
from matching.scoring import transparent_inputs, transparent_scorer
from matching.sides import Side, candidate_text, job_text
from matching.store import SQLiteStore
from matching.training import TrainingReport, fit_rankers
from ranking import FairnessConstraint, LambdaRankRanker, apply_priority, fair_rerank

__all__ = ["MatchingEngine"]

FORMAT_VERSION = 1
_APPLIED = frozenset({EventType.APPLY, EventType.INTERVIEW, EventType.OFFER, EventType.HIRE})
DIRECTIONS = ("jobs", "candidates")


class MatchingEngine:
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
        self._lock = threading.RLock()

    # -- records ------------------------------------------------------------------------------

    @property
    def encoder(self) -> Encoder:
        return self._encoder

    @property
    def n_jobs(self) -> int:
        return len(self._jobs)

    @property
    def n_candidates(self) -> int:
        return len(self._candidates)

    def add_jobs(self, records: Iterable[Job | Mapping[str, Any]]) -> list[str]:
        """Add or replace jobs; the batch is stored whole or not at all.

        Returns
        -------
        list of str
            The ids, in input order.

        Raises
        ------
        ValidationError
            A record is invalid; ``field`` is prefixed with its position (``"[3].city"``).
        """
        jobs = [enrich_job(_coerce(r, Job, i)) for i, r in enumerate(records)]
        _check_unique([j.id for j in jobs])
        vectors = self._encoder.encode([job_text(j) for j in jobs])
        with self._lock:
            keys = self._store.upsert_jobs(jobs)
            for job, key in zip(jobs, keys, strict=False):
                self._jobs.put(key, job)
            if jobs:
                self._job_index.add(np.asarray(keys, dtype=np.int64), vectors)
        return [j.id for j in jobs]

    def add_candidates(self, records: Iterable[Candidate | Mapping[str, Any]]) -> list[str]:
        """Add or replace candidates; the batch is stored whole or not at all."""
        cands = [enrich_candidate(_coerce(r, Candidate, i)) for i, r in enumerate(records)]
        _check_unique([c.id for c in cands])
        vectors = self._encoder.encode([candidate_text(c) for c in cands])
        with self._lock:
            keys = self._store.upsert_candidates(cands)
            for cand, key in zip(cands, keys, strict=False):
                # The side keeps the profile only; sensitive attributes stay in the store.
                self._candidates.put(key, _without_sensitive(cand))
            if cands:
                self._candidate_index.add(np.asarray(keys, dtype=np.int64), vectors)
        return [c.id for c in cands]

    def update_job(self, job_id: str, changes: Mapping[str, Any]) -> Job:
        """Change some fields of a stored job; the result is validated like a new record."""
        current = self._jobs.get(job_id).to_dict()
        merged = {**current, **dict(changes), "id": job_id}
        if "description" in changes or "title" in changes:
            # Fields read from the old text must be read again from the new one.
            for name in (
                "required_skills",
                "preferred_skills",
                "preferred_majors",
                "min_degree",
                "experience_years",
            ):
                if name not in changes:
                    merged.pop(name, None)
        self.add_jobs([merged])
        return self.get_job(job_id)

    def update_candidate(self, candidate_id: str, changes: Mapping[str, Any]) -> Candidate:
        """Change some fields of a stored candidate (``sensitive`` replaces the whole record)."""
        current = self._store.get_candidate(candidate_id).to_dict()
        merged = {**current, **dict(changes), "id": candidate_id}
        if "resume_text" in changes:
            for name in ("skills", "major", "degree", "graduation_year"):
                if name not in changes:
                    merged.pop(name, None)
        self.add_candidates([merged])
        return self.get_candidate(candidate_id)

    def remove_job(self, job_id: str) -> None:
        """Remove a job and its events."""
        with self._lock:
            key = self._store.delete_job(job_id)
            self._jobs.drop(job_id)
            self._job_index.remove(np.asarray([key], dtype=np.int64), missing_ok=True)

    def remove_candidate(self, candidate_id: str) -> None:
        """Remove a candidate, their sensitive record and their events."""
        with self._lock:
            key = self._store.delete_candidate(candidate_id)
            self._candidates.drop(candidate_id)
            self._candidate_index.remove(np.asarray([key], dtype=np.int64), missing_ok=True)

    def get_job(self, job_id: str) -> Job:
        return self._jobs.get(job_id)

    def get_candidate(self, candidate_id: str, *, include_sensitive: bool = False) -> Candidate:
        """A stored candidate; sensitive attributes only when asked for (operators, audits)."""
        if include_sensitive:
            return self._store.get_candidate(candidate_id, include_sensitive=True)
        return self._candidates.get(candidate_id)

    def job_ids(self) -> list[str]:
        return self._jobs.ids()

    def candidate_ids(self) -> list[str]:
        return self._candidates.ids()

    def record_events(self, events: Iterable[Event | Mapping[str, Any]]) -> int:
        """Store interaction events; every id must name a stored job and candidate."""
        parsed = [_coerce(e, Event, i) for i, e in enumerate(events)]
        for i, e in enumerate(parsed):
            if e.candidate_id not in self._candidates:
                raise ValidationError(
                    f"[{i}].candidate_id", f"unknown candidate {e.candidate_id!r}"
                )
            if e.job_id not in self._jobs:
                raise ValidationError(f"[{i}].job_id", f"unknown job {e.job_id!r}")
        return self._store.add_events(parsed)

    def events(self) -> list[Event]:
        return list(self._store.iter_events())

    def audit_log(self, *, limit: int = 100) -> list[dict[str, Any]]:
        """The newest ranking audit records: model version, policy, whether a boost acted."""
        return self._store.audit_log(limit=limit)

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
            order = np.argsort(-scores, kind="stable")[:k]
            return self._matches(
                [(cand, jobs[i]) for i in order],
                [jobs[i].id for i in order],
                scores[order],
                self._relevance("jobs", scores)[order],
                X[order],
                contrib[order],
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
            order, audit = self._fair_order(relevance, [c.id for c in cands], k)
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
            return self._matches(
                [(cands[i], job) for i in order],
                [cands[i].id for i in order],
                scores[order],
                relevance[order],
                X[order],
                contrib[order],
            )

    def score_pool(
        self, query_id: str, direction: str = "jobs"
    ) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Score the whole other side for one query: no filters, priority, fairness or reasons.

        This is what offline evaluation ranks. ``direction="jobs"`` scores every job for
        candidate ``query_id``; ``"candidates"`` scores every candidate for job ``query_id``.

        Returns
        -------
        ids : list of str
            Item ids, in the store's order.
        scores : ndarray of shape (n_items,)
            The ranker's scores.
        semantic : ndarray of shape (n_items,)
            Cosine similarity of the embeddings (the dense-retrieval score).
        """
        if direction not in DIRECTIONS:
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
            return ids, scores, semantic

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
    ) -> TrainingReport:
        """Train the learning-to-rank models from the stored events.

        Each event's grade (view 1 < apply 2 < interview 3 < offer 4 < hire 5) is the label of
        its pair; pairs retrieved for the same query without an event are the negatives. One
        model is trained per direction; a direction with fewer than ``min_queries`` queries
        keeps the transparent scorer.
        """
        with self._lock:
            rankers, scales, report = fit_rankers(
                self,
                negatives_per_query=negatives_per_query,
                min_queries=min_queries,
                random_state=random_state,
                n_estimators=n_estimators,
                learning_rate=learning_rate,
            )
            self._rankers.update(rankers)
            self._scales.update(scales)
            return report

    # -- internals used by ranking and training -----------------------------------------------

    def _retrieve(
        self, index: VectorIndex, query: np.ndarray, allowed: Sequence[int], depth: int | None
    ) -> tuple[list[int], np.ndarray]:
        n = min(depth or self.config.retrieval_depth, len(allowed))
        if n == 0:
            return [], np.zeros(0, dtype=np.float32)
        res = index.search(query, n, allowed_ids=np.asarray(allowed, dtype=np.int64))
        ids, scores = res.ids[0], res.scores[0]
        keep = ids >= 0
        return [int(i) for i in ids[keep]], scores[keep].astype(np.float32)

    def _pair_features(
        self, candidate_ids: Sequence[str], job_ids: Sequence[str], semantic: np.ndarray
    ) -> np.ndarray:
        cprofiles = [self._candidates.profile(c) for c in candidate_ids]
        jprofiles = [self._jobs.profile(j) for j in job_ids]
        ctf = self._candidates.tfidf_rows(candidate_ids)
        jtf = self._jobs.tfidf_rows(job_ids)
        if len(candidate_ids):
            width = max(ctf.shape[1], jtf.shape[1])
            rowwise = widen_columns(ctf, width).multiply(widen_columns(jtf, width)).sum(axis=1)
            lexical = np.asarray(rowwise, dtype=np.float32).ravel()
        else:
            lexical = np.zeros(0, dtype=np.float32)
        return self._space.pair_features(cprofiles, jprofiles, semantic, lexical)

    def _semantic(self, candidate_ids: Sequence[str], job_ids: Sequence[str]) -> np.ndarray:
        cv = self._candidate_index.get_vectors(
            np.asarray([self._candidates.key(c) for c in candidate_ids], dtype=np.int64)
        )
        jv = self._job_index.get_vectors(
            np.asarray([self._jobs.key(j) for j in job_ids], dtype=np.int64)
        )
        return np.einsum("ij,ij->i", cv, jv).astype(np.float32)

    def _score(
        self,
        direction: str,
        candidate_ids: Sequence[str],
        job_ids: Sequence[str],
        semantic: np.ndarray,
        *,
        explain: bool = True,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Scores, raw features and (when ``explain``) per-feature contributions of pairs."""
        X = self._pair_features(candidate_ids, job_ids, semantic)
        if len(X) == 0:
            empty = np.zeros(0, dtype=np.float32)
            return empty, X, np.zeros((0, X.shape[1] + 1), dtype=np.float32)
        ranker = self._rankers.get(direction)
        no_contrib = np.zeros((len(X), 0), dtype=np.float32)
        if ranker is not None:
            return ranker.predict(X), X, ranker.contributions(X) if explain else no_contrib
        inputs = transparent_inputs(X)
        return (
            self._transparent.predict(inputs),
            X,
            self._transparent.contributions(inputs) if explain else no_contrib,
        )

    def _relevance(self, direction: str, scores: np.ndarray) -> np.ndarray:
        """Scores on a fixed [0, 1] scale: the priority tolerance and ``Match.relevance`` use it.

        For the transparent scorer 1.0 is a perfect score (the sum of its weights); for a
        trained model the scale runs from the 1st to the 99th percentile of its scores on
        the training pairs. The scale does not depend on the other items of a list.
        """
        lo, hi = self._scales.get(direction, (0.0, self._transparent_max))
        return np.clip((scores.astype(np.float64) - lo) / max(hi - lo, 1e-12), 0.0, 1.0)

    def _fair_order(
        self, relevance: np.ndarray, candidate_ids: Sequence[str], k: int
    ) -> tuple[np.ndarray, dict[str, Any]]:
        n = len(candidate_ids)
        policy = self.config.priority
        sensitive = [self._store.get_sensitive(c) for c in candidate_ids]
        assisted = np.asarray([s.assisted for s in sensitive], dtype=bool)
        prio = apply_priority(relevance, assisted, policy)
        order = np.asarray(prio.order, dtype=np.int64)
        audit: dict[str, Any] = {
            "priority": policy.to_dict(),
            "priority_changed": bool(prio.changed),
            "n_promoted": int(prio.n_promoted),
            "fairness": None,
            "fairness_changed": False,
        }
        constraint = self.config.fairness
        if constraint is not None and n:
            attribute = self.config.fairness_attribute
            groups = np.asarray([_group_of(s, attribute) for s in sensitive], dtype=object)
            # Rank positions as scores keep the priority order inside each group.
            positional = -np.arange(n, dtype=np.float64)
            fair = fair_rerank(
                positional, groups[order], _cover_groups(constraint, groups), min(k, n)
            )
            order = order[np.asarray(fair.order, dtype=np.int64)]
            audit["fairness"] = {**constraint.to_dict(), "attribute": attribute}
            audit["fairness_changed"] = bool(fair.changed)
        return order[:k], audit

    def _matches(
        self,
        pairs: Sequence[tuple[Candidate | Job, Candidate | Job]],
        ids: Sequence[str],
        scores: np.ndarray,
        relevance: np.ndarray,
        X: np.ndarray,
        contrib: np.ndarray,
    ) -> list[Match]:
        out = []
        for rank, ((a, b), item_id) in enumerate(zip(pairs, ids, strict=False), start=1):
            cand, job = (a, b) if isinstance(a, Candidate) else (b, a)
            reasons = reasons_for(
                cand,
                job,
                X[rank - 1],
                contrib[rank - 1],  # type: ignore[arg-type]
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
        last, so a reader never sees a half-written engine.
        """
        target = Path(path) if path is not None else self._path
        if target is None:
            raise ValueError("path: this engine has no directory yet; pass save(path)")
        target.mkdir(parents=True, exist_ok=True)
        with self._lock:
            if self._path is None or target.resolve() != self._path.resolve():
                tmp = target / "store.sqlite.tmp"
                tmp.unlink(missing_ok=True)
                self._store.backup_to(tmp)
                os.replace(tmp, target / "store.sqlite")
            self._job_index.save(target / "index_jobs")
            self._candidate_index.save(target / "index_candidates")
            self._cache.save(target / "embedding_cache")
            for direction in DIRECTIONS:
                ranker = self._rankers.get(direction)
                if ranker is not None:
                    ranker.save(target / f"ranker_{direction}")
            config = {
                "format_version": FORMAT_VERSION,
                "engine": self.config.to_dict(),
                "encoder": self._encoder.config(),
                "rankers": sorted(self._rankers),
                "score_scales": {d: list(v) for d, v in sorted(self._scales.items())},
                "n_jobs": len(self._jobs),
                "n_candidates": len(self._candidates),
            }
            _write_json_atomic(target / "config.json", config)
        return target

    @classmethod
    def load(cls, path: str | Path, *, encoder: Encoder | None = None) -> MatchingEngine:
        """Open an engine directory written by :meth:`save`; it answers exactly as before."""
        path = Path(path)
        config_path = path / "config.json"
        if not config_path.exists():
            raise StorageError(f"{path} is not an engine directory (no config.json)")
        meta = json.loads(config_path.read_text(encoding="utf-8"))
        version = meta.get("format_version")
        if version != FORMAT_VERSION:
            raise StorageError(
                f"{path}: format_version {version!r}; this gradmatch reads {FORMAT_VERSION}"
            )
        config = EngineConfig.from_dict(meta["engine"])
        if encoder is None:
            encoder = encoder_from_config(meta["encoder"])
        elif encoder.config() != meta["encoder"]:
            raise ValueError(
                f"encoder: got {encoder.config()!r}, but the engine was built with "
                f"{meta['encoder']!r}; vectors of different encoders cannot be mixed"
            )
        engine = cls(config=config, encoder=encoder, path=path)
        if (path / "embedding_cache").exists():
            engine._cache = EmbeddingCache.load(path / "embedding_cache")
            engine._encoder = CachedEncoder(encoder, engine._cache)
        engine._job_index = VectorIndex.load(path / "index_jobs")
        engine._candidate_index = VectorIndex.load(path / "index_candidates")
        for direction in meta.get("rankers", []):
            engine._rankers[direction] = LambdaRankRanker.load(path / f"ranker_{direction}")
        engine._scales = {
            d: (float(lo), float(hi)) for d, (lo, hi) in meta.get("score_scales", {}).items()
        }
        engine._rebuild_from_store()
        return engine

    @classmethod
    def open(cls, path: str | Path, *, config: EngineConfig | None = None) -> MatchingEngine:
        """Load the engine in ``path`` if there is one, else start a new one there."""
        if (Path(path) / "config.json").exists():
            return cls.load(path)
        return cls(config=config, path=path)

    def _rebuild_from_store(self) -> None:
        """Fill the in-memory sides from the store and make the indexes agree with it.

        Records written after the last save (the store commits every write at once) are
        embedded again from the cache, so a restart after a crash loses nothing.
        """
        sides: list[tuple[Side[Any], VectorIndex, list[tuple[int, Any]], Any]] = [
            (self._jobs, self._job_index, list(self._store.iter_jobs()), job_text),
            (
                self._candidates,
                self._candidate_index,
                list(self._store.iter_candidates()),
                candidate_text,
            ),
        ]
        for side, index, rows, text_of in sides:
            for key, record in rows:
                side.put(key, record)
            stored = np.asarray(sorted(k for k, _ in rows), dtype=np.int64)
            indexed = index.ids
            extra = np.setdiff1d(indexed, stored)
            if len(extra):
                index.remove(extra, missing_ok=True)
            missing = np.setdiff1d(stored, indexed)
            if len(missing):
                by_key = dict(rows)
                texts = [text_of(by_key[int(k)]) for k in missing]  # type: ignore[arg-type]
                index.add(missing, self._encoder.encode(texts))

    def close(self) -> None:
        self._store.close()


# -- helpers ----------------------------------------------------------------------------------


def _coerce(record: Any, cls: Any, position: int) -> Any:
    if isinstance(record, cls):
        return record
    if not isinstance(record, Mapping):
        raise ValidationError(
            f"[{position}]",
            f"got {type(record).__name__}; a {cls.__name__} or a mapping is required",
        )
    try:
        return cls.from_dict(record)
    except ValidationError as exc:
        raise ValidationError(f"[{position}].{exc.field}", exc.message) from None


def _check_unique(ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            raise ValidationError(f"[{i}].id", f"{item!r} appears twice in one batch")
        seen.add(item)


def _without_sensitive(candidate: Candidate) -> Candidate:
    data = candidate.to_dict(include_sensitive=False)
    return Candidate.from_dict(data)


def _check_k(k: Any) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValidationError("k", f"got {k!r}; a positive integer is required")
    return int(k)


def _cover_groups(constraint: FairnessConstraint, groups: np.ndarray) -> FairnessConstraint:
    """Give groups the constraint does not name (``"unknown"``, say) their share of the pool.

    The named targets are scaled to what is left, so a missing attribute never makes a
    ranking fail and the named groups keep their relative targets.
    """
    targets = constraint.target_proportions
    if constraint.kind != "det_const_sort" or not targets:
        return constraint
    labels, counts = np.unique(groups.astype(str), return_counts=True)
    extra = {
        lab: c / len(groups) for lab, c in zip(labels, counts, strict=False) if lab not in targets
    }
    if not extra:
        return constraint
    covered = 1.0 - sum(extra.values())
    scaled = {g: p * covered for g, p in targets.items()}
    return dataclasses.replace(constraint, target_proportions={**scaled, **extra})


def _group_of(sensitive: Any, attribute: str) -> str:
    if attribute == "assisted":
        return "assisted" if sensitive.assisted else "not_assisted"
    value = getattr(sensitive, attribute)
    if value is None:
        return "unknown"
    return str(value).lower()


def _write_json_atomic(path: Path, payload: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
