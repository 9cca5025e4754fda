"""Reading records from JSONL, CSV and schema.org JobPosting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching import ValidationError
from matching.ingest import job_from_schema_org, read_candidates, read_jobs


def test_jsonl_text_fields_keep_their_pipes(tmp_path: Path) -> None:
    path = tmp_path / "jobs.jsonl"
    path.write_text(
        json.dumps({"id": "a", "title": "Pharmacist | Part Time", "description": "x"}) + "\n",
        "utf-8",
    )
    assert read_jobs(path)[0].title == "Pharmacist | Part Time"


def test_csv_list_cells_and_sensitive_json(tmp_path: Path) -> None:
    path = tmp_path / "cands.csv"
    path.write_text(
        "id,resume_text,skills,desired_cities,sensitive\n"
        'c1,会计学本科 | 熟悉Excel,Excel|财务分析,"[""上海"", ""杭州""]","{""gender"": ""female""}"\n',
        "utf-8",
    )
    (c,) = read_candidates(path)
    assert c.resume_text == "会计学本科 | 熟悉Excel"
    assert c.skills == ("Excel", "财务分析") and c.desired_cities == ("上海", "杭州")
    assert c.sensitive.gender == "female"


def test_csv_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "jobs.csv"
    path.write_text("id,title,headcount\na,会计,2\nb,出纳,-1\n", "utf-8")
    with pytest.raises(ValidationError) as info:
        read_jobs(path)
    assert info.value.field == "jobs.csv:3: headcount"


def test_schema_org_job_posting() -> None:
    job = job_from_schema_org(
        {
            "@type": "JobPosting",
            "identifier": {"value": "p-1"},
            "title": "数据分析师",
            "description": "<p>熟悉<b>SQL</b>和Python</p>",
            "hiringOrganization": {"name": "某公司"},
            "jobLocation": {"address": {"addressLocality": "杭州"}},
            "baseSalary": {"value": {"minValue": 120000, "maxValue": 180000, "unitText": "YEAR"}},
            "employmentType": "INTERN",
            "datePosted": "2026-03-01",
            "validThrough": "2026-04-01",
            "educationRequirements": {"credentialCategory": "bachelor degree"},
        }
    )
    assert job.id == "p-1" and job.employer == "某公司" and job.city == "杭州"
    assert (job.salary_min, job.salary_max) == (10000, 15000)
    assert job.employment_type.value == "internship" and job.min_degree.value == "bachelor"
    assert "<" not in job.description
