"""How far a pair's text similarity stands above each side's usual similarity.

A raw cosine means little on its own: one CV is close to every posting because it is long and
generic, another is far from all of them. What ranks well is how much *this* job stands out
among the jobs for *this* candidate, in standard deviations of that candidate's similarities;
and, as its mirror, how much this candidate stands out among the candidates for this job (which
also discounts generic texts that are close to everyone).

Each record's mean and standard deviation are measured against a reference sample of the other
side: up to :data:`REFERENCE_SIZE` records chosen by a stable hash of their ids, so the sample
does not depend on insertion order and barely moves as records are added. They are shrunk
towards the store-wide moments (of the two samples' pairs) by :data:`PRIOR_WEIGHT`
pseudo-records, so a small store still gives sensible values: with a handful of records the
standing is the pair's place among all the store's pairs. Like the IDF, these are store-wide
statistics: a pair's values never depend on which other items are ranked with it.

Measuring a record's moments costs a thousand similarities, so they are kept between reads,
and also across writes when the store can say what changed: a changed record's own moments
are measured again, and all of them (with the samples and the store-wide moments) once the
records put or dropped since they were measured reach :data:`REFRESH_SHARE` of the store, or
a record of a reference sample changes. Between refreshes a standing is read against the
store as it was a little earlier (at most one record in a hundred different). Without that,
every posting added to a store of 100,000 made the next request measure its 300 retrieved
jobs' moments again, about 90 ms.

The two lexical standings divide by the side's *typical* spread (the median of its sampled
records' standard deviations) rather than by each record's own. Word similarity is sparse:
most pairs share no rare word, so a short or plain text has a tiny spread of its own, and
dividing by it turned any one shared word into a standing of many deviations. Dense
similarities spread evenly, and keep each record's own deviation. On the real job views and
on the demo's free-text records alike this ranked better than each record's own spread
(``benchmarks/README.md``).
"""

from __future__ import annotations

import bisect
import hashlib
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from matching.features.lexical import distinct_ids

__all__ = [
    "PRIOR_WEIGHT",
    "REFERENCE_SIZE",
    "REFRESH_SHARE",
    "ReferenceSample",
    "Standing",
    "reference_sample",
]

#: Most records of a side that the moments of the other side's records are measured against.
REFERENCE_SIZE = 1000
#: How many pseudo-records of the store-wide moments each record's own moments are shrunk with.
PRIOR_WEIGHT = 10.0
#: Share of the store's records put or dropped since the moments were measured at which all
#: of them are measured again (see the module notes).
REFRESH_SHARE = 0.01
# The store-wide moments are read from this many records of each side's sample.
_GLOBAL_SIZE = 200


def _stable_hash(item_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(item_id.encode("utf-8"), digest_size=8).digest(), "big")


def reference_sample(ids: Sequence[str], size: int = REFERENCE_SIZE) -> list[str]:
    """The ``size`` ids with the smallest stable hash, in hash order.

    Examples
    --------
    >>> reference_sample(["a", "b", "c"], size=2) == reference_sample(["c", "b", "a"], size=2)
    True
    """
    if len(ids) <= size:
        return sorted(ids, key=_stable_hash)
    hashes = np.fromiter((_stable_hash(i) for i in ids), dtype=np.uint64, count=len(ids))
    chosen = np.argpartition(hashes, size - 1)[:size]
    return [ids[i] for i in chosen[np.argsort(hashes[chosen], kind="stable")]]


class ReferenceSample:
    """:func:`reference_sample` of a side, kept up to date from the side's changes.

    A new record joins the sample when its hash is among the smallest; only dropping a record
    of the sample (or changes the side no longer lists) makes it pass over every id again.

    Parameters
    ----------
    side : Side
        Anything with ``version``, ``ids()`` and ``changes_since(version)``.
    size : int
    """

    def __init__(self, side: Any, size: int = REFERENCE_SIZE) -> None:
        self._side = side
        self._size = size
        self._version: int | None = None
        self._sorted: list[tuple[int, str]] = []
        self._members: set[str] = set()

    def _rebuild(self) -> None:
        ids = reference_sample(self._side.ids(), self._size)
        self._sorted = [(_stable_hash(i), i) for i in ids]
        self._members = set(ids)

    def ids(self) -> list[str]:
        """The sample now, in hash order."""
        version = self._side.version
        if version == self._version:
            return [i for _, i in self._sorted]
        changes = None if self._version is None else self._side.changes_since(self._version)
        for change in changes or ():
            if change.dropped:
                if change.item_id in self._members:
                    changes = None  # the next smallest hash is not known: pass over every id
                    break
                continue
            if change.item_id in self._members:
                continue  # a record put again keeps its id, so its hash
            entry = (_stable_hash(change.item_id), change.item_id)
            if len(self._sorted) < self._size or entry < self._sorted[-1]:
                bisect.insort(self._sorted, entry)
                self._members.add(change.item_id)
                if len(self._sorted) > self._size:
                    self._members.discard(self._sorted.pop()[1])
        if changes is None:
            self._rebuild()
        self._version = version
        return [i for _, i in self._sorted]


