"""Growable numpy mirror of ``id -> vector`` used as the source of truth by the vector index.

Vectors are held at half precision (float16, 2 bytes a number): unit vectors lose at most
2**-11 of each component, about 1e-3 of a cosine, and the mirror takes half the memory. They
are read back as float32. Live rows are kept contiguous (removal moves the last row into the
hole).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ._search import exact_search

__all__ = ["HALF", "VectorStore", "to_half_precision"]

#: The dtype vectors are held in.
HALF = np.float16
# Rows converted to float32 at a time when the whole mirror is read (exact search, rebuilds):
# 64k rows of 512 numbers are 128 MB.
_BLOCK_ROWS = 65_536


def to_half_precision(vectors: np.ndarray) -> np.ndarray:
    """float32 ``vectors`` rounded to the values float16 can hold (what the mirror keeps)."""
    return vectors.astype(HALF).astype(np.float32)


# Up to this many ids are looked up one by one; more go through the sorted ids.
_DICT_LOOKUPS = 256


class VectorStore:
    """Rows of half-precision vectors addressed by external int64 ids, read as float32.

    Methods take already-validated arrays: 1-D int64 ids and ``(n, dim)`` float32 matrices.
    """

    def __init__(self, dim: int) -> None:
        self._dim = dim
        self._row_of: dict[int, int] = {}
        # Rows [0, len(self)) are live; the rest is spare capacity so that many small
        # upserts do not copy everything each time.
        self._ids = np.zeros(0, dtype=np.int64)
        self._vectors = np.zeros((0, dim), dtype=HALF)
        # for looking up many ids at once, made on first use after a change: the row of every
        # id up to the largest (store keys are mostly dense), or the live ids sorted with rows
        self._table: np.ndarray | None = None
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def from_arrays(cls, ids: np.ndarray, vectors: np.ndarray) -> VectorStore:
        """Build a store from live arrays; raise ValueError if ``ids`` repeats an id."""
        store = cls(vectors.shape[1])
        store._ids, store._vectors = ids.copy(), vectors.astype(HALF)
        store._forget_lookup()
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
        """Live vectors in row order, float16 (a C-contiguous view)."""
        return self._vectors[: len(self._row_of)]

    def float_rows(self, rows: np.ndarray) -> np.ndarray:
        """The vectors of some rows as a float32 ``(len(rows), dim)`` array."""
        return self._vectors[rows].astype(np.float32)

    def blocks(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """``(ids, float32 vectors)`` of every live row, in row order, a block at a time."""
        for start in range(0, len(self), _BLOCK_ROWS):
            stop = min(start + _BLOCK_ROWS, len(self))
            yield self._ids[start:stop], self._vectors[start:stop].astype(np.float32)

    def float_vectors(self) -> np.ndarray:
        """Every live vector as one float32 array (a copy: twice the mirror's memory)."""
        return self.vectors.astype(np.float32)

    def rows(self, ids: np.ndarray) -> np.ndarray:
        """Row of each id, -1 for ids not stored."""
        if len(ids) <= _DICT_LOOKUPS:
            get = self._row_of.get
            return np.fromiter((get(i, -1) for i in ids.tolist()), np.int64, len(ids))
        # many ids (a filter's allowed set): read from a table of rows when the ids are dense
        # enough for one, else one binary search over the ids kept sorted
        live = self.ids
        if self._table is None and self._sorted is None:
            if len(live) and live.min() >= 0 and live.max() < 2 * len(live) + 1024:
                self._table = np.full(int(live.max()) + 1, -1, dtype=np.int64)
                self._table[live] = np.arange(len(live), dtype=np.int64)
            else:
                order = np.argsort(live, kind="stable")
                self._sorted = (live[order], order.astype(np.int64))
        if self._table is not None:
            inside = (ids >= 0) & (ids < len(self._table))
            if inside.all():
                return self._table[ids]
            return np.where(inside, self._table[np.where(inside, ids, 0)], -1)
        assert self._sorted is not None
        keys, order = self._sorted
        if not len(keys):
            return np.full(len(ids), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(keys, ids), len(keys) - 1)
        return np.where(keys[at] == ids, order[at], -1)

    def _forget_lookup(self) -> None:
        self._table = None
        self._sorted = None

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """Store ``vectors`` under distinct ``ids``; return the mask of ids that existed."""
        existing = self.rows(ids) >= 0
        size = len(self._row_of)
        new = ids[~existing]
        needed = size + len(new)
        if needed > len(self._ids):
            capacity = max(needed, 2 * len(self._ids), 16)
            grown_ids = np.zeros(capacity, dtype=np.int64)
            grown_vectors = np.zeros((capacity, self._dim), dtype=HALF)
            grown_ids[:size], grown_vectors[:size] = self.ids, self.vectors
            self._ids, self._vectors = grown_ids, grown_vectors
        self._ids[size:needed] = new
        if len(new):
            self._forget_lookup()
        self._row_of.update(zip(new.tolist(), range(size, needed), strict=True))
        self._vectors[self.rows(ids)] = vectors
        return existing

    def exact_search(
        self, queries: np.ndarray, k: int, rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Exact top-``k`` over all live rows, or only over ``rows``."""
        if rows is not None:
            return exact_search(self.float_rows(rows), self._ids[rows], queries, k)
        if len(self) <= _BLOCK_ROWS:
            return exact_search(self.float_vectors(), self.ids, queries, k)
        # block by block, each block's top k kept, then the top k of those
        found = [exact_search(vectors, ids, queries, k) for ids, vectors in self.blocks()]
        ids = np.concatenate([f[0] for f in found], axis=1)
        scores = np.concatenate([f[1] for f in found], axis=1)
        order = np.lexsort((np.where(ids < 0, np.iinfo(np.int64).max, ids), -scores), axis=1)
        keep = order[:, :k]
        return np.take_along_axis(ids, keep, axis=1), np.take_along_axis(scores, keep, axis=1)

    def remove(self, ids: np.ndarray) -> None:
        """Remove distinct ids, all of which must be stored."""
        self._forget_lookup()
        for id_ in ids.tolist():
            # Move the last live row into the hole so live rows stay contiguous.
            row, last = self._row_of.pop(id_), len(self._row_of)
            if row != last:
                moved = int(self._ids[last])
                self._ids[row] = moved
                self._vectors[row] = self._vectors[last]
                self._row_of[moved] = row
