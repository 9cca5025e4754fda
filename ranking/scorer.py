"""The contract shared by every scorer, and loading a saved scorer of any kind.

Serving code depends on :class:`Scorer` only, so the hand-weighted
:class:`~ranking.linear.LinearScorer` can be swapped for a trained
:class:`~ranking.ltr.LambdaRankRanker` without touching it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._persist import read_kind
from .errors import ModelFormatError
from .linear import KIND as LINEAR_KIND
from .linear import LinearScorer
from .ltr import KIND as LTR_KIND
from .ltr import LambdaRankRanker

__all__ = ["Scorer", "load_scorer"]


@runtime_checkable
class Scorer(Protocol):
    """A fitted candidate scorer.

    Attributes
    ----------
    feature_names_in_ : tuple of str
        Expected columns of ``X``, in order.
    model_version_ : str
        Short content hash identifying the exact model, for logs and audit records.

    Notes
    -----
    ``isinstance(obj, Scorer)`` only checks that these members exist; an unfitted
    :class:`~ranking.ltr.LambdaRankRanker` therefore is not a ``Scorer`` yet.
    """

    @property
    def feature_names_in_(self) -> tuple[str, ...]:
        """Expected columns of ``X``, in order."""
        ...

    @property
    def model_version_(self) -> str:
        """Short content hash identifying the exact model, for logs and audit records."""
        ...

    def predict(self, X: ArrayLike) -> NDArray[np.float32]:
        """Return float32 scores of shape ``(n_samples,)``; higher ranks higher."""
        ...

    def contributions(self, X: ArrayLike) -> NDArray[np.float32]:
        """Return float32 ``(n_samples, n_features + 1)``: per-feature parts, then bias."""
        ...

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the scorer to directory ``path`` atomically and return it."""
        ...


def load_scorer(path: str | os.PathLike[str]) -> Scorer:
    """Load a scorer saved by any scorer's ``save``, dispatching on its recorded kind.

    Parameters
    ----------
    path : str or os.PathLike
        A directory written by :meth:`LinearScorer.save <ranking.linear.LinearScorer.save>`
        or :meth:`LambdaRankRanker.save <ranking.ltr.LambdaRankRanker.save>`.

    Returns
    -------
    Scorer
        The loaded scorer.

    Raises
    ------
    ModelFormatError
        If the directory holds no saved model or one of an unknown kind.
    """
    kind = read_kind(path)
    if kind == LINEAR_KIND:
        return LinearScorer.load(path)
    if kind == LTR_KIND:
        return LambdaRankRanker.load(path)
    raise ModelFormatError(
        f"{str(Path(os.fspath(path)))!r} holds a model of unknown kind {kind!r}; "
        f"known kinds: {[LINEAR_KIND, LTR_KIND]}"
    )
