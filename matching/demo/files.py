"""Where the bundled demo files live, and a reader for them.

The files are ``jobs.jsonl.gz``, ``candidates.jsonl.gz`` and ``events.jsonl.gz`` (one JSON
record a line, with exactly the fields of :class:`~matching.records.Job`,
:class:`~matching.records.Candidate` and :class:`~matching.records.Event`) and ``summary.json``
(counts and distributions). They are built by ``python -m matching.demo.build``.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

__all__ = ["DEMO_DATA_DIR", "DEMO_FILES", "iter_demo_records", "read_demo_records"]

#: Folder of the bundled demo files.
DEMO_DATA_DIR = Path(__file__).resolve().parent / "data"

#: Record kind -> file name.
DEMO_FILES = {
    "jobs": "jobs.jsonl.gz",
    "candidates": "candidates.jsonl.gz",
    "events": "events.jsonl.gz",
}

Kind = Literal["jobs", "candidates", "events"]


def iter_demo_records(kind: Kind, data_dir: Path = DEMO_DATA_DIR) -> Iterator[dict[str, Any]]:
    """Yield the records of one demo file as plain mappings, in file order.

    Parameters
    ----------
    kind : {"jobs", "candidates", "events"}
        Which file to read.
    data_dir : Path, default DEMO_DATA_DIR
        Folder holding the files.

    Yields
    ------
    dict
        One record; pass it to ``Job.from_dict`` (or the record class of ``kind``).

    Raises
    ------
    ValueError
        If ``kind`` is not one of the three kinds.
    FileNotFoundError
        If the file has not been built.
    """
    if kind not in DEMO_FILES:
        raise ValueError(f"kind: got {kind!r}; allowed values are {', '.join(DEMO_FILES)}")
    with gzip.open(Path(data_dir) / DEMO_FILES[kind], "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def read_demo_records(kind: Kind, data_dir: Path = DEMO_DATA_DIR) -> list[dict[str, Any]]:
    """All records of one demo file; see :func:`iter_demo_records`."""
    return list(iter_demo_records(kind, data_dir))
