"""Okapi BM25 over word tokens (the ``bm25s`` package): lexical retrieval and its baseline.

Scores are the Lucene form of BM25 (Kamphuis et al., ECIR 2020): per query term,
``idf * tf / (tf + k1 * (1 - b + b * len / avg_len))`` with ``idf = ln(1 + (N - df + 0.5) /
(df + 0.5))``, summed over the distinct terms of the query. Texts are tokenised by the
engine's :class:`~matching.text.Tokenizer` (jieba words for Chinese, words for English).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import bm25s
import numpy as np

from matching.lexicon import Vocabularies
from matching.text import Tokenizer

__all__ = ["BM25"]

# bm25s logs an info line for every empty query; a query with no known word is ordinary here.
logging.getLogger("bm25s").setLevel(logging.WARNING)


class BM25:
    """BM25 scores of text queries against a fixed document collection.

    Parameters
    ----------
    k1 : float, default 1.5
        Term-frequency saturation.
    b : float, default 0.75
        Length normalisation.
    tokenizer : Tokenizer, optional
        The shipped vocabularies' tokenizer by default.

    Examples
    --------
    >>> bm25 = BM25().fit(["熟悉Python和SQL的数据分析师", "会计，熟悉财务报表"])
    >>> int(bm25.scores("Python 数据分析").argmax())
    0
    """

    def __init__(
        self, *, k1: float = 1.5, b: float = 0.75, tokenizer: Tokenizer | None = None
    ) -> None:
        if not (isinstance(k1, (int, float)) and k1 >= 0 and math.isfinite(k1)):
            raise ValueError(f"k1: got {k1!r}; a finite number >= 0 is required")
        if not (isinstance(b, (int, float)) and 0 <= b <= 1):
            raise ValueError(f"b: got {b!r}; a number in [0, 1] is required")
        self.k1 = k1
        self.b = b
        self.tokenizer = tokenizer

    def _tokenize(self, text: str) -> list[str]:
        tokenizer = self.tokenizer or Vocabularies.default().tokenizer
        return tokenizer.tokenize(text)

    def fit(self, documents: Sequence[str]) -> BM25:
        """Index ``documents`` (texts); returns self."""
        if isinstance(documents, str):
            raise TypeError("documents: got a str; a sequence of texts is required")
        return self.fit_tokens([self._tokenize(d) for d in documents])

    def fit_tokens(self, documents: Sequence[Sequence[str]]) -> BM25:
        """Index documents given as token lists (repeats count); returns self."""
        corpus = [list(d) for d in documents]
        self.n_documents_ = len(corpus)
        self.index_ = bm25s.BM25(k1=self.k1, b=self.b, method="lucene")
        if corpus:
            self.index_.index(corpus, show_progress=False)
        return self

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query``, of shape (n_documents,)."""
        return self.scores_tokens(self._tokenize(query))

    def scores_tokens(self, query: Sequence[str]) -> np.ndarray:
        """BM25 score of every document for a query given as tokens, of shape (n_documents,)."""
        if not hasattr(self, "index_"):
            raise ValueError("BM25 is not fitted; call fit(documents) first")
        terms = list(dict.fromkeys(query))
        known = self.index_.get_tokens_ids(terms) if self.n_documents_ else []
        if not known:
            return np.zeros(self.n_documents_, dtype=np.float64)
        return np.asarray(self.index_.get_scores_from_ids(known), dtype=np.float64)
