"""Field coercion for the records: each helper names the field and what is allowed."""

from __future__ import annotations

import contextvars
import enum
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields, is_dataclass
from datetime import date, datetime, timezone
from typing import Any, TypeVar

from matching.errors import ValidationError
from matching.records.choices import Choice

R = TypeVar("R")

__all__ = [
    "ID_GRAMMAR",
    "ID_PATTERN",
    "MAX_ID_CHARS",
    "MAX_LIST_ITEMS",
    "MAX_TEXT_CHARS",
    "check_keys",
    "enum_tuple",
    "id_field",
    "opt_bool",
    "opt_date",
    "opt_datetime",
    "opt_number",
    "opt_str",
    "str_tuple",
    "stored",
    "text_field",
    "to_plain",
]

MAX_TEXT_CHARS = 50_000
MAX_LIST_ITEMS = 200
MAX_ID_CHARS = 128


#: What an id may be, as errors and the docs state it.
ID_GRAMMAR = (
    f"1 to {MAX_ID_CHARS} characters, no slash or backslash, no control characters "
    "(an id is one segment of a URL path)"
)
_SURROGATES = re.compile(r"[\ud800-\udfff]")
# The characters an id may hold, as a regular-expression class (the schema states it too).
_ID_CHARS = r"[^/\\\x00-\x1f\x7f-\x9f]"
#: The id grammar as a pattern of a whole id (the length is checked apart).
ID_PATTERN = f"^{_ID_CHARS}+$"
_NOT_IN_IDS = re.compile("[" + _ID_CHARS[2:])


def _valid_unicode(value: str, name: str) -> str:
    """``value`` if it holds no lone surrogate (text that no UTF-8 encoder can write)."""
    if not value.isascii():
        bad = _SURROGATES.search(value)
        if bad:
            raise ValidationError(
                name,
                f"holds an unpaired surrogate (U+{ord(bad.group()):04X}) at character "
                f"{bad.start()}; text must be valid Unicode",
            )
    return value


# True while records are rebuilt from a store: ids stored before the id grammar existed load.
_STORED: contextvars.ContextVar[bool] = contextvars.ContextVar("stored", default=False)


def stored(factory: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """``factory(*args, **kwargs)`` for a record read back from a store.

    Such a record was validated when it came in; only the id grammar (younger than some
    stores) is not checked again, so an engine saved earlier still loads.
    """
    token = _STORED.set(True)
    try:
        return factory(*args, **kwargs)
    finally:
        _STORED.reset(token)


def id_field(value: Any, name: str) -> str:
    """Return a stripped id of the grammar :data:`ID_GRAMMAR`."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(name, f"got {value!r}; a non-empty string is required")
    value = _valid_unicode(value.strip(), name)
    if len(value) > MAX_ID_CHARS:
        raise ValidationError(name, f"got {len(value)} characters; at most {MAX_ID_CHARS} allowed")
    bad = None if _STORED.get() else _NOT_IN_IDS.search(value)
    if bad:
        raise ValidationError(
            name, f"got {value!r}, which holds {bad.group()!r}; an id is {ID_GRAMMAR}"
        )
    return value


def text_field(value: Any, name: str, *, required: bool = False) -> str:
    """Return stripped text (``None`` reads as empty) of at most :data:`MAX_TEXT_CHARS` characters.

    With ``required``, an empty or blank text is refused.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(name, f"got {type(value).__name__}; a string is required")
    if len(value) > MAX_TEXT_CHARS:
        raise ValidationError(name, f"got {len(value)} characters; at most {MAX_TEXT_CHARS}")
    if required and not value.strip():
        raise ValidationError(name, "is empty; a non-empty text is required")
    return _valid_unicode(value.strip(), name)


def opt_str(value: Any, name: str) -> str | None:
    """Return a stripped short string (at most 200 characters), or ``None`` for null or blank."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(name, f"got {type(value).__name__}; a string or null is required")
    value = _valid_unicode(value.strip(), name)
    if len(value) > 200:
        raise ValidationError(name, f"got {len(value)} characters; at most 200 allowed")
    return value or None


def str_tuple(value: Any, name: str) -> tuple[str, ...]:
    """Return the distinct non-blank strings of a list, in order.

    A single string is split at commas (ASCII or full-width) and 、, as CSV exports give them.
    """
    if value is None:
        return ()
    if isinstance(value, str):
        # A single comma/、-separated string is a common CSV export; split it.
        value = list(value.replace("、", ",").replace("，", ",").split(","))
    if not isinstance(value, Iterable):
        raise ValidationError(name, f"got {type(value).__name__}; a list of strings is required")
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise ValidationError(
                f"{name}[{i}]", f"got {type(item).__name__}; a string is required"
            )
        item = _valid_unicode(item.strip(), f"{name}[{i}]")
        if item and item not in out:
            out.append(item)
    if len(out) > MAX_LIST_ITEMS:
        raise ValidationError(name, f"got {len(out)} items; at most {MAX_LIST_ITEMS} allowed")
    return tuple(out)


def opt_number(value: Any, name: str, *, lo: float, hi: float, integer: bool = False) -> Any:
    """Return a number within ``[lo, hi]``, or ``None`` for null or an empty string.

    Numeric strings are accepted. With ``integer``, a string must be an integer literal and a
    float must be whole; the result is an ``int``. NaN and infinities are refused.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value) if not integer else int(str(value).strip())
        except (TypeError, ValueError):
            kind = "an integer" if integer else "a number"
            raise ValidationError(name, f"got {value!r}; {kind} is required") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(name, f"got {value!r}; a finite number is required")
    if integer and isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(name, f"got {value!r}; an integer is required")
        value = int(value)
    if not lo <= value <= hi:
        raise ValidationError(name, f"got {value!r}; allowed range is {lo:g} to {hi:g}")
    return value


