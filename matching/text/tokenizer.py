"""Tokenisation of Chinese and English job and resume texts.

Chinese runs are segmented with jieba (precise mode); Latin runs are split by a regular
expression that keeps skill spellings such as ``C++``, ``C#``, ``.NET`` and ``Node.js`` whole.
The words a :class:`Tokenizer` is built with (a vocabulary's terms, passed in by whoever
assembles the engine) are registered with jieba, so multi-character terms such as 机器学习 come
out as one token. jieba loads lazily, once per tokenizer, under a lock; its dictionary cache
goes to :func:`matching.paths.data_home`, never the system temp folder.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from matching.paths import DATA_DIR, data_home
from matching.text.normalize import ascii_lower, is_cjk, normalize_text
from matching.text.patterns import term_pattern

__all__ = ["Tokenizer", "load_stopwords"]

_LATIN = re.compile(r"[a-z0-9]")
# One token per match: a skill-like Latin word ("c++", "c#", ".net", "node.js"; "tcp/ip" splits
# at "/"), or a run of CJK characters handed on to jieba. Everything else (punctuation) is a gap.
# Mixed-script user words ("ui设计", "c语言") are put in front of these.
_LATIN_WORD = r"(?P<latin>\.?[a-z0-9]+(?:[.\-_][a-z0-9]+)*(?:\+\+|#|\+)?)"
_CJK_RUN = "(?P<cjk>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
_NUMBER = re.compile(r"^[0-9.\-_+#]+$")
# A frequency above most dictionary words keeps a user word in one piece.
_USER_WORD_FREQ = 20000
# Postings repeat the same short phrases ("岗位职责", "良好的沟通能力"); caching the segmentation
# of each run roughly halves the time over a corpus.
_RUN_CACHE = 65536


@functools.cache
def load_stopwords(path: Path = DATA_DIR / "stopwords.txt") -> frozenset[str]:
    """Stopwords of a file, one a line (``#`` starts a comment), lower-cased.

    The bundled list holds Chinese and English function words and posting filler.
    """
    words = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(ascii_lower(line))
    return frozenset(words)


class Tokenizer:
    """Split Chinese and/or English text into lower-cased content words.

    Parameters
    ----------
    user_words : iterable of str, optional
        Words kept whole: all-CJK words are registered with jieba, words that start with a
        Latin letter and hold CJK characters ("ui设计") are matched before segmentation.
        Latin-only words need nothing: Latin words are never split.
    stopwords : iterable of str, optional
        Words dropped from the output; the bundled list by default.

    Examples
    --------
    >>> tok = Tokenizer(user_words=["机器学习"])
    >>> tok.tokenize("熟悉机器学习，精通C++和Node.js")
    ['机器学习', 'c++', 'node.js']
    """

    def __init__(
        self, *, user_words: Iterable[str] = (), stopwords: Iterable[str] | None = None
    ) -> None:
        self._cjk_words: list[str] = []
        self._mixed_words: list[str] = []
        for form in user_words:
            word = ascii_lower(normalize_text(form))
            if word and all(is_cjk(ch) for ch in word):
                self._cjk_words.append(word)
            elif _LATIN.match(word) and any(is_cjk(ch) for ch in word):
                self._mixed_words.append(word)
        self._stopwords = frozenset(
            ascii_lower(w) for w in (load_stopwords() if stopwords is None else stopwords)
        )
        self._lock = threading.Lock()
        self._state: tuple[Callable[[str], tuple[str, ...]], re.Pattern[str]] | None = None

    @property
    def stopwords(self) -> frozenset[str]:
        """The words this tokenizer drops."""
        return self._stopwords

    def _get(self) -> tuple[Callable[[str], tuple[str, ...]], re.Pattern[str]]:
        state = self._state
        if state is not None:
            return state
        with self._lock:
            if self._state is None:
                self._state = self._build()
            return self._state

    def _build(self) -> tuple[Callable[[str], tuple[str, ...]], re.Pattern[str]]:
        import jieba

        jieba.setLogLevel(logging.WARNING)  # jieba logs its start-up to stderr at DEBUG
        home = str(data_home())
        # A private tokenizer keeps our user words out of other code's jieba.dt; the default
        # one is pointed at data_home too, so nothing jieba caches lands in the temp folder.
        if not jieba.dt.initialized and jieba.dt.tmp_dir is None:
            jieba.dt.tmp_dir = home
        segmenter = jieba.Tokenizer()
        segmenter.tmp_dir = home
        segmenter.cache_file = "jieba.cache"
        segmenter.initialize()
        for word in self._cjk_words:
            segmenter.add_word(word, freq=max(segmenter.FREQ.get(word) or 0, _USER_WORD_FREQ))
        parts = [_LATIN_WORD, _CJK_RUN]
        if self._mixed_words:
            parts.insert(0, f"(?P<mixed>{term_pattern(self._mixed_words).pattern})")
        stop = self._stopwords

        @functools.lru_cache(maxsize=_RUN_CACHE)
        def cut(run: str) -> tuple[str, ...]:
            return tuple(w for w in segmenter.cut(run, cut_all=False, HMM=True) if w not in stop)

        return cut, re.compile("|".join(parts))

    def tokenize(self, text: str) -> list[str]:
        """Split a text into lower-cased content words.

        Chinese is segmented by jieba in precise mode, with user words kept whole; Latin words
        are lower-cased, keeping ``c++``, ``c#``, ``.net``, ``node.js``. Numbers, punctuation
        and stopwords are dropped.

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
        """
        lowered = ascii_lower(normalize_text(text))
        if not lowered:
            return []
        cut, segments = self._get()
        tokens: list[str] = []
        for match in segments.finditer(lowered):
            kind = match.lastgroup
            if kind == "cjk":
                tokens.extend(cut(match.group()))
            elif kind == "mixed" or not (
                _NUMBER.match(match.group()) or match.group() in self._stopwords
            ):
                tokens.append(match.group())
        return tokens

    __call__ = tokenize
