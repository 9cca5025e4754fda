"""Service settings, read from ``GRADMATCH_*`` environment variables or passed in."""

from __future__ import annotations

import importlib.metadata
import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "package_version"]


def package_version() -> str:
    """The installed gradmatch's version ("0.0.0+local" in a source tree never installed)."""
    try:
        return importlib.metadata.version("gradmatch")
    except importlib.metadata.PackageNotFoundError:
        return "0.0.0+local"


class Settings(BaseSettings):
    """How the HTTP service runs.

    Every field can be set from the environment with the ``GRADMATCH_`` prefix
    (``GRADMATCH_ENGINE_DIR=/srv/gradmatch``, ``GRADMATCH_API_KEY=...``) or passed as a keyword.

    Parameters
    ----------
    engine_dir : Path, optional
        The engine directory to serve; opened (or started empty) when the app starts.
        Required unless an engine instance is handed to :func:`service.create_app`.
    host : str, default "127.0.0.1"
        Interface to bind; loopback unless a deployment puts a proxy in front.
    port : int, default 8000
    api_key : str, optional
        When set, every endpoint except ``/health`` and the docs requires the header
        ``X-API-Key`` with this value.
    operator_api_key : str, optional
        When set, the operator endpoints (``/v1/ranker/train``, ``/v1/audit``) also require
        the header ``X-Operator-Key`` with this value, so that recruiters and students who
        hold the API key cannot read the audit log. Set it wherever recruiters use the API.
    save_on_write : bool, default False
        Save the whole engine (indexes, embedding cache, models) inside every write request,
        as earlier versions did. Off by default: an acknowledged write is already on disk in
        the store, which is the log of record (committed and synced before the answer), and
        a restart rebuilds from it whatever the last snapshot lacks.
    snapshot_interval : float, default 60
        Seconds between background snapshots of the indexes, the embedding cache and the
        models, taken when something was written since the last one (and once more at
        shutdown). A snapshot only makes restarts fast; 0 turns them off, leaving the
        shutdown one.
    max_batch : int, default 1000
        The most records (jobs, candidates or events) one request may carry.
    rate_limit : int, default 600
        Requests a minute one credential (with auth off, one client address) may make; more
        are answered 429 with ``Retry-After``. 0 turns the limit off.
    log_format : {"json", "text"}, default "json"
        How ``gradmatch serve`` logs: one JSON object a line (time, level, logger, message,
        request id) or plain text. Requests are logged by route template, status and time,
        never with ids, query strings or bodies.
    auth : {"keys", "off"}, default "keys"
        ``keys``: every ``/v1`` request needs a credential of a role (student, recruiter,
        operator; see :mod:`service.auth`), 401 without one and 403 outside its scope.
        ``off``: no roles; only ``api_key`` and ``operator_api_key`` are checked, when set
        (a closed network, tests).
    operator_token : str, optional
        The bootstrap operator credential (``gm_<key id>_<secret>``), stored hashed at the
        first start when no operator credential exists; without it one is generated and
        printed once. Set with ``GRADMATCH_OPERATOR_TOKEN``.
    posting_check : {"off", "reject", "hold"}, default "off"
        What ``POST /v1/jobs`` does with a posting the fair-recruitment check flags: store it
        as any other (``off``), refuse it with 422 naming each flag (``reject``), or keep it
        back for an operator to release or drop (``hold``; answered 202). Set with
        ``GRADMATCH_POSTING_CHECK``.

    Examples
    --------
    >>> Settings(engine_dir="/tmp/engine", port=8080).port
    8080
    """

    # GRADMATCH_* environment variables, or lines of a .env-style file given as
    # GRADMATCH_SETTINGS_FILE (the environment wins)
    model_config = SettingsConfigDict(
        env_prefix="GRADMATCH_",
        extra="forbid",
        env_file=os.environ.get("GRADMATCH_SETTINGS_FILE"),
        env_file_encoding="utf-8",
    )

    engine_dir: Path | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    api_key: str | None = None
    operator_api_key: str | None = None
    save_on_write: bool = False
    snapshot_interval: float = Field(default=60.0, ge=0, le=86_400)
    max_batch: int = Field(default=1000, ge=1)
    posting_check: Literal["off", "reject", "hold"] = "off"
    auth: Literal["keys", "off"] = "keys"
    rate_limit: int = Field(default=600, ge=0)
    log_format: Literal["json", "text"] = "json"
    operator_token: str | None = None
