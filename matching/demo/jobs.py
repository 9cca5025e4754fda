"""Job postings for the demo, half from real Chinese descriptions and half from real occupations.

* **Real descriptions** (51job / Zhilian texts on algorithm, hardware and software work): the
  description is the real text; the title is read from its technology stack
  (:mod:`matching.demo.titles`); minimum degree, experience, skills, majors, city and, where
  given, salary are read from the text with the project's extractors.
* **Occupations** of the 2022 classification, across every family that graduates' majors lead
  to: the title is the occupation's name or one of its market titles, and the description is
  built from its real definition and task list.

Employer, city, pay and dates are drawn for both kinds so that every structured field is filled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np

from matching.demo.employers import draw_employer_type, industry_of, make_employer, salary_range
from matching.demo.fields import FieldIndex
from matching.demo.geo import WESTERN_PROVINCES, City, CityTable
from matching.demo.sources import JobText, Occupation, market_titles
from matching.demo.titles import InferredTitle, infer_title, is_internship, stated_title
from matching.ingest import extract_experience_years, extract_min_degree, extract_salary
from matching.lexicon import MajorVocabulary, SkillVocabulary, extract_cities
from matching.records import DegreeLevel, EmployerType

__all__ = ["build_jobs"]

_PREFERRED_CUE = re.compile(r"优先|加分|者佳|更佳|为佳|plus|preferred", re.IGNORECASE)
_CLAUSE = re.compile(r"[。；;！!\n]|(?<![0-9])[0-9]{1,2}[、.．)）]")
# Degree asked by occupation major group (first digit of the code): professionals mostly
# want a bachelor's, service posts mostly an associate degree.
_DEGREE_BY_GROUP = {
    "2": {"associate": 0.12, "bachelor": 0.7, "master": 0.15, "doctor": 0.03},
    "3": {"associate": 0.35, "bachelor": 0.6, "master": 0.05},
    "4": {"associate": 0.55, "bachelor": 0.43, "master": 0.02},
}
# Graduate hiring by major group: professional and technical posts dominate campus recruiting.
_GROUP_SHARE = {"2": 0.62, "3": 0.13, "4": 0.25}
_HEADS_DUTY = ("岗位职责", "工作内容", "主要职责", "职位描述")
_HEADS_REQ = ("任职要求", "任职资格", "岗位要求")
_HEADS_INTRO = ("岗位概述", "职位概要", "工作概述")
_DEGREE_CN = {"associate": "大专", "bachelor": "本科", "master": "硕士", "doctor": "博士"}
# Grassroots programmes and the families they staff: teaching, health, farming support and
# community work in towns and villages.
_GRASSROOTS_FAMILIES = re.compile(r"教师|教学|医|护理|卫生|农业|畜牧|林|社区|村|社会工作|行政")
_MAX_TAGS = 10
_DAY0 = date(2026, 1, 5)
_YEAR_END = date(2026, 12, 31)


def _choice(rng: np.random.Generator, items: Sequence[Any]) -> Any:
    return items[int(rng.integers(len(items)))]


def _split_skills(text: str, skills: SkillVocabulary) -> tuple[list[str], list[str]]:
    """Skills of a description: those in "...优先" clauses are preferred, the rest required."""
    required: list[str] = []
    preferred: list[str] = []
    for clause in _CLAUSE.split(text):
        target = preferred if _PREFERRED_CUE.search(clause) else required
        for s in skills.extract(clause):
            if s not in required and s not in preferred:
                target.append(s)
    return required, preferred


def _posting_dates(rng: np.random.Generator) -> tuple[date, date]:
    # Campus recruiting peaks in autumn (秋招) and spring (春招); the rest is spread out.
    season = rng.random()
    if season < 0.4:
        day = int(rng.integers(245, 334))  # September to November
    elif season < 0.7:
        day = int(rng.integers(55, 120))  # late February to April
    else:
        day = int(rng.integers(0, 330))
    posted = _DAY0 + timedelta(days=day)
    deadline = min(_YEAR_END, posted + timedelta(days=int(rng.integers(20, 91))))
    return posted, deadline


def _employment(rng: np.random.Generator, intern_text: bool) -> str:
    if intern_text:
        return "internship"
    # Campus postings are overwhelmingly full-time; a few are internships or fixed-term.
    r = rng.random()
    if r < 0.07:
        return "internship"
    if r < 0.10:
        return "contract"
    return "part_time" if r < 0.11 else "full_time"


def _finish(
    job: dict[str, Any],
    code: str,
    cities: CityTable,
    rng: np.random.Generator,
    *,
    city: City | None = None,
    salary: tuple[int, int] | None = None,
    intern_text: bool = False,
) -> dict[str, Any]:
    """Fill employer, city, pay, dates and flags of a posting whose content is known.

    ``city`` is the city the text names, if any; otherwise one is drawn (public bodies are
    spread over the country more evenly than companies).
    """
    industry = industry_of(code)
    kind = draw_employer_type(industry, rng)
    public = kind in (EmployerType.PUBLIC_INSTITUTION, EmployerType.GOVERNMENT)
    if city is None:
        city = cities.sample_public_city(rng) if public else cities.sample_job_city(rng)
    employer = make_employer(
        industry, city, rng, kind=kind, hint=f"{job['job_type']}{job['title']}"
    )
    job["employment_type"] = _employment(rng, intern_text)
    internship = job["employment_type"] == "internship"
    degree = DegreeLevel(job["min_degree"])
    # A stated figure below a full-time wage is a student allowance, not a salary.
    floor = 1000 if internship else 2500
    if salary is None or not floor <= salary[0] <= salary[1] <= 200_000:
        salary = salary_range(degree, city, employer.pay, job["experience_years"], internship, rng)
    posted, deadline = _posting_dates(rng)
    job.update(
        employer=employer.name,
        employer_type=employer.type.value,
        industry=employer.industry,
        city=city.name,
        salary_min=salary[0],
        salary_max=salary[1],
        headcount=int(min(30, rng.geometric(0.45) + (rng.random() < 0.1) * 4)),
        posted_at=posted.isoformat(),
        deadline=deadline.isoformat(),
        key_sector=bool(rng.random() < employer.key_sector_rate),
        grassroots_programme=False,
    )
    public = employer.type in (EmployerType.PUBLIC_INSTITUTION, EmployerType.GOVERNMENT)
    # Grassroots programmes staff towns and villages: only public posts outside the big cities.
    if (
        public
        and city.tier == 4
        and _GRASSROOTS_FAMILIES.search(job["job_type"])
        and rng.random() < 0.7
    ):
        job["grassroots_programme"] = True
        programme = (
            "西部计划"
            if city.province in WESTERN_PROVINCES
            else ("特岗计划" if "教师" in job["job_type"] else "三支一扶")
        )
        job["description"] += (
            f"\n本岗位为{programme}基层服务项目岗位，服务期满考核合格者享受相关政策。"
        )
    return job


def _from_text(
    item: JobText,
    rng: np.random.Generator,
    cities: CityTable,
    fields: FieldIndex,
    majors: MajorVocabulary,
    skills: SkillVocabulary,
) -> dict[str, Any] | None:
    text = item.text
    experience = extract_experience_years(text)
    inferred = infer_title(text, item.category, experience_years=experience)
    stated = stated_title(text)
    code = fields.code_of_title(stated) if stated else None
    if stated and code:
        inferred = InferredTitle(f"{stated}（实习）" if is_internship(text) else stated, code)
    if inferred is None:
        return None
    family = fields.family_of_code(inferred.code)
    required, preferred = _split_skills(text, skills)
    pool = [s for s in fields.skills_of_family(family) if s not in required + preferred]
    if not required:
        # Every posting asks for something; fall back on what the family's majors bring.
        required, preferred = preferred[:2], preferred[2:]
        if not required:
            required = [str(s) for s in pool[:2]]
            pool = pool[2:]
    if not preferred:
        preferred = [str(s) for s in rng.permutation(pool)[: int(rng.integers(1, 3))]]
    wanted = list(majors.extract(text)) or fields.sample_majors(
        family, rng, skills=required + preferred
    )
    degree = extract_min_degree(text) or DegreeLevel.BACHELOR
    named = [c for c in extract_cities(text) if c in cities.by_name]
    job = {
        "title": inferred.title,
        "description": text,
        "job_type": family,
        "min_degree": degree.value,
        "preferred_majors": wanted,
        # Boards cap skill tags; long texts keep the skills they mention first.
        "required_skills": [str(s) for s in required[:_MAX_TAGS]],
        "preferred_skills": [str(s) for s in preferred[:_MAX_TAGS]],
        "experience_years": round(2 * (experience or 0.0)) / 2,
    }
    return _finish(
        job,
        inferred.code,
        cities,
        rng,
        city=cities.by_name[named[0]] if named else None,
        salary=extract_salary(text),
        intern_text=is_internship(text),
    )


def _title_of(occ: Occupation, rng: np.random.Generator) -> str:
    market = market_titles(occ)
    if market and rng.random() < 0.6:
        return str(_choice(rng, market))
    return occ.name


def _description(occ: Occupation, job: dict[str, Any], rng: np.random.Generator) -> str:
    """A posting text from the occupation's real definition and tasks, plus the requirements."""
    k = int(rng.integers(min(3, len(occ.tasks)), len(occ.tasks) + 1))
    tasks = [occ.tasks[int(i)] for i in sorted(rng.choice(len(occ.tasks), size=k, replace=False))]
    marker = _choice(rng, ("{n}.", "{n}、", "（{n}）"))
    lines = []
    if rng.random() < 0.6:
        lines.append(f"{_choice(rng, _HEADS_INTRO)}：{occ.definition}")
    lines.append(f"{_choice(rng, _HEADS_DUTY)}：")
    lines += [f"{marker.format(n=i + 1)}{t}；" for i, t in enumerate(tasks)]
    reqs = [
        f"{_DEGREE_CN[job['min_degree']]}及以上学历，{'、'.join(job['preferred_majors'])}等相关专业"
    ]
    reqs.append(f"{_choice(rng, ('熟悉', '掌握', '具备'))}{'、'.join(job['required_skills'])}")
    if job["preferred_skills"]:
        reqs.append(f"有{'、'.join(job['preferred_skills'])}相关经验者优先")
    years = job["experience_years"]
    reqs.append(
        f"{years:g}年以上相关工作经验"
        if years
        else _choice(rng, ("欢迎应届毕业生", "应届毕业生亦可", "经验不限，接受应届生"))
    )
    lines.append(f"{_choice(rng, _HEADS_REQ)}：")
    lines += [f"{marker.format(n=i + 1)}{r}；" for i, r in enumerate(reqs)]
    return "\n".join(lines)


