"""Explanations: why each match was made, in skills, notes and plain-worded contributions."""

from matching.explain.phrases import LANGUAGES, Language, describe, detect_language
from matching.explain.reasons import Explainer

__all__ = [
    "Explainer",
    "LANGUAGES",
    "Language",
    "describe",
    "detect_language",
]
