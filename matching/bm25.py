"""Okapi BM25 over word tokens: the lexical baseline that every evaluation reports beside ours."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from matching.text import tokenize

__all__ = ["BM25"]


class BM25:
    """BM25 scores of token queries against a fixed document collection.

    Parameters
    ----------
    k1 : float, default 1.5
        Term-frequency saturation.
    b : float, default 0.75
        Length normalisation.

    Examples
    --------
    >>> bm25 = BM25().fit(["熟悉Python和SQL的数据分析师", "会计，熟悉财务报表"])
    >>> bm25.scores("Python 数据分析").argmax()
    0
    """

    def __init__(self, *, k1: float = 1.5, b: float = 0.75) -> None:
        if not (k1 >= 0 and math.isfinite(k1)):
            raise ValueError(f"k1: got {k1!r}; a finite number >= 0 is required")
        if not 0 <= b <= 1:
            raise ValueError(f"b: got {b!r}; a number in [0, 1] is required")
        self.k1 = k1
        self.b = b

    def fit(self, documents: Sequence[str]) -> BM25:
        """Index ``documents`` (texts); returns self."""
        if isinstance(documents, str):
            raise TypeError("documents: got a str; a sequence of texts is required")
        counts = [Counter(tokenize(d)) for d in documents]
        self.vocabulary_: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for i, c in enumerate(counts):
            for term, tf in c.items():
                rows.append(i)
                cols.append(self.vocabulary_.setdefault(term, len(self.vocabulary_)))
                vals.append(tf)
        n_docs = len(counts)
        tf = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float64), (rows, cols)),
            shape=(n_docs, len(self.vocabulary_)),
        )
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        avg = lengths.mean() if n_docs else 0.0
        df = np.bincount(tf.indices, minlength=tf.shape[1])
        self.idf_ = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        # Precompute the whole BM25 weight of each (doc, term) so a query is one mat-vec.
        norm = self.k1 * (1 - self.b + self.b * lengths / (avg or 1.0))
        weights = tf.tocoo()
        data = weights.data * (self.k1 + 1) / (weights.data + norm[weights.row])
        data *= self.idf_[weights.col]
        self.weights_ = sparse.csr_matrix((data, (weights.row, weights.col)), shape=tf.shape)
        return self

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query``, of shape (n_documents,)."""
        if not hasattr(self, "weights_"):
            raise ValueError("BM25 is not fitted; call fit(documents) first")
        q = np.zeros(self.weights_.shape[1], dtype=np.float64)
        for term in set(tokenize(query)):
            col = self.vocabulary_.get(term)
            if col is not None:
                q[col] = 1.0
        return np.asarray(self.weights_ @ q, dtype=np.float64)
