"""Tests of ranking.ltr.LambdaRankRanker on a seeded synthetic known-answer data set."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ranking import (
    LambdaRankRanker,
    ModelFormatError,
    NotFittedError,
    Scorer,
    evaluate_rankings,
    load_scorer,
)

N_FEATURES = 5
INFORMATIVE = (0, 3)  # relevance depends on these two columns only
PER_QUERY = 20
K = 10


def make_queries(n_queries: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Relevance 0..3 is a noisy function of features 0 and 3; the other 3 are noise."""
    rng = np.random.default_rng(seed)
    n = n_queries * PER_QUERY
    X = rng.normal(size=(n, N_FEATURES)).astype(np.float32)
    latent = 1.5 * X[:, 0] + 1.0 * X[:, 3] + rng.normal(scale=0.5, size=n)
    y = np.digitize(latent, [0.5, 1.5, 2.5]).astype(np.int64)
    return X, y, np.full(n_queries, PER_QUERY, dtype=np.int64)


def ranked_relevance(scores: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    out = []
    for start in range(0, y.size, PER_QUERY):
        s, rel = scores[start : start + PER_QUERY], y[start : start + PER_QUERY]
        out.append(rel[np.argsort(-s, kind="stable")])
    return out


def pools(y: np.ndarray) -> list[np.ndarray]:
    return [y[start : start + PER_QUERY] for start in range(0, y.size, PER_QUERY)]


@pytest.fixture(scope="module")
def train() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return make_queries(200, seed=0)


@pytest.fixture(scope="module")
def test_set() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return make_queries(100, seed=1)


@pytest.fixture(scope="module")
def model(train: tuple[np.ndarray, np.ndarray, np.ndarray]) -> LambdaRankRanker:
    X, y, group = train
    return LambdaRankRanker().fit(  # the default hyper-parameters
        X, y, group, feature_names=["a", "b", "c", "d", "e"]
    )


def small_model(**params: object) -> LambdaRankRanker:
    X, y, group = make_queries(20, seed=5)
    return LambdaRankRanker(n_estimators=5, min_child_samples=5, **params).fit(X, y, group)


# -- learning ------------------------------------------------------------------------------


def test_beats_random_ordering_by_a_clear_ndcg_margin(model, test_set) -> None:
    X, y, _ = test_set
    learned = evaluate_rankings(ranked_relevance(model.predict(X), y), pools(y), K)
    random_scores = np.random.default_rng(7).random(y.size)
    baseline = evaluate_rankings(ranked_relevance(random_scores, y), pools(y), K)
    assert learned["n_queries"] == 100
    assert learned[f"ndcg@{K}"] > 0.85
    assert learned[f"ndcg@{K}"] - baseline[f"ndcg@{K}"] > 0.3
    assert learned["map"] > baseline["map"] + 0.2


def test_informative_features_have_the_highest_gain_importance(model) -> None:
    importances = model.feature_importances_
    assert importances.shape == (N_FEATURES,)
    assert set(np.argsort(importances)[-2:].tolist()) == set(INFORMATIVE)
    noise = [j for j in range(N_FEATURES) if j not in INFORMATIVE]
    assert importances[list(INFORMATIVE)].min() > 5 * importances[noise].max()


def test_fitted_attributes(model) -> None:
    assert model.n_features_in_ == N_FEATURES
    assert model.feature_names_in_ == ("a", "b", "c", "d", "e")
    assert isinstance(model.model_version_, str) and len(model.model_version_) == 12
    assert isinstance(model, Scorer)
    assert not isinstance(LambdaRankRanker(), Scorer)  # unfitted: no learned attributes


def test_predict_and_contributions_contract(model, test_set) -> None:
    X = test_set[0][:50]
    scores = model.predict(X)
    assert scores.dtype == np.float32 and scores.shape == (50,)
    contrib = model.contributions(X)
    assert contrib.dtype == np.float32 and contrib.shape == (50, N_FEATURES + 1)
    np.testing.assert_allclose(contrib.sum(axis=1), scores, rtol=1e-5, atol=1e-4)
    mean_abs = np.abs(contrib[:, :N_FEATURES]).mean(axis=0)
    noise = [j for j in range(N_FEATURES) if j not in INFORMATIVE]
    assert mean_abs[list(INFORMATIVE)].min() > mean_abs[noise].max()


def test_training_is_deterministic(train) -> None:
    X, y, group = train
    first = LambdaRankRanker(n_estimators=20, min_child_samples=10).fit(X, y, group)
    second = LambdaRankRanker(n_estimators=20, min_child_samples=10).fit(X, y, group)
    assert first.model_version_ == second.model_version_
    np.testing.assert_array_equal(first.predict(X), second.predict(X))
    other = LambdaRankRanker(n_estimators=21, min_child_samples=10).fit(X, y, group)
    assert other.model_version_ != first.model_version_


def test_queries_with_all_equal_labels_are_accepted() -> None:
    X, y, group = make_queries(10, seed=3)
    y = y.copy()
    y[:PER_QUERY] = 0  # a query with no relevant candidate
    y[PER_QUERY : 2 * PER_QUERY] = 2  # a query where everyone is equally relevant
    model = LambdaRankRanker(n_estimators=5, min_child_samples=5).fit(X, y, group)
    assert np.isfinite(model.predict(X)).all()


def test_all_queries_uninformative_gives_constant_scores() -> None:
    X, _, group = make_queries(5, seed=4)
    model = LambdaRankRanker(n_estimators=5, min_child_samples=5).fit(
        X, np.zeros(X.shape[0], dtype=np.int64), group
    )
    scores = model.predict(X)
    assert np.all(scores == scores[0])
    assert np.all(model.feature_importances_ == 0)


def test_nan_features_are_missing_values(model, test_set) -> None:
    X = test_set[0][:5].copy()
    X[0, 1] = np.nan
    assert np.isfinite(model.predict(X)).all()


def test_sample_weight_and_custom_label_gain() -> None:
    X, y, group = make_queries(20, seed=6)
    weight = np.repeat(np.linspace(0.5, 2.0, group.size), PER_QUERY)
    model = LambdaRankRanker(
        n_estimators=5, min_child_samples=5, label_gain=[0, 1, 2, 3, 4, 5]
    ).fit(X, y + 2, group, sample_weight=weight)
    assert model.predict(X).shape == (y.size,)


def test_get_and_set_params() -> None:
    model = LambdaRankRanker(n_estimators=7)
    params = model.get_params()
    assert params["n_estimators"] == 7 and params["label_gain"] is None
    assert model.set_params(num_leaves=15) is model and model.num_leaves == 15
    with pytest.raises(ValueError, match="unknown parameter 'depth'"):
        model.set_params(depth=3)


# -- persistence ---------------------------------------------------------------------------


def test_save_load_round_trip_gives_identical_predictions(model, test_set, tmp_path) -> None:
    X = test_set[0]
    target = model.save(tmp_path / "ltr")
    assert sorted(p.name for p in target.iterdir()) == ["config.json", "model.txt"]
    config = json.loads((target / "config.json").read_text())
    assert config["format_version"] == 1 and config["kind"] == "lambdarank"
    loaded = LambdaRankRanker.load(target)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    np.testing.assert_array_equal(loaded.contributions(X[:10]), model.contributions(X[:10]))
    np.testing.assert_array_equal(loaded.feature_importances_, model.feature_importances_)
    assert loaded.model_version_ == model.model_version_
    assert loaded.feature_names_in_ == model.feature_names_in_
    assert loaded.get_params() == model.get_params()
    via_dispatch = load_scorer(target)
    assert isinstance(via_dispatch, LambdaRankRanker)
    np.testing.assert_array_equal(via_dispatch.predict(X), model.predict(X))


def test_custom_label_gain_survives_save(tmp_path: Path) -> None:
    model = small_model(label_gain=[0.0, 1.0, 2.5, 4.0])
    loaded = LambdaRankRanker.load(model.save(tmp_path / "m"))
    assert loaded.label_gain == [0.0, 1.0, 2.5, 4.0]


def test_tampered_model_text_is_refused(tmp_path: Path) -> None:
    target = small_model().save(tmp_path / "m")
    text = (target / "model.txt").read_text()
    (target / "model.txt").write_text(text.replace("learning_rate: 0.05", "learning_rate: 0.5"))
    with pytest.raises(ModelFormatError, match="model_version"):
        LambdaRankRanker.load(target)


def test_load_refuses_other_kinds_and_versions(tmp_path: Path) -> None:
    target = small_model().save(tmp_path / "m")
    config = json.loads((target / "config.json").read_text())
    (target / "config.json").write_text(json.dumps({**config, "format_version": 99}))
    with pytest.raises(ModelFormatError, match="format_version 99"):
        LambdaRankRanker.load(target)
    (target / "config.json").write_text(json.dumps({**config, "kind": "linear"}))
    with pytest.raises(ModelFormatError, match="kind 'linear'"):
        LambdaRankRanker.load(target)
    with pytest.raises(ModelFormatError, match="no config.json"):
        LambdaRankRanker.load(tmp_path / "missing")


# -- errors --------------------------------------------------------------------------------


def test_not_fitted_errors(tmp_path: Path) -> None:
    model = LambdaRankRanker()
    X = np.zeros((2, 3), dtype=np.float32)
    for call in (lambda: model.predict(X), lambda: model.contributions(X)):
        with pytest.raises(NotFittedError, match="not fitted"):
            call()
    with pytest.raises(NotFittedError):
        model.save(tmp_path / "m")
    assert issubclass(NotFittedError, ValueError)


def _fit(
    X: object = None,
    y: object = None,
    group: object = None,
    feature_names: object = None,
    **params: object,
) -> None:
    X0, y0, group0 = make_queries(3, seed=9)
    params = {"n_estimators": 2, "min_child_samples": 2, **params}
    LambdaRankRanker(**params).fit(  # type: ignore[arg-type]
        X0 if X is None else X,
        y0 if y is None else y,
        group0 if group is None else group,
        feature_names=feature_names,
    )


def _y(values: list[float]) -> np.ndarray:
    y = np.zeros(3 * PER_QUERY)
    y[: len(values)] = values
    return y


@pytest.mark.parametrize(
    ("overrides", "error", "match"),
    [
        ({"group": np.array([20, 20, 19])}, ValueError, "group sizes must sum to .*60.*got 59"),
        ({"group": np.array([30, 30, 0])}, ValueError, "group sizes must be >= 1"),
        ({"group": np.array([20.0, 20.0, 20.0])}, TypeError, "group must hold integer"),
        ({"y": _y([-1])}, ValueError, "y must be >= 0"),
        ({"y": _y([np.nan])}, ValueError, "y must not contain NaN"),
        ({"y": _y([0.5])}, ValueError, "y must hold whole-number"),
        ({"y": _y([31])}, ValueError, "y must be <= 30"),
        ({"y": np.zeros(59)}, ValueError, "y must be 1-D of length 60"),
        ({"X": np.zeros(60)}, ValueError, r"X must be 2-D"),
        ({"X": np.full((60, 5), np.inf)}, ValueError, "X must not contain infinite"),
        ({"X": np.full((60, 5), "a")}, TypeError, "X must hold real numbers"),
        ({"feature_names": ["a", "b"]}, ValueError, "feature_names must have one name"),
        ({"feature_names": ["a", "a", "b", "c", "d"]}, ValueError, "must be unique"),
        ({"n_estimators": 0}, ValueError, "n_estimators must be >= 1, got 0"),
        ({"n_estimators": True}, TypeError, "n_estimators must be an int"),
        ({"learning_rate": 0.0}, ValueError, "learning_rate must be > 0"),
        ({"num_leaves": 1}, ValueError, "num_leaves must be >= 2"),
        ({"n_jobs": 0}, ValueError, "n_jobs must be >= 1"),
        ({"label_gain": []}, ValueError, "label_gain must have at least one"),
        ({"label_gain": [0, -1]}, ValueError, "label_gain entries must be >= 0"),
    ],
)
def test_fit_validation(overrides: dict[str, object], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        _fit(**overrides)


def test_predict_checks_feature_count(model) -> None:
    with pytest.raises(ValueError, match="X has 4 features, but the model was fitted with 5"):
        model.predict(np.zeros((3, 4), dtype=np.float32))
    with pytest.raises(ValueError, match="X must be 2-D"):
        model.contributions(np.zeros(5, dtype=np.float32))


def test_sample_weight_validation() -> None:
    X, y, group = make_queries(3, seed=2)
    model = LambdaRankRanker(n_estimators=2, min_child_samples=2)
    with pytest.raises(ValueError, match="sample_weight must have length 60"):
        model.fit(X, y, group, sample_weight=np.ones(10))
    with pytest.raises(ValueError, match="sample_weight must be >= 0"):
        model.fit(X, y, group, sample_weight=-np.ones(60))


def test_init_score_trees_learn_corrections_to_a_base(train, test_set) -> None:
    X, y, group = train
    Xt, yt, _ = test_set
    # The base knows feature 0; the trees must add what feature 3 tells.
    base, base_t = 1.5 * X[:, 0].astype(np.float64), 1.5 * Xt[:, 0].astype(np.float64)
    ranker = LambdaRankRanker(n_estimators=60).fit(X, y, group, init_score=base)
    corrections = ranker.predict(Xt)

    def ndcg(scores: np.ndarray) -> float:
        return evaluate_rankings(ranked_relevance(scores, yt), pools(yt), k=K)["ndcg@10"]

    # predict gives the corrections only; with the base added they beat the base alone
    assert ndcg(base_t + corrections) > ndcg(base_t) + 0.02
    assert not np.allclose(
        corrections, LambdaRankRanker(n_estimators=60).fit(X, y, group).predict(Xt)
    )
    # the corrections lean on what the base lacks
    gain = ranker.booster_.feature_importance(importance_type="gain")
    assert int(np.argmax(gain)) == 3


def test_init_score_is_validated(train) -> None:
    X, y, group = train
    with pytest.raises(ValueError, match="init_score must have length"):
        LambdaRankRanker().fit(X, y, group, init_score=np.zeros(3))
    with pytest.raises(ValueError, match="init_score must contain only finite"):
        LambdaRankRanker().fit(X, y, group, init_score=np.full(len(y), np.nan))
    with pytest.raises(ValueError, match="must be given together"):
        LambdaRankRanker().fit(X, y, group, init_score=np.zeros(len(y)), eval_set=(X, y, group))


def test_path_contributions_add_up_and_agree_with_shap_on_what_matters(model, test_set) -> None:
    X = test_set[0][:50]
    scores = model.predict(X)
    path = model.contributions(X, method="path")
    assert path.dtype == np.float32 and path.shape == (50, N_FEATURES + 1)
    np.testing.assert_allclose(path.sum(axis=1), scores, rtol=1e-5, atol=1e-4)
    # one bias for every row (the trees' root values), and the informative features lead
    assert np.ptp(path[:, -1]) < 1e-6
    mean_abs = np.abs(path[:, :N_FEATURES]).mean(axis=0)
    noise = [j for j in range(N_FEATURES) if j not in INFORMATIVE]
    assert mean_abs[list(INFORMATIVE)].min() > mean_abs[noise].max()
    shap = model.contributions(X)
    # per row, the two methods name mostly the same top feature
    same = np.abs(path[:, :N_FEATURES]).argmax(1) == np.abs(shap[:, :N_FEATURES]).argmax(1)
    assert same.mean() >= 0.7
    with pytest.raises(ValueError, match="method"):
        model.contributions(X, method="saabas")


def test_path_contributions_of_a_single_split_are_exact() -> None:
    # one tree with one split: the feature's part is the leaf's value minus the root's
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 2)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int) * 2
    model = LambdaRankRanker(n_estimators=1, num_leaves=2, min_child_samples=5).fit(X, y, [40] * 10)
    tree = model.booster_.dump_model()["tree_info"][0]["tree_structure"]
    path = model.contributions(X[:4], method="path")
    leaves = [tree["left_child"], tree["right_child"]]
    for row, x in zip(path, X[:4], strict=True):
        leaf = leaves[0] if x[tree["split_feature"]] <= tree["threshold"] else leaves[1]
        assert row[-1] == pytest.approx(tree["internal_value"], abs=1e-6)
        assert row[tree["split_feature"]] == pytest.approx(
            leaf["leaf_value"] - tree["internal_value"], abs=1e-6
        )
        assert row[1 - tree["split_feature"]] == 0
