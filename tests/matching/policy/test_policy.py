"""The sensitive-attribute stages: group labels, bounded priority, fairness, what recruiters see."""

from __future__ import annotations

import numpy as np
import pytest

from matching import EngineConfig, SensitiveAttributes, ValidationError
from matching.policy import RankingPolicy, display_scores, group_of, order
from matching.records import CandidateProfile
from ranking import FairnessConstraint, PriorityPolicy

CANDS = [CandidateProfile(id=f"c{i}", resume_text="毕业生") for i in range(4)]


def test_fairness_labels_must_be_ones_the_attribute_produces() -> None:
    with pytest.raises(ValidationError, match="allowed: disabled, not_disabled, unknown"):
        EngineConfig(
            fairness=FairnessConstraint(kind="fa_ir", protected_group="yes", p=0.5),
            fairness_attribute="disability",
        )
    ok = EngineConfig(
        fairness=FairnessConstraint(kind="fa_ir", protected_group="disabled", p=0.5),
        fairness_attribute="disability",
    )
    assert ok.fairness is not None
    assert EngineConfig.from_dict(ok.to_dict()) == ok


def test_group_labels() -> None:
    s = SensitiveAttributes(hardship=("低保家庭",), gender="female", disability=True)
    assert group_of(s, "assisted") == "assisted"
    assert group_of(s, "disability") == "disabled"
    assert group_of(SensitiveAttributes(), "gender") == "unknown"


def test_order_with_the_priority_is_audited_and_bounded() -> None:
    relevance = np.array([0.90, 0.89, 0.50, 0.49])
    sensitive = [
        SensitiveAttributes(),
        SensitiveAttributes(hardship=("脱贫家庭",)),
        SensitiveAttributes(),
        SensitiveAttributes(hardship=("脱贫家庭",)),
    ]
    top, audit = order(
        relevance,
        CANDS,
        sensitive,
        4,
        RankingPolicy(priority=PriorityPolicy(enabled=True, tolerance=0.02)),
    )
    assert top.tolist() == [1, 0, 3, 2]
    assert audit["priority_changed"] and audit["n_promoted"] == 2
    assert audit["positions_moved"] == 2  # each passed one candidate
    assert audit["policy"] == RankingPolicy().to_dict()
    top, audit = order(
        relevance,
        CANDS,
        sensitive,
        1,
        RankingPolicy(priority=PriorityPolicy(enabled=True, tolerance=0.02)),
    )
    assert top.tolist() == [1] and audit["n_promoted"] == 1
    # a promotion below the cut-off is not reported: the recruiter's top 2 are unchanged
    # in membership order only if nothing moved there
    relevance = np.array([0.90, 0.80, 0.50, 0.49])
    top, audit = order(
        relevance,
        CANDS,
        sensitive,
        2,
        RankingPolicy(priority=PriorityPolicy(enabled=True, tolerance=0.02)),
    )
    assert top.tolist() == [0, 1] and not audit["priority_changed"] and audit["n_promoted"] == 0
    top, audit = order(
        relevance, CANDS, sensitive, 4, RankingPolicy(priority=PriorityPolicy(enabled=False))
    )
    assert top.tolist() == [0, 1, 2, 3] and not audit["priority_changed"]


def test_recruiters_see_scores_of_the_rank_alone() -> None:
    assert display_scores(4).tolist() == [1.0, 0.75, 0.5, 0.25]
    assert display_scores(0).tolist() == []


def _fit_rows(*rows: dict[str, float]) -> np.ndarray:
    from matching.features import FEATURE_NAMES

    X = np.full((len(rows), len(FEATURE_NAMES)), np.nan, dtype=np.float32)
    for i, row in enumerate(rows):
        for name, value in row.items():
            X[i, FEATURE_NAMES.index(name)] = value
    return X


def test_fit_first_puts_named_evidence_then_closeness_then_none() -> None:
    from matching.policy import FIT_STANDING, fit_first

    X = _fit_rows(
        {"matched_skills": 0, "major_match": 0.0, "city_match": 1},  # only the city
        {"matched_skills": 2, "major_match": 0.0},  # two of the job's skills
        {"matched_skills": 0, "major_match": 0.75},  # a major of the same class
        {"matched_skills": 0, "major_match": 0.5, "lexical_for_job": FIT_STANDING},  # the words
        {"matched_skills": 0, "major_match": 0.5, "semantic_for_job": FIT_STANDING - 0.1},
    )
    # the words-only candidate has the highest relevance, yet a skill or a major comes first
    relevance = np.array([0.9, 0.3, 0.2, 0.95, 0.8])
    out = fit_first(relevance, X)
    order = np.argsort(-out, kind="stable").tolist()
    assert order == [1, 2, 3, 0, 4]  # each tier keeps the model's order
    assert (out[[1, 2]] == relevance[[1, 2]]).all()
    assert out[3] < out[[1, 2]].min()
    assert out[[0, 4]].max() < out[3]
    # the tiers hold whatever the scale: relevance is not clipped to [0, 1]
    wide = np.array([9.0, -3.0, -4.0, 10.0, 8.0])
    assert np.argsort(-fit_first(wide, X), kind="stable").tolist() == [1, 2, 3, 0, 4]


def test_fit_first_moves_nobody_when_the_job_names_neither_skills_nor_majors() -> None:
    from matching.policy import fit_first

    X = _fit_rows({"city_match": 1.0}, {"semantic_for_job": 0.1})
    relevance = np.array([0.4, 0.6])
    assert (fit_first(relevance, X) == relevance).all()
    # candidates list skills (so none of the job's is matched: 0), the job names none
    X = _fit_rows({"matched_skills": 0, "skill_overlap": 0}, {"matched_skills": 0})
    assert (fit_first(relevance, X) == relevance).all()
    # the job names skills (coverage is known) and neither candidate has one
    X = _fit_rows(
        {"matched_skills": 0, "skill_coverage": 0.0},
        {"matched_skills": 1, "skill_coverage": 0.5},
    )
    assert np.argsort(-fit_first(np.array([0.9, 0.1]), X)).tolist() == [1, 0]
    assert fit_first(np.zeros(0), X[:0]).shape == (0,)


def test_the_city_counts_only_for_candidates_with_the_jobs_skills() -> None:
    from matching.features import FEATURE_NAMES
    from matching.policy import city_needs_skills

    X = _fit_rows(
        {"matched_skills": 0, "major_match": 1.0, "city_match": 1.0},  # a major, in town
        {"matched_skills": 1, "major_match": 0.0, "city_match": 0.0},  # a skill, elsewhere
        {"matched_skills": 1, "major_match": 0.0, "city_match": 1.0},  # a skill, in town
    )
    col = FEATURE_NAMES.index("city_match")
    out = city_needs_skills(X, np.array([False, True, True]))
    assert out is not None and out is not X
    assert np.isnan(out[0, col]) and out[1, col] == 0.0 and out[2, col] == 1.0
    # every other column, and the input, as they were
    assert np.array_equal(np.delete(out, col, axis=1), np.delete(X, col, axis=1), equal_nan=True)
    assert X[0, col] == 1.0
    # nobody (or everybody) holds one of the job's skills: the city counts as it is
    assert city_needs_skills(X, np.zeros(3, dtype=bool)) is None
    assert city_needs_skills(X, np.ones(3, dtype=bool)) is None
