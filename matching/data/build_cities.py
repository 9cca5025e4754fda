"""Build ``cities.tsv`` (city, province, aliases) from the cities of a list of universities.

Every city that hosts a higher-education institution is kept, with its province; a city listed
under two provinces keeps the one most institutions give (a campus of another province's
university does not move the city). Names are normalised ("北京市" -> "北京", "吉林市" -> "吉林").
Hong Kong and Macao are added; the largest cities get their English names as aliases.

Run from the repository root::

    python matching/data/build_cities.py --schools <cn_schools.csv> --out matching/data/cities.tsv
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent

EXTRA = {"香港": "香港", "澳门": "澳门"}

ENGLISH = {
    "北京": "Beijing|Peking",
    "上海": "Shanghai",
    "广州": "Guangzhou|Canton",
    "深圳": "Shenzhen",
    "天津": "Tianjin",
    "重庆": "Chongqing",
    "杭州": "Hangzhou",
    "南京": "Nanjing",
    "苏州": "Suzhou",
    "武汉": "Wuhan",
    "成都": "Chengdu",
    "西安": "Xi'an|Xian",
    "长沙": "Changsha",
    "郑州": "Zhengzhou",
    "青岛": "Qingdao",
    "济南": "Jinan",
    "合肥": "Hefei",
    "福州": "Fuzhou",
    "厦门": "Xiamen",
    "大连": "Dalian",
    "沈阳": "Shenyang",
    "哈尔滨": "Harbin",
    "长春": "Changchun",
    "昆明": "Kunming",
    "南宁": "Nanning",
    "贵阳": "Guiyang",
    "南昌": "Nanchang",
    "太原": "Taiyuan",
    "石家庄": "Shijiazhuang",
    "兰州": "Lanzhou",
    "乌鲁木齐": "Urumqi",
    "呼和浩特": "Hohhot",
    "宁波": "Ningbo",
    "无锡": "Wuxi",
    "东莞": "Dongguan",
    "佛山": "Foshan",
    "珠海": "Zhuhai",
    "海口": "Haikou",
    "香港": "Hong Kong",
    "澳门": "Macao|Macau",
}


def clean(name: str) -> str:
    name = name.strip()
    return name[:-1] if name.endswith("市") and len(name) > 2 else name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=Path, required=True, help="cn_schools.csv")
    parser.add_argument("--out", type=Path, default=HERE / "cities.tsv")
    args = parser.parse_args()
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    with args.schools.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            votes[clean(row["城市"])][clean(row["省份"])] += 1
    provinces = {city: c.most_common(1)[0][0] for city, c in votes.items() if city}
    provinces.update(EXTRA)
    with args.out.open("w", encoding="utf-8", newline="") as out:
        out.write("city\tprovince\taliases\n")
        for city in sorted(provinces):
            out.write(f"{city}\t{provinces[city]}\t{ENGLISH.get(city, '')}\n")
    print(f"{len(provinces)} cities")


if __name__ == "__main__":
    main()
