"""Content-addressed embedding cache and an encoder wrapper that uses it.

Keys are SHA-256 digests of the encoder name and the text (:func:`cache_key`), so one cache
can hold vectors of several encoders of the same width without mixing them up, and a changed
text simply misses. :class:`CachedEncoder` encodes only the misses, which makes re-indexing an
unchanged corpus free.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import _io
from ._validation import as_vector_matrix, check_int
from .base import Encoder
from .errors import IncompatibleFormatError

__all__ = ["CachedEncoder", "EmbeddingCache", "cache_key"]

KEY_BYTES = 32
_KIND = "embedding_cache"
_FORMAT_VERSION = 1


def cache_key(encoder_name: str, text: str) -> bytes:
    """Return the 32-byte cache key of ``text`` encoded by the encoder named ``encoder_name``.

    Parameters
    ----------
    encoder_name : str
        :attr:`Encoder.name` of the encoder.
    text : str
        The text.

    Returns
    -------
    bytes
        SHA-256 digest. The name is length-prefixed so that no (name, text) pair can collide
        with another by moving characters across the boundary.

    Raises
    ------
    TypeError
        If either argument is not a str.

    Examples
    --------
    >>> len(cache_key("use-multilingual-v3", "数据分析师"))
    32
    """
    for arg_name, value in (("encoder_name", encoder_name), ("text", text)):
        if not isinstance(value, str):
            raise TypeError(f"{arg_name} must be a str; received {type(value).__name__}")
    # "surrogatepass": a lone surrogate (text that is not valid Unicode) still gets a key
    name_bytes = encoder_name.encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(len(name_bytes).to_bytes(8, "big"))
    digest.update(name_bytes)
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.digest()


def _check_keys(keys: Any) -> list[bytes]:
    if isinstance(keys, (bytes, str)) or not isinstance(keys, Sequence):
        raise TypeError(
            f"keys must be a sequence of {KEY_BYTES}-byte bytes; received {type(keys).__name__}"
        )
    for i, key in enumerate(keys):
        if not isinstance(key, bytes) or len(key) != KEY_BYTES:
            raise TypeError(
                f"keys[{i}] must be {KEY_BYTES} bytes from cache_key(); received "
                f"{type(key).__name__} {key!r:.60}"
            )
    return list(keys)


class EmbeddingCache:
    """In-memory map from :func:`cache_key` digests to float32 vectors of one width.

    Parameters
    ----------
    dim : int
        Width of every stored vector.

    Raises
    ------
    TypeError, ValueError
        If ``dim`` is not a positive int.

    Notes
    -----
    The cache never evicts; it grows with the number of distinct texts. All methods are
    thread-safe.

    Examples
    --------
    >>> import numpy as np
    >>> cache = EmbeddingCache(dim=3)
    >>> k = cache_key("enc", "hello")
    >>> cache.put_many([k], np.array([[1.0, 0.0, 0.0]]))
    >>> vectors, found = cache.get_many([k, cache_key("enc", "other")])
    >>> found.tolist()
    [True, False]
    """

    def __init__(self, dim: int) -> None:
        self._dim = check_int(dim, "dim")
        self._rows: dict[bytes, int] = {}
        # Rows [0, len(self)) are in use; the rest is spare capacity so that many small
        # put_many calls do not copy the whole array each time.
        self._vectors = np.zeros((0, self._dim), dtype=np.float32)
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        """Width of the stored vectors."""
        return self._dim

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __repr__(self) -> str:
        return f"EmbeddingCache(dim={self._dim}, size={len(self)})"

    def get_many(self, keys: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """Look up several keys at once.

        Parameters
        ----------
        keys : sequence of bytes
            Keys from :func:`cache_key`.

        Returns
        -------
        vectors : numpy.ndarray
            float32 array of shape ``(len(keys), dim)``; rows of missing keys are zero.
        found : numpy.ndarray
            bool array of shape ``(len(keys),)``, True where the key was cached.

        Raises
        ------
        TypeError
            If ``keys`` is not a sequence of 32-byte ``bytes``.
        """
        keys = _check_keys(keys)
        with self._lock:
            rows = np.array([self._rows.get(k, -1) for k in keys], dtype=np.int64)
            found = rows >= 0
            vectors = np.zeros((len(keys), self._dim), dtype=np.float32)
            vectors[found] = self._vectors[rows[found]]
        return vectors, found

    def put_many(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        """Store (or overwrite) vectors under their keys.

        Parameters
        ----------
        keys : sequence of bytes
            Keys from :func:`cache_key`. A key repeated within the call keeps its last vector.
        vectors : numpy.ndarray
            Array of shape ``(len(keys), dim)``; stored as float32.

        Raises
        ------
        TypeError
            If ``keys`` is malformed or ``vectors`` is not numeric.
        ValueError
            If ``vectors`` does not have shape ``(len(keys), dim)`` or holds NaN/inf.
        """
        keys = _check_keys(keys)
        matrix = as_vector_matrix(vectors, self._dim)
        if matrix.shape[0] != len(keys):
            raise ValueError(
                f"vectors must have one row per key: received {matrix.shape[0]} rows for "
                f"{len(keys)} keys"
            )
        # Later occurrences overwrite earlier ones, so a repeated key keeps its last vector.
        last = {key: i for i, key in enumerate(keys)}
        with self._lock:
            new_keys = [k for k in last if k not in self._rows]
            start = len(self._rows)
            needed = start + len(new_keys)
            if needed > self._vectors.shape[0]:
                grown = np.empty(
                    (max(needed, 2 * self._vectors.shape[0]), self._dim), dtype=np.float32
                )
                grown[:start] = self._vectors[:start]
                self._vectors = grown
            for offset, key in enumerate(new_keys):
                self._rows[key] = start + offset
            rows = np.array([self._rows[k] for k in last], dtype=np.int64)
            self._vectors[rows] = matrix[list(last.values())]

    def forget(self, keys: Sequence[bytes]) -> int:
        """Drop the vectors of ``keys`` (a deleted record's texts); returns how many were held.

        The rows left are packed together, so nothing of a forgotten vector stays in memory
        or in a later :meth:`save`.
        """
        drop = set(_check_keys(keys))
        with self._lock:
            gone = [k for k in drop if k in self._rows]
            if not gone:
                return 0
            kept = sorted(
                ((k, r) for k, r in self._rows.items() if k not in drop), key=lambda kr: kr[1]
            )
            vectors = np.zeros_like(self._vectors)
            if kept:
                vectors[: len(kept)] = self._vectors[[r for _, r in kept]]
            self._vectors = vectors
            self._rows = {k: i for i, (k, _) in enumerate(kept)}
        return len(gone)

    def save(self, directory: str | os.PathLike[str]) -> None:
        """Write the cache to ``directory`` atomically.

        The directory gets ``config.json``, ``keys.npy`` (uint8, shape ``(n, 32)``) and
        ``vectors.npy`` (float32, shape ``(n, dim)``).

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
        >>> import tempfile, pathlib
        >>> cache = EmbeddingCache(dim=4)
        >>> cache.save(pathlib.Path(tempfile.mkdtemp()) / "cache")
        """
        with self._lock:
            order = sorted(self._rows.items(), key=lambda item: item[1])
            keys = np.frombuffer(b"".join(k for k, _ in order), dtype=np.uint8)
            keys = keys.reshape(len(order), KEY_BYTES)
            vectors = self._vectors[[row for _, row in order]]
        with _io.atomic_directory(directory) as tmp:
            _io.write_config(
                tmp,
                {
                    "kind": _KIND,
                    "format_version": _FORMAT_VERSION,
                    "dim": self._dim,
                    "size": len(order),
                },
            )
            _io.save_array(tmp, "keys", keys)
            _io.save_array(tmp, "vectors", vectors)

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> EmbeddingCache:
        """Read a cache written by :meth:`save`.

        Parameters
        ----------
        directory : str or os.PathLike
            Directory written by :meth:`save`.

        Returns
        -------
        EmbeddingCache
            A cache with the same keys and vectors.

        Raises
        ------
        FileNotFoundError
            If the directory or one of its files is missing.
        IncompatibleFormatError
            If the directory is another kind of artefact, has an unsupported
            ``format_version``, or its arrays do not match its config.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "cache"
        >>> EmbeddingCache(dim=4).save(target)
        >>> len(EmbeddingCache.load(target))
        0
        """
        config = _io.read_config(directory, _KIND, (_FORMAT_VERSION,))
        keys = _io.load_array(directory, "keys")
        vectors = _io.load_array(directory, "vectors")
        dim, size = config.get("dim"), config.get("size")
        if not isinstance(dim, int) or isinstance(dim, bool) or dim < 1:
            raise IncompatibleFormatError(
                f"config.json in {str(directory)!r} has invalid dim {dim!r}"
            )
        if (
            keys.dtype != np.uint8
            or keys.shape != (size, KEY_BYTES)
            or vectors.dtype != np.float32
            or vectors.shape != (size, dim)
        ):
            raise IncompatibleFormatError(
                f"saved cache in {str(directory)!r} is inconsistent: config says {size} vectors "
                f"of dim {dim}, found keys {keys.dtype}{keys.shape} and vectors "
                f"{vectors.dtype}{vectors.shape}"
            )
        cache = cls(dim)
        cache.put_many([bytes(row) for row in keys], vectors)
        return cache


class CachedEncoder(Encoder):
    """Encoder that serves repeated texts from an :class:`EmbeddingCache`.

    Parameters
    ----------
    encoder : Encoder
        The encoder that computes vectors for cache misses.
    cache : EmbeddingCache, optional
        Cache to read and fill; a new empty one of the right width by default. It may be
        shared between encoders: keys include the encoder name.

    Raises
    ------
    TypeError
        If ``encoder`` is not an :class:`Encoder` or ``cache`` not an :class:`EmbeddingCache`.
    ValueError
        If ``cache.dim`` differs from ``encoder.dim``.

    Notes
    -----
    :attr:`name`, :attr:`dim` and :meth:`config` are those of the wrapped encoder, because the
    output is identical; the cache is a runtime optimisation and is persisted separately.
    ``hits + misses`` always equals the number of texts requested; ``misses`` counts texts
    actually sent to the wrapped encoder (a text repeated within one call is encoded once).

    Examples
    --------
    >>> from embeddings import UniversalSentenceEncoder
    >>> enc = CachedEncoder(UniversalSentenceEncoder())
    >>> _ = enc.encode(["会计", "会计"])
    >>> enc.hits, enc.misses
    (1, 1)
    """

    def __init__(self, encoder: Encoder, cache: EmbeddingCache | None = None) -> None:
        if not isinstance(encoder, Encoder):
            raise TypeError(f"encoder must be an Encoder; received {type(encoder).__name__}")
        if cache is None:
            cache = EmbeddingCache(encoder.dim)
        elif not isinstance(cache, EmbeddingCache):
            raise TypeError(f"cache must be an EmbeddingCache; received {type(cache).__name__}")
        if cache.dim != encoder.dim:
            raise ValueError(
                f"cache has dim {cache.dim} but encoder {encoder.name!r} has dim {encoder.dim}; "
                "use a cache built for this encoder's width"
            )
        self._encoder = encoder
        self._cache = cache
        self._hits = 0
        self._misses = 0
        self._counter_lock = threading.Lock()
        # The wrapped encoder already applied (or deliberately skipped) normalisation.
        self._renormalize = False

    @property
    def name(self) -> str:
        """Name of the wrapped encoder."""
        return self._encoder.name

    @property
    def dim(self) -> int:
        """Width of the wrapped encoder."""
        return self._encoder.dim

    @property
    def encoder(self) -> Encoder:
        """The wrapped encoder."""
        return self._encoder

    @property
    def cache(self) -> EmbeddingCache:
        """The cache read and filled by :meth:`encode`."""
        return self._cache

    @property
    def hits(self) -> int:
        """Number of texts served from the cache since construction."""
        return self._hits

    @property
    def misses(self) -> int:
        """Number of texts sent to the wrapped encoder since construction."""
        return self._misses

    def config(self) -> dict[str, Any]:
        """Config of the wrapped encoder (see the class notes)."""
        return self._encoder.config()

    def forget(self, texts: Sequence[str]) -> int:
        """Drop the cached vectors of ``texts``; returns how many were held."""
        name = self._encoder.name
        return self._cache.forget([cache_key(name, text) for text in texts])

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        name = self._encoder.name
        keys = [cache_key(name, text) for text in texts]
        vectors, found = self._cache.get_many(keys)
        missing = np.flatnonzero(~found)
        # Deduplicate so a text repeated within the call is encoded once.
        unique_keys = list(dict.fromkeys(keys[i] for i in missing))
        if unique_keys:
            first_text = {keys[i]: texts[i] for i in missing}
            fresh = self._encoder.encode(
                [first_text[k] for k in unique_keys], batch_size=batch_size
            )
            self._cache.put_many(unique_keys, fresh)
            position = {k: row for row, k in enumerate(unique_keys)}
            vectors[missing] = fresh[[position[keys[i]] for i in missing]]
        with self._counter_lock:
            self._misses += len(unique_keys)
            self._hits += len(texts) - len(unique_keys)
        return vectors
