"""The skill lexicon: canonical skill names, their categories, and Chinese and English aliases.

The shipped lexicon (``matching/data/skills.tsv``) is built by ``matching/data/build_skills.py``
from O*NET 29.2 technology skills, a curated list covering many majors, and terms mined from
Chinese job postings. :class:`SkillVocabulary` maps any alias to its canonical name and finds the
skills a text mentions in one regular-expression pass.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from matching.paths import DATA_DIR
from matching.text import ascii_lower, is_cjk, normalize_text, term_key, term_pattern

__all__ = ["Skill", "SkillVocabulary"]

_HEADER = ("name", "category", "aliases")

# Skill names that are also everyday English words. They count when written as listed
# ("Go", "Spring") or in upper case, or in lower case right next to Chinese text ("熟悉go语言",
# "会用word"), but not as "go" or "word" inside an English sentence.
_ENGLISH_WORDS = frozenset(
    {
        "access",
        "can",
        "dart",
        "go",
        "julia",
        "office",
        "outlook",
        "react",
        "ruby",
        "rust",
        "sketch",
        "spring",
        "swift",
        "unity",
        "wind",
        "word",
        "flask",
        "express",
    }
)

# Phrases that contain a skill term but name a benefit or a formality, not a skill. They are
# matched (so the longest-match scan consumes them) and then ignored.
_BLOCKERS = (
    "五险一金",
    "六险一金",
    "社会保险",
    "医疗保险",
    "养老保险",
    "失业保险",
    "工伤保险",
    "生育保险",
    "商业保险",
    "补充医疗保险",
    "意外保险",
    "带薪培训",
    "岗前培训",
    "免费培训",
    "培训机会",
    "入职培训",
    "专业培训",
    "系统培训",
    "定期培训",
    "完善的培训",
)
_GENERIC_SUFFIXES = ("语言", "开发", "编程", "技术", "能力", "软件", "经验", "技能", "知识")


@dataclass(frozen=True, slots=True)
class Skill:
    """One lexicon entry.

    Parameters
    ----------
    name : str
        Canonical name, e.g. ``"机器学习"`` or ``"Python"``.
    category : str
        Coarse group such as ``"programming"``, ``"ai"``, ``"finance"``, ``"healthcare"``.
    aliases : tuple of str
        Other surface forms, Chinese and English, e.g. ``("machine learning", "ML")``.
    """

    name: str
    category: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Surface:
    skill: Skill | None  # None marks a blocker phrase
    strict: bool  # case matters: a short Latin term or an English word
    forms: frozenset[str]  # spellings accepted when strict
    english_word: bool


# Phrases of job ads and resumes in which a skill word is not a skill: the heading
# "招聘职位", benefits such as "五险一金" and "商业保险", and the like.
_BOILERPLATE = re.compile(
    r"招聘(?:职位|岗位|人数|条件|要求|信息|对象|流程|专业|公告|计划|时间|范围|名额)"
    r"|(?:五险一金|六险一金|社会保险|社保|商业保险|医疗保险|养老保险|意外险|补充医疗保险"
    r"|缴纳保险|购买保险|保险福利|险一金)"
)


class SkillVocabulary:
    """Canonical skills with alias lookup and extraction from free text.

    Parameters
    ----------
    skills : iterable of Skill
        Entries; an alias claimed by two different skills is an error.

    Raises
    ------
    ValueError
        If there are no skills, a name or category is empty, or an alias is ambiguous.

    Examples
    --------
    >>> vocab = SkillVocabulary.default()
    >>> vocab.normalize("machine learning")
    '机器学习'
    >>> vocab.extract("熟悉Java、C/C++和JavaScript，了解ML")
    ('Java', 'C', 'C++', 'JavaScript', '机器学习')
    """

    _default: SkillVocabulary | None = None
    _default_lock = threading.Lock()

    def __init__(self, skills: Iterable[Skill]) -> None:
        self._skills: dict[str, Skill] = {}
        self._surfaces: dict[str, _Surface] = {}
        for skill in skills:
            self._add(skill)
        if not self._skills:
            raise ValueError("skills must hold at least one Skill")
        for phrase in _BLOCKERS:
            self._surfaces.setdefault(term_key(phrase), _Surface(None, False, frozenset(), False))
        self._pattern = term_pattern(
            [s.name for s in self._skills.values()]
            + [a for s in self._skills.values() for a in s.aliases]
            + list(_BLOCKERS)
        )

    def _add(self, skill: Skill) -> None:
        if not isinstance(skill, Skill):
            raise TypeError(f"skills must hold Skill objects, got {type(skill).__name__}")
        if not skill.name.strip() or not skill.category.strip():
            raise ValueError(f"skill name and category must be non-empty, got {skill!r}")
        self._skills[skill.name] = skill
        for form in (skill.name, *skill.aliases):
            key = term_key(form)
            if not key:
                continue
            known = self._surfaces.get(key)
            if known is not None and known.skill is not None and known.skill.name != skill.name:
                raise ValueError(
                    f"alias {form!r} of skill {skill.name!r} already names skill "
                    f"{known.skill.name!r}; each alias must name one skill"
                )
            spelled = normalize_text(form)
            latin_only = not any(is_cjk(ch) for ch in spelled)
            strict = latin_only and (len(key) <= 2 or key in _ENGLISH_WORDS)
            forms = {spelled, spelled.upper()} | (known.forms if known else set())
            self._surfaces[key] = _Surface(skill, strict, frozenset(forms), key in _ENGLISH_WORDS)

    @classmethod
    def from_tsv(cls, path: str | Path) -> SkillVocabulary:
        """Read a lexicon file with columns ``name``, ``category``, ``aliases`` (``|``-separated).

        Raises
        ------
        ValueError
            If a line does not have three tab-separated columns.
        """
        skills = []
        text = Path(path).read_text(encoding="utf-8")
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if tuple(cols) == _HEADER:
                continue
            if len(cols) != 3:
                raise ValueError(
                    f"{path}:{lineno}: expected 3 tab-separated columns "
                    f"(name, category, aliases), got {len(cols)}"
                )
            aliases = tuple(a.strip() for a in cols[2].split("|") if a.strip())
            skills.append(Skill(cols[0].strip(), cols[1].strip(), aliases))
        return cls(skills)

    @classmethod
    def default(cls) -> SkillVocabulary:
        """The shipped lexicon, loaded once per process."""
        if cls._default is None:
            with cls._default_lock:
                if cls._default is None:
                    cls._default = cls.from_tsv(DATA_DIR / "skills.tsv")
        return cls._default

    @property
    def terms(self) -> tuple[str, ...]:
        """All canonical names, in lexicon order."""
        return tuple(self._skills)

    def surface_forms(self) -> Iterator[str]:
        """Every canonical name and alias, as written in the lexicon."""
        for skill in self._skills.values():
            yield skill.name
            yield from skill.aliases

    def get(self, name: str) -> Skill | None:
        """The entry for a canonical name or alias, or ``None``."""
        if not isinstance(name, str):
            return None
        surface = self._surfaces.get(term_key(name))
        if surface is None or surface.skill is None:
            for suffix in _GENERIC_SUFFIXES:
                # "Java开发" or "沟通能力" -> the bare skill, when the bare form is known
                cleaned = normalize_text(name)
                if cleaned.endswith(suffix) and len(cleaned) > len(suffix):
                    surface = self._surfaces.get(term_key(cleaned[: -len(suffix)]))
                    if surface is not None and surface.skill is not None:
                        return surface.skill
            return None
        return surface.skill

    def normalize(self, name: str) -> str:
        """Canonical name of ``name`` (any alias, any case); unknown names come back cleaned.

        Raises
        ------
        TypeError
            If ``name`` is not a string.
        """
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, got {type(name).__name__}")
        skill = self.get(name)
        return skill.name if skill is not None else normalize_text(name)

    def category(self, name: str) -> str | None:
        """Category of a skill given by any alias, or ``None`` when unknown."""
        skill = self.get(name)
        return skill.category if skill is not None else None

    def extract(self, text: str) -> tuple[str, ...]:
        """Canonical skills mentioned in ``text``, in order of first mention, without repeats.

        Parameters
        ----------
        text : str
            Chinese and/or English text.

        Returns
        -------
        tuple of str

        Raises
        ------
        TypeError
            If ``text`` is not a string.
        """
        norm = normalize_text(text)
        found: dict[str, None] = {}
        # Blank out boilerplate of job ads that contains a skill word without asking for it
        # ("招聘人数", "五险一金"); same-length blanks keep every other match's position.
        lowered = _BOILERPLATE.sub(lambda m: " " * len(m.group()), ascii_lower(norm))
        for match in self._pattern.finditer(lowered):
            surface = self._surfaces.get(term_key(match.group()))
            if surface is None or surface.skill is None:
                continue
            if surface.strict and not _case_ok(norm, match.start(), match.end(), surface):
                continue
            found.setdefault(surface.skill.name, None)
        return tuple(found)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __len__(self) -> int:
        return len(self._skills)

    def __iter__(self) -> Iterator[Skill]:
        return iter(self._skills.values())

    def __repr__(self) -> str:
        return f"SkillVocabulary({len(self)} skills)"


def _case_ok(text: str, start: int, end: int, surface: _Surface) -> bool:
    """Whether a case-sensitive term is spelled acceptably at ``text[start:end]``."""
    if text[start:end] in surface.forms:
        return True
    if not surface.english_word:
        return False
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return is_cjk(before) or is_cjk(after)
