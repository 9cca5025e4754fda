"""Reading records from files: JSONL, JSON and CSV (gzipped or not), and schema.org ``JobPosting``.

Every record is validated; an error names the file, the line and the field.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from matching.errors import ValidationError
from matching.ingest.schema_org import job_from_schema_org
from matching.records import Candidate, Event, Job

__all__ = ["read_candidates", "read_events", "read_jobs", "read_records"]

R = TypeVar("R")


def read_records(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, mapping)`` from a ``.jsonl``, ``.json`` or ``.csv`` file (``.gz`` ok).

    Raises
    ------
    ValidationError
        A line that is not a JSON object, with the line number as the field.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    opener = gzip.open if path.suffix == ".gz" else open
    stem = path.name[:-3] if path.suffix == ".gz" else path.name
    with opener(path, "rt", encoding="utf-8-sig") as fh:  # type: ignore[operator]
        if stem.endswith(".csv"):
            for n, row in enumerate(csv.DictReader(fh), start=2):
                cells = {k: (v if v != "" else None) for k, v in row.items() if k}
                try:
                    yield n, _csv_cells(cells)
                except ValidationError as exc:
                    raise ValidationError(f"{path.name}:{n}: {exc.field}", exc.message) from None
        elif stem.endswith(".json"):
            data = json.load(fh)
            items = data if isinstance(data, list) else [data]
            for n, item in enumerate(items, start=1):
                yield n, item
        else:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValidationError(
                        f"{path.name}:{n}", f"is not valid JSON ({exc.msg})"
                    ) from None
                if not isinstance(item, dict):
                    raise ValidationError(f"{path.name}:{n}", "must be a JSON object")
                yield n, item


def _located(path: Path, n: int, exc: ValidationError) -> ValidationError:
    return ValidationError(f"{path.name}:{n}: {exc.field}", exc.message)


def read_jobs(path: str | Path) -> list[Job]:
    """Read and validate every job of a file; schema.org ``JobPosting`` objects are accepted."""

    def parse(item: dict[str, Any]) -> Job:
        if item.get("@type") == "JobPosting":
            return job_from_schema_org(item)
        return Job.from_dict(item)

    return _read_all(Path(path), parse)


def read_candidates(path: str | Path) -> list[Candidate]:
    """Read and validate every candidate of a file."""
    return _read_all(Path(path), Candidate.from_dict)


def read_events(path: str | Path) -> list[Event]:
    """Read and validate every event of a file."""
    return _read_all(Path(path), Event.from_dict)


def _read_all(path: Path, parse: Callable[[dict[str, Any]], R]) -> list[R]:
    """Parse every record of a file; an error names the file, the line and the field."""
    out = []
    for n, item in _records(path):
        try:
            out.append(parse(item))
        except ValidationError as exc:
            raise _located(path, n, exc) from None
    return out


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, item in read_records(path):
        if not isinstance(item, dict):
            raise ValidationError(f"{path.name}:{n}", "must be a JSON object")
        yield n, item


# Fields that hold lists; only in a CSV cell are they written as text ("a|b" or JSON).
_LIST_FIELDS = frozenset(
    {
        "skills",
        "desired_cities",
        "desired_job_types",
        "preferred_majors",
        "required_skills",
        "preferred_skills",
        "hardship",
    }
)


def _csv_cells(item: dict[str, Any]) -> dict[str, Any]:
    """Turn the text cells of a CSV row that stand for lists or objects into them."""
    out = dict(item)
    for key, value in item.items():
        if not isinstance(value, str):
            continue
        if key == "sensitive":
            try:
                out[key] = json.loads(value)
            except json.JSONDecodeError:
                raise ValidationError(
                    "sensitive", 'a CSV cell must hold a JSON object, e.g. {"gender": "female"}'
                ) from None
        elif key in _LIST_FIELDS:
            if value.startswith("[") and value.endswith("]"):
                with contextlib.suppress(json.JSONDecodeError):
                    out[key] = json.loads(value)
                    continue
            out[key] = value.split("|")
    return out
