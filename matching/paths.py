"""Where gradmatch keeps files of its own: bundled data, and a writable data home for caches."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DATA_DIR", "data_home"]

#: Read-only data that ships inside the package (vocabularies, demo data).
DATA_DIR = Path(__file__).resolve().parent / "data"


def data_home() -> Path:
    """Writable directory for caches (the jieba dictionary cache, for one).

    ``$GRADMATCH_HOME`` when set, else ``$XDG_DATA_HOME/gradmatch``, else
    ``~/.local/share/gradmatch``. Created on first use.
    """
    root = os.environ.get("GRADMATCH_HOME")
    if root:
        path = Path(root)
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "gradmatch"
    path.mkdir(parents=True, exist_ok=True)
    return path
