"""Pair features: named columns, each record's feature inputs, lexical similarity, featurizer."""

from matching.features.columns import COLUMNS, FEATURE_NAMES, HISTORY_FEATURES, Column, Feature
from matching.features.featurizer import Featurizer, PairInputs
from matching.features.lexical import SIDES, LexicalCorpus
from matching.features.prepared import (
    PreparedCandidate,
    PreparedJob,
    TokenCounts,
    prepare_candidate,
    prepare_job,
)

__all__ = [
    "COLUMNS",
    "Column",
    "FEATURE_NAMES",
    "Feature",
    "Featurizer",
    "HISTORY_FEATURES",
    "LexicalCorpus",
    "PairInputs",
    "PreparedCandidate",
    "PreparedJob",
    "SIDES",
    "TokenCounts",
    "prepare_candidate",
    "prepare_job",
]
