"""Hard filters applied at retrieval: what a result may never be, whatever its score."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

import numpy as np

from matching.errors import ValidationError
from matching.lexicon import extract_cities
from matching.records import CandidateProfile, DegreeLevel, EmploymentType, Job
from matching.retrieval.columns import CandidateColumns, JobColumns

__all__ = ["CandidateFilters", "JobFilters"]


def _cities(value: Any, name: str) -> tuple[str, ...] | None:
    """City names as records store them ("上海市" and "Shanghai" become "上海")."""
    names = _tuple(value, name)
    if names is None:
        return None
    out = []
    for city in names:
        found = extract_cities(city)
        out.append(found[0] if found else city)
    return tuple(out)


def _day(value: Any, name: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise ValidationError(name, f"got {value!r}; a date YYYY-MM-DD is required")


def _flag(value: Any, name: str, *, optional: bool) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, bool):
        allowed = "true, false or null" if optional else "true or false"
        raise ValidationError(name, f"got {value!r}; {allowed} is required")
    return value


def _from_mapping(cls: Any, data: Mapping[str, Any] | None) -> Any:
    """Filters of class ``cls`` from a mapping, refusing keys that are not filters."""
    if data is None:
        return cls()
    if not isinstance(data, Mapping):
        raise ValidationError("filters", f"got {type(data).__name__}; a mapping is required")
    allowed = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationError(
            f"filters.{unknown[0]}", f"is not a filter; allowed are {', '.join(sorted(allowed))}"
        )
    return cls(**data)


def _tuple(value: Any, name: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple, set, frozenset)) or not all(
        isinstance(v, str) for v in value
    ):
        raise ValidationError(name, f"got {value!r}; a list of strings is required")
    return tuple(v.strip() for v in value if v.strip())


@dataclass(frozen=True, slots=True)
class JobFilters:
    """Filters on the jobs recommended to a candidate.

    Parameters
    ----------
    cities : tuple of str, optional
        Only jobs in these cities. ``None`` means any city.
    job_types : tuple of str, optional
        Only jobs whose ``job_type`` or title contains one of these labels.
    employment_types : tuple of str, optional
        Only these employment types (``full_time``, ``part_time``, ``internship``, ``contract``).
    require_degree : bool, default True
        Leave out jobs whose minimum degree is above the candidate's degree.
    open_on : date, optional
        Leave out jobs whose deadline is before this day; ``None`` keeps expired jobs.
    posted_by : date, optional
        Leave out jobs posted after this day (jobs without a posting date stay).
    exclude_applied : bool, default True
        Leave out jobs the candidate has already applied to (or gone further with).
    key_sector, grassroots_programme : bool, optional
        When set, only jobs with that flag value.
    """

    cities: tuple[str, ...] | None = None
    job_types: tuple[str, ...] | None = None
    employment_types: tuple[EmploymentType, ...] | None = None
    require_degree: bool = True
    open_on: date | None = None
    exclude_applied: bool = True
    posted_by: date | None = None
    key_sector: bool | None = None
    grassroots_programme: bool | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "cities", _cities(self.cities, "filters.cities"))
        object.__setattr__(self, "job_types", _tuple(self.job_types, "filters.job_types"))
        for name in ("require_degree", "exclude_applied"):
            _flag(getattr(self, name), f"filters.{name}", optional=False)
        for name in ("key_sector", "grassroots_programme"):
            _flag(getattr(self, name), f"filters.{name}", optional=True)
        if self.employment_types is not None:
            kinds = _tuple(self.employment_types, "filters.employment_types") or ()
            object.__setattr__(
                self,
                "employment_types",
                tuple(EmploymentType.parse(k, "filters.employment_types") for k in kinds),
            )
        for name in ("open_on", "posted_by"):
            object.__setattr__(self, name, _day(getattr(self, name), f"filters.{name}"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> JobFilters:
        """Build filters from a JSON-like mapping; ``None`` means no filtering.

        Raises
        ------
        ValidationError
            A key is not a filter, or a value is invalid.
        """
        return _from_mapping(cls, data)

    def accepts(self, job: Job, candidate: CandidateProfile, applied: frozenset[str]) -> bool:
        """Whether ``job`` may be recommended to ``candidate``."""
        if self.cities is not None and job.city not in self.cities:
            return False
        if self.job_types is not None and not any(
            t in (job.job_type or "") or t in job.title for t in self.job_types
        ):
            return False
        if self.employment_types is not None and job.employment_type not in self.employment_types:
            return False
        if (
            self.require_degree
            and job.min_degree is not None
            and candidate.degree is not None
            and job.min_degree.rank > candidate.degree.rank
        ):
            return False
        if self.open_on is not None and job.deadline is not None and job.deadline < self.open_on:
            return False
        if self.exclude_applied and job.id in applied:
            return False
        if (
            self.posted_by is not None
            and job.posted_at is not None
            and job.posted_at > self.posted_by
        ):
            return False
        if self.key_sector is not None and job.key_sector != self.key_sector:
            return False
        return not (
            self.grassroots_programme is not None
            and job.grassroots_programme != self.grassroots_programme
        )

    def mask(
        self,
        jobs: JobColumns,
        candidate: CandidateProfile,
        applied: frozenset[str],
        *,
        applied_keys: np.ndarray | None = None,
    ) -> np.ndarray:
        """:meth:`accepts` for every job at once: a boolean array aligned with ``jobs``.

        ``applied_keys``, the store keys of the ``applied`` jobs when the caller has them,
        spare comparing every job's id.
        """
        keep = np.ones(len(jobs), dtype=bool)
        if self.cities is not None:
            keep &= np.isin(jobs.city, list(self.cities))
        if self.job_types is not None:
            # substring tests need Python; only over the jobs still in play
            for i in np.flatnonzero(keep):
                keep[i] = any(t in jobs.job_type[i] or t in jobs.title[i] for t in self.job_types)
        if self.employment_types is not None:
            keep &= np.isin(jobs.employment_type, [e.value for e in self.employment_types])
        if self.require_degree and candidate.degree is not None:
            keep &= (jobs.min_degree < 0) | (jobs.min_degree <= candidate.degree.rank)
        if self.open_on is not None:
            keep &= (jobs.deadline < 0) | (jobs.deadline >= self.open_on.toordinal())
        if self.exclude_applied and applied:
            if applied_keys is not None:
                keep &= ~np.isin(jobs.keys, applied_keys)
            else:
                keep &= ~np.isin(jobs.ids, list(applied))
        if self.posted_by is not None:
            keep &= (jobs.posted < 0) | (jobs.posted <= self.posted_by.toordinal())
        if self.key_sector is not None:
            keep &= jobs.key_sector == self.key_sector
        if self.grassroots_programme is not None:
            keep &= jobs.grassroots == self.grassroots_programme
        return keep


@dataclass(frozen=True, slots=True)
class CandidateFilters:
    """Filters on the candidates ranked for a job.

    Parameters
    ----------
    cities : tuple of str, optional
        Only candidates who list one of these cities among their desired cities.
    require_degree : bool, default True
        Leave out candidates whose degree is below the job's minimum degree.
    graduation_years : tuple of int, optional
        Only candidates graduating in these years.
    min_degree : DegreeLevel, optional
        A further minimum degree, on top of the job's own.
    """

    cities: tuple[str, ...] | None = None
    require_degree: bool = True
    graduation_years: tuple[int, ...] | None = None
    min_degree: DegreeLevel | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "cities", _cities(self.cities, "filters.cities"))
        _flag(self.require_degree, "filters.require_degree", optional=False)
        if self.graduation_years is not None:
            years = self.graduation_years
            if not isinstance(years, (list, tuple)) or not all(
                isinstance(y, int) and not isinstance(y, bool) for y in years
            ):
                raise ValidationError(
                    "filters.graduation_years", f"got {years!r}; a list of years is required"
                )
            object.__setattr__(self, "graduation_years", tuple(years))
        if self.min_degree is not None:
            object.__setattr__(
                self, "min_degree", DegreeLevel.parse(self.min_degree, "filters.min_degree")
            )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> CandidateFilters:
        """Build filters from a JSON-like mapping; ``None`` means no filtering.

        Raises
        ------
        ValidationError
            A key is not a filter, or a value is invalid.
        """
        return _from_mapping(cls, data)

    def accepts(self, candidate: CandidateProfile, job: Job) -> bool:
        """Whether ``candidate`` may be ranked for ``job``."""
        if self.cities is not None and not set(self.cities) & set(candidate.desired_cities):
            return False
        degree = candidate.degree
        if self.require_degree and job.min_degree and degree and degree.rank < job.min_degree.rank:
            return False
        if self.min_degree is not None and (degree is None or degree.rank < self.min_degree.rank):
            return False
        return not (
            self.graduation_years is not None
            and candidate.graduation_year not in self.graduation_years
        )

    def mask(self, candidates: CandidateColumns, job: Job) -> np.ndarray:
        """:meth:`accepts` for every candidate at once: a boolean array aligned with them."""
        keep = np.ones(len(candidates), dtype=bool)
        if self.cities is not None:
            wanted = set(self.cities)
            keep &= np.fromiter(
                (bool(wanted & c) for c in candidates.cities), dtype=bool, count=len(candidates)
            )
        if self.require_degree and job.min_degree is not None:
            keep &= (candidates.degree < 0) | (candidates.degree >= job.min_degree.rank)
        if self.min_degree is not None:
            keep &= candidates.degree >= self.min_degree.rank
        if self.graduation_years is not None:
            keep &= np.isin(candidates.graduation_year, list(self.graduation_years))
        return keep
