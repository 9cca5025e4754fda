"""The RecordStore contract: every store passes the same suite, the in-memory one as oracle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from matching import CandidateProfile, Event, Job, SensitiveAttributes, UnknownIdError
from matching.store import InMemoryStore, RecordStore, SQLiteStore


def _job(i: int, **kw: object) -> Job:
    return Job.from_dict({"id": f"j{i}", "title": f"岗位{i}", "description": "负责数据分析", **kw})


def _cand(cid: str, **kw: object) -> CandidateProfile:
    return CandidateProfile.from_dict({"id": cid, "resume_text": "会计学本科", **kw})


def _event(cid: str, jid: str, kind: str = "apply") -> Event:
    return Event.from_dict({"candidate_id": cid, "job_id": jid, "type": kind})


FEMALE = SensitiveAttributes.from_dict({"gender": "female", "hardship": ["低保家庭"]})
EMPTY = SensitiveAttributes()


@pytest.fixture(params=["sqlite-file", "sqlite-memory", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RecordStore]:
    made: RecordStore
    if request.param == "sqlite-file":
        made = SQLiteStore(tmp_path / "s.sqlite")
    elif request.param == "sqlite-memory":
        made = SQLiteStore(":memory:")
    else:
        made = InMemoryStore()
    yield made
    made.close()


class TestRecordStoreContract:
    def test_is_a_record_store(self, store: RecordStore) -> None:
        assert isinstance(store, RecordStore)

    def test_upsert_keeps_the_key_and_replaces_the_data(self, store: RecordStore) -> None:
        (k1,) = store.upsert_jobs([_job(1)])
        (k1b,) = store.upsert_jobs([_job(1, city="上海")])
        assert k1 == k1b
        assert store.get_job("j1").city == "上海"
        assert store.count_jobs() == 1

    def test_keys_are_not_reused_after_delete(self, store: RecordStore) -> None:
        k1, k2 = store.upsert_jobs([_job(1), _job(2)])
        assert store.delete_job("j2") == k2
        (k3,) = store.upsert_jobs([_job(3)])
        assert k3 > k2 > k1
        c1, c2 = store.upsert_candidates([_cand("a"), _cand("b")], [EMPTY, EMPTY])
        store.delete_candidate("b")
        (c3,) = store.upsert_candidates([_cand("c")], [EMPTY])
        assert c3 > c2 > c1

    def test_failed_batch_stores_nothing(self, store: RecordStore) -> None:
        store.upsert_jobs([_job(1)])

        class Boom(Job):
            __slots__ = ()

            def to_dict(self) -> dict:  # type: ignore[override]
                raise RuntimeError("disk full")

        with pytest.raises(RuntimeError):
            store.upsert_jobs([_job(2), Boom(id="j3", title="x")])
        assert [j.id for _, j in store.iter_jobs()] == ["j1"]

    def test_sources_are_kept_beside_completed_records(self, store: RecordStore) -> None:
        given = _job(1)
        completed = _job(1, city="杭州", required_skills=["SQL"])
        store.upsert_jobs([completed], [given])
        assert store.get_job("j1") == completed
        assert store.job_source("j1") == given.to_dict()
        store.upsert_candidates([_cand("a", skills=["会计"])], [EMPTY], [_cand("a")])
        assert store.candidate_source("a") == _cand("a").to_dict()
        assert store.get_candidate("a").skills == ("会计",)

    def test_sensitive_records_travel_apart(self, store: RecordStore) -> None:
        store.upsert_candidates([_cand("a"), _cand("b")], [FEMALE, EMPTY])
        profile = store.get_candidate("a")
        assert type(profile) is CandidateProfile and not hasattr(profile, "sensitive")
        assert all(type(p) is CandidateProfile for _, p in store.iter_candidates())
        got = store.sensitive_of(["b", "a", "nobody", "a"])
        assert got == [EMPTY, FEMALE, EMPTY, FEMALE]

    def test_iteration_is_in_key_order(self, store: RecordStore) -> None:
        keys = store.upsert_jobs([_job(3), _job(1), _job(2)])
        assert [(k, j.id) for k, j in store.iter_jobs()] == list(
            zip(keys, ["j3", "j1", "j2"], strict=True)
        )

    def test_delete_removes_events_and_sensitive_records(self, store: RecordStore) -> None:
        store.upsert_jobs([_job(1), _job(2)])
        store.upsert_candidates([_cand("a"), _cand("b")], [FEMALE, EMPTY])
        store.add_events([_event("a", "j1"), _event("b", "j1"), _event("b", "j2", "view")])
        store.delete_candidate("a")
        assert store.sensitive_of(["a"]) == [EMPTY]
        assert [(e.candidate_id, e.job_id) for e in store.iter_events()] == [
            ("b", "j1"),
            ("b", "j2"),
        ]
        store.delete_job("j1")
        assert [(e.candidate_id, e.job_id) for e in store.iter_events()] == [("b", "j2")]
        assert store.count_events() == 1

    @pytest.mark.parametrize(
        "call",
        [
            lambda s: s.get_job("nope"),
            lambda s: s.job_source("nope"),
            lambda s: s.delete_job("nope"),
            lambda s: s.get_candidate("nope"),
            lambda s: s.candidate_source("nope"),
            lambda s: s.delete_candidate("nope"),
        ],
    )
    def test_unknown_ids(self, store: RecordStore, call: object) -> None:
        with pytest.raises(UnknownIdError, match="nope"):
            call(store)  # type: ignore[operator]

    def test_events_in_order_and_per_candidate(self, store: RecordStore) -> None:
        store.add_events([_event("a", "j1", "view"), _event("b", "j1"), _event("a", "j1")])
        assert [e.type.value for e in store.iter_events()] == ["view", "apply", "apply"]
        assert [e.type.value for e in store.events_of_candidate("a")] == ["view", "apply"]
        assert store.count_events() == 3

    def test_audit_log_newest_first(self, store: RecordStore) -> None:
        for i in range(3):
            store.append_audit(f"2026-01-0{i + 1}T00:00:00+00:00", {"kind": "t", "i": i})
        log = store.audit_log(limit=2)
        assert [r["i"] for r in log] == [2, 1] and log[0]["at"].startswith("2026-01-03")

    def test_audit_log_is_a_hash_chain(self, store: RecordStore, tmp_path: Path) -> None:
        from matching.store import verify_chain
        from matching.store.audit import GENESIS, chain_hash

        empty = store.verify_audit()
        assert empty.ok and empty.n_records == 0 and empty.head == GENESIS
        for i in range(3):
            store.append_audit(
                f"2026-01-0{i + 1}T00:00:00+00:00", {"kind": "t", "i": i, "中": "文"}
            )
        log = store.audit_log()[::-1]
        assert [r["seq"] for r in log] == [1, 2, 3]
        first = chain_hash(GENESIS, log[0]["at"], {"kind": "t", "i": 0, "中": "文"})
        assert log[0]["hash"] == first
        check = store.verify_audit()
        assert check.ok and check.n_records == 3 and check.head == log[-1]["hash"]
        # the chain over the rows as read back: a changed record, a dropped one, a swap
        rows = [(r["at"], {k: r[k] for k in ("kind", "i", "中")}, r["hash"]) for r in log]
        assert verify_chain(rows).ok
        changed = [rows[0], (rows[1][0], {**rows[1][1], "i": 9}, rows[1][2]), rows[2]]
        assert verify_chain(changed).first_bad == 2
        assert verify_chain([rows[0], rows[2]]).first_bad == 2
        assert verify_chain([rows[1], rows[0], rows[2]]).first_bad == 1
        # a copy keeps the chain
        store.backup_to(tmp_path / "chained.sqlite")
        copy = SQLiteStore(tmp_path / "chained.sqlite")
        try:
            assert copy.verify_audit().head == check.head
        finally:
            copy.close()

    def test_backup_is_an_sqlite_copy_of_everything(
        self, store: RecordStore, tmp_path: Path
    ) -> None:
        store.upsert_jobs([_job(1), _job(2)], [_job(1), _job(2, city=None)])
        store.upsert_candidates([_cand("a")], [FEMALE])
        store.delete_job("j2")
        store.add_events([_event("a", "j1")])
        store.append_audit("2026-01-01T00:00:00+00:00", {"kind": "t"})
        store.backup_to(tmp_path / "copy.sqlite")
        copy = SQLiteStore(tmp_path / "copy.sqlite")
        try:
            assert copy.snapshot() == store.snapshot()
            # The copy never reuses a key the original gave out.
            (k,) = copy.upsert_jobs([_job(9)])
            assert k == 3
        finally:
            copy.close()


class TestSQLiteStore:
    def test_sensitive_attributes_are_not_in_the_profile_table(self, tmp_path: Path) -> None:
        store = SQLiteStore(tmp_path / "s.sqlite")
        store.upsert_candidates([_cand("c1")], [FEMALE])
        row = store._conn.execute("SELECT data FROM candidates").fetchone()[0]
        assert "hardship" not in row and "female" not in row

    def test_reopen_reads_what_was_written(self, tmp_path: Path) -> None:
        path = tmp_path / "s.sqlite"
        store = SQLiteStore(path)
        store.upsert_jobs([_job(1)])
        store.append_audit("2026-01-01T00:00:00+00:00", {"kind": "test", "changed": True})
        store.close()
        again = SQLiteStore(path)
        assert again.get_job("j1") == _job(1)
        assert again.audit_log()[0]["changed"] is True

    def test_the_audit_log_is_append_only_and_edits_are_found(self, tmp_path: Path) -> None:
        import sqlite3

        path = tmp_path / "s.sqlite"
        store = SQLiteStore(path)
        for i in range(4):
            store.append_audit(f"2026-01-0{i + 1}T00:00:00+00:00", {"kind": "t", "i": i})
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store._conn.execute("UPDATE audit_log SET data = '{}' WHERE seq = 2")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store._conn.execute("DELETE FROM audit_log WHERE seq = 2")
        store.close()
        # someone with the file drops the guard and edits a record
        conn = sqlite3.connect(path)
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("""UPDATE audit_log SET data = '{"i":7,"kind":"t"}' WHERE seq = 3""")
        conn.commit()
        conn.close()
        again = SQLiteStore(path)
        check = again.verify_audit()
        assert not check.ok and check.first_bad == 3 and "hash chain" in check.reason
        # the copy a save makes keeps the stored hashes: it still fails
        again.backup_to(tmp_path / "copy.sqlite")
        assert SQLiteStore(tmp_path / "copy.sqlite").verify_audit().first_bad == 3
        snapshot_copy = tmp_path / "snap.sqlite"
        SQLiteStore.write_snapshot(snapshot_copy, again.snapshot())
        assert SQLiteStore(snapshot_copy).verify_audit().first_bad == 3

    def test_an_audit_log_from_before_the_chain_is_chained_on_open(self, tmp_path: Path) -> None:
        import sqlite3

        path = tmp_path / "old.sqlite"
        conn = sqlite3.connect(path)
        conn.executescript(
            "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,"
            " data TEXT NOT NULL);"
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO meta VALUES ('schema_version', '1');"
        )
        conn.execute(
            "INSERT INTO audit_log(at, data) VALUES (?, ?)",
            ("2026-01-01T00:00:00+00:00", '{"kind": "rank_candidates", "k": 3}'),
        )
        conn.commit()
        conn.close()
        store = SQLiteStore(path)
        assert store.verify_audit().ok and store.audit_log()[0]["k"] == 3
        store.append_audit("2026-01-02T00:00:00+00:00", {"kind": "t"})
        assert store.verify_audit().n_records == 2
        assert store.get_meta("schema_version") == "2"

    def test_a_store_without_the_source_column_is_upgraded(self, tmp_path: Path) -> None:
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
