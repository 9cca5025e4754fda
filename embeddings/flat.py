"""The exact index: every query scored against every stored vector (FAISS ``IndexFlatIP``).

It is the oracle the approximate kinds are tested against.
"""

from __future__ import annotations

from typing import Any

import faiss
import numpy as np

from .index import VectorIndex, register_kind

__all__ = ["FlatIndex"]


@register_kind
class FlatIndex(VectorIndex):
    """Exact cosine top-k over ``IndexIDMap(IndexFlatIP)``; deletes in place.

    Parameters
    ----------
    dim : int
        Vector width.

    Examples
    --------
    >>> import numpy as np
    >>> index = FlatIndex(3)
    >>> index.add([10, 20], np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    >>> index.search(np.array([[1.0, 0.1, 0.0]]), k=3).ids
    array([[10, 20, -1]])
    """

    kind = "flat"

    def __init__(self, dim: int) -> None:
        super().__init__(dim)
        self._faiss = self._new()

    def _new(self) -> Any:
        return faiss.IndexIDMap(faiss.IndexFlatIP(self._dim))

    def _faiss_add(self, ids: np.ndarray, vectors: np.ndarray, existing: np.ndarray) -> None:
        if existing.any():
            self._faiss.remove_ids(ids[existing])
        self._faiss.add_with_ids(vectors, ids)

    def _faiss_remove(self, ids: np.ndarray) -> None:
        self._faiss.remove_ids(ids)

    def _refresh(self) -> None:
        if self._stale:
            self._faiss = self._new()
            self._faiss.add_with_ids(self._store.vectors, self._store.ids)
            self._stale = False

    def _search_parameters(self, k: int) -> Any:
        return faiss.SearchParameters()

    def _settings(self) -> dict[str, Any]:
        return {}
