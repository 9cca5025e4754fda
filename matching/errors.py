"""Exceptions a caller of :mod:`matching` may need to handle.

Hierarchy::

    GradmatchError
    ├── ValidationError (ValueError)   bad input record or argument; ``field`` names what to fix
    ├── UnknownIdError (KeyError)      a job or candidate id that is not stored
    ├── DuplicateIdError (ValueError)  an id that is already stored where a new one was required
    ├── LeakageError (ValueError)      evaluation pairs that also appear among training events
    ├── EncoderError (RuntimeError)    the text encoder failed on a batch
    └── StorageError (RuntimeError)    an engine directory that cannot be read or written

Errors of the layers below (embeddings, ranking, the database) are translated into these at the
:class:`~matching.MatchingEngine` boundary; a caller never needs to catch theirs.

Plain ``TypeError`` and ``ValueError`` are still raised for programming errors on
arguments (a wrong type for ``k``, say); the classes above are for states a caller can act on.
"""

from __future__ import annotations

__all__ = [
    "DuplicateIdError",
    "EncoderError",
    "GradmatchError",
    "LeakageError",
    "RecordsChangedError",
    "StorageError",
    "UnknownIdError",
    "ValidationError",
]


class GradmatchError(Exception):
    """Base class of every error raised on purpose by :mod:`matching`."""


class ValidationError(GradmatchError, ValueError):
    """A record or argument failed validation.

    Parameters
    ----------
    field : str
        Dotted path of the offending field (``"salary_min"``, ``"sensitive.gender"``).
    message : str
        What was received and what is allowed.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class UnknownIdError(GradmatchError, KeyError):
    """An id that the engine does not hold."""

    def __init__(self, kind: str, item_id: str) -> None:
        self.kind = kind
        self.item_id = item_id
        super().__init__(f"unknown {kind} id {item_id!r}")

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return f"unknown {self.kind} id {self.item_id!r}"


class DuplicateIdError(GradmatchError, ValueError):
    """An id that is already stored where a new one was required."""

    def __init__(self, kind: str, item_id: str) -> None:
        self.kind = kind
        self.item_id = item_id
        super().__init__(f"{kind} id {item_id!r} already exists")


class LeakageError(GradmatchError, ValueError):
    """Evaluation pairs that also appear among the training events."""


class EncoderError(GradmatchError, RuntimeError):
    """The text encoder failed on a batch (malformed output, model unavailable)."""


class StorageError(GradmatchError, RuntimeError):
    """An engine directory that cannot be read or written."""


class RecordsChangedError(GradmatchError, RuntimeError):
    """Records that a long-running read started from were removed before it finished."""
