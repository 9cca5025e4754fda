"""The lexical index keeps BM25's scores through added, changed and removed documents."""

from __future__ import annotations

import numpy as np
import pytest

from matching.retrieval import LexicalIndex
from matching.retrieval.bm25 import BM25

WORDS = [f"w{i}" for i in range(40)]


def _doc(rng: np.random.Generator) -> tuple[tuple[str, int], ...]:
    tokens = rng.choice(WORDS, size=int(rng.integers(1, 12)), replace=False)
    return tuple((str(t), int(rng.integers(1, 4))) for t in tokens)


def _bm25_scores(docs: dict[int, tuple], query: list[str]) -> dict[int, float]:
    """Scores of a BM25 index built afresh over ``docs`` (float32 inside bm25s)."""
    keys = sorted(docs)
    bm25 = BM25().fit_tokens([[t for t, c in docs[k] for _ in range(c)] for k in keys])
    return dict(zip(keys, bm25.scores_tokens(query).tolist(), strict=True))


@pytest.mark.parametrize("seed", range(6))
def test_incremental_updates_score_as_a_rebuild(seed: int) -> None:
    rng = np.random.default_rng(seed)
    docs: dict[int, tuple] = {k: _doc(rng) for k in range(60)}
    version = [0]
    index = LexicalIndex(lambda: (list(docs), list(docs.values())), lambda: version[0])
    next_key = 60
    for step in range(25):
        action = rng.integers(3)
        if action == 0:
            docs[next_key] = _doc(rng)
            next_key += 1
        elif action == 1 and docs:
            docs.pop(int(rng.choice(list(docs))))
        elif docs:
            docs[int(rng.choice(list(docs)))] = _doc(rng)
        version[0] += 1
        query = [(str(t), 1) for t in rng.choice(WORDS, size=3, replace=False)]
        want = _bm25_scores(docs, [t for t, _ in query])
        postings = index._index()
        scores = postings.scores([t for t, _ in query])
        got = {k: scores[s] for k, s in postings.slot_of.items()}
        assert set(got) == set(docs)
        for key in docs:
            assert got[key] == pytest.approx(want[key], rel=1e-5, abs=1e-6), (step, key)
        top = index.top(query, None, 10).tolist()
        ranked = sorted((k for k in docs if want[k] > 1e-6), key=lambda k: -want[k])
        assert len(top) == min(10, len(ranked))
        # the same best documents, up to float32 ties of the reference
        assert want[top[0]] == pytest.approx(want[ranked[0]], rel=1e-5) if top else True
        allowed = np.asarray(sorted(docs)[::2], dtype=np.int64)
        filtered = index.top(query, allowed, 10).tolist()
        assert set(filtered) <= set(allowed.tolist())


@pytest.mark.parametrize("held", [1 << 24, 25])  # every term's weights kept; few, let go
def test_weights_kept_between_queries_score_as_a_rebuild(
    held: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matching.retrieval.hybrid as hybrid

    monkeypatch.setattr(hybrid, "_WEIGHTS_HELD", held)
    rng = np.random.default_rng(11)
    docs: dict[int, tuple] = {k: _doc(rng) for k in range(80)}
    version = [0]
    index = LexicalIndex(lambda: (list(docs), list(docs.values())), lambda: version[0])
    for step in range(12):
        for _ in range(6):  # the same words asked again before and after a write
            query = [str(t) for t in rng.choice(WORDS[:12], size=4, replace=False)]
            want = _bm25_scores(docs, query)
            postings = index._index()
            scores = postings.scores(query)
            for key, slot in postings.slot_of.items():
                assert scores[slot] == pytest.approx(want[key], rel=1e-5, abs=1e-6), step
            assert postings._weights_size <= held
            kept = [t for t in query if t in postings._weights]
            asked = [t for t in query if t in postings.terms]
            assert kept == asked if held > 1000 else len(kept) < len(asked) or not asked
        if step % 2:
            docs.pop(int(rng.choice(list(docs))))
        else:
            docs[int(rng.choice(list(docs)))] = _doc(rng)
        version[0] += 1
