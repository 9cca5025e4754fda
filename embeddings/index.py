"""Cosine-similarity vector index with external int64 ids, upserts, removal and filtering.

:class:`VectorIndex` keeps every vector in a numpy mirror, the source of truth, next to the
FAISS structure: an HNSW graph (which cannot delete) is rebuilt from it after removals, an IVF
index searches it exactly until there are enough vectors to train on, and it backs an exact
fallback when a filtered approximate search comes back short.
"""

from __future__ import annotations

import os
import threading
from typing import Any, get_args

import numpy as np
from numpy.typing import ArrayLike

from ._index_format import IndexState, read_index, write_index
from ._search import (
    IndexKind,
    SearchResult,
    faiss_search,
    ivf_training_due,
    new_index,
    pad_results,
    train_ivf,
)
from ._store import VectorStore
from ._validation import (
    as_id_array,
    as_vector_matrix,
    check_choice,
    check_int,
    check_unique,
    l2_normalize_rows,
)
from .errors import IncompatibleFormatError, UnknownIdError

__all__ = ["IndexKind", "SearchResult", "VectorIndex"]

# An allowed_ids subset this small is searched exactly: at most a few MFLOP per query, never
# worse than approximate, and no filtered HNSW/IVF search running out of candidates.
_EXACT_SUBSET_MAX = 2048


