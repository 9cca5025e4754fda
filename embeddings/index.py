"""Cosine-similarity vector indexes with external int64 ids, upserts, removal and filtering.

:class:`VectorIndex` is the interface and the shared machinery; each kind is one class:
:class:`~embeddings.flat.FlatIndex` (exact, the oracle the others are tested against),
:class:`~embeddings.hnsw.HNSWIndex` and :class:`~embeddings.ivf.IVFIndex` (approximate, for
large collections). :func:`create_index` builds one by kind name and :meth:`VectorIndex.load`
reads any saved kind back.

Every index keeps its vectors in a numpy mirror at half precision (float16), the source of
truth, next to the FAISS structure: an HNSW graph (which cannot delete) is rebuilt from it
after removals, an IVF index searches it exactly until there are enough vectors to train on,
and it backs an exact fallback when a filtered approximate search comes back short.
"""

from __future__ import annotations

import abc
import inspect
import os
import threading
from typing import Any, ClassVar

import faiss
import numpy as np
from numpy.typing import ArrayLike

from ._index_format import IndexState, read_index, write_index
from ._search import (
    IndexKind,
    SearchResult,
    Selector,
    faiss_search,
    id_selector,
    in_score_order,
    pad_results,
)
from ._store import VectorStore, to_half_precision
from ._validation import (
    as_id_array,
    as_vector_matrix,
    check_choice,
    check_int,
    check_unique,
    l2_normalize_rows,
)
from .errors import IdNotFoundError, IncompatibleFormatError

__all__ = ["IndexKind", "SearchResult", "VectorIndex", "create_index"]

# An allowed_ids subset this small is searched exactly: at most a few MFLOP per query, never
# worse than approximate, and no filtered HNSW/IVF search running out of candidates.
_EXACT_SUBSET_MAX = 2048


