"""What a ranking returns: :class:`Match` and its :class:`Reasons`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Contribution", "Match", "Reasons"]


@dataclass(frozen=True, slots=True)
class Contribution:
    """One feature's part of a score, with what the feature's value means in plain words.

    ``contribution`` is on the model's score scale (for a trained model its SHAP value);
    ``label`` names the feature and ``text`` says what its value is for the pair, both in
    the language of the reasons.
    """

    feature: str
    contribution: float
    label: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class Reasons:
    """Why an item was matched: skills, notes, and the features that moved the score most.

    ``language`` is the language of ``notes`` and of the contributions' words (``"zh"`` or
    ``"en"``).
    """

    matched_skills: tuple[str, ...] = ()
    missing_skills: tuple[str, ...] = ()
    top_features: tuple[Contribution, ...] = ()
    notes: tuple[str, ...] = ()
    language: str = "en"


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked result: a job for a candidate, or a candidate for a job.

    For a job recommended to a candidate, ``score`` is the ranker's score and ``relevance``
    the same on the engine's fixed scale, clipped to [0, 1] (1 is a top score of the current
    model). For a candidate ranked for a recruiter both are a function of the rank alone
    (1.0 for the first of n, then down by 1/n), since model scores beside an order that the
    priority or fairness stage changed would show whom they moved. ``reasons`` say why.
    """

    id: str
    rank: int
    score: float
    relevance: float
    reasons: Reasons = field(default_factory=Reasons)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping (each top feature with its label and plain words)."""
        return {
            "id": self.id,
            "rank": self.rank,
            "score": self.score,
            "relevance": self.relevance,
            "reasons": {
                "matched_skills": list(self.reasons.matched_skills),
                "missing_skills": list(self.reasons.missing_skills),
                "top_features": [
                    {
                        "feature": c.feature,
                        "contribution": c.contribution,
                        "label": c.label,
                        "text": c.text,
                    }
                    for c in self.reasons.top_features
                ],
                "notes": list(self.reasons.notes),
                "language": self.reasons.language,
            },
        }
