"""Fixtures of the service tests: a small Chinese engine built once, and apps over copies of it.

The engine is built once per session with the real default encoder and saved to a temporary
directory; each test that writes gets its own copy of that directory, so tests never see each
other's writes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from matching import MatchingEngine
from service import Settings, create_app

# (title, description, required skills, preferred majors, min degree)
_ROLES = [
    (
        "数据分析师",
        "负责业务数据分析与报表，熟悉SQL和Python，会用Excel做数据可视化",
        ["SQL", "Python", "Excel"],
        ["统计学", "数学与应用数学"],
        "本科",
    ),
    (
        "Java后端开发工程师",
        "参与后端服务开发，熟悉Java、Spring Boot和MySQL，了解Redis",
        ["Java", "Spring Boot", "MySQL"],
        ["计算机科学与技术", "软件工程"],
        "本科",
    ),
    (
        "前端开发工程师",
        "负责Web前端开发，熟悉JavaScript、Vue和HTML/CSS",
        ["JavaScript", "Vue", "HTML"],
        ["软件工程", "计算机科学与技术"],
        "大专",
    ),
    (
        "会计",
        "负责日常账务处理和税务申报，熟悉财务软件，持有初级会计证书",
        ["会计", "税务", "Excel"],
        ["会计学", "财务管理"],
        "大专",
    ),
    (
        "机器学习算法工程师",
        "负责推荐算法研发，熟悉Python、PyTorch和机器学习",
        ["Python", "PyTorch", "机器学习"],
        ["计算机科学与技术", "人工智能"],
        "硕士",
    ),
    (
        "小学语文教师",
        "承担小学语文教学工作，具有教师资格证，普通话二级甲等以上",
        ["教学", "普通话"],
        ["汉语言文学", "小学教育"],
        "本科",
    ),
    ("护士", "负责病房护理工作，持有护士执业资格证", ["护理"], ["护理学"], "大专"),
    (
        "电气工程师",
        "负责配电系统设计与调试，熟悉AutoCAD和PLC",
        ["AutoCAD", "PLC", "电气设计"],
        ["电气工程及其自动化"],
        "本科",
    ),
]
_CITIES = ["北京", "上海", "深圳", "成都"]
_EMPLOYERS = ["国家电网", "华为", "腾讯", "四川省人民医院", "成都市实验小学", "招商银行"]

# (resume, major, degree, skills)
_PROFILES = [
    ("统计学本科，熟悉Python和SQL，做过电商数据分析实习", "统计学", "本科", ["Python", "SQL"]),
    (
        "计算机科学与技术本科，熟悉Java和MySQL，参与过校园项目后端开发",
        "计算机科学与技术",
        "本科",
        ["Java", "MySQL"],
    ),
    ("软件工程专科，熟悉JavaScript和Vue，做过网页开发", "软件工程", "大专", ["JavaScript", "Vue"]),
    ("会计学专科，持有初级会计证书，熟悉Excel", "会计学", "大专", ["会计", "Excel"]),
    (
        "人工智能硕士，熟悉Python、PyTorch，发表过机器学习论文",
        "人工智能",
        "硕士",
        ["Python", "PyTorch", "机器学习"],
    ),
    ("汉语言文学本科，有教师资格证，普通话二级甲等", "汉语言文学", "本科", ["教学", "普通话"]),
    ("护理学专科，持有护士执业资格证，在医院实习一年", "护理学", "大专", ["护理"]),
    ("电气工程及其自动化本科，熟悉AutoCAD和PLC", "电气工程及其自动化", "本科", ["AutoCAD", "PLC"]),
]

SENSITIVE = {
    "hardship": ["低保家庭"],
    "gender": "female",
    "disability": True,
    "ethnicity": "彝族",
    "origin": "云南省凉山州",
}


def make_jobs() -> list[dict[str, Any]]:
    """32 jobs: every role in every city; one job of each role has long expired."""
    jobs = []
    for r, (title, desc, skills, majors, degree) in enumerate(_ROLES):
        for c, city in enumerate(_CITIES):
            low = 5000 + 1000 * r + 500 * c
            jobs.append(
                {
                    "id": f"j{r}{c}",
                    "title": title,
                    "description": desc,
                    "employer": _EMPLOYERS[(r + c) % len(_EMPLOYERS)],
                    "city": city,
                    "required_skills": skills,
                    "preferred_majors": majors,
                    "min_degree": degree,
                    "salary_min": low,
                    "salary_max": low + 4000,
                    "employment_type": "实习" if c == 3 else "全职",
                    "posted_at": "2020-01-01" if c == 2 else "2025-09-01",
                    "deadline": "2020-03-01" if c == 2 else "2099-12-31",
                    "key_sector": r in (6, 7),
                }
            )
    return jobs


def make_candidates() -> list[dict[str, Any]]:
    """24 candidates: three per profile, in different cities and graduation years."""
    cands = []
    for p, (resume, major, degree, skills) in enumerate(_PROFILES):
        for v in range(3):
            cand: dict[str, Any] = {
                "id": f"c{p}{v}",
                "resume_text": resume,
                "school": ["四川大学", "北京大学", "深圳大学"][v],
                "major": major,
                "degree": degree,
                "graduation_year": 2025 + v % 2,
                "skills": skills,
                "desired_cities": [_CITIES[(p + v) % len(_CITIES)], _CITIES[v]],
                "expected_salary": 6000 + 1000 * v,
            }
            if v == 1:
                cand["sensitive"] = SENSITIVE
            cands.append(cand)
    return cands


def make_events() -> list[dict[str, Any]]:
    """Events of eight candidates with jobs of their own role (and a view elsewhere)."""
    events = []
    for p in range(len(_PROFILES)):
        cid = f"c{p}0"
        events.append({"candidate_id": cid, "job_id": f"j{p}0", "type": "apply"})
        events.append({"candidate_id": cid, "job_id": f"j{p}1", "type": "interview"})
        events.append({"candidate_id": cid, "job_id": f"j{(p + 1) % 8}0", "type": "view"})
    return events


@pytest.fixture(scope="session")
def dataset() -> dict[str, list[dict[str, Any]]]:
    """The records of the template engine (test modules cannot import this conftest)."""
    return {"jobs": make_jobs(), "candidates": make_candidates(), "events": make_events()}


@pytest.fixture(scope="session")
def sensitive() -> dict[str, Any]:
    """The sensitive record of every candidate whose id ends in 1."""
    return dict(SENSITIVE)


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An engine directory with the jobs, candidates and events above (built once)."""
    path = tmp_path_factory.mktemp("engine-template")
    engine = MatchingEngine(path=path)
    engine.add_jobs(make_jobs())
    engine.add_candidates(make_candidates())
    engine.record_events(make_events())
    engine.save()
    engine.close()
    return path


