"""Candidate sources from the event log: the items retrieval adds once events exist.

Each returns log positions, best first: popular jobs, the jobs that a candidate's most similar
peers engaged with, and for a job, the candidates who engaged with it or with the jobs most
like it. Like the signals, they read a :class:`~matching.interactions.log.Snapshot` only.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from matching.interactions.log import Snapshot
from matching.interactions.signals import NEIGHBOURS

__all__ = ["engaged_with_similar_jobs", "peer_jobs", "popular_jobs"]


class Vectors(Protocol):
    """Unit embeddings by log position (as :class:`~matching.interactions.LogVectors`)."""

    def __call__(self, positions: np.ndarray) -> np.ndarray: ...

    def similarities(self, positions: np.ndarray, query: np.ndarray) -> np.ndarray: ...


def _ranked(scores: np.ndarray, n: int) -> np.ndarray:
    hits = np.flatnonzero(scores > 0)
    if len(hits) > n:
        hits = hits[np.argpartition(-scores[hits], n - 1)[:n]]
    return hits[np.lexsort((hits, -scores[hits]))]


def popular_jobs(snap: Snapshot, n: int) -> np.ndarray:
    """The ``n`` jobs most engaged with, applications counting four times a view."""
    if snap.empty:
        return np.zeros(0, dtype=np.int64)
    return _ranked(snap.job_engagement + 3.0 * snap.job_applications, n)


def _nearest(pool: np.ndarray, sims: np.ndarray, skip: int) -> tuple:
    sims[pool == skip] = -np.inf
    k = min(NEIGHBOURS, int(np.isfinite(sims).sum()))
    if k == 0:
        return pool[:0], sims[:0]
    top = np.argpartition(-sims, k - 1)[:k]
    return pool[top], np.clip(sims[top], 0.0, None)


def peer_jobs(snap: Snapshot, cand: int, candidate_vectors: Vectors, n: int) -> np.ndarray:
    """The jobs engaged with by the candidates most like ``cand``, weighted by similarity."""
    pool = snap.engaged_candidates
    if snap.empty or not len(pool):
        return np.zeros(0, dtype=np.int64)
    query = candidate_vectors(np.asarray([cand]))[0]
    peers, weights = _nearest(pool, candidate_vectors.similarities(pool, query), cand)
    if not len(peers):
        return np.zeros(0, dtype=np.int64)
    scores = np.asarray(snap.gains[peers].T @ weights).ravel()
    return _ranked(scores, n)


def engaged_with_similar_jobs(snap: Snapshot, job: int, job_vectors: Vectors, n: int) -> np.ndarray:
    """Candidates who engaged with ``job`` itself or with the jobs most similar to it."""
    pool = snap.engaged_jobs
    if snap.empty or not len(pool):
        return np.zeros(0, dtype=np.int64)
    query = job_vectors(np.asarray([job]))[0]
    similar, weights = _nearest(pool, job_vectors.similarities(pool, query), job)
    columns = np.concatenate([[job], similar]).astype(np.int64)
    weights = np.concatenate([[1.0], weights])
    scores = np.asarray(snap.gains[:, columns] @ weights).ravel()
    return _ranked(scores, n)
