"""Operations: request ids, access logs without personal data, metrics, rate limits, probes."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from service.ops import JsonFormatter


def test_request_ids_and_access_logs(client: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="gradmatch.access")
    response = client.get("/v1/candidates/c01/recommendations", params={"k": 3})
    rid = response.headers["X-Request-ID"]
    assert len(rid) == 32
    assert (
        client.get("/v1/jobs/j00", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"]
        == "abc-123"
    )
    bad = client.get("/v1/jobs/j00", headers={"X-Request-ID": "no spaces allowed"})
    assert bad.headers["X-Request-ID"] != "no spaces allowed"
    records = [r for r in caplog.records if r.name == "gradmatch.access"]
    routes = [r.route for r in records]  # type: ignore[attr-defined]
    assert "/v1/candidates/{candidate_id}/recommendations" in routes
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == rid and line["status"] == 200 and line["ms"] >= 0
    # the template, never the id or the query
    assert all("c01" not in r.getMessage() and "k=3" not in r.getMessage() for r in records)


def test_metrics(client: Any) -> None:
    client.get("/v1/candidates/c01/recommendations", params={"k": 3})
    client.get("/v1/jobs/j00/candidates", params={"k": 3})
    text = client.get("/metrics").text
    assert (
        'gradmatch_request_seconds_count{method="GET",route="/v1/jobs/{job_id}/candidates",status="200"}'
        in text
    )
    assert 'gradmatch_ranking_stage_seconds_count{direction="candidates",stage="features"}' in text
    assert 'gradmatch_ranking_stage_seconds_count{direction="jobs",stage="retrieval"}' in text
    assert 'gradmatch_index_size{side="jobs"}' in text
    assert 'gradmatch_model_info{direction="jobs",version="transparent-' in text


def test_metrics_need_an_operator_when_roles_are_on(make_client: Any) -> None:
    token = "gm_metric_" + "m" * 24
    client = make_client(auth="keys", operator_token=token)
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_rate_limit_per_caller(make_client: Any) -> None:
    client = make_client(rate_limit=3)
    codes = [client.get("/v1/jobs/j00").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3] == 429
    limited = client.get("/v1/jobs/j00")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["error"]["type"] == "rate_limited"
    assert client.get("/health/live").status_code == 200  # probes are not limited


def test_probes(client: Any) -> None:
    assert client.get("/health/live").json() == {"status": "ok"}
    assert client.get("/health/ready").json() == {"status": "ready"}


def test_training_runs_in_the_background_while_reads_are_served(client: Any) -> None:
    import time

    body = {"n_estimators": 20, "min_queries": 3, "negatives_per_query": 10}
    started = client.post("/v1/ranker/train", json=body)
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["status"] == "running" and job["report"] is None
    # a second one while it runs is refused; reads go on
    second = client.post("/v1/ranker/train", json=body)
    assert second.status_code in (202, 409)
    if second.status_code == 409:
        assert second.json()["error"]["type"] == "conflict"
    deadline = time.monotonic() + 120
    reads = 0
    while True:
        assert client.get("/v1/candidates/c01/recommendations", params={"k": 3}).status_code == 200
        reads += 1
        status = client.get(f"/v1/ranker/train/{job['job_id']}").json()
        if status["status"] != "running" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert status["status"] == "done", status
    assert status["finished_at"] and status["report"]["model_versions"]["jobs"]
    assert reads >= 1
    assert client.get("/v1/ranker/train/nope").status_code == 404


def test_a_cohort_runs_in_the_background_and_pages_its_lists(client: Any) -> None:
    import time

    ids = ["c00", "c01", "c02"]
    started = client.post("/v1/cohorts/recommendations", json={"candidate_ids": ids, "k": 3})
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["status"] == "running" and job["total"] == 3
    deadline = time.monotonic() + 60
    while True:
        status = client.get(f"/v1/cohorts/recommendations/{job['job_id']}").json()
        if status["status"] != "running" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert status["status"] == "done" and status["done"] == 3, status
    page = client.get(
        f"/v1/cohorts/recommendations/{job['job_id']}/results", params={"offset": 1, "limit": 1}
    ).json()
    assert page["total"] == 3 and [r["candidate_id"] for r in page["results"]] == ["c01"]
    single = client.get("/v1/candidates/c01/recommendations", params={"k": 3}).json()
    assert [m["id"] for m in page["results"][0]["matches"]] == [m["id"] for m in single["matches"]]
    missing = client.post("/v1/cohorts/recommendations", json={"candidate_ids": ["c01", "nope"]})
    assert missing.status_code == 404 and "nope" in missing.text
    assert client.get("/v1/cohorts/recommendations/nope").status_code == 404
    assert client.post("/v1/cohorts/recommendations", json={"k": 0}).status_code == 422


def test_cohort_routes_are_for_operators(make_client: Any) -> None:
    token = "gm_cohort_" + "o" * 24
    client = make_client(auth="keys", operator_token=token)
    assert client.post("/v1/cohorts/recommendations", json={}).status_code == 401
    ok = client.post(
        "/v1/cohorts/recommendations", json={"k": 1}, headers={"Authorization": f"Bearer {token}"}
    )
    assert ok.status_code == 202
