"""Operations: request ids, access logs, Prometheus metrics, rate limits, health probes.

- Every response carries ``X-Request-ID`` (the caller's, when it is a short token, or a new
  one); the access log line of the request has it too.
- Access logs name the route template (``/v1/candidates/{candidate_id}``), the method, the
  status and the time: never an id, a query string or a body, so they hold no personal data.
- ``GET /metrics`` (Prometheus text format; operators when roles are on): request latency per
  route, ranking-stage timings, index sizes, model versions.
- A token bucket per credential (per client address with roles off) answers 429 with
  ``Retry-After`` past ``settings.rate_limit`` requests a minute.
- ``/health/live`` says the process answers; ``/health/ready`` that the engine is loaded.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Gauge,
    Histogram,
    generate_latest,
)

from service.auth import split_token, token_of

__all__ = ["JsonFormatter", "Metrics", "RateLimiter", "install_operations", "request_id"]

logger = logging.getLogger("gradmatch.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_local = threading.local()


def request_id() -> str | None:
    """The id of the request being served on this thread (for log records)."""
    return getattr(_local, "request_id", None)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, and the request id if any."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        out: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id()
        if rid:
            out["request_id"] = rid
        for key in ("method", "route", "status", "ms"):
            if hasattr(record, key):
                out[key] = getattr(record, key)
        if record.exc_info:
            out["error"] = record.exc_info[0].__name__ if record.exc_info[0] else "error"
        return json.dumps(out, ensure_ascii=False)


class Metrics:
    """The service's Prometheus metrics, in a registry of its own (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "gradmatch_request_seconds",
            "Request latency by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )
        self.stages = Histogram(
            "gradmatch_ranking_stage_seconds",
            "Time per stage of a ranking request (retrieval, features, model, policy, ...).",
            ["direction", "stage"],
            registry=self.registry,
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
        )
        self.index_size = Gauge(
            "gradmatch_index_size", "Records held, by side.", ["side"], registry=self.registry
        )
        self.model = Gauge(
            "gradmatch_model_info",
            "The scorer of each direction (value 1; the version is a label).",
            ["direction", "version"],
            registry=self.registry,
        )

    def render(self, engine: Any) -> bytes:
        """The metrics as Prometheus text, with the engine's current sizes and models."""
        if engine is not None:
            self.index_size.labels("jobs").set(engine.n_jobs)
            self.index_size.labels("candidates").set(engine.n_candidates)
            self.model.clear()
            for direction in ("jobs", "candidates"):
                self.model.labels(direction, engine.model_version(direction)).set(1)
        return generate_latest(self.registry)


class RateLimiter:
    """A token bucket per caller: ``per_minute`` requests a minute, bursts up to that many."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, caller: str) -> float:
        """0 when the request may go ahead, else the seconds to wait."""
        if self.capacity <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(caller, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[caller] = (tokens - 1.0, now)
                return 0.0
            self._buckets[caller] = (tokens, now)
            return (1.0 - tokens) / self.rate


def _route_of(request: Request) -> str:
    """The matched route's path template (known once the request was routed)."""
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


def _caller(request: Request) -> str:
    split = split_token(token_of(request.headers))
    if split is not None:
        return "key:" + split[0]
    return "addr:" + (request.client.host if request.client else "unknown")


def install_operations(app: FastAPI) -> None:
    """Add the middleware, the probes and ``/metrics`` to ``app``."""
    metrics = Metrics()
    app.state.metrics = metrics
    limiter = RateLimiter(app.state.settings.rate_limit)

    @app.middleware("http")
    async def operations(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        given = request.headers.get("x-request-id", "")
        rid = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        _local.request_id = rid
        start = time.perf_counter()
        limited = request.url.path.startswith("/v1/")
        wait = limiter.take(_caller(request)) if limited else 0.0
        if wait > 0:
            response: Response = JSONResponse(
                status_code=429,
                content={
                    "error": {
                        "type": "rate_limited",
                        "field": None,
                        "message": f"more than {limiter.capacity:.0f} requests a minute; "
                        f"retry in {wait:.1f} s",
                    }
                },
                headers={"Retry-After": str(max(1, round(wait)))},
            )
        else:
            response = await call_next(request)
        seconds = time.perf_counter() - start
        route = _route_of(request) if wait == 0 else "rate_limited"
        response.headers["X-Request-ID"] = rid
        metrics.latency.labels(route, request.method, str(response.status_code)).observe(seconds)
        stages = getattr(request.state, "stages", None)
        if stages:
            direction, timings = stages
            for stage, ms in timings.items():
                metrics.stages.labels(direction, stage).observe(ms / 1000.0)
        logger.info(
            "%s %s %d",
            request.method,
            route,
            response.status_code,
            extra={
                "request_id": rid,
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "ms": round(seconds * 1000, 1),
            },
        )
        _local.request_id = None
        return response

    @app.get("/health/live", tags=["health"])
    async def live() -> dict[str, str]:
        """The process answers (liveness)."""
        return {"status": "ok"}

    @app.get("/health/ready", tags=["health"], responses={503: {"description": "Not ready."}})
    async def ready(request: Request) -> Response:
        """The engine is loaded and requests can be served (readiness)."""
        if getattr(request.app.state, "engine", None) is None:
            return JSONResponse(status_code=503, content={"status": "starting"})
        return JSONResponse(content={"status": "ready"})

    @app.get("/metrics", tags=["health"], response_class=Response)
    def prometheus(request: Request) -> Response:
        """Prometheus metrics (an operator credential when roles are on)."""
        settings = request.app.state.settings
        if settings.auth == "keys":
            from service.errors import ApiKeyError, ForbiddenError

            principal = request.app.state.credentials.verify(token_of(request.headers))
            if principal is None:
                raise ApiKeyError("Authorization")
            if principal.role != "operator":
                raise ForbiddenError("operators only")
        body = metrics.render(getattr(request.app.state, "engine", None))
        return Response(content=body, media_type=CONTENT_TYPE_LATEST)
