"""In-memory view of one side (jobs or candidates): records by id and key, with feature inputs.

The store is the source of truth; a side is the engine's working copy, rebuilt from the store
on load. It holds profiles only: candidates' sensitive records stay in the store.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Generic, NamedTuple, TypeVar

import numpy as np

from matching.errors import UnknownIdError

__all__ = ["Change", "Side"]

R = TypeVar("R")
P = TypeVar("P")

#: How many of its latest changes a side remembers for :meth:`Side.changes_since`.
CHANGE_LOG = 65_536


class Change(NamedTuple):
    """One put or drop of a side's record, as :meth:`Side.changes_since` lists them."""

    item_id: str
    key: int  # the record's key now (put), or the key it had (drop)
    old_key: int | None  # the key a put replaced, None for a new record or a drop
    dropped: bool


class Side(Generic[R, P]):
    """Records of one kind by id, with their integer keys and prepared feature inputs.

    Parameters
    ----------
    kind : str
        ``"job"`` or ``"candidate"``, for error messages.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._records: dict[str, R] = {}
        self._prepared: dict[str, P] = {}
        self._keys: dict[str, int] = {}
        self._by_key: dict[int, str] = {}
        self._version = 0
        # the latest changes, oldest first: entry i is the change to version _first + i
        self._changes: list[Change] = []
        self._first = 1

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._records

    @property
    def version(self) -> int:
        """Changes whenever a record is put or dropped."""
        return self._version

    def put(self, key: int, item_id: str, record: R, prepared: P) -> None:
        """Add or replace a record under its store key."""
        old = self._keys.get(item_id)
        if old is not None and old != key:
            del self._by_key[old]
        self._records[item_id] = record
        self._prepared[item_id] = prepared
        self._keys[item_id] = key
        self._by_key[key] = item_id
        self._version += 1
        self._log(Change(item_id, key, old, False))

    def drop(self, item_id: str) -> int:
        """Remove a record and return its key; raises :class:`UnknownIdError` if not held."""
        self.get(item_id)
        key = self._keys.pop(item_id)
        del self._by_key[key]
        del self._records[item_id]
        del self._prepared[item_id]
        self._version += 1
        self._log(Change(item_id, key, None, True))
        return key

    def _log(self, change: Change) -> None:
        self._changes.append(change)
        if len(self._changes) > 2 * CHANGE_LOG:  # trimmed now and then, so appends stay O(1)
            del self._changes[:-CHANGE_LOG]
            self._first = self._version - CHANGE_LOG + 1

    def changes_since(self, version: int) -> list[Change] | None:
        """The puts and drops after ``version``, oldest first; None when they are not all kept.

        Views built from the side apply these instead of rebuilding over every record; on None
        (more than :data:`CHANGE_LOG` changes since, or a version this side never had) they
        rebuild.
        """
        if version == self._version:
            return []
        if version > self._version or version + 1 < self._first:
            return None
        return self._changes[version + 1 - self._first :]

    def get(self, item_id: str) -> R:
        """Return the record with this id; raises :class:`UnknownIdError` if it is not held."""
        try:
            return self._records[item_id]
        except (KeyError, TypeError):
            raise UnknownIdError(self.kind, item_id) from None

    def key(self, item_id: str) -> int:
        """Return the integer key (store row and index id) of a held record."""
        self.get(item_id)
        return self._keys[item_id]

    def keys_of(self, item_ids: Sequence[str]) -> np.ndarray:
        """The integer key of each id, -1 where no record is held under it."""
        get = self._keys.get
        return np.fromiter((get(i, -1) for i in item_ids), np.int64, len(item_ids))

    def by_key(self, key: int) -> R:
        """Return the record with this integer key (as returned by an index search)."""
        return self._records[self._by_key[key]]

    def id_of(self, key: int) -> str:
        """Return the id of the record with this integer key."""
        return self._by_key[key]

    def prepared(self, item_id: str) -> P:
        """Return the prepared feature inputs of a held record."""
        self.get(item_id)
        return self._prepared[item_id]

    def holds(self, item_id: str, key: int) -> bool:
        """Whether the record ``item_id`` is held under ``key``."""
        return self._keys.get(item_id) == key

    def ids(self) -> list[str]:
        """Return the ids of all held records, in insertion order."""
        return list(self._records)

    def items(self) -> Iterator[tuple[int, R]]:
        """Yield ``(key, record)`` for every held record."""
        for item_id, record in self._records.items():
            yield self._keys[item_id], record
