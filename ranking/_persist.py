"""Atomic, pickle-free persistence helpers for the scorers.

A saved model is a directory holding ``config.json`` (with ``format_version``
and ``kind``) plus whatever native files the model needs.  The directory is
built in a temporary sibling, every file is fsynced, and only then is it moved
into place with :func:`os.replace`, so a crash never leaves a half-written model
under the target name.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import ModelFormatError

CONFIG_NAME = "config.json"

# Length of the hex content hashes used as ``model_version_``: 48 bits is plenty
# to tell models apart in logs and audit records while staying readable.
VERSION_HEX_CHARS = 12


def content_hash(text: str) -> str:
    """Short SHA-256 hex digest of ``text`` (UTF-8), used as a model version."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:VERSION_HEX_CHARS]


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for path in sorted(root.rglob("*"), reverse=True):
        _fsync_path(path)
    _fsync_path(root)


def write_text(path: Path, text: str) -> None:
    r"""Write ``text`` as UTF-8 with ``\n`` newlines whatever the platform."""
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def write_json(path: Path, payload: dict[str, Any]) -> None:
    """Write ``payload`` as indented, key-sorted JSON (stable diffs, readable audits)."""
    write_text(path, json.dumps(payload, indent=2, sort_keys=True, allow_nan=False) + "\n")


def atomic_save_dir(target: str | os.PathLike[str], fill: Callable[[Path], None]) -> Path:
    """Create directory ``target`` atomically, with ``fill(tmp_dir)`` writing its files.

    Parameters
    ----------
    target : str or os.PathLike
        Directory to create.  If it exists it must be a directory previously written
        by a ``save`` (it contains ``config.json``) or empty; it is then replaced.
    fill : callable
        Receives the temporary directory and writes every file of the model into it.

    Returns
    -------
    pathlib.Path
        The target path.
    """
    target_path = Path(os.fspath(target))
    if target_path.exists():
        if not target_path.is_dir():
            raise ValueError(f"path must be a directory, got existing file {str(target_path)!r}")
        # Refuse to clobber an unrelated non-empty directory: a typo in a path
        # must not delete someone's data.
        if any(target_path.iterdir()) and not (target_path / CONFIG_NAME).is_file():
            raise ValueError(
                f"path {str(target_path)!r} exists and is not a saved model directory "
                f"(no {CONFIG_NAME}); choose a new or empty directory"
            )
    parent = target_path.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target_path.name}.tmp-", dir=parent))
    try:
        fill(tmp)
        _fsync_tree(tmp)
        if target_path.exists():
            # os.replace cannot overwrite a non-empty directory, so the old copy is
            # moved aside first and removed only after the new one is in place.
            old = Path(tempfile.mkdtemp(prefix=f".{target_path.name}.old-", dir=parent))
            os.replace(target_path, old / "model")
            try:
                os.replace(tmp, target_path)
            except BaseException:
                os.replace(old / "model", target_path)
                raise
            finally:
                shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target_path)
        _fsync_path(parent)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target_path


def read_config(
    source: str | os.PathLike[str], *, kind: str, supported_versions: frozenset[int]
) -> tuple[Path, dict[str, Any]]:
    """Read and check ``config.json`` of a saved model directory.

    Returns
    -------
    tuple of (pathlib.Path, dict)
        The directory and the parsed configuration.

    Raises
    ------
    ModelFormatError
        If the file is missing or malformed, names another ``kind`` or an
        unsupported ``format_version``.
    """
    directory = Path(os.fspath(source))
    config_path = directory / CONFIG_NAME
    if not config_path.is_file():
        raise ModelFormatError(f"no {CONFIG_NAME} in {str(directory)!r}; not a saved model")
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFormatError(f"cannot read {str(config_path)!r}: {exc}") from exc
    if not isinstance(config, dict):
        raise ModelFormatError(f"{str(config_path)!r} must hold a JSON object")
    if config.get("kind") != kind:
        raise ModelFormatError(
            f"{str(directory)!r} holds a model of kind {config.get('kind')!r}, expected {kind!r}"
        )
    version = config.get("format_version")
    if version not in supported_versions:
        raise ModelFormatError(
            f"{str(directory)!r} has format_version {version!r}; "
            f"this code reads {sorted(supported_versions)}"
        )
    return directory, config


def read_kind(source: str | os.PathLike[str]) -> str:
    """Return the ``kind`` recorded in a saved model directory's ``config.json``."""
    directory = Path(os.fspath(source))
    try:
        config = json.loads((directory / CONFIG_NAME).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFormatError(f"cannot read {CONFIG_NAME} in {str(directory)!r}: {exc}") from exc
    kind = config.get("kind") if isinstance(config, dict) else None
    if not isinstance(kind, str):
        raise ModelFormatError(f"{CONFIG_NAME} in {str(directory)!r} has no 'kind'")
    return kind
