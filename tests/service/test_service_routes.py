"""Every route of the service, through FastAPI's TestClient."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

NEW_JOB = {
    "id": "new-1",
    "title": "数据分析实习生",
    "description": "协助数据清洗与分析，熟悉SQL、Python和Tableau",
    "employer": "字节跳动",
    "city": "北京",
    "salary_min": 4000,
    "salary_max": 6000,
    "employment_type": "internship",
    "deadline": "2099-06-30",
}
NEW_CANDIDATE = {
    "id": "new-c",
    "resume_text": "数学与应用数学本科，熟悉Python、SQL和Tableau",
    "school": "武汉大学",
    "degree": "bachelor",
    "major": "数学与应用数学",
    "graduation_year": 2026,
    "desired_cities": ["北京"],
    "sensitive": {"hardship": ["脱贫家庭"], "gender": "male"},
}


def test_health(read_client: TestClient, dataset: dict[str, Any]) -> None:
    body = read_client.get("/health").json()
    assert body["status"] == "ok"
    assert (body["n_jobs"], body["n_candidates"]) == (
        len(dataset["jobs"]),
        len(dataset["candidates"]),
    )
    assert set(body["model_versions"]) == {"jobs", "candidates"}


def test_docs_and_openapi(read_client: TestClient) -> None:
    assert read_client.get("/docs").status_code == 200
    spec = read_client.get("/openapi.json").json()
    assert spec["info"]["title"] == "gradmatch"
    assert spec["info"]["version"]
    paths = spec["paths"]
    for path in (
        "/health",
        "/v1/jobs",
        "/v1/jobs/{job_id}",
        "/v1/candidates",
        "/v1/candidates/{candidate_id}",
        "/v1/events",
        "/v1/candidates/{candidate_id}/recommendations",
        "/v1/jobs/{job_id}/candidates",
        "/v1/ranker/train",
        "/v1/ranker/train/{job_id}",
        "/v1/audit",
    ):
        assert path in paths, path
    schemas = spec["components"]["schemas"]
    # The input model declares sensitive attributes; no output model does.
    assert "sensitive" in schemas["CandidateCreate"]["properties"]
    for name in ("CandidatePublic", "CandidateSummary", "CandidateMatchPublic"):
        assert "sensitive" not in schemas[name]["properties"], name


def test_job_crud(client: TestClient) -> None:
    created = client.post("/v1/jobs", json=NEW_JOB)
    assert created.status_code == 201
    assert created.json() == {"ids": ["new-1"]}

    job = client.get("/v1/jobs/new-1").json()
    assert job["title"] == "数据分析实习生"
    assert job["employment_type"] == "internship"
    assert job["deadline"] == "2099-06-30"
    assert "SQL" in job["required_skills"]  # read from the description

    patched = client.patch("/v1/jobs/new-1", json={"city": "上海", "salary_max": 7000})
    assert patched.status_code == 200
    assert (patched.json()["city"], patched.json()["salary_max"]) == ("上海", 7000)
    assert client.get("/v1/jobs/new-1").json()["city"] == "上海"

    assert client.delete("/v1/jobs/new-1").status_code == 204
    assert client.get("/v1/jobs/new-1").status_code == 404


def test_job_batch(client: TestClient, dataset: dict[str, Any]) -> None:
    batch = [{**NEW_JOB, "id": f"b{i}", "city": city} for i, city in enumerate(["北京", "成都"])]
    response = client.post("/v1/jobs", json={"jobs": batch})
    assert response.status_code == 201
    assert response.json() == {"ids": ["b0", "b1"]}
    assert client.get("/health").json()["n_jobs"] == len(dataset["jobs"]) + 2


def test_candidate_crud(client: TestClient) -> None:
    assert client.post("/v1/candidates", json=NEW_CANDIDATE).json() == {"ids": ["new-c"]}
    profile = client.get("/v1/candidates/new-c").json()
    assert profile["major"] == "数学与应用数学"
    assert profile["degree"] == "bachelor"
    assert "sensitive" not in profile

    patched = client.patch("/v1/candidates/new-c", json={"desired_cities": ["上海", "杭州"]})
    assert patched.status_code == 200
    assert patched.json()["desired_cities"] == ["上海", "杭州"]
    assert "sensitive" not in patched.json()

    assert client.delete("/v1/candidates/new-c").status_code == 204
    assert client.get("/v1/candidates/new-c").status_code == 404


def test_candidate_batch(client: TestClient) -> None:
    batch = [{**NEW_CANDIDATE, "id": f"nc{i}"} for i in range(3)]
    response = client.post("/v1/candidates", json={"candidates": batch})
    assert response.status_code == 201
    assert response.json()["ids"] == ["nc0", "nc1", "nc2"]


def test_events(client: TestClient) -> None:
    one = client.post("/v1/events", json={"candidate_id": "c01", "job_id": "j00", "type": "view"})
    assert one.status_code == 201
    assert one.json() == {"n_recorded": 1}
    batch = {
        "events": [
            {
                "candidate_id": "c01",
                "job_id": "j01",
                "type": "apply",
                "timestamp": "2025-10-01T09:30:00+08:00",
            },
            {"candidate_id": "c02", "job_id": "j01", "type": "hire"},
        ]
    }
    assert client.post("/v1/events", json=batch).json() == {"n_recorded": 2}


def test_recommendations(read_client: TestClient) -> None:
    response = read_client.get("/v1/candidates/c01/recommendations", params={"k": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["candidate_id"] == "c01"
    assert body["model_version"]
    matches = body["matches"]
    assert 1 <= len(matches) <= 5
    assert [m["rank"] for m in matches] == list(range(1, len(matches) + 1))
    top = matches[0]
    # The data analyst profile gets a data analyst job first, with its skills explained.
    assert top["job"]["title"] == "数据分析师"
    assert {"Python", "SQL"} <= set(top["reasons"]["matched_skills"])
    assert "Excel" in top["reasons"]["missing_skills"]
    assert set(top["job"]) == {
        "title",
        "employer",
        "city",
        "salary_min",
        "salary_max",
        "employment_type",
        "deadline",
    }
    assert top["reasons"]["language"] == "zh"  # the resume is Chinese
    for feature in top["reasons"]["top_features"]:
        assert set(feature) == {"feature", "contribution", "label", "text"}
        assert feature["label"] and feature["text"]


def test_reasons_come_in_the_language_asked_for(read_client: TestClient) -> None:
    url = "/v1/candidates/c01/recommendations"
    english = read_client.get(url, params={"lang": "en"}).json()["matches"][0]["reasons"]
    assert english["language"] == "en"
    assert all(t["text"].isascii() for t in english["top_features"])
    header = read_client.get(url, headers={"Accept-Language": "en-GB,en;q=0.9"}).json()
    assert header["matches"][0]["reasons"]["language"] == "en"
    chinese = read_client.get(url, params={"lang": "zh"}).json()["matches"][0]["reasons"]
    assert any("\u4e00" <= ch <= "\u9fff" for t in chinese["top_features"] for ch in t["text"])
    assert read_client.get(url, params={"lang": "fr"}).status_code == 422


def test_recommendation_filters(read_client: TestClient) -> None:
    url = "/v1/candidates/c01/recommendations"
    cities = read_client.get(url, params={"k": 50, "city": ["北京", "上海"]}).json()["matches"]
    assert cities
    assert {m["job"]["city"] for m in cities} <= {"北京", "上海"}

    # Jobs in 深圳 expired in 2020: left out unless asked for.
    default = read_client.get(url, params={"k": 50}).json()["matches"]
    assert all(m["job"]["city"] != "深圳" for m in default)
    expired = read_client.get(url, params={"k": 50, "include_expired": True}).json()["matches"]
    assert any(m["job"]["city"] == "深圳" for m in expired)

    interns = read_client.get(url, params={"k": 50, "employment_type": "internship"}).json()
    assert interns["matches"]
    assert {m["job"]["employment_type"] for m in interns["matches"]} == {"internship"}

    key = read_client.get(url, params={"k": 50, "key_sector": True}).json()["matches"]
    assert key
    assert {m["job"]["title"] for m in key} <= {"护士", "电气工程师"}

    typed = read_client.get(url, params={"k": 50, "job_type": "会计"}).json()["matches"]
    assert typed
    assert {m["job"]["title"] for m in typed} == {"会计"}


def test_rank_candidates(read_client: TestClient) -> None:
    response = read_client.get("/v1/jobs/j00/candidates", params={"k": 6})
    assert response.status_code == 200
    body = response.json()
    assert body["job_id"] == "j00"
    matches = body["matches"]
    assert 1 <= len(matches) <= 6
    assert matches[0]["candidate"]["major"] == "统计学"
    assert set(matches[0]["candidate"]) == {
        "school",
        "degree",
        "major",
        "graduation_year",
        "skills",
    }
    bare = read_client.get(
        "/v1/jobs/j00/candidates", params={"k": 3, "include_profile": False}
    ).json()
    assert all(m["candidate"] is None for m in bare["matches"])


def test_rank_candidate_filters(read_client: TestClient) -> None:
    url = "/v1/jobs/j00/candidates"
    years = read_client.get(url, params={"k": 50, "graduation_year": 2026}).json()["matches"]
    assert years
    assert {m["candidate"]["graduation_year"] for m in years} == {2026}
    masters = read_client.get(url, params={"k": 50, "min_degree": "硕士"}).json()["matches"]
    assert masters
    assert {m["candidate"]["degree"] for m in masters} == {"master"}


def test_audit_records_each_ranking(read_client: TestClient) -> None:
    read_client.get("/v1/jobs/j10/candidates", params={"k": 3})
    records = read_client.get("/v1/audit", params={"limit": 1}).json()["records"]
    assert len(records) == 1
    assert records[0]["job_id"] == "j10"
    assert records[0]["kind"] == "rank_candidates"
    assert "priority_changed" in records[0]


def test_train_ranker(client: TestClient, dataset: dict[str, Any]) -> None:
    before = client.get("/health").json()["model_versions"]
    response = client.post(
        "/v1/ranker/train?wait=true",
        json={"n_estimators": 20, "min_queries": 3, "negatives_per_query": 10},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["n_events"] == len(dataset["events"])
    assert {d["direction"] for d in body["directions"]} == {
        "jobs-for-candidates",
        "candidates-for-job",
    }
    after = client.get("/health").json()["model_versions"]
    assert body["model_versions"] == after
    jobs_report = next(d for d in body["directions"] if d["direction"] == "jobs-for-candidates")
    if jobs_report["adopted"]:
        assert after["jobs"] == jobs_report["model_version"] != before["jobs"]
    else:
        assert after["jobs"] == before["jobs"]
    recs = client.get("/v1/candidates/c00/recommendations").json()
    assert recs["model_version"] == after["jobs"]


def test_train_ranker_without_body(client: TestClient) -> None:
    assert client.post("/v1/ranker/train?wait=true").status_code == 200


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_load_every_asset_from_the_service_itself(client: TestClient, page: str) -> None:
    import re

    response = client.get(page)
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", response.text)
    urls += re.findall(r"""url: ?["']([^"']+)["']""", response.text)
    assert urls, response.text
    for url in urls:
        # nothing from another host: the page works offline
        assert url.startswith("/"), url
        assert client.get(url).status_code == 200, url
    assert "googleapis" not in response.text and "cdn.jsdelivr" not in response.text


def test_a_lone_surrogate_in_any_text_is_a_422_naming_the_field(client: TestClient) -> None:
    # json.dumps writes "\ud800" as the escape a client would send
    for body, field in (
        ({**NEW_JOB, "description": "熟悉SQL \ud800"}, "description"),
        ({**NEW_JOB, "title": "\udfff"}, "title"),
        ({**NEW_JOB, "required_skills": ["SQL", "\ud83d"]}, "required_skills[1]"),
    ):
        response = client.post(
            "/v1/jobs", content=json.dumps(body), headers={"content-type": "application/json"}
        )
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["field"].endswith(field) and "surrogate" in error["message"], error
    candidate = {**NEW_CANDIDATE, "resume_text": "统计学 \ud800"}
    response = client.post(
        "/v1/candidates",
        content=json.dumps(candidate),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422 and "surrogate" in response.json()["error"]["message"]
    assert client.get("/v1/jobs/new-1").status_code == 404  # nothing was stored


def test_an_id_with_a_slash_is_refused_with_the_grammar(client: TestClient) -> None:
    response = client.post("/v1/jobs", json={**NEW_JOB, "id": "acme/1"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"].endswith("id") and "no slash" in error["message"]
    response = client.post("/v1/candidates", json={**NEW_CANDIDATE, "id": "a\\b"})
    assert response.status_code == 422


def _boundary_values(prop: dict, spec: dict) -> list[Any]:
    """Values the schema allows for one property, at its edges (None where nullable)."""
    if "enum" in prop:  # beside anyOf, it applies to every option
        return [v for v in prop["enum"] if v is not None]
    options = prop.get("anyOf", [prop])
    values: list[Any] = []
    for option in options:
        if "$ref" in option or option.get("type") == "null":
            continue
        if "enum" in option:
            values += option["enum"]
        elif option.get("type") == "integer":
            values += [option.get("minimum", 0), option.get("maximum", 7)]
        elif option.get("type") == "number":
            values += [option.get("minimum", 0.0), option.get("maximum", 1.5)]
        elif option.get("type") == "boolean":
            values += [True, False]
        elif option.get("type") == "string" and option.get("format") == "date":
            values += ["2030-01-01"]
        elif option.get("type") == "string":
            values += ["岗位A", "x" * option.get("maxLength", 20)]
        elif option.get("type") == "array":
            item = option.get("items", {})
            values += [[], list(_boundary_values(item, spec)[:3])]
    return values


def test_bodies_the_schema_allows_are_accepted(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schema = spec["components"]["schemas"]["JobCreate"]
    base = {"id": "edge-0", "title": "数据分析实习生"}
    tried = 0
    for name, prop in schema["properties"].items():
        if name in ("id", "salary_min", "salary_max", "posted_at", "deadline"):
            continue  # checked together below: the pairs have an order
        for value in _boundary_values(prop, spec):
            body = {**base, name: value}
            response = client.post("/v1/jobs", json=body)
            assert response.status_code == 201, (name, value, response.text)
            tried += 1
    for low, high in ((0, 0), (0, 10_000_000)):
        response = client.post("/v1/jobs", json={**base, "salary_min": low, "salary_max": high})
        assert response.status_code == 201, response.text
    # an id at the grammar's edges
    for job_id in ("a", "岗位 001", "x" * 128, "a.b:c@d-e_f"):
        assert client.post("/v1/jobs", json={**base, "id": job_id}).status_code == 201, job_id
        assert client.get(f"/v1/jobs/{job_id}").status_code == 200, job_id
    assert tried > 40
    assert (
        schema["properties"]["id"]["maxLength"] == 128 and "pattern" in schema["properties"]["id"]
    )


def test_jobs_are_listed_a_page_at_a_time_with_the_total(
    client: TestClient, dataset: dict[str, Any]
) -> None:
    n = len(dataset["jobs"])
    first = client.get("/v1/jobs", params={"limit": 2}).json()
    assert first["total"] == n and first["offset"] == 0 and len(first["jobs"]) == min(2, n)
    rest = client.get("/v1/jobs", params={"offset": 2, "limit": 1000}).json()
    ids = [j["id"] for j in first["jobs"] + rest["jobs"]]
    assert len(ids) == n == len(set(ids))
    some = dataset["jobs"][0]
    found = client.get("/v1/jobs", params={"q": some["title"][:2]}).json()
    assert some["id"] in [j["id"] for j in found["jobs"]]
    assert all(some["title"][:2].lower() in j["title"].lower() for j in found["jobs"])
    assert client.get("/v1/jobs", params={"city": "不存在的城市"}).json()["total"] == 0
    assert client.get("/v1/jobs", params={"limit": 0}).status_code == 422
    assert client.get("/v1/jobs", params={"offset": -1}).status_code == 422
