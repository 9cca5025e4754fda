"""Filters, engine settings and the sensitive-attribute stages."""

from __future__ import annotations

import numpy as np
import pytest

from matching import Candidate, EngineConfig, JobFilters, SensitiveAttributes, ValidationError
from matching.ingest import enrich_candidate
from matching.majors import MajorVocabulary
from matching.policy import display_scores, group_of, order
from ranking import FairnessConstraint, PriorityPolicy


def test_city_filters_are_normalised_like_records() -> None:
    assert JobFilters(cities=("上海市", "Shanghai", "杭州")).cities == ("上海", "上海", "杭州")


@pytest.mark.parametrize("name", ["require_degree", "exclude_applied", "key_sector"])
def test_filter_flags_must_be_booleans(name: str) -> None:
    with pytest.raises(ValidationError) as info:
        JobFilters.from_dict({name: "no"})
    assert info.value.field == f"filters.{name}"


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
        sensitive,
        4,
        priority=PriorityPolicy(enabled=True, tolerance=0.02),
        fairness=None,
        attribute="gender",
    )
    assert top.tolist() == [1, 0, 3, 2]
    assert audit["priority_changed"] and audit["n_promoted"] == 2
    top, audit = order(
        relevance,
        sensitive,
        1,
        priority=PriorityPolicy(enabled=True, tolerance=0.02),
        fairness=None,
        attribute="gender",
    )
    assert top.tolist() == [1] and audit["n_promoted"] == 1
    # a promotion below the cut-off is not reported: the recruiter's top 2 are unchanged
    # in membership order only if nothing moved there
    relevance = np.array([0.90, 0.80, 0.50, 0.49])
    top, audit = order(
        relevance,
        sensitive,
        2,
        priority=PriorityPolicy(enabled=True, tolerance=0.02),
        fairness=None,
        attribute="gender",
    )
    assert top.tolist() == [0, 1] and not audit["priority_changed"] and audit["n_promoted"] == 0
    top, audit = order(
        relevance,
        sensitive,
        4,
        priority=PriorityPolicy(enabled=False),
        fairness=None,
        attribute="gender",
    )
    assert top.tolist() == [0, 1, 2, 3] and not audit["priority_changed"]


def test_recruiters_see_scores_of_the_rank_alone() -> None:
    assert display_scores(4).tolist() == [1.0, 0.75, 0.5, 0.25]
    assert display_scores(0).tolist() == []


def test_majors_are_not_read_from_school_names() -> None:
    vocab = MajorVocabulary.default()
    assert vocab.extract("上海交通大学 电子信息工程 硕士") == ("电子信息工程",)
    assert vocab.extract("中国农业大学 会计学专业") == ("会计学",)


def test_resume_cues_give_desired_cities_and_salary() -> None:
    c = enrich_candidate(
        Candidate.from_dict(
            {
                "id": "x",
                "resume_text": "毕业于吉林大学，长春。实习：北京某公司\n期望城市：上海、杭州；期望月薪：8k-10k",
            }
        )
    )
    assert c.desired_cities == ("上海", "杭州")
    assert c.expected_salary == 8000
    given = enrich_candidate(
        Candidate.from_dict(
            {
                "id": "y",
                "resume_text": "期望城市：上海",
                "desired_cities": ["深圳市"],
            }
        )
    )
    assert given.desired_cities == ("深圳",)
