"""The feature table, lexical similarity against its definition, and known-answer pair features."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from matching.features import (
    COLUMNS,
    FEATURE_NAMES,
    Feature,
    Featurizer,
    LexicalCorpus,
    prepare_candidate,
    prepare_job,
)
from matching.lexicon import Vocabularies
from matching.records import CandidateProfile, Job

TOKENIZER = Vocabularies.default().tokenizer


def test_columns_are_named_once_in_feature_order() -> None:
    assert tuple(c.feature for c in COLUMNS) == tuple(Feature)
    assert tuple(f.value for f in Feature) == FEATURE_NAMES
    assert [f.column for f in Feature] == list(range(len(Feature)))
    assert all(c.description and c.label_zh for c in COLUMNS)


def _tfidf(docs: dict[str, Counter[str]]) -> dict[str, dict[str, float]]:
    n = len(docs)
    df = Counter(t for bag in docs.values() for t in bag)
    out = {}
    for key, bag in docs.items():
        w = {t: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[t])) + 1) for t, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in w.values())) or 1.0
        out[key] = {t: v / norm for t, v in w.items()}
    return out


def test_lexical_similarity_is_the_tfidf_cosine_of_the_definition() -> None:
    jobs = {"j1": "熟悉Python和SQL，数据分析", "j2": "会计，财务报表，税务", "j3": "Python开发"}
    cands = {"c1": "Python数据分析，SQL，SQL", "c2": "财务报表和会计"}
    corpus = LexicalCorpus()
    bags = {}
    for side, texts in (("jobs", jobs), ("candidates", cands)):
        for item_id, text in texts.items():
            counts = Counter(TOKENIZER.tokenize(text))
            corpus.put(side, item_id, tuple(sorted(counts.items())))
            bags[item_id] = counts
    weights = _tfidf(bags)
    pairs = [("c1", "j1"), ("c1", "j2"), ("c2", "j2"), ("c2", "j3")]
    got = corpus.similarity([c for c, _ in pairs], [j for _, j in pairs])
    want = [sum(weights[c].get(t, 0.0) * v for t, v in weights[j].items()) for c, j in pairs]
    np.testing.assert_allclose(got, want, atol=1e-6)
    corpus.drop("jobs", "j1")  # the statistics follow the corpus
    del bags["j1"]
    weights = _tfidf(bags)
    want = sum(weights["c2"].get(t, 0.0) * v for t, v in weights["j2"].items())
    assert len(corpus) == 4
    assert corpus.similarity(["c2"], ["j2"])[0] == pytest.approx(want, abs=1e-6)
    assert want != pytest.approx(got[2], abs=1e-4)


def test_pair_features_known_answers() -> None:
    job = Job.from_dict(
        {
            "id": "j",
            "title": "数据分析师",
            "description": "x",
            "city": "杭州",
            "min_degree": "bachelor",
            "required_skills": ["Python", "SQL"],
            "preferred_skills": ["Excel"],
            "preferred_majors": ["统计学"],
            "salary_max": 12000,
            "experience_years": 1,
            "posted_at": "2026-03-01",
        }
    )
    cand = CandidateProfile.from_dict(
        {
            "id": "c",
            "resume_text": "x",
            "degree": "master",
            "major": "统计学",
            "skills": ["Python", "Excel", "R"],
            "desired_cities": ["上海"],
            "expected_salary": 10000,
        }
    )
    X = Featurizer().pair_features(
        [prepare_candidate(cand, TOKENIZER)],
        [prepare_job(job, TOKENIZER)],
        np.asarray([0.7], dtype=np.float32),
        np.asarray([0.2], dtype=np.float32),
        reference_day=float(job.posted_at.toordinal() + 10),
    )[0]
    expect = {
        Feature.SEMANTIC_SIMILARITY: 0.7,
        Feature.LEXICAL_SIMILARITY: 0.2,
        Feature.SKILL_COVERAGE: 0.5,
        Feature.PREFERRED_SKILL_COVERAGE: 1.0,
        Feature.SKILL_OVERLAP: 2 / 3,
        Feature.MATCHED_SKILLS: 2,
        Feature.MISSING_SKILLS: 1,
        Feature.DEGREE_GAP: 1,
        Feature.MAJOR_MATCH: 1.0,
        Feature.CITY_MATCH: 0.0,
        Feature.SALARY_RATIO: 1.2,
        Feature.EXPERIENCE_GAP: -1,
        Feature.DAYS_SINCE_POSTED: 10,
    }
    for feature, value in expect.items():
        assert X[feature.column] == pytest.approx(value, abs=1e-6), feature
    assert math.isnan(X[Feature.JOB_TYPE_MATCH.column])  # no wish stated: unknown, not 0


def test_a_posting_s_benefit_clauses_give_it_no_words_to_match() -> None:
    job = Job(
        id="j1",
        title="前端开发实习生",
        description="熟悉JavaScript和CSS。待遇：购买住院医疗保险、重大疾病保险及意外险；提供午餐补助",
    )
    words = {t for t, _ in prepare_job(job, TOKENIZER).tokens}
    assert {"javascript", "css", "前端开发"} & words
    assert not {"保险", "午餐", "补助", "意外险"} & words
    # the same words in a resume still count there
    cand = CandidateProfile(id="c1", resume_text="保险专业，做过医疗保险理赔")
    assert "保险" in {t for t, _ in prepare_candidate(cand, TOKENIZER).tokens}


def test_token_counts_are_compact_and_read_as_sorted_pairs() -> None:
    from matching.features import TokenCounts

    counts = TokenCounts([("sql", 1), ("python", 2), ("sql", 2)])
    assert list(counts) == [("python", 2), ("sql", 3)] and len(counts) == 2
    assert counts == (("python", 2), ("sql", 3)) and counts != (("python", 2),)
    assert hash(counts) == hash(TokenCounts([("python", 2), ("sql", 3)]))
    # counted straight from the tokens, the same value
    of = TokenCounts.of(["sql", "python", "sql", "python", "sql"])
    assert of == counts and hash(of) == hash(counts) and not TokenCounts.of([])
    # one string per word, whichever record it came from
    jobs = [
        Job(id="a", title="数据分析师", description="熟悉Python和SQL，负责数据分析"),
        Job(id="b", title="后端开发", description="熟悉Python和MySQL，负责接口开发"),
    ]
    words = [prepare_job(j, TOKENIZER).tokens.words for j in jobs]
    shared = set(words[0]) & set(words[1])
    assert shared
    for word in shared:
        assert words[0][words[0].index(word)] is words[1][words[1].index(word)]


def _one_pair(featurizer: Featurizer, c, j, reference_day: float) -> dict[Feature, float]:
    """The pair features of one pair, worked out from their definitions."""
    nan = float("nan")
    wanted = j.required or j.preferred
    union = j.required | j.preferred
    top = j.salary_max if not math.isnan(j.salary_max) else j.salary_min
    return {
        Feature.SKILL_COVERAGE: len(wanted & c.skills) / len(wanted) if wanted else nan,
        Feature.MISSING_SKILLS: len(wanted - c.skills) if wanted else nan,
        Feature.PREFERRED_SKILL_COVERAGE: (
            len(j.preferred & c.skills) / len(j.preferred) if j.preferred and j.required else nan
        ),
        Feature.SKILL_OVERLAP: len(c.skills & union) / len(c.skills) if c.skills else nan,
        Feature.MATCHED_SKILLS: len(c.skills & union) if c.skills else nan,
        Feature.DEGREE_GAP: c.degree - j.min_degree,
        Feature.MAJOR_MATCH: (
            max(featurizer.majors.similarity(c.major, m) for m in j.majors)
            if c.major and j.majors
            else nan
        ),
        Feature.CITY_MATCH: float(j.city in c.cities) if c.cities and j.city else nan,
        Feature.SALARY_RATIO: top / c.expected_salary if c.expected_salary > 0 else nan,
        Feature.EXPERIENCE_GAP: c.experience - j.experience,
        Feature.DAYS_SINCE_POSTED: reference_day - j.posted,
    }


def test_pair_features_of_many_pairs_follow_the_definitions_pair_by_pair() -> None:
    from matching.features import PreparedCandidate, PreparedJob, TokenCounts

    rng = np.random.default_rng(7)
    nan = float("nan")
    skills = ["Python", "SQL", "Excel", "R", "Java", "会计"]
    majors = ["统计学", "会计学", "计算机科学与技术", "汉语言文学"]
    cities = ["杭州", "上海", "北京"]

    def some(values: list[str]) -> frozenset[str]:
        return frozenset(v for v in values if rng.random() < 0.3)

    def maybe(value: float) -> float:
        return value if rng.random() < 0.7 else nan

    cands = [
        PreparedCandidate(
            id=f"c{i}",
            tokens=TokenCounts(),
            skills=some(skills),
            major=str(rng.choice(majors)) if rng.random() < 0.8 else None,
            degree=maybe(float(rng.integers(1, 5))),
            cities=some(cities),
            job_types=("数据分析",) if rng.random() < 0.5 else (),
            expected_salary=maybe(float(rng.choice([0, 6000, 9000, 15000]))),
            experience=float(rng.integers(0, 3)),
        )
        for i in range(40)
    ]
    jobs = [
        PreparedJob(
            id=f"j{i}",
            title=str(rng.choice(["数据分析师", "会计", "教师"])),
            tokens=TokenCounts(),
            required=some(skills),
            preferred=some(skills),
            majors=tuple(sorted(some(majors))),
            min_degree=maybe(float(rng.integers(1, 5))),
            city=str(rng.choice(cities)) if rng.random() < 0.8 else None,
            job_type=str(rng.choice(["数据分析", "财务"])) if rng.random() < 0.6 else None,
            salary_min=maybe(5000.0),
            salary_max=maybe(float(rng.choice([8000, 12000]))),
            experience=maybe(float(rng.integers(0, 3))),
            posted=maybe(float(739000 + rng.integers(0, 30))),
        )
        for i in range(25)
    ]
    pairs = [(c, j) for c in cands for j in jobs]
    featurizer = Featurizer()
    sem = rng.random(len(pairs)).astype(np.float32)
    X = featurizer.pair_features(
        [c for c, _ in pairs], [j for _, j in pairs], sem, sem / 2, reference_day=739040.0
    )
    assert X.shape == (len(pairs), len(Feature)) and X.dtype == np.float32
    np.testing.assert_array_equal(X[:, Feature.SEMANTIC_SIMILARITY.column], sem)
    seen_nan = seen_value = 0
    for row, (c, j) in zip(X, pairs, strict=True):
        for feature, want in _one_pair(featurizer, c, j, 739040.0).items():
            got = row[feature.column]
            if math.isnan(want):
                assert math.isnan(got), (feature, c, j)
                seen_nan += 1
            else:
                assert got == np.float32(want), (feature, c, j)
                seen_value += 1
    assert seen_nan > 1000 and seen_value > 5000  # both branches of every column were met
    empty = featurizer.pair_features([], [], np.zeros(0), np.zeros(0))
    assert empty.shape == (0, len(Feature))
