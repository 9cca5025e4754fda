"""Argument checks shared by the ranking modules.

Every public function validates its inputs up front so that a mistake surfaces
as a :class:`ValueError` or :class:`TypeError` that names the argument, what was
received and what is allowed, instead of as an obscure numpy or LightGBM error
three calls further down.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Group labels, one per item: a 1-D numpy array or a sequence of hashable labels
#: (str, int or bool; mixed types are kept apart, so 1 and "1" are different groups).
GroupLabels: TypeAlias = ArrayLike | Sequence[Hashable]

# Proportions that should sum to one are accepted within this slack so that
# values such as 1/3 + 1/3 + 1/3 written out in decimal do not fail.
PROPORTION_SUM_TOLERANCE = 1e-6


def _describe(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"array of dtype {value.dtype} and shape {value.shape}"
    return f"{type(value).__name__} {value!r}"


def check_int(value: object, name: str, *, minimum: int | None = None) -> int:
    """Return ``value`` as an ``int``; bools and non-integral numbers are rejected."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {_describe(value)}")
    result = int(value)
    if minimum is not None and result < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {result}")
    return result


def check_float(value: object, name: str) -> float:
    """Return ``value`` as a finite ``float``; bools, NaN and infinities are rejected."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_describe(value)}")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{name} must be finite, got {result}")
    return result


def check_bool(value: object, name: str) -> bool:
    """Return ``value`` if it is a ``bool`` (numpy bools included)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a bool, got {_describe(value)}")
    return bool(value)


def _as_array(value: object, name: str) -> NDArray[Any]:
    if value is None or isinstance(value, (str, bytes, Mapping)):
        raise TypeError(f"{name} must be array-like, got {_describe(value)}")
    try:
        return np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested sequences
        raise TypeError(f"{name} must be array-like, got {_describe(value)}") from exc


def _check_real_dtype(arr: NDArray[Any], name: str) -> None:
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)
    ):
        raise TypeError(f"{name} must hold real numbers, got {_describe(arr)}")


def as_feature_matrix(X: object, name: str = "X", *, allow_nan: bool) -> NDArray[np.float32]:
    """Return ``X`` as a C-contiguous float32 matrix of shape ``(n, f)`` with ``n, f >= 1``.

    NaN may be allowed (LightGBM treats it as a missing value); infinities never are.
    """
    arr = _as_array(X, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_samples, n_features), got shape {arr.shape}")
    if arr.shape[0] < 1 or arr.shape[1] < 1:
        raise ValueError(f"{name} must have at least one row and one column, got {arr.shape}")
    _check_real_dtype(arr, name)
    out = np.ascontiguousarray(arr, dtype=np.float32)
    if np.isinf(out).any():
        raise ValueError(f"{name} must not contain infinite values (after casting to float32)")
    if not allow_nan and np.isnan(out).any():
        raise ValueError(f"{name} must not contain NaN")
    return out


def as_real_vector(
    value: object, name: str, *, n: int | None = None, nonnegative: bool = False
) -> NDArray[np.float64]:
    """Return a finite 1-D float64 vector, optionally of length ``n`` and ``>= 0``."""
    arr = _as_array(value, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {arr.shape}")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} must have length {n}, got {arr.shape[0]}")
    if arr.size == 0:
        arr = arr.astype(np.float64)
    _check_real_dtype(arr, name)
    out = arr.astype(np.float64)
    if not np.isfinite(out).all():
        raise ValueError(f"{name} must contain only finite values (no NaN or infinity)")
    if nonnegative and (out < 0).any():
        raise ValueError(f"{name} must be >= 0, got minimum {out.min()}")
    return out


def as_bool_mask(value: object, name: str, *, n: int) -> NDArray[np.bool_]:
    """Return a 1-D bool array of length ``n``; other dtypes are rejected, not coerced."""
    arr = _as_array(value, name)
    if arr.dtype != np.bool_:
        raise TypeError(f"{name} must be a bool array, got {_describe(arr)}")
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"{name} must be 1-D of length {n}, got shape {arr.shape}")
    return arr


def as_labels(value: object, name: str, *, n: int | None = None) -> NDArray[Any]:
    """Return group labels as a 1-D array without changing any label's type.

    Lists go through an object array because ``np.asarray([1, "a"])`` would turn
    the int 1 into the string ``"1"`` and so merge two different groups.  Float
    labels are refused: NaN is not equal to itself and would split a group.
    """
    if isinstance(value, np.ndarray):
        arr = value
    elif isinstance(value, Iterable) and not isinstance(value, (str, bytes, Mapping)):
        items = list(value)
        arr = np.empty(len(items), dtype=object)
        arr[:] = items
    else:
        raise TypeError(f"{name} must be a 1-D array of group labels, got {_describe(value)}")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {arr.shape}")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} must have length {n}, got {arr.shape[0]}")
    if np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} labels must be str, int or bool, got dtype {arr.dtype}")
    if arr.dtype == object:
        for item in arr:
            if isinstance(item, float) or not isinstance(item, Hashable):
                raise TypeError(
                    f"{name} labels must be hashable and not float, got {_describe(item)}"
                )
    return arr


