"""Build ``skills.tsv``, the skill lexicon read by :class:`matching.skills.SkillVocabulary`.

Three sources, merged in this order (an earlier source's canonical name wins):

1. ``skills_curated.tsv`` (next to this script): hand-written Chinese and English skill terms
   across majors (IT, engineering, finance, law, healthcare, education, design, languages, ...).
2. O*NET 29.2 ``Technology Skills.txt``: the ``Example`` names flagged *Hot Technology* or
   *In Demand*, mapped to the names Chinese postings use (``The MathWorks MATLAB`` -> ``MATLAB``)
   by ``onet_skill_names.tsv``; tools rarely seen in Chinese postings (US-only medical and
   accounting software, chat apps) and commodity classes ("Tax software") are dropped there.
   The O*NET name stays as an alias. A name missing from that table keeps its own name.
3. Latin-script terms mined from Chinese job-description texts (one posting a line): tokens
   with an upper-case letter or digit that appear in at least ``--min-df`` postings, are not
   already known, are not in ``MINED_REJECT`` (generic words, units, company names), and mostly
   sit next to Chinese text (``MIN_CHINESE_CONTEXT``), which English prose words do not.

Run from the repository root::

    python matching/data/build_skills.py --onet <O*NET 29.2 text folder> \\
        --postings <folder of split_data_*.txt posting files> --out matching/data/skills.tsv

The output is deterministic for fixed inputs; O*NET's ``Read Me.txt`` gives its licence
(CC BY 4.0, see ``ATTRIBUTION.md``).
"""

from __future__ import annotations

import argparse
import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent

# O*NET commodity titles -> category, for hot technologies kept under their own name.
ONET_CATEGORIES = {
    "Object or component oriented development software": "programming",
    "Development environment software": "programming",
    "Web platform development software": "web",
    "Data base management system software": "database",
    "Data base user interface and query software": "database",
    "Object oriented data base management software": "database",
    "Business intelligence and data analysis software": "data",
    "Analytical or scientific software": "data",
    "Application server software": "devops",
    "Operating system software": "devops",
    "Program testing software": "testing",
    "Graphics or photo imaging software": "design",
    "Web page creation and editing software": "web",
}

# Frequent Latin tokens of the postings that are not skills: generic words, degrees, venues,
# company and place names, and abbreviations too ambiguous to count as one skill.
MINED_REJECT = frozenset(
    [
        "ai",
        "it",
        "ip",
        "io",
        "id",
        "ic",
        "pc",
        "ms",
        "mp",
        "hr",
        "ceo",
        "cto",
        "api",
        "app",
        "sdk",
        "ui",
        "ue",
        "web",
        "ok",
        "vs",
        "cpu",
        "gpu",
        "mcu",
        "soc",
        "pcb",
        "usb",
        "sci",
        "ssci",
        "ei",
        "mba",
        "phd",
        "bs",
        "ba",
        "ma",
        "msc",
        "bsc",
        "iso",
        "ieee",
        "acm",
        "cvpr",
        "iccv",
        "eccv",
        "nips",
        "aaai",
        "ijcai",
        "kdd",
        "icml",
        "top",
        "pk",
        "tob",
        "toc",
        "b2b",
        "b2c",
        "o2o",
        "offer",
        "bug",
        "debug",
        "demo",
        "plus",
        "pro",
        "max",
        "mini",
        "job",
        "rd",
        "hc",
        "fae",
        "pm",
        "pmo",
        "pmp",
        "kpi",
        "okr",
        "qq",
        "wechat",
        "email",
        "tel",
        "http",
        "https",
        "www",
        "com",
        "cn",
        "html",
        "android",
        "ios",
        "windows",
        "linux",
        "office",
        "excel",
        "word",
        "ppt",
        "china",
        "chinese",
        "english",
        "beijing",
        "shanghai",
        "shenzhen",
        "gps",
        "ar",
        "vr",
        "mr",
        "gpa",
        "cet",
        "tem",
        "usa",
        "us",
        "uk",
        "eu",
        "asia",
        "ibm",
        "intel",
        "nvidia",
        "amd",
        "arm",
        "ti",
        "st",
        "qualcomm",
        "huawei",
        "microsoft",
        "google",
        "baidu",
        "alibaba",
        "tencent",
        "apple",
        "samsung",
        "cisco",
        "oracle",
        "sap",
        "sony",
        "mt",
        "sf",
        "ps",
        "ae",
        "led",
        "lcd",
        "ad",
        "da",
        "adc",
        "dac",
        "dc",
        "ac",
        "hmi",
        "gui",
        "pdf",
        "iot",
        "oem",
        "odm",
        "rma",
        "bom",
        "ecn",
        "ecr",
        "dfm",
        "lte",
        "mac",
        "phy",
        "isp",
        "ipc",
        "nas",
        "san",
        "cv",
        "lr",
        "vc",
        "ee",
        "visual",
        "studio",
        "server",
        "deep",
        "basic",
        "sensor",
        "camera",
        "designer",
        "requirements",
        "responsibilities",
    ]
)

# Categories for mined terms; any other mined term is filed under "tech".
MINED_CATEGORIES = {
    "ai": "svm theano ocr hmm crf gan kaldi pcl gbdt ekf lidar",
    "hardware": "rtl cmos ise ads vcs modelsim hfss pll ddr neon",
    "network": "wifi udp mimo ofdm wcdma",
    "programming": "opencl opengl mpi x86",
    "data": "storm",
    "embedded": "imu",
}

