"""The FastAPI application: :func:`create_app` and :func:`run`."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from matching import MatchingEngine
from service.auth import CredentialStore
from service.errors import install_error_handlers
from service.models import HealthResponse
from service.ops import JsonFormatter, install_operations
from service.routes import get_engine, model_versions, router
from service.settings import Settings, package_version

__all__ = ["create_app", "run"]

logger = logging.getLogger("service")

_DESCRIPTION = """\
Job matching for university graduates, over a `gradmatch` engine.

* **Students** get job recommendations with the skills they match and the skills they miss.
* **Recruiters** get the ranked candidates of a job. Sensitive attributes (hardship category,
  disability, gender, ethnicity, origin) are accepted on input for the bounded priority and the
  fairness constraint, and are never returned.
* **Operators** train the ranker from recorded events and read the ranking audit log.

Errors answer `{"error": {"type", "field", "message"}}`; `field` names what to fix. When the
service has an API key, every `/v1` endpoint requires the header `X-API-Key`.
"""


def create_app(
    settings: Settings | None = None, *, engine: MatchingEngine | None = None
) -> FastAPI:
    """Build the HTTP application.

    Parameters
    ----------
    settings : Settings, optional
        Read from ``GRADMATCH_*`` environment variables when omitted.
    engine : MatchingEngine, optional
        An engine to serve as it is (tests, embedding the service in a larger app). Without
        one, the app opens ``settings.engine_dir`` when it starts (FastAPI's lifespan), never
        at import time, and closes it when it stops.

    Returns
    -------
    FastAPI

    Raises
    ------
    ValueError
        Neither ``engine`` nor ``settings.engine_dir`` is given.

    Examples
    --------
    >>> import tempfile
    >>> from fastapi.testclient import TestClient
    >>> app = create_app(Settings(engine_dir=tempfile.mkdtemp()))
    >>> with TestClient(app) as client:
    ...     client.get("/health").json()["status"]
    'ok'
    """
    settings = settings if settings is not None else Settings()
    if engine is None and settings.engine_dir is None:
        raise ValueError(
            "engine_dir: required to serve; set GRADMATCH_ENGINE_DIR or pass an engine"
        )

    def open_engine() -> MatchingEngine:
        if engine is not None:
            return engine
        if settings.engine_dir is None:  # checked above; repeated for the type checker
            raise ValueError("engine_dir: required to serve")
        return MatchingEngine.open(settings.engine_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.auth == "keys":
            _bootstrap(app.state.credentials, settings)
        owned = engine is None
        # Loading reads indexes and the encoder: seconds of blocking work, off the loop.
        loaded = await anyio.to_thread.run_sync(open_engine)
        await anyio.to_thread.run_sync(loaded.warm_up)
        app.state.engine = loaded
        app.state.dirty = False
        logger.info("serving %d jobs, %d candidates", loaded.n_jobs, loaded.n_candidates)
        snapshots = _Snapshots(app, loaded, settings)
        snapshots.start()
        try:
            yield
        finally:
            snapshots.stop()
            if app.state.dirty:
                # what the last snapshot did not take is saved once more, here
                app.state.dirty = False
                await anyio.to_thread.run_sync(loaded.save, settings.engine_dir)
            if owned:
                loaded.close()
            app.state.engine = None

    app = FastAPI(
        title="gradmatch",
        summary="Job matching and recommendation for university graduates.",
        description=_DESCRIPTION,
        version=package_version(),
        lifespan=lifespan,
        # the docs pages are served below from installed files: nothing loads from a CDN
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = None
    app.state.credentials = CredentialStore(
        ":memory:" if settings.engine_dir is None else credentials_path(settings.engine_dir)
    )
    install_error_handlers(app)
    install_operations(app)
    _install_docs(app)

    @app.get("/health", response_model=HealthResponse, tags=["health"])
    async def health(request: Request) -> HealthResponse:
        """Liveness and what is loaded; needs no API key."""
        loaded = await get_engine(request)
        return HealthResponse(
            status="ok",
            n_jobs=loaded.n_jobs,
            n_candidates=loaded.n_candidates,
            model_versions=model_versions(loaded),
        )

    app.include_router(router)
    return app


def _install_docs(app: FastAPI) -> None:
    """Serve `/docs` (Swagger UI) and `/redoc` from the files of the installed fastapi-offline."""
    assets = Path(str(resources.files("fastapi_offline") / "static"))
    app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")
    title = f"{app.title} {app.version}"

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=title,
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=title,
            redoc_js_url="/docs-assets/redoc.standalone.js",
            redoc_favicon_url="/docs-assets/favicon.png",
            with_google_fonts=False,
        )


def credentials_path(engine_dir: Path) -> Path:
    """Where the service keeps its hashed credentials: beside the engine's files."""
    Path(engine_dir).mkdir(parents=True, exist_ok=True)
    return Path(engine_dir) / "credentials.sqlite"


def _bootstrap(credentials: CredentialStore, settings: Settings) -> None:
    """Make sure an operator can get in: the configured token, or a new one printed once."""
    if credentials.has_operator():
        return
    if settings.operator_token:
        credentials.create(
            "operator", label="bootstrap (configured)", token=settings.operator_token
        )
        logger.info("stored the configured bootstrap operator credential")
        return
    _, token = credentials.create("operator", label="bootstrap (generated)")
    # printed, never logged: this is the only time the token exists outside its holder
    print(
        "gradmatch: no operator credential existed; created one. It is shown this once, keep "
        f"it safe:\n    {token}\nUse it as 'Authorization: Bearer <token>'; create others with "
        "POST /v1/credentials or `gradmatch credentials create`.",
        file=sys.stderr,
        flush=True,
    )


class _Snapshots:
    """Saves the engine in the background every ``snapshot_interval`` seconds, if written to.

    The store already holds every acknowledged write; a snapshot saves the rest (indexes,
    embedding cache, models), each part to a temporary name and renamed into place, so that a
    restart need not rebuild them from the store. A snapshot that fails is logged and taken
    again at the next interval.
    """

    def __init__(self, app: FastAPI, engine: MatchingEngine, settings: Settings) -> None:
        self._app, self._engine, self._settings = app, engine, settings
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._settings.snapshot_interval > 0 and self._settings.engine_dir is not None:
            self._thread = threading.Thread(target=self._loop, name="snapshots", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self._settings.snapshot_interval):
            if not self._app.state.dirty:
                continue
            self._app.state.dirty = False  # writes from now on wait for the next one
            try:
                self._engine.save(self._settings.engine_dir)
            except Exception:  # logged; the store still has every write
                self._app.state.dirty = True
                logger.exception("snapshot failed; taken again at the next interval")


def run(settings: Settings | None = None) -> None:
    """Serve the app with uvicorn on ``settings.host:settings.port`` until interrupted.

    Parameters
    ----------
    settings : Settings, optional
        Read from ``GRADMATCH_*`` environment variables when omitted; ``engine_dir`` is
        required.
    """
    import uvicorn  # only the serving process needs it

    settings = settings if settings is not None else Settings()
    handler = logging.StreamHandler()
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    for name in ("gradmatch", "service", "matching"):
        logging.getLogger(name).handlers[:] = [handler]
        logging.getLogger(name).setLevel(logging.INFO)
        logging.getLogger(name).propagate = False
    # uvicorn's own access log would write raw paths, ids in them: the service's replaces it
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, access_log=False)
