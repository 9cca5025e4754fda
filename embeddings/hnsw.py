"""The HNSW graph index (FAISS ``IndexHNSWFlat``): approximate, fast on large collections.

An HNSW graph cannot delete, so a removal or an update of an existing id marks it stale and it
is rebuilt from the mirror on the next search; batch such changes.
"""

from __future__ import annotations

from typing import Any

import faiss
import numpy as np

from ._validation import check_int
from .index import VectorIndex, register_kind

__all__ = ["HNSWIndex"]


@register_kind
class HNSWIndex(VectorIndex):
    """Approximate cosine top-k over ``IndexIDMap(IndexHNSWFlat)``.

    Parameters
    ----------
    dim : int
        Vector width.
    hnsw_m : int, default 32
        Graph degree.
    ef_search : int, default 128
        Search beam width; raised to ``k`` when smaller.
    """

    kind = "hnsw"

    def __init__(self, dim: int, *, hnsw_m: int = 32, ef_search: int = 128) -> None:
        super().__init__(dim)
        self._hnsw_m = check_int(hnsw_m, "hnsw_m", minimum=2)
        self._ef_search = check_int(ef_search, "ef_search")
        self._faiss = self._new()

    def _new(self) -> Any:
        graph = faiss.IndexHNSWFlat(self._dim, self._hnsw_m, faiss.METRIC_INNER_PRODUCT)
        return faiss.IndexIDMap(graph)

    def _faiss_add(self, ids: np.ndarray, vectors: np.ndarray, existing: np.ndarray) -> None:
        if existing.any():
            self._stale = True
            return
        self._faiss.add_with_ids(vectors, ids)

    def _faiss_remove(self, ids: np.ndarray) -> None:
        self._stale = True

    def _refresh(self) -> None:
        if self._stale:
            self._faiss = self._new()
            self._faiss.add_with_ids(self._store.vectors, self._store.ids)
            self._stale = False

    def _search_parameters(self, k: int) -> Any:
        # A SearchParametersHNSW carries its own efSearch (default 16): always set it.
        params = faiss.SearchParametersHNSW()  # type: ignore[attr-defined]  # SWIG class mypy cannot see
        params.efSearch = max(self._ef_search, k)
        return params

    def _settings(self) -> dict[str, Any]:
        return {"hnsw_m": self._hnsw_m, "ef_search": self._ef_search}
