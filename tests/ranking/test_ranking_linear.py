"""Tests of ranking.linear.LinearScorer."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ranking import LinearScorer, ModelFormatError, Scorer, load_scorer

X = np.array([[1.0, 2.0, 0.0], [0.5, -1.0, 4.0]], dtype=np.float32)


def scorer() -> LinearScorer:
    return LinearScorer(weights={"skill": 2.0, "distance": -0.5, "salary": 0.25}, bias=1.0)


def test_known_answer_scores_and_contributions() -> None:
    s = scorer()
    # row 0: 1 + 2*1 - 0.5*2 + 0.25*0 = 2.0; row 1: 1 + 2*0.5 - 0.5*(-1) + 0.25*4 = 3.5
    np.testing.assert_array_equal(s.predict(X), np.array([2.0, 3.5], dtype=np.float32))
    contrib = s.contributions(X)
    assert contrib.dtype == np.float32 and contrib.shape == (2, 4)
    np.testing.assert_array_equal(contrib[0], [2.0, -1.0, 0.0, 1.0])
    np.testing.assert_array_equal(contrib[1], [1.0, 0.5, 1.0, 1.0])
    np.testing.assert_allclose(contrib.sum(axis=1), s.predict(X))


def test_fitted_style_attributes_exist_at_construction() -> None:
    s = scorer()
    assert s.feature_names_in_ == ("skill", "distance", "salary")
    assert s.n_features_in_ == 3
    np.testing.assert_array_equal(s.coef_, [2.0, -0.5, 0.25])
    assert isinstance(s, Scorer)
    assert s.get_params() == {
        "weights": {"skill": 2.0, "distance": -0.5, "salary": 0.25},
        "bias": 1.0,
    }


def test_model_version_is_a_content_hash() -> None:
    assert scorer().model_version_ == scorer().model_version_
    assert len(scorer().model_version_) == 12
    changed = LinearScorer(weights={"skill": 2.0, "distance": -0.5, "salary": 0.26}, bias=1.0)
    reordered = LinearScorer(weights={"distance": -0.5, "skill": 2.0, "salary": 0.25}, bias=1.0)
    rebiased = LinearScorer(weights={"skill": 2.0, "distance": -0.5, "salary": 0.25}, bias=0.0)
    versions = {s.model_version_ for s in (scorer(), changed, reordered, rebiased)}
    assert len(versions) == 4  # column order is part of the model


def test_weights_are_copied() -> None:
    weights = {"a": 1.0}
    s = LinearScorer(weights=weights)
    version = s.model_version_
    weights["a"] = 5.0
    assert s.weights == {"a": 1.0} and s.model_version_ == version


def test_save_load_round_trip(tmp_path: Path) -> None:
    target = scorer().save(tmp_path / "linear")
    config = json.loads((target / "config.json").read_text())
    assert config["format_version"] == 1 and config["kind"] == "linear"
    assert config["weights"] == [["skill", 2.0], ["distance", -0.5], ["salary", 0.25]]
    for loaded in (LinearScorer.load(target), load_scorer(target)):
        assert isinstance(loaded, LinearScorer)
        np.testing.assert_array_equal(loaded.predict(X), scorer().predict(X))
        assert loaded.model_version_ == scorer().model_version_
        assert loaded.feature_names_in_ == scorer().feature_names_in_


def test_edited_config_is_refused(tmp_path: Path) -> None:
    target = scorer().save(tmp_path / "linear")
    config = json.loads((target / "config.json").read_text())
    config["bias"] = 2.0
    (target / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelFormatError, match="does not match model_version"):
        LinearScorer.load(target)
    del config["weights"]
    (target / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelFormatError, match="malformed"):
        LinearScorer.load(target)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"weights": {}}, ValueError, "weights must name at least one feature"),
        ({"weights": [("a", 1.0)]}, TypeError, "weights must be a mapping"),
        ({"weights": {1: 1.0}}, TypeError, "weights keys must be non-empty str"),
        ({"weights": {"": 1.0}}, TypeError, "weights keys must be non-empty str"),
        ({"weights": {"a": float("nan")}}, ValueError, r"weights\['a'\] must be finite"),
        ({"weights": {"a": True}}, TypeError, r"weights\['a'\] must be a real number"),
        ({"weights": {"a": "1"}}, TypeError, r"weights\['a'\] must be a real number"),
        ({"weights": {"a": 1.0}, "bias": float("inf")}, ValueError, "bias must be finite"),
    ],
)
def test_construction_validation(kwargs: dict[str, object], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        LinearScorer(**kwargs)  # type: ignore[arg-type]


def test_predict_validation() -> None:
    s = scorer()
    with pytest.raises(ValueError, match="X has 2 features, but the scorer has weights for 3"):
        s.predict(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="X must not contain NaN"):
        s.contributions(np.array([[np.nan, 0.0, 0.0]]))
    with pytest.raises(ValueError, match="X must be 2-D"):
        s.predict(np.zeros(3))
