"""Lexical similarity of a pair: TF-IDF cosine of their words, under one corpus of both sides.

The corpus holds every stored job and candidate's token counts, and the document frequency of
every word, both kept up to date as documents are put and dropped. Term weights are those of
scikit-learn's :class:`~sklearn.feature_extraction.text.TfidfTransformer` (sublinear term
frequency ``1 + ln(count)``, smoothed IDF ``ln((1 + n) / (1 + df)) + 1``, rows L2-normalised),
applied to the rows a read needs under the corpus as it is at that moment: a pair's feature
never depends on which other items are ranked with it, and a write costs only its own
document (nothing is refitted over the whole corpus).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from matching.features.prepared import TokenCounts

__all__ = ["SIDES", "LexicalCorpus", "distinct_ids"]

#: The two sides of the corpus.
SIDES = ("jobs", "candidates")
# Id lists of at least this length have their rows kept between reads.
_KEEP_FROM = 256


class LexicalCorpus:
    """Token counts of every job and candidate, and TF-IDF rows computed from them on demand.

    Examples
    --------
    >>> corpus = LexicalCorpus()
    >>> corpus.put("jobs", "j1", (("python", 1), ("sql", 1)))
    >>> corpus.put("candidates", "c1", (("python", 2),))
    >>> round(float(corpus.similarity(["c1"], ["j1"])[0]), 2)  # "sql" is rarer, so weighs more
    0.58
    """

    def __init__(self) -> None:
        # per document: word numbers, then their counts, in one int32 array
        self._docs: dict[str, dict[str, np.ndarray]] = {side: {} for side in SIDES}
        self._vocabulary: dict[str, int] = {}
        self._df = np.zeros(1024, dtype=np.int64)
        self._lock = threading.Lock()
        # rows of large id lists read again and again (the standing features' reference
        # samples), until the corpus next changes
        self._kept: dict[tuple[str, tuple[str, ...]], sparse.csr_matrix] = {}

    def put(self, side: str, item_id: str, tokens: TokenCounts) -> None:
        """Add or replace one document."""
        with self._lock:
            vocabulary = self._vocabulary
            words = [vocabulary.setdefault(t, len(vocabulary)) for t, _ in tokens]
            if len(vocabulary) > len(self._df):
                grown = np.zeros(max(2 * len(self._df), len(vocabulary)), dtype=np.int64)
                grown[: len(self._df)] = self._df
                self._df = grown
            doc = np.asarray(words + [c for _, c in tokens], dtype=np.int32)
            old = self._docs[side].pop(item_id, None)
            if old is not None:
                self._df[old[: len(old) // 2]] -= 1
            self._df[doc[: len(words)]] += 1
            self._docs[side][item_id] = doc
            self._kept.clear()

    def drop(self, side: str, item_id: str) -> None:
        """Remove one document (no error if it is not held)."""
        with self._lock:
            old = self._docs[side].pop(item_id, None)
            if old is not None:
                self._df[old[: len(old) // 2]] -= 1
                self._kept.clear()

    def __len__(self) -> int:
        return sum(len(d) for d in self._docs.values())

    def _rows(self, side: str, item_ids: Sequence[str]) -> sparse.csr_matrix:
        """L2-normalised TF-IDF rows of some documents, in float32 (the caller holds the lock).

        Raises
        ------
        KeyError
            An id is not in the corpus.
        """
        held = self._docs[side]
        docs = [held[i] for i in item_ids]
        lengths = np.fromiter((len(d) // 2 for d in docs), dtype=np.int64, count=len(docs))
        indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        if docs:
            indices = np.concatenate([d[: len(d) // 2] for d in docs])
            counts = np.concatenate([d[len(d) // 2 :] for d in docs]).astype(np.float64)
        else:
            indices, counts = np.zeros(0, np.int32), np.zeros(0)
        n = sum(len(d) for d in self._docs.values())
        idf = np.log((1.0 + n) / (1.0 + self._df[indices])) + 1.0
        weights = (1.0 + np.log(counts)) * idf
        rows = np.repeat(np.arange(len(docs)), lengths)
        norms = np.sqrt(np.bincount(rows, weights=weights**2, minlength=len(docs)))
        weights /= norms[rows]
        width = max(len(self._vocabulary), 1)
        # float32 like every other feature column; products are summed in float32 too.
        return sparse.csr_matrix(
            (weights.astype(np.float32), indices, indptr), shape=(len(docs), width)
        )

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
        cand_unique, cand_at = distinct_ids(candidate_ids)
        job_unique, job_at = distinct_ids(job_ids)
        with self._lock:
            cand = self._rows("candidates", cand_unique)
            jobs = self._rows("jobs", job_unique)
        products = np.asarray(cand[cand_at].multiply(jobs[job_at]).sum(axis=1)).ravel()
        return products.astype(np.float32)

    def matrix(self, candidate_ids: Sequence[str], job_ids: Sequence[str]) -> np.ndarray:
        """TF-IDF cosine of every candidate with every job, of shape (len(c), len(j)).

        Raises
        ------
        KeyError
            An id is not in the corpus.
        """
        with self._lock:
            cand = self._kept_rows("candidates", candidate_ids)
            jobs = self._kept_rows("jobs", job_ids)
        return np.asarray((cand @ jobs.T).toarray(), dtype=np.float32)

    def _kept_rows(self, side: str, item_ids: Sequence[str]) -> sparse.csr_matrix:
        if len(item_ids) < _KEEP_FROM:
            return self._rows(side, item_ids)
        key = (side, tuple(item_ids))
        rows = self._kept.get(key)
        if rows is None:
            if len(self._kept) >= 8:
                self._kept.clear()
            rows = self._kept[key] = self._rows(side, item_ids)
        return rows


def distinct_ids(ids: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The distinct ids in first-seen order, and each input's position among them."""
    at: dict[str, int] = {}
    positions = np.fromiter((at.setdefault(i, len(at)) for i in ids), dtype=np.int64,
                            count=len(ids))  # fmt: skip
    return list(at), positions
