"""Chinese cities named in a text, normalised to the names records store ("北京市" -> "北京").

The table of cities (with provinces and English names) ships in ``matching/data/cities.tsv``;
one trie-shaped expression finds every name in a single pass.
"""

from __future__ import annotations

import functools
import re

from matching.paths import DATA_DIR
from matching.text import ascii_lower, normalize_text, term_key, term_pattern

__all__ = ["extract_cities"]

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


@functools.cache
def _city_table() -> tuple[dict[str, tuple[str, str]], re.Pattern[str]]:
    """Lookup key -> (city, province), and one pattern for every spelling; built on first use."""
    lookup: dict[str, tuple[str, str]] = {}
    forms = []
    text = (DATA_DIR / "cities.tsv").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        city, province, aliases = (line.split("\t") + ["", ""])[:3]
        for form in (city, city + "市", *aliases.split("|")):
            if form:
                lookup.setdefault(term_key(form), (city, province))
                forms.append(form)
    return lookup, term_pattern(forms)


def extract_cities(text: str) -> tuple[str, ...]:
    """Chinese cities named in a text, as short names ("北京市" -> "北京"), in order of mention.

    Parameters
    ----------
    text : str
        Chinese or English text ("工作地点：上海市浦东新区", "based in Shenzhen").

    Returns
    -------
    tuple of str
        City names without repeats.

    Examples
    --------
    >>> extract_cities("工作地点：北京市海淀区，或上海、深圳")
    ('北京', '上海', '深圳')
    """
    lookup, pattern = _city_table()
    norm = ascii_lower(normalize_text(text))
    whole = lookup.get(term_key(norm))
    if whole is not None:
        return (whole[0],)
    found: dict[str, None] = {}
    for match in pattern.finditer(norm):
        surface = match.group()
        city, province = lookup[term_key(surface)]
        if _NOT_A_CITY_AFTER.match(norm, match.end()):
            continue
        if city in _AMBIGUOUS_CITIES and not surface.endswith("市"):
            before = norm[max(0, match.start() - len(province) - 1) : match.start()]
            if province not in before or province == city:
                continue
        found.setdefault(city, None)
    return tuple(found)
