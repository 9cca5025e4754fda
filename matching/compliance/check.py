"""The fair-recruitment check of a posting: discriminatory conditions and fraud signals.

:func:`check_posting` reads a posting's title and description (Chinese or English) against
the rules of :mod:`matching.compliance.rules` and the pay check of
:mod:`matching.compliance.pay`, and returns one :class:`Flag` per finding: the rule, its
category, the exact text span with its field and offsets, why it is flagged and a suggested
fix. Lawful look-alikes stay unflagged: "男女不限", help with residence registration offered as
a benefit, a medical check the employer pays, a height standard of cabin crew.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from matching.compliance.flags import Flag, fold
from matching.compliance.pay import PayMarket, pay_flags
from matching.compliance.rules import RULES, Rule

__all__ = ["categories", "check_posting", "check_postings"]

# Sentence ends and list markers ("1、", "2.", "（3）") bound a clause; commas bound a part.
_CLAUSE_END = re.compile(
    r"[。；;！!？?\nØ•·▪■●◆★]|(?<![\d.])\d{1,2}\s*[、．.)）](?!\d)|[（(]\s*\d{1,2}\s*[)）]|[①-⑳]"
)
_PART_END = re.compile(r"[，,、：:]")
_ABOUT_DISCRIMINATION = re.compile(r"歧视|discriminat|equal (?:employment )?opportunit")


def _bounds(norm: str, start: int, end: int, boundary: re.Pattern[str]) -> tuple[int, int]:
    left = 0
    for m in boundary.finditer(norm, 0, start):
        left = m.end()
    after = boundary.search(norm, end)
    return left, (after.start() if after else len(norm))


def _is_chinese(text: str) -> bool:
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return han >= max(1, len(text) // 10)


def _rule_flags(rule: Rule, field: str, text: str, norm: str, whole: str) -> list[Flag]:
    if rule.genuine_occupations is not None and rule.genuine_occupations.search(whole):
        return []
    zh = _is_chinese(text)
    found: list[tuple[int, int]] = []
    for pattern in rule.patterns:
        for m in pattern.finditer(norm):
            start, end = m.start(), m.end()
            while start < end and norm[start].isspace():
                start += 1
            while end > start and norm[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            c_start, c_end = _bounds(norm, start, end, _CLAUSE_END)
            p_start, p_end = _bounds(norm, start, end, _PART_END)
            p_start, p_end = max(p_start, c_start), min(p_end, c_end)
            if rule.lawful_in_clause is not None and rule.lawful_in_clause.search(
                norm, c_start, c_end
            ):
                continue
            # a clause about discrimination (the law, a policy) imposes no condition
            if rule.category == "discrimination" and _ABOUT_DISCRIMINATION.search(
                norm, c_start, c_end
            ):
                continue
            if rule.lawful_before is not None and rule.lawful_before.search(norm[p_start:start]):
                continue
            if rule.lawful_after is not None and rule.lawful_after.search(norm[end:c_end]):
                continue
            found.append((start, end))
    # overlapping matches of one rule are one finding: keep the widest
    found.sort(key=lambda se: (se[0], -(se[1] - se[0])))
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return [
        Flag(
            rule=rule.name,
            category=rule.category,
            span=text[s:e],
            field=field,
            start=s,
            end=e,
            message=rule.message_zh if zh else rule.message_en,
            suggestion=rule.fix_zh if zh else rule.fix_en,
        )
        for s, e in merged
    ]


def _fields(posting: Any) -> dict[str, str]:
    if isinstance(posting, Mapping):
        get = posting.get
    else:

        def get(name: str, default: Any = None) -> Any:
            return getattr(posting, name, default)

    return {name: str(get(name) or "") for name in ("title", "description")}


def check_posting(posting: Any, *, market: PayMarket | None = None) -> list[Flag]:
    """The flags of one posting, in the order they occur (title first).

    Parameters
    ----------
    posting : Job or mapping
        A stored job, or a record with ``title`` and ``description`` (other fields, such as
        ``salary_min``, ``salary_max``, ``city`` and ``experience_years``, help the pay check).
    market : PayMarket, optional
        Pay of comparable postings; without it the pay check uses bounds that hold anywhere.

    Examples
    --------
    >>> posting = {"title": "前台", "description": "限女性；年龄18-25岁；公司承担入职体检费用"}
    >>> [(f.rule, f.span) for f in check_posting(posting)]
    [('gender', '限女性'), ('age', '年龄18-25岁')]
    """
    fields = _fields(posting)
    whole = fold(" ".join(fields.values()))
    flags: list[Flag] = []
    for field, text in fields.items():
        if not text:
            continue
        norm = fold(text)
        for rule in RULES:
            flags.extend(_rule_flags(rule, field, text, norm, whole))
    flags.extend(pay_flags(posting, fields, market))
    order = {"title": 0, "description": 1}
    flags.sort(key=lambda f: (order.get(f.field, 2), f.start, f.rule))
    return flags


def check_postings(
    postings: Iterable[Any], *, market: PayMarket | None = None
) -> list[tuple[Any, list[Flag]]]:
    """Check many postings; pay is compared within them (and ``market``) where comparable."""
    items = list(postings)
    market = (market or PayMarket()).with_postings(items)
    return [(p, check_posting(p, market=market)) for p in items]


def categories(flags: Sequence[Flag]) -> set[str]:
    """The categories among ``flags``."""
    return {f.category for f in flags}