def check_proportions(value: object, name: str) -> dict[Hashable, float]:
    """Validate a ``{group: proportion}`` mapping whose values lie in [0, 1] and sum to 1."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping of group -> proportion, got {_describe(value)}")
    if not value:
        raise ValueError(f"{name} must name at least one group, got an empty mapping")
    out: dict[Hashable, float] = {}
    for group, proportion in value.items():
        p = check_float(proportion, f"{name}[{group!r}]")
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"{name}[{group!r}] must be in [0, 1], got {p}")
        out[group] = p
    total = math.fsum(out.values())
    if abs(total - 1.0) > PROPORTION_SUM_TOLERANCE:
        raise ValueError(f"{name} must sum to 1, got {total}")
    return out


def check_k(k: object, name: str = "k") -> int:
    """Validate a cut-off ``k >= 1``."""
    return check_int(k, name, minimum=1)


def baseline_order(scores: NDArray[np.float64]) -> NDArray[np.int64]:
    """Indices by descending score, ties kept in index order (a stable sort)."""
    # Negating a float64 is exact, so the stable ascending sort of -scores is the
    # descending order with ties broken by original index.
    return np.argsort(-scores, kind="stable").astype(np.int64)


def label_mask(labels: NDArray[Any], group: Hashable) -> NDArray[np.bool_]:
    """Boolean mask of the items whose label equals ``group``."""
    # Compared element by element in Python so that mixed-type object arrays and
    # numpy scalar labels (np.str_, np.int64) match exactly as dict keys do.
    return np.fromiter((label == group for label in labels.tolist()), dtype=bool, count=len(labels))


def group_positions(labels: NDArray[Any]) -> dict[Hashable, NDArray[np.int64]]:
    """Map each distinct label to the positions where it occurs, in first-seen order.

    A dict is used instead of ``np.unique`` because object arrays of mixed label
    types (str and int) cannot be sorted.
    """
    buckets: dict[Hashable, list[int]] = {}
    for position, label in enumerate(labels.tolist()):
        buckets.setdefault(label, []).append(position)
    return {label: np.asarray(pos, dtype=np.int64) for label, pos in buckets.items()}


def check_relevance_labels(y: object, n_samples: int, *, max_label: int) -> NDArray[np.int32]:
    """Validate integer graded relevance ``0 <= y <= max_label`` for ``n_samples`` rows."""
    arr = np.asarray(y)
    if arr.ndim != 1 or arr.shape[0] != n_samples:
        raise ValueError(f"y must be 1-D of length {n_samples} (rows of X), got shape {arr.shape}")
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise TypeError(f"y must hold integer relevance grades, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.floating):
        if np.isnan(arr).any():
            raise ValueError("y must not contain NaN; every candidate needs a relevance grade")
        if not np.isfinite(arr).all() or (arr != np.round(arr)).any():
            raise ValueError("y must hold whole-number relevance grades, got fractional values")
    if (arr < 0).any():
        raise ValueError(f"y must be >= 0 (graded relevance), got minimum {arr.min()}")
    if (arr > max_label).any():
        raise ValueError(
            f"y must be <= {max_label} (one less than len(label_gain)), got maximum {arr.max()}; "
            "pass a longer label_gain for more grades"
        )
    return arr.astype(np.int32)


def check_query_sizes(group: object, n_samples: int) -> NDArray[np.int32]:
    """Validate LightGBM-style query sizes: positive ints summing to ``n_samples``."""
    arr = np.asarray(group)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"group must be a non-empty 1-D array of query sizes, got {arr.shape}")
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"group must hold integer query sizes, got dtype {arr.dtype}")
    if (arr < 1).any():
        raise ValueError(f"group sizes must be >= 1, got minimum {arr.min()}")
    total = int(arr.sum(dtype=np.int64))
    if total != n_samples:
        raise ValueError(
            f"group sizes must sum to the number of rows of X ({n_samples}), got {total}"
        )
    return arr.astype(np.int32)


def check_feature_names(names: Sequence[str] | None, n_features: int) -> tuple[str, ...]:
    """Validate unique non-empty column names, defaulting to ``f0, f1, ...``."""
    if names is None:
        return tuple(f"f{i}" for i in range(n_features))
    if isinstance(names, (str, bytes)):
        raise TypeError(f"feature_names must be a sequence of str, got the string {names!r}")
    result = tuple(names)
    if len(result) != n_features:
        raise ValueError(
            f"feature_names must have one name per column of X ({n_features}), got {len(result)}"
        )
    if not all(isinstance(n, str) and n for n in result):
        raise TypeError(f"feature_names must be non-empty strings, got {list(result)}")
    if len(set(result)) != len(result):
        raise ValueError(f"feature_names must be unique, got {list(result)}")
    return result
