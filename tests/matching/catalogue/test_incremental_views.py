"""Views kept up to date from a side's changes answer exactly as views rebuilt from scratch.

After every write the catalogue's columns, lexical rows, BM25 index and reference day are
read (so each applies the write's changes alone), then compared with the same views built
afresh over what is held.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields

import numpy as np
import pytest

from matching.catalogue import Catalogue
from matching.catalogue.side import CHANGE_LOG, Side
from matching.catalogue.standing import ReferenceSample, reference_sample
from matching.features import LexicalCorpus
from matching.interactions import HistoryView
from matching.records import Event
from matching.retrieval import LexicalIndex
from matching.retrieval.columns import CandidateColumns, JobColumns
from matching.store import SQLiteStore

from ..conftest import CANDIDATES, JOBS
from .test_catalogue import make


def _same_columns(got: object, want: object) -> None:
    for f in fields(got):  # type: ignore[arg-type]
        a, b = getattr(got, f.name), getattr(want, f.name)
        if isinstance(a, dict):
            assert a.keys() == b.keys(), f.name
            for skill in a:
                np.testing.assert_array_equal(a[skill], b[skill], err_msg=f"skills[{skill}]")
        elif isinstance(a, list):
            assert a == b, f.name
        else:
            np.testing.assert_array_equal(a, b, err_msg=f.name)


def _rebuilt_corpus(cat: Catalogue) -> LexicalCorpus:
    corpus = LexicalCorpus()
    for i in cat.jobs.ids():
        corpus.put("jobs", i, cat.jobs.prepared(i).tokens)
    for i in cat.candidates.ids():
        corpus.put("candidates", i, cat.candidates.prepared(i).tokens)
    return corpus


def _check(cat: Catalogue, words: LexicalIndex, samples: list[ReferenceSample]) -> None:
    # small samples, so that writes move them: new records join, dropped members leave
    for sample, side in zip(samples, (cat.jobs, cat.candidates), strict=True):
        assert sample.ids() == reference_sample(side.ids(), size=3)
    jk, jobs = zip(*cat.jobs.items(), strict=True)
    ck, cands = zip(*cat.candidates.items(), strict=True)
    _same_columns(cat.job_columns(), JobColumns.build(jk, jobs))
    _same_columns(cat.candidate_columns(), CandidateColumns.build(ck, cands))
    posted = [j.posted_at.toordinal() for j in jobs if j.posted_at]
    assert cat.reference_day() == (float(max(posted)) if posted else None)
    cids, jids = cat.candidates.ids(), cat.jobs.ids()
    np.testing.assert_array_equal(
        cat.corpus.matrix(cids, jids), _rebuilt_corpus(cat).matrix(cids, jids)
    )
    # the event log, extended by writes that only add or replace records, as rebuilt
    rebuilt = HistoryView(
        events=cat.store.iter_events,
        candidate_ids=cat.candidates.ids,
        job_ids=cat.jobs.ids,
        candidate_vectors=cat.candidate_vectors,
        job_vectors=cat.job_vectors,
        headcount=lambda job_id: cat.jobs.get(job_id).headcount,
        version=lambda: 0,
    )
    log, _ = cat.history.current()
    want = rebuilt.current()[0]
    assert log.candidate_ids == want.candidate_ids
    assert log.job_ids == want.job_ids
    # events appended as they were recorded, as the store lists them
    for name in ("cand", "job", "grade", "time"):
        np.testing.assert_array_equal(getattr(log, name), getattr(want, name))
    cand_vectors, job_vectors = cat.history.vectors()
    for got, side_ids, fetch in (
        (cand_vectors, want.candidate_ids, cat.candidate_vectors),
        (job_vectors, want.job_ids, cat.job_vectors),
    ):
        if side_ids:
            np.testing.assert_array_equal(got(np.arange(len(side_ids))), fetch(list(side_ids)))
    pairs = [(c, j) for c in cids for j in jids]
    # float32 sums over vectors taken in another order may differ in their last bit
    np.testing.assert_allclose(
        cat.history.signals([c for c, _ in pairs], [j for _, j in pairs]),
        rebuilt.signals([c for c, _ in pairs], [j for _, j in pairs]),
        rtol=1e-6,
        atol=1e-7,
    )
    fresh = LexicalIndex(lambda: (list(jk), [cat.jobs.prepared(j.id).tokens for j in jobs]),
                         lambda: 0)  # fmt: skip
    query = cat.candidates.prepared(cids[0]).tokens
    np.testing.assert_array_equal(words.top(query, None, 50), fresh.top(query, None, 50))


@pytest.mark.parametrize("seed", range(8))
def test_views_after_each_write_equal_a_rebuild(seed: int) -> None:
    from matching.pipeline import _changed_documents, _documents

    rng = np.random.default_rng(seed)
    cat = make(SQLiteStore(":memory:"))
    words = LexicalIndex(lambda: _documents(cat.jobs), lambda: cat.jobs.version,
                         lambda since: _changed_documents(cat.jobs, since))  # fmt: skip
    cat.add_jobs(JOBS)
    cat.add_candidates(CANDIDATES)
    cat.record_events(
        [
            {"candidate_id": c["id"], "job_id": j["id"], "type": t}
            for c, j, t in zip(
                CANDIDATES[:3], JOBS[1:4], ["apply", "view", "interview"], strict=True
            )
        ]
    )
    samples = [ReferenceSample(cat.jobs, size=3), ReferenceSample(cat.candidates, size=3)]
    _check(cat, words, samples)
    n = 0
    for _ in range(16):
        action = int(rng.integers(8))
        if action == 0:  # a new job, a copy of another under a new id
            n += 1
            src = JOBS[int(rng.integers(len(JOBS)))]
            cat.add_jobs([{**src, "id": f"new-{n}", "title": f"{src['title']}{n}"}])
        elif action == 1:  # a job's text changes in place
            job_id = str(rng.choice(cat.jobs.ids()))
            cat.update_job(job_id, {"description": f"熟悉Go和Kubernetes，第{n}版"})
        elif action == 2 and len(cat.jobs) > 3:
            cat.remove_job(str(rng.choice(cat.jobs.ids())))
        elif action == 3:  # several at once, one of them twice
            n += 1
            batch = [{**JOBS[0], "id": f"b-{n}"}, {**JOBS[1], "id": f"c-{n}"}]
            cat.add_jobs(batch)
            cat.update_job(f"b-{n}", {"city": "成都", "posted_at": "2026-05-20"})
        elif action == 4:
            n += 1
            src = CANDIDATES[int(rng.integers(len(CANDIDATES)))]
            cat.add_candidates([{**src, "id": f"cand-{n}"}])
            cat.update_candidate(
                str(rng.choice(cat.candidates.ids())), {"skills": ["Rust", "Python"]}
            )
        elif action == 6:  # events, some timed, some for records new to the log
            n += 1
            if rng.random() < 0.5:
                cat.add_jobs([{**JOBS[2], "id": f"e-{n}"}])
            types = ["view", "apply", "interview", "offer"]
            cat.record_events(
                [
                    {
                        "candidate_id": str(rng.choice(cat.candidates.ids())),
                        "job_id": str(rng.choice(cat.jobs.ids())),
                        "type": types[int(rng.integers(len(types)))],
                        "timestamp": f"2026-05-{int(rng.integers(1, 28)):02d}T10:00:00+08:00"
                        if rng.random() < 0.5
                        else None,
                    }
                    for _ in range(int(rng.integers(1, 4)))
                ]
            )
            if rng.random() < 0.5:  # two calls between reads
                cat.record_events(
                    [{"candidate_id": cat.candidates.ids()[0], "job_id": cat.jobs.ids()[-1],
                      "type": "view"}]
                )  # fmt: skip
        elif len(cat.candidates) > 3:
            cat.remove_candidate(str(rng.choice(cat.candidates.ids())))
            # added and removed between two reads
            n += 1
            cat.add_candidates([{**CANDIDATES[0], "id": f"brief-{n}"}])
            cat.add_jobs([{**JOBS[0], "id": f"brief-{n}"}])
            cat.remove_candidate(f"brief-{n}")
            cat.remove_job(f"brief-{n}")
        _check(cat, words, samples)


def test_a_side_lists_its_changes_until_it_no_longer_holds_them() -> None:
    side: Side[str, str] = Side("job")
    side.put(1, "a", "A", "pa")
    side.put(2, "b", "B", "pb")
    v = side.version
    side.put(3, "b", "B2", "pb2")  # the same id under a new key
    side.drop("a")
    changes = side.changes_since(v)
    assert [(c.item_id, c.key, c.old_key, c.dropped) for c in changes] == [
        ("b", 3, 2, False),
        ("a", 1, None, True),
    ]
    assert side.changes_since(side.version) == []
    for i in range(2 * CHANGE_LOG + 1):
        side.put(10 + i, f"x{i}", "X", "px")
    assert side.changes_since(v) is None
    assert side.changes_since(side.version + 5) is None


def test_kept_rows_of_a_large_sample_follow_writes() -> None:
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(60)]

    def doc() -> tuple[tuple[str, int], ...]:
        chosen = rng.choice(words, size=5, replace=False)
        return tuple((str(w), int(rng.integers(1, 3))) for w in chosen)

    corpus, fresh = LexicalCorpus(), LexicalCorpus()
    jobs = [f"j{i}" for i in range(300)]  # enough for the rows to be kept between reads
    for j in jobs:
        d = doc()
        corpus.put("jobs", j, d)
        fresh.put("jobs", j, d)
    for c in ("c1", "c2"):
        d = doc()
        corpus.put("candidates", c, d)
        fresh.put("candidates", c, d)
    first = corpus.matrix(["c1", "c2"], jobs)
    np.testing.assert_array_equal(corpus.matrix(["c1", "c2"], jobs), first)
    changed = doc()
    corpus.put("jobs", "j7", changed)  # weights of the kept rows change with the corpus
    fresh.put("jobs", "j7", changed)
    np.testing.assert_array_equal(
        corpus.matrix(["c1", "c2"], jobs), fresh.matrix(["c1", "c2"], jobs)
    )
    corpus.drop("jobs", "j9")
    fresh.drop("jobs", "j9")
    rest = [j for j in jobs if j != "j9"]
    np.testing.assert_array_equal(corpus.matrix(["c1"], rest), fresh.matrix(["c1"], rest))


def test_recorded_events_are_appended_without_reading_the_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import matching.catalogue.catalogue as catalogue_module

    reads: list[int] = []
    real = SQLiteStore.iter_events

    def counted(self: SQLiteStore) -> Iterator[Event]:  # the real read, counted
        reads.append(1)
        return real(self)

    monkeypatch.setattr(SQLiteStore, "iter_events", counted)
    cat = make(SQLiteStore(":memory:"))
    cat.add_jobs(JOBS)
    cat.add_candidates(CANDIDATES)
    cat.history.current()
    assert len(reads) == 1
    for n in range(4):
        cat.record_events(
            [{"candidate_id": CANDIDATES[n]["id"], "job_id": JOBS[n]["id"], "type": "apply"}]
        )
        cat.add_jobs([{**JOBS[0], "id": f"later-{n}"}])
        cat.record_events([{"candidate_id": CANDIDATES[0]["id"], "job_id": f"later-{n}",
                            "type": "view"}])  # fmt: skip
        log, snap = cat.history.current()
        assert len(log) == 2 * (n + 1) and len(reads) == 1
    assert (
        snap.pair_gain(
            np.array([log.candidate_position[CANDIDATES[0]["id"]]]),
            np.array([log.job_position["later-3"]]),
        )[0]
        > 0
    )
    cat.remove_job("later-0")  # a removal: read again
    assert len(cat.history.current()[0]) == 7 and len(reads) == 2
    monkeypatch.setattr(catalogue_module, "_APPENDS_KEPT", 2)
    for _ in range(3):  # more calls between two reads than are kept: read again
        cat.record_events(
            [{"candidate_id": CANDIDATES[1]["id"], "job_id": JOBS[1]["id"], "type": "view"}]
        )
    assert len(cat.history.current()[0]) == 10 and len(reads) == 3
