"""What the event log says about a pair: popularity, activity, collaborative and neighbour signals.

Every signal is computed from a :class:`~matching.interactions.log.Snapshot` with the pair's
own events left out, so a pair's label can never reach its features, and a training pair (whose
snapshot holds only what came before it) reads the same quantities a live request reads. With
nothing visible every signal is NaN: "no history", which the trained model routes as missing.

Signals read events and profile embeddings only; sensitive attributes are not an input.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np
from scipy import sparse

from matching.interactions.log import Snapshot

__all__ = ["HISTORY_SIGNALS", "NEIGHBOURS", "history_signals"]

#: Column names of :func:`history_signals`, in order.
HISTORY_SIGNALS: tuple[str, ...] = (
    "job_engagement",
    "job_applications",
    "job_outcomes",
    "job_apply_rate",
    "remaining_headcount",
    "candidate_activity",
    "collaborative",
    "similar_candidates",
    "history_similarity",
    "applicant_similarity",
)
#: How many most similar engaged candidates the neighbour signal reads.
NEIGHBOURS = 20
# Prior weight of the pool's apply rate in a job's smoothed apply rate (in pairs).
_RATE_PRIOR = 5.0

Vectors = Callable[[np.ndarray], np.ndarray]


def _relative_log(per_job: np.ndarray, job: np.ndarray, own: np.ndarray) -> np.ndarray:
    # log of (count + 1) over (mean count + 1): 0 for an average job, whatever the log's size
    # the pair's own part is taken out of the pool's total too
    mean = (per_job.sum() - own) / max(len(per_job), 1)
    return np.log1p(np.maximum(per_job[job] - own, 0.0)) - np.log1p(np.maximum(mean, 0.0))


def history_signals(
    snap: Snapshot,
    cand: np.ndarray,
    job: np.ndarray,
    *,
    candidate_vectors: Vectors,
    job_vectors: Vectors,
    headcount: np.ndarray,
) -> np.ndarray:
    """The :data:`HISTORY_SIGNALS` of aligned pairs ``(cand[i], job[i])`` (log positions).

    Parameters
    ----------
    snap : Snapshot
        What may be seen.
    cand, job : ndarray of int, shape (n,)
        Positions of each pair's candidate and job in the snapshot's log.
    candidate_vectors, job_vectors : callable
        Unit embeddings of candidates / jobs by log position, of shape (m, dim).
    headcount : ndarray of shape (n,)
        Openings of each pair's job.

    Returns
    -------
    ndarray of shape (n, len(HISTORY_SIGNALS)), float32
    """
    n = len(cand)
    out = np.full((n, len(HISTORY_SIGNALS)), np.nan, dtype=np.float32)
    if snap.empty or n == 0:
        return out
    cand = np.asarray(cand, dtype=np.int64)
    job = np.asarray(job, dtype=np.int64)
    own = snap.pair_index(cand, job)
    own_grade = np.where(own >= 0, snap.pair_grade[np.maximum(own, 0)], 0).astype(np.int64)
    own_decay = np.where(own >= 0, snap.pair_decay[np.maximum(own, 0)], 0.0)
    engaged = own_grade >= 1
    out[:, 0] = _relative_log(snap.job_engagement, job, own_decay)
    out[:, 1] = _relative_log(snap.job_applications, job, own_decay * (own_grade >= 2))
    out[:, 2] = _relative_log(snap.job_outcomes, job, own_decay * (own_grade >= 3))
    n_eng, n_app = snap.job_pairs
    own_app = (own_grade >= 2).astype(np.float64)
    prior = (n_app.sum() - own_app) / np.maximum(n_eng.sum() - engaged, 1.0)
    out[:, 3] = (n_app[job] - own_app + _RATE_PRIOR * prior) / (n_eng[job] - engaged + _RATE_PRIOR)
    hires = snap.job_hires[job] - (own_grade == 5)
    heads = np.maximum(np.asarray(headcount, dtype=np.float64), 1.0)
    out[:, 4] = np.clip((heads - hires) / heads, 0.0, 1.0)
    out[:, 5] = np.log1p(np.maximum(snap.candidate_pairs[cand] - engaged, 0.0))
    out[:, 6] = _collaborative(snap, cand, job, engaged)
    out[:, 7] = _similar_candidates(snap, cand, job, candidate_vectors)
    out[:, 8] = _history_similarity(snap, cand, job, job_vectors)
    out[:, 9] = _applicant_similarity(snap, cand, job, candidate_vectors)
    return out


def _rows_by(values: np.ndarray) -> dict[int, np.ndarray]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i, v in enumerate(values.tolist()):
        groups[v].append(i)
    return {k: np.asarray(v, dtype=np.int64) for k, v in groups.items()}


def _collaborative(
    snap: Snapshot, cand: np.ndarray, job: np.ndarray, engaged: np.ndarray
) -> np.ndarray:
    """Mean item-to-item cosine between the job and the candidate's other engaged jobs.

    Co-occurrences are counted without the candidate, so their own pairs never support each
    other: for a history job h, cos(h, j) = (C[h, j] - e) / sqrt((n_h - 1)(n_j - e)), where C
    counts the candidates who engaged both, n the candidates of each job, and e = 1 when the
    candidate engaged j too.
    """
    co = snap.cooccurrence
    norms = snap.job_counts
    w = np.divide(1.0, np.sqrt(np.maximum(norms - 1, 0)), out=np.zeros_like(norms),
                  where=norms > 1)  # fmt: skip
    rows = snap.engaged
    users, local = np.unique(cand, return_inverse=True)
    history = rows[users]
    # S = sum over the history of w_h * C[h, j], for every (user, job) at once
    weighted = sparse.csr_matrix(history.multiply(w[None, :]))
    spread = sparse.csr_matrix(weighted @ co)
    total = _lookup(spread, local, job)
    w_sum = np.asarray(weighted.sum(axis=1)).ravel()[local]
    count = np.asarray(history.sum(axis=1)).ravel()[local] - engaged
    e = engaged.astype(np.float64)
    # the candidate's own pair with j is not a history item; the -e of every other term
    own_term = e * w[job] * norms[job]
    s = total - own_term - e * (w_sum - e * w[job])
    denom = np.sqrt(np.maximum(norms[job] - e, 0.0)) * np.maximum(count, 1)
    value = np.divide(s, denom, out=np.zeros_like(s), where=denom > 0)
    return np.where(count > 0, value, np.nan)


def _lookup(matrix: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``matrix[rows[i], cols[i]]`` for every i, vectorised (0 where not stored)."""
    matrix.sort_indices()
    n_cols = matrix.shape[1]
    row_of = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    keys = row_of * n_cols + matrix.indices
    query = np.asarray(rows, dtype=np.int64) * n_cols + np.asarray(cols, dtype=np.int64)
    if not len(keys):
        return np.zeros(len(query))
    idx = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return np.where(keys[idx] == query, matrix.data[idx], 0.0).astype(np.float64)


