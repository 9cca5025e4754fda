"""Job-title normalisation against the Chinese occupational classification 2022 (职业分类大典).

A title such as "Java开发工程师" or "餐饮兼职服务员" is matched to a detailed occupation of the
classification by character n-gram TF-IDF similarity (scikit-learn): against each occupation's
name and aliases (the best of them counts) and, with a lower weight, its definition. A match on
a broader group (a level-2 or level-3 node whose alias fits the title) is passed down to the
group's best-matching detailed occupation, so every answer is a leaf of the classification.

Titles from job boards carry noise ("重庆金沙店绿茶餐厅诚聘各岗4000起+包吃住"): bracketed
notes, the employer before 招聘, pay and benefits. These are stripped before matching.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.paths import DATA_DIR

__all__ = ["OccupationMatch", "OccupationNormalizer"]

_NGRAMS = (1, 2)
_DEFINITION_WEIGHT = 0.5
_BATCH = 512
_CODE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")
_MARKERS = re.compile(r"(?<=[\u4e00-\u9fff])[LS/]+$")  # 大典 flags: L green, S digital occupation
_BRACKETS = re.compile(r"\(.*?\)|【.*?】|\[.*?\]|<.*?>")
_HIRING = re.compile(r"招聘|诚聘|急聘|聘请|急招|直招")
_PARTS = re.compile(r"[/|、,，\s\-—_:;.]+")
_NOISE = re.compile(
    r"包吃住|包住宿?|包吃|提供住宿|[五六]险一金|[五六]险|双休|周末|月薪|底薪|高薪|无责|提成|日结|"
    r"兼职|全职|实习生?|学徒|高级|资深|初级|中级|储备|\d+|\+|元|起|[kw]|万"
)


@dataclass(frozen=True, slots=True)
class OccupationMatch:
    """One occupation proposed for a title.

    Parameters
    ----------
    code : str
        Classification code, e.g. ``"2-02-10-03"``.
    name : str
        Occupation name, e.g. ``"计算机软件工程技术人员"``.
    level : int
        Depth in the classification: 1 major group ... 4 detailed occupation.
    score : float
        Similarity, higher is closer (cosine scale, not a probability).
    """

    code: str
    name: str
    level: int
    score: float


def _clean(text: str) -> str:
    return _MARKERS.sub("", unicodedata.normalize("NFKC", text).strip()).lower()


def _clean_title(title: str) -> str:
    """Strip board noise from a job title; keep the occupation words."""
    text = _BRACKETS.sub("", unicodedata.normalize("NFKC", title).lower())
    hiring = list(_HIRING.finditer(text))
    if hiring and text[hiring[-1].end() :].strip():
        text = text[hiring[-1].end() :]  # "肯德基招聘西餐厨师" -> "西餐厨师"
    joined = "".join(_PARTS.split(text))
    return _NOISE.sub("", joined) or joined


def _gram_list(text: str) -> list[str]:
    """Character 1- and 2-grams of a cleaned text, repeats kept (sklearn counts them)."""
    return [text[i : i + n] for n in _NGRAMS for i in range(len(text) - n + 1)]


class OccupationNormalizer:
    """Map job titles to detailed occupations of the 2022 classification.

    Parameters
    ----------
    rows : iterable of mapping
        Classification nodes with keys ``level``, ``code``, ``name``, ``definition`` and
        ``alias`` (comma-separated), as in ``matching/data/csco22.csv.gz``.

    Raises
    ------
    ValueError
        If there are no rows, or a row has a malformed code or level.

    Examples
    --------
    >>> normalizer = OccupationNormalizer.default()
    >>> normalizer.normalize("Java开发工程师")[0].name
    '计算机软件工程技术人员'
    >>> normalizer.job_family("2-02-10-03")
    '工程技术人员'
    """

    _default: OccupationNormalizer | None = None
    _default_lock = threading.Lock()

    def __init__(self, rows: Iterable[dict[str, str]]) -> None:
        nodes = []
        for row in rows:
            code = (row.get("code") or "").strip()
            if not _CODE.match(code) or str(row.get("level", "")).strip() not in "1234":
                raise ValueError(
                    f"rows: bad classification node {row!r}; need a code like "
                    "'2-02-10-03' and a level 1-4"
                )
            nodes.append(
                (
                    code,
                    _MARKERS.sub("", row["name"].strip()),
                    int(row["level"]),
                    row.get("definition") or "",
                    row.get("alias") or "",
                )
            )
        if not nodes:
            raise ValueError("rows must hold at least one classification node")
        self._codes = [n[0] for n in nodes]
        self._names = [n[1] for n in nodes]
        self._levels = np.array([n[2] for n in nodes])
        self._index = {code: i for i, code in enumerate(self._codes)}
        self._build_tree()
        self._build_matrices([n[1] for n in nodes], [n[4] for n in nodes], [n[3] for n in nodes])

    def _parent(self, code: str) -> int:
        major, group, minor, _ = code.split("-")
        zeros = code.count("00")
        for candidate in (
            f"{major}-{group}-{minor}-00",
            f"{major}-{group}-00-00",
            f"{major}-00-00-00",
        ):
            if candidate.count("00") > zeros and candidate in self._index:
                return self._index[candidate]
        return -1

    def _build_tree(self) -> None:
        self._parents = np.array([self._parent(c) for c in self._codes])
        self._is_leaf = np.ones(len(self._codes), dtype=bool)
        self._is_leaf[self._parents[self._parents >= 0]] = False
        # Parents before children, so one pass hands scores down the whole tree.
        depth = np.array([4 - c.count("00") for c in self._codes])
        self._top_down = [np.flatnonzero((depth == d) & (self._parents >= 0)) for d in range(5)]

    def _build_matrices(self, names: list[str], aliases: list[str], definitions: list[str]) -> None:
        forms: list[str] = []
        starts: list[int] = []
        for name, alias in zip(names, aliases, strict=True):
            starts.append(len(forms))
            variants = {_clean(a) for a in alias.split(",") if a.strip()}
            forms.extend(sorted({_clean(name)} | variants))
        self._starts = np.array(starts)
        # One IDF over names, aliases and definitions together; sublinear tf, L2 rows.
        self._vectorizer = TfidfVectorizer(
            analyzer=_gram_list, sublinear_tf=True, smooth_idf=True, norm="l2", dtype=np.float64
        )
        cleaned_definitions = [_clean(d) for d in definitions]
        self._vectorizer.fit(forms + cleaned_definitions)
        self._aliases_t = self._vectorizer.transform(forms).T.tocsr()
        self._definitions_t = self._vectorizer.transform(cleaned_definitions).T.tocsr()

    @classmethod
    def from_csv(cls, path: str | Path) -> OccupationNormalizer:
        """Read the classification from a CSV file (``.csv`` or ``.csv.gz``)."""
        path = Path(path)
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        return cls(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))

    @classmethod
    def default(cls) -> OccupationNormalizer:
        """The shipped 2022 classification, loaded once per process."""
        if cls._default is None:
            with cls._default_lock:
                if cls._default is None:
                    cls._default = cls.from_csv(DATA_DIR / "csco22.csv.gz")
        return cls._default

    def normalize(self, title: str, *, k: int = 1) -> list[OccupationMatch]:
        """The ``k`` detailed occupations closest to a job title, best first.

        Parameters
        ----------
        title : str
            A job title, Chinese (English words are matched as letters only).
        k : int, default 1
            How many occupations to return.

        Returns
        -------
        list of OccupationMatch
            At most ``k``; empty when the title shares nothing with the classification.

        Raises
        ------
        TypeError
            If ``title`` is not a string or ``k`` not an int.
        ValueError
            If ``k`` is less than 1.
        """
        return self.normalize_many([title], k=k)[0]

    def normalize_many(self, titles: Sequence[str], *, k: int = 1) -> list[list[OccupationMatch]]:
        """:meth:`normalize` for many titles at once, with batched sparse products.

        Raises
        ------
        TypeError
            If a title is not a string or ``k`` not an int.
        ValueError
            If ``k`` is less than 1.
        """
        if isinstance(k, bool) or not isinstance(k, int):
            raise TypeError(f"k must be an int, got {type(k).__name__}")
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        for title in titles:
            if not isinstance(title, str):
                raise TypeError(f"titles must be str, got {type(title).__name__}")
        out: list[list[OccupationMatch]] = []
        for start in range(0, len(titles), _BATCH):
            out.extend(self._rank(titles[start : start + _BATCH], k))
        return out

    def _rank(self, titles: Sequence[str], k: int) -> list[list[OccupationMatch]]:
        queries = self._vectorizer.transform([_clean_title(t) for t in titles])
        by_alias = (queries @ self._aliases_t).toarray()
        own = np.maximum.reduceat(by_alias, self._starts, axis=1) if by_alias.size else by_alias
        own = own + _DEFINITION_WEIGHT * (queries @ self._definitions_t).toarray()
        score = own.copy()
        for children in self._top_down:
            if children.size:
                score[:, children] = np.maximum(
                    score[:, children], score[:, self._parents[children]]
                )
        # Among leaves that inherit the same group score, the one that fits best itself wins.
        key = np.where(self._is_leaf, score + 1e-3 * own, -np.inf)
        results: list[list[OccupationMatch]] = []
        for row in range(len(titles)):
            if not own[row].any():
                results.append([])
                continue
            # Everything that reaches the k-th best key, then ties in code order: which of two
            # equal keys a partition returns depends on the CPU's sorting instructions.
            neg = -key[row]
            last = min(k, neg.size) - 1
            top = np.flatnonzero(neg <= np.partition(neg, last)[last])
            top = top[np.argsort(neg[top], kind="stable")][:k]
            results.append(
                [
                    OccupationMatch(
                        self._codes[j],
                        self._names[j],
                        int(self._levels[j]),
                        round(float(score[row, j]), 6),
                    )
                    for j in top
                    if np.isfinite(key[row, j])
                ]
            )
        return results

    def job_family(self, code: str) -> str:
        """Name of the level-2 group (中类) a code belongs to, e.g. 工程技术人员.

        Raises
        ------
        ValueError
            If ``code`` is not a code of the classification.
        """
        index = self._index.get(code) if isinstance(code, str) else None
        if index is None:
            raise ValueError(
                f"code must be a classification code such as '2-02-10-03', got {code!r}"
            )
        major, group = code.split("-")[:2]
        family = self._index.get(f"{major}-{group}-00-00")
        if family is None or group == "00":
            # A major group (level 1) has no level-2 group above it; name itself.
            return self._names[index]
        return self._names[family]

    def __len__(self) -> int:
        return len(self._codes)

    def __repr__(self) -> str:
        return f"OccupationNormalizer({len(self)} occupations)"