def opt_bool(value: Any, name: str, default: bool | None) -> bool | None:
    """Return a boolean from a bool, 0/1, or true/false, yes/no, 是/否; ``default`` for null."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if value in (0, 1) and not isinstance(value, float):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in {
        "true",
        "false",
        "yes",
        "no",
        "是",
        "否",
    }:
        return value.strip().lower() in {"true", "yes", "是"}
    raise ValidationError(name, f"got {value!r}; true or false is required")


def opt_date(value: Any, name: str) -> date | None:
    """Return a date from a date, a datetime or an ISO 8601 string; ``None`` for null or empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ValidationError(name, f"got {value!r}; an ISO 8601 date (YYYY-MM-DD) is required")


def opt_datetime(value: Any, name: str) -> datetime | None:
    """Return a timezone-aware datetime from a datetime or an ISO 8601 string; naive means UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(
                name, f"got {value!r}; an ISO 8601 timestamp is required"
            ) from None
    else:
        raise ValidationError(name, f"got {value!r}; an ISO 8601 timestamp is required")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def enum_tuple(value: Any, name: str, choice: type[Choice]) -> tuple[Any, ...]:
    """Return the distinct members of ``choice`` named by a list or a comma-separated string."""
    items = str_tuple(value, name) if not isinstance(value, (list, tuple)) else value
    out = []
    for i, item in enumerate(items):
        member = choice.parse(item, f"{name}[{i}]")
        if member not in out:
            out.append(member)
    return tuple(out)


def check_keys(data: Mapping[str, Any], allowed: Iterable[str], kind: str) -> None:
    """Refuse a non-mapping or a key outside ``allowed``; ``kind`` names the record."""
    if not isinstance(data, Mapping):
        raise ValidationError(kind, f"got {type(data).__name__}; a JSON object is required")
    allowed = set(allowed)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationError(
            unknown[0], f"is not a {kind} field; allowed fields are {', '.join(sorted(allowed))}"
        )


def to_plain(record: Any) -> dict[str, Any]:
    """JSON-ready dict of a record: enums to values, dates to ISO strings, tuples to lists."""
    return {f.name: _jsonable(getattr(record, f.name)) for f in fields(record)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (str, int, float)) or value is None:
        return value
    if is_dataclass(value) and not isinstance(value, type):
        return to_plain(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value
