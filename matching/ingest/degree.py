"""The degree a job asks for, or the highest a resume holds, read from Chinese or English text.

Each function returns ``None`` when the text does not say; none guesses from unrelated words.
"""

from __future__ import annotations

import re
from typing import Literal

from matching.records import DegreeLevel
from matching.text import ascii_lower, normalize_text

__all__ = ["extract_degree", "extract_highest_degree", "extract_min_degree"]

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
