"""gradmatch's HTTP service: a thin FastAPI face over :class:`matching.MatchingEngine`.

>>> from service import Settings, create_app
>>> app = create_app(Settings(engine_dir="/srv/gradmatch"))  # nothing is opened before it starts

``python -m service --engine-dir DIR`` (or ``gradmatch serve``) runs it with uvicorn.
"""

from __future__ import annotations

from service.app import create_app, run
from service.settings import Settings

__all__ = ["Settings", "create_app", "run"]
