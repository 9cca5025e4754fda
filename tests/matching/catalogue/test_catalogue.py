"""The catalogue over any RecordStore: writes whole or not at all, views rebuilt from the store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields

import numpy as np
import pytest

from embeddings import CachedEncoder, HashingEncoder, create_index
from matching import CandidateProfile, ValidationError
from matching.catalogue import Catalogue
from matching.features import PreparedCandidate
from matching.ingest import Enricher
from matching.lexicon import Vocabularies
from matching.store import InMemoryStore, RecordStore, SQLiteStore

from ..conftest import CANDIDATES, JOBS


def make(store: RecordStore) -> Catalogue:
    vocab = Vocabularies.default()
    return Catalogue(
        store=store,
        encoder=CachedEncoder(HashingEncoder(dim=64)),
        job_index=create_index("flat", 64),
        candidate_index=create_index("flat", 64),
        enricher=Enricher(vocab),
        tokenizer=vocab.tokenizer,
    )


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest) -> Iterator[RecordStore]:
    made: RecordStore = SQLiteStore(":memory:") if request.param == "sqlite" else InMemoryStore()
    yield made
    made.close()


@pytest.fixture
def catalogue(store: RecordStore) -> Catalogue:
    cat = make(store)
    cat.add_jobs(JOBS)
    cat.add_candidates(CANDIDATES)
    return cat


def test_records_are_completed_stored_and_embedded(catalogue: Catalogue) -> None:
    assert len(catalogue.jobs) == len(JOBS) == catalogue.store.count_jobs()
    assert {"Java", "Spring", "MySQL"} <= set(catalogue.jobs.get("j-java").required_skills)
    assert len(catalogue.job_index) == len(JOBS)
    assert catalogue.encoder.misses == len(JOBS) + len(CANDIDATES)


def test_profiles_carry_no_sensitive_field(catalogue: Catalogue) -> None:
    # Privacy by type: what retrieval and features read has nowhere to hold the attributes.
    assert "sensitive" not in {f.name for f in fields(CandidateProfile)}
    assert "sensitive" not in {f.name for f in fields(PreparedCandidate)}
    for _key, profile in catalogue.candidates.items():
        assert type(profile) is CandidateProfile
        assert type(catalogue.candidates.prepared(profile.id)) is PreparedCandidate
    assert catalogue.sensitive_of(["c-cs"])[0].assisted
    assert catalogue.candidate_with_sensitive("c-cs").sensitive.assisted


def test_a_bad_record_leaves_everything_as_it_was(catalogue: Catalogue) -> None:
    before = (catalogue.store.count_jobs(), len(catalogue.job_index), catalogue.jobs.version)
    with pytest.raises(ValidationError) as info:
        catalogue.add_jobs([{"id": "new", "title": "x"}, {"id": "bad", "salary_min": "lots"}])
    assert info.value.field == "[1].description" or info.value.field.startswith("[1].")
    assert (catalogue.store.count_jobs(), len(catalogue.job_index), catalogue.jobs.version) == (
        before
    )
    assert "new" not in catalogue.jobs


def test_updates_read_the_text_again_but_keep_given_fields(catalogue: Catalogue) -> None:
    job = catalogue.update_job("j-data", {"description": "负责财务报表，熟悉Excel"})
    assert "Excel" in job.required_skills and "SQL" not in job.required_skills
    assert job.city == "杭州"  # given, so kept
    profile = catalogue.update_candidate("c-cs", {"desired_cities": ["上海"]})
    assert profile.desired_cities == ("上海",)
    assert catalogue.sensitive_of(["c-cs"])[0].assisted  # the sensitive record survives


def test_removal_reaches_store_views_index_and_corpus(catalogue: Catalogue) -> None:
    catalogue.remove_job("j-java")
    assert "j-java" not in catalogue.jobs and len(catalogue.job_index) == len(JOBS) - 1
    with pytest.raises(KeyError):
        catalogue.corpus.similarity(["c-cs"], ["j-java"])


def test_events_must_name_stored_records(catalogue: Catalogue) -> None:
    with pytest.raises(ValidationError) as info:
        catalogue.record_events([{"candidate_id": "c-cs", "job_id": "nope", "type": "apply"}])
    assert info.value.field == "[0].job_id"
    catalogue.record_events([{"candidate_id": "c-cs", "job_id": "j-java", "type": "apply"}])
    assert catalogue.applied_jobs("c-cs") == {"j-java"}


def test_views_rebuilt_from_the_store_are_the_same(catalogue: Catalogue) -> None:
    again = make(catalogue.store)
    again.sync_from_store()
    cids = catalogue.candidates.ids()
    jids = ["j-data"] * len(cids)
    a = catalogue.pair_inputs(cids, jids, catalogue.semantic(cids, jids))
    b = again.pair_inputs(cids, jids, again.semantic(cids, jids))
    assert a.candidates == b.candidates and a.jobs == b.jobs
    np.testing.assert_allclose(a.semantic, b.semantic, atol=1e-6)
    np.testing.assert_allclose(a.lexical, b.lexical, atol=1e-6)
    assert a.reference_day == b.reference_day


def test_syncing_keeps_vectors_of_unchanged_texts_and_replaces_others(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = catalogue.job_index
    keys = np.sort(index.ids)
    held = index.get_vectors(keys)
    # one vector that is not its text's embedding (the text changed after a save)
    wrong = np.ones((1, index.dim), dtype=np.float32)
    index.add(keys[:1], wrong)
    again = Catalogue(
        store=catalogue.store,
        encoder=CachedEncoder(HashingEncoder(dim=64)),  # a fresh cache: every text re-encoded
        job_index=index,
        candidate_index=catalogue.candidate_index,
        enricher=catalogue.enricher,
        tokenizer=catalogue.tokenizer,
    )
    added: list[int] = []
    add = index.add

    def counted(ids: np.ndarray, vectors: np.ndarray) -> None:
        added.extend(np.asarray(ids).tolist())
        add(ids, vectors)

    monkeypatch.setattr(index, "add", counted)
    again.sync_from_store()
    assert added == [int(keys[0])]  # only the changed one is embedded into the index again
    after = index.get_vectors(keys)
    # the half-precision vectors of unchanged texts are left as they were, to the bit
    np.testing.assert_array_equal(after[1:], held[1:])
    np.testing.assert_allclose(after[0], held[0], atol=1e-3)
    assert not np.allclose(after[0], wrong[0] / np.linalg.norm(wrong), atol=1e-2)
