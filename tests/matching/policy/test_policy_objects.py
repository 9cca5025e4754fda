"""Ranking policies as objects, school-tier and region groups, job boosts, recruiters' shares."""

from __future__ import annotations

import numpy as np
import pytest

from matching import EngineConfig, SensitiveAttributes, ValidationError
from matching.lexicon.schools import SchoolTable, region_of
from matching.policy import (
    JobBoost,
    RankingPolicy,
    boost_jobs,
    contribution_shares,
    group_of,
    order,
)
from matching.records import CandidateProfile
from ranking import FairnessConstraint, PriorityPolicy


def test_school_tiers_from_the_university_list() -> None:
    table = SchoolTable.default()
    assert len(table.schools) > 2000
    assert table.tier_of("北京大学") == "985"
    assert table.tier_of("安徽大学") == "211"
    assert table.tier_of(" 合肥工业大学 ") == "211"
    assert table.tier_of("Massachusetts Institute of Technology") == "other"
    assert table.tier_of(None) == table.tier_of("  ") == "unknown"
    # a double-first-class university that is neither 985 nor 211
    dfc = [s for s in table.schools if s.double_first_class and not s.is_211]
    assert dfc and table.tier_of(dfc[0].name) == "double_first_class"
    cand = CandidateProfile(id="c1", resume_text="毕业生", school="清华大学")
    assert group_of(SensitiveAttributes(), "school_tier", cand) == "985"


def test_regions_of_provinces_and_cities() -> None:
    assert region_of("北京市") == "east"
    assert region_of("河南省") == "central"
    assert region_of("新疆维吾尔自治区") == "west"
    assert region_of("哈尔滨") == "northeast"
    assert region_of("香港") == "other"
    assert region_of("") == region_of(None) == region_of("某地") == "unknown"
    assert group_of(SensitiveAttributes(origin="成都"), "region") == "west"


def test_an_unknown_attribute_is_an_error_that_lists_the_allowed() -> None:
    with pytest.raises(ValidationError, match="attribute: got 'school'.*school_tier"):
        group_of(SensitiveAttributes(), "school")
    with pytest.raises(ValidationError, match="fairness_attribute"):
        EngineConfig(fairness_attribute="school")  # type: ignore[arg-type]


def test_policy_from_dict_changes_only_what_it_names() -> None:
    base = RankingPolicy(priority=PriorityPolicy(enabled=True, tolerance=0.05))
    p = RankingPolicy.from_dict(
        {"fairness": {"kind": "det_relaxed", "target_proportions": "pool"}, "attribute": "region"},
        base=base,
    )
    assert p.priority.tolerance == 0.05 and p.fairness is not None and p.attribute == "region"
    assert RankingPolicy.from_dict({"priority": {"enabled": False}}, base=base).priority == (
        PriorityPolicy(enabled=False, tolerance=0.05)
    )
    assert RankingPolicy.from_dict({"fairness": None}, base=p).fairness is None
    assert RankingPolicy.from_dict(p.to_dict()) == p
    boost = RankingPolicy.from_dict({"job_boost": {"enabled": True}}).job_boost
    assert boost == JobBoost(enabled=True)


@pytest.mark.parametrize(
    ("data", "field", "match"),
    [
        ({"fairnes": None}, "policy.fairnes", "allowed: priority, fairness"),
        ({"priority": {"tolerance": -1}}, "policy.priority", "tolerance must be >= 0"),
        ({"priority": {"enabled": "yes"}}, "policy.priority", "enabled"),
        ({"fairness": {"kind": "fa_ir", "protected_group": "female"}}, "policy.fairness", "p "),
        (
            {"fairness": {"kind": "fa_ir", "protected_group": "female", "p": 0.5, "alpha": 2}},
            "policy.fairness",
            "alpha",
        ),
        (
            {"fairness": {"kind": "det_cons", "target_proportions": {"985": 1.0}}},
            "fairness",
            "not produced by attribute 'gender'",
        ),
        ({"attribute": "height"}, "policy.attribute", "allowed: gender"),
        ({"job_boost": {"tolerance": "x"}}, "policy.job_boost.tolerance", "tolerance"),
        ({"job_boost": {"enabled": 1}}, "policy.job_boost.enabled", "true or false"),
        ({"job_boost": {"sector": True}}, "policy.job_boost.sector", "allowed"),
        ("gender", "policy", "must be an object"),
    ],
)
def test_policy_errors_name_the_field(data: object, field: str, match: str) -> None:
    with pytest.raises(ValidationError, match=match) as info:
        RankingPolicy.from_dict(data)  # type: ignore[arg-type]
    assert info.value.field.endswith(field)