class VectorIndex:
    """Inner-product (cosine) index over L2-normalised vectors with external int64 ids.

    Parameters
    ----------
    dim : int
        Vector width.
    kind : {"flat", "hnsw", "ivf"}, optional
        ``"flat"`` is exact; ``"hnsw"`` and ``"ivf"`` are approximate and faster on large
        collections.
    hnsw_m : int, optional
        HNSW graph degree (``kind="hnsw"`` only).
    ef_search : int, optional
        HNSW search beam width (``kind="hnsw"`` only); raised to ``k`` when smaller.
    nlist : int or None, optional
        Number of IVF lists (``kind="ivf"`` only). None picks ``sqrt(n)`` when training and
        retrains as the index grows.
    nprobe : int, optional
        IVF lists visited per query (``kind="ivf"`` only).

    Raises
    ------
    TypeError, ValueError
        If an argument has the wrong type or value.

    Notes
    -----
    Stored vectors and queries are L2-normalised on the way in (a zero vector stays zero), so
    scores are cosine similarities. An IVF index searches exactly until it holds
    ``39 * nlist`` vectors, then trains on the first search. An HNSW index is rebuilt on the
    first search after a removal or an update of an existing id, so batch such changes. All
    methods are thread-safe; searches on one index run one at a time.

    Examples
    --------
    >>> import numpy as np
    >>> index = VectorIndex(3)
    >>> index.add([10, 20], np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    >>> index.search(np.array([[1.0, 0.1, 0.0]]), k=3).ids
    array([[10, 20, -1]])
    """

    def __init__(
        self,
        dim: int,
        *,
        kind: IndexKind = "flat",
        hnsw_m: int = 32,
        ef_search: int = 128,
        nlist: int | None = None,
        nprobe: int = 16,
    ) -> None:
        self._dim = check_int(dim, "dim")
        check_choice(kind, "kind", get_args(IndexKind))
        self._kind: IndexKind = kind
        self._hnsw_m = check_int(hnsw_m, "hnsw_m", minimum=2)
        self._ef_search = check_int(ef_search, "ef_search")
        self._nlist = None if nlist is None else check_int(nlist, "nlist")
        self._nprobe = check_int(nprobe, "nprobe")
        self._store = VectorStore(self._dim)
        self._faiss: Any = None if kind == "ivf" else new_index(kind, dim, hnsw_m=hnsw_m)
        self._stale, self._trained_size = False, 0  # stale: rebuild FAISS from the mirror
        self._lock = threading.RLock()

    @property
    def dim(self) -> int:
        """Vector width."""
        return self._dim

    @property
    def kind(self) -> IndexKind:
        """``"flat"``, ``"hnsw"`` or ``"ivf"``."""
        return self._kind

    @property
    def ids(self) -> np.ndarray:
        """Sorted int64 array of the stored ids (a copy)."""
        with self._lock:
            return np.sort(self._store.ids)

    def __len__(self) -> int:
        return len(self._store)

    def __contains__(self, id_: object) -> bool:
        if isinstance(id_, bool) or not isinstance(id_, (int, np.integer)):
            return False
        return int(id_) in self._store

    def __repr__(self) -> str:
        return f"VectorIndex(dim={self._dim}, kind={self._kind!r}, size={len(self)})"

    def add(self, ids: ArrayLike, vectors: ArrayLike) -> None:
        """Insert vectors, replacing the vector of any id already present (upsert).

        Parameters
        ----------
        ids : array-like of int
            ``(n,)`` distinct non-negative ids.
        vectors : array-like of float
            ``(n, dim)``; rows are L2-normalised before storing.

        Raises
        ------
        TypeError
            If ``ids`` is not integer or ``vectors`` not numeric.
        ValueError
            If ``vectors`` is not ``(n, dim)`` or holds NaN/inf, the lengths differ, or an id
            is negative or repeated.

        Examples
        --------
        >>> index = VectorIndex(2)
        >>> index.add([7], [[3.0, 4.0]])
        >>> index.get_vectors([7])
        array([[0.6, 0.8]], dtype=float32)
        """
        ids = as_id_array(ids)
        matrix = as_vector_matrix(vectors, self._dim)
        if matrix.shape[0] != ids.shape[0]:
            raise ValueError(
                f"ids and vectors must have the same length; received {ids.shape[0]} ids and "
                f"{matrix.shape[0]} vectors"
            )
        check_unique(ids)
        matrix = l2_normalize_rows(matrix)
        with self._lock:
            existing = self._store.upsert(ids, matrix)
            if self._faiss is None or self._stale or not len(ids):
                return
            if existing.any():
                if self._kind == "hnsw":
                    self._stale = True
                    return
                self._faiss.remove_ids(ids[existing])
            self._faiss.add_with_ids(matrix, ids)

    def remove(self, ids: ArrayLike, *, missing_ok: bool = False) -> None:
        """Remove ids and their vectors.

        Parameters
        ----------
        ids : array-like of int
            Distinct ids to remove.
        missing_ok : bool, optional
            If True, ids not in the index are ignored.

        Raises
        ------
        UnknownIdError
            If an id is not in the index and ``missing_ok`` is False; nothing is removed.
        TypeError, ValueError
            If ``ids`` is malformed or repeats an id.

        Examples
        --------
        >>> index = VectorIndex(2)
        >>> index.add([1, 2], [[1.0, 0.0], [0.0, 1.0]])
        >>> index.remove([1, 99], missing_ok=True)
        >>> index.ids
        array([2])
        """
        ids = as_id_array(ids)
        check_unique(ids)
        with self._lock:
            present = self._store.rows(ids) >= 0
            if not missing_ok and not present.all():
                raise UnknownIdError(ids[~present], "ids")
            ids = ids[present]
            if not len(ids):
                return
            self._store.remove(ids)
            if self._faiss is None or self._stale:
                return
            if self._kind == "hnsw":
                self._stale = True
            else:
                self._faiss.remove_ids(ids)

    def get_vectors(self, ids: ArrayLike) -> np.ndarray:
        """Return the stored (normalised) vectors of ``ids``, in the order given.

        Parameters
        ----------
        ids : array-like of int
            Ids to look up; repeats are allowed.

        Returns
        -------
        numpy.ndarray
            float32 ``(len(ids), dim)`` copy.

        Raises
        ------
        UnknownIdError
            If an id is not in the index.

        Examples
        --------
        >>> index = VectorIndex(2)
        >>> index.add([5], [[0.0, 2.0]])
        >>> index.get_vectors([5, 5]).shape
        (2, 2)
        """
        ids = as_id_array(ids)
        with self._lock:
            rows = self._store.rows(ids)
            if (rows < 0).any():
                raise UnknownIdError(np.unique(ids[rows < 0]), "ids")
            return self._store.vectors[rows]

    def search(
        self, queries: ArrayLike, k: int, *, allowed_ids: ArrayLike | None = None
    ) -> SearchResult:
        """Find the ``k`` stored vectors most similar to each query.

        Parameters
        ----------
        queries : array-like of float
            ``(n_queries, dim)``; rows are L2-normalised first.
        k : int
            Results per query, ``>= 1``.
        allowed_ids : array-like of int, optional
            Restrict results to these ids; ids not in the index are ignored.

        Returns
        -------
        SearchResult
            ``ids`` int64 and ``scores`` float32, both ``(n_queries, k)``, by descending
            score, padded with -1 / -inf when fewer than ``k`` vectors qualify.

        Raises
        ------
        TypeError, ValueError
            If ``queries`` is not ``(n, dim)`` numeric and finite, ``k`` is not a positive
            int, or ``allowed_ids`` is malformed.

        Examples
        --------
        >>> index = VectorIndex(2, kind="hnsw")
        >>> index.add([1, 2, 3], [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
        >>> index.search([[1.0, 0.0]], k=2, allowed_ids=[2, 3]).ids
        array([[3, 2]])
        """
        queries = l2_normalize_rows(as_vector_matrix(queries, self._dim, "queries"))
        k = check_int(k, "k")
        allowed = None if allowed_ids is None else as_id_array(allowed_ids, "allowed_ids")
        with self._lock:
            self._refresh()
            store, rows = self._store, None
            if allowed is not None:
                allowed = np.unique(allowed)
                rows = store.rows(allowed)
                allowed, rows = allowed[rows >= 0], rows[rows >= 0]
            candidates = len(store) if rows is None else len(rows)
            if candidates == 0 or len(queries) == 0:
                return SearchResult(*pad_results(len(queries), k))
            if self._faiss is None or (allowed is not None and candidates <= _EXACT_SUBSET_MAX):
                return SearchResult(*store.exact_search(queries, k, rows))
            take = min(k, candidates)
            found_ids, found_scores = faiss_search(
                self._faiss,
                self._kind,
                queries,
                take,
                ef_search=self._ef_search,
                nprobe=self._nprobe,
                allowed_ids=allowed,
            )
            # HNSW and IVF can run out of candidates (few probed lists, selective filter);
            # such queries are answered exactly instead of returning fewer than k results.
            short = np.flatnonzero((found_ids >= 0).sum(axis=1) < take)
            if short.size:
                exact = store.exact_search(queries[short], take, rows)
                found_ids[short], found_scores[short] = exact
            out_ids, out_scores = pad_results(len(queries), k)
            out_ids[:, :take], out_scores[:, :take] = found_ids, found_scores
            return SearchResult(out_ids, out_scores)

    def _refresh(self) -> None:
        """Bring the FAISS structure up to date with the mirror before it is used."""
        n, vectors, ids = len(self._store), self._store.vectors, self._store.ids
        if self._kind == "ivf":
            trained = self._trained_size if self._faiss is not None else None
            nlist = ivf_training_due(n, self._nlist, trained)
            if nlist is not None:
                self._faiss = train_ivf(vectors, nlist)
                self._faiss.add_with_ids(vectors, ids)
                self._trained_size = n
        elif self._stale:
            self._faiss = new_index(self._kind, self._dim, hnsw_m=self._hnsw_m)
            self._faiss.add_with_ids(vectors, ids)
        self._stale = False

    def _settings(self) -> dict[str, Any]:
        names = ("dim", "kind", "hnsw_m", "ef_search", "nlist", "nprobe")
        return {name: getattr(self, f"_{name}") for name in names}

    def save(self, directory: str | os.PathLike[str]) -> None:
        """Write the index to ``directory`` atomically.

        Saves ``config.json``, ``.npy`` arrays and the FAISS structure itself, so a loaded
        HNSW/IVF index returns exactly the same results.

        Parameters
        ----------
        directory : str or os.PathLike
            Target directory; replaced if it already holds a saved artefact.

        Raises
        ------
        FileExistsError
            If ``directory`` exists, is not empty and is not a saved artefact.

        Examples
        --------
        >>> VectorIndex(8).save("/tmp/gradmatch-index")  # doctest: +SKIP
        """
        with self._lock:
            self._refresh()
            state = IndexState(self._settings(), self._store, self._faiss, self._trained_size)
            write_index(directory, state)

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> VectorIndex:
        """Read an index written by :meth:`save`.

        Parameters
        ----------
        directory : str or os.PathLike
            Directory written by :meth:`save`.

        Returns
        -------
        VectorIndex
            An index that returns the same search results as the saved one.

        Raises
        ------
        FileNotFoundError
            If the directory or one of its files is missing.
        IncompatibleFormatError
            If the directory is another kind of artefact, has an unsupported
            ``format_version``, or its files disagree with each other.

        Examples
        --------
        >>> index = VectorIndex.load("/tmp/gradmatch-index")  # doctest: +SKIP
        """
        state = read_index(directory)
        try:
            index = cls(**state.settings)
        except (TypeError, ValueError) as exc:
            raise IncompatibleFormatError(
                f"config.json in {str(directory)!r} has invalid index settings: {exc}"
            ) from exc
        index._store, index._faiss = state.store, state.faiss_index
        index._trained_size = state.trained_size
        # A flat/HNSW index is always saved with its FAISS file; rebuild if it was not.
        index._stale = state.faiss_index is None and index.kind != "ivf"
        return index
