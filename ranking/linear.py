"""A transparent hand-weighted linear scorer, used until a ranking model is trained.

Its output contract is the same as :class:`ranking.ltr.LambdaRankRanker`'s:
``predict`` gives float32 scores and ``contributions`` gives one column per
feature plus a bias column that add up to the score, so explanations and
downstream code do not care which scorer is deployed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._persist import atomic_save_dir, content_hash, read_config, write_json
from ._validation import as_feature_matrix, check_float
from .errors import ModelFormatError

__all__ = ["LinearScorer"]

KIND = "linear"
FORMAT_VERSION = 1


class LinearScorer:
    """Score = ``bias + sum_j weights[name_j] * X[:, j]``.

    Nothing is learned, so the weights are validated at construction and the
    fitted-style attributes exist immediately; the scorer is ready to use.

    Parameters
    ----------
    weights : Mapping[str, float]
        Feature name -> weight, in column order of the ``X`` given to ``predict``.
        Copied, so later changes to the caller's mapping cannot change the model
        behind an already reported ``model_version_``.
    bias : float, default=0.0
        Constant added to every score.

    Attributes
    ----------
    feature_names_in_ : tuple of str
        ``tuple(weights)``: the expected columns of ``X``.
    n_features_in_ : int
        Number of those columns.
    coef_ : numpy.ndarray of float64, shape (n_features,)
        The weights in column order.
    model_version_ : str
        Short SHA-256 content hash of the weights and bias.
    """

    def __init__(self, *, weights: Mapping[str, float], bias: float = 0.0) -> None:
        if not isinstance(weights, Mapping):
            raise TypeError(
                f"weights must be a mapping of feature name -> float, got {type(weights).__name__}"
            )
        if not weights:
            raise ValueError("weights must name at least one feature, got an empty mapping")
        clean: dict[str, float] = {}
        for name, value in weights.items():
            if not isinstance(name, str) or not name:
                raise TypeError(f"weights keys must be non-empty str, got {name!r}")
            clean[name] = check_float(value, f"weights[{name!r}]")
        self.weights = clean
        self.bias = check_float(bias, "bias")
        self.feature_names_in_: tuple[str, ...] = tuple(clean)
        self.n_features_in_ = len(clean)
        self.coef_ = np.fromiter(clean.values(), dtype=np.float64, count=len(clean))
        self.model_version_ = content_hash(self._canonical_json())

    def _canonical_json(self) -> str:
        # json writes floats with repr(), which round-trips exactly, so equal
        # weights always hash equal and any change of weight changes the hash.
        payload = {"bias": self.bias, "kind": KIND, "weights": list(self.weights.items())}
        return json.dumps(payload, sort_keys=True, separators=(",", ":"))

    def __repr__(self) -> str:
        return f"LinearScorer(weights={self.weights!r}, bias={self.bias!r})"

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the constructor arguments (``deep`` is accepted for sklearn parity)."""
        return {"weights": dict(self.weights), "bias": self.bias}

    def _check_X(self, X: ArrayLike) -> NDArray[np.float64]:
        X_arr = as_feature_matrix(X, "X", allow_nan=False)
        if X_arr.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X_arr.shape[1]} features, but the scorer has weights for "
                f"{self.n_features_in_} ({list(self.feature_names_in_)})"
            )
        # Accumulate in float64 and round once, as the tree model effectively does.
        return X_arr.astype(np.float64)

    def predict(self, X: ArrayLike) -> NDArray[np.float32]:
        """Score candidates; higher means ranked higher.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)
            Finite features in the column order of ``feature_names_in_`` (a linear
            model has no notion of a missing value, so NaN is refused).

        Returns
        -------
        numpy.ndarray of float32, shape (n_samples,)
        """
        X_arr = self._check_X(X)
        return (X_arr @ self.coef_ + self.bias).astype(np.float32)

    def contributions(self, X: ArrayLike) -> NDArray[np.float32]:
        """Per-feature contributions ``weight * value`` plus a bias column.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)
            Finite features in the column order of ``feature_names_in_``.

        Returns
        -------
        numpy.ndarray of float32, shape (n_samples, n_features_in_ + 1)
            Same layout as :meth:`ranking.ltr.LambdaRankRanker.contributions`; rows sum
            to :meth:`predict` up to float32 rounding.
        """
        X_arr = self._check_X(X)
        out = np.empty((X_arr.shape[0], self.n_features_in_ + 1), dtype=np.float64)
        out[:, :-1] = X_arr * self.coef_
        out[:, -1] = self.bias
        return out.astype(np.float32)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Save to directory ``path`` atomically (a single ``config.json``).

        Parameters
        ----------
        path : str or os.PathLike
            New, empty, or previously saved model directory (then replaced).

        Returns
        -------
        pathlib.Path
            The directory written.
        """
        config = {
            "format_version": FORMAT_VERSION,
            "kind": KIND,
            # A list of pairs keeps the column order explicit in the file.
            "weights": [[name, weight] for name, weight in self.weights.items()],
            "bias": self.bias,
            "model_version": self.model_version_,
        }
        return atomic_save_dir(path, lambda tmp: write_json(tmp / "config.json", config))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> LinearScorer:
        """Load a scorer written by :meth:`save`.

        Parameters
        ----------
        path : str or os.PathLike
            The saved model directory.

        Returns
        -------
        LinearScorer

        Raises
        ------
        ModelFormatError
            If the directory is not a linear scorer of a known format, or its content
            does not match the recorded ``model_version``.
        """
        directory, config = read_config(
            path, kind=KIND, supported_versions=frozenset({FORMAT_VERSION})
        )
        try:
            weights = {str(name): weight for name, weight in config["weights"]}
            scorer = cls(weights=weights, bias=config["bias"])
            expected = str(config["model_version"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelFormatError(f"malformed linear scorer in {str(directory)!r}: {exc}") from exc
        if scorer.model_version_ != expected:
            raise ModelFormatError(
                f"content of {str(directory)!r} does not match model_version {expected!r}"
            )
        return scorer
