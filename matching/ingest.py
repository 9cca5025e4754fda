"""Ingestion: JSONL, CSV and schema.org ``JobPosting`` into validated records.

Records that carry only free text are completed here: skills, degree, major, city, salary and
experience are read from the text (Chinese and English) when the structured field is missing,
and names that are given are normalised to the vocabularies' canonical forms.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import html
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from matching.errors import ValidationError
from matching.extract import (
    extract_cities,
    extract_experience_years,
    extract_graduation_year,
    extract_highest_degree,
    extract_min_degree,
    extract_salary,
)
from matching.majors import MajorVocabulary
from matching.records import Candidate, Event, Job
from matching.skills import SkillVocabulary

__all__ = [
    "enrich_candidate",
    "enrich_job",
    "job_from_schema_org",
    "read_candidates",
    "read_events",
    "read_jobs",
    "read_records",
]

_TAG = re.compile(r"<[^>]+>")
R = TypeVar("R")


def read_records(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, mapping)`` from a ``.jsonl``, ``.json`` or ``.csv`` file (``.gz`` ok).

    Raises
    ------
    ValidationError
        A line that is not a JSON object, with the line number as the field.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    opener = gzip.open if path.suffix == ".gz" else open
    stem = path.name[:-3] if path.suffix == ".gz" else path.name
    with opener(path, "rt", encoding="utf-8-sig") as fh:  # type: ignore[operator]
        if stem.endswith(".csv"):
            for n, row in enumerate(csv.DictReader(fh), start=2):
                cells = {k: (v if v != "" else None) for k, v in row.items() if k}
                try:
                    yield n, _csv_cells(cells)
                except ValidationError as exc:
                    raise ValidationError(f"{path.name}:{n}: {exc.field}", exc.message) from None
        elif stem.endswith(".json"):
            data = json.load(fh)
            items = data if isinstance(data, list) else [data]
            for n, item in enumerate(items, start=1):
                yield n, item
        else:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValidationError(
                        f"{path.name}:{n}", f"is not valid JSON ({exc.msg})"
                    ) from None
                if not isinstance(item, dict):
                    raise ValidationError(f"{path.name}:{n}", "must be a JSON object")
                yield n, item


def _located(path: Path, n: int, exc: ValidationError) -> ValidationError:
    return ValidationError(f"{path.name}:{n}: {exc.field}", exc.message)


def read_jobs(path: str | Path) -> list[Job]:
    """Read and validate every job of a file; schema.org ``JobPosting`` objects are accepted."""

    def parse(item: dict[str, Any]) -> Job:
        if item.get("@type") == "JobPosting":
            return job_from_schema_org(item)
        return Job.from_dict(item)

    return _read_all(Path(path), parse)


def read_candidates(path: str | Path) -> list[Candidate]:
    """Read and validate every candidate of a file."""
    return _read_all(Path(path), Candidate.from_dict)


def read_events(path: str | Path) -> list[Event]:
    """Read and validate every event of a file."""
    return _read_all(Path(path), Event.from_dict)


def _read_all(path: Path, parse: Callable[[dict[str, Any]], R]) -> list[R]:
    """Parse every record of a file; an error names the file, the line and the field."""
    out = []
    for n, item in _records(path):
        try:
            out.append(parse(item))
        except ValidationError as exc:
            raise _located(path, n, exc) from None
    return out


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, item in read_records(path):
        if not isinstance(item, dict):
            raise ValidationError(f"{path.name}:{n}", "must be a JSON object")
        yield n, item


# Fields that hold lists; only in a CSV cell are they written as text ("a|b" or JSON).
_LIST_FIELDS = frozenset(
    {
        "skills",
        "desired_cities",
        "desired_job_types",
        "preferred_majors",
        "required_skills",
        "preferred_skills",
        "hardship",
    }
)


def _csv_cells(item: dict[str, Any]) -> dict[str, Any]:
    """Turn the text cells of a CSV row that stand for lists or objects into them."""
    out = dict(item)
    for key, value in item.items():
        if not isinstance(value, str):
            continue
        if key == "sensitive":
            try:
                out[key] = json.loads(value)
            except json.JSONDecodeError:
                raise ValidationError(
                    "sensitive", 'a CSV cell must hold a JSON object, e.g. {"gender": "female"}'
                ) from None
        elif key in _LIST_FIELDS:
            if value.startswith("[") and value.endswith("]"):
                with contextlib.suppress(json.JSONDecodeError):
                    out[key] = json.loads(value)
                    continue
            out[key] = value.split("|")
    return out


# -- schema.org ------------------------------------------------------------------------------


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


# -- completion from text -------------------------------------------------------------------


def enrich_job(job: Job) -> Job:
    """Fill missing structured fields of a job from its text and normalise given names."""
    skills = SkillVocabulary.default()
    majors = MajorVocabulary.default()
    text = job.text
    changes: dict[str, Any] = {}
    if job.required_skills:
        changes["required_skills"] = _dedupe(skills.normalize(s) for s in job.required_skills)
    else:
        changes["required_skills"] = skills.extract(text)
    if job.preferred_skills:
        changes["preferred_skills"] = tuple(
            s
            for s in _dedupe(skills.normalize(s) for s in job.preferred_skills)
            if s not in changes["required_skills"]
        )
    if job.preferred_majors:
        changes["preferred_majors"] = _dedupe(majors.normalize(m) for m in job.preferred_majors)
    else:
        changes["preferred_majors"] = majors.extract(text)
    if job.min_degree is None:
        changes["min_degree"] = extract_min_degree(text)
    if job.experience_years is None:
        changes["experience_years"] = extract_experience_years(text)
    if job.salary_min is None and job.salary_max is None:
        salary = extract_salary(text)
        if salary is not None:
            changes["salary_min"], changes["salary_max"] = salary
    if job.city is None:
        cities = extract_cities(text)
        if cities:
            changes["city"] = cities[0]
    else:
        changes["city"] = _city(job.city)
    return replace(job, **changes)


def enrich_candidate(candidate: Candidate) -> Candidate:
    """Fill missing structured fields of a candidate from the resume and normalise names."""
    skills = SkillVocabulary.default()
    majors = MajorVocabulary.default()
    text = candidate.resume_text
    changes: dict[str, Any] = {}
    if candidate.skills:
        changes["skills"] = _dedupe(skills.normalize(s) for s in candidate.skills)
    else:
        changes["skills"] = skills.extract(text)
    if candidate.major:
        changes["major"] = majors.normalize(candidate.major)
    else:
        found = majors.extract(text)
        if found:
            changes["major"] = found[0]
    if candidate.degree is None:
        changes["degree"] = extract_highest_degree(text)
    if candidate.graduation_year is None:
        changes["graduation_year"] = extract_graduation_year(text)
    if candidate.desired_cities:
        changes["desired_cities"] = _dedupe(_city(c) for c in candidate.desired_cities)
    else:
        wanted = _after_cue(text, _CITY_CUE)
        if wanted:
            changes["desired_cities"] = extract_cities(wanted)
    if candidate.expected_salary is None:
        wanted = _after_cue(text, _SALARY_CUE)
        salary = extract_salary(wanted) if wanted else None
        if salary is not None:
            changes["expected_salary"] = salary[0]
    return replace(candidate, **changes)


# A resume states where and for how much its author wants to work after a cue like these;
# cities and sums elsewhere in it (school, internships) say nothing of what they want.
_CITY_CUE = re.compile(
    r"(?:期望|意向|求职|目标)(?:工作)?(?:城市|地点|地区)|desired (?:city|location)s?|"
    r"preferred (?:city|location)s?",
    re.IGNORECASE,
)
_SALARY_CUE = re.compile(
    r"期望(?:月薪|薪资|薪酬|工资|待遇)|expected (?:monthly )?salary", re.IGNORECASE
)
_CLAUSE_END = re.compile(r"[\n；;。]")


def _after_cue(text: str, cue: re.Pattern[str]) -> str:
    """The clause after the first ``cue`` in ``text`` (up to a line or sentence end)."""
    found = cue.search(text)
    if found is None:
        return ""
    end = _CLAUSE_END.search(text, found.end())
    return text[found.end() : end.start() if end else len(text)]


def _city(name: str) -> str:
    found = extract_cities(name)
    return found[0] if found else name.strip()


def _dedupe(items: Any) -> tuple[str, ...]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return tuple(out)
