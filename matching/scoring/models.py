"""The scorer of each direction, with the fixed relevance scale its scores are read on.

Every direction has a :class:`RankingModel`: the transparent scorer until a trained model is
adopted. The engine scores through it whatever it holds; nothing downstream asks which kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from matching.features import FEATURE_NAMES
from matching.records import Direction
from matching.scoring.transparent import TransparentScorer
from ranking import LambdaRankRanker, Scorer

__all__ = ["ModelSet", "RankingModel", "Scored"]


class Scored(NamedTuple):
    """Scores of shape (n,) and contributions of shape (n, n_features + 1), or (n, 0)."""

    scores: np.ndarray
    contributions: np.ndarray


@dataclass(frozen=True)
class RankingModel:
    """A scorer and its relevance scale.

    Parameters
    ----------
    scorer : Scorer
        The transparent scorer or a trained model.
    scale : tuple of (float, float)
        Scores mapped to relevance 0 and 1: for the transparent scorer 0 and its top score,
        for a trained model the 1st and 99th percentiles of its scores on the training pairs.
    """

    scorer: Scorer
    scale: tuple[float, float]

    @classmethod
    def transparent(cls) -> RankingModel:
        """The transparent scorer on its own scale."""
        scorer = TransparentScorer()
        return cls(scorer, (0.0, scorer.max_score))

    @property
    def version(self) -> str:
        """The scorer's version, as audits record it."""
        return self.scorer.model_version_

    @property
    def trained(self) -> bool:
        """Whether this is a trained model rather than the transparent scorer."""
        return not isinstance(self.scorer, TransparentScorer)

    def score(self, X: np.ndarray, *, explain: bool = True) -> Scored:
        """Scores of feature rows, and their per-feature contributions when ``explain``."""
        if len(X) == 0:
            empty = np.zeros(0, dtype=np.float32)
            return Scored(empty, np.zeros((0, X.shape[1] + 1), dtype=np.float32))
        scores = self.scorer.predict(X)
        contributions = (
            self.scorer.contributions(X) if explain else np.zeros((len(X), 0), dtype=np.float32)
        )
        return Scored(scores, contributions)

    def relevance(self, scores: np.ndarray) -> np.ndarray:
        """Scores on the fixed relevance scale the priority tolerance is measured on.

        The scale does not depend on the other items of a list, and values are not clipped,
        so the order among the very best candidates stays the model's.
        """
        lo, hi = self.scale
        return (scores.astype(np.float64) - lo) / max(hi - lo, 1e-12)


class ModelSet:
    """The model of each :class:`~matching.records.Direction`; transparent until one is adopted."""

    def __init__(self) -> None:
        self._models = {d: RankingModel.transparent() for d in Direction}

    def __getitem__(self, direction: Direction) -> RankingModel:
        return self._models[direction]

    def __iter__(self) -> Iterator[tuple[Direction, RankingModel]]:
        return iter(self._models.items())

    def adopt(self, direction: Direction, model: RankingModel) -> None:
        """Rank ``direction`` with ``model`` from now on."""
        self._models[direction] = model

    def retire(self, direction: Direction) -> None:
        """Go back to the transparent scorer for ``direction``."""
        self._models[direction] = RankingModel.transparent()

    def save(self, target: Path) -> dict[str, object]:
        """Write the trained models to ``target/ranker_<side>``; return what config.json records."""
        trained = {}
        for direction, model in self._models.items():
            side = direction.ranked
            if model.trained:
                model.scorer.save(target / f"ranker_{side}")
                trained[side] = list(model.scale)
        return {"rankers": sorted(trained), "score_scales": dict(sorted(trained.items()))}

    @classmethod
    def load(cls, source: Path, recorded: dict[str, object]) -> ModelSet:
        """Read the models :meth:`save` wrote; ``recorded`` is what it returned.

        Raises
        ------
        ranking.ModelFormatError
            A model directory is missing or damaged.
        """
        models = cls()
        scales = dict(recorded.get("score_scales", {}))  # type: ignore[call-overload]
        for side in recorded.get("rankers", []):  # type: ignore[attr-defined]
            ranker = LambdaRankRanker.load(source / f"ranker_{side}")
            if ranker.feature_names_in_ != FEATURE_NAMES:
                # trained on another version's features: it cannot rank these; retrain
                continue
            lo, hi = scales[side]
            models.adopt(Direction.parse(side, "rankers"), RankingModel(ranker, (lo, hi)))
        return models
