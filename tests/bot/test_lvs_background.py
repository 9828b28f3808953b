"""The periodic LVS check inside `serve`, and `beheerbot results verify`."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import create_app
from bot.cli import main
from bot.lvs import LVS_PERIODIC, LVS_VERIFIER
from services.actor import Identity
from services.db import create_engine, create_sessions
from services.demo import PLAYGROUND_TENANT
from services.exchange.lvs import LvsEndpoint, LvsSettings
from services.registry import Services
from services.secrets import SecretBox
from tests.conftest import ALEX_AAD, TEST_KEY, TEST_KEY_TEXT, db_rows, fixed_clock, make_settings
from tests.lvs_fake import GOOD_KEY, KLANTCODE, KLANTNAAM, FakeLvs, start_fake_lvs


@pytest.fixture
async def lvs(aiohttp_server):
    fake = await start_fake_lvs(aiohttp_server)
    yield fake
    fake.release()


async def _add_waiting_coupling(db_url: str, key: str = GOOD_KEY) -> None:
    """A coupling saved while no LVS was configured: it waits for its first check."""
    engine = create_engine(db_url)
    services = Services.build(create_sessions(engine), clock=fixed_clock,
                              secrets=SecretBox(TEST_KEY))
    alex = await services.school.resolve_actor(Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id=ALEX_AAD))
    saved = await services.exchange.add_coupling(alex, 1, "momento", key)
    assert saved.coupling.status == "pending"
    await engine.dispose()


def _statuses(db_url: str) -> list[tuple[str, str]]:
    return db_rows(db_url, "select system, status from lvs_couplings order by id")


async def test_serve_checks_waiting_couplings_and_stops_cleanly(aiohttp_client, migrated_demo_db,
                                                                lvs: FakeLvs):
    await _add_waiting_coupling(migrated_demo_db)
    endpoint = LvsEndpoint(url=lvs.url, klantcode=KLANTCODE, klantnaam=KLANTNAAM)
    settings = make_settings(migrated_demo_db, lvs=LvsSettings(
        endpoints=(("momento", endpoint),), timeout=1.0, verify_interval=3600))
    app = create_app(settings, clock=fixed_clock)
    client = await aiohttp_client(app)
    periodic = app[LVS_PERIODIC]
    await asyncio.wait_for(periodic.round_done.wait(), timeout=10)  # the first round runs at once
    assert _statuses(migrated_demo_db) == [("momento", "active")]
    assert [r["brincode"] for r in lvs.requests] == ["12AB"]
    assert periodic.running  # now sleeping until the next round
    await client.close()
    assert not periodic.running and periodic.rounds == 1


async def test_without_an_endpoint_no_background_task_runs(bot_client):
    app = bot_client.server.app
    assert LVS_PERIODIC not in app
    assert app[LVS_VERIFIER].configured == ()


async def test_results_verify_command(migrated_demo_db, lvs: FakeLvs, monkeypatch):
    await _add_waiting_coupling(migrated_demo_db)
    monkeypatch.setenv("DATABASE_URL", migrated_demo_db)
    monkeypatch.setenv("BEHEERBOT_SECRET_KEY", TEST_KEY_TEXT)
    assert await asyncio.to_thread(main, ["results", "verify"]) == 0
    assert _statuses(migrated_demo_db) == [("momento", "pending")]  # nothing configured yet
    monkeypatch.setenv("LVS_ENDPOINT_MOMENTO", lvs.url)
    monkeypatch.setenv("LVS_KLANTCODE_MOMENTO", KLANTCODE)
    assert await asyncio.to_thread(main, ["results", "verify"]) == 0
    assert _statuses(migrated_demo_db) == [("momento", "active")]
    monkeypatch.setenv("LVS_KLANTCODE_MOMENTO", "")
    assert await asyncio.to_thread(main, ["results", "verify"]) == 2  # bad configuration
