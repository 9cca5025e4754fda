"""Read structured facts out of Chinese and English job and resume texts.

Pure functions, text in: degree (the minimum a job asks, or the highest a resume holds),
years of experience, monthly salary in CNY, cities, and graduation year. Each returns ``None``
(or an empty tuple) when the text does not say; none of them guesses from unrelated numbers.
All patterns are compiled once at import; cities are found with one trie-shaped expression.
"""

from __future__ import annotations

import re
from typing import Literal

from matching.places import extract_cities
from matching.records import DegreeLevel
from matching.text import ascii_lower, normalize_text

__all__ = [
    "extract_cities",
    "extract_degree",
    "extract_experience_years",
    "extract_graduation_year",
    "extract_highest_degree",
    "extract_min_degree",
    "extract_salary",
]

# -- degree ----------------------------------------------------------------------------------

_NOT_A_DEGREE = r"(?!院校|院|医院|医生|护士|门诊)"
_DEGREE = re.compile(
    r"(?P<doctor>博士(?:研究生|学位|学历)?|博士后|ph\.?\s?d\b|doctoral\b|doctorate\b)"
    r"|(?P<master>硕士(?:研究生|学位|学历)?|研究生(?!院)|\bmba\b|\bmpa\b|\bmeng\b|\bm\.?sc\b"
    r"|\bm\.s\.|(?<![a-z])m\.?s\.?(?=\s*(?:/|in\b|degree|or\b))|master'?s?\b|\bpostgraduate\b"
    r"|\bgraduate degree\b)"
    rf"|(?P<bachelor>(?:全日制|统招)?(?:大学)?本科{_NOT_A_DEGREE}|学士|bachelor'?s?\b|\bb\.?sc\b"
    r"|\bb\.s\.|\bb\.?s\.?(?=\s*(?:/|in\b|degree|or\b))|\bb\.a\.|\bbeng\b"
    r"|\bundergraduate degree\b|\b(?:college|university) degree\b)"
    rf"|(?P<associate>大专|专科{_NOT_A_DEGREE}|高职(?!院校)|高专|associate'?s? degree)"
    r"|(?P<below>中专|高中|中技|职高|初中|技校)"
)
_REQUIRED_AFTER = re.compile(
    r"\s*(?:及|或|以及)?(?:其)?以上|\s*(?:学历|学位)|\s*(?:or|and) (?:above|higher)"
    r"|'?s? degree|\s*degree| or equivalent|\s*(?:毕业|required)"
)
_REQUIRED_BEFORE = re.compile(r"(?:学历|学位|education|degree)\s*(?:要求)?\s*[:：]?\s*$")
_PREFERRED_AFTER = re.compile(r"^[^,，。;\n]{0,8}(?:优先|者优先|preferred|is a plus|a plus)")
_JOB_CUES = re.compile(
    r"及以上|或以上|以上|学历要求|要求|优先|不限|or above|or higher|at least|minimum|required"
    r"|preferred|qualifications"
)
_RANK = {"associate": 1, "bachelor": 2, "master": 3, "doctor": 4}
_LEVELS = {
    "associate": DegreeLevel.ASSOCIATE,
    "bachelor": DegreeLevel.BACHELOR,
    "master": DegreeLevel.MASTER,
    "doctor": DegreeLevel.DOCTOR,
}


def _degree_mentions(text: str) -> list[tuple[str, bool, bool]]:
    """``(level, required, preferred)`` for each degree word, in text order."""
    lowered = ascii_lower(normalize_text(text))
    out = []
    for match in _DEGREE.finditer(lowered):
        after = lowered[match.end() : match.end() + 12]
        before = lowered[max(0, match.start() - 12) : match.start()]
        required = bool(_REQUIRED_AFTER.match(after) or _REQUIRED_BEFORE.search(before))
        preferred = bool(_PREFERRED_AFTER.match(after))
        out.append((match.lastgroup or "", required and not preferred, preferred))
    return out


