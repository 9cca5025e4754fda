"""Sensitive attributes go in, and never come out of any endpoint."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

SENSITIVE_KEYS = ("sensitive", "hardship", "gender", "disability", "ethnicity", "origin")


def _leaks(text: str, sensitive: dict[str, Any]) -> list[str]:
    values = [
        *sensitive["hardship"],
        "minimum_living_allowance",
        sensitive["gender"],
        sensitive["ethnicity"],
        sensitive["origin"],
        "凉山",
        "assisted",
    ]
    return [s for s in (*SENSITIVE_KEYS, *values) if s in text]


def test_recruiter_response_has_no_sensitive_attribute(
    client: TestClient, sensitive: dict[str, Any]
) -> None:
    extra = {
        "id": "c-private",
        "resume_text": "统计学本科，熟悉Python、SQL和Excel，做过数据分析",
        "major": "统计学",
        "degree": "本科",
        "desired_cities": ["北京"],
        "sensitive": {**sensitive, "hardship": ["低保家庭", "零就业家庭"]},
    }
    assert client.post("/v1/candidates", json=extra).status_code == 201

    response = client.get("/v1/jobs/j00/candidates", params={"k": 30})
    assert response.status_code == 200
    ids = {m["id"] for m in response.json()["matches"]}
    # Candidates with sensitive records are among those ranked...
    assert {"c-private", "c01"} <= ids
    # ...and no key or value of those records is anywhere in the raw response.
    assert _leaks(response.text, sensitive) == []
    assert "零就业家庭" not in response.text


def test_profile_and_update_have_no_sensitive_attribute(
    client: TestClient, sensitive: dict[str, Any]
) -> None:
    assert _leaks(client.get("/v1/candidates/c01").text, sensitive) == []
    patched = client.patch("/v1/candidates/c01", json={"sensitive": {**sensitive}})
    assert patched.status_code == 200
    assert _leaks(patched.text, sensitive) == []
    created = client.post(
        "/v1/candidates",
        json={
            "id": "c-new",
            "resume_text": "护理学专科",
            "sensitive": sensitive,
        },
    )
    assert _leaks(created.text, sensitive) == []


def test_sensitive_record_survives_an_update_of_other_fields(client: TestClient) -> None:
    # The recruiter never sees it, but the priority still must: a PATCH of the profile keeps
    # it (the engine merges), so the audit keeps counting the candidate as assisted.
    client.patch("/v1/candidates/c01", json={"school": "清华大学"})
    assert client.get("/v1/candidates/c01").json()["school"] == "清华大学"
    client.get("/v1/jobs/j00/candidates", params={"k": 30})
    record = client.get("/v1/audit", params={"limit": 1}).json()["records"][0]
    assert record["job_id"] == "j00"
