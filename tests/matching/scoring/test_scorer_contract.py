"""The Scorer contract: the transparent scorer, a trained LambdaRank model and the residual
model (transparent plus trees boosted from it) answer alike."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matching.features import COLUMNS, FEATURE_NAMES, Feature
from matching.records import Direction
from matching.scoring import ModelSet, RankingModel, ResidualScorer, TransparentScorer
from ranking import LambdaRankRanker, Scorer

N_FEATURES = len(FEATURE_NAMES)


def _features(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = rng.random((n, N_FEATURES)).astype(np.float32)
    X[rng.random((n, N_FEATURES)) < 0.2] = np.nan  # unknown values are part of the input
    return X


def _trained(*, residual: bool = False) -> LambdaRankRanker:
    X = _features(400, seed=1)
    # Relevance follows semantic similarity, so the model has something to learn.
    y = np.digitize(np.nan_to_num(X[:, Feature.SEMANTIC_SIMILARITY.column]), [0.5, 0.8])
    return LambdaRankRanker(n_estimators=20, random_state=0).fit(
        X,
        y,
        np.full(40, 10),
        feature_names=list(FEATURE_NAMES),
        init_score=TransparentScorer().predict(X) if residual else None,
    )


@pytest.fixture(scope="module", params=["transparent", "lambdarank", "residual"])
def scorer(request: pytest.FixtureRequest) -> Scorer:
    if request.param == "transparent":
        return TransparentScorer()
    if request.param == "residual":
        return ResidualScorer(_trained(residual=True))
    return _trained()


def _load(scorer: Scorer, path: Path) -> Scorer:
    if isinstance(scorer, TransparentScorer):
        return TransparentScorer.load(path)
    if isinstance(scorer, ResidualScorer):
        return ResidualScorer(LambdaRankRanker.load(path))
    return LambdaRankRanker.load(path)


class TestScorerContract:
    def test_is_a_scorer(self, scorer: Scorer) -> None:
        assert isinstance(scorer, Scorer)
        assert scorer.feature_names_in_ == FEATURE_NAMES
        assert isinstance(scorer.model_version_, str) and scorer.model_version_

    def test_scores_have_one_float32_per_row(self, scorer: Scorer) -> None:
        scores = scorer.predict(_features(25, seed=2))
        assert scores.shape == (25,) and scores.dtype == np.float32
        assert np.isfinite(scores).all()

    def test_contributions_add_up_to_the_score(self, scorer: Scorer) -> None:
        X = _features(25, seed=3)
        contributions = scorer.contributions(X)
        assert contributions.shape == (25, N_FEATURES + 1)
        np.testing.assert_allclose(contributions.sum(axis=1), scorer.predict(X), atol=1e-4)

    def test_deterministic(self, scorer: Scorer) -> None:
        X = _features(10, seed=4)
        np.testing.assert_array_equal(scorer.predict(X), scorer.predict(X.copy()))

    def test_save_load_round_trip(self, scorer: Scorer, tmp_path: Path) -> None:
        X = _features(30, seed=5)
        scorer.save(tmp_path / "model")
        loaded = _load(scorer, tmp_path / "model")
        assert loaded.model_version_ == scorer.model_version_
        np.testing.assert_array_equal(loaded.predict(X), scorer.predict(X))

    def test_a_ranking_model_scores_through_it(self, scorer: Scorer) -> None:
        X = _features(12, seed=6)
        model = RankingModel(scorer, (0.0, 2.0))
        scored = model.score(X)
        np.testing.assert_array_equal(scored.scores, scorer.predict(X))
        assert scored.contributions.shape == (12, N_FEATURES + 1)
        assert model.score(X, explain=False).contributions.shape == (12, 0)
        np.testing.assert_allclose(model.relevance(scored.scores), scored.scores / 2.0, rtol=1e-6)
        assert model.version == scorer.model_version_
        empty = model.score(np.zeros((0, N_FEATURES), dtype=np.float32))
        assert empty.scores.shape == (0,) and empty.contributions.shape == (0, N_FEATURES + 1)


def test_transparent_unknown_values_are_neutral() -> None:
    scorer = TransparentScorer()
    X = np.full((2, N_FEATURES), np.nan, dtype=np.float32)
    X[1, Feature.CITY_MATCH.column] = 0.0  # a known mismatch scores below unknown
    scores = scorer.predict(X)
    assert scores[1] < scores[0]
    assert scorer.max_score == pytest.approx(sum(c.weight for c in COLUMNS))
    assert RankingModel.transparent().scale == (0.0, scorer.max_score)
    assert not RankingModel.transparent().trained and RankingModel(_trained(), (0, 1)).trained


def test_residual_scores_are_the_transparent_scores_plus_the_trees() -> None:
    trees = _trained(residual=True)
    residual = ResidualScorer(trees)
    X = _features(50, seed=7)
    base = TransparentScorer()
    np.testing.assert_allclose(residual.predict(X), base.predict(X) + trees.predict(X), atol=1e-6)
    parts = trees.contributions(X, method="path")
    np.testing.assert_allclose(residual.contributions(X), base.contributions(X) + parts, atol=1e-6)
    np.testing.assert_allclose(residual.contributions(X).sum(1), residual.predict(X), atol=1e-4)
    # a feature's part is its transparent part plus its part in the trees
    sem = Feature.SEMANTIC_SIMILARITY.column
    assert not np.allclose(residual.contributions(X)[:, sem], base.contributions(X)[:, sem])


def test_a_saved_residual_model_comes_back_only_on_the_same_transparent_scorer(
    tmp_path: Path,
) -> None:
    models = ModelSet()
    residual = ResidualScorer(_trained(residual=True))
    models.adopt(Direction.JOBS_FOR_CANDIDATES, RankingModel(residual, (-1.0, 3.0)))
    recorded = models.save(tmp_path)
    assert recorded["ranker_bases"] == {"jobs": TransparentScorer().model_version_}
    back = ModelSet.load(tmp_path, recorded)[Direction.JOBS_FOR_CANDIDATES]
    assert isinstance(back.scorer, ResidualScorer) and back.scale == (-1.0, 3.0)
    X = _features(20, seed=8)
    np.testing.assert_array_equal(back.scorer.predict(X), residual.predict(X))
    # corrections to another version's transparent scorer are dropped: that direction retrains
    other = {**recorded, "ranker_bases": {"jobs": "transparent-000000000000"}}
    assert not ModelSet.load(tmp_path, other)[Direction.JOBS_FOR_CANDIDATES].trained


def test_the_transparent_version_changes_with_any_transform(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import dataclasses

    from matching.scoring import transparent

    before = TransparentScorer().model_version_
    columns = list(transparent.COLUMNS)
    i = next(i for i, c in enumerate(columns) if c.feature is Feature.MATCHED_SKILLS)
    # same weight and neutral value, another cap: a different scorer, a different version
    columns[i] = dataclasses.replace(columns[i], to_unit=lambda x: np.minimum(x, 3.0) / 3.0)
    monkeypatch.setattr(transparent, "COLUMNS", tuple(columns))
    assert TransparentScorer().model_version_ != before
    monkeypatch.undo()
    assert TransparentScorer().model_version_ == before
