"""A restarted service answers exactly as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from service import Settings, create_app

QUERIES = [
    ("/v1/candidates/c00/recommendations", {"k": 10}),
    ("/v1/candidates/new-c/recommendations", {"k": 10, "city": ["北京", "上海"]}),
    ("/v1/jobs/new-j/candidates", {"k": 10}),
    ("/v1/jobs/j00/candidates", {"k": 10}),
]


def _writes(client: TestClient) -> None:
    job = {
        "id": "new-j",
        "title": "数据分析师",
        "description": "熟悉SQL、Python和Tableau",
        "city": "北京",
        "deadline": "2099-01-01",
    }
    cand = {
        "id": "new-c",
        "resume_text": "统计学硕士，熟悉Python、SQL和Tableau",
        "desired_cities": ["北京"],
        "sensitive": {"hardship": ["脱贫家庭"]},
    }
    assert client.post("/v1/jobs", json=job).status_code == 201
    assert client.post("/v1/candidates", json=cand).status_code == 201
    assert client.patch("/v1/jobs/j01", json={"salary_max": 20000}).status_code == 200
    assert client.delete("/v1/jobs/j02").status_code == 204
    assert client.delete("/v1/candidates/c02").status_code == 204
    events = {
        "events": [
            {"candidate_id": "new-c", "job_id": "j00", "type": "apply"},
            {"candidate_id": "c10", "job_id": "new-j", "type": "offer"},
        ]
    }
    assert client.post("/v1/events", json=events).status_code == 201
    train = {"n_estimators": 20, "min_queries": 3, "negatives_per_query": 10}
    assert client.post("/v1/ranker/train?wait=true", json=train).status_code == 200


def _answers(client: TestClient) -> list[Any]:
    out: list[Any] = [client.get("/health").json(), client.get("/v1/jobs/j01").json()]
    for url, params in QUERIES:
        response = client.get(url, params=params)
        assert response.status_code == 200, response.text
        out.append(response.json())
    out.append(client.get("/v1/jobs/j02").status_code)
    return out


def test_restart_answers_exactly_as_before(engine_dir: Path) -> None:
    with TestClient(create_app(Settings(engine_dir=engine_dir, auth="off"))) as client:
        _writes(client)
        before = _answers(client)

    # A new app opens the directory itself, as a restarted server would.
    with TestClient(create_app(Settings(engine_dir=engine_dir, auth="off"))) as restarted:
        after = _answers(restarted)
    assert after == before
    assert before[-1] == 404


def test_without_save_on_write_the_app_saves_at_shutdown(engine_dir: Path) -> None:
    app = create_app(Settings(engine_dir=engine_dir, save_on_write=False, auth="off"))
    with TestClient(app) as client:
        job = {"id": "late", "title": "会计", "description": "负责账务处理"}
        assert client.post("/v1/jobs", json=job).status_code == 201
        train = {"n_estimators": 10, "min_queries": 3, "negatives_per_query": 5}
        trained = client.post("/v1/ranker/train?wait=true", json=train).json()["model_versions"]
    with TestClient(create_app(Settings(engine_dir=engine_dir, auth="off"))) as restarted:
        assert restarted.get("/v1/jobs/late").status_code == 200
        assert restarted.get("/health").json()["model_versions"] == trained
