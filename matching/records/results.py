"""What a ranking returns: :class:`Match` and its :class:`Reasons`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Match", "Reasons"]


@dataclass(frozen=True, slots=True)
class Reasons:
    """Why an item was matched: skills and the features that moved the score most."""

    matched_skills: tuple[str, ...] = ()
    missing_skills: tuple[str, ...] = ()
    top_features: tuple[tuple[str, float], ...] = ()
    notes: tuple[str, ...] = ()


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
        """Return a JSON-ready mapping, with each top feature as ``{feature, contribution}``."""
        return {
            "id": self.id,
            "rank": self.rank,
            "score": self.score,
            "relevance": self.relevance,
            "reasons": {
                "matched_skills": list(self.reasons.matched_skills),
                "missing_skills": list(self.reasons.missing_skills),
                "top_features": [
                    {"feature": n, "contribution": v} for n, v in self.reasons.top_features
                ],
                "notes": list(self.reasons.notes),
            },
        }
