"""Known answers for the text extractors, Chinese and English."""

from __future__ import annotations

import pytest

from matching.ingest import (
    extract_degree,
    extract_experience_years,
    extract_graduation_year,
    extract_highest_degree,
    extract_min_degree,
    extract_salary,
)
from matching.lexicon import extract_cities
from matching.records import DegreeLevel

A, B, M, D = DegreeLevel.ASSOCIATE, DegreeLevel.BACHELOR, DegreeLevel.MASTER, DegreeLevel.DOCTOR


class TestDegree:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("本科及以上学历", B),
            ("硕士及以上", M),
            ("大专以上", A),
            ("博士研究生学历", D),
            ("本科及以上学历，硕士优先", B),
            ("学历要求：统招本科", B),
            ("研究生学历", M),
            ("高职院校教师岗位，硕士及以上学历", M),
            ("中专及以上学历", None),
            ("学历不限", None),
            ("Bachelor's degree in Computer Science required", B),
            ("Master's degree or above; PhD preferred", M),
            ("BS/MS in Electrical Engineering", B),
            ("负责产品推广工作", None),
        ],
    )
    def test_job_minimum(self, text: str, expected: DegreeLevel | None) -> None:
        assert extract_min_degree(text) == expected
        assert extract_degree(text, side="job") == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2024年硕士毕业于浙江大学", M),
            ("2021年本科毕业，2024年硕士毕业于浙江大学", M),
            ("大专学历，汽修专业", A),
            ("PhD in Physics, Peking University", D),
            ("B.S. in Economics", B),
        ],
    )
    def test_resume_highest(self, text: str, expected: DegreeLevel) -> None:
        assert extract_highest_degree(text) == expected
        assert extract_degree(text) == expected  # no requirement words: read as a resume

    def test_side_is_checked(self) -> None:
        with pytest.raises(ValueError, match="side must be"):
            extract_degree("本科", side="employer")  # type: ignore[arg-type]


class TestExperience:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("3年以上工作经验", 3.0),
            ("1-3年", 1.0),
            ("3-5年", 3.0),
            ("应届", 0.0),
            ("经验不限", 0.0),
            ("欢迎应届毕业生", 0.0),
            ("1年以下", 0.0),
            ("三年以上Java开发经验", 3.0),
            ("半年以上实习经验", 0.5),
            ("工作经验：3年", 3.0),
            ("1.本科学历；2.10年以上工作经验", 10.0),
            ("5年以上工作经验，其中3年以上团队管理经验", 5.0),
            ("应届生勿扰，3年以上经验", 3.0),
            ("3+ years", 3.0),
            ("3+ years of Python experience", 3.0),
            ("at least 2 years of experience", 2.0),
            ("Minimum of two years experience", 2.0),
            ("3-5 years", 3.0),
            ("No experience required", 0.0),
        ],
    )
    def test_known_answers(self, text: str, expected: float) -> None:
        assert extract_experience_years(text) == expected

    @pytest.mark.parametrize("text", ["公司成立10年", "2024年毕业", "负责数据分析", "2019年加入"])
    def test_unrelated_numbers_are_ignored(self, text: str) -> None:
        assert extract_experience_years(text) is None


class TestSalary:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("15k-25k", (15000, 25000)),
            ("15-25K·13薪", (15000, 25000)),
            ("1.5-2万/月", (15000, 20000)),
            ("20-30万/年", (16667, 25000)),
            ("年薪20万", (16667, 16667)),
            ("8000-12000元", (8000, 12000)),
            ("薪资：8000-12000", (8000, 12000)),
            ("8千-1.2万", (8000, 12000)),
            ("月薪1万", (10000, 10000)),
            ("15k以上", (15000, 15000)),
            ("200元/天", (4350, 4350)),
            ("RMB 15,000-20,000 per month", (15000, 20000)),
            ("¥200k-300k per year", (16667, 25000)),
        ],
    )
    def test_monthly_cny(self, text: str, expected: tuple[int, int]) -> None:
        assert extract_salary(text) == expected

    @pytest.mark.parametrize(
        "text",
        [
            "薪资面议",
            "$5,000-$8,000 per month",
            "公司规模500-1000人",
            "注册资本500万",
            "2000-2021年",
            "5W电源设计",
        ],
    )
    def test_non_salaries_are_ignored(self, text: str) -> None:
        assert extract_salary(text) is None


class TestCities:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("工作地点：北京市海淀区，或上海、深圳", ("北京", "上海", "深圳")),
            ("杭州/苏州", ("杭州", "苏州")),
            ("重庆市", ("重庆",)),
            ("吉林市", ("吉林",)),
            ("广东中山", ("中山",)),
            ("中山", ("中山",)),
            ("Based in Shenzhen or Hong Kong", ("深圳", "香港")),
            ("中山大学毕业，爱吃三明治", ()),
            ("南京路步行街", ()),
        ],
    )
    def test_known_answers(self, text: str, expected: tuple[str, ...]) -> None:
        assert extract_cities(text) == expected


class TestGraduationYear:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2024届", 2024),
            ("24届毕业生", 2024),
            ("2024年6月毕业", 2024),
            ("毕业时间：2025", 2025),
            ("面向2025届应届毕业生", 2025),
            ("Class of 2025", 2025),
            ("Expected graduation: June 2025", 2025),
            ("2020.09-2024.06 浙江大学 本科\n2024.09-2027.06 北京大学 硕士", 2027),
            ("2016-2020 Peking University, B.S.", 2020),
        ],
    )
    def test_known_answers(self, text: str, expected: int) -> None:
        assert extract_graduation_year(text) == expected

    @pytest.mark.parametrize("text", ["3年以上经验", "2019.07-2022.05 某公司 工程师"])
    def test_no_year(self, text: str) -> None:
        assert extract_graduation_year(text) is None