# (candidate ids, job ids) -> similarity matrix of shape (len(candidates), len(jobs))
SimilarityMatrix = Callable[[Sequence[str], Sequence[str]], np.ndarray]


class Standing:
    """Moments of each record's similarities to the other side, and the standings they give.

    Parameters
    ----------
    candidate_ids, job_ids : callable
        The ids held on each side now.
    semantic, lexical : callable
        ``(candidate_ids, job_ids) -> matrix`` of the pairs' semantic and lexical similarity.
    version : callable
        Changes whenever a record or the lexical weights may have changed; the cached moments
        are dropped when it does.
    samples : mapping of str to callable, optional
        ``"candidates"`` and ``"jobs"``: the reference sample of each side now (such as
        :meth:`ReferenceSample.ids`); by default :func:`reference_sample` of all ids.
    changed : callable, optional
        ``changed(version)``: ``(side, id)`` of every record put or dropped since an earlier
        ``version``, or None when that is not known. With it (and ``size``) the moments are
        kept across writes, as the module notes say; without it every change drops them.
    size : callable, optional
        The number of records held on both sides now.
    """

    #: Column order of :meth:`standings`.
    COLUMNS = (
        "semantic_for_candidate",
        "semantic_for_job",
        "lexical_for_candidate",
        "lexical_for_job",
    )

    def __init__(
        self,
        *,
        candidate_ids: Callable[[], list[str]],
        job_ids: Callable[[], list[str]],
        semantic: SimilarityMatrix,
        lexical: SimilarityMatrix,
        version: Callable[[], object],
        samples: dict[str, Callable[[], list[str]]] | None = None,
        changed: Callable[[object], list[tuple[str, str]] | None] | None = None,
        size: Callable[[], int] | None = None,
    ) -> None:
        self._candidate_ids, self._job_ids = candidate_ids, job_ids
        self._sample_of = samples or {
            "candidates": lambda: reference_sample(candidate_ids()),
            "jobs": lambda: reference_sample(job_ids()),
        }
        self._semantic = semantic
        self._lexical = lexical
        self._version = version
        self._changed = changed if size is not None else None
        self._size = size
        self._seen: object = None
        # records put or dropped since the moments were last measured afresh
        self._drift = 0
        self._members: dict[str, set[str]] = {"candidates": set(), "jobs": set()}
        self._samples: dict[str, list[str]] = {}
        self._global = np.full(4, np.nan)
        # each side's typical lexical standard deviation: {"candidates": ..., "jobs": ...}
        self._lexical_spread: dict[str, float] = {"candidates": np.nan, "jobs": np.nan}
        # id -> (semantic mean, semantic variance, lexical mean, lexical variance)
        self._moments: dict[str, dict[str, np.ndarray]] = {"candidates": {}, "jobs": {}}
        # requests read together: the samples and moments are filled by one at a time
        self._lock = threading.Lock()

    def _kept_across(self, version: object) -> bool:
        """Whether the moments measured at ``self._seen`` still serve at ``version``.

        If so, the moments of the records changed in between are dropped.
        """
        if self._changed is None or self._size is None or self._seen is None:
            return False
        changes = self._changed(self._seen)
        if changes is None:
            return False
        drift = self._drift + len(changes)
        if drift >= REFRESH_SHARE * self._size():
            return False
        if any(item in self._members[side] for side, item in changes):
            return False  # the sample the moments were measured against has changed
        for side, item in changes:
            self._moments[side].pop(item, None)
        self._drift = drift
        return True

    def _refresh(self) -> None:
        version = self._version()
        if version != self._seen:
            kept = self._kept_across(version)
            self._seen = version
            if kept:
                return
            self._drift = 0
            self._samples = {side: sample() for side, sample in self._sample_of.items()}
            self._members = {side: set(ids) for side, ids in self._samples.items()}
            self._moments = {"candidates": {}, "jobs": {}}
            c, j = self._samples["candidates"][:_GLOBAL_SIZE], self._samples["jobs"][:_GLOBAL_SIZE]
            if c and j:
                sem = np.asarray(self._semantic(c, j), np.float64)
                lex = np.asarray(self._lexical(c, j), np.float64)
                self._global = np.asarray([sem.mean(), sem.var(), lex.mean(), lex.var()])
                # (where most sampled records share no word with any other, the store's own)
                overall = float(np.sqrt(lex.var()))
                self._lexical_spread = {
                    side: typical if typical > 1e-6 else overall
                    for side, typical in (
                        ("candidates", float(np.median(lex.std(axis=1)))),
                        ("jobs", float(np.median(lex.std(axis=0)))),
                    )
                }
            else:
                self._global = np.full(4, np.nan)
                self._lexical_spread = {"candidates": np.nan, "jobs": np.nan}

    def _fill(self, side: str, ids: Sequence[str]) -> None:
        cache = self._moments[side]
        missing = list(dict.fromkeys(i for i in ids if i not in cache))
        if not missing:
            return
        other = self._samples["jobs" if side == "candidates" else "candidates"]
        n, prior = float(len(other)), self._global
        for start in range(0, len(missing), 512):
            chunk = missing[start : start + 512]
            if not other:
                own = np.zeros((len(chunk), 4))
            elif side == "candidates":
                own = _moments(self._semantic(chunk, other), self._lexical(chunk, other))
            else:
                own = _moments(self._semantic(other, chunk).T, self._lexical(other, chunk).T)
            # means and variances, each shrunk towards the store-wide one
            shrunk = (n * own + PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT)
            for item_id, row in zip(chunk, shrunk, strict=True):
                cache[item_id] = row

    def measure_all(self) -> None:
        """Measure the moments of every record now (a server does this before it answers).

        Otherwise each record's are measured the first time it is ranked: at 100,000 jobs a
        request that retrieves 300 jobs nobody asked for before pays about 20 ms for them.
        """
        with self._lock:
            self._refresh()
            for side, ids in (("candidates", self._candidate_ids()), ("jobs", self._job_ids())):
                self._fill(side, ids)

    def standings(
        self,
        candidate_ids: Sequence[str],
        job_ids: Sequence[str],
        semantic: np.ndarray,
        lexical: np.ndarray,
    ) -> np.ndarray:
        """Standings of aligned pairs, of shape (n, 4), in the order of :attr:`COLUMNS`.

        Each is ``(similarity - mean) / std``: the mean of the named side's similarities to
        the other side's reference sample (shrunk towards the store's), and the standard
        deviation of those similarities for the semantic standings, the side's typical one for
        the lexical standings (see the module notes). NaN when the store has no spread.
        """
        n = len(candidate_ids)
        out = np.full((n, 4), np.nan, dtype=np.float32)
        with self._lock:
            self._refresh()
            if not n:
                return out
            self._fill("candidates", candidate_ids)
            self._fill("jobs", job_ids)
            cm = _gathered(self._moments["candidates"], candidate_ids)
            jm = _gathered(self._moments["jobs"], job_ids)
            spread = dict(self._lexical_spread)
        sem, lex = np.asarray(semantic, np.float64), np.asarray(lexical, np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            # (value, moments, column of the mean, the side's typical spread or None for own)
            for col, (value, moments, at, typical) in enumerate(
                (
                    (sem, cm, 0, None),
                    (sem, jm, 0, None),
                    (lex, cm, 2, spread["candidates"]),
                    (lex, jm, 2, spread["jobs"]),
                )
            ):
                std = np.sqrt(moments[:, at + 1]) if typical is None else np.full(n, typical)
                out[:, col] = (value - moments[:, at]) / np.where(std > 1e-6, std, np.nan)
        return out


def _gathered(held: dict[str, np.ndarray], ids: Sequence[str]) -> np.ndarray:
    """The rows ``held`` keeps for ``ids``, stacked (each distinct id's row read once)."""
    distinct, positions = distinct_ids(ids)
    return np.stack([held[i] for i in distinct])[positions]  # type: ignore[no-any-return]


def _moments(semantic: np.ndarray, lexical: np.ndarray) -> np.ndarray:
    """Rows of (semantic mean, variance, lexical mean, variance)."""
    sem, lex = np.asarray(semantic, np.float64), np.asarray(lexical, np.float64)
    return np.stack([sem.mean(1), sem.var(1), lex.mean(1), lex.var(1)], axis=1)