def _from_occupation(
    occ: Occupation,
    rng: np.random.Generator,
    fields: FieldIndex,
    skills: SkillVocabulary,
) -> dict[str, Any]:
    family = occ.group
    shares = _DEGREE_BY_GROUP[occ.code[0]]
    if occ.code.startswith("2-01"):  # research posts ask for postgraduates
        shares = {"master": 0.7, "doctor": 0.3}
    degree = str(rng.choice(np.array(list(shares)), p=np.array(list(shares.values()))))
    own = list(skills.extract(occ.definition + "；".join(occ.tasks)))
    pool = [s for s in fields.skills_of_family(family) if s not in own]
    drawn = [str(s) for s in rng.permutation(pool)[: int(rng.integers(2, 6))]]
    n_req = max(1, min(len(own) + len(drawn) - 1, int(rng.integers(2, 5))))
    merged = list(dict.fromkeys(own + drawn))[: 2 * _MAX_TAGS]
    if len(merged) <= n_req and pool:
        # Keep one nice-to-have skill: boards show both lists.
        merged.append(str(pool[-1]))
    job = {
        "title": _title_of(occ, rng),
        "job_type": family,
        "min_degree": degree,
        "preferred_majors": fields.sample_majors(family, rng),
        "required_skills": merged[:n_req],
        "preferred_skills": merged[n_req:],
        "experience_years": float(rng.choice([0.0, 1.0, 2.0, 3.0], p=[0.72, 0.15, 0.09, 0.04])),
    }
    job["description"] = _description(occ, job, rng)
    return job


