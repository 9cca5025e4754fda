"""Where the bundled demo files live, and a reader for them.

The files are ``jobs.jsonl.gz``, ``candidates.jsonl.gz`` and ``events.jsonl.gz`` (one JSON
record a line, with exactly the fields of :class:`~matching.records.Job`,
:class:`~matching.records.Candidate` and :class:`~matching.records.Event`) and ``summary.json``
(counts and distributions). They are built by ``python -m matching.demo.build``.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "DEMO_DATA_DIR",
    "DEMO_FILES",
    "demo_as_of",
    "iter_demo_records",
    "read_demo_records",
]

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


def demo_as_of(
    day: date,
    jobs: Sequence[dict[str, Any]],
    candidates: Sequence[dict[str, Any]],
    events: Sequence[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The demo records with every date moved so that the newest posting is of ``day``.

    The bundled files are fixed (they are rebuilt byte for byte); an engine built from them
    today should still have open postings. Posting dates, deadlines and event times move by
    the same number of days, so every interval between them is kept; graduation years move
    by the whole years of that shift.
    """
    posted = [date.fromisoformat(j["posted_at"]) for j in jobs if j.get("posted_at")]
    if not posted:
        return list(jobs), list(candidates), list(events)
    shift = day - max(posted)
    years = round(shift.days / 365.25)

    def moved(value: str | None) -> str | None:
        return None if value is None else (date.fromisoformat(value) + shift).isoformat()

    out_jobs = [
        {**j, "posted_at": moved(j.get("posted_at")), "deadline": moved(j.get("deadline"))}
        for j in jobs
    ]
    out_cands = [
        {**c, "graduation_year": c["graduation_year"] + years} if c.get("graduation_year") else c
        for c in candidates
    ]
    out_events = [
        {**e, "timestamp": (datetime.fromisoformat(e["timestamp"]) + shift).isoformat()}
        if e.get("timestamp")
        else e
        for e in events
    ]
    return out_jobs, out_cands, out_events
