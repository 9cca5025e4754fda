"""The inverted-file index (FAISS ``IndexIVFFlat`` with spherical k-means): approximate.

It searches the mirror exactly until it holds ``39 * nlist`` vectors, then trains on the first
search. With automatic ``nlist`` (``sqrt(n)`` lists) it retrains whenever it has grown four
times over the size it was trained at, so lists do not grow without bound.
"""

from __future__ import annotations

from typing import Any

import faiss
import numpy as np

from ._index_format import IndexState
from ._validation import check_int
from .index import VectorIndex, register_kind

__all__ = ["IVFIndex"]

# FAISS k-means wants at least this many training points per list.
_MIN_POINTS_PER_LIST = 39
_RETRAIN_GROWTH = 4


@register_kind
class IVFIndex(VectorIndex):
    """Approximate cosine top-k over ``IndexIVFFlat``.

    Parameters
    ----------
    dim : int
        Vector width.
    nlist : int or None, default None
        Number of lists; ``None`` picks ``sqrt(n)`` when training and retrains as it grows.
    nprobe : int, default 16
        Lists visited per query.
    """

    kind = "ivf"

    def __init__(self, dim: int, *, nlist: int | None = None, nprobe: int = 16) -> None:
        super().__init__(dim)
        self._nlist = None if nlist is None else check_int(nlist, "nlist")
        self._nprobe = check_int(nprobe, "nprobe")
        self._trained = 0

    def _faiss_add(self, ids: np.ndarray, vectors: np.ndarray, existing: np.ndarray) -> None:
        if existing.any():
            self._faiss.remove_ids(ids[existing])
        self._faiss.add_with_ids(vectors, ids)

    def _faiss_remove(self, ids: np.ndarray) -> None:
        self._faiss.remove_ids(ids)

    def _training_due(self, n: int) -> int | None:
        """Number of lists to (re)train with now, or None if it is not time yet."""
        lists = self._nlist if self._nlist is not None else max(1, int(np.sqrt(n)))
        if self._faiss is None:
            due = n >= _MIN_POINTS_PER_LIST * lists
        else:
            due = self._nlist is None and n >= _RETRAIN_GROWTH * self._trained
        return lists if due else None

    def _refresh(self) -> None:
        nlist = self._training_due(len(self._store))
        if nlist is not None:
            quantizer = faiss.IndexFlatIP(self._dim)
            index = faiss.IndexIVFFlat(quantizer, self._dim, nlist, faiss.METRIC_INNER_PRODUCT)
            # Centroids of unit vectors should themselves be unit vectors, or the
            # inner-product assignment favours long centroids over close ones.
            index.cp.spherical = True
            index.train(self._store.float_vectors())
            for ids, vectors in self._store.blocks():
                index.add_with_ids(vectors, ids)
            self._faiss, self._trained = index, len(self._store)
        self._stale = False

    def _search_parameters(self, k: int, share: float = 1.0) -> Any:
        params = faiss.SearchParametersIVF()
        # a filter leaves share of each probed list: probe as many more lists
        nprobe = int(np.ceil(self._nprobe / max(share, 1e-3)))
        params.nprobe = min(nprobe, self._faiss.nlist)
        return params

    def _settings(self) -> dict[str, Any]:
        return {"nlist": self._nlist, "nprobe": self._nprobe}

    def _trained_size(self) -> int:
        return self._trained

    def _restore(self, state: IndexState) -> None:
        super()._restore(state)
        # An IVF index without a structure is simply untrained; nothing is stale.
        self._stale = False
        self._trained = state.trained_size
