"""A readers-writer lock: requests read together, a write waits for them and has the views alone.

Reads (recommendations, rankings, audits, snapshots) hold it shared, so they never wait for
each other; a write holds it alone for as long as it takes to put its records into the
in-memory views and indexes (encoding happens before, outside it). A waiting writer holds back
new readers, so a stream of reads cannot starve writes; a thread that already reads may read
again (nested calls), and the writing thread may read or write again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["ReadWriteLock"]


class ReadWriteLock:
    """Shared reads, exclusive writes, both reentrant within a thread.

    Examples
    --------
    >>> lock = ReadWriteLock()
    >>> with lock.read(), lock.read():  # nested reads in one thread
    ...     pass
    >>> with lock.write(), lock.read():  # the writer may read
    ...     pass
    """

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0  # threads reading (each counted once)
        self._writer: int | None = None  # the writing thread's ident
        self._writes = 0  # the writer's nesting depth
        self._waiting_writers = 0
        self._local = threading.local()

    def _depth(self) -> int:
        return getattr(self._local, "reads", 0)  # type: ignore[no-any-return]

    @contextmanager
    def read(self) -> Iterator[None]:
        """Hold the lock shared (or, in the writing thread, go on under the write)."""
        me = threading.get_ident()
        depth = self._depth()
        if self._writer == me or depth:
            # nested: the thread already holds the lock, waiting would deadlock
            self._local.reads = depth + 1
            try:
                yield
            finally:
                self._local.reads = depth
            return
        with self._cond:
            while self._writer is not None or self._waiting_writers:
                self._cond.wait()
            self._readers += 1
        self._local.reads = 1
        try:
            yield
        finally:
            self._local.reads = 0
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        """Hold the lock alone; raises RuntimeError in a thread that holds it to read."""
        me = threading.get_ident()
        if self._writer == me:
            self._writes += 1
            try:
                yield
            finally:
                self._writes -= 1
            return
        if self._depth():
            raise RuntimeError("a thread that reads cannot start writing (it would wait forever)")
        with self._cond:
            self._waiting_writers += 1
            try:
                while self._writer is not None or self._readers:
                    self._cond.wait()
            finally:
                self._waiting_writers -= 1
            self._writer, self._writes = me, 1
        try:
            yield
        finally:
            with self._cond:
                self._writer, self._writes = None, 0
                self._cond.notify_all()
