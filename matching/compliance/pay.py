"""Pay far outside what the job could pay: the pay check of the posting review.

Three signals, each a ``pay_outlier`` flag in the fraud category:

- promises of easy money in the text ("日赚500", "轻松月入过万", "在家兼职", "刷单");
- a figure that no lawful or plausible job pays: full-time pay under 1,500 yuan a month
  (below the statutory minimum wages), or 40,000 or more a month for a post that asks for no
  experience or degree;
- a figure far from comparable postings: where at least :data:`MIN_COMPARABLE` postings of
  the same occupation family (职业分类大典 2022) in the same city give pay, a minimum above
  three times their median (not for senior posts: 资深, 总监, a doctorate, five years or more).
  Low pay is flagged only below the minimum wages: a posting paying less than its peers is not
  thereby fraudulent.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from matching.compliance.flags import Flag, fold
from matching.ingest.salary import salary_mentions

__all__ = ["MIN_COMPARABLE", "PayMarket", "pay_flags"]

#: How many comparable postings a market comparison needs.
MIN_COMPARABLE = 8
#: Full-time monthly pay under this is below the statutory minimum wages.
FLOOR = 1_500
#: Monthly pay at or above this for a post open to graduates without experience.
ENTRY_CEILING = 40_000
#: How far from the comparable median a figure may be (times).
FACTOR = 3.0

_EASY_MONEY = re.compile(
    r"日赚\s*\d{3,}|日入\s*\d{3,}|日结\s*\d{3,}|(?:轻松|躺着|在家|足不出户)\s*(?:月入|日赚|日入|赚钱|赚|过万)"
    r"|月入\s*(?:过万|上万|\d+\s*万)|躺赚|高额(?:回报|返利|佣金)|刷单|刷信誉|刷好评|点赞(?:兼职|赚钱|任务)"
    r"|打字(?:兼职|员)[^，,。；;]{0,8}(?:日结|日赚|月入)|无需(?:经验|学历|技能)[^。；;]{0,12}(?:月入|日赚|日结|高薪)"
    r"|\b(?:earn|make)\s+(?:up to\s+)?[$¥]?\s?\d{3,}\s*(?:a|per|/|each)\s*(?:day|week)\b|\beasy money\b|\bwork from home and earn\b"
    r"|\bguaranteed\s+(?:income|earnings|returns?)\b|\bquick\s+money\b|\bpassive\s+income\b|\bno\s+interview\s+(?:needed|required)\b"
    r"|\bno experience (?:needed|required)[^.]{0,40}\b(?:earn|\$\d)"
)
_EASY_ENTRY = re.compile(
    r"无需经验|无需学历|零基础|不限学历|经验不限|学历不限|无经验|小白|应届生可投|no experience|no degree|anyone can"
)
_SENIOR = re.compile(
    r"资深|高级|总监|首席|专家|负责人|经理|总裁|合伙人|博士|[5-9]年以上|十年"
    r"|\b(?:senior|principal|chief|director|head of|lead|phd)\b"
)
_PART_TIME = re.compile(r"兼职|小时工|日结|实习|补贴|part[- ]time|hourly|intern|stipend")


@dataclass
class PayMarket:
    """Monthly pay midpoints of comparable postings, by (occupation family, city)."""

    by_key: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))

    @staticmethod
    def key(posting: Any) -> tuple[str, str] | None:
        """(occupation family, city) of a posting, or ``None`` without a title or a city."""
        title, city = _get(posting, "title"), _get(posting, "city")
        if not title or not city:
            return None
        from matching.lexicon.occupations import OccupationNormalizer

        matches = OccupationNormalizer.default().normalize(str(title))
        if not matches:
            return None
        return matches[0].code[:4], str(city)

    def add(self, posting: Any) -> None:
        """Count one posting's pay (when it gives one) towards its market."""
        pay = _pay(posting)
        key = self.key(posting) if pay else None
        if pay and key:
            self.by_key[key].append((pay[0] + pay[1]) / 2)

    def with_postings(self, postings: Iterable[Any]) -> PayMarket:
        """A market of these postings on top of this one's."""
        out = PayMarket(defaultdict(list, {k: list(v) for k, v in self.by_key.items()}))
        for p in postings:
            out.add(p)
        return out

    def median(self, posting: Any) -> float | None:
        """The median of the comparable postings (the posting itself left out), if enough."""
        key = self.key(posting)
        if key is None:
            return None
        values = list(self.by_key.get(key, ()))
        pay = _pay(posting)
        if pay and (pay[0] + pay[1]) / 2 in values:
            values.remove((pay[0] + pay[1]) / 2)
        return statistics.median(values) if len(values) >= MIN_COMPARABLE else None


