"""Training builds its matrices while writes go on: the lock is held a piece at a time.

A write is made from inside the build (before its first feature matrix, after the log was
read), which could not happen if the build held the engine's lock throughout.
"""

from __future__ import annotations

import threading

import pytest

from matching import MatchingEngine, RecordsChangedError
from tests.matching.conftest import JOBS
from tests.matching.test_engine import _events


def _write_during_build(engine: MatchingEngine, write, monkeypatch) -> list[object]:  # type: ignore[no-untyped-def]
    """Make ``write`` run in another thread before the build's first feature matrix."""
    import matching.pipeline

    original = matching.pipeline.prepare_training_sets
    done: list[object] = []

    def prepare(log, *, features, **kwargs):  # type: ignore[no-untyped-def]
        def first_writes(*args):  # type: ignore[no-untyped-def]
            if not done:
                thread = threading.Thread(target=lambda: done.append(write()))
                thread.start()
                thread.join(30)  # the write must get through while training is under way
                assert done, "the write waited for the training build"
            return features(*args)

        return original(log, features=first_writes, **kwargs)

    monkeypatch.setattr(matching.pipeline, "prepare_training_sets", prepare)
    return done


def test_a_job_added_during_the_build_is_written_and_served(
    engine: MatchingEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine.record_events(_events())
    new = {**JOBS[0], "id": "j-during", "title": "数据分析实习生"}
    done = _write_during_build(engine, lambda: engine.add_jobs([new]), monkeypatch)
    report = engine.train_ranker(min_queries=3, n_estimators=30, require_improvement=False)
    assert done == [["j-during"]]
    assert any(d.trained for d in report.directions)
    # the new job has no history and is rankable at once by the trained model
    ids = [m.id for m in engine.recommend_jobs("c-stat", k=len(engine.job_ids()))]
    assert "j-during" in ids


def test_a_removal_during_the_build_asks_to_train_again(
    engine: MatchingEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine.record_events(_events())
    version = engine.model_version("jobs")
    _write_during_build(engine, lambda: engine.remove_job("j-java"), monkeypatch)
    with pytest.raises(RecordsChangedError, match="train again"):
        engine.train_ranker(min_queries=3, n_estimators=30, require_improvement=False)
    assert engine.model_version("jobs") == version  # nothing half-trained was adopted