def extract_min_degree(text: str) -> DegreeLevel | None:
    """The lowest degree a job asks for.

    "本科及以上学历，硕士优先" asks for a bachelor's; "中专及以上" asks for less than any
    :class:`~matching.records.DegreeLevel` and gives ``None``, as does "学历不限".

    Parameters
    ----------
    text : str
        A job description, Chinese or English.

    Returns
    -------
    DegreeLevel or None

    Examples
    --------
    >>> extract_min_degree("本科及以上学历，硕士优先")
    <DegreeLevel.BACHELOR: 'bachelor'>
    >>> extract_min_degree("Bachelor's degree in Computer Science required")
    <DegreeLevel.BACHELOR: 'bachelor'>
    """
    mentions = _degree_mentions(text)
    required = [m for m in mentions if m[1]]
    if any(level == "below" for level, *_ in required):
        return None
    # A requirement beats a mere mention; a "preferred" degree is never the minimum.
    pool = required or [m for m in mentions if not m[2]] or mentions
    levels = [level for level, *_ in pool if level in _RANK]
    return _LEVELS[min(levels, key=_RANK.__getitem__)] if levels else None


def extract_highest_degree(text: str) -> DegreeLevel | None:
    """The highest degree a resume mentions ("2024年硕士毕业于..." -> MASTER).

    Parameters
    ----------
    text : str
        A resume or profile text, Chinese or English.

    Returns
    -------
    DegreeLevel or None
    """
    levels = [level for level, *_ in _degree_mentions(text) if level in _RANK]
    return _LEVELS[max(levels, key=_RANK.__getitem__)] if levels else None


def extract_degree(
    text: str, *, side: Literal["job", "resume"] | None = None
) -> DegreeLevel | None:
    """Degree level in a text: a job's minimum, or a resume's highest.

    Parameters
    ----------
    text : str
        A job description or a resume.
    side : {"job", "resume"}, optional
        Which reading to use. When omitted, a text with requirement words (以上, 要求, 优先,
        "or above", "required", ...) is read as a job, any other as a resume.

    Returns
    -------
    DegreeLevel or None

    Raises
    ------
    ValueError
        If ``side`` is not "job", "resume" or None.

    Examples
    --------
    >>> extract_degree("大专以上学历")
    <DegreeLevel.ASSOCIATE: 'associate'>
    >>> extract_degree("2021年本科毕业，2024年硕士毕业于浙江大学")
    <DegreeLevel.MASTER: 'master'>
    """
    if side not in (None, "job", "resume"):
        raise ValueError(f"side must be 'job', 'resume' or None, got {side!r}")
    if side is None:
        side = "job" if _JOB_CUES.search(ascii_lower(normalize_text(text))) else "resume"
    return extract_min_degree(text) if side == "job" else extract_highest_degree(text)


# -- experience ------------------------------------------------------------------------------

_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_EN_NUMBER = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_NUM = r"\d+(?:\.\d)?(?!\d)|[一二两三四五六七八九十半]{1,3}"  # "2.10年" is item 2, then 10年
_EXP_CN = re.compile(
    rf"(?P<a>{_NUM})\s*(?:(?:-|~|至|到|—|–)\s*(?P<b>{_NUM}))?\s*(?P<plus>\+)?\s*(?:个)?\s*年"
    r"(?!\d|月|届|度|级)(?P<after>[^。;\n]{0,12})"
)
_EXP_EN = re.compile(
    rf"(?P<a>\d+(?:\.\d+)?|{'|'.join(_EN_NUMBER)})\s*(?:(?:-|~|to)\s*(?P<b>\d+(?:\.\d+)?))?"
    r"\s*(?P<plus>\+)?\s*(?:years?|yrs?)\b(?P<after>[^.;\n]{0,40})"
)
_EXP_CUE_AFTER = re.compile(r"经验|工作|以上|以下|以内|从业|工龄|experience|exp\b|of work|in ")
_BARE_TAIL = re.compile(r"\s*(?:及以上|以上|以下|以内|(?:工作)?经验|of experience)?\s*")
_EXP_CUE_BEFORE = re.compile(r"经验|工作年限|工龄|从业|at least|minimum|min\.|over|more than")
_EXP_ZERO = re.compile(
    r"(?<!不接受)(?<!不招)(?:经验不限|不限经验|工作经验\s*[:：]?\s*不限|无经验|无需经验|零经验|"
    r"接受应届|应届(?!生?勿)|在校生|no (?:prior )?experience|entry[- ]level|new grad|"
    r"fresh graduate|recent graduate)"
)