def _similar_candidates(
    snap: Snapshot, cand: np.ndarray, job: np.ndarray, candidate_vectors: Vectors
) -> np.ndarray:
    """How strongly the candidates most like this one engaged with the job (similarity-weighted)."""
    out = np.full(len(cand), np.nan)
    pool = snap.engaged_candidates
    if not len(pool):
        return out
    users, local = np.unique(cand, return_inverse=True)
    k = min(NEIGHBOURS, len(pool))
    known = snap.neighbours
    missing = np.asarray([u for u in users.tolist() if u not in known], dtype=np.int64)
    if len(missing):
        sims = candidate_vectors(missing) @ candidate_vectors(pool).T
        # a candidate is not their own neighbour (the pool is sorted: one binary search each)
        at = np.minimum(np.searchsorted(pool, missing), len(pool) - 1)
        own = np.flatnonzero(pool[at] == missing)
        sims[own, at[own]] = -np.inf
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        found = np.clip(np.take_along_axis(sims, top, axis=1), 0.0, None)  # -inf -> 0
        for user, row, weight in zip(missing.tolist(), pool[top], found, strict=True):
            known[user] = (row, weight)
    neighbours = np.stack([known[u][0] for u in users.tolist()])
    weights = np.stack([known[u][1] for u in users.tolist()])
    total = weights.sum(axis=1)
    gains = snap.pair_gain(neighbours[local].ravel(), np.repeat(job, k)).reshape(-1, k)
    value = (weights[local] * gains).sum(axis=1)
    return np.where(total[local] > 0, value / np.maximum(total[local], 1e-12), np.nan)


