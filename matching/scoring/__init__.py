"""Scoring: the transparent scorer, the model of each direction, and training from events."""

from matching.scoring.models import ModelSet, RankingModel, Scored
from matching.scoring.training import (
    EVENT_LABEL_GAIN,
    DirectionReport,
    TrainingReport,
    TrainingSet,
    fit_rankers,
    pair_labels,
    prepare_training_sets,
)
from matching.scoring.transparent import TransparentScorer

__all__ = [
    "DirectionReport",
    "EVENT_LABEL_GAIN",
    "ModelSet",
    "RankingModel",
    "Scored",
    "TrainingReport",
    "TrainingSet",
    "TransparentScorer",
    "fit_rankers",
    "pair_labels",
    "prepare_training_sets",
]
