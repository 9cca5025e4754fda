"""The majors vocabulary: undergraduate majors with discipline, related skills and job types.

The shipped list (``matching/data/majors.tsv``) follows the names of China's undergraduate
catalogue (普通高等学校本科专业目录): each major has its discipline (学科门类, e.g. 工学), its
major class (专业类, e.g. 计算机类), an English name, related skills (canonical names of
:mod:`matching.skills`), related job types, and aliases (计算机 -> 计算机科学与技术).

Short aliases are everyday words (电子, 通信, 机械), so :meth:`MajorVocabulary.extract` reads
them only where a text talks about majors: before 专业 ("计算机、电子等相关专业"), after 主修 or
毕业于, or in an English sentence about a degree or major. Full names of five or more
characters, and English names of three or more words, count anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from matching.lexicon.base import Lexicon, split_list
from matching.text import ascii_lower, normalize_text, term_key

__all__ = ["Major", "MajorVocabulary"]

_HEADER = ("name", "discipline", "english", "skills", "job_types", "class", "aliases")

# Where a text speaks of majors. A window runs back from a cue to the start of its clause, or
# forward from a cue to the end of its clause.
_DEGREE_WORDS = r"本科|硕士|博士|学士|研究生|大专|专科"
_BACK_CUES = re.compile(rf"专业|背景|学位|出身|学院|(?:等|相关)学科|{_DEGREE_WORDS}")
# After a degree word only the same clause counts ("本科 软件工程", not "本科以上，熟悉通信").
_CLAUSE_CUES = re.compile(_DEGREE_WORDS)
_FORWARD_CUES = re.compile(
    r"专业(?:为|是|:)|主修|毕业于|就读于|\bmajor(?:ing|ed|s)?\b|\bdegree\b|\bbachelor|\bmaster"
    r"|\bph\.?d\b|\bb\.?s\.?c?\b|\bm\.?s\.?c?\b|\bstudied\b|\bbackground in\b|\bdiploma\b"
)
_STRONG_END = re.compile(r"[。;!?！？\n]|(?<![a-z])\d+[.、)]")
_CLAUSE_END = re.compile(r"[。;!?！？\n,，:]|(?<![a-z])\d+[.、)]")
_BACK_REACH = 40
_FORWARD_REACH = 60
_SUFFIXES = ("相关专业", "专业", "方向", "学院", "系", "类")


@dataclass(frozen=True, slots=True)
class Major:
    """One undergraduate major.

    Parameters
    ----------
    name : str
        Catalogue name, e.g. ``"计算机科学与技术"``.
    discipline : str
        学科门类, e.g. ``"工学"``.
    english : str
        English name, e.g. ``"Computer Science and Technology"``.
    skills : tuple of str
        Related skills, canonical names of the skill lexicon.
    job_types : tuple of str
        Related job types, short Chinese occupation labels.
    major_class : str
        专业类, e.g. ``"计算机类"``.
    aliases : tuple of str
        Other names, e.g. ``("计算机", "计科")``.
    """

    name: str
    discipline: str
    english: str = ""
    skills: tuple[str, ...] = ()
    job_types: tuple[str, ...] = ()
    major_class: str = ""
    aliases: tuple[str, ...] = ()


class MajorVocabulary(Lexicon[Major]):
    """Majors with alias lookup, extraction from text and a simple similarity.

    Parameters
    ----------
    majors : iterable of Major
        Entries; an alias claimed by two different majors is an error.

    Raises
    ------
    ValueError
        If there are no majors, a name or discipline is empty, or an alias is ambiguous.

    Examples
    --------
    >>> vocab = MajorVocabulary.default()
    >>> vocab.normalize("计算机")
    '计算机科学与技术'
    >>> vocab.extract("计算机、电子、通信等相关专业")
    ('计算机科学与技术', '电子信息工程', '通信工程')
    >>> vocab.similarity("软件工程", "计算机科学与技术")
    0.75
    """

    kind = "major"
    entry_type = Major
    columns = _HEADER
    default_file = "majors.tsv"
    # "计算机专业", "计算机系"
    strip_suffixes = _SUFFIXES

    def __init__(self, majors: Iterable[Major]) -> None:
        self._anywhere: set[str] = set()
        super().__init__(majors)

    def _check(self, major: Major) -> None:
        if not major.name.strip() or not major.discipline.strip():
            raise ValueError(f"major name and discipline must be non-empty, got {major!r}")
        if len(major.name) >= 5:
            self._anywhere.add(term_key(major.name))
        if major.english and len(major.english.split()) >= 3:
            self._anywhere.add(term_key(major.english))

    def forms_of(self, major: Major) -> tuple[str, ...]:
        """The name, the English name and the aliases of a major."""
        return (major.name, major.english, *major.aliases)

    @classmethod
    def from_row(cls, cols: list[str]) -> Major:
        """A major from the seven columns of ``majors.tsv``."""
        name, discipline, english, skills, jobs, major_class, aliases = cols
        return Major(
            name,
            discipline,
            english,
            split_list(skills),
            split_list(jobs),
            major_class,
            split_list(aliases),
        )

    def _fallback(self, cleaned: str) -> Major | None:
        # "计算机及相关专业": the one major the text names, if exactly one.
        found = self._scan(cleaned, everywhere=True)
        return self._entries[found[0]] if len(found) == 1 else None

    def discipline(self, name: str) -> str | None:
        """学科门类 of a major, or ``None`` when unknown."""
        major = self.get(name)
        return major.discipline if major is not None else None

    def major_class(self, name: str) -> str | None:
        """专业类 of a major, or ``None`` when unknown."""
        major = self.get(name)
        return major.major_class or None if major is not None else None

    def related_skills(self, name: str) -> tuple[str, ...]:
        """Skills a graduate of the major usually brings; empty when the major is unknown."""
        major = self.get(name)
        return major.skills if major is not None else ()

    def related_job_types(self, name: str) -> tuple[str, ...]:
        """Job types the major usually leads to; empty when the major is unknown."""
        major = self.get(name)
        return major.job_types if major is not None else ()

    def similarity(self, a: str, b: str) -> float:
        """How close two majors are.

        Returns
        -------
        float
            1.0 for the same major, 0.75 for the same major class (软件工程 and 计算机科学与技术),
            0.5 for the same discipline (软件工程 and 土木工程, both 工学), else 0.0. Unknown
            names score 1.0 only against the same cleaned text.
        """
        major_a, major_b = self.get(a), self.get(b)
        if major_a is None or major_b is None:
            same = (
                major_a is None
                and major_b is None
                and isinstance(a, str)
                and isinstance(b, str)
                and term_key(a) != ""
                and term_key(a) == term_key(b)
            )
            return 1.0 if same else 0.0
        if major_a.name == major_b.name:
            return 1.0
        if major_a.major_class and major_a.major_class == major_b.major_class:
            return 0.75
        return 0.5 if major_a.discipline == major_b.discipline else 0.0

    def extract(self, text: str) -> tuple[str, ...]:
        """Canonical majors a text mentions, in order of first mention, without repeats.

        Parameters
        ----------
        text : str
            A job description ("计算机、电子、通信等相关专业") or a resume ("主修会计学").

        Returns
        -------
        tuple of str

        Raises
        ------
        TypeError
            If ``text`` is not a string.
        """
        return self._scan(normalize_text(text), everywhere=False)

    def _scan(self, norm: str, *, everywhere: bool) -> tuple[str, ...]:
        # School names hold major words (上海交通大学, 中国农业大学); blank them out first,
        # with spaces of the same length so that positions stay as they were.
        lowered = _INSTITUTION.sub(lambda m: " " * len(m.group()), ascii_lower(norm))
        windows = None if everywhere else _windows(lowered, self._surfaces)
        found: dict[str, None] = {}
        for start, end, key, major in self.scan(lowered):
            if (
                windows is not None
                and key not in self._anywhere
                and not any(lo <= start and end <= hi for lo, hi in windows)
            ):
                continue
            found.setdefault(major.name, None)
        return tuple(found)


_INSTITUTION = re.compile(
    r"[\u4e00-\u9fff]{2,15}?(?:大学|学院|职业技术学校|专科学校|研究院|研究所)(?!生)"
)


def _windows(text: str, surfaces: dict[str, Major]) -> list[tuple[int, int]]:
    """Spans of ``text`` (lower-cased) that talk about majors."""
    spans = []
    for cue in _BACK_CUES.finditer(text):
        start = _clause_start(text, cue.start(), surfaces)
        spans.append((start, cue.end()))
    for cues, ends in ((_FORWARD_CUES, _STRONG_END), (_CLAUSE_CUES, _CLAUSE_END)):
        for cue in cues.finditer(text):
            reach = min(len(text), cue.end() + _FORWARD_REACH)
            stop = ends.search(text, cue.end(), reach)
            spans.append((cue.start(), stop.start() if stop else reach))
    return spans


def _clause_start(text: str, cue: int, surfaces: dict[str, Major]) -> int:
    """Start of the clause that ends at ``cue``; commas end it unless a major name precedes."""
    floor = max(0, cue - _BACK_REACH)
    start = floor
    for stop in _STRONG_END.finditer(text, floor, cue):
        start = stop.end()
    # Within the clause, a comma ends the list of majors unless the piece before it is itself
    # a major ("计算机，电子，通信相关专业" but not "熟悉通信协议，计算机相关专业").
    pieces = re.split(r"[,，:]", text[start:cue])
    keep = len(pieces[-1])
    for piece in reversed(pieces[:-1]):
        stripped = piece.strip(" 、/")
        if stripped and term_key(stripped) in surfaces:
            keep += len(piece) + 1
        else:
            break
    return cue - keep