def build_jobs(
    n_jobs: int,
    rng: np.random.Generator,
    *,
    texts: Sequence[JobText],
    occupations: Sequence[Occupation],
    cities: CityTable,
    fields: FieldIndex,
    majors: MajorVocabulary,
    skills: SkillVocabulary,
) -> list[dict[str, Any]]:
    """Draw ``n_jobs`` postings as ``Job.from_dict`` mappings, half of each kind.

    Parameters
    ----------
    n_jobs : int
        How many postings to make.
    rng : numpy.random.Generator
        Source of randomness.
    texts, occupations, cities, fields, majors, skills
        The sources and vocabularies the postings are drawn from.

    Returns
    -------
    list of dict
        Postings with ids ``j00001`` upward; real-text postings first.
    """
    out: list[dict[str, Any]] = []
    for i in rng.permutation(len(texts)):
        if len(out) >= n_jobs // 2:
            break
        job = _from_text(texts[int(i)], rng, cities, fields, majors, skills)
        if job is not None:
            out.append(job)
    # Occupations of families that some major leads to, spread over families and major groups.
    usable = [
        o for o in occupations if fields.majors_of_family(o.group) and o.code[0] in _GROUP_SHARE
    ]
    family_size: dict[str, int] = {}
    for o in usable:
        family_size[o.group] = family_size.get(o.group, 0) + 1
    group_size: dict[str, float] = {}
    for o in usable:
        group_size[o.code[0]] = group_size.get(o.code[0], 0.0) + 1 / np.sqrt(family_size[o.group])
    # Occupations that a major's job titles name directly (营销员, not 摊商) are the typical
    # graduate posts of their family; they get four times the weight of their sisters.
    direct = fields.direct_codes
    w = np.array(
        [
            _GROUP_SHARE[o.code[0]]
            / np.sqrt(family_size[o.group])
            / group_size[o.code[0]]
            * (4.0 if o.code in direct else 1.0)
            for o in usable
        ]
    )
    picks = rng.choice(len(usable), size=n_jobs - len(out), p=w / w.sum())
    for i in picks:
        occ = usable[int(i)]
        job = _from_occupation(occ, rng, fields, skills)
        out.append(_finish(job, occ.code, cities, rng))
    return [{"id": f"j{n + 1:05d}", **job} for n, job in enumerate(out)]
