"""Wall time of each stage of a request, kept per thread for the request that ran last.

The pipeline wraps each stage (filters, retrieval, features, model, policy, contributions,
reasons) in :meth:`StageTimings.stage`; the engine returns the calling thread's last request's
figures from :meth:`MatchingEngine.stage_timings`, for benchmarks and metrics.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["StageTimings"]


class StageTimings:
    """Milliseconds per stage of the calling thread's current or last request.

    Examples
    --------
    >>> timings = StageTimings()
    >>> with timings.request(), timings.stage("features"):
    ...     pass
    >>> sorted(timings.last())
    ['features']
    """

    def __init__(self) -> None:
        self._local = threading.local()

    @contextmanager
    def request(self) -> Iterator[None]:
        """Time one request on this thread; its stages replace the previous request's."""
        self._local.current = {}
        try:
            yield
        finally:
            self._local.last = self._local.current
            self._local.current = None

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the enclosed block as stage ``name`` (times of a repeated stage add up).

        Outside :meth:`request` (training, say) nothing is recorded.
        """
        current: dict[str, float] | None = getattr(self._local, "current", None)
        start = time.perf_counter()
        try:
            yield
        finally:
            if current is not None:
                current[name] = current.get(name, 0.0) + (time.perf_counter() - start) * 1e3

    def last(self) -> dict[str, float]:
        """The figures of this thread's last finished request, in stage order; empty before."""
        return dict(getattr(self._local, "last", None) or {})