def test_engine_config_holds_the_deployment_policy() -> None:
    config = EngineConfig(
        fairness=FairnessConstraint(kind="det_cons", target_proportions="pool"),
        fairness_attribute="school_tier",
        job_boost=JobBoost(enabled=True, tolerance=0.03),
    )
    assert config.policy.attribute == "school_tier"
    assert config.policy.job_boost.tolerance == 0.03
    assert EngineConfig.from_dict(config.to_dict()) == config
    # a config saved before job boosts existed still loads, with the boost off
    old = config.to_dict()
    del old["job_boost"]
    assert EngineConfig.from_dict(old).job_boost == JobBoost()


def test_boost_moves_postings_only_within_the_tolerance() -> None:
    relevance = np.array([0.80, 0.79, 0.60, 0.50])
    flags = [(False, False), (True, False), (False, False), (False, True)]
    boost = JobBoost(enabled=True, tolerance=0.02)
    ranked, passed = boost_jobs(relevance, flags, boost)
    # the key-sector posting passes the one 0.01 ahead; the grassroots one is 0.10 behind
    assert ranked.tolist() == [1, 0, 2, 3]
    assert passed.tolist() == [0, 1, 0, 0]
    ranked, passed = boost_jobs(relevance, flags, JobBoost(enabled=True, key_sector=False))
    assert ranked.tolist() == [0, 1, 2, 3] and not passed.any()
    ranked, passed = boost_jobs(relevance, flags, JobBoost())  # off by default
    assert ranked.tolist() == [0, 1, 2, 3] and not passed.any()
    ranked, _ = boost_jobs(relevance, flags, JobBoost(enabled=True, tolerance=0.2))
    assert ranked.tolist() == [1, 0, 3, 2]


def test_contribution_shares_keep_each_rows_order_but_not_its_sum() -> None:
    c = np.array([[0.3, 0.1, -0.2, 5.0], [0.02, 0.0, 0.0, 5.0], [0.0, 0.0, 0.0, 1.0]])
    s = contribution_shares(c)
    np.testing.assert_allclose(s[0], [0.75, 0.25, -1.0, 0.0])
    np.testing.assert_allclose(s[1], [1.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(s[2], [0.0, 0.0, 0.0, 0.0])
    assert (np.argsort(-s[0, :-1]) == np.argsort(-c[0, :-1])).all()


def test_fairness_with_pool_targets_over_school_tiers() -> None:
    # 12 candidates: the top 6 from 985 schools, the rest from other schools
    schools = ["清华大学"] * 6 + ["安徽大学"] * 3 + ["某某学院"] * 3
    cands = [
        CandidateProfile(id=f"c{i}", resume_text="毕业生", school=s) for i, s in enumerate(schools)
    ]
    sensitive = [SensitiveAttributes() for _ in cands]
    relevance = np.linspace(1.0, 0.5, 12)
    policy = RankingPolicy(
        priority=PriorityPolicy(enabled=False),
        fairness=FairnessConstraint(kind="det_cons", target_proportions="pool"),
        attribute="school_tier",
    )
    top, audit = order(relevance, cands, sensitive, 4, policy)
    tiers = [group_of(SensitiveAttributes(), "school_tier", cands[i]) for i in top]
    # pool shares 1/2, 1/4, 1/4: in the top 4, two 985 and one of each other tier
    assert sorted(tiers) == ["211", "985", "985", "other"]
    assert audit["fairness_changed"] and audit["policy"]["attribute"] == "school_tier"
    # only the qualified (here the first 8) count for the targets: 6 of 8 are 985
    qualified = np.array([True] * 8 + [False] * 4)
    top, _ = order(relevance, cands, sensitive, 4, policy, qualified=qualified)
    tiers = [group_of(SensitiveAttributes(), "school_tier", cands[i]) for i in top]
    assert sorted(tiers) == ["211", "985", "985", "985"]
