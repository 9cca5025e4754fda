"""Lexical similarity of a pair: TF-IDF cosine of their words, under one corpus of both sides.

The corpus holds every stored job and candidate's token counts. Term weights are scikit-learn's
:class:`~sklearn.feature_extraction.text.TfidfTransformer` (sublinear term frequency, smoothed
IDF ``ln((1 + n) / (1 + df)) + 1``, rows L2-normalised), refitted lazily on the next read after
the corpus changed, so a pair's feature never depends on which other items are ranked with it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from matching.features.prepared import TokenCounts

__all__ = ["SIDES", "LexicalCorpus"]

#: The two sides of the corpus.
SIDES = ("jobs", "candidates")


class LexicalCorpus:
    """Token counts of every job and candidate, and the TF-IDF rows computed from them.

    Examples
    --------
    >>> corpus = LexicalCorpus()
    >>> corpus.put("jobs", "j1", (("python", 1), ("sql", 1)))
    >>> corpus.put("candidates", "c1", (("python", 2),))
    >>> round(float(corpus.similarity(["c1"], ["j1"])[0]), 2)  # "sql" is rarer, so weighs more
    0.58
    """

    def __init__(self) -> None:
        self._docs: dict[str, dict[str, TokenCounts]] = {side: {} for side in SIDES}
        self._version = 0
        self._fitted = -1
        self._rows: dict[str, dict[str, int]] = {side: {} for side in SIDES}
        self._matrices: dict[str, sparse.csr_matrix] = {}
        self._lock = threading.Lock()

    def put(self, side: str, item_id: str, tokens: TokenCounts) -> None:
        """Add or replace one document."""
        with self._lock:
            self._docs[side][item_id] = tokens
            self._version += 1

    def drop(self, side: str, item_id: str) -> None:
        """Remove one document (no error if it is not held)."""
        with self._lock:
            if self._docs[side].pop(item_id, None) is not None:
                self._version += 1

    def __len__(self) -> int:
        return sum(len(d) for d in self._docs.values())

    def _refresh(self) -> None:
        if self._fitted == self._version:
            return
        vocabulary: dict[str, int] = {}
        data: list[int] = []
        indices: list[int] = []
        indptr = [0]
        order: list[tuple[str, str]] = []
        for side in SIDES:
            for item_id, counts in self._docs[side].items():
                order.append((side, item_id))
                for token, count in counts:
                    indices.append(vocabulary.setdefault(token, len(vocabulary)))
                    data.append(count)
                indptr.append(len(indices))
        counts_matrix = sparse.csr_matrix(
            (np.asarray(data, dtype=np.float64), indices, indptr),
            shape=(len(order), max(len(vocabulary), 1)),
        )
        weighted = TfidfTransformer(sublinear_tf=True, smooth_idf=True, norm="l2").fit_transform(
            counts_matrix
        )
        # float32 like every other feature column; products are summed in float32 too.
        weighted = sparse.csr_matrix(weighted, dtype=np.float32)
        start = 0
        for side in SIDES:
            n = len(self._docs[side])
            self._matrices[side] = weighted[start : start + n]
            self._rows[side] = {item_id: row for row, item_id in enumerate(self._docs[side])}
            start += n
        self._fitted = self._version

    def similarity(self, candidate_ids: Sequence[str], job_ids: Sequence[str]) -> np.ndarray:
        """TF-IDF cosine of aligned pairs ``(candidate_ids[i], job_ids[i])``, of shape (n,).

        Raises
        ------
        KeyError
            An id is not in the corpus.
        """
        if len(candidate_ids) != len(job_ids):
            raise ValueError(
                f"candidate_ids and job_ids must have one length; got {len(candidate_ids)} "
                f"and {len(job_ids)}"
            )
        if not len(candidate_ids):
            return np.zeros(0, dtype=np.float32)
        with self._lock:
            self._refresh()
            cand = self._matrices["candidates"][
                [self._rows["candidates"][c] for c in candidate_ids]
            ]
            jobs = self._matrices["jobs"][[self._rows["jobs"][j] for j in job_ids]]
        products = np.asarray(cand.multiply(jobs).sum(axis=1)).ravel()
        return products.astype(np.float32)

    def matrix(self, candidate_ids: Sequence[str], job_ids: Sequence[str]) -> np.ndarray:
        """TF-IDF cosine of every candidate with every job, of shape (len(c), len(j)).

        Raises
        ------
        KeyError
            An id is not in the corpus.
        """
        with self._lock:
            self._refresh()
            cand = self._matrices["candidates"][
                [self._rows["candidates"][c] for c in candidate_ids]
            ]
            jobs = self._matrices["jobs"][[self._rows["jobs"][j] for j in job_ids]]
        return np.asarray((cand @ jobs.T).toarray(), dtype=np.float32)
