"""Hybrid retrieval: dense, lexical and (once events exist) collaborative sources, fused.

Each source ranks the items the hard filters allow; reciprocal-rank fusion (Cormack et al.,
SIGIR 2009: score = sum of 1 / (k + rank) over the sources that rank an item) merges them into
the one candidate list the ranker sees. A source that finds nothing simply adds nothing.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from matching.features import TokenCounts

__all__ = ["RRF_K", "LexicalIndex", "fuse"]

#: The constant of reciprocal-rank fusion (60, as in the paper).
RRF_K = 60

# Postings whose BM25 weights are kept between queries (float32, 4 bytes each: 64 MB, and as
# much again for their slots once documents have been removed); the terms queried least
# recently are let go first.
_WEIGHTS_HELD = 1 << 24


def fuse(rankings: Sequence[np.ndarray], depth: int, *, k: int = RRF_K) -> np.ndarray:
    """Reciprocal-rank fusion of ranked key arrays, best first, at most ``depth`` keys.

    Ties (the same fused score) keep the order of first appearance, source by source.

    Examples
    --------
    >>> fuse([np.array([1, 2, 3]), np.array([3, 4])], depth=3).tolist()
    [3, 1, 2]
    """
    arrays = [np.asarray(ranked, dtype=np.int64).ravel() for ranked in rankings]
    if not arrays or not sum(len(a) for a in arrays):
        return np.zeros(0, dtype=np.int64)
    keys = np.concatenate(arrays)
    shares = np.concatenate(
        [1.0 / (k + np.arange(1, len(a) + 1, dtype=np.float64)) for a in arrays]
    )
    distinct, first, slot = np.unique(keys, return_index=True, return_inverse=True)
    # summed source by source, in the order the shares come, as one running total per key
    scores = np.bincount(slot.ravel(), weights=shares, minlength=len(distinct))
    order = np.lexsort((first, -scores))[:depth]
    return distinct[order]


class _Growing:
    """A numpy array that grows by doubling, so appending one value costs O(1) on average."""

    __slots__ = ("_data", "n")

    def __init__(self, dtype: Any, capacity: int = 4) -> None:
        self._data = np.zeros(capacity, dtype=dtype)
        self.n = 0

    def append(self, value: Any) -> None:
        if self.n == len(self._data):
            grown = np.zeros(2 * len(self._data), dtype=self._data.dtype)
            grown[: self.n] = self._data
            self._data = grown
        self._data[self.n] = value
        self.n += 1

    def __setitem__(self, index: int, value: Any) -> None:
        self._data[index] = value

    def view(self) -> np.ndarray:
        """The values so far (a view: later appends may or may not show in it)."""
        return self._data[: self.n]


class _Postings:
    """BM25 postings that take added, changed and removed documents without a rebuild.

    Scores are those of :class:`~matching.retrieval.bm25.BM25` (the Lucene form, ``k1`` 1.5,
    ``b`` 0.75), computed at query time from per-term postings, the live documents' lengths
    and their count, so a write costs the new document's postings only. Postings and per-slot
    values are kept in growing numpy arrays, so nothing is copied from Python lists on a read.
    """

    K1 = 1.5
    B = 0.75

    def __init__(self) -> None:
        self.docs: list[TokenCounts] = []
        self._keys = _Growing(np.int64, 1024)
        self._lengths = _Growing(np.float64, 1024)
        self._alive = _Growing(bool, 1024)
        self.slot_of: dict[int, int] = {}
        self.terms: dict[str, tuple[_Growing, _Growing]] = {}
        self.n_alive = 0
        self.total_length = 0.0
        # (len(docs), n_alive, total_length) and each slot's length normaliser at them
        self._norm: tuple[tuple[int, int, float], np.ndarray] | None = None
        # per queried term, its live slots and their weights (idf times the saturated term
        # frequency), as of the documents of ``_weights_state``
        self._weights: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._weights_state: tuple[int, int, float] | None = None
        self._weights_size = 0

    def add(self, key: int, doc: TokenCounts) -> None:
        if key in self.slot_of:
            self.remove(key)
        slot = len(self.docs)
        self.docs.append(doc)
        self._keys.append(key)
        length = float(sum(count for _, count in doc))
        self._lengths.append(length)
        self._alive.append(True)
        self.slot_of[key] = slot
        for token, count in doc:
            posting = self.terms.get(token)
            if posting is None:
                # slot numbers and counts fit 32 bits: half the memory of 64
                posting = self.terms[token] = (_Growing(np.int32), _Growing(np.float32))
            posting[0].append(slot)
            posting[1].append(count)
        self.n_alive += 1
        self.total_length += length

    def _state(self) -> tuple[int, int, float]:
        """What a document write changes: slots, live documents, their total length."""
        return (len(self.docs), self.n_alive, self.total_length)

    def _normaliser(self) -> np.ndarray:
        """``k1 (1 - b + b length / mean length)`` of every slot, kept until documents change."""
        state = self._state()
        if self._norm is None or self._norm[0] != state:
            mean = self.total_length / self.n_alive
            norm = self.K1 * (1 - self.B + self.B * self._lengths.view() / mean)
            self._norm = (state, norm)
        return self._norm[1]

    def remove(self, key: int) -> None:
        slot = self.slot_of.pop(key)
        self._alive[slot] = False
        self.n_alive -= 1
        self.total_length -= float(self._lengths.view()[slot])

    @property
    def n_dead(self) -> int:
        return len(self.docs) - self.n_alive

    def key_array(self) -> np.ndarray:
        """The store key of every slot (a view: a slot's key never changes once written)."""
        return self._keys.view()

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """Score of every slot (dead ones 0) for the distinct ``terms``.

        A term's weights are worked out on its first query and kept until the documents
        change, so the common words of many queries are not weighed again for each.
        """
        if not self.n_alive:
            return np.zeros(len(self.docs), dtype=np.float64)
        state = self._state()
        if self._weights_state != state:
            self._weights.clear()
            self._weights_state, self._weights_size = state, 0
        found = []
        for term in dict.fromkeys(terms):
            held = self._weights.get(term)
            if held is None:
                held = self._term_weights(term)
                if held is None:
                    continue
                self._hold(term, held)
            else:
                self._weights.move_to_end(term)
            found.append(held)
        if not found:
            return np.zeros(len(self.docs), dtype=np.float64)
        # one summing pass over every term's postings, in term order as a loop of adds would
        slots = np.concatenate([f[0] for f in found])
        weights = np.concatenate([f[1] for f in found])
        return np.bincount(slots, weights, minlength=len(self.docs))

    def _term_weights(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The live slots of ``term`` and their BM25 weights, None where it has none."""
        posting = self.terms.get(term)
        if posting is None:
            return None
        slots, tf = posting[0].view(), posting[1].view()
        if self.n_dead:
            live = self._alive.view()[slots]
            slots, tf = slots[live], tf[live]
        if not slots.size:
            return None
        df = slots.size
        idf = math.log(1 + (self.n_alive - df + 0.5) / (df + 0.5))
        norm = self._normaliser()
        return slots, (idf * (tf / (tf + norm[slots]))).astype(np.float32)

    def _hold(self, term: str, held: tuple[np.ndarray, np.ndarray]) -> None:
        size = len(held[0])
        if size > _WEIGHTS_HELD:
            return
        while self._weights and self._weights_size + size > _WEIGHTS_HELD:
            _, (let_go, _) = self._weights.popitem(last=False)
            self._weights_size -= len(let_go)
        self._weights[term] = held
        self._weights_size += size


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
    changes : callable, optional
        ``changes(version)``: the ``(key, token counts)`` put since an earlier ``version``
        (``None`` counts for a removed key), oldest first, or None when they are not known;
        with it a write costs only its own documents, not a pass over the side.
    """

    def __init__(
        self,
        documents: Callable[[], tuple[list[int], list[TokenCounts]]],
        version: Callable[[], Any],
        changes: Callable[[Any], list[tuple[int, TokenCounts | None]] | None] | None = None,
    ) -> None:
        self._documents = documents
        self._version = version
        self._changes = changes
        self._lock = threading.Lock()
        self._postings = _Postings()
        self._built_version: Any = object()

    def _index(self) -> _Postings:
        version = self._version()
        with self._lock:
            if self._built_version != version:
                postings = self._postings
                changed = None
                if self._changes is not None and postings.n_dead <= max(1000, postings.n_alive):
                    changed = self._changes(self._built_version)
                if changed is not None:
                    for key, doc in changed:
                        if doc is None:
                            if key in postings.slot_of:
                                postings.remove(key)
                        else:
                            postings.add(key, doc)
                    self._built_version = version
                    return postings
                keys, docs = self._documents()
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

    def top(
        self, query: Iterable[tuple[str, int]], allowed: np.ndarray | None, n: int
    ) -> np.ndarray:
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
