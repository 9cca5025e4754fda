"""Graduate profiles for the demo: school, degree, major, skills, wishes, resume, sensitive data.

Every part is drawn from a real vocabulary: the school from the national list of institutions
(weighted by tier, so 985/211 graduates are a minority and vocational colleges give associate
degrees), the major from the undergraduate catalogue, skills from the major's related skills and
from what the real postings that name the major ask for (what a graduate learns follows the
market: a software-engineering graduate may list the JavaScript and HTML of a front-end posting),
and the experience lines of the resume from real task statements of occupations the major leads
to.
Sensitive attributes are drawn independently of everything the matching sees.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from matching.demo.fields import FieldIndex
from matching.demo.geo import TIER_PAY, CityTable
from matching.demo.resumes import chinese_resume, english_resume
from matching.demo.sources import School
from matching.lexicon import MajorVocabulary, SkillVocabulary
from matching.records import DegreeLevel, HardshipCategory

__all__ = ["build_candidates", "market_skills"]

# Degree mix of the demo graduates. Nationally about 45 % of graduates leave with an associate
# degree and about 10 % with a postgraduate one; the demo leans a little toward higher degrees
# so that research and engineering postings have applicants.
_DEGREE_SHARE = {
    DegreeLevel.ASSOCIATE: 0.36,
    DegreeLevel.BACHELOR: 0.46,
    DegreeLevel.MASTER: 0.155,
    DegreeLevel.DOCTOR: 0.025,
}
# Share of graduates per discipline (学科门类), after national graduate statistics.
_DISCIPLINE_SHARE = {
    "工学": 0.32,
    "管理学": 0.17,
    "医学": 0.08,
    "文学": 0.09,
    "理学": 0.07,
    "经济学": 0.06,
    "艺术学": 0.07,
    "教育学": 0.06,
    "法学": 0.04,
    "农学": 0.025,
    "历史学": 0.008,
    "哲学": 0.004,
}
# Hardship categories (帮扶对象) with their share among graduates; together about 5.5 %.
# Long-term unemployment is only possible for those who graduated in 2025 (a quarter of them).
_HARDSHIP_SHARE = {
    HardshipCategory.POVERTY_ALLEVIATED_FAMILY: 0.022,
    HardshipCategory.MINIMUM_LIVING_ALLOWANCE: 0.013,
    HardshipCategory.NEAR_MINIMUM_LIVING_ALLOWANCE: 0.006,
    HardshipCategory.RIGID_EXPENDITURE_HARDSHIP: 0.005,
    HardshipCategory.ZERO_EMPLOYMENT_FAMILY: 0.005,
    HardshipCategory.LONG_TERM_UNEMPLOYED: 0.02,
}
_DISABILITY_SHARE = 0.01
_ENGLISH_SHARE = 0.05
_MINORITIES = (
    "壮族",
    "回族",
    "满族",
    "维吾尔族",
    "苗族",
    "彝族",
    "土家族",
    "藏族",
    "蒙古族",
    "侗族",
)
# Typical expected monthly pay of a fresh graduate by degree, in a second-tier city.
_EXPECTED_PAY = {
    DegreeLevel.ASSOCIATE: 5000,
    DegreeLevel.BACHELOR: 7000,
    DegreeLevel.MASTER: 10000,
    DegreeLevel.DOCTOR: 15000,
}
_HIGH_PAY_CLASSES = ("计算机类", "电子信息类", "金融学类", "自动化类")
# Specialised institutions teach mostly their own field: a name cue -> disciplines it favours.
# Checked in order; a comprehensive university (no cue) teaches everything.
_SCHOOL_FIELDS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = tuple(
    (re.compile(cue), frozenset(disciplines))
    for cue, disciplines in (
        ("医|卫生|护理|药", ("医学",)),
        ("师范|教育", ("教育学", "文学", "理学")),
        ("财经|财贸|商学|商业|经济|金融|会计|工商|管理", ("经济学", "管理学")),
        ("艺术|美术|音乐|戏剧|电影|舞蹈|传媒", ("艺术学", "文学")),
        ("体育", ("教育学",)),
        ("农|林业|畜牧|水产", ("农学",)),
        ("政法|警|司法|公安", ("法学",)),
        ("外国语|外语|外事", ("文学",)),
        (
            "理工|工业|工程|科技|交通|电力|建筑|石油|矿|航空|航天|邮电|电子|信息|机电|化工|轻工|纺织"
            "|地质|海洋|水利|铁道|铁路|测绘|冶金|能源|汽车",
            ("工学",),
        ),
    )
)
# Skills most graduates list whatever their major.
_GENERIC_SKILLS = (
    "Excel",
    "办公软件",
    "Word",
    "PowerPoint",
    "英语",
    "大学英语四级",
    "大学英语六级",
    "普通话",
    "沟通能力",
    "团队合作",
    "写作能力",
    "学习能力",
)


def _school_weights(schools: Sequence[School], degree: DegreeLevel) -> np.ndarray:
    """Sampling weights of schools for graduates of one degree level.

    Associate degrees come from vocational colleges; postgraduate degrees mostly from the
    985/211/双一流 universities that train most of China's postgraduates.
    """
    w = np.zeros(len(schools))
    for i, s in enumerate(schools):
        if degree is DegreeLevel.ASSOCIATE:
            w[i] = 0.0 if s.undergraduate else (0.7 if s.private else 1.0)
        elif not s.undergraduate:
            w[i] = 0.0
        elif degree is DegreeLevel.BACHELOR:
            w[i] = {"985": 1.2, "211": 1.1, "double_first_class": 1.0}.get(
                s.tier, 0.6 if s.private else 1.0
            )
        elif s.private:
            w[i] = 0.0
        elif degree is DegreeLevel.MASTER:
            w[i] = {"985": 8.0, "211": 5.0, "double_first_class": 4.0}.get(s.tier, 0.8)
        else:
            w[i] = {"985": 12.0, "211": 6.0, "double_first_class": 5.0}.get(s.tier, 0.15)
    return w / w.sum()


def _major_weights(majors: MajorVocabulary, school: School) -> np.ndarray:
    """Weights of majors for a graduate of ``school``: national shares, tilted to its field."""
    by_discipline: dict[str, int] = {}
    for m in majors:
        by_discipline[m.discipline] = by_discipline.get(m.discipline, 0) + 1
    focus = next((d for cue, d in _SCHOOL_FIELDS if cue.search(school.name)), None)
    w = np.array(
        [
            _DISCIPLINE_SHARE.get(m.discipline, 0.01)
            / by_discipline[m.discipline]
            * (1.0 if focus is None else 6.0 if m.discipline in focus else 0.3)
            for m in majors
        ]
    )
    return w / w.sum()


def _pick(rng: np.random.Generator, items: Sequence[Any], k: int) -> list[Any]:
    k = min(k, len(items))
    return [items[int(i)] for i in sorted(rng.choice(len(items), size=k, replace=False))]


def _sensitive(rng: np.random.Generator, graduation_year: int, home: str) -> dict[str, Any]:
    hardship = []
    for category, share in _HARDSHIP_SHARE.items():
        if category is HardshipCategory.LONG_TERM_UNEMPLOYED and graduation_year != 2025:
            continue
        if rng.random() < share:
            hardship.append(category.value)
    gender = "female" if rng.random() < 0.5 else "male"
    return {
        "hardship": hardship,
        "gender": gender,
        "disability": bool(rng.random() < _DISABILITY_SHARE),
        "ethnicity": "汉族" if rng.random() < 0.91 else str(rng.choice(np.array(_MINORITIES))),
        "origin": home,
    }


# At most this many skills of a graduate come from the postings that name the major.
_MARKET_SKILLS_MAX = 3


def market_skills(jobs: Iterable[Mapping[str, Any]]) -> dict[str, Counter[str]]:
    """Skills asked for by the postings that name each major, with how many postings ask.

    Parameters
    ----------
    jobs : iterable of mapping
        ``Job.from_dict`` mappings; ``preferred_majors``, ``required_skills`` and
        ``preferred_skills`` are read.

    Returns
    -------
    dict of str to Counter
        Major name to skill counts; majors no posting names are absent.
    """
    out: dict[str, Counter[str]] = {}
    for job in jobs:
        asked = set(job.get("required_skills", ())) | set(job.get("preferred_skills", ()))
        for major in job.get("preferred_majors", ()):
            out.setdefault(major, Counter()).update(asked)
    return out


def _market_pick(
    rng: np.random.Generator, counts: Mapping[str, int] | None, held: Sequence[str]
) -> list[str]:
    """Zero to three skills drawn from ``counts``, weighted by the square root of the count."""
    if not counts:
        return []
    names = sorted(s for s in counts if s not in held)
    k = min(len(names), int(rng.integers(0, _MARKET_SKILLS_MAX + 1)))
    if k == 0:
        return []
    weights = np.sqrt(np.array([counts[s] for s in names], dtype=float))
    chosen = rng.choice(len(names), size=k, replace=False, p=weights / weights.sum())
    return [names[int(i)] for i in sorted(chosen)]


def build_candidates(
    n_candidates: int,
    rng: np.random.Generator,
    *,
    schools: Sequence[School],
    cities: CityTable,
    majors: MajorVocabulary,
    skills: SkillVocabulary,
    fields: FieldIndex,
    market: Mapping[str, Mapping[str, int]] | None = None,
) -> list[dict[str, Any]]:
    """Draw ``n_candidates`` graduate profiles as ``Candidate.from_dict`` mappings.

    Parameters
    ----------
    n_candidates : int
        How many profiles to draw.
    rng : numpy.random.Generator
        Source of randomness.
    schools, cities, majors, skills, fields
        The vocabularies the profiles are drawn from.
    market : mapping of str to mapping of str to int, optional
        Skills the postings naming each major ask for (:func:`market_skills`); a graduate adds
        up to three of their major's, weighted by how many postings ask. ``None`` adds none.

    Returns
    -------
    list of dict
    """
    degrees = list(_DEGREE_SHARE)
    degree_p = np.array(list(_DEGREE_SHARE.values()))
    school_p = {d: _school_weights(schools, d) for d in degrees}
    major_list = list(majors)
    major_p: dict[str, np.ndarray] = {}
    discipline_skills: dict[str, list[str]] = {}
    for m in major_list:
        pool = discipline_skills.setdefault(m.discipline, [])
        pool.extend(skills.normalize(s) for s in m.skills if skills.normalize(s) not in pool)
    generic = [s for s in _GENERIC_SKILLS if s in skills]
    provinces = sorted(cities.by_province)
    province_p = np.array([len(cities.by_province[p]) for p in provinces], dtype=float)
    province_p /= province_p.sum()
    out = []
    for n in range(n_candidates):
        degree = degrees[int(rng.choice(len(degrees), p=degree_p))]
        school = schools[int(rng.choice(len(schools), p=school_p[degree]))]
        if school.name not in major_p:
            major_p[school.name] = _major_weights(majors, school)
        major = major_list[int(rng.choice(len(major_list), p=major_p[school.name]))]
        year = int(rng.choice([2025, 2026, 2027], p=[0.25, 0.5, 0.25]))
        # Most graduates study in their home province.
        home = (
            school.province
            if rng.random() < 0.6
            else str(rng.choice(np.array(provinces), p=province_p))
        )
        related = [skills.normalize(s) for s in major.skills if s in skills]
        own = _pick(rng, related, int(rng.integers(max(1, len(related) // 2), len(related) + 1)))
        common = _pick(rng, generic, int(rng.integers(1, 4)))
        # Now and then a skill from a neighbouring major of the same discipline (a minor, a
        # course, a hobby project).
        near = discipline_skills[major.discipline]
        noise = _pick(rng, near, 1) if rng.random() < 0.4 else []
        held = list(dict.fromkeys(own + noise))
        asked = _market_pick(rng, (market or {}).get(major.name), held)
        cand_skills = list(dict.fromkeys(held + asked + common))
        # Wishes: the school's city, a city of the home province, and often one big city.
        wished = [school.city]
        wished.append(cities.province_capital_like(home).name)
        if rng.random() < 0.55:
            wished.append(cities.big_cities[int(rng.integers(len(cities.big_cities)))].name)
        wished = list(dict.fromkeys(wished))[: int(rng.integers(1, 4))]
        families = list(fields.families_of_major(major.name))
        desired = _pick(rng, families, int(rng.integers(1, 4))) if families else []
        tier = min(cities.by_name[c].tier for c in wished)
        pay = _EXPECTED_PAY[degree] * TIER_PAY[tier] * float(rng.lognormal(0.0, 0.15))
        if major.major_class in _HIGH_PAY_CLASSES:
            pay *= 1.25
        experience = float(rng.choice([0.0, 0.5, 1.0], p=[0.5, 0.3, 0.2])) if year == 2025 else 0.0
        profile = {
            "school": school.name,
            "degree": degree.value,
            "major": major.name,
            "graduation_year": year,
            "skills": cand_skills,
            "desired_cities": wished,
            "desired_job_types": desired,
            "expected_salary": int(round(pay / 500.0)) * 500,
            "experience_years": experience,
        }
        tasks = fields.sample_tasks(major.name, rng, k=int(rng.integers(3, 6)))
        if rng.random() < _ENGLISH_SHARE:
            text = english_resume(profile, major, skills, rng)
        else:
            text = chinese_resume(profile, tasks, skills, rng)
        out.append(
            {
                "id": f"c{n + 1:05d}",
                "resume_text": text,
                **profile,
                "sensitive": _sensitive(rng, year, home),
            }
        )
    return out
