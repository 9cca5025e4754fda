"""Learning-to-rank, ranking metrics, fair re-ranking and bounded priority for gradmatch.

An array-level library: numpy arrays in, numpy arrays out.  It knows nothing
about jobs, graduates or embeddings; callers turn those into feature matrices,
query groups, scores and group labels.

Modules
-------
ltr
    :class:`LambdaRankRanker`, LightGBM LambdaMART with explanations and persistence.
linear
    :class:`LinearScorer`, a transparent hand-weighted scorer with the same contract.
scorer
    The :class:`Scorer` protocol both satisfy, and :func:`load_scorer`.
metrics
    nDCG, DCG, precision, recall, reciprocal rank, average precision.
fairness
    Skew@k, NDKL, exposure ratio and impact ratio.
det, fa_ir, rerank
    DetGreedy, DetCons, DetRelaxed, DetConstSort (any number of groups) and FA*IR (one
    protected group), behind :class:`FairnessConstraint` and :func:`fair_rerank`.
priority
    The bounded "under equal conditions" priority for hardship-assisted graduates.
errors
    :class:`RankingError`, :class:`NotFittedError`, :class:`ModelFormatError`.
"""

from __future__ import annotations

from .det import det_cons, det_const_sort, det_greedy, det_relaxed, pool_proportions
from .errors import ModelFormatError, NotFittedError, RankingError
from .fa_ir import fa_ir_minimum_table, fa_ir_topk, fair_mtable
from .fairness import (
    FOUR_FIFTHS,
    exposure_ratio,
    exposure_ratios,
    group_exposures,
    impact_ratio,
    impact_ratios,
    ndkl,
    selection_rates,
    skew_at_k,
)
from .linear import LinearScorer
from .ltr import DEFAULT_LABEL_GAIN, LambdaRankRanker
from .metrics import (
    average_precision,
    dcg_at_k,
    evaluate_rankings,
    ndcg_at_k,
    precision_at_k,
    recall_at_k,
    reciprocal_rank,
)
from .priority import PriorityPolicy, PriorityResult, apply_priority
from .rerank import MULTI_GROUP_KINDS, FairnessConstraint, RerankResult, fair_rerank
from .scorer import Scorer, load_scorer

__all__ = [
    "DEFAULT_LABEL_GAIN",
    "FOUR_FIFTHS",
    "FairnessConstraint",
    "LambdaRankRanker",
    "LinearScorer",
    "MULTI_GROUP_KINDS",
    "ModelFormatError",
    "NotFittedError",
    "PriorityPolicy",
    "PriorityResult",
    "RankingError",
    "RerankResult",
    "Scorer",
    "apply_priority",
    "average_precision",
    "dcg_at_k",
    "det_cons",
    "det_const_sort",
    "det_greedy",
    "det_relaxed",
    "evaluate_rankings",
    "exposure_ratio",
    "exposure_ratios",
    "fa_ir_minimum_table",
    "fa_ir_topk",
    "fair_mtable",
    "fair_rerank",
    "group_exposures",
    "impact_ratio",
    "impact_ratios",
    "load_scorer",
    "ndcg_at_k",
    "ndkl",
    "pool_proportions",
    "precision_at_k",
    "recall_at_k",
    "reciprocal_rank",
    "selection_rates",
    "skew_at_k",
]
