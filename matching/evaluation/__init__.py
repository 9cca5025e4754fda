"""Offline evaluation on data the engine has never seen, with baselines in the same run."""

from matching.evaluation.evaluate import EvaluationResult, evaluate
from matching.evaluation.relevance import read_relevance

__all__ = ["EvaluationResult", "evaluate", "read_relevance"]
