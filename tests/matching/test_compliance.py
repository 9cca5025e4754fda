"""The fair-recruitment check of postings: each rule, its lawful look-alikes, and the labelled sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching.compliance import check_posting, check_postings

DATA = Path(__file__).resolve().parent.parent / "data" / "postings"


def rules_of(description: str, title: str = "") -> list[tuple[str, str]]:
    return [(f.rule, f.span) for f in check_posting({"title": title, "description": description})]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("限男性，吃苦耐劳", [("gender", "限男性")]),
        ("女生优先", [("gender", "女生优先")]),
        ("年龄18-35周岁", [("age", "年龄18-35周岁")]),
        ("1.40周岁以下，财务专业", [("age", "40周岁以下")]),
        ("95后优先", [("age", "95后")]),
        ("已婚已育优先", [("marital_status", "已婚已育优先")]),
        ("近两年无生育计划", [("marital_status", "近两年无生育计划")]),
        ("限汉族", [("ethnicity", "限汉族")]),
        ("限本地户口", [("household_registration", "限本地户口")]),
        ("能够自行解决深圳户口者优先", [("household_registration", "自行解决深圳户口")]),
        ("无乙肝等传染病", [("health", "乙肝")]),
        (
            "身高165cm以上，形象气质佳",
            [("appearance", "身高165cm以上"), ("appearance", "形象气质佳")],
        ),
        ("985/211院校硕士", [("school_tier", "985/211院校")]),
        ("入职需缴纳押金500元", [("fee", "缴纳押金500元")]),
        ("加我微信详聊", [("private_contact", "加我微信")]),
        ("Men only, under 35.", [("gender", "men only"), ("age", "under 35")]),
        ("Applicants must pay a $100 training fee.", [("fee", "pay a $100 training fee")]),
    ],
)
def test_each_rule_flags_its_span(text: str, expected: list[tuple[str, str]]) -> None:
    got = rules_of(text)
    for rule, span in expected:
        assert any(r == rule and span.lower() in s.lower() for r, s in got), (text, got)


@pytest.mark.parametrize(
    "text",
    [
        "男女不限，性别不限",
        "年满18周岁，持有效驾照",
        "面向6-12岁儿童的编程课程讲师",
        "公司可协助办理进京户口，应届生可解决北京户口",
        "享有婚假、产假、陪产假，结婚礼金",
        "入职体检费用由公司承担，每年一次健康体检",
        "不收取任何费用，公司提供免费培训",
        "负责公司品牌形象建设与企业形象宣传",
        "负责维护客户关系，提升客户口碑",
        "负责微信小程序和公众号开发，熟悉Hive和Spark",
        "不限院校，不要求985/211，能力优先",
        "负责乙肝、艾滋病等传染病的检测工作",
        "熟悉劳动法中关于婚育歧视的规定",
        "We never charge applicants any fee. Regardless of gender or ethnicity.",
        "Must be at least 18 years old.",
    ],
)
def test_lawful_look_alikes_stay_unflagged(text: str) -> None:
    assert rules_of(text) == []


def test_physical_standards_of_cabin_crew_are_not_flagged() -> None:
    text = "女性身高163-175cm，五官端正，符合民航体检标准"
    assert rules_of(text, "空中乘务员") == []
    assert [r for r, _ in rules_of(text, "行政前台")].count("appearance") >= 1


def test_spans_index_the_original_text() -> None:
    posting = {
        "title": "前台（限女性）",
        "description": "要求：年龄２０－３０岁；ｖｘ：ａｂｃ１２３４５",
    }
    for flag in check_posting(posting):
        assert posting[flag.field][flag.start : flag.end] == flag.span
    fields = {(f.field, f.rule) for f in check_posting(posting)}
    assert ("title", "gender") in fields and ("description", "age") in fields
    assert ("description", "private_contact") in fields


def test_pay_far_outside_the_market() -> None:
    assert [f.rule for f in check_posting({"description": "全职文员，月薪800元"})] == [
        "pay_outlier"
    ]
    assert [f.rule for f in check_posting({"description": "兼职，日薪100元"})] == []
    assert "pay_outlier" in {f.rule for f in check_posting({"description": "在家兼职，日赚500元"})}
    graduate = {"title": "行政助理", "description": "应届生可投，月薪5-6万"}
    assert [f.rule for f in check_posting(graduate)] == ["pay_outlier"]
    senior = {"title": "投资总监", "description": "10年以上经验，年薪80-100万"}
    assert check_posting(senior) == []
    # against comparable postings of the same occupation family and city
    peers = [
        {"title": "会计", "city": "成都", "description": f"会计，月薪{5000 + 100 * i}元"}
        for i in range(10)
    ]
    outlier = {"title": "会计", "city": "成都", "description": "会计，月薪30000-35000元"}
    flagged = {p["description"]: fs for p, fs in check_postings([*peers, outlier])}
    assert [f.rule for f in flagged[outlier["description"]]] == ["pay_outlier"]
    assert not any(flagged[p["description"]] for p in peers)


def _scores(path: Path) -> dict[str, tuple[float, float]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    out = {}
    for category in ("discrimination", "fraud"):
        tp = fp = fn = 0
        for row, flags in check_postings(rows):
            got = any(f.category == category for f in flags)
            want = category in row["categories"]
            tp, fp, fn = tp + (got and want), fp + (got and not want), fn + (want and not got)
        out[category] = (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)
    return out


@pytest.mark.parametrize(
    "name",
    [
        "real_zh_jd",
        "written_heldout",
        "written_test",
        "written_test2",
        "written_test3",
        "written_test4",
        "written_test5",
        "written_test6",
    ],
)
def test_precision_and_recall_on_the_labelled_sets(name: str) -> None:
    scores = _scores(DATA / f"{name}.jsonl")
    for category, (precision, recall) in scores.items():
        assert precision >= 0.9 and recall >= 0.85, (name, category, precision, recall)
