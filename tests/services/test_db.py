"""Migrations, the state store's e-tags, SQLite settings, and the same on PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from services.actor import Identity
from services.db import (
    MAX_IDLE_READERS,
    connected,
    create_engine,
    create_sessions,
    normalise_url,
    read_only,
    reading,
    reads_together,
    upgrade,
)
from services.demo import PLAYGROUND_TENANT, last_sync_day, load_demo
from services.driver_rows import driver_statements
from services.errors import NotFound
from services.models import Base
from services.registry import Services
from services.state_store import StateConflict, StateStore
from tests.conftest import (
    ALEX_AAD,
    ON_PG,
    TODAY,
    db_rows,
    fixed_clock,
    needs_pg,
    sqlite_only,
)


async def _drift(url: str) -> list:
    engine = create_engine(url)
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata))
    await engine.dispose()
    return diff


async def test_migration_matches_the_models(db_url):
    await upgrade(db_url)
    assert await _drift(db_url) == []
    await upgrade(db_url)  # a second upgrade is a no-op


@sqlite_only
async def test_sqlite_runs_in_wal_with_foreign_keys(sessions):
    async with sessions() as session:
        assert (await session.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await session.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await session.execute(text("PRAGMA secure_delete"))).scalar() == 1


async def _state_store_contract(store: StateStore) -> None:
    assert await store.read(["a"]) == {}
    tags = await store.write({"a": (json.dumps({"n": 1}), None)})
    data, etag = (await store.read(["a"]))["a"]
    assert json.loads(data) == {"n": 1} and etag == tags["a"]
    new = await store.write({"a": (json.dumps({"n": 2}), etag)})
    with pytest.raises(StateConflict):  # a writer that read before the last write loses
        await store.write({"a": (json.dumps({"n": 3}), etag)})
    assert json.loads((await store.read(["a"]))["a"][0]) == {"n": 2}
    with pytest.raises(StateConflict):  # and nothing of a failed batch is written
        await store.write({"b": ("{}", None), "a": ("{}", "stale")})
    assert "b" not in await store.read(["a", "b"])
    # A replace that went through, undone with its batch when a later one is stale.
    with pytest.raises(StateConflict):
        await store.write({"a": (json.dumps({"n": 4}), new["a"]), "c": ("{}", "stale")})
    assert (await store.read(["a"]))["a"] == (json.dumps({"n": 2}), new["a"])
    # One replace alone goes straight to the driver (SQLite in its transaction, PostgreSQL
    # in autocommit) and is read back.
    before = driver_statements()
    new = await store.write({"a": (json.dumps({"n": 5}), new["a"])})
    assert driver_statements() == before + 1
    assert (await store.read(["a"]))["a"] == (json.dumps({"n": 5}), new["a"])
    await store.write({"a": ("{}", "*")})
    assert (await store.read(["a"]))["a"][1] not in (etag, new["a"])
    await store.delete(["a"])
    assert await store.read(["a"]) == {}


async def test_state_store_etags_on_sqlite(sessions):
    await _state_store_contract(StateStore(sessions))


@pytest.mark.skipif(not ON_PG, reason="PostgreSQL's synchronous_commit")
async def test_a_state_write_alone_does_not_wait_for_the_disk_and_the_next_transaction_does(
        sessions):
    engine = sessions.kw["bind"]
    store = StateStore(sessions)
    tags = await store.write({"nf": ("{}", "*")})
    # Its own transaction commits without waiting for the WAL flush ...
    async with connected(engine) as connection, connection.begin():
        assert await StateStore._write_each(connection, {"nf": ('{"n": 1}', tags["nf"])})
        setting = await connection.scalar(text("SELECT current_setting('synchronous_commit')"))
        assert setting == "off"
    # ... and the setting ends with it: whatever the connection runs next waits as always,
    # the kept reading connections (where a single write goes) included.
    for _ in range(3):
        data, etag = (await store.read(["nf"]))["nf"]
        await store.write({"nf": (data, etag)})
        async with reading(sessions) as connection:
            assert await connection.scalar(text("SHOW synchronous_commit")) == "on"
    async with sessions() as session:
        assert await session.scalar(text("SHOW synchronous_commit")) == "on"
    await store.delete(["nf"])


def test_database_urls_are_normalised():
    assert normalise_url("postgres://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalise_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"


# -- PostgreSQL (CI starts a throwaway cluster and sets TEST_DATABASE_URL) --------------------

@needs_pg
async def test_postgres_migration_demo_and_a_use_case(pg_url):
    await upgrade(pg_url)
    assert await _drift(pg_url) == []
    engine = create_engine(pg_url)
    sessions = create_sessions(engine)
    await load_demo(sessions, today=TODAY)
    services = Services.build(sessions, clock=fixed_clock)
    alex = await services.school.resolve_actor(Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id=ALEX_AAD))
    regenboog = alex.coordinator_of[1].id
    licence = next(lic for lic in (await services.links.list_group_licences(alex, regenboog)).licences
                   if lic.product_name == "Staal" and lic.levels == (5,))
    group = next(g for g in await services.school.list_groups(alex, regenboog) if g.name == "Groep 5a")
    result = await services.links.link_groups(alex, licence.id, [group.id])
    assert result.linked == ("Groep 5a",)
    page = await services.school.search_pupils(alex, regenboog, "de vries", 1)
    assert page.total >= 1
    await _state_store_contract(StateStore(sessions))
    await engine.dispose()


def test_the_demo_is_synced_at_the_last_night_that_has_passed():
    # Loaded just after midnight, its summary must be due at once, not at 02:00.
    assert last_sync_day(datetime(2026, 12, 5, 1, 12, tzinfo=UTC)) == date(2026, 12, 4)
    assert last_sync_day(datetime(2026, 12, 5, 2, 0, tzinfo=UTC)) == date(2026, 12, 5)
    assert last_sync_day(datetime(2026, 12, 5, 23, 59, tzinfo=UTC)) == date(2026, 12, 5)


async def test_the_demo_leaves_planner_statistics_of_its_rows(sessions, demo, db_url):
    """A freshly loaded database is planned by its real sizes, not as if it were empty."""
    if ON_PG:
        rows = db_rows(db_url, "SELECT relname, reltuples FROM pg_class WHERE relname IN "
                               "('people', 'roles', 'group_members')")
    else:
        rows = db_rows(db_url, "SELECT tbl, CAST(substr(stat, 1, instr(stat, ' ') - 1) AS "
                               "INTEGER) FROM sqlite_stat1 WHERE tbl IN "
                               "('people', 'roles', 'group_members') GROUP BY tbl")
    assert {name for name, _ in rows} == {"people", "roles", "group_members"}
    people = dict(rows)["people"]
    assert people == db_rows(db_url, "SELECT count(*) FROM people")[0][0]


async def test_read_only_use_cases_do_not_take_the_sqlite_write_lock(services, alex, sessions):
    """While another transaction holds the write lock, reading use cases still answer."""
    school_id = alex.coordinator_of[1].id
    async with sessions.begin() as writer:
        await writer.execute(text("UPDATE schools SET city = city"))  # holds the write lock now
        home = await asyncio.wait_for(services.school.school_home(alex, school_id), timeout=5)
        licences = await asyncio.wait_for(services.links.list_group_licences(alex, school_id), 5)
    assert home.name == "OBS De Regenboog" and licences.licences


async def test_reads_begin_no_transaction_on_postgresql_and_no_write_lock_on_sqlite(sessions):
    """read_only (a session) and reading (a Core connection): on PostgreSQL every statement is
    its own transaction, so no BEGIN and ROLLBACK round trips; on SQLite a writer goes ahead
    while the read is open."""

    async def writes() -> None:
        async with sessions.begin() as writer:
            await writer.execute(text("CREATE TABLE IF NOT EXISTS probe (n INTEGER)"))
            await writer.execute(text("INSERT INTO probe VALUES (1)"))

    async with sessions() as session, reading(sessions) as connection:
        await read_only(session)
        for read in (session.execute, connection.execute):
            if ON_PG:  # now() is the start of the transaction: it moves only outside one
                first = (await read(text("SELECT now()"))).scalar()
                await asyncio.sleep(0.02)
                assert (await read(text("SELECT now()"))).scalar() > first
            else:
                await read(text("SELECT count(*) FROM schools"))
                await asyncio.wait_for(writes(), 5)


async def test_reads_together_share_one_connection_only_inside_the_block(sessions, db_url):
    other = create_engine(db_url)
    try:
        async with reads_together(sessions):
            async with reading(sessions) as first, reading(sessions) as second:
                assert first is second
                assert (await first.execute(text("SELECT count(*) FROM schools"))).scalar() >= 0
            async with reading(create_sessions(other)) as elsewhere:
                assert elsewhere is not first  # another database's reads are its own

            async def later():
                async with reading(sessions) as own:
                    await asyncio.sleep(0.01)
                    return own, (await own.execute(text("SELECT 1"))).scalar()

            task = asyncio.create_task(later())  # inherits the block's context
            await asyncio.sleep(0)  # and begins its read while the block's is still going on
            async with reading(sessions) as again:
                assert again is first
        # Kept for the next block, its statement's transaction ended: on PostgreSQL it is in
        # autocommit, on SQLite the read begun without SQLAlchemy is ended too.
        assert not first.closed and not first.sync_connection.in_transaction()
        if not ON_PG:
            assert not first.sync_connection.connection.driver_connection.raw.in_transaction
        own, one = await task
        assert own is not first and one == 1
        async with reading(sessions) as after:
            assert after is own
    finally:
        await other.dispose()


@needs_pg
async def test_a_busy_process_keeps_its_postgresql_connections_open(pg_url):
    """Turns in flight each hold a connection while they wait for the server: 40 of them at
    once, twice, open 40 connections and keep them, instead of opening and closing again
    whatever is above SQLAlchemy's default pool of five. A quiet spell afterwards runs on the
    connection used last, whose prepared statements are warm, not on each of the 40 in turn."""
    engine = create_engine(pg_url)
    opened = []
    event.listen(engine.sync_engine, "connect", lambda *_: opened.append(1))
    sessions = create_sessions(engine)

    async def turn():
        async with reading(sessions) as connection:
            await connection.execute(text("SELECT pg_sleep(0.02)"))

    try:
        for _ in range(2):
            await asyncio.gather(*(turn() for _ in range(40)))
        assert len(opened) == 40
        assert engine.pool.checkedin() == 40 - MAX_IDLE_READERS  # the rest wait for reads
        used = set()
        for _ in range(10):
            async with reading(sessions) as connection:
                await connection.execute(text("SELECT 1"))
                used.add(id(connection.sync_connection.connection.driver_connection))
        assert len(used) == 1
        assert create_engine(pg_url, pool_size=7).pool.size() == 7
    finally:
        await engine.dispose()


@needs_pg
async def test_postgresql_reads_keep_a_few_connections_out_of_the_pool(pg_url):
    """A reading block's connection serves the next block without a pass through the pool:
    at most MAX_IDLE_READERS wait. A refusal keeps its connection; one that failed in the
    database, or whose block was cancelled, goes back to the pool; dispose closes them all."""
    engine = create_engine(pg_url)
    sessions = create_sessions(engine)

    def options(connection) -> dict:
        return connection.sync_connection.get_execution_options()

    try:
        async with reading(sessions) as first:
            await first.execute(text("SELECT 1"))
        async with reading(sessions) as second:
            assert second is first and options(second)["isolation_level"] == "AUTOCOMMIT"
        failed = await _few_kept_readers(sessions, "SELECT 1 / 0")
        async with reading(sessions) as other:
            assert other is not failed and (await other.execute(text("SELECT 2"))).scalar() == 2

        inside = []

        async def cancelled():
            async with reading(sessions) as connection:
                inside.append(connection)
                await connection.execute(text("SELECT pg_sleep(5)"))

        waiting = engine.pool.checkedout()
        task = asyncio.create_task(cancelled())
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert inside[0].closed and engine.pool.checkedout() == waiting - 1
    finally:
        await engine.dispose()
    check = create_engine(pg_url, poolclass=NullPool)
    try:
        async with check.connect() as connection:
            assert (await connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"))).scalar() == 0
    finally:
        await check.dispose()


@sqlite_only
async def test_sqlite_reads_keep_a_few_connections_that_see_every_later_write(
        sessions, db_url, monkeypatch):
    """A SQLite reading block's connection serves the next block without a pass through the
    pool, with the read transaction it began ended: the next block sees what was written in
    between, and nothing holds back the WAL's checkpoint. At most MAX_IDLE_READERS wait; a
    refusal keeps its connection, a failed statement's goes back to the pool."""
    from sqlalchemy import select

    from services.driver_rows import CHECK, all_rows
    from services.models import School

    # Only the driver reads: the suite's second reading through SQLAlchemy would begin (and
    # end) a transaction SQLAlchemy knows of.
    monkeypatch.delenv(CHECK)

    schools = select(School.__table__.c.id)
    driven = driver_statements()

    async def count(connection) -> int:
        return len(await all_rows(connection, schools))

    async with reading(sessions) as first:
        before = await count(first)
        driver = first.sync_connection.connection.driver_connection
        assert driver.raw.in_transaction  # the driver's read, begun without SQLAlchemy
    assert not driver.raw.in_transaction
    async with sessions.begin() as session:
        session.add(School(brin="99ZZ", name="Later"))
    async with reading(sessions) as second:
        assert second is first and await count(second) == before + 1
        assert driver_statements() == driven + 2  # read by the driver, not by SQLAlchemy
    other = sqlite3.connect(db_url.split(":///", 1)[1])
    try:  # refused (busy) while any connection still reads an older snapshot
        assert other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone() == (0, 0, 0)
    finally:
        other.close()

    await _few_kept_readers(sessions, "SELECT * FROM no_such_table")


async def _few_kept_readers(sessions, failing: str):
    """What both databases keep of their reading connections: twelve blocks at once use
    twelve, MAX_IDLE_READERS of them wait for the next reads; a refusal keeps its connection;
    a statement that fails in the database sends its connection back to the pool. Returns
    that failed connection."""
    engine = sessions.kw["bind"]

    async def held(seconds: float):
        async with reading(sessions) as connection:
            await connection.execute(text("SELECT 1"))
            await asyncio.sleep(seconds)
            return connection

    many = await asyncio.gather(*(held(0.02) for _ in range(12)))
    assert len({id(c) for c in many}) == 12
    assert engine.pool.checkedout() == MAX_IDLE_READERS
    with pytest.raises(NotFound):
        async with reading(sessions) as refused:
            raise NotFound()
    async with reading(sessions) as again:
        assert again is refused
    waiting = engine.pool.checkedout()
    with pytest.raises(DBAPIError):
        async with reading(sessions) as failed:
            await failed.execute(text(failing))
    assert failed.closed and engine.pool.checkedout() == waiting - 1
    return failed
