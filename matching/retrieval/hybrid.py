"""Hybrid retrieval: dense, lexical and (once events exist) collaborative sources, fused.

Each source ranks the items the hard filters allow; reciprocal-rank fusion (Cormack et al.,
SIGIR 2009: score = sum of 1 / (k + rank) over the sources that rank an item) merges them into
the one candidate list the ranker sees. A source that finds nothing simply adds nothing.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from matching.features import TokenCounts

__all__ = ["RRF_K", "LexicalIndex", "fuse"]

#: The constant of reciprocal-rank fusion (60, as in the paper).
RRF_K = 60


def fuse(rankings: Sequence[np.ndarray], depth: int, *, k: int = RRF_K) -> np.ndarray:
    """Reciprocal-rank fusion of ranked key arrays, best first, at most ``depth`` keys.

    Ties (the same fused score) keep the order of first appearance, source by source.

    Examples
    --------
    >>> fuse([np.array([1, 2, 3]), np.array([3, 4])], depth=3).tolist()
    [3, 1, 2]
    """
    scores: dict[int, float] = {}
    for ranked in rankings:
        for rank, key in enumerate(np.asarray(ranked, dtype=np.int64).tolist(), start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
    order = sorted(scores, key=lambda key: -scores[key])  # sorted is stable
    return np.asarray(order[:depth], dtype=np.int64)


class _Postings:
    """BM25 postings that take added, changed and removed documents without a rebuild.

    Scores are those of :class:`~matching.retrieval.bm25.BM25` (the Lucene form, ``k1`` 1.5,
    ``b`` 0.75), computed at query time from per-term postings, the live documents' lengths
    and their count, so a write costs the new document's postings only.
    """

    K1 = 1.5
    B = 0.75

    def __init__(self) -> None:
        self.keys: list[int] = []
        self.docs: list[TokenCounts] = []
        self.lengths: list[float] = []
        self.alive: list[bool] = []
        self.slot_of: dict[int, int] = {}
        self.terms: dict[str, tuple[list[int], list[int]]] = {}
        self.n_alive = 0
        self.total_length = 0.0
        # numpy copies for scoring, made on first use after a change: a term's postings when
        # the term gets a document, the per-slot arrays when any document comes or goes
        self._term_arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._slot_arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def add(self, key: int, doc: TokenCounts) -> None:
        if key in self.slot_of:
            self.remove(key)
        slot = len(self.keys)
        self.keys.append(key)
        self.docs.append(doc)
        length = float(sum(count for _, count in doc))
        self.lengths.append(length)
        self.alive.append(True)
        self.slot_of[key] = slot
        for token, count in doc:
            slots, tfs = self.terms.setdefault(token, ([], []))
            slots.append(slot)
            tfs.append(count)
            self._term_arrays.pop(token, None)
        self.n_alive += 1
        self.total_length += length
        self._slot_arrays = None

    def remove(self, key: int) -> None:
        slot = self.slot_of.pop(key)
        self.alive[slot] = False
        self.n_alive -= 1
        self.total_length -= self.lengths[slot]
        self._slot_arrays = None

    @property
    def n_dead(self) -> int:
        return len(self.keys) - self.n_alive

    def key_array(self) -> np.ndarray:
        """The store key of every slot."""
        return self._slots()[0]

    def _slots(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Keys, liveness and BM25 length norms of every slot."""
        if self._slot_arrays is None:
            lengths = np.asarray(self.lengths, dtype=np.float64)
            mean = self.total_length / self.n_alive if self.n_alive else 1.0
            norm = self.K1 * (1 - self.B + self.B * lengths / mean)
            self._slot_arrays = (
                np.asarray(self.keys, dtype=np.int64),
                np.asarray(self.alive, dtype=bool),
                norm,
            )
        return self._slot_arrays

    def _term(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        arrays = self._term_arrays.get(term)
        if arrays is None:
            posting = self.terms.get(term)
            if posting is None:
                return None
            arrays = (
                np.asarray(posting[0], dtype=np.int64),
                np.asarray(posting[1], dtype=np.float64),
            )
            self._term_arrays[term] = arrays
        return arrays

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """Score of every slot (dead ones 0) for the distinct ``terms``."""
        out = np.zeros(len(self.keys), dtype=np.float64)
        if not self.n_alive:
            return out
        _, alive, norm = self._slots()
        for term in dict.fromkeys(terms):
            arrays = self._term(term)
            if arrays is None:
                continue
            slots, tf = arrays
            live = alive[slots]
            if not live.all():
                slots, tf = slots[live], tf[live]
            if not slots.size:
                continue
            df = slots.size
            idf = math.log(1 + (self.n_alive - df + 0.5) / (df + 0.5))
            out[slots] += idf * tf / (tf + norm[slots])
        return out


class LexicalIndex:
    """BM25 over one side's documents (store keys and token counts), kept up to date.

    When the documents change, only the added, changed and removed ones are applied (and the
    postings are rebuilt once half of their slots hold removed documents), so a write does not
    make the next read rebuild the whole index.

    Parameters
    ----------
    documents : callable
        ``(keys, token_counts)`` of every document of the side.
    version : callable
        Anything that changes whenever the documents change.
    """

    def __init__(
        self,
        documents: Callable[[], tuple[list[int], list[TokenCounts]]],
        version: Callable[[], Any],
    ) -> None:
        self._documents = documents
        self._version = version
        self._lock = threading.Lock()
        self._postings = _Postings()
        self._built_version: Any = object()

    def _index(self) -> _Postings:
        version = self._version()
        with self._lock:
            if self._built_version != version:
                keys, docs = self._documents()
                postings = self._postings
                if postings.n_dead > max(1000, postings.n_alive):
                    postings = self._postings = _Postings()
                current = dict(zip(keys, docs, strict=True))
                for key in [k for k in postings.slot_of if k not in current]:
                    postings.remove(key)
                for key, doc in current.items():
                    slot = postings.slot_of.get(key)
                    if slot is None or postings.docs[slot] != doc:
                        postings.add(key, doc)
                self._built_version = version
            return self._postings

    def top(self, query: TokenCounts, allowed: np.ndarray | None, n: int) -> np.ndarray:
        """Keys of the ``n`` best-scoring documents among ``allowed`` (all when None).

        Documents that share no word with the query are not returned.
        """
        postings = self._index()
        with self._lock:
            scores = postings.scores([t for t, _ in query])
            keys = postings.key_array()
        if allowed is not None:
            scores = np.where(np.isin(keys, allowed), scores, 0.0)
        hits = np.flatnonzero(scores > 0)
        if len(hits) > n:
            hits = hits[np.argpartition(-scores[hits], n - 1)[:n]]
        order = hits[np.lexsort((keys[hits], -scores[hits]))]
        return keys[order]
