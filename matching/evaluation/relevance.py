"""Graded relevance judgements: ``candidate_id,job_id,relevance`` rows from a CSV file."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from matching.errors import ValidationError

__all__ = ["read_relevance"]


def read_relevance(path: str | Path) -> dict[tuple[str, str], float]:
    """Read ``candidate_id,job_id,relevance`` rows; relevance >= 1 means relevant.

    Raises
    ------
    ValidationError
        A missing column, or a relevance that is not a finite number >= 0 (the line is named).
    """
    path = Path(path)
    if not path.is_file():
        raise ValidationError("relevant", f"no such file: {path}")
    out: dict[tuple[str, str], float] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        needed = {"candidate_id", "job_id", "relevance"}
        if reader.fieldnames is None or not needed <= set(reader.fieldnames):
            raise ValidationError(
                f"{path.name}:1",
                f"header is {reader.fieldnames!r}; required columns are "
                "candidate_id,job_id,relevance",
            )
        for n, row in enumerate(reader, start=2):
            cid, jid = (row["candidate_id"] or "").strip(), (row["job_id"] or "").strip()
            if not cid or not jid:
                raise ValidationError(f"{path.name}:{n}", "candidate_id and job_id are required")
            try:
                rel = float(row["relevance"])
            except (TypeError, ValueError):
                raise ValidationError(
                    f"{path.name}:{n}: relevance", f"got {row['relevance']!r}; a number is required"
                ) from None
            if not math.isfinite(rel) or rel < 0:
                raise ValidationError(
                    f"{path.name}:{n}: relevance", f"got {rel!r}; a finite number >= 0 is required"
                )
            out[(cid, jid)] = max(rel, out.get((cid, jid), 0.0))
    return out
