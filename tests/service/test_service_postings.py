"""The fair-recruitment check over HTTP: checking, rejecting and holding postings."""

from __future__ import annotations

from typing import Any

OP = {"X-Operator-Key": "op-key"}
BAD = {
    "id": "j-bad",
    "title": "行政前台",
    "description": "限女性，年龄18-25岁，入职需缴纳300元服装押金。",
    "city": "成都",
}
GOOD = {"id": "j-good", "title": "会计", "description": "会计学专业，熟悉财务软件，男女不限。"}


def test_check_a_posting_before_publishing(client: Any) -> None:
    response = client.post("/v1/postings/check", json=BAD)
    assert response.status_code == 200, response.text
    flags = response.json()["flags"]
    assert {(f["rule"], f["category"]) for f in flags} >= {
        ("gender", "discrimination"),
        ("age", "discrimination"),
        ("fee", "fraud"),
    }
    for f in flags:
        assert BAD[f["field"]][f["start"] : f["end"]] == f["span"]
        assert f["suggestion"]
    assert client.post("/v1/postings/check", json=GOOD).json()["flags"] == []
    # nothing was stored
    assert client.get("/v1/jobs/j-bad").status_code == 404


def test_reject_mode_refuses_a_flagged_posting_and_stores_the_clean_ones(make_client: Any) -> None:
    client = make_client(posting_check="reject")
    response = client.post("/v1/jobs", json=BAD)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "description" and "限女性" in error["message"]
    assert client.get("/v1/jobs/j-bad").status_code == 404
    assert client.post("/v1/jobs", json=GOOD).status_code == 201
    # a batch with one flagged posting stores nothing
    batch = client.post("/v1/jobs", json={"jobs": [{**GOOD, "id": "j-good2"}, BAD]})
    assert batch.status_code == 422 and batch.json()["error"]["field"].startswith("jobs[1].")
    assert client.get("/v1/jobs/j-good2").status_code == 404


def test_hold_mode_keeps_flagged_postings_for_an_operator(make_client: Any) -> None:
    client = make_client(posting_check="hold", operator_api_key="op-key")
    response = client.post("/v1/jobs", json={"jobs": [GOOD, BAD]})
    assert response.status_code == 202, response.text
    assert response.json() == {"ids": ["j-good"], "held": ["j-bad"]}
    assert client.get("/v1/jobs/j-bad").status_code == 404
    held = client.get("/v1/postings/held", headers=OP).json()["postings"]
    assert [h["id"] for h in held] == ["j-bad"] and held[0]["record"]["title"] == "行政前台"
    assert {f["rule"] for f in held[0]["flags"]} >= {"gender", "fee"}
    assert client.get("/v1/postings/held").status_code == 401
    # an operator publishes it after review; it leaves the held list
    released = client.post("/v1/postings/held/j-bad/release", headers=OP)
    assert released.status_code == 201 and released.json()["id"] == "j-bad"
    assert client.get("/v1/jobs/j-bad").status_code == 200
    assert client.get("/v1/postings/held", headers=OP).json()["postings"] == []
    assert client.post("/v1/postings/held/j-bad/release", headers=OP).status_code == 404
    # or drops one
    client.post("/v1/jobs", json={**BAD, "id": "j-bad2"})
    assert client.delete("/v1/postings/held/j-bad2", headers=OP).status_code == 204
    assert client.get("/v1/postings/held", headers=OP).json()["postings"] == []


def test_held_postings_survive_a_restart(make_client: Any) -> None:
    client = make_client(posting_check="hold", operator_api_key="op-key")
    assert client.post("/v1/jobs", json=BAD).status_code == 202
    again = make_client(posting_check="hold", operator_api_key="op-key")
    assert [h["id"] for h in again.get("/v1/postings/held", headers=OP).json()["postings"]] == [
        "j-bad"
    ]


def test_the_stored_postings_are_checked_for_operators(make_client: Any) -> None:
    client = make_client(operator_api_key="op-key")
    assert client.post("/v1/jobs", json=BAD).status_code == 201  # the check is off by default
    page = client.get("/v1/postings/flags", headers=OP).json()
    assert page["n_checked"] >= 1 and "j-bad" in [p["id"] for p in page["postings"]]


def test_operator_reports_over_http(make_client: Any) -> None:
    client = make_client(operator_api_key="op-key")
    assert client.get("/v1/reports/risk").status_code == 401
    supply = client.get("/v1/reports/supply-demand", headers=OP)
    assert supply.status_code == 200 and "shortage" in supply.json()
    risk = client.get("/v1/reports/risk", params={"as_of": "2026-03-01"}, headers=OP).json()
    assert risk["as_of"] == "2026-03-01" and set(risk["tiers"]) == {"red", "yellow", "green"}
    quality = client.get("/v1/reports/quality", headers=OP).json()
    assert set(quality) == {"n_outcomes", "overall", "by"}
    assert client.get("/v1/reports/nothing", headers=OP).status_code == 422
