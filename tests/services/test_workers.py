"""Background work shared by several workers on one database (each with its own engine, as
separate processes have): every piece of work is done by exactly one of them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import func, select, update

from bot.nightly import NightlySettings, NightlySync
from services.actor import Actor
from services.db import create_engine, create_sessions
from services.demo import DELIVERIES, LATER_DELIVERY
from services.exchange.lvs import LvsEndpoint, LvsSettings, build_verifier
from services.exchange.service import CHECK_LEASE
from services.models import LvsCoupling, NightlyRun, SyncRun
from services.registry import Services
from services.secrets import SecretBox
from tests.conftest import TEST_KEY, fixed_clock
from tests.lvs_fake import GOOD_KEY, KLANTCODE, KLANTNAAM, FakeLvs, start_fake_lvs

WORKERS = 4


@pytest.fixture
async def lvs(aiohttp_server) -> tuple[FakeLvs, LvsSettings]:
    """The local LVS, and the settings of a Momento client that asks it."""
    fake = await start_fake_lvs(aiohttp_server)
    endpoint = LvsEndpoint(url=fake.url, klantcode=KLANTCODE, klantnaam=KLANTNAAM)
    yield fake, LvsSettings(endpoints=(("momento", endpoint),), timeout=5.0)
    fake.release()


@pytest.fixture
async def engines(db_url, demo):
    """One engine per worker on this test's database (the demo is in it)."""
    made = [create_engine(db_url) for _ in range(WORKERS)]
    yield made
    for engine in made:
        await engine.dispose()


def _services(engine, **kwargs) -> Services:
    return Services.build(create_sessions(engine), clock=fixed_clock,
                          secrets=SecretBox(TEST_KEY), **kwargs)


async def test_one_night_is_run_by_one_worker(services, engines, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "12AB-00-2026-11-30.xml").write_bytes((DELIVERIES / LATER_DELIVERY).read_bytes()
                                                   .replace(b"<naam>Groep 3</naam>",
                                                            b"<naam>Groep 3 (Zon)</naam>"))
    async with services.sync.ctx.sessions() as session:
        runs_before = await session.scalar(select(func.count()).select_from(SyncRun))
    nightlies = [NightlySync(_services(engine).sync, NightlySettings(inbox=inbox),
                             clock=fixed_clock) for engine in engines]
    outcomes = await asyncio.gather(*(n.run_night("2026-11-30") for n in nightlies))
    ran = [o for o in outcomes if o is not None]
    assert len(ran) == 1 and [r.status for r in ran[0]] == ["applied"]
    assert sum(n.skipped for n in nightlies) == WORKERS - 1
    async with services.sync.ctx.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(SyncRun)) == runs_before + 1
        night = (await session.execute(select(NightlyRun))).scalar_one()
    assert night.night == "2026-11-30" and night.deliveries == 1 and night.finished_at
    # The next night is a night of its own.
    assert await nightlies[0].run_night("2026-12-01") == []


async def test_each_waiting_coupling_is_checked_by_one_worker(services, alex, engines, lvs):
    lvs, settings = lvs
    for school in alex.coordinator_of:
        await services.exchange.add_coupling(alex, school.id, "momento", GOOD_KEY)
    operator = Actor.operator("lvs-controle")
    async with aiohttp.ClientSession() as http:
        workers = [_services(engine, lvs=build_verifier(settings, http)).exchange
                   for engine in engines]
        reports = await asyncio.gather(*(w.verify_pending(operator) for w in workers))
    assert sum(r.checked for r in reports) == len(alex.coordinator_of) == 2
    assert sorted(r["brincode"] for r in lvs.requests) == ["12AB", "34CD"]  # each once
    async with services.exchange.ctx.sessions() as session:
        rows = (await session.execute(select(LvsCoupling))).scalars().all()
    assert {(r.status, r.checking_since) for r in rows} == {("active", None)}


async def test_a_claim_left_by_a_crashed_worker_is_taken_over_after_the_lease(
        services, alex, engines, lvs):
    lvs, settings = lvs
    saved = await services.exchange.add_coupling(alex, alex.coordinator_of[0].id, "momento",
                                                 GOOD_KEY)
    operator = Actor.operator("lvs-controle")

    async def claimed(ago: timedelta) -> None:
        async with services.exchange.ctx.sessions.begin() as session:
            await session.execute(update(LvsCoupling).where(LvsCoupling.id == saved.coupling.id)
                                  .values(checking_since=fixed_clock() - ago))

    async with aiohttp.ClientSession() as http:
        worker = _services(engines[0], lvs=build_verifier(settings, http)).exchange
        await claimed(timedelta(minutes=1))  # another worker is checking it right now
        assert (await worker.verify_pending(operator)).checked == 0 and not lvs.requests
        await claimed(CHECK_LEASE + timedelta(minutes=1))  # that worker died long ago
        assert (await worker.verify_pending(operator)).checked == 1 and len(lvs.requests) == 1
