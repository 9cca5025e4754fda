"""Recommendations for a whole cohort: the same lists as one call per candidate."""

from __future__ import annotations

import pytest

from matching import MatchingEngine, UnknownIdError, ValidationError
from tests.matching.test_engine import _events


def _rounded(value: object) -> object:
    """``value`` with every float rounded to 6 decimals.

    A batch multiplies matrices of other shapes than one call does, and BLAS may then sum in
    another order: scores can differ in their last bits (1e-8 on some CPUs), never more.
    """
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


def _dicts(matches: object) -> object:
    return _rounded([m.to_dict() for m in matches])  # type: ignore[attr-defined]


def _lists(engine: MatchingEngine, ids: list[str], **kwargs: object) -> list[object]:
    return [_dicts(engine.recommend_jobs(c, **kwargs)) for c in ids]


@pytest.mark.parametrize("trained", [False, True])
def test_cohort_lists_are_those_of_one_call_per_candidate(
    engine: MatchingEngine, trained: bool
) -> None:
    if trained:
        engine.record_events(_events())
        engine.train_ranker(min_queries=3, n_estimators=30, require_improvement=False)
    ids = engine.candidate_ids()
    single = _lists(engine, ids, k=3)
    for batch_size in (1, 2, len(ids)):
        cohort = list(engine.recommend_cohort(k=3, batch_size=batch_size))
        assert [cid for cid, _ in cohort] == ids
        assert [_dicts(ms) for _, ms in cohort] == single


def test_cohort_takes_the_given_ids_in_order_with_filters(engine: MatchingEngine) -> None:
    ids = list(reversed(engine.candidate_ids()))[:3]
    flt = {"exclude_applied": False, "require_degree": False}
    cohort = list(engine.recommend_cohort(ids, k=2, filters=flt, language="en"))
    assert [cid for cid, _ in cohort] == ids
    assert [_dicts(ms) for _, ms in cohort] == _lists(engine, ids, k=2, filters=flt, language="en")


def test_cohort_refuses_bad_input_before_ranking(engine: MatchingEngine) -> None:
    with pytest.raises(UnknownIdError, match="nobody"):
        engine.recommend_cohort([engine.candidate_ids()[0], "nobody"])
    with pytest.raises(ValidationError, match="batch_size"):
        engine.recommend_cohort(batch_size=0)
    with pytest.raises(ValidationError, match="candidate_ids"):
        engine.recommend_cohort("c-stat")
    with pytest.raises(ValidationError, match="k"):
        engine.recommend_cohort(k=0)
    assert list(engine.recommend_cohort([])) == []
