"""The skill lexicon: canonical skill names, their categories, and Chinese and English aliases.

The shipped lexicon (``matching/data/skills.tsv``) is built by ``matching/data/build_skills.py``
from O*NET 29.2 technology skills, a curated list covering many majors, and terms mined from
Chinese job postings. :class:`SkillVocabulary` maps any alias to its canonical name and finds the
skills a text mentions in one regular-expression pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from matching.lexicon.base import Lexicon, split_list
from matching.text import ascii_lower, blank_benefits, is_cjk, normalize_text

__all__ = ["GENERAL_CATEGORIES", "Skill", "SkillVocabulary"]

#: Categories of skills that most jobs ask for and most graduates list (soft skills, office
#: tools, languages): shared, they say little about fit for one job in particular.
GENERAL_CATEGORIES = frozenset({"office", "soft", "language"})

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
    # longer words that hold a skill word but name something else
    "智能驾驶",
    "自动驾驶",
    "辅助驾驶",
    "无人驾驶",
    "驾驶舱",
    "保险丝",
    "保险柜",
    "保险箱",
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
class _Case:
    strict: bool  # case matters: a short Latin term or an English word
    forms: frozenset[str]  # spellings accepted when strict
    english_word: bool


# Phrases of job ads and resumes in which a skill word is not a skill: the heading
# "招聘职位", benefits such as "五险一金" and "商业保险", and the like.
_BOILERPLATE = re.compile(
    r"招聘(?:职位|岗位|人数|条件|要求|需求|信息|对象|流程|专业|公告|计划|时间|范围|名额)"
    r"|人事(?:联系|电话|邮箱)"
    r"|(?:五险一金|六险一金|社会保险|社保|商业保险|医疗保险|养老保险|意外险|补充医疗保险"
    r"|缴纳保险|购买保险|保险福利|险一金)"
)


# A skill word right before "专业" is the name of a major ("自动化控制专业").
_MAJOR_AFTER = re.compile(r"(?:等|及|或)?(?:相关)?专业")


class SkillVocabulary(Lexicon[Skill]):
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

    kind = "skill"
    entry_type = Skill
    columns = _HEADER
    default_file = "skills.tsv"
    # "Java开发" or "沟通能力" -> the bare skill, when the bare form is known
    strip_suffixes = _GENERIC_SUFFIXES

    def __init__(self, skills: Iterable[Skill]) -> None:
        self._case: dict[str, _Case] = {}
        super().__init__(skills)

    def _check(self, skill: Skill) -> None:
        if not skill.name.strip() or not skill.category.strip():
            raise ValueError(f"skill name and category must be non-empty, got {skill!r}")

    def _register(self, key: str, form: str, entry: Skill) -> None:
        super()._register(key, form, entry)
        spelled = normalize_text(form)
        latin_only = not any(is_cjk(ch) for ch in spelled)
        known = self._case.get(key)
        forms = {spelled, spelled.upper()} | (known.forms if known else set())
        self._case[key] = _Case(
            strict=latin_only and (len(key) <= 2 or key in _ENGLISH_WORDS),
            forms=frozenset(forms),
            english_word=key in _ENGLISH_WORDS,
        )

    def pattern_forms(self) -> list[str]:
        """Every skill form, plus the phrases in which a skill word is not a skill."""
        # Blocker phrases are found (so the longest-match scan consumes them) but name nothing.
        return super().pattern_forms() + list(_BLOCKERS)

    @classmethod
    def from_row(cls, cols: list[str]) -> Skill:
        """A skill from the columns ``name``, ``category``, ``aliases``."""
        return Skill(cols[0], cols[1], split_list(cols[2]))

    @property
    def terms(self) -> tuple[str, ...]:
        """All canonical names, in lexicon order."""
        return self.names

    def surface_forms(self) -> Iterator[str]:
        """Every canonical name and alias, as written in the lexicon."""
        for skill in self:
            yield skill.name
            yield from skill.aliases

    def tokenizer_words(self) -> list[str]:
        """The forms a tokenizer should keep whole.

        An all-Chinese alias that merely extends a Chinese skill name ("深度学习算法") is left
        out, so segmentation yields the shared token 深度学习 rather than a token of its own.
        """
        names = [ascii_lower(normalize_text(n)) for n in self.names]
        cjk_names = [n for n in names if all(is_cjk(ch) for ch in n)]
        words = []
        for form in self.surface_forms():
            word = ascii_lower(normalize_text(form))
            if (
                word
                and all(is_cjk(ch) for ch in word)
                and word not in cjk_names
                and any(n in word for n in cjk_names)
            ):
                continue
            words.append(form)
        return words

    def category(self, name: str) -> str | None:
        """Category of a skill given by any alias, or ``None`` when unknown."""
        skill = self.get(name)
        return skill.category if skill is not None else None

    def specific(self, names: Iterable[str]) -> frozenset[str]:
        """The skills of ``names`` that say what a job is.

        All but those of a general category (:data:`GENERAL_CATEGORIES`), unless there are only
        general ones (a translator's English, say), in which case all of them. Unknown names
        count as specific.
        """
        named = frozenset(names)
        specific = frozenset(n for n in named if self.category(n) not in GENERAL_CATEGORIES)
        return specific or named

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
        lowered = blank_benefits(ascii_lower(norm))
        lowered = _BOILERPLATE.sub(lambda m: " " * len(m.group()), lowered)
        for start, end, key, skill in self.scan(lowered):
            case = self._case[key]
            if case.strict and not _case_ok(norm, start, end, case):
                continue
            if _MAJOR_AFTER.match(lowered, end):
                continue  # "机械设计等相关专业" names a major, not a skill
            found.setdefault(skill.name, None)
        return tuple(found)


def _case_ok(text: str, start: int, end: int, surface: _Case) -> bool:
    """Whether a case-sensitive term is spelled acceptably at ``text[start:end]``."""
    if text[start:end] in surface.forms:
        return True
    if not surface.english_word:
        return False
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return is_cjk(before) or is_cjk(after)
