"""The bundled demo data set: real-text and occupation-based postings, graduates and events.

``read_demo_records("jobs")`` (or ``"candidates"``, ``"events"``) reads the bundled files;
``build_demo_data(out_dir, seed=...)`` rebuilds them from the licensed sources in
``matching/demo/sources`` (see ``ATTRIBUTION.md``).
"""

from __future__ import annotations

import typing

from matching.demo.files import (
    DEMO_DATA_DIR,
    DEMO_FILES,
    demo_as_of,
    iter_demo_records,
    read_demo_records,
)

__all__ = [
    "DEMO_DATA_DIR",
    "DEMO_FILES",
    "DemoSummary",
    "build_demo_data",
    "demo_as_of",
    "iter_demo_records",
    "read_demo_records",
]


def __getattr__(name: str) -> typing.Any:
    # The builder is imported on first use, so that ``python -m matching.demo.build`` does not
    # find its own module already imported by the package.
    if name in ("DemoSummary", "build_demo_data"):
        from matching.demo import build

        return getattr(build, name)
    raise AttributeError(f"module 'matching.demo' has no attribute {name!r}")
