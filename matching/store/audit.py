"""The ranking audit log as a hash chain: each record carries the hash of the one before.

A record's hash is the SHA-256 of the previous record's hash, its time and its canonical JSON
(sorted keys, no spaces), so changing, removing or reordering any stored record breaks every
hash after it. :func:`verify_chain` recomputes the chain and names the first record that does
not match. The chain shows tampering with the stored log; it cannot stop someone who rewrites
the whole log and every hash after an edit. Keep the head hash that :func:`verify_chain`
reports somewhere else (a ticket, a signed report) to rule that out too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["GENESIS", "AuditCheck", "canonical", "chain_hash", "verify_chain"]

#: The "previous hash" of the first record.
GENESIS = "0" * 64


def canonical(record: dict[str, Any]) -> str:
    """The JSON text a record is hashed and stored as."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def chain_hash(previous: str, at: str, record: dict[str, Any]) -> str:
    """The hash of one record given the hash of the record before it."""
    text = f"{previous}\n{at}\n{canonical(record)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditCheck:
    """The outcome of :func:`verify_chain`.

    Attributes
    ----------
    ok : bool
        Whether every record's stored hash matches the chain.
    n_records : int
        How many records were checked.
    head : str
        The last record's hash (:data:`GENESIS` for an empty log): keep it elsewhere to
        detect a rewrite of the whole log later.
    first_bad : int or None
        Position (from 1, oldest first) of the first record whose hash does not match.
    reason : str
        What was wrong, or ``""``.
    """

    ok: bool
    n_records: int
    head: str
    first_bad: int | None = None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "ok": self.ok,
            "n_records": self.n_records,
            "head": self.head,
            "first_bad": self.first_bad,
            "reason": self.reason,
        }


def verify_chain(rows: Iterable[tuple[str, dict[str, Any] | str, str | None]]) -> AuditCheck:
    """Recompute the chain over ``(at, record, stored_hash)`` rows, oldest first.

    ``record`` may be the stored JSON text, which is hashed as read back (so a change to the
    text shows even where it parses to the same data).
    """
    previous = GENESIS
    n = 0
    for n, (at, record, stored) in enumerate(rows, start=1):
        try:
            data = json.loads(record) if isinstance(record, str) else record
        except json.JSONDecodeError:
            return AuditCheck(False, n, previous, n, f"record {n} is not valid JSON")
        if not isinstance(data, dict):
            return AuditCheck(False, n, previous, n, f"record {n} is not a JSON object")
        if isinstance(record, str) and record != canonical(data):
            return AuditCheck(False, n, previous, n, f"record {n} was rewritten")
        expected = chain_hash(previous, at, data)
        if stored != expected:
            return AuditCheck(False, n, previous, n, f"record {n} does not match the hash chain")
        previous = expected
    return AuditCheck(True, n, previous)
