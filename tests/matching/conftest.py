"""Fixtures for the matching tests: a real encoder and a small engine of Chinese records."""

from __future__ import annotations

from typing import Any

import pytest

from embeddings import UniversalSentenceEncoder
from matching import MatchingEngine

JOBS: list[dict[str, Any]] = [
    {
        "id": "j-data",
        "title": "数据分析师",
        "city": "杭州",
        "employer": "杭州某科技公司",
        "description": "负责业务数据分析与报表，熟悉SQL、Python，掌握统计学方法，本科及以上学历，"
        "统计学、数学相关专业优先",
        "posted_at": "2026-03-01",
        "deadline": "2026-06-30",
    },
    {
        "id": "j-java",
        "title": "Java开发工程师",
        "city": "深圳",
        "description": "参与后端服务开发，熟悉Java、Spring、MySQL、Redis，计算机相关专业本科及以上",
        "posted_at": "2026-03-02",
        "deadline": "2026-07-31",
    },
    {
        "id": "j-acct",
        "title": "会计",
        "city": "杭州",
        "description": "负责账务处理、财务报表和税务申报，会计学、财务管理专业，大专及以上",
        "posted_at": "2026-02-20",
        "deadline": "2026-05-31",
    },
    {
        "id": "j-nurse",
        "title": "护士",
        "city": "成都",
        "description": "临床护理工作，护理学专业，持有护士资格证，大专及以上",
        "posted_at": "2026-03-05",
    },
    {
        "id": "j-teach",
        "title": "中学数学教师",
        "city": "西安",
        "description": "负责初中数学教学与课程设计，数学与应用数学专业，本科及以上，具有教师资格证",
        "posted_at": "2026-01-15",
        "grassroots_programme": True,
    },
    {
        "id": "j-ml",
        "title": "算法工程师",
        "city": "北京",
        "description": "研究机器学习、深度学习算法，熟悉Python、PyTorch，硕士及以上学历",
        "posted_at": "2026-03-03",
    },
    {
        "id": "j-design",
        "title": "UI设计师",
        "city": "上海",
        "description": "负责移动端界面设计，熟练使用Photoshop、Figma，视觉传达设计相关专业",
        "posted_at": "2026-02-28",
    },
    {
        "id": "j-mkt",
        "title": "新媒体运营",
        "city": "广州",
        "description": "负责公众号与短视频运营、内容策划和数据分析，市场营销相关专业",
        "posted_at": "2026-03-04",
    },
]

CANDIDATES: list[dict[str, Any]] = [
    {
        "id": "c-stat",
        "resume_text": "2026届统计学本科，熟悉Python和SQL，做过用户行为数据分析项目",
        "desired_cities": ["杭州"],
    },
    {
        "id": "c-cs",
        "resume_text": "软件工程专业本科，熟悉Java、Spring Boot和MySQL，实习做过后端开发",
        "desired_cities": ["深圳", "广州"],
        "sensitive": {"hardship": ["脱贫家庭"], "gender": "male"},
    },
    {
        "id": "c-acct",
        "resume_text": "会计学专科毕业，熟悉财务报表、税务申报，持有初级会计证",
        "sensitive": {"gender": "female", "disability": True},
    },
    {
        "id": "c-nurse",
        "resume_text": "护理学大专，有三甲医院临床护理实习经历",
        "sensitive": {"gender": "female"},
    },
    {
        "id": "c-ml",
        "resume_text": "计算机科学与技术硕士，研究方向深度学习，熟悉PyTorch和Python",
        "sensitive": {"gender": "male"},
    },
    {
        "id": "c-en",
        "resume_text": "Bachelor of Finance, skilled in Excel and financial analysis, "
        "internship in auditing",
    },
]


@pytest.fixture(scope="session")
def use_encoder() -> UniversalSentenceEncoder:
    return UniversalSentenceEncoder()


@pytest.fixture
def engine(use_encoder: UniversalSentenceEncoder) -> MatchingEngine:
    eng = MatchingEngine(encoder=use_encoder)
    eng.add_jobs(JOBS)
    eng.add_candidates(CANDIDATES)
    return eng
