"""The facade raises its documented errors only: every lower-layer error is translated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from embeddings import Encoder, HashingEncoder
from matching import (
    EncoderError,
    EngineConfig,
    GradmatchError,
    MatchingEngine,
    StorageError,
    UnknownIdError,
    ValidationError,
)

from .conftest import CANDIDATES, JOBS


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    engine = MatchingEngine(encoder=HashingEncoder(dim=64))
    engine.add_jobs(JOBS)
    engine.add_candidates(CANDIDATES)
    engine.record_events(
        [
            {"candidate_id": c["id"], "job_id": j["id"], "type": "apply"}
            for c in CANDIDATES
            for j in JOBS[:3]
        ]
    )
    engine.train_ranker(min_queries=3, n_estimators=10, require_improvement=False)
    return engine.save(tmp_path / "engine")


def test_a_hashing_engine_loads_and_answers_the_same(saved: Path) -> None:
    loaded = MatchingEngine.load(saved)
    again = MatchingEngine.load(saved)
    first = [(m.id, m.score) for m in loaded.recommend_jobs("c-stat", k=5)]
    assert first == [(m.id, m.score) for m in again.recommend_jobs("c-stat", k=5)]
    assert not loaded.model_version("jobs").startswith("transparent-")


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: (d / "index_jobs" / "ids.npy").write_bytes(b"not numpy"),
        lambda d: (d / "ranker_jobs" / "model.txt").write_text("tree\n", encoding="utf-8"),
        lambda d: (d / "embedding_cache" / "config.json").write_text("{}", encoding="utf-8"),
        lambda d: (d / "config.json").write_text("{not json", encoding="utf-8"),
        lambda d: _edit_config(d, engine={"index_kind": "annoy"}),
        lambda d: _edit_config(d, encoder={"backend": "nothing"}),
    ],
)
def test_damaged_parts_are_storage_errors(saved: Path, damage: Any) -> None:
    damage(saved)
    with pytest.raises(StorageError):
        MatchingEngine.load(saved)


def _edit_config(directory: Path, **changes: Any) -> None:
    path = directory / "config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        config[key] = {**config[key], **value}
    path.write_text(json.dumps(config), encoding="utf-8")


def test_another_encoder_is_a_validation_error(saved: Path) -> None:
    with pytest.raises(ValidationError) as info:
        MatchingEngine.load(saved, encoder=HashingEncoder(dim=32))
    assert info.value.field == "encoder"


def test_save_without_a_directory_names_the_path() -> None:
    with pytest.raises(ValidationError) as info:
        MatchingEngine(encoder=HashingEncoder()).save()
    assert info.value.field == "path"


def test_an_unknown_encoder_spec_names_the_encoder() -> None:
    with pytest.raises(ValidationError) as info:
        MatchingEngine(config=EngineConfig(encoder="no-such-model"))
    assert info.value.field == "encoder"


class _Broken(Encoder):
    """Returns NaN: a backend breaking its output contract."""

    name = "broken"
    dim = 8

    def config(self) -> dict[str, Any]:
        return {"backend": "broken"}

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        return np.full((len(texts), 8), np.nan, dtype=np.float32)


def test_an_encoder_failure_is_an_encoder_error_and_stores_nothing() -> None:
    engine = MatchingEngine(encoder=_Broken())
    with pytest.raises(EncoderError):
        engine.add_jobs(JOBS[:2])
    assert engine.n_jobs == 0 and engine.job_ids() == []


def test_every_error_is_a_gradmatch_error() -> None:
    engine = MatchingEngine(encoder=HashingEncoder())
    for call in (
        lambda: engine.get_job("nope"),
        lambda: engine.recommend_jobs("nope"),
        lambda: engine.score_pool("nope", "sideways"),
        lambda: engine.model_version("sideways"),
        lambda: engine.train_ranker(random_state=-1),
    ):
        with pytest.raises(GradmatchError):
            call()
    with pytest.raises(UnknownIdError):
        engine.rank_candidates("nope")
