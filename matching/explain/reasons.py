"""Reasons for a match: matched and missing skills, notes, and the features that moved the score."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from matching.explain.phrases import Language, describe, note, states_a_shortfall
from matching.features import COLUMNS, Feature
from matching.records import CandidateProfile, Contribution, Job, Match, Reasons

__all__ = ["Explainer"]

_FEATURES = tuple(Feature)
_LABELS = {c.feature: (c.label_zh, c.feature.value.replace("_", " ")) for c in COLUMNS}


class Explainer:
    """Turn scored pairs into :class:`~matching.records.Match` results with reasons.

    Parameters
    ----------
    n_top_features : int
        How many of the largest positive feature contributions each match reports; a
        contribution whose value's words say the pair falls short (a standing below the
        usual, none of the skills asked) is left out, since it is no reason a person can read.
    """

    def __init__(self, n_top_features: int) -> None:
        self.n_top_features = n_top_features

    def reasons(
        self,
        candidate: CandidateProfile,
        job: Job,
        features: np.ndarray,
        contributions: np.ndarray,
        language: Language = "en",
    ) -> Reasons:
        """Reasons for one pair.

        Parameters
        ----------
        candidate, job : the pair's records
        features : ndarray of shape (n_features,)
            The pair's raw features.
        contributions : ndarray of shape (n_features + 1,)
            Per-feature contributions to the score, bias last.
        language : {"zh", "en"}
            The language of the notes and of the contributions' words.
        """
        skills = set(candidate.skills)
        wanted = list(job.required_skills) + [
            s for s in job.preferred_skills if s not in job.required_skills
        ]
        matched = tuple(s for s in wanted if s in skills)
        base = job.required_skills or job.preferred_skills
        missing = tuple(s for s in base if s not in skills)
        contrib = np.asarray(contributions[: len(_FEATURES)], dtype=np.float64)
        order = np.argsort(-contrib, kind="stable")
        # the largest positive contributions whose values are reasons a person can read as
        # such (not "word overlap below the usual"; see states_a_shortfall)
        shown = [
            i for i in order if contrib[i] > 0 and not states_a_shortfall(_FEATURES[i], features)
        ][: self.n_top_features]
        top = tuple(
            Contribution(
                feature=_FEATURES[i].value,
                contribution=round(float(contrib[i]), 4),
                label=_LABELS[_FEATURES[i]][0 if language == "zh" else 1],
                text=describe(_FEATURES[i], features, language),
            )
            for i in shown
        )
        notes = []
        gap = features[Feature.DEGREE_GAP.column]
        if not math.isnan(gap):
            notes.append(note("degree_ok" if gap >= 0 else "degree_short", language))
        if features[Feature.CITY_MATCH.column] == 1.0:
            notes.append(note("city", language))
        if features[Feature.MAJOR_MATCH.column] >= 1.0:
            notes.append(note("major", language))
        elif features[Feature.MAJOR_FIELD_FIT.column] == 1.0:
            notes.append(note("major_field", language))
        if features[Feature.JOB_TYPE_MATCH.column] == 1.0:
            notes.append(note("job_type", language))
        return Reasons(
            matched_skills=matched,
            missing_skills=missing,
            top_features=top,
            notes=tuple(notes),
            language=language,
        )

    def with_boost_note(self, match: Match, programme: str) -> Match:
        """``match`` with a note that the job-side policy boost moved it up.

        ``programme`` is ``"key_sector"`` or ``"grassroots"``: why the posting was boosted.
        """
        lang: Language = "zh" if match.reasons.language == "zh" else "en"
        text = note(f"boost_{programme}", lang)
        reasons = replace(match.reasons, notes=(*match.reasons.notes, text))
        return replace(match, reasons=reasons)

    def matches(
        self,
        pairs: Sequence[tuple[CandidateProfile, Job]],
        ids: Sequence[str],
        scores: np.ndarray,
        relevance: np.ndarray,
        X: np.ndarray,
        contributions: np.ndarray,
        language: Language = "en",
    ) -> list[Match]:
        """Matches with reasons for ``(candidate, job)`` pairs already in their final order."""
        out = []
        for rank, ((cand, job), item_id) in enumerate(zip(pairs, ids, strict=True), start=1):
            row = rank - 1
            out.append(
                Match(
                    id=item_id,
                    rank=rank,
                    score=float(scores[row]),
                    relevance=float(relevance[row]),
                    reasons=self.reasons(cand, job, X[row], contributions[row], language),
                )
            )
        return out
