"""Job titles for the real job-description texts, which come without one.

The texts name their technology stack and their duties far more often than their title (fewer
than one in seven contains an "XX工程师" phrase, and most of those name a colleague). So the
title is read from the stack: every rule of the text's category counts its cue words in the text,
and the rule with the most hits names the post. The titles are the common market titles of the
field, which the occupation normaliser maps onto the classification.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["InferredTitle", "infer_title", "is_internship", "stated_title"]


@dataclass(frozen=True, slots=True)
class _Rule:
    title: str
    code: str  # the occupation of the 2022 classification the title belongs to
    cue: re.Pattern[str]


def _rules(*rows: tuple[str, str, str]) -> tuple[_Rule, ...]:
    return tuple(_Rule(t, c, re.compile(p, re.IGNORECASE)) for t, c, p in rows)


_SOFTWARE = "2-02-10-03"  # 计算机软件工程技术人员
_AI = "2-02-38-01"  # 人工智能工程技术人员
_BIG_DATA = "2-02-38-03"  # 大数据工程技术人员
_IC = "2-02-38-09"  # 集成电路工程技术人员
_EMBEDDED = "2-02-10-06"  # 嵌入式系统设计工程技术人员
_HARDWARE = "2-02-10-02"  # 计算机硬件工程技术人员
_TELECOM = "2-02-10-01"  # 通信工程技术人员
_IT_OPS = "2-02-10-08"  # 信息系统运行维护工程技术人员


_SOFTWARE_RULES = _rules(
    ("Java开发工程师", _SOFTWARE, r"java(?!script)|spring|mybatis"),
    ("前端开发工程师", _SOFTWARE, r"前端|html5?|javascript|vue|react|css"),
    ("PHP开发工程师", _SOFTWARE, r"php|thinkphp|laravel"),
    ("Python开发工程师", _SOFTWARE, r"python|django|flask"),
    ("Android开发工程师", _SOFTWARE, r"android|安卓"),
    ("iOS开发工程师", _SOFTWARE, r"\bios\b|objective-c|swift"),
    ("C++开发工程师", _SOFTWARE, r"c\+\+|vc\+\+|mfc|\bqt\b"),
    (".NET开发工程师", _SOFTWARE, r"c#|\.net|asp\.net"),
    ("嵌入式软件工程师", _EMBEDDED, r"嵌入式|单片机|驱动开发|rtos|\barm\b|固件"),
    ("软件测试工程师", "4-04-05-02", r"测试用例|软件测试|自动化测试|测试计划|测试脚本"),
    ("数据库工程师", "4-04-05-04", r"数据库(?:设计|管理|开发|优化)|\bdba\b|oracle"),
    ("大数据开发工程师", _BIG_DATA, r"大数据|hadoop|spark|hive|flink"),
    ("运维工程师", _IT_OPS, r"运维|服务器维护|监控系统"),
    (
        "实施工程师",
        "2-02-10-05",
        r"实施工程师|项目实施|软件实施|实施顾问|实施经验|上线部署|现场调试",
    ),
    ("技术支持工程师", _IT_OPS, r"技术支持|售前|售后|客户培训"),
    ("软件销售工程师", "2-06-07-02", r"销售工程师|软件销售|销售经验|销售业绩|客户关系|商务谈判"),
)

_RULES: dict[str, tuple[_Rule, ...]] = {
    "algorithm": _rules(
        ("推荐算法工程师", _BIG_DATA, r"推荐(?:系统|算法)|个性化推荐|排序模型"),
        ("自然语言处理算法工程师", _AI, r"自然语言|\bnlp\b|文本挖掘|知识图谱|语义"),
        ("语音算法工程师", _AI, r"语音(?:识别|合成|信号|算法|增强)|声学|\basr\b"),
        (
            "计算机视觉算法工程师",
            _AI,
            r"计算机视觉|图像(?:识别|处理|算法)|视觉算法|目标检测|人脸|opencv",
        ),
        ("SLAM算法工程师", "2-02-38-10", r"slam|建图|组合导航|惯性导航"),
        ("自动驾驶感知算法工程师", _AI, r"自动驾驶|无人驾驶|\badas\b|激光雷达"),
        ("控制算法工程师", "2-02-07-07", r"控制算法|运动控制|\bpid\b|控制策略"),
        ("数据挖掘工程师", _BIG_DATA, r"数据挖掘|用户画像|风控模型|数据分析"),
        ("信号处理算法工程师", _TELECOM, r"信号处理|雷达|通信算法|物理层|滤波"),
        ("深度学习算法工程师", _AI, r"深度学习|神经网络|tensorflow|pytorch|caffe"),
        ("机器学习算法工程师", _AI, r"机器学习|统计学习"),
    ),
    "hardware": _rules(
        ("FPGA开发工程师", _IC, r"fpga|verilog|vhdl"),
        ("数字IC设计工程师", _IC, r"数字(?:ic|芯片|前端|电路设计)|asic|\brtl\b"),
        ("模拟IC设计工程师", _IC, r"模拟(?:ic|芯片|电路设计)|版图"),
        ("射频工程师", _TELECOM, r"射频|\brf\b|天线|微波"),
        ("嵌入式硬件工程师", _EMBEDDED, r"嵌入式|单片机|\bmcu\b|\barm\b"),
        ("硬件测试工程师", _HARDWARE, r"硬件测试|测试工程师|\bemc\b|可靠性测试"),
        ("电源工程师", "2-02-11-01", r"电源|逆变|变换器"),
        ("硬件工程师", _HARDWARE, r"\bpcb\b|原理图|电路设计|器件选型"),
        ("技术支持工程师", _IT_OPS, r"技术支持|售前|售后|\bfae\b"),
    ),
    "program": _SOFTWARE_RULES,
    "software": _SOFTWARE_RULES,
}

# When no stack-specific cue is found, a text that still speaks of the category's work gets the
# category's generic title; a text that does not (the crawl holds some finance, editing and
# illustration posts under "software") gets no title and is left out of the demo.
_DEFAULT: dict[str, _Rule] = {
    "algorithm": _rules(("算法工程师", _AI, r"算法"))[0],
    "hardware": _rules(("硬件工程师", _HARDWARE, r"硬件|电路|元器件|芯片"))[0],
    "program": _rules(("软件开发工程师", _SOFTWARE, r"软件开发|软件设计|软件工程|编程|程序|代码"))[
        0
    ],
    "software": _rules(("软件工程师", _SOFTWARE, r"软件开发|软件设计|软件工程|编程|程序|代码"))[0],
}

_INTERN = re.compile(r"实习生|招收实习|实习岗位|在校实习|在校硕士生|在校学生")
# A stated title ("招聘职位：web前端开发招聘人数：2名"); rare, but it beats any inference.
_STATED = re.compile(
    r"(?:招聘职位|职位名称|岗位名称|招聘岗位|应聘职位)\s*[:：]\s*"
    r"([A-Za-z0-9+#/\u4e00-\u9fa5]{2,24}?)(?:岗位|工作目标)?"
    r"(?=招聘人数|人数|工作地点|岗位职责|职位描述|工作职责|[\s：:，,。；;、]|$)"
)
# The category files overlap (the hardware file holds web and software posts), so every rule
# counts; a rule of the text's own category counts double.
_OWN_CATEGORY_WEIGHT = 2.0


class InferredTitle(NamedTuple):
    """A title read from a description, and the occupation code it belongs to."""

    title: str
    code: str


def stated_title(text: str) -> str | None:
    """The title a description states after 招聘职位/职位名称/..., if any."""
    match = _STATED.search(text)
    return match.group(1) if match else None


def infer_title(
    text: str, category: str, *, experience_years: float | None = None
) -> InferredTitle | None:
    """A job title for a description of the given category.

    Parameters
    ----------
    text : str
        The job description.
    category : {"algorithm", "hardware", "program", "software"}
        The category file the text came from.
    experience_years : float, optional
        Years of experience the text asks for; five or more makes the post senior (高级).

    Returns
    -------
    InferredTitle or None
        A title such as ``"计算机视觉算法工程师"``, ``"高级Java开发工程师"`` or
        ``"FPGA开发工程师（实习）"`` with its occupation code; ``None`` when the text does not
        speak of the category's work at all.

    Raises
    ------
    ValueError
        If ``category`` is not one of the four categories.
    """
    if category not in _RULES:
        raise ValueError(f"category: got {category!r}; allowed values are {', '.join(_RULES)}")
    best, best_hits = None, 0.0
    for other, rules in _RULES.items():
        if other == "program":  # the same rules as "software"
            continue
        own = other == category or (category == "program" and other == "software")
        for rule in rules:
            hits = len(rule.cue.findall(text)) * (_OWN_CATEGORY_WEIGHT if own else 1.0)
            if hits > best_hits:
                best, best_hits = rule, hits
    if best is None:
        best = _DEFAULT[category] if _DEFAULT[category].cue.search(text) else None
    if best is None:
        return None
    if _INTERN.search(text):
        return InferredTitle(f"{best.title}（实习）", best.code)
    if experience_years is not None and experience_years >= 5:
        return InferredTitle(f"高级{best.title}", best.code)
    return InferredTitle(best.title, best.code)


def is_internship(text: str) -> bool:
    """Whether a description recruits interns."""
    return bool(_INTERN.search(text))
