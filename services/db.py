"""Engine and session factories; SQLite file by default, PostgreSQL through DATABASE_URL."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from services.errors import DomainError
from services.sqlite_loop import InLoopDbapi

DEFAULT_URL = "sqlite+aiosqlite:///beheerbot.db"
# PostgreSQL connections one process keeps open (DATABASE_POOL_SIZE), and how many more it
# opens for a burst. A turn holds a connection while it waits for the server, so a process
# with 50 conversations in flight uses about 50: with SQLAlchemy's default of 5 kept (and 10
# more opened and closed again) every busy second opened and closed dozens of connections, at
# several milliseconds each (measured: 260 against 370 list turns a second at 50
# conversations). Connections are opened only as turns need them.
POOL_SIZE = 50
POOL_BURST = 10
MIGRATIONS = Path(__file__).parent / "migrations"


def normalise_url(url: str) -> str:
    """Accept the usual postgres:// spellings and give SQLAlchemy its async driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
    return url


def create_engine(url: str = DEFAULT_URL, pool_size: int = POOL_SIZE, **kwargs) -> AsyncEngine:
    url = normalise_url(url)
    keep_private(url)
    if url.startswith("postgresql") and "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", pool_size)
        kwargs.setdefault("max_overflow", POOL_BURST)
        # The connection used last is handed out first: after a busy minute a quiet one runs
        # on a few connections whose prepared statements and server caches are warm, not on
        # each of fifty in turn (each preparing every statement again, on the first use).
        kwargs.setdefault("pool_use_lifo", True)
    if url.startswith("sqlite"):
        # Several sessions wait for the write lock instead of failing at once: up to 30 s, with
        # the loop free meanwhile (services/sqlite_loop.py runs SQLite in the loop's thread).
        kwargs.setdefault("connect_args", {"timeout": 30})
        kwargs.setdefault("module", InLoopDbapi())
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
    return engine


def keep_private(url: str) -> None:
    """A SQLite file holds pupils' names: readable by its owner only. SQLite gives the -wal and
    -shm files the mode of the database file, so the file is made 0600 before SQLite opens it
    (and an existing one, with its -wal/-shm, is set to 0600)."""
    path = sqlite_file(url)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if name.exists():
            os.chmod(name, 0o600)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL, or None for another database or an in-memory one."""
    for prefix in ("sqlite+aiosqlite:///", "sqlite:///"):
        if url.startswith(prefix):
            path = url[len(prefix):].split("?", 1)[0]
            return None if path in ("", ":memory:") else Path(path)
    return None


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # pysqlite's own transaction handling is switched off so that BEGIN IMMEDIATE below is ours.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL + NORMAL: commits do not wait for fsync; a power cut can lose the last commits but
    # never corrupts the database (the recommended setting for WAL).
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows (a withdrawn LVS key, an old pincode) are overwritten, not just unlinked.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


READ_ONLY = "beheerbot_read_only"


def _read_options(dialect_name: str) -> dict[str, object]:
    if dialect_name == "postgresql":
        return {READ_ONLY: True, "isolation_level": "AUTOCOMMIT"}
    return {READ_ONLY: True}


@asynccontextmanager
async def connected(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """`async with engine.connect()`, closed in this task. SQLAlchemy's own exit runs the
    close in a task of its own, shielded from cancellation: two more passes through the event
    loop for every connection, several times a turn. Closing here differs only when this task
    is cancelled while the close waits for the database (PostgreSQL ending a transaction):
    SQLAlchemy then invalidates the connection instead of pooling it, which is safe."""
    connection = await engine.connect()
    try:
        yield connection
    finally:
        await connection.close()


@asynccontextmanager
async def session_of(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """`async with sessions()` for a session that only reads, closed in this task as
    `connected` closes (a transaction that writes keeps SQLAlchemy's shielded exit, which
    finishes its commit even when the task is cancelled)."""
    session = sessions()
    try:
        yield session
    finally:
        await session.close()


# The connection of a `reads_together` block and the task that runs the block: `reading`
# hands it out inside the block, to that task only.
_SHARED_READ: ContextVar[tuple[AsyncConnection, asyncio.Task | None] | None] = ContextVar(
    "beheerbot_shared_read", default=None)


@asynccontextmanager
async def reading(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncConnection]:
    """A connection for the few reads every turn makes (its actor, its state): Core statements
    without a Session, begun as `read_only` begins a session. A Session and ORM rows cost
    SQLAlchemy more than SQLite takes to answer such a statement. Inside `reads_together`, the
    block's one connection; otherwise one kept by an earlier block (_idle_reader), or a new
    one from the pool."""
    engine: AsyncEngine = sessions.kw["bind"]
    shared, owner = _SHARED_READ.get() or (None, None)
    # A task started inside the block inherits the block's context, but one connection serves
    # one statement at a time: another task reads on a connection of its own.
    if (shared is not None and shared.engine is engine and not shared.closed
            and owner is asyncio.current_task()):
        yield shared
        return
    async with _idle_reader(engine) as connection:
        yield connection


# Connections that a `reading` block has used, kept out of the pool for the next block: on
# PostgreSQL in autocommit, on SQLite with their read transaction ended (a snapshot kept
# open would hide later writes and hold back the WAL's checkpoints). A block through the pool
# costs three passes into SQLAlchemy's greenlet (the checkout, the read options, the return):
# 55 us of CPU for an empty block, measured on PostgreSQL, and a card turn has two or three.
# These are counted in the pool's size: writers always have the rest of it. At most
# MAX_IDLE_READERS wait; more concurrent reads go through the pool as before.
MAX_IDLE_READERS = 8
_IDLE = "beheerbot_idle_readers"


def _idle_readers(engine: AsyncEngine) -> list[AsyncConnection]:
    # On the engine itself: a list keyed by the engine elsewhere would keep it alive.
    sync = engine.sync_engine
    idle = sync.__dict__.get(_IDLE)
    if idle is None:
        idle = sync.__dict__[_IDLE] = []
        event.listen(sync, "engine_disposed", _close_idle_readers)
    return idle


def _close_idle_readers(sync_engine) -> None:
    # Run by Engine.dispose, inside SQLAlchemy's greenlet: the driver's close may wait.
    # A new list: a block still running returns its connection to the pool, not to this.
    idle, sync_engine.__dict__[_IDLE] = sync_engine.__dict__.get(_IDLE) or [], []
    while idle:
        idle.pop().sync_connection.invalidate()


def _reusable(connection: AsyncConnection, engine: AsyncEngine) -> bool:
    """Still connected, in no transaction, and not older than the pool's last invalidation
    (after a lost server the pool renews every connection made before it; so does this)."""
    if connection.closed or connection.invalidated:
        return False
    sync = connection.sync_connection
    if sync.in_transaction():
        return False
    record = getattr(sync.connection, "_connection_record", None)
    invalidated_at = getattr(engine.sync_engine.pool, "_invalidate_time", 0)
    return record is not None and record.starttime >= invalidated_at


@asynccontextmanager
async def _idle_reader(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    idle = _idle_readers(engine)
    connection = None
    while idle:
        candidate = idle.pop()
        if _reusable(candidate, engine):
            connection = candidate
            break
        await candidate.close()
    if connection is None:
        connection = await engine.connect()
        await connection.execution_options(**_read_options(engine.dialect.name))
    clean = False
    try:
        yield connection
        clean = True
    except DomainError:
        clean = True  # a refusal or a missing row: the connection did nothing wrong
        raise
    finally:
        # Cancelled, or failed in the database or the driver: the pool's own return resets it.
        if clean and len(idle) < MAX_IDLE_READERS and await _ended(connection) and (
                _reusable(connection, engine)
                and engine.sync_engine.__dict__.get(_IDLE) is idle):
            idle.append(connection)
        else:
            await connection.close()


async def _ended(connection: AsyncConnection) -> bool:
    """True when the connection is in no transaction. A statement through SQLAlchemy begins
    one even in autocommit: nothing to commit on the server, but SQLAlchemy must be told. On
    SQLite a read begun by services/driver_rows.py is not SQLAlchemy's: it is ended here."""
    try:
        if connection.sync_connection.in_transaction():
            await connection.commit()
        if connection.dialect.name == "sqlite":
            connection.sync_connection.connection.driver_connection.end_read()
    except Exception:
        return False
    return True


