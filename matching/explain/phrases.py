"""Plain words for a feature's value, in Chinese or English.

Each feature of :class:`~matching.features.Feature` has one sentence per language that says
what its value means for the pair ("has 3 of the 5 required skills", "具备岗位要求技能中的3/5项").
The sentences read the pair's raw feature row, never a sensitive attribute.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

import numpy as np

from matching.features import FEATURE_NAMES, Feature

__all__ = ["LANGUAGES", "Language", "describe", "detect_language", "note", "states_a_shortfall"]

Language = Literal["zh", "en"]
#: The languages reasons are written in.
LANGUAGES: tuple[Language, ...] = ("zh", "en")

_COL = {f: f.column for f in Feature}


def detect_language(text: str) -> Language:
    """``"zh"`` when at least a fifth of a text's letters are Chinese, else ``"en"``.

    Examples
    --------
    >>> detect_language("熟悉Python的数据分析师"), detect_language("Data analyst, Python")
    ('zh', 'en')
    """
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "zh"
    chinese = sum("\u3400" <= ch <= "\u9fff" for ch in letters)
    return "zh" if chinese >= 0.2 * len(letters) else "en"


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def _times(log_ratio: float) -> str:
    return f"{math.exp(log_ratio):.1f}"


def _skills(row: np.ndarray, lang: Language) -> str:
    coverage = float(row[_COL[Feature.SKILL_COVERAGE]])
    missing = float(row[_COL[Feature.MISSING_SKILLS]])
    if coverage >= 1:
        return "具备岗位要求的全部技能" if lang == "zh" else "has every required skill"
    total = missing / (1 - coverage)
    if not math.isfinite(total) or total <= 0:
        return (
            f"具备{_pct(coverage)}的岗位要求技能"
            if lang == "zh"
            else (f"has {_pct(coverage)} of the required skills")
        )
    matched = int(round(total - missing))
    if lang == "zh":
        return f"具备岗位要求技能中的{matched}/{int(round(total))}项"
    return f"has {matched} of the {int(round(total))} required skills"


_Phrase = Callable[[float, np.ndarray, Language], str]


def _major(v: float, row: np.ndarray, lang: Language) -> str:
    zh = {1.0: "专业是岗位的优先专业", 0.75: "专业与优先专业同属一个专业类",
          0.5: "专业与优先专业同属一个学科门类"}  # fmt: skip
    en = {1.0: "the major is one the job prefers", 0.75: "the major is in the class of a "
          "preferred one", 0.5: "the major is in the discipline of a preferred one"}  # fmt: skip
    table = zh if lang == "zh" else en
    return table.get(
        v, "专业与优先专业不同" if lang == "zh" else "the major differs from the preferred"
    )


def _yes_no(zh_yes: str, zh_no: str, en_yes: str, en_no: str) -> _Phrase:
    def phrase(v: float, row: np.ndarray, lang: Language) -> str:
        if lang == "zh":
            return zh_yes if v >= 1 else zh_no
        return en_yes if v >= 1 else en_no

    return phrase


def _template(zh: str, en: str, fmt: Callable[[float], str] = lambda v: f"{v:.2f}") -> _Phrase:
    def phrase(v: float, row: np.ndarray, lang: Language) -> str:
        return (zh if lang == "zh" else en).format(fmt(v))

    return phrase


def _standing(zh_what: str, en_what: str, zh_whose: str, en_whose: str) -> _Phrase:
    """Say "closer than the candidate's usual job by 1.2 standard deviations", or the opposite."""

    def phrase(v: float, row: np.ndarray, lang: Language) -> str:
        if lang == "zh":
            way = "高于" if v >= 0 else "低于"
            return f"{zh_what}{way}{zh_whose}的一般水平{abs(v):.1f}个标准差"
        way = "above" if v >= 0 else "below"
        return f"{en_what} {abs(v):.1f} standard deviations {way} {en_whose} usual"

    return phrase


_PHRASES: dict[Feature, _Phrase] = {
    Feature.SEMANTIC_SIMILARITY: _template("语义相似度{}", "semantic similarity {}"),
    Feature.LEXICAL_SIMILARITY: _template("用词相似度{}", "word overlap {}"),
    Feature.SKILL_COVERAGE: lambda v, row, lang: _skills(row, lang),
    Feature.PREFERRED_SKILL_COVERAGE: _template(
        "具备{}的加分技能", "has {} of the preferred skills", _pct
    ),
    Feature.SKILL_OVERLAP: _template(
        "{}的个人技能是岗位需要的", "{} of the candidate's skills are ones the job asks for", _pct
    ),
    Feature.MATCHED_SKILLS: _template("匹配{}项技能", "{} matching skills", lambda v: f"{v:.0f}"),
    Feature.MISSING_SKILLS: _template(
        "缺少{}项要求的技能", "lacks {} required skills", lambda v: f"{v:.0f}"
    ),
    Feature.DEGREE_GAP: lambda v, row, lang: (
        ("学历符合要求" if v >= 0 else "学历低于要求")
        if lang == "zh"
        else ("the degree meets the requirement" if v >= 0 else "the degree is below the minimum")
    ),
    Feature.MAJOR_MATCH: _major,
    Feature.MAJOR_FIELD_FIT: _yes_no(
        "岗位属于专业对口的领域",
        "岗位不在专业对口的领域",
        "the job is in a field the major leads to",
        "the job is outside the major's fields",
    ),  # fmt: skip
    Feature.CITY_MATCH: _yes_no(
        "岗位在期望城市",
        "岗位不在期望城市",
        "the job is in a desired city",
        "the job is not in a desired city",
    ),  # fmt: skip
    Feature.JOB_TYPE_MATCH: _yes_no(
        "岗位类型符合求职意向",
        "岗位类型不在求职意向内",
        "the job type is one the candidate wants",
        "the job type is not one the candidate wants",
    ),  # fmt: skip
    Feature.SALARY_RATIO: _template("薪资为期望的{}", "pay is {} of the expected salary", _pct),
    Feature.EXPERIENCE_GAP: lambda v, row, lang: (
        ("工作经验满足要求" if v >= 0 else f"工作经验比要求少{-v:.1f}年")
        if lang == "zh"
        else (
            "experience meets the requirement"
            if v >= 0
            else f"{-v:.1f} years short of the experience asked"
        )
    ),  # fmt: skip
    Feature.DAYS_SINCE_POSTED: _template(
        "{}天前发布", "posted {} days ago", lambda v: f"{max(v, 0):.0f}"
    ),
    Feature.SEMANTIC_FOR_CANDIDATE: _standing(
        "内容相近程度", "closeness in meaning", "该候选人与各岗位", "the candidate's"
    ),
    Feature.SEMANTIC_FOR_JOB: _standing(
        "内容相近程度", "closeness in meaning", "该岗位与各候选人", "the job's"
    ),
    Feature.LEXICAL_FOR_CANDIDATE: _standing(
        "用词重合程度", "shared wording", "该候选人与各岗位", "the candidate's"
    ),
    Feature.LEXICAL_FOR_JOB: _standing(
        "用词重合程度", "shared wording", "该岗位与各候选人", "the job's"
    ),
    Feature.JOB_ENGAGEMENT: _template(
        "岗位受关注程度为平均的{}倍", "{}x the average attention", _times
    ),
    Feature.JOB_APPLICATIONS: _template(
        "岗位投递人数为平均的{}倍", "{}x the average number of applications", _times
    ),
    Feature.JOB_OUTCOMES: _template(
        "岗位面试和录用人数为平均的{}倍", "{}x the average interviews and offers", _times
    ),
    Feature.JOB_APPLY_RATE: _template(
        "关注该岗位的人中{}投递了简历", "{} of those who looked applied", _pct
    ),
    Feature.REMAINING_HEADCOUNT: _template(
        "还有{}的招聘名额", "{} of the openings are still unfilled", _pct
    ),
    Feature.CANDIDATE_ACTIVITY: _template(
        "候选人近期关注过{}个其他岗位",
        "the candidate engaged with {} other jobs",
        lambda v: f"{math.expm1(v):.0f}",
    ),  # fmt: skip
    Feature.COLLABORATIVE: _template(
        "关注过候选人所关注岗位的人也关注了该岗位（{}）",
        "people who engaged with the candidate's other jobs engaged with this one ({})",
    ),
    Feature.SIMILAR_CANDIDATES: _template(
        "背景相近的求职者关注了该岗位（{}）", "candidates like this one engaged with the job ({})"
    ),
    Feature.HISTORY_SIMILARITY: _template(
        "与候选人关注过的岗位相近（{}）", "close to jobs the candidate engaged with ({})"
    ),
    Feature.APPLICANT_SIMILARITY: _template(
        "与该岗位的其他求职者背景相近（{}）", "close to others who engaged with the job ({})"
    ),
}

_NOTES: dict[str, dict[Language, str]] = {
    "degree_ok": {"zh": "学历符合要求", "en": "degree meets the requirement"},
    "degree_short": {"zh": "学历低于要求", "en": "degree is below the stated minimum"},
    "city": {"zh": "岗位在期望城市", "en": "job is in a desired city"},
    "major": {"zh": "专业是岗位的优先专业", "en": "major is among the preferred majors"},
    "major_field": {"zh": "岗位属于专业对口的领域", "en": "job is in a field the major leads to"},
    "job_type": {
        "zh": "岗位类型符合求职意向",
        "en": "job type matches what the candidate is looking for",
    },
    "boost_key_sector": {
        "zh": "重点领域岗位：与匹配度相当的岗位相比优先推荐",
        "en": "a key-sector posting: shown ahead of jobs that match about as well",
    },
    "boost_grassroots": {
        "zh": "基层就业项目岗位：与匹配度相当的岗位相比优先推荐",
        "en": "a grassroots-programme posting: shown ahead of jobs that match about as well",
    },
}


#: Features whose words for a value below 0 say the pair falls short (a standing below the
#: usual, a degree or experience below what is asked).
_SHORT_BELOW_ZERO = frozenset(
    {
        Feature.SEMANTIC_FOR_CANDIDATE,
        Feature.SEMANTIC_FOR_JOB,
        Feature.LEXICAL_FOR_CANDIDATE,
        Feature.LEXICAL_FOR_JOB,
        Feature.DEGREE_GAP,
        Feature.EXPERIENCE_GAP,
    }
)
#: Features whose words for 0 say the pair has none of what is asked ("has 0 of the 8
#: required skills").
_SHORT_AT_ZERO = frozenset(
    {
        Feature.SKILL_COVERAGE,
        Feature.PREFERRED_SKILL_COVERAGE,
        Feature.SKILL_OVERLAP,
        Feature.MATCHED_SKILLS,
    }
)
#: Yes-or-no features whose words for "no" say the pair falls short.
_SHORT_BELOW_ONE = frozenset({Feature.MAJOR_FIELD_FIT, Feature.CITY_MATCH, Feature.JOB_TYPE_MATCH})


def states_a_shortfall(feature: Feature, row: np.ndarray) -> bool:
    """Whether the words for this pair's value of ``feature`` say the pair falls short.

    A model's contribution is measured against its own baseline, so a value below the usual
    (word overlap 0.5 standard deviations below the job's usual candidate, say) can still add
    to a score when the model's baseline is lower still. Such a value explains nothing to a
    person as a reason for a match, and :class:`~matching.explain.Explainer` leaves it out of
    the reasons.
    """
    v = float(row[_COL[feature]])
    if math.isnan(v):
        return False
    if feature in _SHORT_BELOW_ZERO:
        return v < 0
    if feature in _SHORT_BELOW_ONE:
        return v < 1
    if feature in _SHORT_AT_ZERO:
        return v <= 0
    if feature is Feature.MISSING_SKILLS:
        return v > 0
    if feature is Feature.MAJOR_MATCH:
        return v < 0.5
    return False


def describe(feature: Feature, row: np.ndarray, lang: Language) -> str:
    """The sentence for ``feature`` of a pair whose raw feature row is ``row``."""
    value = float(row[_COL[feature]])
    if math.isnan(value):
        return "无相关记录" if lang == "zh" else "no record"
    return _PHRASES[feature](value, row, lang)


def note(key: str, lang: Language) -> str:
    """One of the short notes reasons carry ("degree_ok", "city", ...)."""
    return _NOTES[key][lang]


if set(_PHRASES) != set(Feature) or len(FEATURE_NAMES) != len(_PHRASES):  # pragma: no cover
    raise RuntimeError("every Feature needs a phrase")
