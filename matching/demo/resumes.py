"""Resume texts of the demo graduates, assembled from the profile and real task statements.

The experience lines are task statements of real occupations the graduate's major leads to
(from the 2022 occupational classification), so two graduates of one major rarely share a line.
The surrounding layout varies the way real resumes do: section names, their order, date styles,
list markers and skill verbs are each drawn per resume.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from matching.lexicon import GENERAL_CATEGORIES, Major, SkillVocabulary

__all__ = ["TaskLine", "chinese_resume", "english_resume"]

#: ``(occupation title, task statement)``: one real duty of an occupation.
TaskLine = tuple[str, str]

_DEGREE_CN = {
    "associate": "专科",
    "bachelor": "本科",
    "master": "硕士研究生",
    "doctor": "博士研究生",
}
_DEGREE_EN = {
    "associate": "Associate degree",
    "bachelor": "Bachelor's degree",
    "master": "Master's degree",
    "doctor": "PhD",
}
# Years of study before graduation, per degree.
_YEARS = {"associate": 3, "bachelor": 4, "master": 3, "doctor": 4}

_HEADS = {
    "education": ("教育背景", "教育经历", "学历信息"),
    "skills": ("专业技能", "技能特长", "个人技能"),
    "internship": ("实习经历", "实践经历", "工作经历"),
    "project": ("项目经历", "校内实践", "课程与项目"),
    "intention": ("求职意向", "期望工作", "应聘意向"),
    "general": ("语言与证书", "其他技能", "通用能力"),
}
_MARKERS = ("- ", "• ", "· ", "")
_VERBS = (("熟练掌握", "熟悉"), ("掌握", "了解"), ("精通", "熟悉"), ("熟悉", "了解"))
# Where an internship of a given kind happens; the first cue that the occupation matches wins.
_UNITS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("编辑|记者|出版|播音|主持|媒体|运营", ("传媒公司", "出版社", "融媒体中心")),
    ("医|护|药|康复|卫生|营养|健康", ("医院", "卫生服务中心")),
    ("教师|教学|幼儿|教育|辅导", ("中学", "小学", "教育机构")),
    ("设计|美术|动画", ("设计公司", "设计院")),
    ("软件|算法|数据|网络|信息|计算机|人工智能|通信", ("科技公司", "软件公司")),
    ("会计|审计|税|金融|银行|证券|保险|投资", ("会计师事务所", "银行", "证券公司")),
    ("律师|法", ("律师事务所", "法院")),
    ("农|林|畜|兽|水产|园艺", ("农业科技公司", "农业技术推广站")),
    ("研究|工程技术|实验", ("研究所", "制造企业", "工程公司")),
    ("", ("公司", "事业单位", "服务公司", "企业")),
)
_PROJECT_STYLES = ("参与", "负责", "完成", "协助")
_PROJECT_KINDS = ("课程设计", "毕业设计", "科研项目", "社会实践", "创新创业项目")


def _unit_kinds(occupation: str) -> tuple[str, ...]:
    return next(units for cue, units in _UNITS if re.search(cue, occupation))


def _date(year: int, month: int, style: int) -> str:
    return (f"{year}.{month:02d}", f"{year}年{month}月", f"{year}/{month:02d}")[style]


def _choice(rng: np.random.Generator, items: Sequence[str]) -> str:
    return items[int(rng.integers(len(items)))]


def chinese_resume(
    profile: dict[str, Any],
    tasks: Sequence[TaskLine],
    skills: SkillVocabulary,
    rng: np.random.Generator,
) -> str:
    """A Chinese resume for ``profile`` (the structured fields of a demo candidate).

    Parameters
    ----------
    profile : dict
        ``school``, ``degree``, ``major``, ``graduation_year``, ``skills``,
        ``desired_cities``, ``desired_job_types``, ``expected_salary``.
    tasks : sequence of TaskLine
        Real duties of occupations related to the major; the first ones become internship
        lines, the last one a project.
    skills : SkillVocabulary
        For the category of each skill.
    rng : numpy.random.Generator

    Returns
    -------
    str
    """
    style = int(rng.integers(3))
    marker = _choice(rng, _MARKERS)
    year = profile["graduation_year"]
    start = year - _YEARS[profile["degree"]]
    sep = "-" if style != 1 else "至"
    education = (
        f"{_choice(rng, _HEADS['education'])}：{_date(start, 9, style)}{sep}{_date(year, 6, style)}"
        f" {profile['school']} {profile['major']}专业 {_DEGREE_CN[profile['degree']]}"
    )
    # Languages, certificates, office tools and soft skills go on a line of their own; the
    # verbs (熟练掌握 / 了解) only suit the professional ones.
    general = [s for s in profile["skills"] if skills.category(s) in GENERAL_CATEGORIES]
    special = [s for s in profile["skills"] if s not in general] or general
    strong, weak = _VERBS[int(rng.integers(len(_VERBS)))]
    cut = max(1, (len(special) + 1) // 2)
    skill_line = f"{_choice(rng, _HEADS['skills'])}：{strong}{'、'.join(special[:cut])}"
    if special[cut:]:
        skill_line += f"；{weak}{'、'.join(special[cut:])}"
    if general and special is not general:
        skill_line += f"\n{_choice(rng, _HEADS['general'])}：{'、'.join(general)}"
    sections = [education, skill_line]
    body = list(tasks)
    if len(body) >= 2:
        occupation = body[0][0]
        intern_year = year - 1
        m0 = int(rng.integers(1, 9))
        lines = [
            f"{_choice(rng, _HEADS['internship'])}：{_date(intern_year, m0, style)}{sep}"
            f"{_date(intern_year, m0 + int(rng.integers(1, 4)), style)} "
            f"{profile['desired_cities'][0]}某{_choice(rng, _unit_kinds(occupation))} "
            f"{occupation}（实习）"
        ]
        lines += [f"{marker}{task}" for _, task in body[:-1]]
        sections.append("\n".join(lines))
        project = (
            f"{_choice(rng, _HEADS['project'])}：{_choice(rng, _PROJECT_STYLES)}"
            f"{_choice(rng, _PROJECT_KINDS)}，内容为{body[-1][1]}"
        )
        # Real resumes put projects before or after internships about equally often.
        sections.insert(len(sections) if rng.random() < 0.5 else 2, project)
    intention = f"{_choice(rng, _HEADS['intention'])}：{'、'.join(profile['desired_job_types'])}"
    intention += f"；期望城市：{'、'.join(profile['desired_cities'])}"
    intention += f"；期望月薪：{profile['expected_salary']}元"
    sections.append(intention)
    return "\n".join(sections)


def _english_skill(name: str, skills: SkillVocabulary) -> str | None:
    if name.isascii():
        return name
    entry = skills.get(name)
    if entry is None:
        return None
    for alias in entry.aliases:
        if alias.isascii() and len(alias) > 2:
            return alias
    return None


def english_resume(
    profile: dict[str, Any], major: Major, skills: SkillVocabulary, rng: np.random.Generator
) -> str:
    """An English resume for ``profile``; skills are given by their English names.

    Parameters
    ----------
    profile : dict
        As for :func:`chinese_resume`.
    major : Major
        The major's vocabulary entry, for its English name and discipline.
    skills : SkillVocabulary
        For the English aliases of Chinese skill names.
    rng : numpy.random.Generator

    Returns
    -------
    str
    """
    year = profile["graduation_year"]
    start = year - _YEARS[profile["degree"]]
    names = [e for e in (_english_skill(s, skills) for s in profile["skills"]) if e]
    field = major.english or major.name
    lines = [
        f"Education: {_DEGREE_EN[profile['degree']]} in {field}, {profile['school']}, "
        f"{start}-{year}",
    ]
    if names:
        lead = _choice(rng, ("Skills", "Technical skills", "Core skills"))
        lines.append(f"{lead}: {', '.join(names)}")
    kind = _choice(rng, ("course projects", "a graduation project", "a research project"))
    lines.append(f"Projects: {kind} in {field}" + (f" using {names[0]}" if names else ""))
    lines.append(
        f"Objective: entry-level position related to {field}; preferred cities: "
        f"{', '.join(profile['desired_cities'])}; expected salary {profile['expected_salary']} "
        "CNY per month"
    )
    return "\n".join(lines)
