"""Chinese cities named in a text, normalised to the names records store ("北京市" -> "北京").

The table of cities (with provinces and English names) ships in ``matching/data/cities.tsv``;
one trie-shaped expression finds every name in a single pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.lexicon.base import Lexicon, split_list
from matching.text import term_key

__all__ = ["City", "CityTable", "extract_cities"]

# City names that are also everyday words or other places (三明治, 大理石, 朝阳区, 中山大学):
# they count only as "X市", after their province ("广东中山"), or as the whole text.
_AMBIGUOUS_CITIES = frozenset(
    {
        "东方",
        "新星",
        "来宾",
        "开封",
        "长治",
        "安康",
        "朝阳",
        "白山",
        "红河",
        "大理",
        "普洱",
        "海西",
        "兴安",
        "文山",
        "昆玉",
        "神木",
        "和田",
        "中山",
        "黄山",
        "天门",
        "通化",
        "定西",
        "吉安",
        "白城",
        "资阳",
        "宜春",
        "广安",
        "铁门关",
        "白银",
        "三明",
        "吉林",
        "北海",
        "阿拉尔",
        "可克达拉",
        "五家渠",
        "双鸭山",
        "石河子",
        "伊犁",
        "德宏",
        "迪庆",
        "甘南",
        "延边",
        "凉山",
        "湘西",
        "恩施",
        "楚雄",
        "文昌",
        "琼海",
        "陵水",
    }
)
_NOT_A_CITY_AFTER = re.compile(r"(?:路|街|大道|大街|大学|学院|师范|理工|工业大学)")


@dataclass(frozen=True, slots=True)
class City:
    """One city of the table.

    Parameters
    ----------
    name : str
        Short name as records store it, e.g. ``"北京"``.
    province : str
        Province (or municipality) it belongs to, e.g. ``"北京"`` or ``"广东"``.
    aliases : tuple of str
        Other spellings, e.g. ``("Beijing", "Peking")``; ``name + "市"`` is always one.
    """

    name: str
    province: str
    aliases: tuple[str, ...] = ()


class CityTable(Lexicon[City]):
    """Chinese cities with their provinces, found in text in one pass.

    Examples
    --------
    >>> CityTable.default().extract("工作地点：北京市海淀区，或上海、深圳")
    ('北京', '上海', '深圳')
    """

    kind = "city"
    entry_type = City
    columns = ("city", "province", "aliases")
    default_file = "cities.tsv"
    pad_missing_columns = True

    def forms_of(self, city: City) -> tuple[str, ...]:
        """The name, the name with 市, and the aliases of a city."""
        return (city.name, city.name + "市", *city.aliases)

    @classmethod
    def from_row(cls, cols: list[str]) -> City:
        """A city from the columns ``city``, ``province``, ``aliases``."""
        return City(cols[0], cols[1], split_list(cols[2]))

    def province_of(self, name: str) -> str | None:
        """Province of a city given by any spelling, or ``None`` when unknown."""
        city = self.get(name)
        return city.province if city is not None else None

    def extract(self, text: str) -> tuple[str, ...]:
        """Chinese cities named in a text, as short names ("北京市" -> "北京"), in order of mention.

        Parameters
        ----------
        text : str
            Chinese or English text ("工作地点：上海市浦东新区", "based in Shenzhen").

        Returns
        -------
        tuple of str
            City names without repeats.
        """
        norm = self.lowered(text)
        whole = self._surfaces.get(term_key(norm))
        if whole is not None:
            return (whole.name,)
        found: dict[str, None] = {}
        for start, end, _, city in self.scan(norm):
            if _NOT_A_CITY_AFTER.match(norm, end):
                continue
            if city.name in _AMBIGUOUS_CITIES and not norm[start:end].endswith("市"):
                before = norm[max(0, start - len(city.province) - 1) : start]
                if city.province not in before or city.province == city.name:
                    continue
            found.setdefault(city.name, None)
        return tuple(found)


def extract_cities(text: str) -> tuple[str, ...]:
    """Cities named in a text, by the shipped :class:`CityTable` (see :meth:`CityTable.extract`).

    Examples
    --------
    >>> extract_cities("工作地点：北京市海淀区，或上海、深圳")
    ('北京', '上海', '深圳')
    """
    return CityTable.default().extract(text)
