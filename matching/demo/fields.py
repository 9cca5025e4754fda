"""Which occupation families each major leads to, and back: the spine of the demo data.

The majors vocabulary lists, per major, the job titles it usually leads to ("软件工程师",
"会计", "小学教师"). Each title is normalised to an occupation of the 2022 classification with
:class:`~matching.occupations.OccupationNormalizer`; the occupation's small category (小类, e.g.
信息和通信工程技术人员, 会计专业人员, 中小学教师) is the *family* that the demo uses as a job type.
From that link the index answers both ways: the families of a major (for a graduate's wishes and
the hidden fit of the event model) and the majors and skills of a family (for a posting's
preferred majors and skills), plus real task statements for resumes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from matching.demo.resumes import TaskLine
from matching.demo.sources import Occupation, market_titles
from matching.lexicon import MajorVocabulary, OccupationNormalizer, SkillVocabulary

__all__ = ["FieldIndex"]

# A normalised title counts only when it is a close match (cosine scale of the normaliser); below
# this, matches are mostly wrong ("AI工程师" -> 商务数据分析师 at 0.59).
_MIN_SCORE = 0.6
# Majors lead to professional (2), clerical (3) and service (4) occupations; a match in another
# major group ("交通工程师" -> a rail-car fitter) is a false friend.
_GRADUATE_GROUPS = ("2", "3", "4")


class FieldIndex:
    """Links between majors and occupation families.

    Parameters
    ----------
    occupations : sequence of Occupation
        Detailed occupations with definitions and tasks.
    majors : MajorVocabulary
        Majors with their related job titles and skills.
    skills : SkillVocabulary
        For canonical skill names.
    normalizer : OccupationNormalizer, optional
        Title normaliser; the shipped one by default.
    """

    def __init__(
        self,
        occupations: Sequence[Occupation],
        majors: MajorVocabulary,
        skills: SkillVocabulary,
        normalizer: OccupationNormalizer | None = None,
    ) -> None:
        normalizer = normalizer or OccupationNormalizer.default()
        self._normalizer = normalizer
        self._by_code = {o.code: o for o in occupations}
        self._by_family: dict[str, list[Occupation]] = {}
        for o in occupations:
            self._by_family.setdefault(o.group, []).append(o)
        titles = sorted({t for m in majors for t in m.job_types})
        title_code = {}
        for title, found in zip(titles, normalizer.normalize_many(titles, k=1), strict=True):
            if (
                found
                and found[0].score >= _MIN_SCORE
                and found[0].code in self._by_code
                and found[0].code[0] in _GRADUATE_GROUPS
            ):
                title_code[title] = found[0].code
        self._major_codes: dict[str, tuple[str, ...]] = {}
        for m in majors:
            codes = [title_code[t] for t in m.job_types if t in title_code]
            self._major_codes[m.name] = tuple(dict.fromkeys(codes))
        # A major whose titles all failed to match borrows the occupations of its major class,
        # or failing that of its discipline.
        for level in ("major_class", "discipline"):
            pooled: dict[str, list[str]] = {}
            for m in majors:
                pooled.setdefault(getattr(m, level), []).extend(self._major_codes[m.name])
            for m in majors:
                if not self._major_codes[m.name]:
                    self._major_codes[m.name] = tuple(dict.fromkeys(pooled[getattr(m, level)]))
        self._major_families = {
            name: tuple(dict.fromkeys(self._by_code[c].group for c in codes))
            for name, codes in self._major_codes.items()
        }
        self._major_skills = {m.name: tuple(skills.normalize(s) for s in m.skills) for m in majors}
        family_majors: dict[str, list[str]] = {}
        family_skills: dict[str, Counter[str]] = {}
        for m in majors:
            related = [skills.normalize(s) for s in m.skills]
            for family in self._major_families[m.name]:
                family_majors.setdefault(family, []).append(m.name)
                family_skills.setdefault(family, Counter()).update(related)
        self._family_majors = {f: tuple(ms) for f, ms in family_majors.items()}
        # Most shared skills first: they are what the family's postings ask for most.
        self._family_skills = {
            f: tuple(s for s, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))
            for f, c in family_skills.items()
        }

    @property
    def direct_codes(self) -> frozenset[str]:
        """Occupations that some major's job title names directly."""
        return frozenset(c for codes in self._major_codes.values() for c in codes)

    @property
    def families(self) -> tuple[str, ...]:
        """Families that at least one major leads to, sorted."""
        return tuple(sorted(self._family_majors))

    def family_of_code(self, code: str) -> str:
        """Family (small category) of an occupation code.

        Raises
        ------
        ValueError
            If the code is not a detailed occupation with tasks.
        """
        occupation = self._by_code.get(code)
        if occupation is None:
            raise ValueError(f"code: got {code!r}; a detailed occupation code is required")
        return occupation.group

    def code_of_title(self, title: str) -> str | None:
        """Occupation code of a job title, when the normaliser finds a close match."""
        found = self._normalizer.normalize(title)
        if found and found[0].score >= _MIN_SCORE and found[0].code in self._by_code:
            return found[0].code
        return None

    def families_of_major(self, major: str) -> tuple[str, ...]:
        """Families a major leads to; empty for an unknown major."""
        return self._major_families.get(major, ())

    def majors_of_family(self, family: str) -> tuple[str, ...]:
        """Majors that lead to a family; empty when none does."""
        return self._family_majors.get(family, ())

    def skills_of_family(self, family: str) -> tuple[str, ...]:
        """Skills of the majors that lead to a family, most shared first."""
        return self._family_skills.get(family, ())

    def sample_majors(
        self, family: str, rng: np.random.Generator, *, skills: Sequence[str] = ()
    ) -> list[str]:
        """One to four majors a posting of ``family`` would name, in vocabulary order.

        A family no major leads to falls back on the majors whose related skills overlap the
        posting's ``skills`` most.
        """
        majors = self.majors_of_family(family)
        if not majors:
            wanted = set(skills)
            overlap = sorted(
                ((len(wanted & set(s)), m) for m, s in self._major_skills.items()),
                key=lambda x: -x[0],
            )
            majors = tuple(m for n, m in overlap[:3] if n > 0) or (overlap[0][1],)
        k = min(len(majors), int(rng.integers(1, 5)))
        return [majors[int(i)] for i in sorted(rng.choice(len(majors), size=k, replace=False))]

    def sample_tasks(self, major: str, rng: np.random.Generator, *, k: int) -> list[TaskLine]:
        """``k`` real duties of occupations the major leads to, each with a title.

        The first occupation drawn gives the title of the internship and most duties; a few come
        from sister occupations of the same families, so a resume reads as one coherent path.
        """
        own = [self._by_code[c] for c in self._major_codes.get(major, ())]
        if not own:
            return []
        sisters = [o for f in self.families_of_major(major) for o in self._by_family.get(f, ())]
        first = own[int(rng.integers(len(own)))]
        market = market_titles(first)
        title = market[0] if market and rng.random() < 0.5 else first.name
        lines: list[TaskLine] = []
        for i in rng.choice(len(first.tasks), size=min(k, len(first.tasks)), replace=False):
            lines.append((title, first.tasks[int(i)]))
        while len(lines) < k:
            pool = own if rng.random() < 0.7 else sisters
            other = pool[int(rng.integers(len(pool)))]
            lines.append((title, other.tasks[int(rng.integers(len(other.tasks)))]))
        return lines
