"""Year of (expected) graduation read from a resume, Chinese or English."""

from __future__ import annotations

import re

from matching.text import ascii_lower, normalize_text

__all__ = ["extract_graduation_year"]

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
