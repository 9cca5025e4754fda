"""Exceptions raised by :mod:`ranking`.

Hierarchy::

    Exception
    └── RankingError                      base of every ranking-specific error
        ├── NotFittedError(ValueError)    a fitted-only method was called before ``fit``
        └── ModelFormatError(ValueError)  a saved model directory is missing, foreign,
                                          of an unknown ``format_version`` or corrupt

Plain argument mistakes (wrong shape, dtype or range) raise the built-in
:class:`ValueError` or :class:`TypeError`, whose message names the argument,
what was received and what is allowed.  The two classes above also derive from
:class:`ValueError` so that callers who only catch ``ValueError`` (as
scikit-learn users are used to) still catch them.
"""

from __future__ import annotations

__all__ = ["ModelFormatError", "NotFittedError", "RankingError"]


class RankingError(Exception):
    """Base class of the exceptions specific to :mod:`ranking`."""


class NotFittedError(RankingError, ValueError):
    """A method that needs learned state was called on an estimator before ``fit``.

    Mirrors scikit-learn's ``NotFittedError`` (also a ``ValueError``) without
    importing scikit-learn, which is not a dependency of this package.
    """


class ModelFormatError(RankingError, ValueError):
    """A saved model directory cannot be loaded.

    Raised when ``config.json`` is missing or unreadable, names another kind of
    model, has a ``format_version`` this code does not understand, or when a
    stored content hash does not match the stored model (a torn or edited copy).
    """
