"""Normalisation of Chinese and English text, and the lookup key of a vocabulary term."""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["ascii_lower", "is_cjk", "normalize_text", "term_key"]

_WHITESPACE = re.compile(r"[^\S\n]+")
_LINE_BREAKS = re.compile(r"\s*\n\s*")
_SEPARATORS = re.compile(r"[\s\-_]+")
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def normalize_text(text: str) -> str:
    """Fold full-width characters to half-width (NFKC) and collapse runs of whitespace.

    A run of whitespace becomes one space, or one line break when it holds a line break, so
    that line structure (one item a line in a resume) survives for the extractors.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The normalised text, stripped at both ends.

    Raises
    ------
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> normalize_text("Ｐｙｔｈｏｎ，   机器学习 ")
    'Python, 机器学习'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    folded = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFKC", text))
    return _WHITESPACE.sub(" ", folded).strip()


def ascii_lower(text: str) -> str:
    """Lower-case ASCII letters only, so that offsets in the result match offsets in ``text``.

    Examples
    --------
    >>> ascii_lower("Java开发")
    'java开发'
    >>> ascii_lower("İ Java")  # "İ".lower() is two characters: only ASCII is lowered
    'İ java'
    """
    lowered = text.lower()
    # str.lower may lengthen a few non-ASCII letters (İ -> i̇); offsets must stay aligned.
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


def term_key(term: str) -> str:
    """The lookup key of a term: NFKC, ASCII lower case, no spaces, hyphens or underscores.

    Examples
    --------
    >>> term_key("Machine-Learning") == term_key("machine learning") == term_key("MachineLearning")
    True
    """
    if not isinstance(term, str):
        raise TypeError(f"text must be a str, got {type(term).__name__}")
    return _term_key(term)


@functools.lru_cache(maxsize=1 << 15)
def _term_key(term: str) -> str:
    # vocabulary lookups ask for the same few thousand names over and over
    return _SEPARATORS.sub("", ascii_lower(normalize_text(term)))


def is_cjk(char: str) -> bool:
    """Whether ``char`` (one character) is a CJK ideograph.

    Examples
    --------
    >>> is_cjk("数"), is_cjk("a")
    (True, False)
    """
    return bool(char) and ("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff")
