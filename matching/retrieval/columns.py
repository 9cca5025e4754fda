"""Columnar views of a side, for hard filters evaluated as vectorised masks over the pool.

A filter over a million postings is a handful of numpy comparisons, never a Python loop over
the pool. Unknown values are -1 (numbers) or empty (labels), and a filter never excludes an item
for a value it does not know, as :meth:`JobFilters.accepts` does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar

import numpy as np

from matching.records import CandidateProfile, Job

__all__ = ["CandidateColumns", "JobColumns"]

_NONE = -1
_EMPTY = np.zeros(0, dtype=np.int64)

C = TypeVar("C", "JobColumns", "CandidateColumns")


def _positions(keys: np.ndarray, wanted: Sequence[int]) -> np.ndarray:
    """Position of each of ``wanted`` in ``keys`` (every one must be there)."""
    if not len(wanted):
        return _EMPTY  # (sorting every key for nothing cost a write 4 ms at 100k)
    order = np.argsort(keys, kind="stable")
    at = order[np.searchsorted(keys, np.asarray(wanted, dtype=np.int64), sorter=order)]
    if not np.array_equal(keys[at], np.asarray(wanted, dtype=np.int64)):
        raise KeyError("a changed key is not in the columns")
    return at


def _updated(
    columns: C,
    replaced: Mapping[int, tuple[int, Any]],
    removed: Sequence[int],
    added: Sequence[tuple[int, Any]],
    arrays: Sequence[str],
) -> tuple[C, dict[str, Any], np.ndarray | None, np.ndarray]:
    """The aligned arrays of ``columns`` with records replaced in place, removed and appended.

    Returns the new columns (``arrays`` updated), the built columns of the replaced and added
    records (for fields that are not plain arrays), the mask of kept rows (None when nothing
    was removed) and the positions of the replaced rows (in the order of ``replaced``).
    """
    cls = type(columns)
    changes: dict[str, Any] = {}
    at = _positions(columns.keys, list(replaced))
    fresh = cls.build([k for k, _ in replaced.values()], [r for _, r in replaced.values()])
    for name in arrays:
        column = getattr(columns, name)
        if len(at):
            column = column.copy()
            column[at] = getattr(fresh, name)
        changes[name] = column
    keep = None
    if removed:
        keep = np.ones(len(columns.keys), dtype=bool)
        keep[_positions(columns.keys, removed)] = False
        changes = {name: column[keep] for name, column in changes.items()}
    appended = cls.build([k for k, _ in added], [r for _, r in added])
    if added:
        changes = {
            name: np.concatenate([column, getattr(appended, name)])
            for name, column in changes.items()
        }
    return replace(columns, **changes), {"replaced": fresh, "added": appended}, keep, at


def _skill_index(skill_sets: Iterable[Iterable[str]]) -> dict[str, np.ndarray]:
    """Skill -> positions of the items that have it (an inverted index)."""
    postings: dict[str, list[int]] = {}
    for position, skills in enumerate(skill_sets):
        for skill in set(skills):
            postings.setdefault(skill, []).append(position)
    return {s: np.asarray(p, dtype=np.int64) for s, p in postings.items()}


def _holders(
    index: Mapping[str, np.ndarray],
    keys: np.ndarray,
    skills: Iterable[str],
    n: int,
    mask: np.ndarray | None,
) -> np.ndarray:
    """Keys of the items sharing the most of ``skills``, best first, at most ``n``.

    Each shared skill counts by its rarity (``log(1 + pool / holders)``), so a specific skill
    outweighs one that half the pool lists; only items with at least one are returned, and
    only where ``mask`` (aligned with ``keys``) is true. Ties keep the store's order.
    """
    lists = [index[s] for s in set(skills) if s in index]
    if not lists or n <= 0 or not len(keys):
        return np.zeros(0, dtype=np.int64)
    weight = np.zeros(len(keys), dtype=np.float64)
    for positions in lists:
        weight[positions] += np.log1p(len(keys) / len(positions))
    if mask is not None:
        weight[~mask] = 0.0
    found = np.flatnonzero(weight > 0)
    best = found[np.argsort(-weight[found], kind="stable")[:n]]
    return keys[best]


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

    def updated(
        self,
        replaced: Mapping[int, tuple[int, Job]],
        removed: Sequence[int],
        added: Sequence[tuple[int, Job]],
    ) -> JobColumns:
        """These columns with some jobs changed, in the order a rebuild would give.

        ``replaced`` maps the key a job had to its key now and its new record (kept in
        place); ``removed`` are keys taken out; ``added`` are appended.
        """
        names = [f.name for f in fields(self)]
        return _updated(self, replaced, removed, added, names)[0]


@dataclass(frozen=True)
class CandidateColumns:
    """The filterable fields of every candidate, aligned with ``keys``."""

    keys: np.ndarray
    degree: np.ndarray  # int8 rank, -1 unknown
    graduation_year: np.ndarray  # int32, -1 unknown
    cities: list[frozenset[str]]
    skills: dict[str, np.ndarray] = field(default_factory=dict)  # skill -> positions

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
            skills=_skill_index(c.skills for c in candidates),
        )

    def __len__(self) -> int:
        return len(self.keys)

    def updated(
        self,
        replaced: Mapping[int, tuple[int, CandidateProfile]],
        removed: Sequence[int],
        added: Sequence[tuple[int, CandidateProfile]],
    ) -> CandidateColumns:
        """These columns with some candidates changed (see :meth:`JobColumns.updated`)."""
        new, built, keep, at = _updated(
            self, replaced, removed, added, ("keys", "degree", "graduation_year")
        )
        cities = list(self.cities)
        skills = dict(self.skills)
        if len(at):
            hit = np.zeros(len(self.keys), dtype=bool)
            hit[at] = True
            skills = {s: p[~hit[p]] if hit[p].any() else p for s, p in skills.items()}
            for position, row in zip(at.tolist(), range(len(at)), strict=True):
                cities[position] = built["replaced"].cities[row]
            for skill, rows in built["replaced"].skills.items():
                # positions stay ascending, as a rebuild lists them
                skills[skill] = np.sort(np.concatenate([skills.get(skill, _EMPTY), at[rows]]))
        if keep is not None:
            moved = np.cumsum(keep) - 1
            cities = [c for c, kept in zip(cities, keep.tolist(), strict=True) if kept]
            skills = {s: moved[p[keep[p]]] for s, p in skills.items()}
        base = len(cities)
        cities += built["added"].cities
        for skill, rows in built["added"].skills.items():
            skills[skill] = np.concatenate([skills.get(skill, _EMPTY), rows + base])
        skills = {s: p for s, p in skills.items() if len(p)}
        return replace(new, cities=cities, skills=skills)

    def holding(self, skills: Iterable[str], n: int, mask: np.ndarray | None = None) -> np.ndarray:
        """Keys of the candidates with the most of ``skills`` (rare ones first), at most ``n``."""
        return _holders(self.skills, self.keys, skills, n, mask)
