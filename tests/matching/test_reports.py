"""Known answers of the operator reports: supply and demand, risk warnings, employment quality."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from matching import Candidate, Event, Job
from matching.reports import employment_quality, risk_warnings, supply_demand

AS_OF = date(2026, 1, 15)


def _job(i: str, **kw: object) -> Job:
    base: dict[str, object] = {"id": i, "title": "Java开发工程师", "description": "后端开发"}
    return Job.from_dict({**base, **kw})


def _cand(i: str, **kw: object) -> Candidate:
    return Candidate.from_dict({"id": i, "resume_text": "毕业生", **kw})


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


def test_supply_and_demand_counts_and_ranks() -> None:
    jobs = [
        _job("j1", required_skills=["Java", "团队合作"], city="深圳", headcount=3),
        _job(
            "j2", required_skills=["Java"], preferred_majors=["软件工程"], city="广州", headcount=2
        ),
        _job("j3", required_skills=["Python"], city="北京", headcount=1),
        _job("old", required_skills=["Java"], city="深圳", headcount=9, deadline="2025-12-31"),
    ]
    cands = [
        _cand("a", skills=["Java"], major="软件工程", desired_cities=["深圳"]),
        _cand("b", skills=["Python", "团队合作"], major="软件工程", desired_cities=["北京"]),
        _cand("c", skills=["Python"], major="数学与应用数学", desired_cities=["北京"]),
        _cand("hired", skills=["Java"], desired_cities=["深圳"]),
    ]
    events = [Event.from_dict({"candidate_id": "hired", "job_id": "j1", "type": "hire"})]
    report = supply_demand(jobs, cands, events, as_of=AS_OF, min_count=1)
    data = report.to_dict()
    assert data["n_open_postings"] == 3 and data["open_headcount"] == 6
    assert data["n_seeking_graduates"] == 3
    rows = {(r["dimension"], r["value"]): r for r in report.rows}
    # Java: 3 + 2 openings (the closed posting left out) against one seeking graduate
    assert (rows["skill", "Java"]["demand"], rows["skill", "Java"]["supply"]) == (5, 1)
    assert rows["skill", "Python"]["demand"] == 1 and rows["skill", "Python"]["supply"] == 2
    assert ("skill", "团队合作") not in rows  # soft skills are left out
    assert rows["province", "广东"]["demand"] == 5 and rows["province", "广东"]["supply"] == 1
    assert rows["province", "北京"]["ratio"] == 0.5
    assert data["shortage"]["skill"][0]["value"] == "Java"
    assert data["surplus"]["skill"][0]["value"] == "Python"
    assert any(
        r["value"].endswith("计算机软件工程技术人员") for r in data["shortage"]["occupation"]
    )


def test_risk_tiers_and_reasons() -> None:
    jobs = [
        _job(f"j{i}", required_skills=["Java"], city="深圳", min_degree="本科") for i in range(6)
    ]
    cands = [
        # seven months out, no offer, no activity: red
        _cand(
            "late", skills=["Java"], degree="本科", graduation_year=2025, desired_cities=["深圳"]
        ),
        # four months out, assisted, few suitable postings: red
        _cand(
            "assisted",
            skills=["Python"],
            degree="本科",
            graduation_year=2025,
            desired_cities=["深圳"],
            sensitive={"hardship": ["低保家庭"]},
        ),
        # left in July 2025 too but has an offer: not followed
        _cand("offered", skills=["Java"], degree="本科", graduation_year=2025),
        # leaves school in 2026, active, six suitable postings: green
        _cand(
            "student", skills=["Java"], degree="本科", graduation_year=2026, desired_cities=["广州"]
        ),
        # left three years ago: beyond the two years of follow-up
        _cand("old", skills=["Java"], graduation_year=2022),
    ]
    events = [
        Event.from_dict({"candidate_id": "offered", "job_id": "j0", "type": "offer"}),
        Event.from_dict(
            {
                "candidate_id": "student",
                "job_id": "j1",
                "type": "apply",
                "timestamp": "2026-01-10T09:00:00",
            }
        ),
    ]
    report = risk_warnings(jobs, cands, events, as_of=date(2026, 2, 1))
    by_id = {e["candidate_id"]: e for e in report.to_dict()["follow_up"]}
    assert set(by_id) == {"late", "assisted", "student"}
    assert by_id["late"]["tier"] == "red"
    assert "no views or applications in the last 30 days" in by_id["late"]["reasons"]
    assert by_id["assisted"]["tier"] == "red" and by_id["assisted"]["suitable_open_postings"] == 0
    assert "hardship-assisted graduate" in by_id["assisted"]["reasons"]
    # the student wants 广州 (广东), where the six 深圳 postings are: suitable
    assert by_id["student"]["suitable_open_postings"] == 6
    assert by_id["student"]["tier"] == "green"
    order = [e["candidate_id"] for e in report.to_dict()["follow_up"]]
    assert order.index("student") == 2
    assert report.to_dict()["tiers"] == {"red": 2, "yellow": 0, "green": 1}


def test_employment_quality_indicators(tmp_path: Path) -> None:
    jobs = [
        _job("j1", preferred_majors=["软件工程"], salary_min=8000, salary_max=12000),
        _job("j2", preferred_majors=["会计学"], salary_min=6000, salary_max=6000),
    ]
    cands = [
        _cand("a", major="软件工程", school="清华大学", expected_salary=8000, graduation_year=2025),
        _cand(
            "b",
            major="计算机科学与技术",
            school="清华大学",
            expected_salary=12000,
            graduation_year=2025,
        ),
        _cand("c", major="会计学", school="某某学院", expected_salary=6000, graduation_year=2025),
    ]
    events = [
        Event.from_dict(
            {
                "candidate_id": "a",
                "job_id": "j1",
                "type": "hire",
                "timestamp": "2025-08-01T00:00:00",
            }
        ),
        Event.from_dict(
            {
                "candidate_id": "b",
                "job_id": "j1",
                "type": "offer",
                "timestamp": "2025-07-11T00:00:00",
            }
        ),
        Event.from_dict({"candidate_id": "c", "job_id": "j1", "type": "apply"}),
        Event.from_dict(
            {
                "candidate_id": "c",
                "job_id": "j2",
                "type": "hire",
                "timestamp": "2025-06-01T00:00:00",
            }
        ),
    ]
    report = employment_quality(jobs, cands, events)
    data = report.to_dict()
    assert data["n_outcomes"] == 3
    tiers = {r["group"]: r for r in data["by"]["school_tier"]}
    # a: same major 1.0, pay 10000 / 8000, 31 days; b: same major class 0.75, 10000 / 12000, 10 days
    assert tiers["985"]["relatedness"] == pytest.approx((1.0 + 0.75) / 2)
    assert tiers["985"]["salary_vs_expectation"] == pytest.approx(
        (1.25 + 10000 / 12000) / 2, abs=1e-4
    )
    assert tiers["985"]["days_to_offer"] == pytest.approx((31 + 10) / 2)
    # c was hired before leaving school: 0 days
    assert tiers["other"]["days_to_offer"] == 0 and tiers["other"]["relatedness"] == 1.0
    paths = report.write(tmp_path)
    names = {p.name for p in paths}
    assert {"employment_quality.json", "employment_quality.csv"} <= names
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in paths if p.suffix == ".png")