def _number(token: str) -> float | None:
    if token in _EN_NUMBER:
        return float(_EN_NUMBER[token])
    try:
        return float(token)
    except ValueError:
        pass
    if token == "半":
        return 0.5
    if "十" in token:  # 十 = 10, 十五 = 15, 二十 = 20
        tens, _, ones = token.partition("十")
        return float(_CN_DIGIT.get(tens, 1) * 10 + _CN_DIGIT.get(ones, 0))
    return float(_CN_DIGIT[token]) if token in _CN_DIGIT else None


def extract_experience_years(text: str) -> float | None:
    """Years of work experience a text asks for or states.

    A range gives its lower end ("1-3年" -> 1.0); "应届", "经验不限" or "no experience
    required" give 0.0; "1年以下" gives 0.0. Several requirements give the largest.

    Parameters
    ----------
    text : str
        Chinese or English text.

    Returns
    -------
    float or None

    Examples
    --------
    >>> extract_experience_years("3年以上工作经验")
    3.0
    >>> extract_experience_years("3+ years of Python experience")
    3.0
    """
    norm = ascii_lower(normalize_text(text))
    if _EXP_ZERO.search(norm):
        return 0.0
    found: list[float] = []
    for pattern in (_EXP_CN, _EXP_EN):
        for match in pattern.finditer(norm):
            low = _number(match.group("a"))
            if low is None or low > 50:
                continue  # "2024年" is a date, not a duration
            before = norm[max(0, match.start() - 10) : match.start()]
            after = match.group("after")
            # A bare field value ("1-3年", "3-5 years") needs no cue word.
            bare = match.start() == 0 and _BARE_TAIL.fullmatch(after)
            if not (
                bare
                or match.group("plus")
                or _EXP_CUE_AFTER.match(after.lstrip())
                or _EXP_CUE_AFTER.search(after[:8])
                or _EXP_CUE_BEFORE.search(before)
            ):
                continue
            if re.match(r"\s*(?:以下|以内|之内)", after) and match.group("b") is None:
                low = 0.0
            found.append(low)
    return max(found) if found else None


# -- salary ----------------------------------------------------------------------------------

_AMOUNT = r"\d+(?:,\d{3})*(?:\.\d+)?"
_SALARY = re.compile(
    r"(?P<pre>年薪|月薪|日薪|时薪|底薪|薪资|薪水|工资|薪酬|待遇|salary|compensation|rmb|cny|¥)?"
    rf"\s*(?:[:：]|范围|为)?\s*(?<![\d.$€£])(?P<a>{_AMOUNT})\s*(?P<ua>k(?![a-z])|千|w(?![a-z])|万)?"
    rf"\s*(?:(?:-|~|至|到|—|–|to)\s*(?P<b>{_AMOUNT})\s*(?P<ub>k(?![a-z])|千|w(?![a-z])|万)?)?"
    r"\s*(?P<cur>元|块|rmb|cny|人民币)?"
    r"\s*(?:/|每|per|a|一)?\s*(?P<per>月|年|天|日|小时|时|month|year|yr|annum|day|hour|hr)?"
)
_UNIT = {"k": 1_000, "千": 1_000, "w": 10_000, "万": 10_000}
_PER_MONTH = {
    "月": 1.0,
    "month": 1.0,
    "年": 1 / 12,
    "year": 1 / 12,
    "yr": 1 / 12,
    "annum": 1 / 12,
    "天": 21.75,
    "日": 21.75,
    "day": 21.75,
    "小时": 174.0,
    "时": 174.0,
    "hour": 174.0,
    "hr": 174.0,
}


