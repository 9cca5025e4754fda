"""Explanations: why each match was made, in skills, notes and feature contributions."""

from matching.explain.reasons import Explainer

__all__ = ["Explainer"]
