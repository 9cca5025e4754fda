"""BM25 from bm25s scores exactly as the Lucene formula says (checked against a direct sum)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from matching.lexicon import Vocabularies
from matching.retrieval import BM25

DOCS = [
    "熟悉Python和SQL的数据分析师，负责数据分析与报表",
    "会计，熟悉财务报表和税务申报",
    "Java后端开发工程师，熟悉Spring和MySQL",
    "数据分析实习生，会用Excel和Python",
    "",
]


def reference(docs: list[str], query: str, k1: float, b: float) -> np.ndarray:
    """Lucene BM25, term by term: the definition the library must meet."""
    tok = Vocabularies.default().tokenizer.tokenize
    bags = [tok(d) for d in docs]
    lengths = [len(bag) for bag in bags]
    avg = sum(lengths) / len(lengths)
    out = np.zeros(len(docs))
    for term in set(tok(query)):
        df = sum(term in bag for bag in bags)
        if not df:
            continue
        idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
        for i, bag in enumerate(bags):
            tf = bag.count(term)
            if tf:
                out[i] += idf * tf / (tf + k1 * (1 - b + b * lengths[i] / avg))
    return out


@pytest.mark.parametrize(("k1", "b"), [(1.5, 0.75), (1.2, 0.3), (0.0, 1.0)])
@pytest.mark.parametrize("query", ["Python 数据分析", "熟悉报表报表", "Spring MySQL Java", "无关"])
def test_scores_equal_the_formula(query: str, k1: float, b: float) -> None:
    got = BM25(k1=k1, b=b).fit(DOCS).scores(query)
    np.testing.assert_allclose(got, reference(DOCS, query, k1, b), rtol=1e-5, atol=1e-6)


def test_a_query_without_known_words_scores_zero() -> None:
    bm25 = BM25().fit(DOCS)
    assert bm25.scores("").tolist() == [0.0] * len(DOCS)
    assert BM25().fit([]).scores("Python").shape == (0,)


def test_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="k1"):
        BM25(k1=-1)
    with pytest.raises(ValueError, match="b"):
        BM25(b=2)
    with pytest.raises(TypeError, match="documents"):
        BM25().fit("one text")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not fitted"):
        BM25().scores("x")
