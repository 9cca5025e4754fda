"""Hard filters: values normalised like records, flags checked."""

from __future__ import annotations

import pytest

from matching import JobFilters, ValidationError


def test_city_filters_are_normalised_like_records() -> None:
    assert JobFilters(cities=("上海市", "Shanghai", "杭州")).cities == ("上海", "上海", "杭州")


@pytest.mark.parametrize("name", ["require_degree", "exclude_applied", "key_sector"])
def test_filter_flags_must_be_booleans(name: str) -> None:
    with pytest.raises(ValidationError) as info:
        JobFilters.from_dict({name: "no"})
    assert info.value.field == f"filters.{name}"


def test_the_skill_source_ranks_shared_rare_skills_first_and_respects_the_mask() -> None:
    import numpy as np

    from matching.records import CandidateProfile
    from matching.retrieval.columns import CandidateColumns

    skills = [
        ("Python", "沟通能力"),
        ("沟通能力",),
        ("FPGA", "Verilog", "沟通能力"),
        ("FPGA",),
        (),
    ]
    cands = [
        CandidateProfile.from_dict({"id": f"c{i}", "resume_text": "简历", "skills": list(s)})
        for i, s in enumerate(skills)
    ]
    columns = CandidateColumns.build([10, 11, 12, 13, 14], cands)
    # two rare skills beat one; a rare one beats the skill most of the pool has
    assert columns.holding(["FPGA", "Verilog", "沟通能力"], 10).tolist() == [12, 13, 10, 11]
    assert columns.holding(["FPGA", "沟通能力"], 2).tolist() == [12, 13]
    mask = np.array([True, True, False, True, True])
    assert columns.holding(["FPGA", "Verilog"], 10, mask).tolist() == [13]
    assert columns.holding(["Rust"], 10).tolist() == [] and columns.holding([], 10).size == 0


def test_the_vectorised_mask_agrees_with_accepts_by_ids_and_by_keys() -> None:
    import numpy as np

    from matching.records import CandidateProfile, Job
    from matching.retrieval import JobFilters
    from matching.retrieval.columns import JobColumns

    jobs = [
        Job.from_dict({"id": f"j{i}", "title": t, "city": c, "description": "负责数据分析",
                       "min_degree": d, "deadline": dl, "posted_at": "2026-01-01"})
        for i, (t, c, d, dl) in enumerate(
            [("数据分析师", "上海", "bachelor", "2026-06-30"), ("前端工程师", "北京", "master", None),
             ("数据工程师", "上海", None, "2026-02-01"), ("运营专员", "杭州", "doctor", "2027-01-01")]
        )
    ]  # fmt: skip
    keys = [10, 11, 12, 13]
    columns = JobColumns.build(keys, jobs)
    cand = CandidateProfile.from_dict(
        {"id": "c", "resume_text": "统计学本科", "degree": "bachelor"}
    )
    applied = frozenset({"j0", "j3", "gone"})  # an id no longer stored is ignored
    from datetime import date

    for flt in (
        JobFilters(),
        JobFilters(cities=("上海",), open_on=date(2026, 3, 1)),
        JobFilters(require_degree=True, exclude_applied=False),
        JobFilters(job_types=("数据",)),
    ):
        want = [flt.accepts(j, cand, applied) for j in jobs]
        assert flt.mask(columns, cand, applied).tolist() == want
        by_keys = flt.mask(columns, cand, applied, applied_keys=np.asarray([10, 13]))
        assert by_keys.tolist() == want
