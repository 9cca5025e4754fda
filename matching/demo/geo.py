"""Cities of the demo data: the real cities of the university list, with a size tier.

Every city that hosts a higher-education institution is a candidate location. The tiers follow the
widely used commercial ranking of Chinese cities (一线 / 新一线 / 二线); they only set how many
postings a city draws and how much it pays, so a coarse, public grouping is enough.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from matching.demo.sources import School
from matching.lexicon.schools import PROVINCE_REGION

__all__ = ["City", "CityTable", "TIER_PAY", "WESTERN_PROVINCES", "city_tier"]

_TIER_1 = ("北京", "上海", "广州", "深圳")
_NEW_TIER_1 = (
    "成都",
    "杭州",
    "重庆",
    "苏州",
    "武汉",
    "西安",
    "南京",
    "长沙",
    "天津",
    "郑州",
    "东莞",
    "无锡",
    "宁波",
    "青岛",
    "合肥",
)
_TIER_2 = (
    "佛山",
    "沈阳",
    "昆明",
    "济南",
    "厦门",
    "福州",
    "温州",
    "哈尔滨",
    "石家庄",
    "大连",
    "南宁",
    "泉州",
    "金华",
    "贵阳",
    "常州",
    "长春",
    "南昌",
    "南通",
    "嘉兴",
    "徐州",
    "惠州",
    "太原",
    "台州",
    "绍兴",
    "保定",
    "中山",
    "潍坊",
    "临沂",
    "珠海",
    "烟台",
    "兰州",
    "乌鲁木齐",
    "呼和浩特",
    "海口",
    "银川",
    "西宁",
)

#: Provinces covered by the College Graduates Volunteer Service for the West (西部计划): the
#: statistical west region.
WESTERN_PROVINCES = frozenset(p for p, region in PROVINCE_REGION.items() if region == "west")

# Share of postings per tier: job boards concentrate graduate postings in the largest cities,
# but every city keeps some weight so the data spans the whole country.
_TIER_SHARE = {1: 0.36, 2: 0.32, 3: 0.18, 4: 0.14}
#: Salary multiplier per tier, relative to a second-tier city.
TIER_PAY = {1: 1.35, 2: 1.12, 3: 1.0, 4: 0.85}


def city_tier(city: str) -> int:
    """1 for 一线, 2 for 新一线, 3 for 二线, 4 for every other city."""
    if city in _TIER_1:
        return 1
    if city in _NEW_TIER_1:
        return 2
    if city in _TIER_2:
        return 3
    return 4


@dataclass(frozen=True, slots=True)
class City:
    """A city, its province and tier, and how many institutions it hosts."""

    name: str
    province: str
    tier: int
    n_schools: int


class CityTable:
    """The cities of the university list, with sampling weights for job locations.

    Parameters
    ----------
    schools : list of School
        The institutions; each distinct (city, province) becomes a :class:`City`.
    """

    def __init__(self, schools: list[School]) -> None:
        counts = Counter((s.city, s.province) for s in schools if s.city)
        # A few cities appear under two provinces in the list; keep the more frequent pairing.
        best: dict[str, tuple[str, int]] = {}
        for (city, province), n in sorted(counts.items()):
            if city not in best or n > best[city][1]:
                best[city] = (province, n)
        self.cities = [
            City(name=c, province=p, tier=city_tier(c), n_schools=n)
            for c, (p, n) in sorted(best.items())
        ]
        self.by_name = {c.name: c for c in self.cities}
        self.by_province: dict[str, list[City]] = {}
        for c in self.cities:
            self.by_province.setdefault(c.province, []).append(c)
        # Within the two top tiers every city is a large market of its own; below them the
        # number of institutions is a rough proxy for the size of the local labour market.
        raw = np.array([1.0 if c.tier <= 2 else np.sqrt(c.n_schools) for c in self.cities])
        tiers = np.array([c.tier for c in self.cities])
        w = np.zeros(len(self.cities))
        for tier, share in _TIER_SHARE.items():
            mask = tiers == tier
            w[mask] = share * raw[mask] / raw[mask].sum()
        self.job_weights = w / w.sum()
        self.big_cities = [c for c in self.cities if c.tier <= 2]

    def sample_job_city(self, rng: np.random.Generator) -> City:
        """Draw a posting's city: weighted toward big cities, every city possible."""
        return self.cities[int(rng.choice(len(self.cities), p=self.job_weights))]

    def sample_public_city(self, rng: np.random.Generator) -> City:
        """Draw the city of a public body: these exist in every city, so size matters less."""
        w = np.sqrt([c.n_schools for c in self.cities])
        return self.cities[int(rng.choice(len(self.cities), p=w / w.sum()))]

    def province_capital_like(self, province: str) -> City:
        """The city of a province with the most institutions (usually its capital)."""
        return max(self.by_province[province], key=lambda c: (c.n_schools, -c.tier))
