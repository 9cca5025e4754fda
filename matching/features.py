"""Pair features: one float32 row per (candidate, job) pair.

The same features, with the same meaning, are built in both directions (jobs for a candidate,
candidates for a job), so one feature space serves both rankers. Unknown values are NaN:
LightGBM routes them natively, and the transparent scorer treats them as no evidence.

Sensitive attributes are not an input here: profiles are built from the profile fields only,
and :func:`candidate_profile` never reads ``Candidate.sensitive``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matching.majors import MajorVocabulary
from matching.records import Candidate, Job
from matching.text import tokenize

__all__ = [
    "FEATURE_NAMES",
    "CandidateProfile",
    "FeatureSpace",
    "JobProfile",
    "candidate_profile",
    "job_profile",
    "widen_columns",
]

FEATURE_NAMES: tuple[str, ...] = (
    "semantic_similarity",
    "lexical_similarity",
    "skill_coverage",
    "preferred_skill_coverage",
    "skill_overlap",
    "matched_skills",
    "missing_skills",
    "degree_gap",
    "major_match",
    "major_field_fit",
    "city_match",
    "job_type_match",
    "salary_ratio",
    "experience_gap",
    "days_since_posted",
)

_NAN = float("nan")


@dataclass(frozen=True, slots=True)
class JobProfile:
    """What the features need of a job, computed once per stored version of it."""

    id: str
    title: str
    tokens: tuple[tuple[str, int], ...]
    required: frozenset[str]
    preferred: frozenset[str]
    majors: tuple[str, ...]
    min_degree: float
    city: str | None
    job_type: str | None
    salary_min: float
    salary_max: float
    experience: float
    posted: float


@dataclass(frozen=True, slots=True)
class CandidateProfile:
    """What the features need of a candidate; built without the sensitive attributes."""

    id: str
    tokens: tuple[tuple[str, int], ...]
    skills: frozenset[str]
    major: str | None
    degree: float
    cities: frozenset[str]
    job_types: tuple[str, ...]
    expected_salary: float
    experience: float


def _counts(text: str) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(Counter(tokenize(text)).items()))


def job_profile(job: Job) -> JobProfile:
    """Build the feature profile of a job; unknown numeric fields become NaN."""
    return JobProfile(
        id=job.id,
        title=job.title,
        tokens=_counts(job.text),
        required=frozenset(job.required_skills),
        preferred=frozenset(job.preferred_skills),
        majors=job.preferred_majors,
        min_degree=float(job.min_degree.rank) if job.min_degree else _NAN,
        city=job.city,
        job_type=job.job_type,
        salary_min=float(job.salary_min) if job.salary_min is not None else _NAN,
        salary_max=float(job.salary_max) if job.salary_max is not None else _NAN,
        experience=float(job.experience_years) if job.experience_years is not None else _NAN,
        posted=float(job.posted_at.toordinal()) if job.posted_at else _NAN,
    )


def candidate_profile(candidate: Candidate) -> CandidateProfile:
    """Build the feature profile of a candidate; ``candidate.sensitive`` is not read."""
    return CandidateProfile(
        id=candidate.id,
        tokens=_counts(candidate.resume_text),
        skills=frozenset(candidate.skills),
        major=candidate.major,
        degree=float(candidate.degree.rank) if candidate.degree else _NAN,
        cities=frozenset(candidate.desired_cities),
        job_types=candidate.desired_job_types,
        expected_salary=(float(candidate.expected_salary) if candidate.expected_salary else _NAN),
        experience=candidate.experience_years,
    )


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


class FeatureSpace:
    """Vocabularies and corpus statistics shared by both sides (token IDF, skill columns).

    Parameters
    ----------
    majors : MajorVocabulary, optional
        For major similarity; the bundled vocabulary by default.
    """

    def __init__(self, majors: MajorVocabulary | None = None) -> None:
        self.majors = majors or MajorVocabulary.default()
        self._df: Counter[str] = Counter()
        self._n_docs = 0
        self._columns: dict[str, int] = {}
        self._generation = 0

    # -- corpus statistics ------------------------------------------------------------------

    def add_documents(self, token_counts: Sequence[tuple[tuple[str, int], ...]]) -> None:
        """Count each document's terms into the document frequencies."""
        for counts in token_counts:
            self._df.update(t for t, _ in counts)
        self._n_docs += len(token_counts)
        self._generation += 1

    def remove_documents(self, token_counts: Sequence[tuple[tuple[str, int], ...]]) -> None:
        """Take documents back out of the document frequencies (a record replaced or dropped)."""
        for counts in token_counts:
            self._df.subtract(t for t, _ in counts)
        self._n_docs = max(0, self._n_docs - len(token_counts))
        self._generation += 1

    @property
    def generation(self) -> int:
        """Changes whenever the corpus statistics change; cached matrices compare against it."""
        return self._generation

    def _idf(self, token: str) -> float:
        # Smoothed IDF; a term seen nowhere yet still gets the largest weight.
        return math.log((self._n_docs + 1) / (max(self._df.get(token, 0), 0) + 1)) + 1.0

    def tfidf(self, docs: Sequence[tuple[tuple[str, int], ...]]) -> sparse.csr_matrix:
        """L2-normalised TF-IDF rows of shape (n_docs, n_terms_seen_so_far).

        Column numbers are stable for the life of the space, so matrices built at different
        times can be multiplied after :func:`_align`.
        """
        data: list[float] = []
        indices: list[int] = []
        indptr = [0]
        for counts in docs:
            weights = [(1.0 + math.log(c)) * self._idf(t) for t, c in counts]
            norm = math.sqrt(sum(w * w for w in weights)) or 1.0
            for (t, _), w in zip(counts, weights, strict=False):
                col = self._columns.setdefault(t, len(self._columns))
                indices.append(col)
                data.append(w / norm)
            indptr.append(len(data))
        return sparse.csr_matrix(
            (np.asarray(data, dtype=np.float32), indices, indptr),
            shape=(len(docs), len(self._columns)),
        )

    @staticmethod
    def cosine(query: sparse.csr_matrix, items: sparse.csr_matrix) -> np.ndarray:
        """Cosine of one TF-IDF row against many rows, of shape (n_items,)."""
        width = max(query.shape[1], items.shape[1])
        query = widen_columns(query, width)
        items = widen_columns(items, width)
        return np.asarray((items @ query.T).toarray()).ravel().astype(np.float32)

    # -- features ---------------------------------------------------------------------------

    def pair_features(
        self,
        candidates: Sequence[CandidateProfile],
        jobs: Sequence[JobProfile],
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
            TF-IDF cosine of the pair's token bags (see :meth:`cosine`).
        reference_day : float, optional
            Ordinal day that freshness is measured from; the newest posting among ``jobs`` by
            default, so that a fixed pool gives the same features whenever it is ranked.

        Returns
        -------
        ndarray of shape (n, len(FEATURE_NAMES)), float32
        """
        n = len(candidates)
        if len(jobs) != n or len(semantic) != n or len(lexical) != n:
            raise ValueError(
                f"candidates, jobs, semantic and lexical must have one length; got {n}, "
                f"{len(jobs)}, {len(semantic)}, {len(lexical)}"
            )
        out = np.full((n, len(FEATURE_NAMES)), np.nan, dtype=np.float32)
        out[:, 0] = semantic
        out[:, 1] = lexical
        if reference_day is None:
            posted = [j.posted for j in jobs if not math.isnan(j.posted)]
            reference_day = max(posted) if posted else _NAN
        similarity = self.majors.similarity
        for i, (c, j) in enumerate(zip(candidates, jobs, strict=False)):
            row = out[i]
            required = j.required or j.preferred
            if required:
                matched = len(required & c.skills)
                row[2] = matched / len(required)
                row[6] = len(required) - matched
            if j.preferred and j.required:
                row[3] = len(j.preferred & c.skills) / len(j.preferred)
            if c.skills:
                overlap = c.skills & (j.required | j.preferred)
                row[4] = len(overlap) / len(c.skills)
                row[5] = len(overlap)
            row[7] = c.degree - j.min_degree
            if c.major and j.majors:
                row[8] = max(similarity(c.major, m) for m in j.majors)
            if c.major:
                row[9] = _loose_match(self.majors.related_job_types(c.major), j.job_type, j.title)
            if c.cities and j.city:
                row[10] = 1.0 if j.city in c.cities else 0.0
            row[11] = _loose_match(c.job_types, j.job_type, j.title)
            top = j.salary_max if not math.isnan(j.salary_max) else j.salary_min
            if c.expected_salary > 0 and not math.isnan(top):
                row[12] = top / c.expected_salary
            row[13] = c.experience - j.experience
            row[14] = reference_day - j.posted
        return out


def widen_columns(mat: sparse.csr_matrix, width: int) -> sparse.csr_matrix:
    """The same rows with ``width`` columns (new columns empty); matrices of one space align."""
    if mat.shape[1] == width:
        return mat
    return sparse.csr_matrix((mat.data, mat.indices, mat.indptr), shape=(mat.shape[0], width))
