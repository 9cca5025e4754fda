"""A finding of the posting check, and the normal form its text is matched on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matching.compliance.rules import Category

__all__ = ["Flag", "fold"]


@dataclass(frozen=True, slots=True)
class Flag:
    """One finding of the check.

    Attributes
    ----------
    rule : str
        The rule that fired (``gender``, ``age``, ``marital_status``, ``ethnicity``,
        ``household_registration``, ``health``, ``appearance``, ``school_tier``, ``fee``,
        ``private_contact``, ``pay_outlier``).
    category : {"discrimination", "fraud"}
    span : str
        The exact text flagged, as it stands in ``field``.
    field : str
        ``title`` or ``description``.
    start, end : int
        Offsets of ``span`` in that field's text.
    message : str
        Why it is flagged (in the posting's language).
    suggestion : str
        How to fix it.
    """

    rule: str
    category: Category
    span: str
    field: str
    start: int
    end: int
    message: str
    suggestion: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "rule": self.rule,
            "category": self.category,
            "span": self.span,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
        }


def fold(text: str) -> str:
    """The text's normal form for matching, of the same length: full-width ASCII folded, lower."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        elif ch == "\u3000":
            ch = " "
        out.append(ch.lower() if ch.isascii() else ch)
    return "".join(out)
