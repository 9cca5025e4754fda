"""Roles and credentials: 401 without one, 403 outside the role's scope, hashed at rest."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from service.auth import CredentialError, CredentialStore

BOOT = "gm_bootop_" + "b" * 24


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def clients(make_client: Any) -> dict[str, Any]:
    client = make_client(auth="keys", operator_token=BOOT)
    op = _bearer(BOOT)
    job = client.get("/v1/jobs/j00", headers=op).json()
    made = {}
    for role, subject in (("student", "c01"), ("recruiter", job["employer"]), ("operator", None)):
        body = {"role": role, "subject": subject, "label": f"test {role}"}
        response = client.post("/v1/credentials", json=body, headers=op)
        assert response.status_code == 201, response.text
        made[role] = _bearer(response.json()["token"])
    return {"client": client, "employer": job["employer"], **made}


def test_no_credential_is_401_and_a_wrong_one_too(clients: dict[str, Any]) -> None:
    client = clients["client"]
    assert client.get("/v1/jobs/j00").status_code == 401
    assert client.get("/v1/jobs/j00", headers=_bearer("gm_nope_" + "x" * 24)).status_code == 401
    assert client.get("/health").status_code == 200  # liveness needs none
    response = client.get("/v1/jobs/j00", headers={"X-API-Key": BOOT})
    assert response.status_code == 200  # the token also works in X-API-Key


def test_student_reaches_only_their_own_records(clients: dict[str, Any]) -> None:
    client, student = clients["client"], clients["student"]
    assert client.get("/v1/candidates/c01", headers=student).status_code == 200
    assert client.get("/v1/candidates/c01/recommendations", headers=student).status_code == 200
    assert client.get("/v1/candidates/c02", headers=student).status_code == 403
    assert client.get("/v1/candidates/c02/recommendations", headers=student).status_code == 403
    assert (
        client.patch("/v1/candidates/c02", json={"major": "x"}, headers=student).status_code == 403
    )
    own = {"candidate_id": "c01", "job_id": "j00", "type": "view"}
    assert client.post("/v1/events", json=own, headers=student).status_code == 201
    other = {**own, "candidate_id": "c02"}
    assert client.post("/v1/events", json=other, headers=student).status_code == 403
    assert client.get("/v1/jobs/j00/candidates", headers=student).status_code == 403
    assert (
        client.post(
            "/v1/jobs", json={"id": "x", "title": "t", "description": "d"}, headers=student
        ).status_code
        == 403
    )
    assert client.get("/v1/audit", headers=student).status_code == 403
    error = client.get("/v1/candidates/c02", headers=student).json()["error"]
    assert error["type"] == "forbidden" and "own record" in error["message"]


def test_recruiter_reaches_only_their_organisations_jobs(clients: dict[str, Any]) -> None:
    client, recruiter, org = clients["client"], clients["recruiter"], clients["employer"]
    assert client.get("/v1/jobs/j00/candidates", headers=recruiter).status_code == 200
    others = [
        j["id"]
        for j in client.get("/v1/jobs", params={"limit": 100}, headers=recruiter).json()["jobs"]
        if client.get(f"/v1/jobs/{j['id']}", headers=recruiter).json().get("employer") != org
    ]
    assert others, "the fixture needs a job of another organisation"
    assert client.get(f"/v1/jobs/{others[0]}/candidates", headers=recruiter).status_code == 403
    assert client.delete(f"/v1/jobs/{others[0]}", headers=recruiter).status_code == 403
    # a new posting is the recruiter's organisation's; another organisation's name is refused
    new = {"id": "j-new", "title": "会计", "description": "会计学专业，熟悉财务软件"}
    assert client.post("/v1/jobs", json=new, headers=recruiter).status_code == 201
    assert client.get("/v1/jobs/j-new", headers=recruiter).json()["employer"] == org
    foreign = {**new, "id": "j-foreign", "employer": "某某别家公司"}
    assert client.post("/v1/jobs", json=foreign, headers=recruiter).status_code == 403
    takeover = {**new, "id": others[0]}
    assert client.post("/v1/jobs", json=takeover, headers=recruiter).status_code == 403
    # no candidate's record directly, and no operator route
    assert client.get("/v1/candidates/c01", headers=recruiter).status_code == 403
    assert client.post("/v1/ranker/train", json={}, headers=recruiter).status_code == 403
    interview = {"candidate_id": "c01", "job_id": "j00", "type": "interview"}
    assert client.post("/v1/events", json=interview, headers=recruiter).status_code == 201


def test_operator_reaches_everything_and_manages_credentials(clients: dict[str, Any]) -> None:
    client, operator = clients["client"], clients["operator"]
    assert client.get("/v1/candidates/c02", headers=operator).status_code == 200
    assert client.get("/v1/audit", headers=operator).status_code == 200
    listed = client.get("/v1/credentials", headers=operator).json()["credentials"]
    assert {c["role"] for c in listed} == {"student", "recruiter", "operator"}
    assert all("hash" not in c and "token" not in c for c in listed)
    student_key = next(c["key_id"] for c in listed if c["role"] == "student")
    assert client.delete(f"/v1/credentials/{student_key}", headers=operator).status_code == 204
    # revoked at once
    assert client.get("/v1/candidates/c01", headers=clients["student"]).status_code == 401
    assert client.delete(f"/v1/credentials/{student_key}", headers=operator).status_code == 404
    bad = client.post("/v1/credentials", json={"role": "student"}, headers=operator)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "subject"
    assert (
        client.post("/v1/credentials", json={"role": "admin"}, headers=operator).status_code == 422
    )


def test_credentials_are_hashed_at_rest(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "credentials.sqlite")
    key_id, token = store.create("recruiter", "某公司")
    assert store.verify(token) is not None and store.verify(token).subject == "某公司"
    store.close()
    raw = (tmp_path / "credentials.sqlite").read_bytes()
    secret = token.split("_", 2)[2]
    assert secret.encode() not in raw and token.encode() not in raw
    rows = sqlite3.connect(tmp_path / "credentials.sqlite").execute("SELECT hash FROM credentials")
    assert len(next(rows)[0]) == 64
    again = CredentialStore(tmp_path / "credentials.sqlite")
    assert again.verify(token).role == "recruiter"
    assert again.verify(token[:-1] + ("a" if token[-1] != "a" else "b")) is None
    with pytest.raises(CredentialError, match="role"):
        again.create("root")
    with pytest.raises(CredentialError, match="subject"):
        again.create("operator", "someone")


def test_a_bootstrap_operator_is_generated_and_printed_once(
    make_client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    make_client(auth="keys")
    printed = capsys.readouterr().err
    assert "gm_" in printed and "shown this once" in printed
    token = next(w for w in printed.split() if w.startswith("gm_"))
    again = make_client(auth="keys")
    assert "gm_" not in capsys.readouterr().err  # not again: an operator exists
    assert again.get("/v1/audit", headers=_bearer(token)).status_code == 200


def test_a_student_exports_and_deletes_their_data(clients: dict[str, Any]) -> None:
    client, student = clients["client"], clients["student"]
    exported = client.get("/v1/candidates/c01/export", headers=student)
    assert exported.status_code == 200
    body = exported.json()
    assert body["candidate"]["id"] == "c01" and body["candidate"]["sensitive"]["gender"] == "female"
    assert {"events", "audit"} <= set(body)
    assert client.get("/v1/candidates/c02/export", headers=student).status_code == 403
    assert client.get("/v1/candidates/c01/export", headers=clients["recruiter"]).status_code == 403
    assert client.delete("/v1/candidates/c01", headers=student).status_code == 204
    assert client.get("/v1/candidates/c01/export", headers=clients["operator"]).status_code == 404


def test_logs_hold_no_personal_data(
    clients: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    client, student, op = clients["client"], clients["student"], clients["operator"]
    caplog.set_level(logging.DEBUG)
    resume = "日志隐私测试：心理学本科，熟悉SPSS，做过问卷调查"
    new = {"id": "c-log", "resume_text": resume, "sensitive": {"hardship": ["零就业家庭"]}}
    assert client.post("/v1/candidates", json=new, headers=op).status_code == 201
    client.get("/v1/candidates/c01/recommendations", headers=student)
    client.get("/v1/jobs/j00/candidates", headers=clients["recruiter"])
    client.patch("/v1/candidates/c01", json={"resume_text": resume}, headers=student)
    client.post(
        "/v1/candidates", json={"id": "c-bad", "resume_text": resume, "degree": "x"}, headers=op
    )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for private in (resume, "零就业", "心理学本科", "zero_employment", "female", BOOT):
        assert private not in logged
