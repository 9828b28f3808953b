"""SQLite run in the event loop's thread: no worker threads, and waiting for the write lock
never stops the loop nor deadlocks two transactions of the same loop."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time

import pytest
from sqlalchemy import text

from services.db import READ_ONLY, create_engine, create_sessions
from services.sqlite_loop import Connection, is_busy
from tests.conftest import sqlite_only

pytestmark = sqlite_only


@pytest.fixture
async def engine(tmp_path):
    made = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'loop.db'}",
                         connect_args={"timeout": 5})
    async with made.begin() as conn:
        await conn.execute(text("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
    yield made
    await made.dispose()


async def _ticker(ticks: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        ticks.append(time.monotonic())
        await asyncio.sleep(0.005)


async def test_statements_start_no_worker_threads(engine):
    sessions = create_sessions(engine)
    before = threading.active_count()
    async with sessions() as one, sessions() as two:
        for session in (one, two):  # two readers at once: two pooled connections
            await session.connection(execution_options={READ_ONLY: True})
        await one.execute(text("SELECT count(*) FROM t"))
        await two.execute(text("SELECT count(*) FROM t"))
        assert threading.active_count() == before


async def test_a_writer_waits_for_another_of_the_same_loop_and_the_loop_goes_on(engine):
    sessions = create_sessions(engine)
    order: list[str] = []
    first_has_lock = asyncio.Event()
    release = asyncio.Event()

    async def first() -> None:
        async with sessions.begin() as session:
            await session.execute(text("INSERT INTO t VALUES (1)"))
            first_has_lock.set()
            await release.wait()  # holds the write lock while the loop runs others

    async def second() -> None:
        await first_has_lock.wait()
        async with sessions.begin() as session:
            # Its first statement begins it (BEGIN IMMEDIATE), which finds the lock taken.
            count = (await session.execute(text("SELECT count(*) FROM t"))).scalar()
            order.append("second has the lock")
            await session.execute(text("INSERT INTO t VALUES (2)"))
            assert count == 1  # it saw the first one's committed row

    ticks: list[float] = []
    stop = asyncio.Event()
    ticker = asyncio.create_task(_ticker(ticks, stop))
    tasks = [asyncio.create_task(first()), asyncio.create_task(second())]
    await first_has_lock.wait()
    await asyncio.sleep(0.2)
    waited_ticks = len(ticks)
    order.append("first may commit")
    release.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    stop.set()
    await ticker
    assert order == ["first may commit", "second has the lock"]
    assert waited_ticks >= 10  # the loop kept running while the second one waited
    async with sessions() as session:
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar() == 2


async def test_a_lock_held_elsewhere_is_waited_for_with_the_loop_free(engine, tmp_path):
    other = sqlite3.connect(tmp_path / "loop.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (7)")
    threading.Timer(0.3, lambda: other.execute("COMMIT")).start()
    ticks: list[float] = []
    stop = asyncio.Event()
    ticker = asyncio.create_task(_ticker(ticks, stop))
    started = time.monotonic()
    async with create_sessions(engine).begin() as session:
        await session.execute(text("INSERT INTO t VALUES (8)"))
    waited = time.monotonic() - started
    stop.set()
    await ticker
    other.close()
    assert waited >= 0.25
    assert len(ticks) >= 10
    async with create_sessions(engine)() as session:
        assert (await session.execute(text("SELECT n FROM t ORDER BY n"))).scalars().all() == [7, 8]


async def test_a_lock_held_past_the_timeout_is_a_clear_error_and_changes_nothing(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'short.db'}"
    engine = create_engine(url, connect_args={"timeout": 0.2})
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
    other = sqlite3.connect(tmp_path / "short.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(Exception, match="database is locked"):
            async with create_sessions(engine).begin() as session:
                await session.execute(text("INSERT INTO t VALUES (1)"))
        assert 0.15 <= time.monotonic() - started < 2
    finally:
        other.execute("ROLLBACK")
        other.close()
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 0
    await engine.dispose()


def test_only_a_lock_is_waited_for():
    busy = sqlite3.OperationalError("database is locked")
    busy.sqlite_errorcode = 5
    snapshot = sqlite3.OperationalError("database is locked")
    snapshot.sqlite_errorcode = 517  # a stale snapshot: waiting cannot help
    other = sqlite3.OperationalError("no such table: x")
    other.sqlite_errorcode = 1
    assert is_busy(busy) and not is_busy(snapshot) and not is_busy(other)
    assert not is_busy(ValueError("database is locked"))


async def test_writers_of_one_process_take_turns_without_losing_a_write(engine):
    sessions = create_sessions(engine)

    async def add(n: int) -> None:
        async with sessions.begin() as session:
            current = (await session.execute(text("SELECT count(*) FROM t"))).scalar()
            await asyncio.sleep(0)  # give the others every chance to interleave
            await session.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})
            assert current == n - 1  # in the order they asked: the turn is first come, first served

    await asyncio.gather(*(add(n) for n in range(1, 41)))
    async with sessions() as session:
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar() == 40


async def test_a_writer_cancelled_as_its_turn_comes_stops_and_passes_the_turn_on(tmp_path):
    path = str(tmp_path / "turns.db")
    holder, cancelled, later = (Connection(sqlite3.connect(path), 5, path) for _ in range(3))
    await holder.take_turn()
    waiting = asyncio.ensure_future(cancelled.take_turn())
    await asyncio.sleep(0)  # it now waits for the turn
    holder.settle()  # the turn passes to it ...
    waiting.cancel()  # ... and in the same tick its task is stopped (a server shutting down)
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await asyncio.wait_for(later.take_turn(), 1)  # the turn was not kept by the cancelled one
    later.settle()
    for connection in (holder, cancelled, later):
        connection.stop()
