"""The HNSW graph index: approximate, fast on large collections.

FAISS ``IndexHNSWSQ`` with its vectors in float16, the values the mirror holds. An HNSW
graph cannot delete: a changed vector becomes a new node, a removed id's node stays, and
searches leave such superseded nodes out. Once they pile up the graph is rebuilt in a
background thread while searches go on over the old one (see :meth:`HNSWIndex.wait_rebuilt`).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import faiss
import numpy as np

from ._search import Selector, faiss_search, pad_results
from ._store import VectorStore
from ._validation import check_int
from .index import VectorIndex, register_kind

__all__ = ["HNSWIndex"]

_log = logging.getLogger(__name__)


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
        # graph nodes that no longer hold a stored id's current vector
        self._superseded = 0
        # the background rebuild, and the ids added or removed since it copied the mirror
        self._rebuild: threading.Thread | None = None
        self._touched: list[np.ndarray] = []

    def _new(self) -> Any:
        # the graph's vectors in float16, the values the mirror holds
        half = faiss.ScalarQuantizer.QT_fp16
        metric = faiss.METRIC_INNER_PRODUCT
        # the SWIG stubs ask for a ScalarQuantizer where FAISS takes its QuantizerType
        graph = faiss.IndexHNSWSQ(self._dim, half, self._hnsw_m, metric)  # type: ignore[arg-type]
        return faiss.IndexIDMap(graph)

    # A graph cannot drop a node. A changed vector is added as a new node and a removed id's
    # node stays; searches leave out such superseded nodes (an id no longer stored, or one
    # found twice), re-scoring what they keep from the mirror. The graph is rebuilt once
    # superseded nodes outnumber this many, or this share of the stored vectors. Rebuilding
    # 100k vectors takes seconds (minutes at 1M), which no reader should wait for: a thread
    # builds the new graph from a copy of the mirror while searches use the old one (FAISS
    # lets go of the interpreter while it builds), then adds the ids changed meanwhile and
    # swaps it in under the lock.
    _REBUILD_AFTER = 1000
    _REBUILD_SHARE = 0.05
    #: False: rebuild in the search that finds the threshold passed (as tests may want).
    rebuild_in_background = True
    # results asked for beyond k while nodes are superseded
    _SPARE = 32

    def _faiss_add(self, ids: np.ndarray, vectors: np.ndarray, existing: np.ndarray) -> None:
        self._faiss.add_with_ids(vectors, ids)
        self._supersede(ids, int(np.count_nonzero(existing)))

    def _faiss_remove(self, ids: np.ndarray) -> None:
        self._supersede(ids, len(ids))

    def _supersede(self, ids: np.ndarray, n: int) -> None:
        self._superseded += n
        if self._rebuild is not None:
            self._touched.append(ids.copy())
        elif self._superseded > max(self._REBUILD_AFTER, self._REBUILD_SHARE * len(self._store)):
            if self.rebuild_in_background:
                self._start_rebuild()
            else:
                self._stale = True

    def _refresh(self) -> None:
        if self._stale:
            self._faiss = self._graph_of(self._store)
            self._stale = False
            self._superseded = 0

    def _graph_of(self, store: VectorStore) -> Any:
        graph = self._new()
        for ids, vectors in store.blocks():
            graph.add_with_ids(vectors, ids)
        return graph

    def _start_rebuild(self) -> None:
        # called under the lock: the copy is of one consistent mirror
        snapshot = VectorStore.from_arrays(self._store.ids.copy(), self._store.vectors.copy())
        self._touched = []
        self._rebuild = threading.Thread(
            target=self._rebuild_from, args=(snapshot,), name="hnsw-rebuild", daemon=True
        )
        self._rebuild.start()

    def _rebuild_from(self, snapshot: VectorStore) -> None:
        try:
            graph = self._graph_of(snapshot)
        except Exception:  # the old graph still answers; the next search rebuilds in place
            _log.exception("background rebuild of the HNSW graph failed")
            with self._lock:
                self._rebuild, self._touched, self._stale = None, [], True
            return
        with self._lock:
            touched = np.unique(np.concatenate(self._touched)) if self._touched else None
            superseded = 0
            if touched is not None:
                rows = self._store.rows(touched)
                live = rows >= 0
                if live.any():
                    graph.add_with_ids(self._store.float_rows(rows[live]), touched[live])
                # a touched id the copy held has a node that is no longer current
                superseded = int(np.count_nonzero(snapshot.rows(touched) >= 0))
            self._faiss, self._superseded = graph, superseded
            self._rebuild, self._touched = None, []

    @property
    def rebuilding(self) -> bool:
        """Whether a background rebuild of the graph is under way."""
        with self._lock:
            return self._rebuild is not None

    def wait_rebuilt(self, timeout: float | None = None) -> bool:
        """Wait for a background rebuild to finish; True when none is under way any more."""
        with self._lock:
            thread = self._rebuild
        if thread is not None:
            thread.join(timeout)
        return not self.rebuilding

    def _spare(self, k: int) -> int:
        return min(self._superseded, self._SPARE) if self._superseded else 0

    def _current(
        self, queries: np.ndarray, ids: np.ndarray, scores: np.ndarray, k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        if not self._superseded:
            return ids[:, :k], scores[:, :k]
        out_ids, out_scores = pad_results(len(queries), k)
        for q in range(len(queries)):
            row = ids[q][ids[q] >= 0]
            row = row[np.sort(np.unique(row, return_index=True)[1])]  # first of each id
            rows = self._store.rows(row)
            row, rows = row[rows >= 0], rows[rows >= 0]  # ids removed since they were added
            found = self._store.float_rows(rows) @ queries[q]
            order = np.lexsort((row, -found))[:k]
            out_ids[q, : len(order)], out_scores[q, : len(order)] = row[order], found[order]
        return out_ids, out_scores

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
        # a saved graph is kept as it is, superseded nodes included, so it answers the same
        return {
            "hnsw_m": self._hnsw_m,
            "ef_search": self._ef_search,
            "superseded": self._superseded,
        }

    def _restore(self, state: Any) -> None:
        super()._restore(state)
        self._superseded = 0 if self._stale else int(state.settings.get("superseded", 0))
