"""Vocabularies: skills, majors, cities and occupations, Chinese and English.

Each of skills, majors and cities is a :class:`Lexicon` (entries, aliases, one scan pattern, a
shipped default); :class:`OccupationNormalizer` maps job titles to the 2022 occupational
classification; :class:`Vocabularies` bundles what an engine is assembled with.
"""

from matching.lexicon.base import Lexicon
from matching.lexicon.majors import Major, MajorVocabulary
from matching.lexicon.occupations import OccupationMatch, OccupationNormalizer
from matching.lexicon.places import City, CityTable, extract_cities
from matching.lexicon.skills import GENERAL_CATEGORIES, Skill, SkillVocabulary
from matching.lexicon.vocabularies import Vocabularies

__all__ = [
    "City",
    "CityTable",
    "GENERAL_CATEGORIES",
    "Lexicon",
    "Major",
    "MajorVocabulary",
    "OccupationMatch",
    "OccupationNormalizer",
    "Skill",
    "SkillVocabulary",
    "Vocabularies",
    "extract_cities",
]