def _get(posting: Any, name: str) -> Any:
    if isinstance(posting, Mapping):
        return posting.get(name)
    return getattr(posting, name, None)


def _pay(posting: Any) -> tuple[int, int] | None:
    low, high = _get(posting, "salary_min"), _get(posting, "salary_max")
    if isinstance(low, int) or isinstance(high, int):
        low = low if isinstance(low, int) else high
        high = high if isinstance(high, int) else low
        return int(low), int(high)
    text = f"{_get(posting, 'title') or ''} {_get(posting, 'description') or ''}"
    mentions = salary_mentions(text)
    return (mentions[0][0], mentions[0][1]) if mentions else None


def _locate(fields: Mapping[str, str], needle: str) -> tuple[str, int, int] | None:
    for name, text in fields.items():
        i = fold(text).find(fold(needle))
        if i >= 0:
            return name, i, i + len(needle)
    return None


def pay_flags(
    posting: Any, fields: Mapping[str, str], market: PayMarket | None = None
) -> list[Flag]:
    """The ``pay_outlier`` flags of one posting (see the module notes)."""
    zh = any("\u4e00" <= ch <= "\u9fff" for ch in "".join(fields.values()))
    flags: list[Flag] = []

    def flag(name: str, start: int, end: int, zh_msg: str, en_msg: str) -> None:
        flags.append(
            Flag(
                rule="pay_outlier",
                category="fraud",
                span=fields[name][start:end],
                field=name,
                start=start,
                end=end,
                message=zh_msg if zh else en_msg,
                suggestion=(
                    "写明真实、符合市场水平的薪酬范围"
                    if zh
                    else "state the real pay range, in line with the market"
                ),
            )
        )

    for name, text in fields.items():
        for m in _EASY_MONEY.finditer(fold(text)):
            flag(
                name,
                m.start(),
                m.end(),
                "以轻松高收入为诱饵，常见于招聘欺诈",
                "promises easy money, a common sign of fraudulent postings",
            )
    text = " ".join(fields.values())
    mentions = salary_mentions(text)
    if not mentions:
        return flags
    low, high, matched = mentions[0]
    where = _locate(fields, matched) or ("description", 0, 0)
    if where[2] == 0 and not fields.get(where[0]):
        return flags
    folded = fold(text)
    part_time = _PART_TIME.search(folded) is not None
    # a post anyone can take: it asks for no experience or degree, and is not a senior one
    easy = _EASY_ENTRY.search(folded) is not None and _SENIOR.search(folded) is None
    senior = _SENIOR.search(folded) is not None
    median = market.median(posting) if market is not None else None
    if high < FLOOR and not part_time:
        flag(
            *where,
            f"全职月薪低于{FLOOR}元，低于法定最低工资",
            f"full-time pay under {FLOOR} yuan a month, below the minimum wage",
        )
    elif low >= ENTRY_CEILING and easy:
        flag(
            *where,
            "面向无经验求职者的薪酬远高于市场水平",
            "pay far above the market for a post without experience",
        )
    elif median is not None and low > FACTOR * median and not senior:
        flag(
            *where,
            f"薪酬高于同城同类岗位（中位数约{median:.0f}元/月）三倍以上",
            f"pay over three times that of comparable postings in the city (median about {median:.0f} a month)",
        )
    return flags
