"""The HNSW graph index: approximate, fast on large collections.

FAISS ``IndexHNSWSQ`` with its vectors in float16, the values the mirror holds. An HNSW
graph cannot delete, so a removal or an update of an existing id marks it stale and it
is rebuilt from the mirror on the next search; batch such changes.
"""

from __future__ import annotations

from typing import Any

import faiss
import numpy as np

from ._search import Selector, faiss_search
from ._validation import check_int
from .index import VectorIndex, register_kind

__all__ = ["HNSWIndex"]


@register_kind
class HNSWIndex(VectorIndex):
    """Approximate cosine top-k over ``IndexIDMap(IndexHNSWSQ)`` with float16 vectors.

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
        # the graph's vectors in float16, the values the mirror holds
        half = faiss.ScalarQuantizer.QT_fp16
        metric = faiss.METRIC_INNER_PRODUCT
        # the SWIG stubs ask for a ScalarQuantizer where FAISS takes its QuantizerType
        graph = faiss.IndexHNSWSQ(self._dim, half, self._hnsw_m, metric)  # type: ignore[arg-type]
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
            for ids, vectors in self._store.blocks():
                self._faiss.add_with_ids(vectors, ids)
            self._stale = False

    # A filter that allows fewer than this share of the vectors is answered by an exact scan:
    # the graph's beam fills with vectors the filter refuses, and recall falls (at 15% of a
    # 100k pool and efSearch 300, 35 of 300 results came back).
    _approximate_min_share = 0.3

    def _search_parameters(self, k: int, share: float = 1.0) -> Any:
        # A SearchParametersHNSW carries its own efSearch (default 16): always set it.
        params = faiss.SearchParametersHNSW()  # type: ignore[attr-defined]  # SWIG class mypy cannot see
        # a filter refuses 1 - share of the vectors the beam meets: widen it as much
        params.efSearch = int(np.ceil(max(self._ef_search, k) / max(share, 1e-3)))
        return params

    def _exact_scan(self, queries: np.ndarray, k: int, allowed: Selector) -> Any:
        # the graph's own float16 vectors, by position; the id map gives each position's id
        id_map = self._faiss.id_map
        graph = faiss.downcast_index(self._faiss.index)
        storage = faiss.downcast_index(graph.storage)  # type: ignore[attr-defined]  # SWIG
        translated = faiss.IDSelectorTranslated(id_map, allowed.selector)
        params = faiss.SearchParameters()
        params.sel = translated
        labels = faiss.rev_swig_ptr(id_map.data(), id_map.size())
        found = faiss_search(storage, queries, k, params, labels=labels)
        del translated  # kept alive until here: params.sel does not own it
        return found

    def _settings(self) -> dict[str, Any]:
        return {"hnsw_m": self._hnsw_m, "ef_search": self._ef_search}
