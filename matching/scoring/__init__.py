"""Scoring: the transparent scorer, the model of each direction, and training from events."""

from matching.scoring.episodes import Episode, plan_episodes
from matching.scoring.models import ModelSet, RankingModel, ResidualScorer, Scored
from matching.scoring.training import (
    EVENT_LABEL_GAIN,
    MIN_CHILD_SAMPLES,
    NUM_LEAVES,
    DirectionReport,
    TrainingReport,
    TrainingSet,
    fit_rankers,
    list_ndcg,
    prepare_training_sets,
)
from matching.scoring.training_sets import NEGATIVE_STRATEGIES, Lists, Matrices
from matching.scoring.transparent import TransparentScorer

__all__ = [
    "DirectionReport",
    "EVENT_LABEL_GAIN",
    "Episode",
    "Lists",
    "MIN_CHILD_SAMPLES",
    "Matrices",
    "ModelSet",
    "NEGATIVE_STRATEGIES",
    "NUM_LEAVES",
    "RankingModel",
    "ResidualScorer",
    "Scored",
    "TrainingReport",
    "TrainingSet",
    "TransparentScorer",
    "fit_rankers",
    "list_ndcg",
    "plan_episodes",
    "prepare_training_sets",
]