# A mined token must sit next to Chinese text in at least this share of its occurrences;
# English words of English-language postings ("Strong", "Required") rarely do.
MIN_CHINESE_CONTEXT = 0.2


def nfkc(text: str) -> str:
    """NFKC with whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def key(term: str) -> str:
    """Lookup key; mirrors :func:`matching.text.term_key`."""
    return re.sub(r"[\s\-_]+", "", nfkc(term).translate({c: c + 32 for c in range(65, 91)}))


class Lexicon:
    """Ordered entries with alias-conflict checks."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, list[str]]] = {}  # name -> (category, aliases)
        self.owner: dict[str, str] = {}  # key of any surface -> canonical name

    def add(self, name: str, category: str, aliases: list[str]) -> None:
        name = nfkc(name)
        owner = self.owner.get(key(name), name)
        if owner not in self.entries:
            self.entries[owner] = (category, [])
            self.owner[key(owner)] = owner
        for alias in (name, *aliases):
            alias = nfkc(alias)
            other = self.owner.get(key(alias))
            if other is not None and other != owner:
                raise SystemExit(f"alias {alias!r} of {owner!r} already names {other!r}")
            if other is None:
                self.owner[key(alias)] = owner
                self.entries[owner][1].append(alias)

    def write(self, path: Path) -> None:
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write("name\tcategory\taliases\n")
            for name, (category, aliases) in self.entries.items():
                out.write(f"{name}\t{category}\t{'|'.join(aliases)}\n")


def add_curated(lexicon: Lexicon, path: Path) -> None:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, category, aliases = line.split("\t")
            lexicon.add(name, category, [a for a in aliases.split("|") if a.strip()])


def read_onet_names(path: Path) -> dict[str, tuple[str, str, list[str]] | None]:
    """O*NET name -> (canonical, category, extra aliases), or None for a dropped name."""
    table: dict[str, tuple[str, str, list[str]] | None] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.startswith("#") or line.startswith("onet_name\t") or not line.strip():
            continue
        name, canonical, category, aliases = line.split("\t")
        table[name] = (
            None
            if canonical == "-"
            else (canonical, category, [a for a in aliases.split("|") if a])
        )
    return table


def add_onet(lexicon: Lexicon, onet_dir: Path) -> None:
    names = read_onet_names(HERE / "onet_skill_names.tsv")
    hot: dict[str, str] = {}
    with (onet_dir / "Technology Skills.txt").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if "Y" in (row["Hot Technology"], row["In Demand"]):
                hot.setdefault(row["Example"], row["Commodity Title"])
    for name in sorted(hot):
        default: tuple[str, str, list[str]] = (name, ONET_CATEGORIES.get(hot[name], "software"), [])
        mapped = names.get(name, default)
        if mapped is None:
            continue
        canonical, category, extra = mapped
        lexicon.add(canonical, category, [name, *extra])


def add_mined(lexicon: Lexicon, postings_dir: Path, min_df: int) -> list[str]:
    token = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:\+\+|#)?(?![A-Za-z0-9+#])")
    chinese = re.compile(r"[\u4e00-\u9fff]")
    df: Counter[str] = Counter()
    spellings: Counter[str] = Counter()
    near_chinese: Counter[str] = Counter()
    for path in sorted(postings_dir.glob("split_data_*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = nfkc(line)
            seen = set()
            for match in token.finditer(line):
                k = key(match.group())
                spellings[match.group()] += 1
                seen.add(k)
                context = line[max(0, match.start() - 3) : match.start()] + line[match.end() :][:3]
                near_chinese[k] += bool(chinese.search(context))
            df.update(seen)
    n_seen: Counter[str] = Counter()
    best: dict[str, str] = {}
    for tok, n in spellings.most_common():
        best.setdefault(key(tok), tok)
        n_seen[key(tok)] += n
    mined = []
    for k, n in sorted(df.items(), key=lambda kv: (-kv[1], kv[0])):
        form = best[k]
        if n < min_df or len(k) < 2 or k in MINED_REJECT or k in lexicon.owner:
            continue
        if not re.search(r"[A-Z0-9]", form):  # lower-case only: an English word
            continue
        if near_chinese[k] < MIN_CHINESE_CONTEXT * n_seen[k]:
            continue
        category = next((c for c, ks in MINED_CATEGORIES.items() if k in ks.split()), "tech")
        lexicon.add(form, category, [])
        mined.append(form)
    return mined


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onet", type=Path, required=True, help="O*NET 29.2 text folder")
    parser.add_argument(
        "--postings", type=Path, required=True, help="folder of split_data_*.txt posting texts"
    )
    parser.add_argument(
        "--min-df", type=int, default=20, help="postings a mined term must appear in (default 20)"
    )
    parser.add_argument("--out", type=Path, default=HERE / "skills.tsv")
    args = parser.parse_args()
    lexicon = Lexicon()
    add_curated(lexicon, HERE / "skills_curated.tsv")
    n_curated = len(lexicon.entries)
    add_onet(lexicon, args.onet)
    n_onet = len(lexicon.entries) - n_curated
    mined = add_mined(lexicon, args.postings, args.min_df)
    lexicon.write(args.out)
    print(
        f"{len(lexicon.entries)} skills: {n_curated} curated, {n_onet} more from O*NET, "
        f"{len(mined)} mined: {', '.join(mined)}"
    )


if __name__ == "__main__":
    main()
