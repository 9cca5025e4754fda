"""Growable numpy mirror of ``id -> vector`` used as the source of truth by the vector index.

Live rows are kept contiguous (removal moves the last row into the hole) so that
``vectors[:len(store)]`` can be handed to FAISS or to exact search without copying.
"""

from __future__ import annotations

import numpy as np

from ._search import exact_search

__all__ = ["VectorStore"]

# Up to this many ids are looked up one by one; more go through the sorted ids.
_DICT_LOOKUPS = 256


class VectorStore:
    """Rows of float32 vectors addressed by external int64 ids.

    Methods take already-validated arrays: 1-D int64 ids and ``(n, dim)`` float32 matrices.
    """

    def __init__(self, dim: int) -> None:
        self._dim = dim
        self._row_of: dict[int, int] = {}
        # Rows [0, len(self)) are live; the rest is spare capacity so that many small
        # upserts do not copy everything each time.
        self._ids = np.zeros(0, dtype=np.int64)
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        # (live ids sorted, their rows), made on first use after a change
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def from_arrays(cls, ids: np.ndarray, vectors: np.ndarray) -> VectorStore:
        """Build a store from live arrays; raise ValueError if ``ids`` repeats an id."""
        store = cls(vectors.shape[1])
        store._ids, store._vectors = ids.copy(), vectors.copy()
        store._sorted = None
        store._row_of = {id_: row for row, id_ in enumerate(ids.tolist())}
        if len(store._row_of) != len(ids):
            raise ValueError("ids repeat an id")
        return store

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, id_: int) -> bool:
        return id_ in self._row_of

    @property
    def ids(self) -> np.ndarray:
        """Live ids in row order (a view)."""
        return self._ids[: len(self._row_of)]

    @property
    def vectors(self) -> np.ndarray:
        """Live vectors in row order (a C-contiguous view)."""
        return self._vectors[: len(self._row_of)]

    def rows(self, ids: np.ndarray) -> np.ndarray:
        """Row of each id, -1 for ids not stored."""
        if len(ids) <= _DICT_LOOKUPS:
            get = self._row_of.get
            return np.fromiter((get(i, -1) for i in ids.tolist()), np.int64, len(ids))
        # many ids (a filter's allowed set): one binary search over the ids kept sorted
        if self._sorted is None:
            order = np.argsort(self.ids, kind="stable")
            self._sorted = (self.ids[order], order.astype(np.int64))
        keys, order = self._sorted
        if not len(keys):
            return np.full(len(ids), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(keys, ids), len(keys) - 1)
        return np.where(keys[at] == ids, order[at], -1)

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """Store ``vectors`` under distinct ``ids``; return the mask of ids that existed."""
        existing = self.rows(ids) >= 0
        size = len(self._row_of)
        new = ids[~existing]
        needed = size + len(new)
        if needed > len(self._ids):
            capacity = max(needed, 2 * len(self._ids), 16)
            grown_ids = np.zeros(capacity, dtype=np.int64)
            grown_vectors = np.zeros((capacity, self._dim), dtype=np.float32)
            grown_ids[:size], grown_vectors[:size] = self.ids, self.vectors
            self._ids, self._vectors = grown_ids, grown_vectors
        self._ids[size:needed] = new
        if len(new):
            self._sorted = None
        self._row_of.update(zip(new.tolist(), range(size, needed), strict=True))
        self._vectors[self.rows(ids)] = vectors
        return existing

    def exact_search(
        self, queries: np.ndarray, k: int, rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Exact top-``k`` over all live rows, or only over ``rows``."""
        if rows is None:
            return exact_search(self.vectors, self.ids, queries, k)
        return exact_search(self._vectors[rows], self._ids[rows], queries, k)

    def remove(self, ids: np.ndarray) -> None:
        """Remove distinct ids, all of which must be stored."""
        self._sorted = None
        for id_ in ids.tolist():
            # Move the last live row into the hole so live rows stay contiguous.
            row, last = self._row_of.pop(id_), len(self._row_of)
            if row != last:
                moved = int(self._ids[last])
                self._ids[row] = moved
                self._vectors[row] = self._vectors[last]
                self._row_of[moved] = row
