"""Record stores: one interface (:class:`RecordStore`), SQLite by default, in memory as oracle."""

from matching.store.audit import AuditCheck, verify_chain
from matching.store.base import RecordStore, StoreSnapshot
from matching.store.memory import InMemoryStore
from matching.store.sqlite import SQLiteStore

__all__ = [
    "AuditCheck",
    "InMemoryStore",
    "RecordStore",
    "SQLiteStore",
    "StoreSnapshot",
    "verify_chain",
]
