"""Reasons a person can read: no shortfall is listed as a reason for a match."""

from __future__ import annotations

import numpy as np

from matching.explain import Explainer
from matching.explain.phrases import states_a_shortfall
from matching.features import FEATURE_NAMES, Feature
from matching.records import CandidateProfile, Job


def _row(**values: float) -> np.ndarray:
    row = np.full(len(FEATURE_NAMES), np.nan)
    for name, value in values.items():
        row[FEATURE_NAMES.index(name)] = value
    return row


def test_shortfalls_are_the_values_whose_words_say_the_pair_falls_short() -> None:
    short = _row(lexical_for_job=-0.5, degree_gap=-1, city_match=0, skill_coverage=0,
                 missing_skills=3, major_match=0.0)  # fmt: skip
    good = _row(lexical_for_job=0.5, degree_gap=0, city_match=1, skill_coverage=0.5,
                missing_skills=0, major_match=0.75)  # fmt: skip
    for name in ("lexical_for_job", "degree_gap", "city_match", "skill_coverage",
                 "missing_skills", "major_match"):  # fmt: skip
        feature = Feature(name)
        assert states_a_shortfall(feature, short), name
        assert not states_a_shortfall(feature, good), name
    # unknown values and features without a direction are never shortfalls
    assert not states_a_shortfall(Feature.LEXICAL_FOR_JOB, _row())
    assert not states_a_shortfall(Feature.DAYS_SINCE_POSTED, _row(days_since_posted=90))


def test_a_contribution_of_a_shortfall_is_not_listed_as_a_reason() -> None:
    cand = CandidateProfile(id="c", skills=("Java",))
    job = Job(id="j", title="Java开发", required_skills=("Java", "Spring"))
    row = _row(lexical_for_job=-0.5, semantic_for_job=1.2, skill_coverage=0.5,
               missing_skills=1, matched_skills=1)  # fmt: skip
    contrib = np.zeros(len(FEATURE_NAMES) + 1)
    # the model credits the below-usual word overlap most (its baseline is lower still)
    contrib[FEATURE_NAMES.index("lexical_for_job")] = 0.3
    contrib[FEATURE_NAMES.index("missing_skills")] = 0.2
    contrib[FEATURE_NAMES.index("semantic_for_job")] = 0.1
    contrib[FEATURE_NAMES.index("skill_coverage")] = 0.05
    reasons = Explainer(n_top_features=3).reasons(cand, job, row, contrib, "zh")
    assert [c.feature for c in reasons.top_features] == ["semantic_for_job", "skill_coverage"]
    assert reasons.top_features[0].text.startswith("内容相近程度高于")
    assert reasons.matched_skills == ("Java",) and reasons.missing_skills == ("Spring",)
