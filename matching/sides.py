"""In-memory view of one side (jobs or candidates): records, keys, feature profiles, TF-IDF.

The store is the source of truth; a side is the engine's working copy, rebuilt from the store
on load. It never holds sensitive attributes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Generic, TypeVar

from scipy import sparse

from matching.errors import UnknownIdError
from matching.features import FeatureSpace, candidate_profile, job_profile
from matching.records import Candidate, Job

__all__ = ["Side", "candidate_text", "job_text"]

R = TypeVar("R", Job, Candidate)


def job_text(job: Job) -> str:
    """The text embedded for a job: title and description, or title and skills."""
    if job.description:
        return job.text
    return " ".join([job.title, *job.required_skills, *job.preferred_skills]).strip()


def candidate_text(candidate: Candidate) -> str:
    """The text embedded for a candidate: the resume, or major and skills without one."""
    if candidate.resume_text:
        return candidate.resume_text
    return " ".join([candidate.major or "", *candidate.skills]).strip()


class Side(Generic[R]):
    """Records of one kind by id, with their integer keys and cached feature profiles."""

    def __init__(self, kind: str, space: FeatureSpace) -> None:
        self.kind = kind
        self._space = space
        self._records: dict[str, Any] = {}
        self._profiles: dict[str, Any] = {}
        self._keys: dict[str, int] = {}
        self._by_key: dict[int, str] = {}
        self._tfidf: sparse.csr_matrix | None = None
        self._rows: dict[str, int] = {}
        self._generation = -1
        self._version = 0

    def __len__(self) -> int:
        return len(self._records)

    @property
    def version(self) -> int:
        """Changes whenever a record is put or dropped."""
        return self._version

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._records

    def put(self, key: int, record: R) -> None:
        """Add or replace ``record`` under its store key, updating the term statistics."""
        if record.id in self._records:
            self._space.remove_documents([self._profiles[record.id].tokens])
        profile = job_profile(record) if isinstance(record, Job) else candidate_profile(record)
        self._records[record.id] = record
        self._profiles[record.id] = profile
        self._keys[record.id] = key
        self._by_key[key] = record.id
        self._space.add_documents([profile.tokens])
        self._version += 1

    def drop(self, item_id: str) -> None:
        """Remove a record and its terms; raises :class:`UnknownIdError` if it is not held."""
        self.get(item_id)
        self._space.remove_documents([self._profiles[item_id].tokens])
        del self._by_key[self._keys.pop(item_id)]
        del self._records[item_id]
        del self._profiles[item_id]
        self._version += 1

    def get(self, item_id: str) -> R:
        """Return the record with this id; raises :class:`UnknownIdError` if it is not held."""
        try:
            return self._records[item_id]  # type: ignore[no-any-return]
        except KeyError:
            raise UnknownIdError(self.kind, item_id) from None

    def key(self, item_id: str) -> int:
        """Return the integer key (store row and index id) of a held record."""
        self.get(item_id)
        return self._keys[item_id]

    def by_key(self, key: int) -> R:
        """Return the record with this integer key (as returned by an index search)."""
        return self._records[self._by_key[key]]  # type: ignore[no-any-return]

    def profile(self, item_id: str) -> Any:
        """Return the cached feature profile of a held record."""
        self.get(item_id)
        return self._profiles[item_id]

    def ids(self) -> list[str]:
        """Return the ids of all held records, in insertion order."""
        return list(self._records)

    def items(self) -> Iterator[tuple[int, R]]:
        """Yield ``(key, record)`` for every held record."""
        for item_id, record in self._records.items():
            yield self._keys[item_id], record

    def tfidf_rows(self, item_ids: Sequence[str]) -> sparse.csr_matrix:
        """TF-IDF rows of ``item_ids`` under the space's current statistics."""
        if self._tfidf is None or self._generation != self._space.generation:
            ids = list(self._records)
            self._tfidf = self._space.tfidf([self._profiles[i].tokens for i in ids])
            self._rows = {item_id: row for row, item_id in enumerate(ids)}
            self._generation = self._space.generation
        return self._tfidf[[self._rows[i] for i in item_ids]]
