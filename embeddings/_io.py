"""Atomic, pickle-free persistence of artefact directories.

An artefact is a directory holding ``config.json`` (with ``format_version`` and ``kind``) plus
``.npy`` arrays and, for the vector index, a FAISS file. :func:`atomic_directory` writes it
into a temporary sibling and only moves it into place once every file is fsynced, so a crash
never leaves a half-written artefact under the target name.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from .errors import IncompatibleFormatError

__all__ = [
    "CONFIG_FILE",
    "atomic_directory",
    "load_array",
    "read_config",
    "save_array",
    "write_config",
]

CONFIG_FILE = "config.json"


def _fsync_path(path: Path) -> None:
    # Directories need fsync too, or a rename can be lost on power failure.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_replaceable(target: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise FileExistsError(f"directory {str(target)!r} exists and is not a directory")
    if any(target.iterdir()) and not (target / CONFIG_FILE).is_file():
        # Replacing the directory would delete whatever the user keeps there.
        raise FileExistsError(
            f"directory {str(target)!r} is not empty and holds no {CONFIG_FILE}; refusing to "
            "replace it (save into a new or empty directory)"
        )


@contextlib.contextmanager
def atomic_directory(directory: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary directory that replaces ``directory`` when the block succeeds.

    An existing ``directory`` is replaced only if it is empty or is itself an artefact (holds
    ``config.json``); anything else raises :class:`FileExistsError` before writing. If the
    block raises, the temporary directory is removed and ``directory`` is left untouched.
    Replacing an existing directory takes two renames; a crash between them leaves the previous
    version beside it as ``.<name>.old-<hex>``.
    """
    target = Path(directory).expanduser().absolute()
    _check_replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # mkdir (unlike tempfile.mkdtemp's 0700) honours the umask, so a service running as
    # another user can still read what was saved.
    tmp = target.parent / f".{target.name}.tmp-{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        yield tmp
        for path in tmp.rglob("*"):
            _fsync_path(path)
        _fsync_path(tmp)
        if target.exists():
            # os.replace cannot overwrite a non-empty directory: move the old one aside first,
            # and put it back if the new one cannot take its place.
            old = target.parent / f".{target.name}.old-{uuid.uuid4().hex}"
            os.replace(target, old)
            try:
                os.replace(tmp, target)
            except BaseException:
                os.replace(old, target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
        _fsync_path(target.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_config(directory: Path, config: dict[str, Any]) -> None:
    """Write ``config`` as ``config.json`` inside ``directory``."""
    with open(directory / CONFIG_FILE, "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")


def read_config(
    directory: str | os.PathLike[str], kind: str, supported_versions: tuple[int, ...]
) -> dict[str, Any]:
    """Read ``config.json`` and check its ``kind`` and ``format_version``.

    Raises
    ------
    FileNotFoundError
        If ``directory`` or its ``config.json`` does not exist.
    IncompatibleFormatError
        If the file is not valid JSON, is of another kind, or has an unsupported version.
    """
    path = Path(directory).expanduser() / CONFIG_FILE
    if not path.is_file():
        raise FileNotFoundError(f"no {CONFIG_FILE} in {str(path.parent)!r}; not a saved {kind}")
    try:
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    except json.JSONDecodeError as exc:
        raise IncompatibleFormatError(f"{str(path)!r} is not valid JSON: {exc}") from exc
    if not isinstance(config, dict) or config.get("kind") != kind:
        found = config.get("kind") if isinstance(config, dict) else None
        raise IncompatibleFormatError(
            f"{str(path.parent)!r} holds a saved {found!r}, not a {kind!r}"
        )
    version = config.get("format_version")
    if version not in supported_versions:
        raise IncompatibleFormatError(
            f"{str(path.parent)!r} has format_version {version!r}; this version of gradmatch "
            f"reads {', '.join(map(str, supported_versions))}"
        )
    return config


def save_array(directory: Path, name: str, array: np.ndarray) -> None:
    """Save ``array`` as ``<name>.npy`` inside ``directory`` (never pickled)."""
    np.save(directory / f"{name}.npy", array, allow_pickle=False)


def load_array(directory: str | os.PathLike[str], name: str) -> np.ndarray:
    """Load ``<name>.npy`` from ``directory`` with pickling disabled."""
    path = Path(directory).expanduser() / f"{name}.npy"
    if not path.is_file():
        raise FileNotFoundError(f"saved array {str(path)!r} is missing")
    return np.load(path, allow_pickle=False)
