"""Known-answer tests of ranking.metrics (values computed by hand, see comments)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ranking import (
    average_precision,
    dcg_at_k,
    evaluate_rankings,
    ndcg_at_k,
    precision_at_k,
    recall_at_k,
    reciprocal_rank,
)

# Discounts 1/log2(rank + 1) for ranks 1..6.
D = [1.0, 0.6309297535714575, 0.5, 0.43067655807339306, 0.38685280723454163, 0.3562071871080222]
GRADED = [3, 2, 3, 0, 1, 2]  # gains 2**rel - 1: 7, 3, 7, 0, 1, 3


def test_dcg_graded_known_answer() -> None:
    expected = 7 * D[0] + 3 * D[1] + 7 * D[2] + 0 * D[3] + 1 * D[4] + 3 * D[5]
    assert expected == pytest.approx(13.848263629272981)
    assert dcg_at_k(GRADED, 6) == pytest.approx(expected)
    assert dcg_at_k(GRADED, 3) == pytest.approx(7 + 3 * D[1] + 7 * D[2])
    assert dcg_at_k(GRADED, 100) == pytest.approx(expected)  # k beyond the ranking
    assert dcg_at_k([], 5) == 0.0


def test_ndcg_graded_known_answer() -> None:
    # ideal order 3, 3, 2, 2, 1, 0 -> gains 7, 7, 3, 3, 1, 0
    ideal = 7 + 7 * D[1] + 3 * D[2] + 3 * D[3] + 1 * D[4]
    assert ndcg_at_k(GRADED, 6) == pytest.approx(13.848263629272981 / ideal)
    assert ndcg_at_k(GRADED, 6) == pytest.approx(0.9488107485678985)
    # at k=1 the top item (grade 3) is already ideal
    assert ndcg_at_k(GRADED, 1) == pytest.approx(1.0)


def test_ndcg_binary_known_answer() -> None:
    # DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3)
    assert ndcg_at_k([0, 1, 0, 1], 4) == pytest.approx((D[1] + D[3]) / (D[0] + D[1]))
    assert ndcg_at_k([0, 1, 0, 1], 4) == pytest.approx(0.6509209298071326)


def test_ndcg_uses_all_relevance_for_the_ideal() -> None:
    # one of two relevant items was retrieved, at the top: DCG 1, ideal 1 + 1/log2(3)
    assert ndcg_at_k([1, 0], 2, all_relevance=[1, 1]) == pytest.approx(1 / (1 + D[1]))
    assert ndcg_at_k([1, 0], 2) == 1.0
    # extra zeros in all_relevance do not matter
    assert ndcg_at_k([1, 0], 2, all_relevance=[0, 1, 0, 1, 0]) == pytest.approx(1 / (1 + D[1]))


def test_ndcg_of_a_query_without_relevant_items_is_zero() -> None:
    assert ndcg_at_k([0, 0, 0], 3) == 0.0
    assert ndcg_at_k([], 3, all_relevance=[]) == 0.0
    assert ndcg_at_k([0, 0], 3, all_relevance=[0]) == 0.0


def test_perfect_ranking_scores_one() -> None:
    assert ndcg_at_k([3, 2, 1, 0], 4) == 1.0
    assert ndcg_at_k([3, 2, 1, 0], 2, all_relevance=[1, 2, 3]) == 1.0


def test_ndcg_rejects_inconsistent_ideal() -> None:
    with pytest.raises(ValueError, match="all_relevance must include the grade"):
        ndcg_at_k([2, 2], 2, all_relevance=[2])


def test_precision_recall_rr_ap_known_answers() -> None:
    ranked = [0, 1, 0, 1]  # relevant at ranks 2 and 4
    assert precision_at_k(ranked, 2) == 0.5
    assert precision_at_k(ranked, 4) == 0.5
    assert precision_at_k(ranked, 8) == 0.25  # empty slots count as misses
    assert recall_at_k(ranked, 2, n_relevant=3) == pytest.approx(1 / 3)
    assert recall_at_k(ranked, 4, n_relevant=2) == 1.0
    assert reciprocal_rank(ranked) == 0.5
    assert reciprocal_rank([2, 0]) == 1.0
    # AP = (1/2 + 2/4) / n_relevant
    assert average_precision(ranked, n_relevant=2) == pytest.approx(0.5)
    assert average_precision(ranked, n_relevant=3) == pytest.approx(1 / 3)
    # AP = (1/1 + 2/3) / 2 for relevant at ranks 1 and 3
    assert average_precision([1, 0, 2], n_relevant=2) == pytest.approx(5 / 6)


def test_binary_metrics_without_relevant_items_are_zero() -> None:
    for value in (
        recall_at_k([0, 0], 2, n_relevant=0),
        reciprocal_rank([0, 0]),
        average_precision([0, 0], n_relevant=0),
        precision_at_k([0, 0], 2),
        reciprocal_rank([]),
    ):
        assert value == 0.0


def test_evaluate_rankings_means_known_answer() -> None:
    rankings = [np.array([0, 1, 0, 1]), np.array([1, 0])]
    all_relevance = [np.array([1, 1, 1]), np.array([1, 1])]
    result = evaluate_rankings(rankings, all_relevance, k=2)
    # query 1: DCG@2 = 1/log2(3), ideal 1 + 1/log2(3); query 2: DCG@2 = 1, same ideal
    ideal = 1 + D[1]
    assert result["ndcg@2"] == pytest.approx((D[1] / ideal + 1 / ideal) / 2)
    assert result["recall@2"] == pytest.approx((1 / 3 + 1 / 2) / 2)
    assert result["mrr"] == pytest.approx((1 / 2 + 1) / 2)
    assert result["map"] == pytest.approx(((1 / 2 + 2 / 4) / 3 + 1 / 2) / 2)
    assert result["n_queries"] == 2
    assert set(result) == {"ndcg@2", "recall@2", "mrr", "map", "n_queries"}


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: dcg_at_k([1, -1], 2), ValueError, "ranked_relevance must be >= 0"),
        (lambda: dcg_at_k([1, math.nan], 2), ValueError, "ranked_relevance must contain only"),
        (lambda: dcg_at_k([[1, 2]], 2), ValueError, "ranked_relevance must be 1-D"),
        (lambda: dcg_at_k(["a"], 2), TypeError, "ranked_relevance must hold real numbers"),
        (lambda: dcg_at_k([1], 0), ValueError, "k must be >= 1, got 0"),
        (lambda: ndcg_at_k([1], True), TypeError, "k must be an int"),
        (lambda: ndcg_at_k([1], 1, all_relevance=[-2]), ValueError, "all_relevance must be >= 0"),
        (lambda: recall_at_k([1, 1], 2, n_relevant=1), ValueError, "n_relevant must be >= the"),
        (lambda: recall_at_k([1], 2, n_relevant=-1), ValueError, "n_relevant must be >= 0"),
        (lambda: average_precision([1], n_relevant=1.0), TypeError, "n_relevant must be an int"),
        (lambda: evaluate_rankings([[1]], [], 1), ValueError, "one entry per query"),
        (lambda: evaluate_rankings([], [], 1), ValueError, "at least one query"),
        (lambda: evaluate_rankings(np.array([1, 0]), [[1], [0]], 1), TypeError, "flat array"),
    ],
)
def test_validation(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()
