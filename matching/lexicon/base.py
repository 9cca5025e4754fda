"""The shape every vocabulary shares: entries, aliases, one scan pattern, a shipped default.

Skills, majors and cities are each a :class:`Lexicon`: canonical entries read from a TSV file,
each with surface forms (its name and aliases, Chinese and English) that map to it through
:func:`~matching.text.term_key`, one trie-shaped pattern that finds every form in a single pass
over a text, and a default instance loaded from ``matching/data`` once per process. A subclass
says how a row becomes an entry and which forms an entry has; lookup, loading and scanning live
here once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from matching.paths import DATA_DIR
from matching.text import ascii_lower, normalize_text, term_key, term_pattern

__all__ = ["Lexicon", "split_list"]

E = TypeVar("E")
L = TypeVar("L", bound="Lexicon[Any]")


def split_list(cell: str) -> tuple[str, ...]:
    """The non-blank items of a ``|``-separated TSV cell."""
    return tuple(part.strip() for part in cell.split("|") if part.strip())


class Lexicon(Generic[E]):
    """Canonical entries with alias lookup and single-pass scanning.

    Parameters
    ----------
    entries : iterable
        The entries; a surface form claimed by two different entries is an error.

    Raises
    ------
    TypeError
        An entry is not of the lexicon's entry type.
    ValueError
        There are no entries, an entry is invalid, or a surface form is ambiguous.
    """

    #: What one entry is called in messages ("skill", "major", "city").
    kind: ClassVar[str] = "entry"
    #: The entry class.
    entry_type: ClassVar[type]
    #: Column names of the TSV file (its header line, skipped when present).
    columns: ClassVar[tuple[str, ...]] = ()
    #: File of the shipped default, in ``matching/data``.
    default_file: ClassVar[str] = ""
    #: Suffixes that :meth:`get` strips when a name is not known as written ("Java开发").
    strip_suffixes: ClassVar[tuple[str, ...]] = ()
    #: Whether a line may leave out empty trailing columns.
    pad_missing_columns: ClassVar[bool] = False

    _defaults: ClassVar[dict[type, Any]] = {}
    _defaults_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, entries: Iterable[E]) -> None:
        self._entries: dict[str, E] = {}
        self._surfaces: dict[str, E] = {}
        for entry in entries:
            if not isinstance(entry, self.entry_type):
                raise TypeError(
                    f"{self.kind} entries must be {self.entry_type.__name__} objects, got "
                    f"{type(entry).__name__}"
                )
            self._check(entry)
            self._entries[self.name_of(entry)] = entry
            for form in self.forms_of(entry):
                key = term_key(form) if form else ""
                if key:
                    self._register(key, form, entry)
        if not self._entries:
            raise ValueError(f"{self.kind} entries must hold at least one entry")
        self._pattern = term_pattern(self.pattern_forms())

    # -- what a subclass says ---------------------------------------------------------------

    @staticmethod
    def name_of(entry: Any) -> str:
        """The canonical name of an entry."""
        return str(entry.name)

    def forms_of(self, entry: E) -> Sequence[str]:
        """Every surface form of an entry: its name and its aliases."""
        return (self.name_of(entry), *getattr(entry, "aliases", ()))

    def _check(self, entry: E) -> None:
        """Refuse an invalid entry with a ``ValueError``; nothing is checked by default."""

    @classmethod
    def from_row(cls, cols: list[str]) -> E:
        """Build one entry from the columns of a TSV line."""
        raise NotImplementedError

    def pattern_forms(self) -> list[str]:
        """The forms the scan pattern finds: every entry's forms by default."""
        return [f for e in self._entries.values() for f in self.forms_of(e) if f]

    def _register(self, key: str, form: str, entry: E) -> None:
        known = self._surfaces.get(key)
        if known is not None and self.name_of(known) != self.name_of(entry):
            raise ValueError(
                f"alias {form!r} of {self.kind} {self.name_of(entry)!r} already names "
                f"{self.kind} {self.name_of(known)!r}; each alias must name one {self.kind}"
            )
        self._surfaces[key] = entry

    def _fallback(self, cleaned: str) -> E | None:
        """The entry of a name that is neither a form nor a form plus a suffix; none by default."""
        return None

    # -- loading ----------------------------------------------------------------------------

    @classmethod
    def from_tsv(cls: type[L], path: str | Path) -> L:
        """Read a lexicon file: tab-separated :attr:`columns`, ``#`` comments, ``|`` in lists.

        Raises
        ------
        ValueError
            If a line does not have the expected number of columns (the line is named).
        """
        entries = []
        text = Path(path).read_text(encoding="utf-8")
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = [c.strip() for c in line.split("\t")]
            if tuple(cols) == cls.columns:
                continue
            if cls.pad_missing_columns and len(cols) < len(cls.columns):
                cols += [""] * (len(cls.columns) - len(cols))
            if len(cols) != len(cls.columns):
                raise ValueError(
                    f"{path}:{lineno}: expected {len(cls.columns)} tab-separated columns "
                    f"({', '.join(cls.columns)}), got {len(cols)}"
                )
            entries.append(cls.from_row(cols))
        return cls(entries)

    @classmethod
    def default(cls: type[L]) -> L:
        """The shipped lexicon, loaded once per process."""
        found = Lexicon._defaults.get(cls)
        if found is None:
            with Lexicon._defaults_lock:
                found = Lexicon._defaults.get(cls)
                if found is None:
                    found = cls.from_tsv(DATA_DIR / cls.default_file)
                    Lexicon._defaults[cls] = found
        return found  # type: ignore[no-any-return]

    # -- lookup -----------------------------------------------------------------------------

    @property
    def names(self) -> tuple[str, ...]:
        """All canonical names, in file order."""
        return tuple(self._entries)

    def get(self, name: str) -> E | None:
        """The entry for a canonical name or alias (any case, any width), or ``None``.

        A name that is a known form plus one of :attr:`strip_suffixes` finds that form's entry.
        """
        if not isinstance(name, str):
            return None
        found = self._surfaces.get(term_key(name))
        if found is not None:
            return found
        cleaned = normalize_text(name)
        for suffix in self.strip_suffixes:
            if cleaned.endswith(suffix) and len(cleaned) > len(suffix):
                found = self._surfaces.get(term_key(cleaned[: -len(suffix)]))
                if found is not None:
                    return found
        return self._fallback(cleaned)

    def normalize(self, name: str) -> str:
        """Canonical name of ``name``; an unknown name comes back cleaned (NFKC, stripped).

        Raises
        ------
        TypeError
            If ``name`` is not a string.
        """
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, got {type(name).__name__}")
        entry = self.get(name)
        return self.name_of(entry) if entry is not None else normalize_text(name)

    def scan(self, lowered: str) -> Iterator[tuple[int, int, str, E]]:
        """Every form found in a lower-cased, normalised text: ``(start, end, key, entry)``.

        ``lowered`` is ``ascii_lower(normalize_text(text))``; matches are the longest forms at
        each position, left to right, without overlaps.
        """
        for match in self._pattern.finditer(lowered):
            key = term_key(match.group())
            entry = self._surfaces.get(key)
            if entry is not None:
                yield match.start(), match.end(), key, entry

    @staticmethod
    def lowered(text: str) -> str:
        """The form of a text that :meth:`scan` reads."""
        return ascii_lower(normalize_text(text))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[E]:
        return iter(self._entries.values())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} {self.kind}s)"
