"""Benefit clauses of job ads: what an employer offers, not what a job asks of a candidate.

A clause ("福利：五险一金、带薪年假", "购买住院医疗保险、重大疾病保险及意外险") that names a
benefit says nothing a resume could match: its words ("保险", "学生", "补助") would only pair a
posting with a resume that happens to use them in another sense (an insurance major, a
teaching internship). Skill extraction and the word similarity of a pair both read a posting
with these clauses blanked out.
"""

from __future__ import annotations

import re

__all__ = ["blank_benefits"]

_BENEFIT_CUE = re.compile(
    r"福利|五险|六险|社保|公积金|带薪|年假|补贴|补助|包吃|包住|餐补|年终奖|节日|体检|团建|薪资待遇"
    # insurance the employer buys for staff ("购买住院医疗保险、重大疾病保险及意外险")
    r"|(?:医疗|疾病|意外|商业|团体|人身|养老|失业|工伤|生育)保?险|(?:购买|缴纳).{0,12}险"
)
_CLAUSE = re.compile(r"[^，,；;。！!？?\n]+")


def blank_benefits(text: str) -> str:
    """The text with every benefit clause replaced by spaces of the same length.

    Same-length blanks keep the position of everything else.

    Examples
    --------
    >>> blank_benefits("熟悉Python；福利：五险一金")
    '熟悉Python；       '
    """
    parts = []
    last = 0
    for clause in _CLAUSE.finditer(text):
        if _BENEFIT_CUE.search(clause.group()):
            parts.append(text[last : clause.start()])
            parts.append(" " * (clause.end() - clause.start()))
            last = clause.end()
    parts.append(text[last:])
    return "".join(parts)
