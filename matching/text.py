"""Text normalisation and tokenisation for Chinese and English job and resume texts.

Chinese runs are segmented with jieba (precise mode); Latin runs are split by a regular
expression that keeps skill spellings such as ``C++``, ``C#``, ``.NET`` and ``Node.js`` whole.
Every term of the skill lexicon is registered with jieba as a user word, so multi-character
skills such as 机器学习 come out as one token. jieba is loaded lazily, once per process, under a
lock; its dictionary cache goes to :func:`matching.paths.data_home`, never the system temp folder.

The module also holds the lexicon helpers shared by :mod:`matching.skills`,
:mod:`matching.majors` and :mod:`matching.extract`: :func:`term_key` (the lookup key of a term)
and :func:`term_pattern` (one trie-shaped regular expression for a whole word list, so a text is
scanned once instead of once per term).
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from matching.paths import DATA_DIR, data_home

__all__ = ["ascii_lower", "is_cjk", "normalize_text", "term_key", "term_pattern", "tokenize"]

_WHITESPACE = re.compile(r"[^\S\n]+")
_LINE_BREAKS = re.compile(r"\s*\n\s*")
_SEPARATORS = re.compile(r"[\s\-_]+")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN = re.compile(r"[a-z0-9]")

# One token per match: a skill-like Latin word ("c++", "c#", ".net", "node.js"; "tcp/ip" splits
# at "/"), or a run of CJK characters handed on to jieba. Everything else (punctuation) is a gap.
# The tokenizer puts the lexicon's mixed-script terms ("ui设计", "c语言") in front of these.
_LATIN_WORD = r"(?P<latin>\.?[a-z0-9]+(?:[.\-_][a-z0-9]+)*(?:\+\+|#|\+)?)"
_CJK_RUN = rf"(?P<cjk>[{_CJK}]+)"
_NUMBER = re.compile(r"^[0-9.\-_+#]+$")


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
    """Lower-case ASCII letters only, so that offsets in the result match offsets in ``text``."""
    lowered = text.lower()
    # str.lower may lengthen a few non-ASCII letters (İ -> i̇); offsets must stay aligned.
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def term_key(term: str) -> str:
    """The lookup key of a lexicon term: NFKC, ASCII lower case, no spaces, hyphens or underscores.

    ``"Machine-Learning"``, ``"machine learning"`` and ``"MachineLearning"`` share one key.
    """
    return _SEPARATORS.sub("", ascii_lower(normalize_text(term)))


def is_cjk(char: str) -> bool:
    """Whether ``char`` (one character) is a CJK ideograph."""
    return bool(char) and ("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff")


def term_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """Compile one regular expression that finds any of ``terms`` in a lower-cased text.

    The alternation is shaped as a trie, so a scan costs about the same for ten terms or ten
    thousand, and at each position the longest term wins. Terms are matched on
    :func:`ascii_lower` output of :func:`normalize_text`; a space, hyphen or underscore inside a
    term matches any one of those or nothing. A term that starts (ends) with a Latin letter or
    digit does not match right after (before) another Latin letter or digit, so ``java`` is not
    found inside ``javascript``; a single letter such as ``r`` or ``c`` is held to stricter
    edges (not before ``+``, ``#``, ``&``, a digit, or 端/轮/类/级/盘/证 as in "C端", "C轮").

    Parameters
    ----------
    terms : iterable of str
        Surface forms; they are normalised and lower-cased here.

    Returns
    -------
    re.Pattern
        Use ``pattern.finditer(ascii_lower(normalize_text(text)))``; look matches up with
        :func:`term_key`.

    Raises
    ------
    ValueError
        If ``terms`` holds no non-empty term.
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


_SINGLE_LETTER_END = r"(?![a-z0-9+#&]|/s(?![a-z])|[端轮类级盘证])"


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


class _Jieba:
    """A lazily built jieba tokenizer with the skill lexicon loaded as user words."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: tuple[Callable[[str], tuple[str, ...]], re.Pattern[str]] | None = None

    def get(self) -> tuple[Callable[[str], tuple[str, ...]], re.Pattern[str]]:
        """A cached segmenter of CJK runs and the pattern that splits a text into runs."""
        state = self._state
        if state is not None:
            return state
        with self._lock:
            if self._state is None:
                self._state = self._build()
            return self._state

    @staticmethod
    def _build() -> tuple[Callable[[str], tuple[str, ...]], re.Pattern[str]]:
        import jieba

        from matching.skills import SkillVocabulary

        jieba.setLogLevel(logging.WARNING)  # jieba logs its start-up to stderr at DEBUG
        home = str(data_home())
        # A private tokenizer keeps our user words out of other code's jieba.dt; the default
        # one is pointed at data_home too, so nothing jieba caches lands in the temp folder.
        if not jieba.dt.initialized and jieba.dt.tmp_dir is None:
            jieba.dt.tmp_dir = home
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = home
        tokenizer.cache_file = "jieba.cache"
        tokenizer.initialize()
        vocab = SkillVocabulary.default()
        names = [ascii_lower(normalize_text(n)) for n in vocab.terms]
        cjk_names = [n for n in names if all(is_cjk(ch) for ch in n)]
        mixed = []
        for form in vocab.surface_forms():
            word = ascii_lower(normalize_text(form))
            if all(is_cjk(ch) for ch in word):
                # An alias that merely extends a skill name ("深度学习算法") is left to jieba,
                # so it yields the shared token 深度学习 rather than a token of its own.
                if word not in cjk_names and any(n in word for n in cjk_names):
                    continue
                # A frequency above most dictionary words keeps the term in one piece.
                tokenizer.add_word(word, freq=max(tokenizer.FREQ.get(word) or 0, 20000))
            elif _LATIN.match(word) and any(is_cjk(ch) for ch in word):
                mixed.append(word)
        parts = [_LATIN_WORD, _CJK_RUN]
        if mixed:
            parts.insert(0, f"(?P<mixed>{term_pattern(mixed).pattern})")

        # Postings repeat the same short phrases ("岗位职责", "良好的沟通能力"); caching the
        # segmentation of each run roughly halves the time over a corpus.
        @functools.lru_cache(maxsize=65536)
        def cut(run: str) -> tuple[str, ...]:
            return tuple(
                w for w in tokenizer.cut(run, cut_all=False, HMM=True) if w not in _STOPWORDS
            )

        return cut, re.compile("|".join(parts))


_JIEBA = _Jieba()


def _load_stopwords() -> frozenset[str]:
    path = DATA_DIR / "stopwords.txt"
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(ascii_lower(line))
    return frozenset(words)


_STOPWORDS = _load_stopwords()


def tokenize(text: str) -> list[str]:
    """Split a Chinese and/or English text into lower-cased content words.

    Chinese is segmented by jieba in precise mode, with skill terms kept whole; Latin words are
    lower-cased, keeping ``c++``, ``c#``, ``.net``, ``node.js``. Numbers, punctuation and
    stopwords (Chinese and English function words and posting filler) are dropped.

    Parameters
    ----------
    text : str
        Any text; full-width characters are folded first.

    Returns
    -------
    list of str
        Tokens in text order, duplicates kept.

    Raises
    ------
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> tokenize("熟悉机器学习，精通C++和Node.js")
    ['机器学习', 'c++', 'node.js']
    """
    lowered = ascii_lower(normalize_text(text))
    if not lowered:
        return []
    cut, segments = _JIEBA.get()
    tokens: list[str] = []
    for match in segments.finditer(lowered):
        kind = match.lastgroup
        if kind == "cjk":
            tokens.extend(cut(match.group()))
        elif kind == "mixed" or not (_NUMBER.match(match.group()) or match.group() in _STOPWORDS):
            tokens.append(match.group())
    return tokens