def extract_salary(text: str) -> tuple[int, int] | None:
    """Monthly salary range in CNY.

    Units k/千/万/w and 元 are read; a yearly figure ("20-30万/年", "年薪20万") is divided by 12,
    a daily one multiplied by 21.75 (the statutory average of working days a month), an hourly one
    by 174. A 万 figure of 10万 or more with no period is taken as yearly. Amounts in other
    currencies, and numbers with no unit or salary word, are ignored. "15-25k·13薪" gives the
    monthly base (15000, 25000).

    Parameters
    ----------
    text : str
        Chinese or English text.

    Returns
    -------
    tuple of (int, int) or None
        ``(low, high)`` per month, ``low <= high``; a single figure gives ``(x, x)``.

    Examples
    --------
    >>> extract_salary("1.5-2万/月")
    (15000, 20000)
    >>> extract_salary("20-30万/年")
    (16667, 25000)
    """
    norm = ascii_lower(normalize_text(text))
    for match in _SALARY.finditer(norm):
        pre, per, cur = match.group("pre"), match.group("per"), match.group("cur")
        unit_a, unit_b = match.group("ua"), match.group("ub")
        has_range = match.group("b") is not None
        if "w" in (unit_a, unit_b) and not (pre or per):
            continue  # "5W" is more often watts than 万
        if not (pre or cur or unit_a or unit_b):
            continue
        if not has_range and not (pre or per or unit_a == "k"):
            continue  # a lone "500万" is more often capital or revenue than pay
        low = float(match.group("a").replace(",", ""))
        high = float(match.group("b").replace(",", "")) if has_range else low
        scale_b = _UNIT.get(unit_b or "", 1)
        low *= _UNIT.get(unit_a or "", scale_b if unit_a is None else 1)
        high *= scale_b if has_range else _UNIT.get(unit_a or "", 1)
        if per is None and pre == "年薪":
            per = "年"
        elif per is None and pre in ("日薪",):
            per = "天"
        elif per is None and pre in ("时薪",):
            per = "小时"
        elif per is None and "万" in (unit_a, unit_b) and low >= 100_000:
            per = "年"
        factor = _PER_MONTH.get(per or "月", 1.0)
        low, high = sorted((low * factor, high * factor))
        if low >= 500 and high <= 1_000_000:
            return int(round(low)), int(round(high))
    return None


# -- graduation year -------------------------------------------------------------------------

_YEAR = r"(?:19[5-9]\d|20\d{2})"
_GRAD_EXPLICIT = re.compile(
    rf"(?P<y>{_YEAR}|\d{{2}})\s*(?:年)?\s*(?:应届|往届)?\s*届"
    rf"|(?P<y2>{_YEAR})\s*(?:年|[.\-/])?\s*(?:\d{{1,2}}\s*月?\s*)?(?:份)?\s*"
    r"(?:本科|硕士|博士|研究生|大专|专科)?\s*(?:应届)?\s*毕业"
    rf"|毕业(?:时间|年份|日期|年月)?\s*[:：]?\s*(?P<y3>{_YEAR})"
    rf"|class of\s*(?P<y4>{_YEAR})"
    r"|(?:graduat(?:e|ed|ing|ion)|expected graduation|expected to graduate)"
    rf"(?:\s*(?:date|year|in|on|:))*\s*(?:[a-z]+\.?\s*)?(?P<y5>{_YEAR})"
)
_EDU_RANGE = re.compile(
    rf"(?P<s>{_YEAR})\s*(?:[.\-/年]\s*\d{{1,2}}\s*月?)?\s*(?:-|~|至|到|—|–|to)\s*"
    rf"(?P<e>{_YEAR})(?:\s*[.\-/年]\s*\d{{1,2}}\s*月?)?(?P<ctx>[^\n]{{0,40}})"
)
_EDU_WORDS = re.compile(
    r"大学|学院|学校|本科|硕士|博士|研究生|大专|专科|university|college|institute|school"
    r"|bachelor|master|ph\.?d"
)


def extract_graduation_year(text: str) -> int | None:
    """Year of (expected) graduation.

    Read from "2024届", "24届", "2024年6月毕业", "毕业时间：2024", "Class of 2025", "expected
    graduation: June 2025"; failing those, from the end of a study period on a line about a
    school ("2020.09-2024.06 浙江大学 本科"). Several years give the latest.

    Parameters
    ----------
    text : str
        A resume, profile or job text.

    Returns
    -------
    int or None

    Examples
    --------
    >>> extract_graduation_year("2025届应届毕业生")
    2025
    """
    norm = ascii_lower(normalize_text(text))
    years = []
    for match in _GRAD_EXPLICIT.finditer(norm):
        value = next(v for v in match.groups() if v is not None)
        years.append(int(value) + 2000 if len(value) == 2 else int(value))
    if years:
        return max(years)
    for match in _EDU_RANGE.finditer(norm):
        line_start = norm.rfind("\n", 0, match.start()) + 1
        context = norm[max(line_start, match.start() - 40) : match.start()] + match.group("ctx")
        if _EDU_WORDS.search(context) and int(match.group("e")) >= int(match.group("s")):
            years.append(int(match.group("e")))
    return max(years) if years else None
