"""The SQLite store: atomic batches, sensitive attributes apart, stable keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching import Candidate, Event, Job, UnknownIdError
from matching.store import SQLiteStore


def _job(i: int, **kw: object) -> Job:
    return Job.from_dict({"id": f"j{i}", "title": f"岗位{i}", "description": "负责数据分析", **kw})


def test_upsert_keeps_the_key_and_replaces_the_data(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    (k1,) = store.upsert_jobs([_job(1)])
    (k1b,) = store.upsert_jobs([_job(1, city="上海")])
    assert k1 == k1b
    assert store.get_job("j1").city == "上海"
    assert store.count_jobs() == 1


def test_keys_are_not_reused_after_delete(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    k1, k2 = store.upsert_jobs([_job(1), _job(2)])
    store.delete_job("j2")
    (k3,) = store.upsert_jobs([_job(3)])
    assert k3 > k2 > k1


def test_failed_batch_stores_nothing(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    store.upsert_jobs([_job(1)])

    class Boom(Job):
        __slots__ = ()

        def to_dict(self) -> dict:  # type: ignore[override]
            raise RuntimeError("disk full")

    bad = Boom(id="j3", title="x")
    with pytest.raises(RuntimeError):
        store.upsert_jobs([_job(2), bad])
    assert [j.id for _, j in store.iter_jobs()] == ["j1"]


def test_sensitive_attributes_live_apart(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    c = Candidate.from_dict(
        {
            "id": "c1",
            "resume_text": "会计学本科",
            "sensitive": {"hardship": ["低保家庭"], "gender": "female"},
        }
    )
    store.upsert_candidates([c])
    public = store.get_candidate("c1", include_sensitive=False)
    assert not public.sensitive.assisted and public.sensitive.gender is None
    assert store.get_candidate("c1").sensitive == c.sensitive
    row = store._conn.execute("SELECT data FROM candidates").fetchone()[0]
    assert "hardship" not in row and "female" not in row


def test_delete_candidate_removes_events_and_sensitive(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    store.upsert_jobs([_job(1)])
    store.upsert_candidates(
        [Candidate.from_dict({"id": "c1", "resume_text": "x", "sensitive": {"disability": True}})]
    )
    store.add_events([Event.from_dict({"candidate_id": "c1", "job_id": "j1", "type": "apply"})])
    store.delete_candidate("c1")
    assert store.count_events() == 0
    assert store._conn.execute("SELECT COUNT(*) FROM candidate_sensitive").fetchone()[0] == 0
    with pytest.raises(UnknownIdError):
        store.get_candidate("c1")


def test_reopen_reads_what_was_written(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    store = SQLiteStore(path)
    store.upsert_jobs([_job(1)])
    store.append_audit("2026-01-01T00:00:00+00:00", {"kind": "test", "changed": True})
    store.close()
    again = SQLiteStore(path)
    assert again.get_job("j1") == _job(1)
    assert again.audit_log()[0]["changed"] is True


def test_a_store_without_the_source_column_is_upgraded(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE jobs (key INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
        " data TEXT NOT NULL);"
        "CREATE TABLE candidates (key INTEGER PRIMARY KEY AUTOINCREMENT,"
        " id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);"
    )
    conn.execute(
        "INSERT INTO jobs(id, data) VALUES (?, ?)",
        ("j1", '{"id": "j1", "title": "会计", "description": "x"}'),
    )
    conn.commit()
    conn.close()
    store = SQLiteStore(path)
    assert store.job_source("j1")["title"] == "会计"
    store.upsert_jobs([_job(2)])
    assert store.count_jobs() == 2


def test_sensitive_records_of_many_candidates_in_order(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    store.upsert_candidates([
        Candidate.from_dict({"id": "a", "resume_text": "x", "sensitive": {"gender": "female"}}),
        Candidate.from_dict({"id": "b", "resume_text": "y"}),
    ])
    got = store.sensitive_of(["b", "a", "nobody", "a"])
    assert [s.gender for s in got] == [None, "female", None, "female"]
