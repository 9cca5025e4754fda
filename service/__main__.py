"""``python -m service``: serve an engine directory with uvicorn.

Options given on the command line override the ``GRADMATCH_*`` environment variables.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from service.app import run
from service.settings import Settings

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m service", description=__doc__)
    parser.add_argument("--engine-dir", help="engine directory (GRADMATCH_ENGINE_DIR)")
    parser.add_argument("--host", help="interface to bind (GRADMATCH_HOST, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (GRADMATCH_PORT, 8000)")
    args = parser.parse_args(argv)
    # Only the options given override the environment; pydantic-settings reads the rest.
    overrides = {k: v for k, v in vars(args).items() if v is not None}
    settings = Settings(**overrides)
    if settings.engine_dir is None:
        parser.error("--engine-dir (or GRADMATCH_ENGINE_DIR) is required")
    run(settings)


if __name__ == "__main__":
    main()
