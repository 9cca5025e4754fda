"""Completing records from their text."""

from __future__ import annotations

from matching import Candidate
from matching.ingest import Enricher


def enrich_candidate(candidate: Candidate) -> Candidate:
    return Enricher().enrich_candidate(candidate)


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
