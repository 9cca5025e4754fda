"""The bundled demo data set: size, validity, diversity, realistic shares, reproducibility."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from matching.demo import DEMO_DATA_DIR, DEMO_FILES, read_demo_records
from matching.demo.candidates import market_skills
from matching.lexicon import MajorVocabulary
from matching.records import Candidate, DegreeLevel, EmploymentType, Event, EventType, Job


@pytest.fixture(scope="module")
def jobs() -> list[dict[str, Any]]:
    return read_demo_records("jobs")


@pytest.fixture(scope="module")
def candidates() -> list[dict[str, Any]]:
    return read_demo_records("candidates")


@pytest.fixture(scope="module")
def events() -> list[dict[str, Any]]:
    return read_demo_records("events")


def test_counts(jobs: list[dict], candidates: list[dict], events: list[dict]) -> None:
    assert len(jobs) >= 2000
    assert len(candidates) >= 1000
    assert len(events) >= 10 * len(candidates)
    summary = json.loads((DEMO_DATA_DIR / "summary.json").read_text(encoding="utf-8"))
    assert (summary["n_jobs"], summary["n_candidates"], summary["n_events"]) == (
        len(jobs),
        len(candidates),
        len(events),
    )


def test_every_record_validates_and_keeps_its_fields(
    jobs: list[dict], candidates: list[dict], events: list[dict]
) -> None:
    # The files hold exactly the record fields, so a round trip gives each line back unchanged.
    for record in jobs:
        assert Job.from_dict(record).to_dict() == record
    for record in candidates:
        assert Candidate.from_dict(record).to_dict() == record
    for record in events:
        assert Event.from_dict(record).to_dict() == record


def test_ids_are_unique_and_events_reference_them(
    jobs: list[dict], candidates: list[dict], events: list[dict]
) -> None:
    job_ids = {j["id"] for j in jobs}
    candidate_ids = {c["id"] for c in candidates}
    assert len(job_ids) == len(jobs)
    assert len(candidate_ids) == len(candidates)
    assert {e["job_id"] for e in events} <= job_ids
    assert {e["candidate_id"] for e in events} <= candidate_ids


def test_jobs_are_fully_structured(jobs: list[dict]) -> None:
    for job in jobs:
        for name in (
            "title",
            "description",
            "employer",
            "employer_type",
            "industry",
            "city",
            "job_type",
            "min_degree",
            "salary_min",
            "salary_max",
            "posted_at",
            "deadline",
            "experience_years",
        ):
            assert job[name] not in (None, ""), (job["id"], name)
        assert job["required_skills"] and job["preferred_majors"], job["id"]
        assert job["salary_min"] <= job["salary_max"]
        assert job["posted_at"].startswith("2026") and job["deadline"].startswith("2026")
    assert sum(bool(j["preferred_skills"]) for j in jobs) / len(jobs) > 0.95
    kinds = Counter(j["employment_type"] for j in jobs)
    assert kinds[EmploymentType.FULL_TIME.value] / len(jobs) > 0.8
    assert kinds[EmploymentType.INTERNSHIP.value] > 0


def test_candidates_are_fully_structured(candidates: list[dict]) -> None:
    for c in candidates:
        for name in (
            "resume_text",
            "school",
            "degree",
            "major",
            "graduation_year",
            "expected_salary",
        ):
            assert c[name] not in (None, ""), (c["id"], name)
        assert c["skills"] and c["desired_cities"] and c["desired_job_types"], c["id"]
        assert 2025 <= c["graduation_year"] <= 2027
        assert c["sensitive"]["gender"] in ("female", "male")


def test_market_skills_counts_postings_per_named_major() -> None:
    jobs = [
        {
            "preferred_majors": ["软件工程"],
            "required_skills": ["HTML", "CSS"],
            "preferred_skills": [],
        },
        {
            "preferred_majors": ["软件工程", "网络工程"],
            "required_skills": ["HTML"],
            "preferred_skills": ["HTML", "Linux"],
        },
        {"preferred_majors": [], "required_skills": ["会计"], "preferred_skills": []},
    ]
    found = market_skills(jobs)
    assert found == {
        "软件工程": Counter({"HTML": 2, "CSS": 1, "Linux": 1}),
        "网络工程": Counter({"HTML": 1, "Linux": 1}),
    }


def test_graduates_bring_skills_the_postings_naming_their_major_ask_for(
    jobs: list[dict], candidates: list[dict]
) -> None:
    market = market_skills(jobs)
    related = {m.name: set(m.skills) for m in MajorVocabulary.default()}
    extra = [set(c["skills"]) - related[c["major"]] for c in candidates]
    asked = set().union(*(market.get(c["major"], Counter()) for c in candidates))
    # Some graduates list skills beyond their major's own, and those come from the market.
    assert sum(bool(e & asked) for e in extra) >= len(candidates) // 4
    # Every posting that asks for skills finds at least one graduate with one of them.
    held = set().union(*(set(c["skills"]) for c in candidates))
    for j in jobs:
        if j["required_skills"]:
            assert held & set(j["required_skills"]), j["id"]


def test_diversity(jobs: list[dict], candidates: list[dict]) -> None:
    assert len({c["major"] for c in candidates}) >= 60
    assert len({c["school"] for c in candidates}) >= 300
    assert len({j["city"] for j in jobs}) >= 40
    assert len({j["job_type"] for j in jobs}) >= 20
    assert len({j["industry"] for j in jobs}) >= 10
    # No single family dominates the occupation-based half, which spans many fields.
    second_half = Counter(j["job_type"] for j in jobs[len(jobs) // 2 :])
    assert second_half.most_common(1)[0][1] / sum(second_half.values()) < 0.1
    assert {c["degree"] for c in candidates} == {d.value for d in DegreeLevel}


def test_realistic_shares(jobs: list[dict], candidates: list[dict]) -> None:
    n = len(candidates)
    hardship = sum(bool(c["sensitive"]["hardship"]) for c in candidates) / n
    assert 0.02 <= hardship <= 0.10  # observed 0.055 with seed 0
    assert sum(bool(c["sensitive"]["disability"]) for c in candidates) / n < 0.03
    female = sum(c["sensitive"]["gender"] == "female" for c in candidates) / n
    assert female == pytest.approx(0.5, abs=0.05)
    english = sum(c["resume_text"].startswith("Education:") for c in candidates) / n
    assert 0.02 <= english <= 0.10
    grassroots = sum(j["grassroots_programme"] for j in jobs) / len(jobs)
    assert 0.005 <= grassroots <= 0.08
    key = sum(j["key_sector"] for j in jobs) / len(jobs)
    assert 0.05 <= key <= 0.5


def test_associate_degrees_come_from_vocational_colleges(candidates: list[dict]) -> None:
    from matching.demo.sources import load_schools

    undergraduate = {s.name: s.undergraduate for s in load_schools()}
    for c in candidates:
        assert undergraduate[c["school"]] == (c["degree"] != DegreeLevel.ASSOCIATE.value)


def test_event_funnel(events: list[dict]) -> None:
    steps: dict[tuple[str, str], list[tuple[int, datetime]]] = {}
    for e in events:
        steps.setdefault((e["candidate_id"], e["job_id"]), []).append(
            (EventType(e["type"]).grade, datetime.fromisoformat(e["timestamp"]))
        )
    views = Counter(c for c, _ in steps)
    assert min(views.values()) >= 10 and max(views.values()) <= 30
    for pair, path in steps.items():
        grades = sorted(g for g, _ in path)
        # Every step up to the furthest one is logged once, in time order.
        assert grades == list(range(1, grades[-1] + 1)), pair
        assert [t for _, t in sorted(path)] == sorted(t for _, t in path), pair
    hires = Counter(c for (c, _), path in steps.items() if len(path) == 5)
    assert hires and max(hires.values()) == 1
    types = Counter(e["type"] for e in events)
    assert types["view"] > types["apply"] > types["interview"] > types["offer"] >= types["hire"]


def test_events_prefer_fitting_pairs(
    jobs: list[dict], candidates: list[dict], events: list[dict]
) -> None:
    # Applications go mostly to postings whose degree requirement the candidate meets.
    by_job = {j["id"]: j for j in jobs}
    by_cand = {c["id"]: c for c in candidates}
    rank = {d.value: d.rank for d in DegreeLevel}
    met = Counter()
    for e in events:
        if e["type"] in ("view", "apply"):
            ok = (
                rank[by_cand[e["candidate_id"]]["degree"]]
                >= rank[by_job[e["job_id"]]["min_degree"]]
            )
            met[(e["type"], ok)] += 1
    apply_met = met[("apply", True)] / (met[("apply", True)] + met[("apply", False)])
    view_met = met[("view", True)] / (met[("view", True)] + met[("view", False)])
    assert apply_met > view_met + 0.1  # observed 0.86 against 0.59 with seed 0


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    from matching.demo import build_demo_data

    summary = build_demo_data(
        tmp_path,
        seed=json.loads((DEMO_DATA_DIR / "summary.json").read_text(encoding="utf-8"))["seed"],
    )
    assert summary.n_jobs >= 2000
    for name in (*DEMO_FILES.values(), "summary.json"):
        # After a change to the builder or the vocabularies in matching/data, the bundled files
        # are stale: rebuild them with `python -m matching.demo.build`.
        assert (tmp_path / name).read_bytes() == (DEMO_DATA_DIR / name).read_bytes(), name


def test_other_seed_gives_other_small_data(tmp_path: Path) -> None:
    from matching.demo import build_demo_data

    a = build_demo_data(tmp_path / "a", n_jobs=40, n_candidates=20, seed=1)
    b = build_demo_data(tmp_path / "b", n_jobs=40, n_candidates=20, seed=1)
    c = build_demo_data(tmp_path / "c", n_jobs=40, n_candidates=20, seed=2)
    assert a.n_jobs == 40 and a.n_candidates == 20
    jobs_a = (tmp_path / "a" / DEMO_FILES["jobs"]).read_bytes()
    assert jobs_a == (tmp_path / "b" / DEMO_FILES["jobs"]).read_bytes()
    assert jobs_a != (tmp_path / "c" / DEMO_FILES["jobs"]).read_bytes()
    assert b.n_events > 0 and c.n_events > 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n_jobs": 5}, "n_jobs"),
        ({"n_candidates": 2.5}, "n_candidates"),
        ({"seed": -1}, "seed"),
    ],
)
def test_builder_refuses_bad_arguments(tmp_path: Path, kwargs: dict, field: str) -> None:
    from matching.demo import build_demo_data

    with pytest.raises(ValueError, match=field):
        build_demo_data(tmp_path, **kwargs)


def test_every_shipped_source_is_attributed() -> None:
    from matching.demo.sources import SOURCE_FILES, SOURCES_DIR, source_path

    attribution = (SOURCES_DIR.parent / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for path in SOURCES_DIR.glob("*.gz"):
        assert path.name in attribution, path.name
    for name in SOURCE_FILES:
        assert source_path(name).is_file(), name
    assert (SOURCES_DIR / "LICENSE-Apache-2.0.txt").is_file()
