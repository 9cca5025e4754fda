"""MatchingEngine end to end over the real encoder, store, index and scorers."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from embeddings import UniversalSentenceEncoder
from matching import (
    Direction,
    EngineConfig,
    MatchingEngine,
    SensitiveAttributes,
    UnknownIdError,
    ValidationError,
)
from matching.features import FEATURE_NAMES
from matching.policy import JobBoost, RankingPolicy, order
from matching.scoring import RankingModel, TransparentScorer
from ranking import FairnessConstraint, PriorityPolicy

from .conftest import CANDIDATES, JOBS

SENSITIVE_WORDS = (
    "hardship",
    "gender",
    "disability",
    "ethnicity",
    "origin",
    "female",
    "male",
    "poverty",
    "assisted",
    "脱贫",
    "低保",
)


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("c-stat", "j-data"),
        ("c-cs", "j-java"),
        ("c-acct", "j-acct"),
        ("c-nurse", "j-nurse"),
        ("c-ml", "j-ml"),
    ],
)
def test_clear_profiles_get_their_job_first(
    engine: MatchingEngine, candidate: str, expected: str
) -> None:
    matches = engine.recommend_jobs(candidate, k=3)
    assert matches[0].id == expected


def test_matches_are_ranked_and_explained(engine: MatchingEngine) -> None:
    matches = engine.recommend_jobs("c-stat", k=5)
    assert [m.rank for m in matches] == list(range(1, len(matches) + 1))
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    top = matches[0]
    assert "Python" in top.reasons.matched_skills and "SQL" in top.reasons.matched_skills
    assert top.reasons.top_features, "the top features that moved the score are listed"
    assert all(0.0 <= m.relevance <= 1.0 for m in matches)


def test_missing_skills_are_reported(engine: MatchingEngine) -> None:
    java = next(m for m in engine.recommend_jobs("c-cs", k=8) if m.id == "j-java")
    assert "Redis" in java.reasons.missing_skills
    assert "Java" in java.reasons.matched_skills


def test_degree_filter_keeps_out_jobs_above_the_candidates_degree(engine: MatchingEngine) -> None:
    assert engine.get_candidate("c-acct").degree is not None
    ids = [m.id for m in engine.recommend_jobs("c-acct", k=8)]
    assert "j-ml" not in ids  # asks for a master's degree
    ids_all = [
        m.id for m in engine.recommend_jobs("c-acct", k=8, filters={"require_degree": False})
    ]
    assert "j-ml" in ids_all


def test_city_filter_and_applied_jobs(engine: MatchingEngine) -> None:
    ids = [m.id for m in engine.recommend_jobs("c-stat", k=8, filters={"cities": ["杭州"]})]
    assert set(ids) == {"j-data", "j-acct"}
    engine.record_events([{"candidate_id": "c-stat", "job_id": "j-data", "type": "apply"}])
    assert "j-data" not in [m.id for m in engine.recommend_jobs("c-stat", k=8)]


def test_unknown_filter_is_named(engine: MatchingEngine) -> None:
    with pytest.raises(ValidationError) as info:
        engine.recommend_jobs("c-stat", filters={"town": "杭州"})
    assert info.value.field == "filters.town"


def test_free_text_records_get_skills_degree_and_major(engine: MatchingEngine) -> None:
    cand = engine.get_candidate("c-stat")
    assert {"Python", "SQL"} <= set(cand.skills)
    assert cand.degree is not None and cand.degree.value == "bachelor"
    assert cand.major == "统计学"
    job = engine.get_job("j-java")
    assert {"Java", "MySQL", "Redis"} <= set(job.required_skills)
    assert job.min_degree is not None and job.min_degree.value == "bachelor"


def test_recruiter_results_carry_no_sensitive_attribute(engine: MatchingEngine) -> None:
    matches = engine.rank_candidates("j-java", k=6)
    assert matches[0].id == "c-cs"
    text = json.dumps([m.to_dict() for m in matches], ensure_ascii=False)
    for word in SENSITIVE_WORDS:
        assert word not in text
    # and the engine's public candidate view has no sensitive values either
    assert not engine.get_candidate("c-cs").sensitive.assisted
    assert engine.get_candidate("c-cs", include_sensitive=True).sensitive.assisted


def test_rankings_are_audited(engine: MatchingEngine) -> None:
    engine.rank_candidates("j-acct", k=3)
    (record,) = engine.audit_log(limit=1)
    assert record["kind"] == "rank_candidates" and record["job_id"] == "j-acct"
    priority = record["policy"]["priority"]
    assert priority["enabled"] is True and priority["tolerance"] == 0.02
    assert record["policy_source"] == "deployment"
    assert record["model_version"].startswith("transparent-")
    assert "priority_changed" in record and "n_promoted" in record


def test_sensitive_attributes_do_not_change_job_scores(engine: MatchingEngine) -> None:
    before = [(m.id, m.score) for m in engine.recommend_jobs("c-cs", k=8)]
    engine.update_candidate("c-cs", {"sensitive": {"gender": "female", "disability": True}})
    after = [(m.id, m.score) for m in engine.recommend_jobs("c-cs", k=8)]
    assert before == after


def _twins(use_encoder: UniversalSentenceEncoder, policy: PriorityPolicy) -> MatchingEngine:
    eng = MatchingEngine(encoder=use_encoder, config=EngineConfig(priority=policy))
    eng.add_jobs([JOBS[1]])
    text = "软件工程专业本科，熟悉Java、Spring Boot和MySQL，实习做过后端开发"
    eng.add_candidates(
        [
            {"id": "a", "resume_text": text + "。", "desired_cities": ["深圳"]},
            {
                "id": "b",
                "resume_text": text,
                "desired_cities": ["深圳"],
                "sensitive": {"hardship": ["零就业家庭"]},
            },
            {
                "id": "z",
                "resume_text": "汉语言文学本科，擅长写作和新媒体编辑",
                "sensitive": {"hardship": ["低保家庭"]},
            },
        ]
    )
    return eng


def test_priority_is_bounded_by_the_tolerance(use_encoder: UniversalSentenceEncoder) -> None:
    off = _twins(use_encoder, PriorityPolicy(enabled=False))
    base = off.rank_candidates("j-java", k=3)
    pool = off.score_pool("j-java", "candidates")
    rel = dict(zip(pool.ids, RankingModel.transparent().relevance(pool.scores), strict=True))
    assert [m.id for m in base] == ["a", "b", "z"]
    assert [m.score for m in base] == [1.0, 0.6667, 0.3333]  # the rank alone
    # observed: a 0.606, b 0.605, z 0.178 on the transparent scale
    assert 0 < rel["a"] - rel["b"] < 0.02 < rel["a"] - rel["z"]

    on = _twins(use_encoder, PriorityPolicy(enabled=True, tolerance=0.02))
    assert [m.id for m in on.rank_candidates("j-java", k=3)] == ["b", "a", "z"]
    record = on.audit_log(limit=1)[0]
    assert record["priority_changed"] is True and record["n_promoted"] == 1
    assert record["policy"]["priority"]["tolerance"] == 0.02

    gap = rel["a"] - rel["b"]
    strict = _twins(use_encoder, PriorityPolicy(enabled=True, tolerance=gap / 2))
    assert [m.id for m in strict.rank_candidates("j-java", k=3)] == ["a", "b", "z"]
    assert strict.audit_log(limit=1)[0]["priority_changed"] is False


def test_fairness_constraint_is_applied_and_audited(use_encoder: UniversalSentenceEncoder) -> None:
    strong = [
        "软件工程本科，熟悉Java、Spring和MySQL，做过后端开发",
        "计算机科学与技术本科，熟悉Java和Redis，后端实习一年",
        "软件工程本科，Java开发，熟悉Spring Boot、MySQL、Redis",
    ]
    weak = ["信息管理本科，学过Java基础", "数学本科，了解数据库", "电子信息工程本科，会C语言"]
    records = [
        {"id": f"m{i}", "resume_text": t, "sensitive": {"gender": "male"}}
        for i, t in enumerate(strong)
    ]
    records += [
        {"id": f"f{i}", "resume_text": t, "sensitive": {"gender": "female"}}
        for i, t in enumerate(weak)
    ]

    def top4(config: EngineConfig) -> list[str]:
        eng = MatchingEngine(encoder=use_encoder, config=config)
        eng.add_jobs([JOBS[1]])
        eng.add_candidates(records)
        return [m.id for m in eng.rank_candidates("j-java", k=4)]

    plain = top4(EngineConfig(priority=PriorityPolicy(enabled=False)))
    assert [i[0] for i in plain[:3]] == ["m", "m", "m"]
    constraint = FairnessConstraint(
        kind="det_const_sort", target_proportions={"female": 0.5, "male": 0.5}
    )
    fair = top4(EngineConfig(priority=PriorityPolicy(enabled=False), fairness=constraint))
    assert sorted(i[0] for i in fair) == ["f", "f", "m", "m"]
    # within each group the score order is kept
    assert [i for i in fair if i[0] == "m"] == [i for i in plain if i[0] == "m"][:2]

    # the same constraint passed with one request, to an engine whose deployment has none
    eng = MatchingEngine(encoder=use_encoder, config=EngineConfig(priority=PriorityPolicy()))
    eng.add_jobs([JOBS[1]])
    eng.add_candidates(records)
    policy = {"fairness": constraint.to_dict()}
    assert [m.id for m in eng.rank_candidates("j-java", k=4, policy=policy)] == fair
    record = eng.audit_log(limit=1)[0]
    assert record["policy_source"] == "request" and record["fairness_changed"] is True
    assert [m.id for m in eng.rank_candidates("j-java", k=4)] == plain
    with pytest.raises(ValidationError, match="policy.fairness"):
        eng.rank_candidates("j-java", policy={"fairness": {"kind": "det_cons"}})


def test_fairness_tolerates_candidates_without_the_attribute(
    engine: MatchingEngine, use_encoder: UniversalSentenceEncoder
) -> None:
    constraint = FairnessConstraint(
        kind="det_const_sort", target_proportions={"female": 0.5, "male": 0.5}
    )
    eng = MatchingEngine(encoder=use_encoder, config=EngineConfig(fairness=constraint))
    eng.add_jobs(JOBS)
    eng.add_candidates(CANDIDATES)  # two of them have no gender
    assert len(eng.rank_candidates("j-mkt", k=5)) == 5
    record = eng.audit_log(limit=1)[0]
    assert record["policy"]["attribute"] == "gender"
    assert record["policy"]["fairness"]["kind"] == "det_const_sort"


def test_batch_with_a_bad_record_stores_nothing(engine: MatchingEngine) -> None:
    n = engine.n_jobs
    with pytest.raises(ValidationError) as info:
        engine.add_jobs(
            [{"id": "new-1", "title": "测试"}, {"id": "new-2", "title": "x", "city": 5}]
        )
    assert info.value.field == "[1].city"
    assert engine.n_jobs == n
    with pytest.raises(UnknownIdError):
        engine.get_job("new-1")


def test_duplicate_ids_in_one_batch_are_refused(engine: MatchingEngine) -> None:
    with pytest.raises(ValidationError, match="twice"):
        engine.add_candidates([{"id": "x", "resume_text": "a"}, {"id": "x", "resume_text": "b"}])


def test_update_and_remove(engine: MatchingEngine) -> None:
    engine.update_job("j-nurse", {"city": "杭州"})
    assert engine.get_job("j-nurse").city == "杭州"
    engine.remove_job("j-data")
    assert "j-data" not in [m.id for m in engine.recommend_jobs("c-stat", k=8)]
    with pytest.raises(UnknownIdError):
        engine.recommend_jobs("nobody")
    with pytest.raises(UnknownIdError):
        engine.remove_candidate("nobody")


def test_unchanged_records_are_not_embedded_again(engine: MatchingEngine) -> None:
    misses = engine.encoder.misses
    engine.add_jobs(JOBS)
    assert engine.encoder.misses == misses


def _events() -> list[dict[str, str]]:
    pairs = [
        ("c-stat", "j-data", "hire"),
        ("c-stat", "j-mkt", "view"),
        ("c-cs", "j-java", "offer"),
        ("c-cs", "j-ml", "view"),
        ("c-acct", "j-acct", "interview"),
        ("c-nurse", "j-nurse", "apply"),
        ("c-ml", "j-ml", "hire"),
        ("c-ml", "j-java", "view"),
        ("c-en", "j-acct", "apply"),
        ("c-en", "j-data", "view"),
    ]
    return [{"candidate_id": c, "job_id": j, "type": t} for c, j, t in pairs]


def test_train_ranker_switches_to_the_model(engine: MatchingEngine) -> None:
    engine.record_events(_events())
    report = engine.train_ranker(min_queries=3, n_estimators=30, require_improvement=False)
    jobs_report = next(d for d in report.directions if d.direction.ranked == "jobs")
    assert jobs_report.trained and jobs_report.adopted and jobs_report.n_queries == 6
    assert engine.model_version("jobs") == jobs_report.model_version
    matches = engine.recommend_jobs("c-stat", k=3)
    assert len(matches) == 3 and matches[0].reasons.top_features is not None


def test_events_must_name_stored_records(engine: MatchingEngine) -> None:
    with pytest.raises(ValidationError) as info:
        engine.record_events([{"candidate_id": "c-stat", "job_id": "nope", "type": "view"}])
    assert info.value.field == "[0].job_id"
    with pytest.raises(ValidationError) as info:
        engine.record_events([{"candidate_id": "c-stat", "job_id": "j-data", "type": "like"}])
    assert info.value.field == "[0].type"


def test_save_and_load_answer_exactly_as_before(engine: MatchingEngine, tmp_path: Path) -> None:
    engine.record_events(_events())
    engine.train_ranker(min_queries=3, n_estimators=30, require_improvement=False)
    before_jobs = [(m.id, m.score) for m in engine.recommend_jobs("c-cs", k=5)]
    before_cands = [(m.id, m.score) for m in engine.rank_candidates("j-acct", k=5)]
    engine.save(tmp_path / "eng")
    loaded = MatchingEngine.load(tmp_path / "eng")
    assert [(m.id, m.score) for m in loaded.recommend_jobs("c-cs", k=5)] == before_jobs
    assert [(m.id, m.score) for m in loaded.rank_candidates("j-acct", k=5)] == before_cands
    assert loaded.model_version("jobs") == engine.model_version("jobs")
    assert loaded.get_candidate("c-cs", include_sensitive=True).sensitive.assisted


def _live_engine(encoder: UniversalSentenceEncoder, path: Path) -> MatchingEngine:
    """An engine kept in ``path`` with three jobs and two candidates."""
    eng = MatchingEngine(encoder=encoder, path=path)
    eng.add_jobs(JOBS[:3])
    eng.add_candidates(CANDIDATES[:2])
    return eng


def test_writes_after_the_last_save_survive_a_restart(
    use_encoder: UniversalSentenceEncoder, tmp_path: Path
) -> None:
    eng = _live_engine(use_encoder, tmp_path / "live")
    eng.save()
    eng.add_jobs([JOBS[5]])  # committed to the store, index not saved
    eng.remove_job("j-acct")
    expected = [(m.id, m.score) for m in eng.recommend_jobs("c-stat", k=5)]
    eng.close()
    again = MatchingEngine.load(tmp_path / "live")
    assert sorted(again.job_ids()) == ["j-data", "j-java", "j-ml"]
    got = [(m.id, m.score) for m in again.recommend_jobs("c-stat", k=5)]
    assert [i for i, _ in got] == [i for i, _ in expected]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in expected], rtol=1e-5)


def test_snapshots_at_once_to_one_directory_all_land(
    use_encoder: UniversalSentenceEncoder, tmp_path: Path
) -> None:
    # a background snapshot and an operator's save may start together: neither may fail
    eng = _live_engine(use_encoder, tmp_path / "live")
    errors: list[BaseException] = []

    def save() -> None:
        try:
            for _ in range(5):
                eng.save()
        except BaseException as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    eng.close()
    assert sorted(MatchingEngine.load(tmp_path / "live").job_ids()) == sorted(
        j["id"] for j in JOBS[:3]
    )


def test_load_refuses_a_directory_without_an_engine(tmp_path: Path) -> None:
    from matching import StorageError

    with pytest.raises(StorageError, match="config.json"):
        MatchingEngine.load(tmp_path)


def test_recruiter_scores_never_increase_down_the_list(engine: MatchingEngine) -> None:
    engine.record_events(_events())
    engine.train_ranker(min_queries=3, n_estimators=30, require_improvement=False)
    for job_id in engine.job_ids():
        matches = engine.rank_candidates(job_id, k=6)
        scores = [m.score for m in matches]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= m.relevance <= 1.0 for m in matches)
    for cand_id in engine.candidate_ids():
        assert all(0.0 <= m.relevance <= 1.0 for m in engine.recommend_jobs(cand_id, k=8))


def test_without_priority_the_order_is_the_model_order(
    use_encoder: UniversalSentenceEncoder,
) -> None:
    eng = MatchingEngine(
        encoder=use_encoder,
        config=EngineConfig(priority=PriorityPolicy(enabled=False), fit_first=False),
    )
    eng.add_jobs(JOBS)
    eng.add_candidates(CANDIDATES)
    for job_id in eng.job_ids():
        ranked = eng.rank_candidates(job_id, k=6, filters={"require_degree": False})
        pool = eng.score_pool(job_id, "candidates")
        by_score = [pool.ids[i] for i in np.argsort(-pool.scores, kind="stable")]
        assert [m.id for m in ranked] == by_score[: len(ranked)]
        # A narrow scale puts every score above 1.0; the order must still be the scores'.
        narrow = RankingModel(TransparentScorer(), (0.0, 0.05)).relevance(pool.scores)
        assert (narrow[pool.scores > 0.05] > 1.0).all()
        top, _ = order(
            narrow,
            [eng.get_candidate(i) for i in pool.ids],
            [SensitiveAttributes()] * len(narrow),
            6,
            RankingPolicy(priority=PriorityPolicy(enabled=False)),
        )
        assert [pool.ids[i] for i in top] == by_score[:6]


def test_pair_scores_do_not_depend_on_the_depth(engine: MatchingEngine) -> None:
    shallow = {m.id: m.score for m in engine.recommend_jobs("c-cs", k=3, depth=3)}
    deep = {m.id: m.score for m in engine.recommend_jobs("c-cs", k=8, depth=8)}
    for job_id, score in shallow.items():
        assert deep[job_id] == pytest.approx(score, abs=1e-6)


def test_bad_depth_is_named(engine: MatchingEngine) -> None:
    with pytest.raises(ValidationError) as info:
        engine.recommend_jobs("c-cs", depth=0)
    assert info.value.field == "depth"


def test_update_keeps_given_fields_and_rereads_the_rest(engine: MatchingEngine) -> None:
    engine.add_jobs(
        [
            {
                "id": "j-go",
                "title": "后端开发",
                "description": "熟悉Java，北京，15k-20k",
                "required_skills": ["Go"],
            }
        ]
    )
    job = engine.get_job("j-go")
    assert job.required_skills == ("Go",) and job.city == "北京"
    updated = engine.update_job("j-go", {"description": "熟悉Python，上海，8k-10k"})
    assert updated.required_skills == ("Go",), "a given field survives a text change"
    assert updated.city == "上海" and updated.salary_max == 10000, "read fields are read again"


def test_saving_over_a_stale_write_ahead_log_keeps_the_new_data(
    use_encoder: UniversalSentenceEncoder, tmp_path: Path
) -> None:
    old = MatchingEngine(encoder=use_encoder, path=tmp_path / "e")
    old.add_jobs(JOBS)  # committed to a WAL-mode store that is never closed
    fresh = MatchingEngine(encoder=use_encoder)
    fresh.add_jobs(JOBS[:2])
    fresh.add_candidates(CANDIDATES[:1])
    fresh.save(tmp_path / "e")
    loaded = MatchingEngine.load(tmp_path / "e")
    assert sorted(loaded.job_ids()) == sorted(j["id"] for j in JOBS[:2])


def test_a_text_changed_after_the_last_save_is_embedded_again(
    use_encoder: UniversalSentenceEncoder, tmp_path: Path
) -> None:
    eng = MatchingEngine(encoder=use_encoder, path=tmp_path / "e")
    eng.add_jobs(JOBS)
    eng.add_candidates(CANDIDATES)
    eng.save()
    eng.update_candidate("c-stat", {"resume_text": "护理学大专，有临床护理实习经历"})
    expected = [(m.id, m.score) for m in eng.recommend_jobs("c-stat", k=3)]
    eng.close()
    again = MatchingEngine.load(tmp_path / "e")
    got = [(m.id, m.score) for m in again.recommend_jobs("c-stat", k=3)]
    assert [i for i, _ in got] == [i for i, _ in expected]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in expected], rtol=1e-5)


def test_open_reads_records_that_were_never_saved(
    use_encoder: UniversalSentenceEncoder, tmp_path: Path
) -> None:
    eng = MatchingEngine(encoder=use_encoder, path=tmp_path / "e")
    eng.add_jobs(JOBS[:3])
    eng.close()
    assert MatchingEngine.open(tmp_path / "e").n_jobs == 3


def test_load_refuses_a_missing_store(engine: MatchingEngine, tmp_path: Path) -> None:
    from matching import StorageError

    engine.save(tmp_path / "e")
    (tmp_path / "e" / "store.sqlite").unlink()
    with pytest.raises(StorageError, match="store.sqlite is missing"):
        MatchingEngine.load(tmp_path / "e")


def test_training_with_too_little_data_keeps_the_transparent_scorer(
    engine: MatchingEngine,
) -> None:
    engine.record_events([{"candidate_id": "c-stat", "job_id": "j-data", "type": "apply"}])
    report = engine.train_ranker()
    assert not any(d.trained for d in report.directions)
    assert engine.model_version("jobs").startswith("transparent-")
    with pytest.raises(ValidationError) as info:
        engine.train_ranker(negatives_per_query=-1)
    assert info.value.field == "negatives_per_query"


def test_a_model_that_loses_to_the_transparent_scorer_is_not_adopted() -> None:
    from matching.features import FEATURE_NAMES, Feature
    from matching.scoring import Lists, Matrices, TrainingSet, fit_rankers

    rng = np.random.default_rng(0)
    sizes = np.full(20, 10)

    def lists(y: np.ndarray, grade: np.ndarray) -> Lists:
        # the semantic similarity and its standing say ``grade``; the label is ``y``
        X = np.full((200, len(FEATURE_NAMES)), np.nan, dtype=np.float32)
        X[:, Feature.SEMANTIC_SIMILARITY.column] = grade / 4
        X[:, Feature.SEMANTIC_FOR_CANDIDATE.column] = grade
        ideal = [np.sort(y[i * 10 : (i + 1) * 10])[::-1] for i in range(20)]
        return Lists(Matrices(X, y.astype(np.int32), sizes), ideal)

    # On the validation lists the semantic similarity is the label itself: the transparent
    # scorer (which weighs it first) ranks them perfectly. The training lists teach the
    # opposite, so every model trained on them loses there.
    y = rng.integers(0, 4, size=200)
    valid = lists(y, y)
    taught = lists(3 - y, y)
    strategies = {"random": taught.rows, "hard": taught.rows, "mixed": taught.rows}
    ts = TrainingSet(
        Direction.JOBS_FOR_CANDIDATES, "query", 20, 200, strategies, strategies, taught, valid
    )
    models, report = fit_rankers([ts], 0, random_state=0, n_estimators=20, learning_rate=0.1)
    (d,) = report.directions
    assert d.trained and not d.adopted and models == {}
    assert d.transparent_ndcg_at_10 == 1.0 and d.validation_ndcg_at_10 < 1.0
    assert set(d.negatives) == {"random", "hard", "mixed"} and d.chosen in d.negatives
    models, report = fit_rankers(
        [ts], 0, random_state=0, n_estimators=20, learning_rate=0.1, require_improvement=False
    )
    assert report.directions[0].adopted and Direction.JOBS_FOR_CANDIDATES in models


def test_a_model_trained_on_events_that_teach_nothing_keeps_the_transparent_order() -> None:
    from matching.features import FEATURE_NAMES, Feature
    from matching.scoring import Lists, Matrices, TrainingSet, fit_rankers

    rng = np.random.default_rng(1)
    sizes = np.full(20, 10)
    # training labels that no feature explains; on validation the semantic standing is the label
    noise = Matrices(
        rng.normal(size=(200, len(FEATURE_NAMES))).astype(np.float32),
        rng.integers(0, 3, size=200).astype(np.int32),
        sizes,
    )
    y = rng.integers(0, 4, size=200).astype(np.int32)
    X = np.full((200, len(FEATURE_NAMES)), np.nan, dtype=np.float32)
    X[:, Feature.SEMANTIC_FOR_CANDIDATE.column] = y
    valid = Lists(
        Matrices(X, y, sizes), [np.sort(y[i * 10 : (i + 1) * 10])[::-1] for i in range(20)]
    )
    stop = Lists(noise, [np.sort(noise.y[i * 10 : (i + 1) * 10])[::-1] for i in range(20)])
    strategies = {"random": noise, "hard": noise, "mixed": noise}
    ts = TrainingSet(
        Direction.JOBS_FOR_CANDIDATES, "query", 20, 200, strategies, strategies, stop, valid
    )
    _, report = fit_rankers([ts], 0, random_state=0, n_estimators=20, learning_rate=0.1)
    (d,) = report.directions
    # boosted from the transparent scores, the noise the trees learn does not undo its order
    assert d.transparent_ndcg_at_10 == 1.0
    assert d.validation_ndcg_at_10 is not None and d.validation_ndcg_at_10 >= 0.95


def test_a_rejected_model_also_retires_the_previous_one(
    engine: MatchingEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matching.scoring import DirectionReport, TrainingReport

    engine.record_events(_events())
    engine.train_ranker(min_queries=3, n_estimators=30, require_improvement=False)
    assert not engine.model_version("jobs").startswith("transparent-")
    import matching.pipeline as engine_module

    def losing(sets: object, n_events: int, **_: object) -> tuple:
        report = TrainingReport(
            n_events,
            (
                DirectionReport(Direction.JOBS_FOR_CANDIDATES, 6, 60, True, "x", 0.1, 0.5, False),
                DirectionReport(Direction.CANDIDATES_FOR_JOB, 6, 60, True, "y", 0.1, 0.5, False),
            ),
        )
        return {}, report

    # the fit itself is tested in test_a_model_that_loses_...; here only the swap is
    monkeypatch.setattr(engine_module, "fit_rankers", losing)
    engine.train_ranker(min_queries=3)
    assert engine.model_version("jobs").startswith("transparent-")
    assert engine.model_version("candidates").startswith("transparent-")


def test_open_on_must_be_a_date() -> None:
    from datetime import datetime

    from matching import JobFilters

    assert JobFilters(open_on="2026-05-01").open_on is not None
    for bad in (5, datetime(2026, 5, 1)):
        with pytest.raises(ValidationError) as info:
            JobFilters(open_on=bad)  # type: ignore[arg-type]
        assert info.value.field == "filters.open_on"


def test_records_added_after_training_are_ranked_at_once(engine: MatchingEngine) -> None:
    from matching.features import FEATURE_NAMES, HISTORY_FEATURES

    engine.record_events(_events())
    engine.train_ranker(min_queries=3, n_estimators=30, require_improvement=False)
    assert not engine.model_version("jobs").startswith("transparent-")
    engine.add_jobs(
        [
            {
                "id": "j-new",
                "title": "数据分析实习生",
                "city": "杭州",
                "description": "熟悉SQL和Python",
            }
        ]
    )
    engine.add_candidates([{"id": "c-new", "resume_text": "统计学本科，熟悉Python、SQL和Excel"}])
    assert "j-new" in [m.id for m in engine.recommend_jobs("c-stat", k=20)]
    assert [m.id for m in engine.recommend_jobs("c-new", k=3)]
    assert "c-new" in [m.id for m in engine.rank_candidates("j-new", k=20)]
    X = engine.pair_features(["c-new", "c-stat"], ["j-new", "j-new"])
    column = {name: i for i, name in enumerate(FEATURE_NAMES)}
    # the new candidate has no history: what needs one is missing, its activity is zero
    for feature in ("collaborative", "history_similarity"):
        assert np.isnan(X[0, column[feature]])
    assert X[0, column["candidate_activity"]] == 0.0
    # nobody engaged with the new job yet: it is as unpopular as a job can be
    assert X[0, column["job_engagement"]] == X[1, column["job_engagement"]] < 0
    assert np.isnan(X[:, column["applicant_similarity"]]).all()
    assert len(HISTORY_FEATURES) == 10


def test_no_sensitive_attribute_reaches_any_feature(use_encoder: UniversalSentenceEncoder) -> None:
    # The same records and events with other sensitive attributes give the same features,
    # content and event-log columns alike.
    def build(sensitive: dict[str, dict]) -> MatchingEngine:
        eng = MatchingEngine(encoder=use_encoder)
        eng.add_jobs(JOBS)
        eng.add_candidates([{**c, "sensitive": sensitive.get(c["id"], {})} for c in CANDIDATES])
        eng.record_events(_events())
        return eng

    flipped = {
        c["id"]: {"gender": "female", "hardship": ["低保家庭"], "disability": True}
        for c in CANDIDATES
    }
    a, b = build({}), build(flipped)
    cids = [c["id"] for c in CANDIDATES for _ in JOBS]
    jids = [j["id"] for _ in CANDIDATES for j in JOBS]
    np.testing.assert_array_equal(a.pair_features(cids, jids), b.pair_features(cids, jids))


def test_popularity_damping_lowers_popular_jobs_only(use_encoder: UniversalSentenceEncoder) -> None:
    from matching.features import Feature
    from matching.policy import damp_popularity

    X = np.full((4, len(Feature)), np.nan, dtype=np.float32)
    X[0, Feature.JOB_APPLICATIONS.column] = 3.0  # the most applied-to
    X[1, Feature.JOB_APPLICATIONS.column] = -1.0  # less than average: not lowered
    X[2, Feature.REMAINING_HEADCOUNT.column] = 0.0  # every opening filled
    X[3, Feature.JOB_ENGAGEMENT.column] = 1.5  # much viewed, never applied to (a log of views)
    relevance = np.asarray([0.9, 0.5, 0.8, 0.6])
    np.testing.assert_allclose(damp_popularity(relevance, X, 0.2), [0.7, 0.5, 0.6, 0.5])
    np.testing.assert_array_equal(damp_popularity(relevance, X, 0.0), relevance)
    for bad in (-0.1, 1.5, "0.2"):
        with pytest.raises(ValidationError) as info:
            EngineConfig(popularity_damping=bad)  # type: ignore[arg-type]
        assert info.value.field == "popularity_damping"
    with pytest.raises(ValidationError) as info:
        EngineConfig(fit_first="yes")  # type: ignore[arg-type]
    assert info.value.field == "fit_first"
    assert EngineConfig.from_dict(EngineConfig(fit_first=False).to_dict()).fit_first is False
    with pytest.raises(ValidationError, match="not a feature"):
        EngineConfig(disabled_features=("semantic_simlarity",))


def test_reasons_language(engine: MatchingEngine) -> None:
    zh = engine.recommend_jobs("c-stat", k=1)[0].reasons
    en = engine.recommend_jobs("c-en", k=1)[0].reasons
    assert (zh.language, en.language) == ("zh", "en")  # the resumes' languages
    forced = engine.recommend_jobs("c-stat", k=1, language="en")[0].reasons
    assert forced.language == "en" and all(c.text.isascii() for c in forced.top_features)
    assert all(c.label and c.text for c in zh.top_features)
    with pytest.raises(ValidationError) as info:
        engine.recommend_jobs("c-stat", language="fr")
    assert info.value.field == "language"


def test_contributions_are_computed_for_the_rows_shown_only(
    engine: MatchingEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matching.scoring import RankingModel

    explained: list[int] = []
    score = RankingModel.score

    def recording(self: RankingModel, X: np.ndarray, *, explain: bool = True):  # noqa: ANN202
        if explain:
            explained.append(len(X))
        return score(self, X, explain=explain)

    monkeypatch.setattr(RankingModel, "score", recording)
    matches = engine.recommend_jobs("c-cs", k=2)
    assert explained == [2] and all(m.reasons.top_features for m in matches)
    explained.clear()
    engine.rank_candidates("j-data", k=3)
    assert explained == [3]


def test_a_recruiter_sees_candidates_with_evidence_of_fit_first(
    engine: MatchingEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matching.features import FEATURE_NAMES
    from matching.policy import FIT_STANDING
    from matching.scoring import RankingModel, Scored

    def col(X: np.ndarray, name: str) -> np.ndarray:
        return np.nan_to_num(X[:, FEATURE_NAMES.index(name)], nan=0.0)

    # a model that learned the desired city and nothing else (as one can from applications)
    def city_only(self: RankingModel, X: np.ndarray, *, explain: bool = True) -> Scored:
        scores = col(X, "city_match").astype(np.float32)
        width = X.shape[1] + 1 if explain else 0
        return Scored(scores, np.zeros((len(X), width), dtype=np.float32))

    monkeypatch.setattr(RankingModel, "score", city_only)
    for job in ("j-data", "j-java", "j-acct"):
        ids = [m.id for m in engine.rank_candidates(job, k=50)]
        X = engine.pair_features(ids, [job] * len(ids))
        evidence = (
            (col(X, "matched_skills") >= 1)
            | (col(X, "major_match") >= 0.75)
            | (col(X, "semantic_for_job") >= FIT_STANDING)
            | (col(X, "lexical_for_job") >= FIT_STANDING)
        )
        # once a candidate without evidence is shown, no candidate with evidence follows
        assert not (np.diff(evidence.astype(int)) > 0).any(), (job, evidence)


def test_a_desired_city_does_not_lift_a_candidate_without_the_jobs_skills(
    use_encoder: UniversalSentenceEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matching.scoring import RankingModel, Scored

    eng = MatchingEngine(
        encoder=use_encoder, config=EngineConfig(priority=PriorityPolicy(enabled=False))
    )
    eng.add_jobs(
        [
            {
                "id": "java",
                "title": "Java开发工程师",
                "city": "深圳",
                "description": "参与后端服务开发，熟悉Java、Spring、MySQL，具备良好的沟通能力，"
                "计算机相关专业本科及以上",
            }
        ]
    )
    eng.add_candidates(
        [
            {"id": "major", "resume_text": "计算机科学与技术本科，成绩优异",
             "desired_cities": ["深圳"]},
            {"id": "skill", "resume_text": "数学与应用数学本科，熟悉Java开发",
             "desired_cities": ["北京"]},
            {"id": "soft", "resume_text": "计算机科学与技术本科，沟通能力强",
             "desired_cities": ["深圳"]},
            {"id": "both", "resume_text": "软件工程本科，熟悉Java和MySQL",
             "desired_cities": ["深圳"]},
        ]
    )  # fmt: skip
    city, skills = FEATURE_NAMES.index("city_match"), FEATURE_NAMES.index("matched_skills")

    # a model that weighs the desired city far above the job's skills (as one can learn from
    # applications: graduates apply where they want to live)
    def city_first(self: RankingModel, X: np.ndarray, *, explain: bool = True) -> Scored:
        scores = np.nan_to_num(X[:, city], nan=0.0) + 0.1 * np.nan_to_num(X[:, skills], nan=0.0)
        width = X.shape[1] + 1 if explain else 0
        return Scored(scores.astype(np.float32), np.zeros((len(X), width), dtype=np.float32))

    monkeypatch.setattr(RankingModel, "score", city_first)
    assert "沟通能力" in eng.get_job("java").required_skills
    matches = eng.rank_candidates("java", k=4)
    ids = [m.id for m in matches]
    # the Java holder in town first, then the one who wants Beijing: the city no longer puts
    # the related majors in town (one with a soft skill only) ahead of them
    assert ids[:2] == ["both", "skill"] and set(ids[2:]) == {"major", "soft"}
    by_id = {m.id: m for m in matches}
    assert "city_match" not in {f.feature for f in by_id["major"].reasons.top_features or ()}
    pool = eng.score_pool("java", "candidates-for-job")
    assert [pool.ids[i] for i in np.argsort(-pool.scores, kind="stable")][:2] == ids[:2]


def test_stage_timings_cover_every_stage_of_the_last_request(engine: MatchingEngine) -> None:
    import threading

    assert engine.stage_timings() == {}
    engine.recommend_jobs("c-cs", k=3)
    jobs = engine.stage_timings()
    assert set(jobs) == {
        "filters", "retrieval", "features", "model", "policy", "contributions", "reasons"
    }  # fmt: skip
    assert all(v >= 0 for v in jobs.values()) and jobs["retrieval"] >= jobs["filters"]
    engine.rank_candidates("j-data", k=3)
    assert set(engine.stage_timings()) == set(jobs) | {"audit"}
    # another thread's requests are its own
    seen: list[dict[str, float]] = []
    worker = threading.Thread(target=lambda: seen.append(engine.stage_timings()))
    worker.start()
    worker.join()
    assert seen == [{}]


def test_k_above_the_retrieval_depth_still_returns_k_matches(
    use_encoder: UniversalSentenceEncoder,
) -> None:
    eng = MatchingEngine(encoder=use_encoder, config=EngineConfig(retrieval_depth=2))
    eng.add_jobs(JOBS)
    eng.add_candidates(CANDIDATES)
    no_filters = {"require_degree": False, "exclude_applied": False}
    assert len(eng.recommend_jobs("c-cs", k=6, filters=no_filters)) == 6
    assert len(eng.rank_candidates("j-data", k=5, filters={"require_degree": False})) == 5
    assert len(eng.recommend_jobs("c-cs", k=1, filters=no_filters)) == 1


def test_a_crash_between_the_renames_of_a_part_save_is_recovered_at_load(
    engine: MatchingEngine, tmp_path: Path
) -> None:
    import os

    engine.record_events(_events())
    engine.train_ranker(min_queries=3, n_estimators=30, require_improvement=False)
    saved = engine.save(tmp_path / "eng")
    before = [(m.id, m.score) for m in engine.recommend_jobs("c-cs", k=5)]
    # the state a SIGKILL between the two renames leaves: the part moved aside, a new one
    # half-written beside it, nothing under the part's name
    (saved / ".ranker_jobs.old-1").mkdir()
    os.replace(saved / "ranker_jobs", saved / ".ranker_jobs.old-1" / "model")
    (saved / ".ranker_jobs.tmp-2").mkdir()
    (saved / ".ranker_jobs.tmp-2" / "model.txt").write_text("tree=")
    os.replace(saved / "index_jobs", saved / ".index_jobs.old-3")
    (saved / ".index_candidates.tmp-4").mkdir()
    # leftovers of a save that crashed a while ago (a save running now keeps its own)
    for leftover in (".ranker_jobs.tmp-2", ".index_candidates.tmp-4"):
        os.utime(saved / leftover, (0, 0))
    (saved / ".ranker_candidates.tmp-5").mkdir()  # another process saving right now
    loaded = MatchingEngine.load(saved)
    assert [(m.id, m.score) for m in loaded.recommend_jobs("c-cs", k=5)] == before
    assert loaded.model_version("jobs") == engine.model_version("jobs")
    assert sorted(p.name for p in saved.iterdir() if p.name.startswith(".")) == [
        ".ranker_candidates.tmp-5"
    ]


def test_job_boost_per_request_moves_key_sector_postings_and_says_why(
    use_encoder: UniversalSentenceEncoder,
) -> None:
    # only key-sector postings: the fixtures' grassroots posting is not boosted here
    eng = MatchingEngine(
        encoder=use_encoder, config=EngineConfig(job_boost=JobBoost(grassroots_programme=False))
    )
    eng.add_jobs(JOBS)
    eng.add_candidates(CANDIDATES)
    plain = eng.recommend_jobs("c-cs", k=len(JOBS))
    last = plain[-1].id
    eng.update_job(last, {"key_sector": True})
    # off by default: the flag alone changes nothing
    assert [m.id for m in eng.recommend_jobs("c-cs", k=len(JOBS))] == [m.id for m in plain]
    # a tolerance wider than the list's span lets it pass every other posting
    policy = {"job_boost": {"enabled": True, "tolerance": 10.0}}
    boosted = eng.recommend_jobs("c-cs", k=len(JOBS), policy=policy)
    assert boosted[0].id == last
    assert any("key-sector" in n or "重点领域" in n for n in boosted[0].reasons.notes)
    assert [m.id for m in boosted[1:]] == [m.id for m in plain[:-1]]
    record = eng.audit_log(limit=1)[0]
    assert record["kind"] == "recommend_jobs" and record["policy_source"] == "request"
    assert record["boost_changed"] and record["positions_moved"] == len(plain) - 1
    # the scores are still the model's: the boost moves, it does not rescore
    assert boosted[0].score == pytest.approx(plain[-1].score)
    # tolerance 0 never passes anyone
    zero = eng.recommend_jobs(
        "c-cs", k=len(JOBS), policy={"job_boost": {"enabled": True, "tolerance": 0.0}}
    )
    assert [m.id for m in zero] == [m.id for m in plain]
    assert not any("重点领域" in n or "key-sector" in n for m in zero for n in m.reasons.notes)


def test_a_deleted_graduate_leaves_nothing_behind_but_a_pseudonym(
    use_encoder: UniversalSentenceEncoder, tmp_path: Path
) -> None:
    eng = MatchingEngine(encoder=use_encoder, config=EngineConfig(job_boost=JobBoost(enabled=True)))
    eng.add_jobs(JOBS)
    eng.add_candidates(CANDIDATES)
    text = "独一无二的简历：海洋生物学硕士，熟悉潜水作业与珊瑚礁调查，会Python"
    before = len(eng.encoder.cache)
    eng.add_candidates(
        [{"id": "c-gone", "resume_text": text, "sensitive": {"hardship": ["低保家庭"]}}]
    )
    assert len(eng.encoder.cache) > before
    eng.recommend_jobs("c-gone", k=3)
    eng.record_events([{"candidate_id": "c-gone", "job_id": JOBS[0]["id"], "type": "view"}])
    exported = eng.export_candidate("c-gone")
    assert exported["candidate"]["sensitive"]["hardship"] == ["minimum_living_allowance"]
    assert [e["type"] for e in exported["events"]] == ["view"]
    pseudonym = exported["audit"]["pseudonym"]
    assert exported["audit"]["n_records"] == 1
    record = eng.audit_log(limit=1)[0]
    assert record["candidate"] == pseudonym and "c-gone" not in json.dumps(record)
    eng.remove_candidate("c-gone")
    assert len(eng.encoder.cache) == before
    eng.save(tmp_path / "e")
    for path in (tmp_path / "e").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"c-gone" not in data and text.encode() not in data, path
    again = MatchingEngine.load(tmp_path / "e", encoder=use_encoder)
    with pytest.raises(UnknownIdError):
        again.get_candidate("c-gone")
    assert again.audit_log(limit=10)[0]["candidate"] == pseudonym
