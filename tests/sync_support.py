"""Builders and checks shared by the sync tests: a small school delivery, the database's rows,
a run's changes and outbox rows."""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import select

from bench.sync_data import group, pupil, school, staff, write
from services.db import create_engine, create_sessions
from services.demo import load_demo
from services.models import (
    MODEL_GROUP,
    Base,
    Group,
    Licence,
    LicenceGroup,
    OutboxMessage,
    Product,
    School,
    SyncChange,
)
from services.secrets import SecretBox
from tests.conftest import (
    ON_PG,
    TEST_KEY,
    TODAY,
    create_schema,
    fresh_pg_database,
    needs_pg,
)

FORMATS = ("edexml", "json")
# Rows that record a run rather than the school's data: a rejected run still writes these.
RUN_TABLES = {"sync_runs", "sync_changes", "audit_events"}


def base_school(brin: str = "56EF", vestiging: str = "00") -> dict:
    """Three groups (one a combination group), six pupils, two teachers, a coördinator."""
    data = school(brin, vestiging, "OBS De Test")
    p = f"{brin}{vestiging}"
    data["groepen"] = [group(f"{p}-G3", "Groep 3", "3"), group(f"{p}-G5", "Groep 5", "5"),
                       group(f"{p}-G67", "Groep 6/7", "6/7")]
    data["leerlingen"] = [
        pupil(f"{p}-P1", "Sanne", "Vries", f"{p}-G3", "3", "de"),
        pupil(f"{p}-P2", "Daan", "Jansen", f"{p}-G3", "3"),
        pupil(f"{p}-P3", "Emma", "Dijk", f"{p}-G5", "5", "van"),
        pupil(f"{p}-P4", "Lucas", "Bakker", f"{p}-G5", "5"),
        pupil(f"{p}-P5", "Julia", "Öztürk", f"{p}-G67", "6"),
        pupil(f"{p}-P6", "Sem", "Smit", f"{p}-G67", "7"),
    ]
    data["staf"] = [
        staff(f"{p}-T1", "Marieke", "Visser", f"m.visser@{p.lower()}.nl", (f"{p}-G3",)),
        staff(f"{p}-T2", "Joost", "Meijer", f"j.meijer@{p.lower()}.nl",
              (f"{p}-G5", f"{p}-G67")),
        staff(f"{p}-C", "Ingrid", "Bos", f"ict@{p.lower()}.nl", (), ("ICTCoordinator",)),
    ]
    return data


async def apply(services, data: dict, fmt: str, source: str | None = None):
    return await services.sync.apply_delivery(write(data, fmt), source or f"levering.{fmt}")


async def dump(sessions, skip: set[str] = RUN_TABLES) -> dict[str, list[tuple]]:
    """Every row of every table (but the run records), in primary-key order."""
    out = {}
    async with sessions() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in skip:
                continue
            rows = (await session.execute(
                select(table).order_by(*table.primary_key.columns))).all()
            out[table.name] = [tuple(row) for row in rows]
    return out


async def changes_of(sessions, run_id: int) -> list[tuple[str, str, dict]]:
    async with sessions() as session:
        rows = (await session.scalars(select(SyncChange).where(SyncChange.run_id == run_id)
                                      .order_by(SyncChange.id))).all()
        return [(r.kind, r.subject, json.loads(r.detail or "{}")) for r in rows]


def kinds(changes) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, subject, _ in changes:
        out.setdefault(kind, []).append(subject)
    return {k: sorted(v) for k, v in out.items()}


async def outbox(sessions, run_id: int | None = None) -> list[OutboxMessage]:
    async with sessions() as session:
        stmt = select(OutboxMessage).order_by(OutboxMessage.id)
        if run_id is not None:
            stmt = stmt.where(OutboxMessage.run_id == run_id)
        return list((await session.scalars(stmt)).all())


async def group_licence(sessions, brin: str, product_code: str, levels: str,
                        link_group_keys: tuple[str, ...] = (), school_year: str = "2026-2027"
                        ) -> int:
    """A group licence for the school, linked by hand to the given groups; its id."""
    async with sessions.begin() as session:
        school_row = await session.scalar(select(School).where(School.brin == brin))
        product = await session.scalar(select(Product).where(Product.code == product_code))
        licence = Licence(school_id=school_row.id, product_id=product.id, year_levels=levels,
                          school_year=school_year, model=MODEL_GROUP)
        session.add(licence)
        await session.flush()
        for key in link_group_keys:
            group_id = await session.scalar(select(Group.id).where(
                Group.school_id == school_row.id, Group.basispoort_key == key))
            session.add(LicenceGroup(licence_id=licence.id, group_id=group_id, origin="manual"))
        return licence.id


@pytest.fixture(name="sessions",
                params=["postgresql"] if ON_PG else
                ["sqlite", pytest.param("postgresql", marks=needs_pg)])
async def sync_sessions(request, db_path, db_url):
    """The sync tests' database: this run's database (a copy of the demo when the test asks
    for `demo`), and on a SQLite run the same once more on PostgreSQL when TEST_DATABASE_URL
    is set."""
    wants_demo = "demo" in request.fixturenames
    if request.param == "sqlite" or ON_PG:
        if wants_demo and not ON_PG:
            shutil.copyfile(request.getfixturevalue("demo_template")[0], db_path)
        engine = create_engine(db_url)
        if not wants_demo and not ON_PG:
            await create_schema(engine)
        yield create_sessions(engine)
        await engine.dispose()
        return
    async with fresh_pg_database(prefix="beheerbot_sync") as url:
        engine = create_engine(url)
        await create_schema(engine)
        if wants_demo:
            await load_demo(create_sessions(engine), today=TODAY, secrets=SecretBox(TEST_KEY))
        yield create_sessions(engine)
        await engine.dispose()
