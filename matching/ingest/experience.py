"""Years of work experience a text asks for or states, Chinese or English."""

from __future__ import annotations

import re

from matching.text import ascii_lower, normalize_text

__all__ = ["extract_experience_years"]

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
