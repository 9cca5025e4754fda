"""Monthly salary in CNY read from Chinese or English text (k/千/万, per month/year/day/hour)."""

from __future__ import annotations

import re

from matching.text import ascii_lower, normalize_text

__all__ = ["extract_salary", "salary_mentions"]

_AMOUNT = r"\d+(?:,\d{3})*(?:\.\d+)?"
_SALARY = re.compile(
    r"(?P<pre>年薪|月薪|日薪|时薪|底薪|薪资|薪水|工资|薪酬|待遇|salary|compensation|rmb|cny|¥)?"
    rf"\s*(?:[:：]|范围|为)?\s*(?<![\d.$€£])(?P<a>{_AMOUNT})\s*(?P<ua>k(?![a-z])|千|w(?![a-z])|万)?"
    rf"\s*(?:(?:-|~|至|到|—|–|to)\s*(?P<b>{_AMOUNT})\s*(?P<ub>k(?![a-z])|千|w(?![a-z])|万)?)?"
    r"\s*(?P<cur>元|块|rmb|cny|人民币)?"
    r"\s*(?:/|每|per|a|一)?\s*(?P<per>月|年|天|日|小时|时|month|year|yr|annum|day|hour|hr|y(?![a-z]))?"
)
_UNIT = {"k": 1_000, "千": 1_000, "w": 10_000, "万": 10_000}
_PER_MONTH = {
    "月": 1.0,
    "month": 1.0,
    "年": 1 / 12,
    "year": 1 / 12,
    "yr": 1 / 12,
    "annum": 1 / 12,
    "y": 1 / 12,
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
    for low, high, _ in salary_mentions(text):
        return low, high
    return None


def salary_mentions(text: str) -> list[tuple[int, int, str]]:
    """Every pay figure of a text, as ``(low, high, matched text)`` per month in CNY.

    The matched text is on the text's normal form (full-width folded, lower-cased). See
    :func:`extract_salary` for how figures are read.
    """
    norm = ascii_lower(normalize_text(text))
    out = []
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
            out.append((int(round(low)), int(round(high)), match.group(0).strip()))
    return out
