"""What the features need of each record, computed once per stored version of it.

A :class:`PreparedCandidate` is built from a :class:`~matching.records.CandidateProfile`, which
has no field for sensitive attributes: nothing sensitive can reach a feature.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from matching.records import CandidateProfile, Job
from matching.text import Tokenizer, blank_benefits

__all__ = ["PreparedCandidate", "PreparedJob", "TokenCounts", "prepare_candidate", "prepare_job"]


class TokenCounts:
    """A text's distinct tokens with their counts, sorted by token; iterates as (token, count).

    Held once per stored record, so kept compact: the tokens are interned (a word shared by
    many records is one string) and the counts are one tuple beside them, not a pair object per
    token. It compares equal to the tuple of pairs it iterates as.

    Examples
    --------
    >>> counts = TokenCounts([("sql", 1), ("python", 2)])
    >>> list(counts)
    [('python', 2), ('sql', 1)]
    >>> counts == (("python", 2), ("sql", 1))
    True
    """

    __slots__ = ("counts", "words")

    def __init__(self, pairs: Iterable[tuple[str, int]] = ()) -> None:
        merged: Counter[str] = Counter()
        for word, count in pairs:
            merged[word] += count
        self._hold(merged)

    @classmethod
    def of(cls, tokens: Iterable[str]) -> TokenCounts:
        """The counts of a sequence of tokens (each occurrence counts once).

        >>> list(TokenCounts.of(["b", "a", "b"]))
        [('a', 1), ('b', 2)]
        """
        out = cls.__new__(cls)
        out._hold(Counter(tokens))
        return out

    def _hold(self, counted: Counter[str]) -> None:
        ordered = sorted(counted.items())
        self.words: tuple[str, ...] = tuple(sys.intern(w) for w, _ in ordered)
        self.counts: tuple[int, ...] = tuple(c for _, c in ordered)

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return zip(self.words, self.counts, strict=True)

    def __len__(self) -> int:
        return len(self.words)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, TokenCounts):
            return self.words == other.words and self.counts == other.counts
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.words, self.counts))

    def __repr__(self) -> str:
        return f"TokenCounts({list(self)!r})"


_NAN = float("nan")


@dataclass(frozen=True, slots=True)
class PreparedJob:
    """A job's feature inputs; unknown numbers are NaN."""

    id: str
    title: str
    tokens: TokenCounts
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
class PreparedCandidate:
    """A candidate's feature inputs; unknown numbers are NaN."""

    id: str
    tokens: TokenCounts
    skills: frozenset[str]
    major: str | None
    degree: float
    cities: frozenset[str]
    job_types: tuple[str, ...]
    expected_salary: float
    experience: float


def token_counts(text: str, tokenizer: Tokenizer) -> TokenCounts:
    """The tokens of a text with their counts, sorted by token."""
    return TokenCounts.of(tokenizer.tokenize(text))


def prepare_job(job: Job, tokenizer: Tokenizer) -> PreparedJob:
    """The feature inputs of a job."""
    return PreparedJob(
        id=job.id,
        title=job.title,
        # the words a resume could match: benefit clauses say what the employer offers
        tokens=token_counts(blank_benefits(job.text), tokenizer),
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


def prepare_candidate(candidate: CandidateProfile, tokenizer: Tokenizer) -> PreparedCandidate:
    """The feature inputs of a candidate profile."""
    return PreparedCandidate(
        id=candidate.id,
        tokens=token_counts(candidate.resume_text, tokenizer),
        skills=frozenset(candidate.skills),
        major=candidate.major,
        degree=float(candidate.degree.rank) if candidate.degree else _NAN,
        cities=frozenset(candidate.desired_cities),
        job_types=candidate.desired_job_types,
        expected_salary=(float(candidate.expected_salary) if candidate.expected_salary else _NAN),
        experience=candidate.experience_years,
    )