class VectorIndex(abc.ABC):
    """Inner-product (cosine) index over L2-normalised vectors with external int64 ids.

    Parameters
    ----------
    dim : int
        Vector width.

    Notes
    -----
    Stored vectors and queries are L2-normalised on the way in (a zero vector stays zero), so
    scores are cosine similarities. All methods are thread-safe; searches on one index run
    one at a time. A kind provides its FAISS structure and how it follows adds and removals
    (:meth:`_faiss_add`, :meth:`_faiss_remove`, :meth:`_refresh`, :meth:`_search_parameters`).
    """

    #: The name :func:`create_index` knows the kind by.
    kind: ClassVar[IndexKind]

    def __init__(self, dim: int) -> None:
        self._dim = check_int(dim, "dim")
        self._store = VectorStore(self._dim)
        self._faiss: Any = None
        # stale: the FAISS structure no longer matches the mirror and is rebuilt before use
        self._stale = False
        self._lock = threading.RLock()

    # -- what a kind provides ---------------------------------------------------------------

    @abc.abstractmethod
    def _faiss_add(self, ids: np.ndarray, vectors: np.ndarray, existing: np.ndarray) -> None:
        """Follow an upsert of ``ids`` (``existing`` marks ids that were already stored)."""

    @abc.abstractmethod
    def _faiss_remove(self, ids: np.ndarray) -> None:
        """Follow the removal of ``ids`` (all of which were stored)."""

    @abc.abstractmethod
    def _refresh(self) -> None:
        """Bring the FAISS structure up to date with the mirror before it is used."""

    @abc.abstractmethod
    def _search_parameters(self, k: int, share: float = 1.0) -> Any:
        """FAISS search parameters for ``k`` results when ``share`` of the vectors are allowed."""

    def _spare(self, k: int) -> int:
        """Results to ask FAISS for beyond ``k``, for those :meth:`_current` may drop."""
        return 0

    def _current(
        self, queries: np.ndarray, ids: np.ndarray, scores: np.ndarray, k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The first ``k`` of FAISS's results that hold an id's current vector."""
        return ids, scores

    #: Below this share of allowed vectors a filtered search scans the allowed ones exactly
    #: (see :meth:`_exact_scan`) instead of asking the approximate structure.
    _approximate_min_share: ClassVar[float] = 0.0

    def _exact_scan(self, queries: np.ndarray, k: int, allowed: Selector) -> Any:
        """Exact top-``k`` among the allowed ids by FAISS over its own vectors, if it can.

        ``(ids, scores)``, or None when the kind's structure holds no flat copy of the
        vectors (the mirror is then searched instead). Scanning codes in FAISS is several
        times faster than reading float16 rows into float32 for a product.
        """
        return None

    @abc.abstractmethod
    def _settings(self) -> dict[str, Any]:
        """The constructor arguments besides ``dim``, as saved."""

    # -- the interface ----------------------------------------------------------------------

    @property
    def dim(self) -> int:
        """Vector width."""
        return self._dim

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
        return f"{type(self).__name__}(dim={self._dim}, size={len(self)})"

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
        >>> index = create_index("flat", 2)
        >>> index.add([7], [[3.0, 4.0]])
        >>> index.get_vectors([7]).round(3)  # held at half precision: 0.60009766, 0.7998047
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
        # the values the mirror holds, so FAISS and exact search score the same vectors
        matrix = to_half_precision(l2_normalize_rows(matrix))
        with self._lock:
            existing = self._store.upsert(ids, matrix)
            if self._faiss is None or self._stale or not len(ids):
                return
            self._faiss_add(ids, matrix, existing)

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
        IdNotFoundError
            If an id is not in the index and ``missing_ok`` is False; nothing is removed.
        TypeError, ValueError
            If ``ids`` is malformed or repeats an id.

        Examples
        --------
        >>> index = create_index("flat", 2)
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
                raise IdNotFoundError(ids[~present], "ids")
            ids = ids[present]
            if not len(ids):
                return
            self._store.remove(ids)
            if self._faiss is None or self._stale:
                return
            self._faiss_remove(ids)

    def get_vectors(self, ids: ArrayLike) -> np.ndarray:
        """Return the stored (normalised) vectors of ``ids``, in the order given.

        Parameters
        ----------
        ids : array-like of int
            Ids to look up; repeats are allowed.

        Returns
        -------
        numpy.ndarray
            float32 ``(len(ids), dim)`` copy of the vectors as held: unit rows rounded to
            float16's values.

        Raises
        ------
        IdNotFoundError
            If an id is not in the index.

        Examples
        --------
        >>> index = create_index("flat", 2)
        >>> index.add([5], [[0.0, 2.0]])
        >>> index.get_vectors([5, 5]).shape
        (2, 2)
        """
        ids = as_id_array(ids)
        with self._lock:
            rows = self._store.rows(ids)
            if (rows < 0).any():
                raise IdNotFoundError(np.unique(ids[rows < 0]), "ids")
            return self._store.float_rows(rows)

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
        >>> index = create_index("hnsw", 2)
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
                if len(allowed) > 1 and not (allowed[1:] > allowed[:-1]).all():
                    allowed = np.unique(allowed)  # already sorted and distinct: kept as given
                rows = store.rows(allowed)
                allowed, rows = allowed[rows >= 0], rows[rows >= 0]
            candidates = len(store) if rows is None else len(rows)
            if candidates == 0 or len(queries) == 0:
                return SearchResult(*pad_results(len(queries), k))
            if self._faiss is None or (allowed is not None and candidates <= _EXACT_SUBSET_MAX):
                return SearchResult(*store.exact_search(queries, k, rows))
            take = min(k, candidates)
            selector = None if allowed is None else id_selector(allowed)
            share = candidates / len(store)
            found = None
            asked = take + self._spare(take)
            if selector is not None and share < self._approximate_min_share:
                found = self._exact_scan(queries, asked, selector)
            if found is None:
                params = self._search_parameters(asked, share)
                found = faiss_search(self._faiss, queries, asked, params, allowed=selector)
            found_ids, found_scores = self._current(queries, found[0], found[1], take)
            # HNSW and IVF can run out of candidates (few probed lists, selective filter);
            # such queries are answered exactly instead of returning fewer than k results.
            short = np.flatnonzero((found_ids >= 0).sum(axis=1) < take)
            if short.size:
                exact = None
                if selector is not None:
                    scanned = self._exact_scan(queries[short], asked, selector)
                    if scanned is not None:
                        exact = self._current(queries[short], scanned[0], scanned[1], take)
                if exact is None:
                    exact = store.exact_search(queries[short], take, rows)
                found_ids[short], found_scores[short] = exact
            out_ids, out_scores = pad_results(len(queries), k)
            out_ids[:, :take], out_scores[:, :take] = in_score_order(found_ids, found_scores)
            return SearchResult(out_ids, out_scores)

    # -- persistence ------------------------------------------------------------------------

    def _trained_size(self) -> int:
        return 0

    def save(self, directory: str | os.PathLike[str]) -> None:
        """Write the index to ``directory`` atomically.

        Saves ``config.json``, ``.npy`` arrays and the FAISS structure itself, so a loaded
        HNSW/IVF index returns exactly the same results.

        Raises
        ------
        FileExistsError
            If ``directory`` exists, is not empty and is not a saved artefact.
        """
        # Copied in memory under the lock, written without it: adds and searches wait for a
        # copy, not for the disk.
        with self._lock:
            self._refresh()
            settings = {"dim": self._dim, "kind": self.kind, **self._settings()}
            ids, vectors = self._store.ids.copy(), self._store.vectors.copy()
            structure = None if self._faiss is None else faiss.serialize_index(self._faiss)
            trained = self._trained_size()
        store = VectorStore.from_arrays(ids, vectors)
        write_index(directory, IndexState(settings, store, structure, trained))

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> VectorIndex:
        """Read an index written by :meth:`save`, whatever its kind.

        Raises
        ------
        FileNotFoundError
            If the directory or one of its files is missing.
        IncompatibleFormatError
            If the directory is another kind of artefact, has an unsupported
            ``format_version``, or its files disagree with each other.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "index"
        >>> create_index("hnsw", 2).save(target)
        >>> type(VectorIndex.load(target)).__name__
        'HNSWIndex'
        """
        state = read_index(directory)
        settings = dict(state.settings)
        kind = settings.pop("kind", None)
        try:
            index_cls = _KINDS[check_choice(kind, "kind", tuple(_KINDS))]
            # Older files record every kind's settings; each kind takes its own.
            accepted = inspect.signature(index_cls.__init__).parameters
            index = index_cls(**{k: v for k, v in settings.items() if k in accepted})
        except (TypeError, ValueError) as exc:
            raise IncompatibleFormatError(
                f"config.json in {str(directory)!r} has invalid index settings: {exc}"
            ) from exc
        index._restore(state)
        return index

    def _restore(self, state: IndexState) -> None:
        self._store, self._faiss = state.store, state.faiss_index
        # A saved structure is restored as it was; one that was not saved is rebuilt.
        self._stale = state.faiss_index is None


_KINDS: dict[str, type[VectorIndex]] = {}


def register_kind(index_cls: type[VectorIndex]) -> type[VectorIndex]:
    """Make an index class known to :func:`create_index` and :meth:`VectorIndex.load`."""
    _KINDS[index_cls.kind] = index_cls
    return index_cls


def create_index(kind: IndexKind, dim: int, **options: Any) -> VectorIndex:
    """Build an empty index of ``kind`` ("flat", "hnsw" or "ivf") with that kind's options.

    Raises
    ------
    ValueError
        If ``kind`` is not a known kind (the message lists them).
    TypeError
        If an option is not one of the kind's parameters.

    Examples
    --------
    >>> create_index("flat", 3)
    FlatIndex(dim=3, size=0)
    """
    index_cls = _KINDS[check_choice(kind, "kind", tuple(_KINDS))]
    return index_cls(dim, **options)
