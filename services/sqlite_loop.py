"""SQLite on the event loop's own thread, for SQLAlchemy's aiosqlite dialect.

aiosqlite runs every call (open a cursor, execute, fetch, close, BEGIN, COMMIT) on a worker
thread and wakes the loop for each answer: four thread hops per statement, which cost more than
the statement itself (measured: 1.2 ms per ORM select against 0.35 ms in the loop, and 0.008 ms
for sqlite3 alone). beheerbot's statements are small and indexed, so they run here directly.

The one thing a worker thread gave for free is waiting for the write lock: SQLite's busy
handler sleeps inside the call, which in the loop's thread would stop every other turn, and
would never end if the lock's holder is a transaction on this same loop. These connections are
opened without a busy timeout; a statement that finds the database locked (SQLITE_BUSY, before
it has changed anything) gives the loop back and is tried again, with SQLite's own back-off,
until the engine's `timeout` (seconds, as for sqlite3.connect) has passed.

Writers of one process do not poll each other: a transaction that begins IMMEDIATE first
takes its turn on an asyncio lock per database file and loop, which the previous writer
releases as soon as its transaction ends. Polling is left for writers of other processes (a
`beheerbot sync` next to `serve`)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
import weakref
from collections.abc import Callable
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_

SQLITE_BUSY = 5
SQLITE_BUSY_SNAPSHOT = 517  # a stale read snapshot: trying again cannot help
# SQLite's own busy handler waits 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms, then 100 ms.
BACK_OFF = (0.001, 0.002, 0.005, 0.010, 0.015, 0.020, 0.025, 0.025, 0.025, 0.050, 0.050, 0.100)


def is_busy(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return (isinstance(exc, sqlite3.OperationalError) and code is not None
            and code & 0xFF == SQLITE_BUSY and code != SQLITE_BUSY_SNAPSHOT)


async def _patiently(patience: float, call: Callable[..., Any], *args: Any) -> Any:
    """`call(*args)` now; while the database is locked, again after a pause in which the loop
    serves others."""
    deadline = None
    attempt = 0
    while True:
        try:
            return call(*args)
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            now = time.monotonic()
            deadline = deadline if deadline is not None else now + patience
            if now >= deadline:
                raise
            await asyncio.sleep(min(BACK_OFF[min(attempt, len(BACK_OFF) - 1)], deadline - now))
            attempt += 1


_WRITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = (
    weakref.WeakKeyDictionary())


def _begins_writing(sql: str) -> bool:
    head = sql.lstrip()[:15].upper()
    return head.startswith("BEGIN IMMEDIATE") or head.startswith("BEGIN EXCLUSIVE")


def _locked_error() -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError("database is locked")
    exc.sqlite_errorcode = SQLITE_BUSY
    exc.sqlite_errorname = "SQLITE_BUSY"
    return exc


class Cursor:
    """An aiosqlite-shaped cursor whose coroutines finish without suspending (unless locked)."""

    arraysize = 1

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._cursor = connection.raw.cursor()

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()

    @property
    def description(self):
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def execute(self, sql: str, parameters: Any = ()) -> Cursor:
        connection = self._connection
        if _begins_writing(sql):
            await connection.take_turn()
        try:
            await _patiently(connection.timeout, self._cursor.execute, sql, parameters)
        finally:
            connection.settle()
        return self

    async def executemany(self, sql: str, parameters: Any) -> Cursor:
        # Writers hold the lock from BEGIN IMMEDIATE on, so a lock can only be met before the
        # first row; a generator is listed first so that a second try sees every row.
        rows = parameters if isinstance(parameters, list | tuple) else list(parameters)
        await _patiently(self._connection.timeout, self._cursor.executemany, sql, rows)
        return self

    async def fetchone(self):
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None):
        return self._cursor.fetchmany(size if size is not None else self.arraysize)

    async def fetchall(self):
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    async def nextset(self) -> None:
        return None


class Connection:
    """An aiosqlite-shaped connection over a sqlite3 connection in the loop's thread."""

    def __init__(self, raw: sqlite3.Connection, timeout: float, path: str | None) -> None:
        self.raw = raw
        self.timeout = timeout
        self._connection = raw  # read by SQLAlchemy's adapter to tell an open connection
        self._path = path
        self._turn: asyncio.Lock | None = None  # held from BEGIN IMMEDIATE to its end
        self._turn_loop: asyncio.AbstractEventLoop | None = None

    def cursor(self) -> Cursor:
        return Cursor(self)

    async def take_turn(self) -> None:
        """Wait for this process's other writers of the same file (on this loop)."""
        if self._path is None or self._turn is not None:
            return
        loop = asyncio.get_running_loop()
        lock = _WRITERS.setdefault(loop, {}).setdefault(self._path, asyncio.Lock())
        try:
            # Not asyncio.wait_for: on 3.11 it can swallow a cancellation that arrives as the
            # lock is granted, and a cancelled background task would then run on.
            async with asyncio.timeout(self.timeout):
                await lock.acquire()
        except TimeoutError:
            raise _locked_error() from None
        self._turn, self._turn_loop = lock, loop

    def settle(self) -> None:
        """Give the turn to the next writer once the transaction has ended."""
        if self._turn is not None and not (self._connection is not None
                                           and self.raw.in_transaction):
            lock, loop, self._turn = self._turn, self._turn_loop, None
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop or loop is None or loop.is_closed():
                lock.release()
            else:  # the pool's clean-up closing it from another thread
                loop.call_soon_threadsafe(lock.release)

    async def commit(self) -> None:
        try:
            await _patiently(self.timeout, self.raw.commit)
        finally:
            self.settle()

    async def rollback(self) -> None:
        try:
            self.raw.rollback()
        finally:
            self.settle()

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection = None
            self.raw.close()
        self.settle()

    def begin_read(self) -> None:
        """A deferred BEGIN, unless a transaction is open: what a read starts with
        (services/db.py), sent by services/driver_rows.py without SQLAlchemy. No lock is taken,
        so it never waits."""
        if not self.raw.in_transaction:
            self.raw.execute("BEGIN")

    def end_read(self) -> None:
        """End the read transaction begin_read began (services/db.py, before a connection
        waits for its next read). A read has changed nothing: its rollback takes no lock."""
        if self.raw.in_transaction and self._turn is None:
            self.raw.rollback()

    async def fetch_all(self, sql: str, parameters: Any) -> list[tuple]:
        """The rows of one read, straight from sqlite3 (services/driver_rows.py): waits out a
        lock as a cursor's execute does."""
        cursor = self.raw.cursor()
        try:
            await _patiently(self.timeout, cursor.execute, sql, parameters)
            return cursor.fetchall()
        finally:
            cursor.close()

    def changed(self, sql: str, parameters: Any) -> int:
        """How many rows one UPDATE changed, straight from sqlite3 (services/driver_rows.py),
        in a transaction that holds the write lock (BEGIN IMMEDIATE): nothing to wait for."""
        return self.raw.execute(sql, parameters).rowcount

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self.raw.create_function(*args, **kwargs)


class _AdaptedConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    @property
    def isolation_level(self) -> str | None:
        return self._connection.raw.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        # aiosqlite's setter goes through its worker's queue; here it is a plain attribute.
        self._connection.raw.isolation_level = value


class InLoopDbapi(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect is given (create_engine(module=...)):
    aiosqlite's names and errors (they are sqlite3's), connections that run in the loop."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *args: Any, **kwargs: Any) -> _AdaptedConnection:
        timeout = float(kwargs.pop("timeout", 5.0))
        kwargs.pop("async_creator_fn", None)
        kwargs["check_same_thread"] = False
        # No busy handler in the loop's thread (see the module's text); shared with the pool's
        # clean-up, which may close a connection from another thread.
        raw = sqlite3.connect(*args, timeout=0, **kwargs)
        database = str(args[0] if args else kwargs.get("database", ""))
        in_file = database not in ("", ":memory:") and not kwargs.get("uri")
        path = os.path.realpath(database) if in_file else None
        return _AdaptedConnection(self, await_(_opened(raw, timeout, path)))


async def _opened(raw: sqlite3.Connection, patience: float, path: str | None) -> Connection:
    return Connection(raw, patience, path)
