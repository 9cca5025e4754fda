"""Completing records from their text: what a free-text posting or resume does not state as fields.

Skills, degree, major, city, salary and experience are read from the text (Chinese and English)
when the structured field is missing, and names that are given are normalised to the
vocabularies' canonical forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, TypeVar

from matching.ingest.degree import extract_highest_degree, extract_min_degree
from matching.ingest.experience import extract_experience_years
from matching.ingest.graduation import extract_graduation_year
from matching.ingest.salary import extract_salary
from matching.lexicon import Vocabularies
from matching.records import CandidateProfile, Job

__all__ = ["Enricher"]

P = TypeVar("P", bound=CandidateProfile)

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


class Enricher:
    """Fill in and normalise jobs and candidates with a set of vocabularies.

    Parameters
    ----------
    vocabularies : Vocabularies, optional
        The shipped vocabularies by default.

    Examples
    --------
    >>> job = Enricher().enrich_job(Job(id="j1", description="熟悉Python，本科及以上，月薪1-1.5万"))
    >>> job.required_skills, job.min_degree.value, job.salary_min
    (('Python',), 'bachelor', 10000)
    """

    def __init__(self, vocabularies: Vocabularies | None = None) -> None:
        self.vocabularies = vocabularies or Vocabularies.default()

    def enrich_job(self, job: Job) -> Job:
        """Fill missing structured fields of a job from its text and normalise given names."""
        skills = self.vocabularies.skills
        majors = self.vocabularies.majors
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
            cities = self.vocabularies.cities.extract(text)
            if cities:
                changes["city"] = cities[0]
        else:
            changes["city"] = self.city(job.city)
        return replace(job, **changes)

    def enrich_candidate(self, candidate: P) -> P:
        """Fill missing structured fields of a candidate from the resume and normalise names."""
        skills = self.vocabularies.skills
        majors = self.vocabularies.majors
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
            changes["desired_cities"] = _dedupe(self.city(c) for c in candidate.desired_cities)
        else:
            wanted = _after_cue(text, _CITY_CUE)
            if wanted:
                changes["desired_cities"] = self.vocabularies.cities.extract(wanted)
        if candidate.expected_salary is None:
            wanted = _after_cue(text, _SALARY_CUE)
            salary = extract_salary(wanted) if wanted else None
            if salary is not None:
                changes["expected_salary"] = salary[0]
        return replace(candidate, **changes)

    def city(self, name: str) -> str:
        """A city name as records store it ("上海市" -> "上海"); unknown names as given."""
        found = self.vocabularies.cities.extract(name)
        return found[0] if found else name.strip()


def _after_cue(text: str, cue: re.Pattern[str]) -> str:
    """The clause after the first ``cue`` in ``text`` (up to a line or sentence end)."""
    found = cue.search(text)
    if found is None:
        return ""
    end = _CLAUSE_END.search(text, found.end())
    return text[found.end() : end.start() if end else len(text)]


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return tuple(out)
