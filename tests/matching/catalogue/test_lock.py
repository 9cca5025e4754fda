"""The catalogue's readers-writer lock: reads together, writes alone, no reader starves a writer."""

from __future__ import annotations

import threading
import time

import pytest

from matching.catalogue.lock import ReadWriteLock


def _until_a_writer_waits(lock: ReadWriteLock) -> None:
    deadline = time.monotonic() + 5
    while not lock._waiting_writers:
        assert time.monotonic() < deadline, "the writer never came to wait"
        time.sleep(0.001)


def _in_thread(target) -> threading.Thread:  # type: ignore[no-untyped-def]
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_readers_hold_it_together() -> None:
    lock = ReadWriteLock()
    inside = threading.Barrier(3, timeout=5)

    def reader() -> None:
        with lock.read():
            inside.wait()  # all three are inside at once, or this times out

    threads = [_in_thread(reader) for _ in range(2)]
    with lock.read():
        inside.wait()
    for t in threads:
        t.join(5)
    assert not any(t.is_alive() for t in threads)


def test_a_writer_waits_for_readers_and_excludes_them() -> None:
    lock = ReadWriteLock()
    events: list[str] = []
    reading = threading.Event()
    release = threading.Event()

    def reader() -> None:
        with lock.read():
            reading.set()
            release.wait(5)
            events.append("read done")

    def writer() -> None:
        with lock.write():
            events.append("write")

    r = _in_thread(reader)
    reading.wait(5)
    w = _in_thread(writer)
    _until_a_writer_waits(lock)
    assert events == []  # the writer waits while the read goes on
    release.set()
    r.join(5)
    w.join(5)
    assert events == ["read done", "write"]


def test_a_waiting_writer_holds_back_new_readers() -> None:
    lock = ReadWriteLock()
    order: list[str] = []
    first_in = threading.Event()
    release = threading.Event()

    def first() -> None:
        with lock.read():
            first_in.set()
            release.wait(5)

    def writer() -> None:
        with lock.write():
            order.append("write")

    def late_reader() -> None:
        with lock.read():
            order.append("late read")

    a = _in_thread(first)
    first_in.wait(5)
    w = _in_thread(writer)
    _until_a_writer_waits(lock)
    late = _in_thread(late_reader)
    late.join(0.05)  # it does not get in: the waiting writer holds it back
    assert order == [] and late.is_alive()
    release.set()
    for t in (a, w, late):
        t.join(5)
    assert order == ["write", "late read"]


def test_nesting_within_a_thread() -> None:
    lock = ReadWriteLock()
    with lock.write(), lock.write(), lock.read():
        pass
    with (
        lock.read(),
        lock.read(),
        pytest.raises(RuntimeError, match="cannot start writing"),
        lock.write(),
    ):
        pass
    # released everywhere: another thread can write now
    done = threading.Event()
    _in_thread(lambda: (lock.write().__enter__(), done.set()))
    assert done.wait(5)


def test_engine_reads_go_on_while_another_read_holds_the_lock(engine) -> None:  # type: ignore[no-untyped-def]
    lock = engine._catalogue.lock
    cid = engine.candidate_ids()[0]
    holding = threading.Event()
    release = threading.Event()

    def long_read() -> None:
        with lock.read():
            holding.set()
            release.wait(10)

    t = _in_thread(long_read)
    holding.wait(5)
    answered: list[object] = []
    reader = _in_thread(lambda: answered.append(engine.recommend_jobs(cid, k=3)))
    reader.join(30)
    # the recommendation was served while the other read still held the lock
    assert answered and not release.is_set()
    release.set()
    t.join(5)
