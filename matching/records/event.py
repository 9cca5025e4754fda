"""An interaction between a candidate and a job: view, apply, interview, offer or hire."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from matching.errors import ValidationError
from matching.records.choices import EventType
from matching.records.fields import check_keys, id_field, opt_datetime, to_plain

__all__ = ["Event"]


@dataclass(frozen=True, slots=True)
class Event:
    """An interaction between a candidate and a job."""

    candidate_id: str
    job_id: str
    type: EventType
    timestamp: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "candidate_id", id_field(self.candidate_id, "candidate_id"))
        object.__setattr__(self, "job_id", id_field(self.job_id, "job_id"))
        object.__setattr__(self, "type", EventType.parse(self.type, "type"))
        object.__setattr__(self, "timestamp", opt_datetime(self.timestamp, "timestamp"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        """Build an event from a JSON-like mapping; candidate, job and type are required."""
        check_keys(data, (f.name for f in fields(cls)), "event")
        for name in ("candidate_id", "job_id", "type"):
            if name not in data:
                raise ValidationError(name, "is missing; events need candidate_id, job_id, type")
        kwargs = dict(data)
        for name in ("candidate_id", "job_id"):
            if isinstance(kwargs[name], int) and not isinstance(kwargs[name], bool):
                kwargs[name] = str(kwargs[name])
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping: the type as its value, the timestamp as an ISO string."""
        return to_plain(self)
