"""Argument checks shared by the encoders, the cache and the vector index.

Every function either returns a clean, canonical value (a C-contiguous float32 matrix, a 1-D
int64 id array, ...) or raises :class:`TypeError` / :class:`ValueError` naming the argument,
what was received and what is allowed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np

__all__ = [
    "as_id_array",
    "as_vector_matrix",
    "check_choice",
    "check_int",
    "check_unique",
    "l2_normalize_rows",
]

# How many offending values an error message shows before eliding the rest.
_MAX_SHOWN = 10


def _show(values: Sequence[Any] | np.ndarray) -> str:
    shown = ", ".join(str(v) for v in list(values)[:_MAX_SHOWN])
    more = len(values) - _MAX_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def check_int(value: Any, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int after checking that it is an integer ``>= minimum``."""
    # bool is an int subclass, but ``batch_size=True`` is always a mistake.
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int; received {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; received {value}")
    return int(value)


def check_choice(value: Any, name: str, allowed: Collection[str]) -> str:
    """Return ``value`` after checking that it is one of ``allowed``."""
    if not isinstance(value, str) or value not in allowed:
        valid = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {valid}; received {value!r}")
    return value


def as_id_array(ids: Any, name: str = "ids") -> np.ndarray:
    """Convert ``ids`` to a 1-D int64 array of non-negative ids.

    Negative ids are rejected because -1 pads search results, and a stored -1 would be
    indistinguishable from padding.
    """
    if isinstance(ids, (str, bytes)) or np.isscalar(ids):
        raise TypeError(
            f"{name} must be a 1-D sequence or array of ints; received a scalar "
            f"{type(ids).__name__} {ids!r} (wrap a single id in a list)"
        )
    arr = np.asarray(ids)
    if arr.size == 0:
        # np.asarray([]) is float64; an empty selection is still a valid id array.
        arr = arr.astype(np.int64)
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must contain integers; received an array of dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; received an array of shape {arr.shape}")
    if arr.dtype == np.uint64 and arr.size and arr.max() > np.iinfo(np.int64).max:
        raise ValueError(f"{name} must fit in int64; received values up to {arr.max()}")
    arr = arr.astype(np.int64, copy=False)
    negative = arr[arr < 0]
    if negative.size:
        raise ValueError(f"{name} must be non-negative; received {_show(negative)}")
    return arr


def check_unique(ids: np.ndarray, name: str = "ids") -> None:
    """Raise ValueError if ``ids`` holds the same id more than once."""
    if ids.size < 2:
        return
    values, counts = np.unique(ids, return_counts=True)
    duplicates = values[counts > 1]
    if duplicates.size:
        raise ValueError(
            f"{name} must not repeat an id within one call; repeated: {_show(duplicates)}"
        )


def as_vector_matrix(vectors: Any, dim: int, name: str = "vectors") -> np.ndarray:
    """Convert ``vectors`` to a C-contiguous float32 array of shape ``(n, dim)``.

    Integer input is accepted (it converts exactly); bool, complex and object arrays are not.
    NaN and inf are rejected because they silently poison inner-product search.
    """
    arr = np.asarray(vectors)
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)
    ):
        raise TypeError(f"{name} must be a real-valued numeric array; received dtype {arr.dtype}")
    if arr.ndim != 2 or arr.shape[1] != dim:
        hint = " (use vectors.reshape(1, -1) for a single vector)" if arr.ndim == 1 else ""
        raise ValueError(f"{name} must have shape (n, {dim}); received shape {arr.shape}{hint}")
    arr = np.ascontiguousarray(arr, dtype=np.float32)
    if not np.isfinite(arr).all():
        bad = np.flatnonzero(~np.isfinite(arr).all(axis=1))
        raise ValueError(f"{name} must be finite; rows with NaN or inf: {_show(bad)}")
    return arr


def l2_normalize_rows(x: np.ndarray) -> np.ndarray:
    """Return a float32 copy of ``x`` with unit-norm rows; all-zero rows stay zero."""
    out = np.array(x, dtype=np.float32, copy=True)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    # A zero row has no direction; leaving it zero gives it score 0 against every query
    # instead of producing NaN.
    np.divide(out, norms, out=out, where=norms > 0)
    return out
