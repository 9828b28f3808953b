"""The migrations on both databases: from empty to head, back to nothing, and up again."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from services.db import create_engine, downgrade, sqlite_file, upgrade
from services.models import Base
from tests.conftest import fresh_pg_database, needs_pg


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_pg)])
async def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
        return
    async with fresh_pg_database(prefix="beheerbot_migrations") as url:
        yield url


async def _what_is_there(url: str) -> dict[str, set[str]]:
    """Every schema object a migration could leave behind, by kind."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            def look(sync) -> dict[str, set[str]]:
                found = {"tables": set(inspect(sync).get_table_names())}
                if sync.dialect.name == "postgresql":
                    found["sequences"] = set(inspect(sync).get_sequence_names())
                    found["types"] = set(sync.execute(text(
                        "SELECT t.typname FROM pg_type t JOIN pg_namespace n "
                        "ON n.oid = t.typnamespace WHERE n.nspname = 'public' "
                        "AND t.typtype IN ('e', 'd', 'r', 'm') "
                        "OR (t.typtype = 'c' AND n.nspname = 'public' AND NOT EXISTS "
                        "(SELECT 1 FROM pg_class c WHERE c.reltype = t.oid))")).scalars())
                    found["indexes"] = set(sync.execute(text(
                        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"))
                        .scalars())
                else:
                    found["indexes"] = set(sync.execute(text(
                        "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger', "
                        "'view') AND name NOT LIKE 'sqlite_autoindex_%'")).scalars())
                return found

            return await conn.run_sync(look)
    finally:
        await engine.dispose()


async def test_upgrade_from_empty_downgrade_to_nothing_and_upgrade_again(empty_url):
    await upgrade(empty_url)
    after_upgrade = await _what_is_there(empty_url)
    assert set(Base.metadata.tables) | {"alembic_version"} == after_upgrade["tables"]
    assert after_upgrade["indexes"]  # the models' indexes came with the tables

    await downgrade(empty_url)
    left = await _what_is_there(empty_url)
    # Alembic keeps its own (now empty) version table; nothing of beheerbot stays.
    assert left["tables"] == {"alembic_version"}
    assert left["indexes"] <= {"alembic_version_pkc"}
    assert not left.get("sequences") and not left.get("types")
    if sqlite_file(empty_url) is None:
        assert "sequences" in left  # PostgreSQL was really looked at

    await upgrade(empty_url)
    assert await _what_is_there(empty_url) == after_upgrade