@pytest.fixture(scope="session")
def encoder(template_dir: Path) -> Any:
    """The default encoder, loaded once and shared by the engines of the tests."""
    engine = MatchingEngine.load(template_dir)
    try:
        return engine.encoder
    finally:
        engine.close()


@pytest.fixture
def engine_dir(template_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the template engine directory."""
    target = tmp_path / "engine"
    shutil.copytree(template_dir, target)
    return target


def _open(engine_dir: Path, encoder: Any, **settings: Any) -> tuple[TestClient, MatchingEngine]:
    # Most tests are about what the routes do, not who may call them: roles are off unless a
    # test turns them on (the service's own default is on).
    settings.setdefault("auth", "off")
    settings.setdefault("rate_limit", 0)
    engine = MatchingEngine.load(engine_dir, encoder=encoder)
    app = create_app(Settings(engine_dir=engine_dir, **settings), engine=engine)
    return TestClient(app), engine


@pytest.fixture
def make_client(engine_dir: Path, encoder: Any) -> Iterator[Callable[..., TestClient]]:
    """A factory of started clients over this test's engine copy, with the given settings."""
    opened: list[tuple[TestClient, MatchingEngine]] = []

    def make(**settings: Any) -> TestClient:
        test_client, engine = _open(engine_dir, encoder, **settings)
        test_client.__enter__()
        opened.append((test_client, engine))
        return test_client

    yield make
    for test_client, engine in reversed(opened):
        test_client.__exit__(None, None, None)
        engine.close()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    """A client of an app over a private engine copy (writes allowed)."""
    return make_client()


@pytest.fixture(scope="module")
def read_client(
    template_dir: Path, encoder: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """A client shared by the read-only tests of a module."""
    target = tmp_path_factory.mktemp("engine-read") / "engine"
    shutil.copytree(template_dir, target)
    test_client, engine = _open(target, encoder)
    with test_client:
        yield test_client
    engine.close()
