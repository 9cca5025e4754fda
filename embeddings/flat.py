"""The exact index: every query scored against every stored vector.

FAISS ``IndexScalarQuantizer`` over float16 vectors, the values the mirror holds. It is the
oracle the approximate kinds are tested against.
"""

from __future__ import annotations

from typing import Any

import faiss
import numpy as np

from ._search import Selector, faiss_search
from .index import VectorIndex, register_kind

__all__ = ["FlatIndex"]


@register_kind
class FlatIndex(VectorIndex):
    """Exact cosine top-k over ``IndexIDMap(IndexScalarQuantizer)``; deletes in place.

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
        # exact over the vectors at half precision, the values the mirror holds
        half = faiss.ScalarQuantizer.QT_fp16
        return faiss.IndexIDMap(
            faiss.IndexScalarQuantizer(self._dim, half, faiss.METRIC_INNER_PRODUCT)
        )

    def _faiss_add(self, ids: np.ndarray, vectors: np.ndarray, existing: np.ndarray) -> None:
        if existing.any():
            self._faiss.remove_ids(ids[existing])
        self._faiss.add_with_ids(vectors, ids)

    def _faiss_remove(self, ids: np.ndarray) -> None:
        self._faiss.remove_ids(ids)

    def _refresh(self) -> None:
        if self._stale:
            self._faiss = self._new()
            for ids, vectors in self._store.blocks():
                self._faiss.add_with_ids(vectors, ids)
            self._stale = False

    def _search_parameters(self, k: int, share: float = 1.0) -> Any:
        return faiss.SearchParameters()

    def _exact_scan(self, queries: np.ndarray, k: int, allowed: Selector) -> Any:
        return faiss_search(self._faiss, queries, k, faiss.SearchParameters(), allowed=allowed)

    def _settings(self) -> dict[str, Any]:
        return {}