@asynccontextmanager
async def reads_together(sessions: async_sessionmaker[AsyncSession]
                         ) -> AsyncIterator[AsyncConnection]:
    """The `reading`s inside this block share one connection: the three small reads a turn
    starts with (its actor, its state, the messages that show codes) cost one checkout and
    one BEGIN instead of three, and on SQLite see one snapshot. Keep the block short: it
    holds a pooled connection (and on SQLite a read transaction) until it ends."""
    async with reading(sessions) as connection:
        token = _SHARED_READ.set((connection, asyncio.current_task()))
        try:
            yield connection
        finally:
            _SHARED_READ.reset(token)


async def read_only(session: AsyncSession) -> None:
    """Begin `session` as a read, before its first statement. On SQLite a deferred BEGIN: no
    write lock, so it never waits for a writer. On PostgreSQL no transaction at all
    (autocommit): under READ COMMITTED every statement takes its own snapshot either way, and a
    BEGIN and a ROLLBACK would be two more round trips to the server for each read."""
    await session.connection(execution_options=_read_options(session.get_bind().dialect.name))


async def refresh_statistics(sessions: async_sessionmaker[AsyncSession]) -> None:
    """ANALYZE: let the query planner see the rows a bulk load has just written. On
    PostgreSQL autovacuum does this too, but only a minute or more later: until then a fresh
    database is planned as if its tables were empty, and a demo pupil search took 10 ms
    instead of 4 (measured in one process). On SQLite it writes sqlite_stat1, which nothing
    else ever writes."""
    engine: AsyncEngine = sessions.kw["bind"]
    async with engine.begin() as connection:
        await connection.exec_driver_sql("ANALYZE")


def _sqlite_begin_immediate(connection) -> None:
    # Take the write lock at the start of each writing transaction: a read-then-write
    # transaction then cannot be overtaken between its read and its write (SQLite's answer to
    # SELECT ... FOR UPDATE). Read-only transactions begin deferred: in WAL they never wait.
    # Straight on the DBAPI connection: exec_driver_sql would build a whole execution context
    # for a statement without parameters or rows, four times a turn.
    dbapi = connection.connection.dbapi_connection
    if connection.get_execution_options().get(READ_ONLY):
        # Deferred: no write lock, so it never waits (and none if services/driver_rows.py
        # has begun this read already).
        dbapi.driver_connection.begin_read()
        return
    cursor = dbapi.cursor()
    try:
        cursor.execute("BEGIN IMMEDIATE")
    finally:
        cursor.close()


def create_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def _alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade_sync(url: str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(_alembic_config(url), revision)


async def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database to the newest migration (creates the SQLite file if needed)."""
    await asyncio.to_thread(upgrade_sync, url, revision)


def downgrade_sync(url: str, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(_alembic_config(url), revision)


async def downgrade(url: str, revision: str = "base") -> None:
    """Take the database back to an older migration (`base`: nothing of beheerbot left)."""
    await asyncio.to_thread(downgrade_sync, url, revision)
