"""Chinese universities with their tier and province, and the region of a province or city.

The university list (2,779 institutions with their 985 / 211 / 双一流 flags) gives a
candidate's school tier; the National Bureau of Statistics' four economic regions (东部, 中部,
西部, 东北) group provinces. Both serve fairness groups and audits, not ranking features.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

from matching.lexicon.places import CityTable
from matching.paths import DATA_DIR

__all__ = [
    "REGIONS",
    "SCHOOL_TIERS",
    "School",
    "SchoolTable",
    "region_of",
]

#: The school tiers a candidate falls in, best first: a named school outside the first three
#: (or missing from the list) is ``other``; ``unknown`` when the profile names no school.
SCHOOL_TIERS = ("985", "211", "double_first_class", "other", "unknown")

#: Province -> region, after the National Bureau of Statistics' division into 东部 (east),
#: 中部 (central), 西部 (west) and 东北 (northeast); Hong Kong, Macao and Taiwan are ``other``.
PROVINCE_REGION = MappingProxyType(
    {
        **dict.fromkeys(
            ("北京", "天津", "河北", "上海", "江苏", "浙江", "福建", "山东", "广东", "海南"), "east"
        ),
        **dict.fromkeys(("山西", "安徽", "江西", "河南", "湖北", "湖南"), "central"),
        **dict.fromkeys(
            (
                "内蒙古",
                "广西",
                "重庆",
                "四川",
                "贵州",
                "云南",
                "西藏",
                "陕西",
                "甘肃",
                "青海",
                "宁夏",
                "新疆",
            ),
            "west",
        ),  # fmt: skip
        **dict.fromkeys(("辽宁", "吉林", "黑龙江"), "northeast"),
        **dict.fromkeys(("香港", "澳门", "台湾"), "other"),
    }
)

#: The region labels, with ``unknown`` for a place that names no province or known city.
REGIONS = ("east", "central", "west", "northeast", "other", "unknown")

# Province names as written in full: "广西壮族自治区" -> "广西", "北京市" -> "北京".
_PROVINCE_SUFFIX = re.compile(r"(?:壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区|省|市)$")
# A campus or a former name in brackets: "中国石油大学（华东）" keeps its tier.
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


@dataclass(frozen=True, slots=True)
class School:
    """A Chinese higher-education institution."""

    name: str
    province: str
    city: str
    undergraduate: bool
    private: bool
    is_985: bool
    is_211: bool
    double_first_class: bool

    @property
    def tier(self) -> str:
        """The school's tier as the list gives it.

        One of ``"985"``, ``"211"``, ``"double_first_class"``, ``"undergraduate"``,
        ``"vocational"``.
        """
        if self.is_985:
            return "985"
        if self.is_211:
            return "211"
        if self.double_first_class:
            return "double_first_class"
        return "undergraduate" if self.undergraduate else "vocational"

    @property
    def fairness_tier(self) -> str:
        """The tier as a fairness group: one of :data:`SCHOOL_TIERS` other than ``unknown``."""
        tier = self.tier
        return tier if tier in SCHOOL_TIERS else "other"


class SchoolTable:
    """The shipped university list, looked up by name.

    Examples
    --------
    >>> table = SchoolTable.default()
    >>> table.tier_of("清华大学"), table.tier_of("安徽大学"), table.tier_of("某某职业学院")
    ('985', '211', 'other')
    """

    def __init__(self, schools: Iterable[School]) -> None:
        self.schools = tuple(schools)
        self._by_name = {s.name: s for s in self.schools}

    @classmethod
    @functools.cache
    def default(cls) -> SchoolTable:
        """The table of ``matching/data/cn_schools.csv.gz``, loaded once."""
        with gzip.open(DATA_DIR / "cn_schools.csv.gz", "rb") as fh:
            text = fh.read().decode("utf-8", errors="replace")
        return cls(
            School(
                name=row["学校"].strip(),
                province=row["省份"].strip(),
                city=row["城市"].strip(),
                undergraduate=row["层次"].strip() == "本科",
                private=row["性质"].strip() == "民办",
                is_985=row["985"].strip() == "是",
                is_211=row["211"].strip() == "是",
                double_first_class=row["双一流"].strip() == "是",
            )
            for row in csv.DictReader(io.StringIO(text))
        )

    def get(self, name: str | None) -> School | None:
        """The school of a name as records give it (spaces and a bracketed campus ignored)."""
        if not name:
            return None
        key = re.sub(r"\s+", "", name)
        return self._by_name.get(key) or self._by_name.get(_BRACKETS.sub("", key))

    def tier_of(self, name: str | None) -> str:
        """The fairness tier of a school: one of :data:`SCHOOL_TIERS`."""
        if not name or not name.strip():
            return "unknown"
        school = self.get(name)
        return "other" if school is None else school.fairness_tier


def region_of(place: str | None, cities: CityTable | None = None) -> str:
    """The region of a province or city named in ``place``: one of :data:`REGIONS`.

    Examples
    --------
    >>> region_of("河南"), region_of("广西壮族自治区"), region_of("成都"), region_of("火星")
    ('central', 'west', 'west', 'unknown')
    """
    if not place:
        return "unknown"
    text = re.sub(r"\s+", "", place)
    province = _PROVINCE_SUFFIX.sub("", text)
    if province in PROVINCE_REGION:
        return PROVINCE_REGION[province]
    table = cities or CityTable.default()
    found = table.province_of(text) or next(
        (table.province_of(c) for c in table.extract(text)), None
    )
    return PROVINCE_REGION.get(found or "", "unknown")
