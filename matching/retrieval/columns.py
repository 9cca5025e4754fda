"""Columnar views of a side, for hard filters evaluated as vectorised masks over the pool.

A filter over a million postings is a handful of numpy comparisons, never a Python loop over
the pool. Unknown values are -1 (numbers) or empty (labels), and a filter never excludes an item
for a value it does not know, as :meth:`JobFilters.accepts` does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matching.records import CandidateProfile, Job

__all__ = ["CandidateColumns", "JobColumns"]

_NONE = -1


def _ordinal(day: object) -> int:
    return day.toordinal() if day is not None else _NONE  # type: ignore[attr-defined]


@dataclass(frozen=True)
class JobColumns:
    """The filterable fields of every job, aligned with ``keys``."""

    keys: np.ndarray
    ids: np.ndarray  # object
    city: np.ndarray  # object, "" unknown
    job_type: np.ndarray  # object, "" unknown
    title: np.ndarray  # object
    employment_type: np.ndarray  # object (values)
    min_degree: np.ndarray  # int8 rank, -1 unknown
    deadline: np.ndarray  # int64 ordinal, -1 unknown
    posted: np.ndarray  # int64 ordinal, -1 unknown
    key_sector: np.ndarray  # bool
    grassroots: np.ndarray  # bool

    @classmethod
    def build(cls, keys: Sequence[int], jobs: Sequence[Job]) -> JobColumns:
        """Columns of ``jobs`` stored under ``keys``."""
        return cls(
            keys=np.asarray(keys, dtype=np.int64),
            ids=np.asarray([j.id for j in jobs], dtype=object),
            city=np.asarray([j.city or "" for j in jobs], dtype=object),
            job_type=np.asarray([j.job_type or "" for j in jobs], dtype=object),
            title=np.asarray([j.title for j in jobs], dtype=object),
            employment_type=np.asarray([j.employment_type.value for j in jobs], dtype=object),
            min_degree=np.asarray(
                [j.min_degree.rank if j.min_degree else _NONE for j in jobs], dtype=np.int8
            ),
            deadline=np.asarray([_ordinal(j.deadline) for j in jobs], dtype=np.int64),
            posted=np.asarray([_ordinal(j.posted_at) for j in jobs], dtype=np.int64),
            key_sector=np.asarray([j.key_sector for j in jobs], dtype=bool),
            grassroots=np.asarray([j.grassroots_programme for j in jobs], dtype=bool),
        )

    def __len__(self) -> int:
        return len(self.keys)


@dataclass(frozen=True)
class CandidateColumns:
    """The filterable fields of every candidate, aligned with ``keys``."""

    keys: np.ndarray
    degree: np.ndarray  # int8 rank, -1 unknown
    graduation_year: np.ndarray  # int32, -1 unknown
    cities: list[frozenset[str]]

    @classmethod
    def build(cls, keys: Sequence[int], candidates: Sequence[CandidateProfile]) -> CandidateColumns:
        """Columns of ``candidates`` stored under ``keys``."""
        return cls(
            keys=np.asarray(keys, dtype=np.int64),
            degree=np.asarray(
                [c.degree.rank if c.degree else _NONE for c in candidates], dtype=np.int8
            ),
            graduation_year=np.asarray(
                [c.graduation_year if c.graduation_year else _NONE for c in candidates],
                dtype=np.int32,
            ),
            cities=[frozenset(c.desired_cities) for c in candidates],
        )

    def __len__(self) -> int:
        return len(self.keys)
