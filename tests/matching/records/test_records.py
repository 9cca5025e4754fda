"""Records validate at the boundary and name the field that is wrong."""

from __future__ import annotations

from datetime import date

import pytest

from matching import (
    Candidate,
    DegreeLevel,
    EmployerType,
    Event,
    EventType,
    HardshipCategory,
    Job,
    SensitiveAttributes,
    ValidationError,
)


def test_minimal_free_text_records_are_valid() -> None:
    c = Candidate.from_dict({"id": "c1", "resume_text": "统计学本科，熟悉Python"})
    j = Job.from_dict({"id": "j1", "description": "招聘数据分析师"})
    assert c.skills == () and c.degree is None
    assert j.title == "" and j.description == "招聘数据分析师"


def test_chinese_labels_map_to_enum_values() -> None:
    j = Job.from_dict({"id": "j", "title": "会计", "employer_type": "国企", "min_degree": "本科"})
    assert j.employer_type is EmployerType.STATE_OWNED
    assert j.min_degree is DegreeLevel.BACHELOR
    s = SensitiveAttributes.from_dict({"hardship": ["低保家庭", "零就业家庭"], "gender": "女"})
    assert s.hardship == (
        HardshipCategory.MINIMUM_LIVING_ALLOWANCE,
        HardshipCategory.ZERO_EMPLOYMENT_FAMILY,
    )
    assert s.gender == "female" and s.assisted


def test_degree_levels_are_ordered() -> None:
    ranks = [d.rank for d in DegreeLevel]
    assert ranks == sorted(ranks) == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("record", "field", "fragment"),
    [
        ({"id": "j", "title": "x", "salary_min": 9000, "salary_max": 5000}, "salary_max", "below"),
        ({"id": "j", "title": "x", "min_degree": "高中"}, "min_degree", "allowed values"),
        ({"id": "j", "title": "x", "city": 12}, "city", "string"),
        ({"id": "j", "title": "x", "headcount": 0}, "headcount", "range"),
        ({"id": "j", "title": "x", "posted_at": "yesterday"}, "posted_at", "ISO 8601"),
        (
            {"id": "j", "title": "x", "posted_at": "2026-05-01", "deadline": "2026-04-01"},
            "deadline",
            "before",
        ),
        ({"id": "j", "titel": "x"}, "titel", "allowed fields"),
        ({"title": "x"}, "id", "missing"),
        ({"id": "", "title": "x"}, "id", "non-empty"),
        ({"id": "j"}, "description", "empty"),
    ],
)
def test_bad_job_fields_are_named(record: dict, field: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        Job.from_dict(record)
    assert info.value.field == field
    assert fragment in info.value.message


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"id": "c", "resume_text": "x", "graduation_year": 1800}, "graduation_year"),
        ({"id": "c", "resume_text": "x", "expected_salary": -1}, "expected_salary"),
        ({"id": "c", "resume_text": "x", "skills": ["Python", 3]}, "skills[1]"),
        ({"id": "c", "resume_text": "x", "sensitive": {"gender": "unknown"}}, "sensitive.gender"),
        (
            {"id": "c", "resume_text": "x", "sensitive": {"hardship": ["富裕"]}},
            "sensitive.hardship[0]",
        ),
        ({"id": "c", "resume_text": "x", "sensitive": {"income": 1}}, "income"),
        ({"id": "c"}, "resume_text"),
    ],
)
def test_bad_candidate_fields_are_named(record: dict, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        Candidate.from_dict(record)
    assert info.value.field == field


def test_candidate_dict_without_sensitive_has_no_sensitive_key() -> None:
    c = Candidate.from_dict(
        {"id": "c", "resume_text": "x", "sensitive": {"hardship": ["脱贫家庭"], "disability": True}}
    )
    public = c.to_dict(include_sensitive=False)
    assert "sensitive" not in public
    assert c.to_dict()["sensitive"]["hardship"] == ["poverty_alleviated_family"]


def test_event_grades_follow_the_funnel() -> None:
    grades = [EventType(t).grade for t in ("view", "apply", "interview", "offer", "hire")]
    assert grades == [1, 2, 3, 4, 5]
    e = Event.from_dict(
        {"candidate_id": "c", "job_id": "j", "type": "offer", "timestamp": "2026-03-01T08:00:00Z"}
    )
    assert e.timestamp is not None and e.timestamp.tzinfo is not None
    with pytest.raises(ValidationError) as info:
        Event.from_dict({"candidate_id": "c", "job_id": "j", "type": "like"})
    assert info.value.field == "type" and "view" in info.value.message


def test_round_trip_through_dict() -> None:
    j = Job.from_dict(
        {
            "id": "j",
            "title": "护士",
            "description": "临床护理",
            "posted_at": "2026-01-05",
            "required_skills": ["护理"],
            "salary_min": 5000,
            "salary_max": 8000,
        }
    )
    assert Job.from_dict(j.to_dict()) == j
    assert j.posted_at == date(2026, 1, 5)


def test_ids_stored_before_the_id_grammar_still_load(tmp_path) -> None:  # noqa: ANN001
    from matching.records import Job, stored
    from matching.store import SQLiteStore

    with pytest.raises(ValidationError, match="no slash"):
        Job.from_dict({"id": "old/1", "title": "会计"})
    old = stored(Job.from_dict, {"id": "old/1", "title": "会计"})  # as an older version stored it
    store = SQLiteStore(tmp_path / "store.sqlite")
    store.upsert_jobs([old])
    assert store.get_job("old/1").title == "会计"
    assert [j.id for _, j in store.iter_jobs()] == ["old/1"]
    with pytest.raises(ValidationError):  # new input is still checked
        Job.from_dict({"id": "new/1", "title": "会计"})
