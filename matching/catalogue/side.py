"""In-memory view of one side (jobs or candidates): records by id and key, with feature inputs.

The store is the source of truth; a side is the engine's working copy, rebuilt from the store
on load. It holds profiles only: candidates' sensitive records stay in the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from matching.errors import UnknownIdError

__all__ = ["Side"]

R = TypeVar("R")
P = TypeVar("P")


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

    def drop(self, item_id: str) -> int:
        """Remove a record and return its key; raises :class:`UnknownIdError` if not held."""
        self.get(item_id)
        key = self._keys.pop(item_id)
        del self._by_key[key]
        del self._records[item_id]
        del self._prepared[item_id]
        self._version += 1
        return key

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

    def ids(self) -> list[str]:
        """Return the ids of all held records, in insertion order."""
        return list(self._records)

    def items(self) -> Iterator[tuple[int, R]]:
        """Yield ``(key, record)`` for every held record."""
        for item_id, record in self._records.items():
            yield self._keys[item_id], record
