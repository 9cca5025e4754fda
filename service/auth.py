"""Credentials and roles: who may call what.

Three roles:

- ``student``: bound to one candidate id; reads and changes only that profile, its
  recommendations and its own events;
- ``recruiter``: bound to one organisation (a job's ``employer``); adds, reads, changes and
  removes only that organisation's jobs, and ranks candidates only for them;
- ``operator``: everything, including ingest, training, audits, reports and credentials.

A credential is a bearer token ``gm_<key id>_<secret>``, sent as ``Authorization: Bearer ...``
(or ``X-API-Key``). Only a salted scrypt hash of the secret is kept, in ``credentials.sqlite``
beside the engine; a verified token is remembered for a minute so that requests do not each
pay the hash. Tokens are created and revoked by operators (``/v1/credentials``,
``gradmatch credentials``). At the first start with no operator credential, the configured
``GRADMATCH_OPERATOR_TOKEN`` is stored as one, or else a new one is generated and printed
once: there is no default secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "ROLES",
    "CredentialError",
    "CredentialStore",
    "Principal",
    "Role",
    "split_token",
    "token_of",
]

Role = Literal["student", "recruiter", "operator"]
ROLES: tuple[Role, ...] = ("student", "recruiter", "operator")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS credentials (
    key_id TEXT PRIMARY KEY,
    salt TEXT NOT NULL,
    hash TEXT NOT NULL,
    role TEXT NOT NULL,
    subject TEXT,
    label TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
"""
# scrypt parameters: 16 MiB and tens of milliseconds per check
_N, _R, _P = 2**14, 8, 1
_CACHE_SECONDS = 60.0


class CredentialError(ValueError):
    """A credential request that cannot be met (unknown role, missing subject, unknown key)."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request comes from."""

    role: Role
    subject: str | None
    key_id: str


def split_token(token: str | None) -> tuple[str, str] | None:
    """``(key_id, secret)`` of a token shaped ``gm_<key id>_<secret>``, else ``None``."""
    parts = (token or "").split("_", 2)
    if len(parts) != 3 or parts[0] != "gm":
        return None
    return parts[1], parts[2]


def token_of(headers: Any) -> str | None:
    """The credential a request carries: ``Authorization: Bearer ...``, else ``X-API-Key``."""
    bearer = headers.get("authorization", "").removeprefix("Bearer ").strip()
    return bearer or headers.get("x-api-key")


def _hash(secret: str, salt: bytes) -> str:
    return hashlib.scrypt(secret.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32).hex()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class CredentialStore:
    """Hashed credentials in one SQLite file (``":memory:"`` for a store that is not kept)."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[Principal, float]] = {}

    def create(
        self,
        role: str,
        subject: str | None = None,
        *,
        label: str | None = None,
        token: str | None = None,
    ) -> tuple[str, str]:
        """A new credential; returns ``(key_id, token)``. The token is not kept: show it once.

        Parameters
        ----------
        role : {"student", "recruiter", "operator"}
        subject : str, optional
            The candidate id of a student, the organisation of a recruiter (required for
            both); none for an operator.
        label : str, optional
            A note for operators ("career centre desk 2").
        token : str, optional
            Store this token instead of generating one (the configured bootstrap token).

        Raises
        ------
        CredentialError
            An unknown role, a missing or needless subject, a malformed token.
        """
        if role not in ROLES:
            raise CredentialError(f"role: got {role!r}; allowed: {', '.join(ROLES)}")
        if role in ("student", "recruiter") and not (subject and subject.strip()):
            what = "a candidate id" if role == "student" else "an organisation"
            raise CredentialError(f"subject: a {role} credential needs {what}")
        if role == "operator" and subject:
            raise CredentialError("subject: an operator credential has none")
        if token is None:
            key_id = secrets.token_hex(6)
            secret = secrets.token_urlsafe(24)
            token = f"gm_{key_id}_{secret}"
        else:
            split = split_token(token)
            if split is None or len(split[1]) < 16:
                raise CredentialError(
                    "token: must look like gm_<key id>_<secret of 16 characters or more>"
                )
            key_id, secret = split
        salt = secrets.token_bytes(16)
        with self._lock:
            try:
                self._conn.execute(
                    "INSERT INTO credentials VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                    (key_id, salt.hex(), _hash(secret, salt), role, subject, label, _now()),
                )
            except sqlite3.IntegrityError:
                raise CredentialError(f"key id {key_id!r} exists already") from None
        return key_id, token

    def revoke(self, key_id: str) -> None:
        """Revoke a credential at once (in this process; others within a minute).

        Raises
        ------
        CredentialError
            No active credential has that key id.
        """
        with self._lock:
            cur = self._conn.execute(
                "UPDATE credentials SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (_now(), key_id),
            )
            if cur.rowcount == 0:
                raise CredentialError(f"no active credential {key_id!r}")
            self._cache = {t: v for t, v in self._cache.items() if v[0].key_id != key_id}

    def list(self) -> list[dict[str, Any]]:
        """Every credential, without anything secret."""
        rows = self._conn.execute(
            "SELECT key_id, role, subject, label, created_at, revoked_at FROM credentials "
            "ORDER BY created_at, key_id"
        ).fetchall()
        names = ("key_id", "role", "subject", "label", "created_at", "revoked_at")
        return [dict(zip(names, row, strict=True)) for row in rows]

    def has_operator(self) -> bool:
        """Whether an active operator credential exists."""
        row = self._conn.execute(
            "SELECT 1 FROM credentials WHERE role = 'operator' AND revoked_at IS NULL LIMIT 1"
        ).fetchone()
        return row is not None

    def verify(self, token: str | None) -> Principal | None:
        """The principal of a token, or ``None`` for a missing, wrong or revoked one."""
        if not token:
            return None
        digest = hashlib.sha256(token.encode()).hexdigest()
        hit = self._cache.get(digest)
        if hit is not None and time.monotonic() - hit[1] < _CACHE_SECONDS:
            return hit[0]
        split = split_token(token)
        if split is None:
            return None
        key_id, secret = split
        row = self._conn.execute(
            "SELECT salt, hash, role, subject FROM credentials "
            "WHERE key_id = ? AND revoked_at IS NULL",
            (key_id,),
        ).fetchone()
        if row is None:
            return None
        salt, stored, role, subject = row
        if not hmac.compare_digest(_hash(secret, bytes.fromhex(salt)), stored):
            return None
        principal = Principal(role, subject, key_id)
        with self._lock:
            self._cache[digest] = (principal, time.monotonic())
        return principal

    def close(self) -> None:
        """Close the database."""
        self._conn.close()
