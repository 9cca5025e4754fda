"""Sensitive attributes go in, and come out to no one but their owner and operators (export)."""

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


GROUP_WORDS = ("female", "male", "not_assisted", "double_first_class", "northeast", "disabled")


def _twins(client: TestClient) -> None:
    """Two candidates alike in every field a ranking reads; the second is hardship-assisted."""
    base = {
        "resume_text": "统计学本科，熟悉Python、SQL和Excel，做过两段数据分析实习",
        "major": "统计学",
        "degree": "本科",
        "school": "四川大学",
        "graduation_year": 2025,
        "skills": ["Python", "SQL", "Excel"],
        "desired_cities": ["北京"],
    }
    plain = {"id": "c-twin-a", **base}
    assisted = {"id": "c-twin-b", **base, "sensitive": {"hardship": ["脱贫家庭"]}}
    assert client.post("/v1/candidates", json={"candidates": [plain, assisted]}).status_code == 201


def _strip(match: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in match.items() if k not in ("id", "rank", "score", "relevance")}


def test_a_move_by_the_priority_shows_nowhere_in_the_response(client: TestClient) -> None:
    _twins(client)
    response = client.get("/v1/jobs/j00/candidates", params={"k": 30})
    assert response.status_code == 200
    matches = response.json()["matches"]
    ids = [m["id"] for m in matches]
    # the priority acted: the assisted twin, stored second, is ranked ahead of the other
    assert ids.index("c-twin-b") < ids.index("c-twin-a")
    a = next(m for m in matches if m["id"] == "c-twin-a")
    b = next(m for m in matches if m["id"] == "c-twin-b")
    # everything a recruiter sees of the two, beyond id and rank, is the same
    assert _strip(a) == _strip(b)
    # scores are a function of the rank alone, so no inversion or tie shows a move
    n = len(matches)
    assert [m["score"] for m in matches] == [round((n - i) / n, 4) for i in range(n)]
    assert [m["relevance"] for m in matches] == [m["score"] for m in matches]
    # contributions are shares of each candidate's own evidence: they cannot be summed back
    # into model scores to compare with the order
    for m in matches:
        shares = [f["contribution"] for f in m["reasons"]["top_features"]]
        assert all(-1.0 <= s <= 1.0 for s in shares) and sum(s for s in shares if s > 0) <= 1.0001
    assert not any(word in response.text for word in GROUP_WORDS)
    assert "脱贫" not in response.text and "hardship" not in response.text


def test_fairness_groups_show_nowhere_in_a_ranking_under_a_request_policy(
    make_client: Any,
) -> None:
    client = make_client(operator_api_key="op-key")
    body = {
        "k": 12,
        "policy": {
            "fairness": {"kind": "det_cons", "target_proportions": "pool"},
            "attribute": "gender",
        },
    }
    response = client.post(
        "/v1/jobs/j00/candidates/ranking", json=body, headers={"X-Operator-Key": "op-key"}
    )
    assert response.status_code == 200, response.text
    assert not any(word in response.text for word in GROUP_WORDS)
    assert "sensitive" not in response.text and "gender" not in response.text
    n = len(response.json()["matches"])
    assert [m["score"] for m in response.json()["matches"]] == [
        round((n - i) / n, 4) for i in range(n)
    ]
