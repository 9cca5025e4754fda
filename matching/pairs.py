"""Retrieval and pair scoring, the part of the engine shared by ranking, evaluation and training.

:class:`PairScoring` is a mixin of :class:`~matching.engine.MatchingEngine`: it reads the
engine's sides, indexes, feature space and scorers, and never writes them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from matching.features import FeatureSpace, widen_columns
from matching.scoring import transparent_inputs

if TYPE_CHECKING:
    from embeddings import VectorIndex
    from matching.records import Candidate, Job
    from matching.sides import Side
    from ranking import LambdaRankRanker, LinearScorer

__all__ = ["PairScoring"]


class PairScoring:
    """Retrieval, features and scores of (candidate, job) pairs."""

    _jobs: Side[Job]
    _candidates: Side[Candidate]
    _job_index: VectorIndex
    _candidate_index: VectorIndex
    _space: FeatureSpace
    _rankers: dict[str, LambdaRankRanker]
    _scales: dict[str, tuple[float, float]]
    _transparent: LinearScorer
    _transparent_max: float
    _reference: tuple[int, float]
    config: Any

    def _retrieve(
        self, index: VectorIndex, query: np.ndarray, allowed: Sequence[int], depth: int | None
    ) -> tuple[list[int], np.ndarray]:
        """Keys and cosine scores of the nearest ``depth`` items among ``allowed``."""
        n = min(depth or self.config.retrieval_depth, len(allowed))
        if n == 0:
            return [], np.zeros(0, dtype=np.float32)
        res = index.search(query, n, allowed_ids=np.asarray(allowed, dtype=np.int64))
        ids, scores = res.ids[0], res.scores[0]
        keep = ids >= 0
        return [int(i) for i in ids[keep]], scores[keep].astype(np.float32)

    def _reference_day(self) -> float:
        """The newest posting date of the whole store: the day freshness is measured from.

        One day for every request and for training, so a pair's features never depend on
        which other jobs happen to be ranked with it.
        """
        version, day = self._reference
        if version != self._jobs.version:
            posted = [
                p.posted
                for p in (self._jobs.profile(i) for i in self._jobs.ids())
                if not math.isnan(p.posted)
            ]
            day = max(posted) if posted else float("nan")
            self._reference = (self._jobs.version, day)
        return day

    def _pair_features(
        self, candidate_ids: Sequence[str], job_ids: Sequence[str], semantic: np.ndarray
    ) -> np.ndarray:
        """Feature rows of aligned pairs, of shape (n, len(FEATURE_NAMES))."""
        cprofiles = [self._candidates.profile(c) for c in candidate_ids]
        jprofiles = [self._jobs.profile(j) for j in job_ids]
        if candidate_ids:
            ctf = self._candidates.tfidf_rows(candidate_ids)
            jtf = self._jobs.tfidf_rows(job_ids)
            width = max(ctf.shape[1], jtf.shape[1])
            rowwise = widen_columns(ctf, width).multiply(widen_columns(jtf, width)).sum(axis=1)
            lexical = np.asarray(rowwise, dtype=np.float32).ravel()
        else:
            lexical = np.zeros(0, dtype=np.float32)
        return self._space.pair_features(
            cprofiles, jprofiles, semantic, lexical, reference_day=self._reference_day()
        )

    def _semantic(self, candidate_ids: Sequence[str], job_ids: Sequence[str]) -> np.ndarray:
        """Cosine similarity of aligned pairs' stored vectors, of shape (n,)."""
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
        """Scores on a fixed relevance scale, the one the priority tolerance is measured on.

        For the transparent scorer 1.0 is a perfect score (the sum of its weights); for a
        trained model 0 and 1 are the 1st and 99th percentiles of its scores on the training
        pairs. The scale does not depend on the other items of a list, and values are not
        clipped, so the order among the very best candidates stays the model's.
        """
        lo, hi = self._scales.get(direction, (0.0, self._transparent_max))
        return (scores.astype(np.float64) - lo) / max(hi - lo, 1e-12)
