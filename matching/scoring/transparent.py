"""The transparent scorer used until a learning-to-rank model is trained.

A weighted sum over the pair features after a fixed, documented transform that maps each one
to [0, 1] (the similarity standings to [-1, 1]) and gives unknown values (NaN) a neutral value,
so a missing field neither helps nor hurts. The weights, neutral values and transforms are those
of the feature table (:data:`matching.features.COLUMNS`).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from matching.errors import StorageError
from matching.features import COLUMNS, FEATURE_NAMES
from ranking import LinearScorer

__all__ = ["TRANSPARENT_KIND", "TransparentScorer"]

#: The ``kind`` a saved transparent scorer records.
TRANSPARENT_KIND = "transparent"


# Raw values every column's transform is probed at: the version changes with any transform.
_PROBE = np.array([-100, -8, -2, -1, -0.5, 0, 0.1, 0.25, 0.5, 0.75, 1, 2, 5, 8, 30, 90, 1000])


def _fingerprint() -> str:
    """Hash of what the scorer computes: weights, neutral values and each transform's outputs."""
    probe = _PROBE.astype(np.float32)
    table = [
        [c.feature.value, c.weight, c.neutral, np.round(c.to_unit(probe), 6).tolist()]
        for c in COLUMNS
    ]
    text = json.dumps(table, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


class TransparentScorer:
    """:class:`~ranking.LinearScorer` over the unit-scaled pair features.

    It has the same contract as a trained :class:`~ranking.LambdaRankRanker` (the
    :class:`~ranking.Scorer` protocol): ``predict`` gives scores, ``contributions`` per-feature
    parts plus a bias column that add up to them.

    Examples
    --------
    >>> import numpy as np
    >>> from matching.features import Feature
    >>> scorer = TransparentScorer()
    >>> X = np.full((1, len(FEATURE_NAMES)), np.nan, dtype=np.float32)
    >>> X[0, Feature.SEMANTIC_FOR_CANDIDATE.column] = 2.0  # 2 SD above the usual; rest unknown
    >>> round(float(scorer.predict(X)[0]), 4)
    0.8
    """

    def __init__(self) -> None:
        self._linear = LinearScorer(weights={c.feature.value: c.weight for c in COLUMNS})
        self.feature_names_in_: tuple[str, ...] = FEATURE_NAMES
        self.n_features_in_ = len(FEATURE_NAMES)
        self.model_version_ = "transparent-" + _fingerprint()

    @property
    def max_score(self) -> float:
        """The score of a pair at the top of every feature: the sum of the weights."""
        return float(sum(c.weight for c in COLUMNS))

    @staticmethod
    def inputs(X: ArrayLike) -> NDArray[np.float32]:
        """Raw pair features of shape (n, n_features) on the unit scale, NaN made neutral."""
        raw = np.asarray(X, dtype=np.float32)
        out = raw.copy()
        for j, column in enumerate(COLUMNS):
            out[:, j] = column.to_unit(raw[:, j])
            out[np.isnan(raw[:, j]), j] = column.neutral
        return np.nan_to_num(out, nan=0.0)

    def predict(self, X: ArrayLike) -> NDArray[np.float32]:
        """Scores of shape (n,)."""
        return self._linear.predict(self.inputs(X))

    def contributions(self, X: ArrayLike) -> NDArray[np.float32]:
        """Per-feature parts of each score, bias last: shape (n, n_features + 1)."""
        return self._linear.contributions(self.inputs(X))

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write a marker directory; the scorer is defined by the feature table, not by data."""
        target = Path(path)
        target.mkdir(parents=True, exist_ok=True)
        config = {"kind": TRANSPARENT_KIND, "model_version": self.model_version_}
        (target / "config.json").write_text(json.dumps(config), encoding="utf-8")
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TransparentScorer:
        """Read a directory written by :meth:`save`; its version must be this code's."""
        config = json.loads((Path(path) / "config.json").read_text(encoding="utf-8"))
        scorer = cls()
        if config.get("model_version") != scorer.model_version_:
            raise StorageError(
                f"{path}: transparent scorer {config.get('model_version')!r} is not this "
                f"version's ({scorer.model_version_!r})"
            )
        return scorer