#: Pairs an item needs on average for :func:`_max_similarity` to take one product per item.
PAIRS_PER_ITEM_BLOCK = 8


def _history_similarity(
    snap: Snapshot, cand: np.ndarray, job: np.ndarray, job_vectors: Vectors
) -> np.ndarray:
    """The largest similarity of the job to another job the candidate engaged with."""
    return _max_similarity(job, cand, snap.engaged, job_vectors)


def _applicant_similarity(
    snap: Snapshot, cand: np.ndarray, job: np.ndarray, candidate_vectors: Vectors
) -> np.ndarray:
    """The largest similarity of the candidate to another candidate who engaged with the job."""
    return _max_similarity(cand, job, snap.engaged_by_job, candidate_vectors)


def _max_similarity(
    query: np.ndarray,
    item: np.ndarray,
    lists: sparse.csr_matrix | sparse.csc_matrix,
    vectors: Vectors,
) -> np.ndarray:
    """The largest similarity of each pair's query to the others listed for its item.

    For pair i: the max of ``vectors(query[i]) . vectors(o)`` over the positions ``o`` that
    ``lists`` holds for ``item[i]`` (by ``indptr``), ``o != query[i]``; NaN where none is.

    All pairs at once: the listed others are gathered into one flat array, and the
    similarities come from one product of the distinct queries with the distinct others (or,
    when that block would be much larger than the pairs need, one dot product per entry).
    When many pairs share an item (a cohort's lists: each graduate's retrieved jobs against
    the jobs they engaged with), one product per item instead: gathering a vector per entry
    would copy a vector for every (pair, other) of those lists.
    """
    n = len(query)
    out = np.full(n, np.nan)
    starts = lists.indptr[item].astype(np.int64)
    lengths = lists.indptr[item + 1].astype(np.int64) - starts
    total = int(lengths.sum())
    if total == 0:
        return out
    listed = np.flatnonzero(lengths)
    items = np.unique(item[listed])
    if len(items) * PAIRS_PER_ITEM_BLOCK <= len(listed):
        return _max_similarity_by_item(
            query[listed], item[listed], lists, vectors, items, out, listed
        )
    first = np.cumsum(lengths) - lengths
    pair = np.repeat(np.arange(n), lengths)
    other = lists.indices[np.repeat(starts - first, lengths) + np.arange(total)].astype(np.int64)
    mine = query[pair]
    queries, q_at = np.unique(query, return_inverse=True)
    others, o_at = np.unique(other, return_inverse=True)
    if len(queries) * len(others) <= 4 * total + 4096:
        sims = (vectors(queries) @ vectors(others).T)[q_at[pair], o_at]
    else:
        sims = np.einsum("ij,ij->i", vectors(mine), vectors(other))
    sims = np.where(other == mine, -np.inf, sims)
    has = lengths > 0
    best = np.maximum.reduceat(sims, first[has])
    out[has] = np.where(np.isfinite(best), best, np.nan)
    return out


def _max_similarity_by_item(
    query: np.ndarray,
    item: np.ndarray,
    lists: sparse.csr_matrix | sparse.csc_matrix,
    vectors: Vectors,
    items: np.ndarray,
    out: np.ndarray,
    at: np.ndarray,
) -> np.ndarray:
    """:func:`_max_similarity` as one product per item: its pairs' queries by its others.

    ``query`` and ``item`` are the pairs whose item lists someone (the others have no value
    and need no vector); ``at`` is where each of them goes in ``out``.
    """
    queries, q_at = np.unique(query, return_inverse=True)
    held = vectors(queries)
    order = np.argsort(item, kind="stable")
    bounds = np.searchsorted(item[order], items)
    ends = np.searchsorted(item[order], items, side="right")
    for it, lo, hi in zip(items.tolist(), bounds.tolist(), ends.tolist(), strict=True):
        rows = order[lo:hi]
        others = lists.indices[lists.indptr[it] : lists.indptr[it + 1]].astype(np.int64)
        sims = held[q_at[rows]] @ vectors(others).T
        sims[query[rows][:, None] == others[None, :]] = -np.inf
        best = sims.max(axis=1)
        out[at[rows]] = np.where(np.isfinite(best), best, np.nan)
    return out
