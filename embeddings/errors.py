"""Exceptions raised by :mod:`embeddings`.

Every exception derives from :class:`EmbeddingsError` and also from the built-in exception a
caller would naturally catch, so ``except KeyError`` or ``except OSError`` keep working::

    EmbeddingsError(Exception)
    ├── IdNotFoundError(EmbeddingsError, KeyError)
    │       an id passed to VectorIndex.remove / get_vectors is not in the index
    ├── ModelNotAvailableError(EmbeddingsError, OSError)
    │       model weights are not available locally (and downloading was not allowed)
    ├── IncompatibleFormatError(EmbeddingsError, ValueError)
    │       a saved directory has the wrong kind or an unsupported format_version
    └── EncoderOutputError(EmbeddingsError, RuntimeError)
            an encoder backend returned an array of the wrong shape or with NaN/inf values

Plain argument errors are ordinary :class:`TypeError` / :class:`ValueError` and are not part of
this hierarchy.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = [
    "EmbeddingsError",
    "EncoderOutputError",
    "IncompatibleFormatError",
    "ModelNotAvailableError",
    "IdNotFoundError",
]


class EmbeddingsError(Exception):
    """Base class of every exception defined by :mod:`embeddings`."""


class IdNotFoundError(EmbeddingsError, KeyError):
    """One or more ids are not present in a :class:`~embeddings.index.VectorIndex`.

    Parameters
    ----------
    ids : iterable of int
        The ids that were not found.
    argument : str
        The name of the argument that held them, used in the message.

    Attributes
    ----------
    ids : numpy.ndarray
        The unknown ids as an int64 array.
    """

    # Only the first few ids go into the message; a bulk call can miss thousands.
    _MAX_SHOWN = 10

    def __init__(self, ids: Iterable[int], argument: str = "ids") -> None:
        self.ids = np.asarray(list(ids), dtype=np.int64)
        shown = ", ".join(str(int(i)) for i in self.ids[: self._MAX_SHOWN])
        more = len(self.ids) - self._MAX_SHOWN
        suffix = f" and {more} more" if more > 0 else ""
        self.message = (
            f"{argument} contains {len(self.ids)} id(s) not present in the index: {shown}{suffix}"
        )
        super().__init__(self.message)

    def __str__(self) -> str:
        # KeyError.__str__ would repr() the message and wrap it in quotes.
        return self.message


class ModelNotAvailableError(EmbeddingsError, OSError):
    """A model could not be loaded from local files."""


class IncompatibleFormatError(EmbeddingsError, ValueError):
    """A saved directory is of another kind or was written by an unsupported format version."""


class EncoderOutputError(EmbeddingsError, RuntimeError):
    """An encoder backend returned malformed output (wrong shape, NaN or inf)."""
