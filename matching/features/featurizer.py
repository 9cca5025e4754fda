"""Pair features: one float32 row per (candidate, job) pair, columns as :mod:`.columns` names them.

The same features, with the same meaning, are built in both directions (jobs for a candidate,
candidates for a job), so one feature space serves both rankers. Unknown values are NaN:
LightGBM routes them natively, and the transparent scorer treats them as no evidence.

Sensitive attributes are not an input here: the featurizer reads prepared profiles, built from
:class:`~matching.records.CandidateProfile`, which has no field for them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from matching.features.columns import HISTORY_FEATURES, Feature
from matching.features.prepared import PreparedCandidate, PreparedJob
from matching.lexicon import MajorVocabulary

__all__ = ["Featurizer", "PairInputs"]

_NAN = float("nan")
_SEMANTIC = Feature.SEMANTIC_SIMILARITY.column
_LEXICAL = Feature.LEXICAL_SIMILARITY.column
_COVERAGE = Feature.SKILL_COVERAGE.column
_PREFERRED = Feature.PREFERRED_SKILL_COVERAGE.column
_OVERLAP = Feature.SKILL_OVERLAP.column
_MATCHED = Feature.MATCHED_SKILLS.column
_MISSING = Feature.MISSING_SKILLS.column
_DEGREE = Feature.DEGREE_GAP.column
_MAJOR = Feature.MAJOR_MATCH.column
_FIELD = Feature.MAJOR_FIELD_FIT.column
_CITY = Feature.CITY_MATCH.column
_JOB_TYPE = Feature.JOB_TYPE_MATCH.column
_SALARY = Feature.SALARY_RATIO.column
_EXPERIENCE = Feature.EXPERIENCE_GAP.column
_DAYS = Feature.DAYS_SINCE_POSTED.column
_STANDING = [
    Feature.SEMANTIC_FOR_CANDIDATE.column,
    Feature.SEMANTIC_FOR_JOB.column,
    Feature.LEXICAL_FOR_CANDIDATE.column,
    Feature.LEXICAL_FOR_JOB.column,
]
# the columns :meth:`Featurizer.pair_features` works out pair by pair, in its order
_LABELLED = [_COVERAGE, _MISSING, _PREFERRED, _OVERLAP, _MATCHED, _MAJOR, _FIELD, _CITY, _JOB_TYPE]
_HISTORY = slice(HISTORY_FEATURES[0].column, HISTORY_FEATURES[-1].column + 1)


def _loose_match(wanted: Sequence[str], *targets: str | None) -> float:
    """1.0 when a wanted label and a target contain one another, 0.0 otherwise, NaN if unknown."""
    present = [t for t in targets if t]
    if not wanted or not present:
        return _NAN
    for w in wanted:
        for t in present:
            if w in t or t in w:
                return 1.0
    return 0.0


class PairInputs(NamedTuple):
    """What the features of aligned pairs are computed from (see :meth:`Featurizer.transform`).

    ``semantic`` and ``lexical`` are of shape (n,); ``reference_day`` is the ordinal day that
    freshness is measured from; ``history`` of shape (n, len(HISTORY_FEATURES)) holds the
    event-log signals (all NaN, no history, when omitted); ``standing`` of shape (n, 4) holds
    how far each similarity stands above each side's usual one (see
    :class:`~matching.catalogue.standing.Standing`; NaN when omitted).
    """

    candidates: Sequence[PreparedCandidate]
    jobs: Sequence[PreparedJob]
    semantic: np.ndarray
    lexical: np.ndarray
    reference_day: float
    history: np.ndarray | None = None
    standing: np.ndarray | None = None


class Featurizer:
    """Compute the pair features of :class:`~matching.features.columns.Feature`.

    Parameters
    ----------
    majors : MajorVocabulary, optional
        For major similarity and the fields a major leads to; the shipped one by default.
    disabled : sequence of str, optional
        Feature names that are always left unknown (NaN).
    """

    def __init__(
        self, majors: MajorVocabulary | None = None, *, disabled: Sequence[str] = ()
    ) -> None:
        self.majors = majors or MajorVocabulary.default()
        self._disabled = [Feature(name).column for name in disabled]
        # Majors, job types and titles repeat across pairs: each combination is worked out once.
        self._similarity = functools.lru_cache(maxsize=1 << 16)(self.majors.similarity)
        self._fields = functools.lru_cache(maxsize=1 << 12)(self.majors.related_job_types)
        self._major_match = functools.lru_cache(maxsize=1 << 16)(self._best_major)
        self._field_fit = functools.lru_cache(maxsize=1 << 16)(self._fits_field)
        self._type_match = functools.lru_cache(maxsize=1 << 16)(_loose_match)

    def _best_major(self, major: str, majors: tuple[str, ...]) -> float:
        return max(self._similarity(major, m) for m in majors)

    def _fits_field(self, major: str, job_type: str | None, title: str | None) -> float:
        return _loose_match(self._fields(major), job_type, title)

    def transform(self, inputs: PairInputs) -> np.ndarray:
        """Feature rows of the pairs in ``inputs``, of shape (n, len(Feature))."""
        X = self.pair_features(
            inputs.candidates,
            inputs.jobs,
            inputs.semantic,
            inputs.lexical,
            reference_day=inputs.reference_day,
        )
        if inputs.history is not None:
            X[:, _HISTORY] = inputs.history
        if inputs.standing is not None:
            X[:, _STANDING] = inputs.standing
        if self._disabled:
            X[:, self._disabled] = np.nan
        return X

    def pair_features(
        self,
        candidates: Sequence[PreparedCandidate],
        jobs: Sequence[PreparedJob],
        semantic: np.ndarray,
        lexical: np.ndarray,
        *,
        reference_day: float | None = None,
    ) -> np.ndarray:
        """Features of aligned pairs ``(candidates[i], jobs[i])``.

        Parameters
        ----------
        candidates, jobs : sequences of profiles of equal length n
        semantic : ndarray of shape (n,)
            Cosine similarity of the pair's embeddings.
        lexical : ndarray of shape (n,)
            TF-IDF cosine of the pair's token bags (see :class:`LexicalCorpus`).
        reference_day : float, optional
            Ordinal day that freshness is measured from; the newest posting among ``jobs`` by
            default, so that a fixed pool gives the same features whenever it is ranked.

        Returns
        -------
        ndarray of shape (n, len(Feature)), float32
        """
        n = len(candidates)
        if len(jobs) != n or len(semantic) != n or len(lexical) != n:
            raise ValueError(
                f"candidates, jobs, semantic and lexical must have one length; got {n}, "
                f"{len(jobs)}, {len(semantic)}, {len(lexical)}"
            )
        out = np.full((n, len(Feature)), np.nan, dtype=np.float32)
        out[:, _SEMANTIC] = semantic
        out[:, _LEXICAL] = lexical
        if reference_day is None:
            posted = [j.posted for j in jobs if not math.isnan(j.posted)]
            reference_day = max(posted) if posted else _NAN
        # the set and label columns need a look at each pair; the numbers are array sums
        major_match, field_fit, type_match = self._major_match, self._field_fit, self._type_match
        labelled = []
        for c, j in zip(candidates, jobs, strict=False):
            skills, required, preferred = c.skills, j.required, j.preferred
            wanted = required or preferred
            coverage = missing = preferred_coverage = overlap = n_overlap = _NAN
            if wanted:
                matched = len(wanted & skills)
                coverage = matched / len(wanted)
                missing = len(wanted) - matched
            if preferred and required:
                preferred_coverage = len(preferred & skills) / len(preferred)
            if skills:
                n_overlap = len(skills & (required | preferred if preferred else required))
                overlap = n_overlap / len(skills)
            labelled.append(
                (
                    coverage,
                    missing,
                    preferred_coverage,
                    overlap,
                    n_overlap,
                    major_match(c.major, j.majors) if c.major and j.majors else _NAN,
                    field_fit(c.major, j.job_type, j.title) if c.major else _NAN,
                    (1.0 if j.city in c.cities else 0.0) if c.cities and j.city else _NAN,
                    type_match(c.job_types, j.job_type, j.title),
                )
            )
        if n:
            out[:, _LABELLED] = np.asarray(labelled, dtype=np.float64)
        cand = np.asarray(
            [(c.degree, c.experience, c.expected_salary) for c in candidates], np.float64
        ).reshape(n, 3)
        job = np.asarray(
            [(j.min_degree, j.experience, j.posted, j.salary_min, j.salary_max) for j in jobs],
            np.float64,
        ).reshape(n, 5)
        out[:, _DEGREE] = cand[:, 0] - job[:, 0]
        out[:, _EXPERIENCE] = cand[:, 1] - job[:, 1]
        out[:, _DAYS] = reference_day - job[:, 2]
        top = np.where(np.isnan(job[:, 4]), job[:, 3], job[:, 4])
        expected = cand[:, 2]
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, _SALARY] = np.where(expected > 0, top / expected, np.nan)
        return out
