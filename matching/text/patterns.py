"""One regular expression for a whole word list, shaped as a trie.

Vocabularies of thousands of terms (skills, majors, cities) scan a text once with it instead of
once per term, and the longest term wins at each position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from matching.text.normalize import ascii_lower, normalize_text

__all__ = ["term_pattern"]

_WHITESPACE = re.compile(r"[^\S\n]+")
_LATIN = re.compile(r"[a-z0-9]")
# A single letter such as "r" or "c" is not a skill before +, #, &, a digit, or 端/轮/类/级/盘/证
# ("C端", "C轮", "C类").
_SINGLE_LETTER_END = r"(?![a-z0-9+#&]|/s(?![a-z])|[端轮类级盘证])"


def term_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """Compile one regular expression that finds any of ``terms`` in a lower-cased text.

    The alternation is shaped as a trie, so a scan costs about the same for ten terms or ten
    thousand, and at each position the longest term wins. Terms are matched on
    :func:`~matching.text.ascii_lower` output of :func:`~matching.text.normalize_text`; a
    space, hyphen or underscore inside a term matches any one of those or nothing. A term that
    starts (ends) with a Latin letter or digit does not match right after (before) another
    Latin letter or digit, so ``java`` is not found inside ``javascript``; a single letter such
    as ``r`` or ``c`` is held to stricter edges (not before ``+``, ``#``, ``&``, a digit, or
    端/轮/类/级/盘/证 as in "C端", "C轮").

    Parameters
    ----------
    terms : iterable of str
        Surface forms; they are normalised and lower-cased here.

    Returns
    -------
    re.Pattern
        Use ``pattern.finditer(ascii_lower(normalize_text(text)))``; look matches up with
        :func:`~matching.text.term_key`.

    Raises
    ------
    ValueError
        If ``terms`` holds no non-empty term.

    Examples
    --------
    >>> pattern = term_pattern(["java", "javascript", "机器学习"])
    >>> [m.group() for m in pattern.finditer("熟悉javascript和机器学习")]
    ['javascript', '机器学习']
    """
    trie: dict[str, Any] = {}
    for term in terms:
        surface = _WHITESPACE.sub(" ", ascii_lower(normalize_text(term)))
        if not surface:
            continue
        node = trie
        for char in surface:
            node = node.setdefault(char, {})
        node[""] = len(surface)
    if not trie:
        raise ValueError("terms must hold at least one non-empty term")
    return re.compile(_trie_regex(trie, depth=0))


def _trie_regex(node: dict[str, Any], depth: int, last: str = "") -> str:
    branches = []
    for char in sorted(k for k in node if k):
        if char in " -_":
            head = r"[ \-_]?"
        else:
            head = re.escape(char)
            if depth == 0 and (_LATIN.match(char) or char == "."):
                # The edge check comes after the first literal, so every branch still starts
                # with a literal and the regex engine can skip branches and positions fast.
                head += r"(?<![a-z0-9].)"
        branches.append(head + _trie_regex(node[char], depth + 1, char))
    if "" in node:
        # Longer continuations come first, so the engine prefers the longest term here.
        if _LATIN.match(last):
            branches.append(_SINGLE_LETTER_END if node[""] == 1 else r"(?![a-z])")
        else:
            branches.append("")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"
