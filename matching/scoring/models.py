"""The scorer of each direction, with the fixed relevance scale its scores are read on.

Every direction has a :class:`RankingModel`: the transparent scorer until a trained model is
adopted. The engine scores through it whatever it holds; nothing downstream asks which kind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from matching.features import FEATURE_NAMES
from matching.records import Direction
from matching.scoring.transparent import TransparentScorer
from ranking import LambdaRankRanker, Scorer

__all__ = ["ModelSet", "RankingModel", "ResidualScorer", "Scored"]


class Scored(NamedTuple):
    """Scores of shape (n,) and contributions of shape (n, n_features + 1), or (n, 0)."""

    scores: np.ndarray
    contributions: np.ndarray


class ResidualScorer:
    """The transparent scorer plus boosted trees trained to correct it.

    The trees were boosted from the transparent score of every training pair (LightGBM's
    ``init_score``), so with no trees this is the transparent scorer, and every round moves
    away from it only as far as the events teach. A model trained on few events therefore
    starts from the untrained order instead of from nothing. Contributions add up: each
    feature's part is its transparent part plus its part in the trees.

    Parameters
    ----------
    trees : LambdaRankRanker
        Trees fitted with ``init_score`` = the transparent scores of their training rows.
    """

    def __init__(self, trees: LambdaRankRanker) -> None:
        self.base = TransparentScorer()
        self.trees = trees
        self.feature_names_in_: tuple[str, ...] = trees.feature_names_in_
        self.model_version_: str = trees.model_version_

    def predict(self, X: ArrayLike) -> NDArray[np.float32]:
        """Transparent score plus the trees' correction, shape (n,)."""
        return (self.base.predict(X) + self.trees.predict(X)).astype(np.float32)

    def contributions(self, X: ArrayLike) -> NDArray[np.float32]:
        """Per-feature parts of both, bias last: shape (n, n_features + 1).

        The trees' parts are path attributions (``method="path"`` of
        :meth:`~ranking.LambdaRankRanker.contributions`): tabulated per leaf, they cost about
        what a prediction does, where exact TreeSHAP values grew with the model (about 50 ms
        for the 20 rows of a recruiter's list with a few hundred trees).
        """
        trees = self.trees.contributions(X, method="path")
        return (self.base.contributions(X) + trees).astype(np.float32)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the trees; the base is defined by the feature table and recorded by version."""
        return self.trees.save(path)


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
        trained: dict[str, list[float]] = {}
        bases: dict[str, str] = {}
        for direction, model in list(self._models.items()):
            side = direction.ranked
            if model.trained:
                model.scorer.save(target / f"ranker_{side}")
                trained[side] = list(model.scale)
                if isinstance(model.scorer, ResidualScorer):
                    bases[side] = model.scorer.base.model_version_
        return {
            "rankers": sorted(trained),
            "score_scales": dict(sorted(trained.items())),
            "ranker_bases": dict(sorted(bases.items())),
        }

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
        bases = dict(recorded.get("ranker_bases", {}))  # type: ignore[call-overload]
        current_base = TransparentScorer().model_version_
        for side in recorded.get("rankers", []):  # type: ignore[attr-defined]
            ranker = LambdaRankRanker.load(source / f"ranker_{side}")
            if ranker.feature_names_in_ != FEATURE_NAMES:
                # trained on another version's features: it cannot rank these; retrain
                continue
            scorer: Scorer = ranker
            if side in bases:
                if bases[side] != current_base:
                    # corrections to another version's transparent scorer; retrain
                    continue
                scorer = ResidualScorer(ranker)
            lo, hi = scales[side]
            models.adopt(Direction.parse(side, "rankers"), RankingModel(scorer, (lo, hi)))
        return models
