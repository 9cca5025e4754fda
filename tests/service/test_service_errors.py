"""Error shapes: every failure answers ``{"error": {"type", "field", "message"}}``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service import Settings, create_app


def _error(response: Any, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"type", "field", "message"}
    assert body["error"]["type"] == kind
    assert body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


JOB = {"id": "x1", "title": "数据分析师", "description": "熟悉SQL"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**JOB, "salary_min": 9000, "salary_max": 5000}, "salary_max"),  # domain check
        ({**JOB, "min_degree": "小学"}, "min_degree"),  # closed set, domain check
        ({**JOB, "employment_type": "gig"}, "employment_type"),
        ({**JOB, "salary_min": "lots"}, "salary_min"),  # pydantic type check
        ({**JOB, "deadline": "next week"}, "deadline"),
        ({**JOB, "colour": "blue"}, "colour"),  # unknown key
        ({"title": "无编号"}, "id"),  # missing
        ({"id": "x2"}, "description"),  # no text at all
    ],
)
def test_bad_job_field_is_named(client: TestClient, payload: dict[str, Any], field: str) -> None:
    error = _error(client.post("/v1/jobs", json=payload), 422, "validation_error")
    assert error["field"] == field
    assert client.get("/v1/jobs/x1").status_code == 404  # nothing half-written


def test_bad_field_in_batch_names_position(client: TestClient) -> None:
    batch = {"jobs": [JOB, {**JOB, "id": "x2", "city": 42}]}
    error = _error(client.post("/v1/jobs", json=batch), 422, "validation_error")
    assert error["field"] == "jobs[1].city"
    batch = {"jobs": [JOB, {**JOB, "id": "x2", "salary_min": 9, "salary_max": 1}]}
    error = _error(client.post("/v1/jobs", json=batch), 422, "validation_error")
    assert error["field"] == "jobs[1].salary_max"
    assert client.get("/v1/jobs/x1").status_code == 404  # the batch is stored whole or not at all


def test_bad_sensitive_field_is_named(client: TestClient) -> None:
    cand = {"id": "cx", "resume_text": "会计学专科", "sensitive": {"gender": "unknown-value"}}
    error = _error(client.post("/v1/candidates", json=cand), 422, "validation_error")
    assert error["field"] == "sensitive.gender"
    cand["sensitive"] = {"hardship": ["富裕家庭"]}
    error = _error(client.post("/v1/candidates", json=cand), 422, "validation_error")
    assert error["field"].startswith("sensitive.hardship")
    assert "minimum_living_allowance" in error["message"]  # lists what is allowed


def test_bad_patch_field_is_named(client: TestClient) -> None:
    error = _error(
        client.patch("/v1/jobs/j00", json={"salary_min": 99_999}), 422, "validation_error"
    )
    assert error["field"] == "salary_max"
    error = _error(client.patch("/v1/jobs/j00", json={"id": "other"}), 422, "validation_error")
    assert error["field"] == "id"
    assert client.get("/v1/jobs/j00").json()["salary_min"] != 99_999


def test_bad_event(client: TestClient) -> None:
    bad_type = {"candidate_id": "c00", "job_id": "j00", "type": "like"}
    assert _error(client.post("/v1/events", json=bad_type), 422, "validation_error")["field"] == (
        "type"
    )
    unknown = {"events": [{"candidate_id": "c00", "job_id": "nope", "type": "view"}]}
    error = _error(client.post("/v1/events", json=unknown), 422, "validation_error")
    assert error["field"] == "events[0].job_id"


def test_bad_query_parameters(client: TestClient) -> None:
    url = "/v1/candidates/c00/recommendations"
    assert _error(client.get(url, params={"k": 0}), 422, "validation_error")["field"] == "k"
    error = _error(client.get(url, params={"employment_type": "gig"}), 422, "validation_error")
    assert error["field"] == "employment_type"
    error = _error(
        client.get("/v1/jobs/j00/candidates", params={"min_degree": "小学"}),
        422,
        "validation_error",
    )
    assert error["field"] == "min_degree"


def test_batch_limit(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_batch=2)
    batch = {"jobs": [{**JOB, "id": f"x{i}"} for i in range(3)]}
    error = _error(client.post("/v1/jobs", json=batch), 422, "validation_error")
    assert error["field"] == "jobs"
    assert _error(client.post("/v1/jobs", json={"jobs": []}), 422, "validation_error")


def test_malformed_json(client: TestClient) -> None:
    response = client.post(
        "/v1/jobs", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert _error(response, 422, "validation_error")["field"] == "body"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/jobs/nope"),
        ("PATCH", "/v1/jobs/nope"),
        ("DELETE", "/v1/jobs/nope"),
        ("GET", "/v1/candidates/nope"),
        ("PATCH", "/v1/candidates/nope"),
        ("DELETE", "/v1/candidates/nope"),
        ("GET", "/v1/candidates/nope/recommendations"),
        ("GET", "/v1/jobs/nope/candidates"),
    ],
)
def test_unknown_id_is_404(client: TestClient, method: str, path: str) -> None:
    change = {"city": "北京"} if path.startswith("/v1/jobs") else {"school": "四川大学"}
    kwargs: dict[str, Any] = {"json": change} if method == "PATCH" else {}
    error = _error(client.request(method, path, **kwargs), 404, "not_found")
    assert error["field"] in {"job_id", "candidate_id"}
    assert "nope" in error["message"]


def test_unknown_route_and_method(client: TestClient) -> None:
    _error(client.get("/v1/nothing-here"), 404, "http_error")
    _error(client.put("/v1/jobs/j00", json={}), 405, "http_error")


def test_api_key_required_when_set(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_key="s3cret")
    assert client.get("/health").status_code == 200  # health and docs stay open
    assert client.get("/openapi.json").status_code == 200
    for method, path in [
        ("GET", "/v1/jobs/j00"),
        ("POST", "/v1/jobs"),
        ("GET", "/v1/candidates/c00/recommendations"),
        ("GET", "/v1/jobs/j00/candidates"),
        ("POST", "/v1/ranker/train"),
        ("GET", "/v1/audit"),
    ]:
        kwargs: dict[str, Any] = {"json": JOB} if method == "POST" else {}
        error = _error(client.request(method, path, **kwargs), 401, "unauthorized")
        assert error["field"] == "X-API-Key"
        wrong = client.request(method, path, headers={"X-API-Key": "guess"}, **kwargs)
        _error(wrong, 401, "unauthorized")
    ok = client.get("/v1/jobs/j00", headers={"X-API-Key": "s3cret"})
    assert ok.status_code == 200
    assert client.get("/v1/jobs/x1", headers={"X-API-Key": "s3cret"}).status_code == 404


def test_operator_endpoints_need_the_operator_key(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(api_key="s3cret", operator_api_key="op-key")
    recruiter = {"X-API-Key": "s3cret"}
    assert client.get("/v1/jobs/j00/candidates", headers=recruiter).status_code == 200
    error = _error(client.get("/v1/audit", headers=recruiter), 401, "unauthorized")
    assert error["field"] == "X-Operator-Key"
    _error(client.post("/v1/ranker/train", headers=recruiter), 401, "unauthorized")
    operator = {**recruiter, "X-Operator-Key": "op-key"}
    assert client.get("/v1/audit", headers=operator).status_code == 200


def test_no_api_key_by_default(client: TestClient) -> None:
    assert client.get("/v1/jobs/j00").status_code == 200


def test_engine_dir_required() -> None:
    with pytest.raises(ValueError, match="engine_dir"):
        create_app(Settings())


def test_storage_error_at_startup(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{"format_version": 999}', encoding="utf-8")
    app = create_app(Settings(engine_dir=tmp_path))
    with pytest.raises(Exception, match="format_version"), TestClient(app):
        pass


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GRADMATCH_ENGINE_DIR", str(tmp_path))
    monkeypatch.setenv("GRADMATCH_API_KEY", "k")
    monkeypatch.setenv("GRADMATCH_SAVE_ON_WRITE", "false")
    monkeypatch.setenv("GRADMATCH_PORT", "9001")
    settings = Settings()
    assert settings.engine_dir == tmp_path
    assert (settings.api_key, settings.save_on_write, settings.port) == ("k", False, 9001)
    assert (settings.host, settings.max_batch) == ("127.0.0.1", 1000)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"random_state": -1}, "random_state"),
        ({"random_state": 2**31}, "random_state"),
        ({"n_estimators": 10_000}, "n_estimators"),
        ({"min_queries": 1}, "min_queries"),
        ({"num_leaves": 1}, "num_leaves"),
        ({"min_child_samples": 0}, "min_child_samples"),
    ],
)
def test_training_options_out_of_range_are_422_naming_the_option(
    client: TestClient, body: dict, field: str
) -> None:
    response = client.post("/v1/ranker/train?wait=true", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"].endswith(field)


def test_the_library_states_the_training_limits() -> None:
    from embeddings import HashingEncoder
    from matching import MatchingEngine, ValidationError

    engine = MatchingEngine(encoder=HashingEncoder(dim=32))
    with pytest.raises(ValidationError, match="from 0 to 2147483647") as info:
        engine.train_ranker(random_state=-1)
    assert info.value.field == "random_state"
    with pytest.raises(ValidationError, match="from 2 to 1024") as info:
        engine.train_ranker(num_leaves=1)
    assert info.value.field == "num_leaves"


def test_the_service_trains_with_the_library_defaults() -> None:
    import inspect

    from matching import MatchingEngine
    from service.models import TrainRequest

    library = inspect.signature(MatchingEngine.train_ranker).parameters
    for name, value in TrainRequest().model_dump().items():
        assert library[name].default == value, name


def test_a_body_not_sent_as_json_is_415_and_not_echoed(client: TestClient) -> None:
    body = '{"id": "x1", "title": "会计", "description": "secret-text-of-the-body"}'
    response = client.post("/v1/jobs", content=body, headers={"content-type": "text/plain"})
    assert response.status_code == 415, response.text
    error = response.json()["error"]
    assert error["type"] == "unsupported_media_type" and error["field"] == "body"
    assert "application/json" in error["message"] and "secret-text" not in response.text
    assert client.get("/v1/jobs/x1").status_code == 404


def test_the_encoder_is_loaded_before_the_service_answers(tmp_path: Path) -> None:
    from embeddings import HashingEncoder
    from matching import MatchingEngine

    class Counting(HashingEncoder):
        """Counts calls that reach the encoder itself (past the engine's cache)."""

        calls = 0

        def _encode(self, texts: list[str], batch_size: int) -> Any:
            Counting.calls += 1
            return super()._encode(texts, batch_size)

    engine = MatchingEngine(encoder=Counting(dim=16))
    assert Counting.calls == 0
    with TestClient(create_app(Settings(engine_dir=tmp_path, auth="off"), engine=engine)) as c:
        assert c.get("/health").status_code == 200
        assert Counting.calls == 1  # warmed at start-up, not on the first write
