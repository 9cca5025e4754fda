"""schema.org ``JobPosting`` (JSON-LD) to :class:`~matching.records.Job`."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from matching.errors import ValidationError
from matching.ingest.degree import extract_min_degree
from matching.records import Job

__all__ = ["job_from_schema_org"]

_TAG = re.compile(r"<[^>]+>")


def job_from_schema_org(posting: Mapping[str, Any]) -> Job:
    """Map a schema.org ``JobPosting`` (JSON-LD) to a :class:`Job`.

    Recognised properties: ``identifier``, ``title``, ``description`` (HTML stripped),
    ``hiringOrganization.name``, ``industry``, ``occupationalCategory``,
    ``jobLocation.address.addressLocality``, ``baseSalary`` (MONTH or YEAR units),
    ``employmentType``, ``educationRequirements``, ``skills``, ``experienceRequirements``,
    ``totalJobOpenings``, ``datePosted`` and ``validThrough``.
    """
    ident = posting.get("identifier")
    if isinstance(ident, Mapping):
        ident = ident.get("value")
    if ident is None:
        ident = posting.get("url") or posting.get("@id")
    if ident is None:
        raise ValidationError("identifier", "is missing; a JobPosting needs identifier, url or @id")
    org = posting.get("hiringOrganization")
    employer = org.get("name") if isinstance(org, Mapping) else org
    location = posting.get("jobLocation")
    if isinstance(location, list):
        location = location[0] if location else None
    city = None
    if isinstance(location, Mapping):
        address = location.get("address")
        if isinstance(address, Mapping):
            city = address.get("addressLocality") or address.get("addressRegion")
    salary_min = salary_max = None
    base = posting.get("baseSalary")
    if isinstance(base, Mapping):
        value = base.get("value")
        unit = "MONTH"
        if isinstance(value, Mapping):
            unit = str(value.get("unitText") or "MONTH").upper()
            lo, hi = value.get("minValue"), value.get("maxValue")
            if lo is None and hi is None:
                lo = hi = value.get("value")
        else:
            lo = hi = value
        factor = {"YEAR": 1 / 12, "MONTH": 1.0, "WEEK": 52 / 12, "DAY": 21.75, "HOUR": 174.0}
        if unit not in factor:
            raise ValidationError(
                "baseSalary.value.unitText",
                f"got {unit!r}; allowed values are {', '.join(factor)}",
            )
        if lo is not None:
            salary_min = round(float(lo) * factor[unit])
        if hi is not None:
            salary_max = round(float(hi) * factor[unit])
    employment = posting.get("employmentType")
    if isinstance(employment, list):
        employment = employment[0] if employment else None
    employment_map = {
        "FULL_TIME": "full_time",
        "PART_TIME": "part_time",
        "INTERN": "internship",
        "CONTRACTOR": "contract",
        "TEMPORARY": "contract",
    }
    skills = posting.get("skills")
    if isinstance(skills, str):
        skills = [s for s in re.split(r"[,，、;；\n]", skills) if s.strip()]
    education = posting.get("educationRequirements")
    if isinstance(education, Mapping):
        education = education.get("credentialCategory")
    description = html.unescape(_TAG.sub(" ", str(posting.get("description") or "")))
    degree = None
    if isinstance(education, str):
        degree = _schema_degree(education)
    experience = posting.get("experienceRequirements")
    months = experience.get("monthsOfExperience") if isinstance(experience, Mapping) else None
    return Job.from_dict(
        {
            "id": str(ident),
            "title": posting.get("title") or "",
            "description": re.sub(r"\s+", " ", description).strip(),
            "employer": employer,
            "industry": posting.get("industry"),
            "job_type": posting.get("occupationalCategory"),
            "city": city,
            "salary_min": salary_min,
            "salary_max": salary_max,
            "employment_type": employment_map.get(str(employment).upper(), "full_time")
            if employment
            else None,
            "required_skills": skills,
            "min_degree": degree,
            "experience_years": float(months) / 12 if months is not None else None,
            "headcount": posting.get("totalJobOpenings"),
            "posted_at": posting.get("datePosted"),
            "deadline": posting.get("validThrough"),
        }
    )


def _schema_degree(text: str) -> str | None:
    lowered = text.lower()
    for key, value in (
        ("doctor", "doctor"),
        ("postgraduate", "master"),
        ("master", "master"),
        ("bachelor", "bachelor"),
        ("associate", "associate"),
    ):
        if key in lowered:
            return value
    level = extract_min_degree(text)
    return level.value if level else None
