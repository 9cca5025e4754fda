"""The vocabularies an engine is assembled with, and the tokenizer built from them."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from matching.lexicon.majors import MajorVocabulary
from matching.lexicon.occupations import OccupationNormalizer
from matching.lexicon.places import CityTable
from matching.lexicon.skills import SkillVocabulary
from matching.text import Tokenizer, load_stopwords

__all__ = ["Vocabularies"]


@dataclass(frozen=True)
class Vocabularies:
    """Skills, majors and cities, with the tokenizer that keeps their terms whole.

    Parameters
    ----------
    skills, majors, cities : the lexicons
    tokenizer : Tokenizer, optional
        Built from ``skills`` (its terms are the user words) and the bundled stopwords when
        omitted.

    Examples
    --------
    >>> vocab = Vocabularies.default()
    >>> vocab.tokenizer.tokenize("熟悉机器学习，精通C++和Node.js")
    ['机器学习', 'c++', 'node.js']
    """

    skills: SkillVocabulary
    majors: MajorVocabulary
    cities: CityTable
    tokenizer: Tokenizer = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.tokenizer is None:
            tokenizer = Tokenizer(
                user_words=self.skills.tokenizer_words(), stopwords=load_stopwords()
            )
            object.__setattr__(self, "tokenizer", tokenizer)

    @classmethod
    @functools.cache
    def default(cls) -> Vocabularies:
        """The shipped vocabularies, built once per process."""
        return cls(SkillVocabulary.default(), MajorVocabulary.default(), CityTable.default())

    @property
    def occupations(self) -> OccupationNormalizer:
        """The 2022 occupational classification (loaded on first use)."""
        return OccupationNormalizer.default()
