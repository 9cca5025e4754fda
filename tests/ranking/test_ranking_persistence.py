"""Tests of the atomic save directory handling and of ranking.scorer.load_scorer."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ranking import LambdaRankRanker, LinearScorer, ModelFormatError, load_scorer
from ranking._persist import atomic_save_dir


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_save_replaces_a_previous_model_and_leaves_no_temporaries(tmp_path: Path) -> None:
    target = tmp_path / "model"
    LinearScorer(weights={"a": 1.0}).save(target)
    LinearScorer(weights={"a": 2.0}).save(target)
    assert LinearScorer.load(target).weights == {"a": 2.0}
    assert leftovers(tmp_path) == []


def test_save_into_an_empty_existing_directory(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    LinearScorer(weights={"a": 1.0}).save(target)
    assert (target / "config.json").is_file()


def test_save_creates_missing_parents(tmp_path: Path) -> None:
    target = LinearScorer(weights={"a": 1.0}).save(tmp_path / "x" / "y" / "model")
    assert target == tmp_path / "x" / "y" / "model" and (target / "config.json").is_file()


def test_save_refuses_to_clobber_unrelated_data(tmp_path: Path) -> None:
    target = tmp_path / "data"
    target.mkdir()
    (target / "precious.csv").write_text("keep me")
    with pytest.raises(ValueError, match="not a saved model directory"):
        LinearScorer(weights={"a": 1.0}).save(target)
    assert (target / "precious.csv").read_text() == "keep me"
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(ValueError, match="must be a directory"):
        LinearScorer(weights={"a": 1.0}).save(a_file)


def test_failed_save_keeps_the_previous_model(tmp_path: Path) -> None:
    target = LinearScorer(weights={"a": 1.0}).save(tmp_path / "model")

    def broken_fill(tmp: Path) -> None:
        (tmp / "config.json").write_text("{}")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_save_dir(target, broken_fill)
    assert LinearScorer.load(target).weights == {"a": 1.0}
    assert leftovers(tmp_path) == []


def test_load_scorer_dispatches_and_rejects_unknown(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64)
    ltr = LambdaRankRanker(n_estimators=3, min_child_samples=2).fit(X, y, np.array([20, 20]))
    ltr_dir = ltr.save(tmp_path / "ltr")
    assert isinstance(load_scorer(ltr_dir), LambdaRankRanker)
    with pytest.raises(ModelFormatError, match="kind 'lambdarank', expected 'linear'"):
        LinearScorer.load(ltr_dir)

    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / "config.json").write_text(json.dumps({"kind": "neural", "format_version": 1}))
    with pytest.raises(ModelFormatError, match="unknown kind 'neural'"):
        load_scorer(odd)
    (odd / "config.json").write_text("not json")
    with pytest.raises(ModelFormatError, match="cannot read"):
        load_scorer(odd)
    with pytest.raises(ModelFormatError):
        load_scorer(tmp_path / "nowhere")
