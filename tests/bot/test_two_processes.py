"""Two real `beheerbot serve` processes on one PostgreSQL database, over real HTTP: a
conversation goes on in the other process, the last seats are handed out once, every
notification is delivered once, every LVS coupling is checked once; and `serve --workers 2`.

Only in the PostgreSQL leg (TEST_BACKEND=postgresql): several processes need PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import signal

import pytest
from aiohttp import web
from sqlalchemy import delete, select

from bot.eventloop import chosen_loop
from services.actor import Identity
from services.db import create_engine, create_sessions
from services.demo import PLAYGROUND_TENANT
from services.models import LvsCoupling, OutboxMessage
from services.notify.results import KIND_SYNC_SUMMARY, SyncSummaryDTO
from services.registry import Services
from services.secrets import SecretBox
from tests.conftest import ALEX_AAD, ON_PG, TEST_KEY, Chat, fixed_clock, open_school
from tests.licence_tasks_support import licence_id, pupils_of, seats
from tests.lvs_fake import GOOD_KEY, KLANTCODE, KLANTNAAM, KOMPAS_KEY, FakeLvs, start_fake_lvs
from tests.processes import Alternating, ServeProcess

pytestmark = pytest.mark.skipif(not ON_PG, reason="several processes need PostgreSQL: "
                                                  "TEST_BACKEND=postgresql")
KOMPAS = 2


@pytest.fixture
async def start_serve(migrated_demo_db, tmp_path):
    """Starts `beheerbot serve` processes on this test's database; all stopped afterwards."""
    started: list[ServeProcess] = []

    async def start(**env: str) -> ServeProcess:
        process = ServeProcess(migrated_demo_db, tmp_path / f"serve-{len(started)}.log", **env)
        started.append(process)
        return await process.start()

    yield start
    codes = await asyncio.gather(*(p.stop() for p in started))
    assert all(code in (0, None) for code in codes), [p.log.read_text() for p in started]


@pytest.fixture
async def services(migrated_demo_db):
    engine = create_engine(migrated_demo_db)
    yield Services.build(create_sessions(engine), clock=fixed_clock, secrets=SecretBox(TEST_KEY))
    await engine.dispose()


async def test_a_conversation_goes_on_in_the_other_process(start_serve, db):
    # One process on asyncio's own loop, one on uvloop (serve's default): either takes a turn.
    first, second = await start_serve(EVENT_LOOP="asyncio"), await start_serve()
    chat = Chat(Alternating(first, second))
    await open_school(chat)
    await chat.click("Kindlicenties")
    await chat.click("Open Bingel groep 3 t/m 8")
    await chat.click("Kind toevoegen")
    await chat.click("Groep 8")
    choices = chat.choices("child_ids")
    picked = list(choices)[:3]
    await chat.click("Verder", child_ids=",".join(choices[name] for name in picked))
    assert "Kindlicentie toewijzen?" in chat.texts()
    confirm = chat.button("Toewijzen")["data"]
    await chat.click("Toewijzen")
    assert "Toegewezen" in chat.texts() and "18 van 30 vrij" in chat.texts()
    await chat.submit(confirm)  # the same button again, now in the other process
    assert "Deze kaart is verlopen" in chat.texts()
    assert set(chat.client.served_by) == {0, 1} and chat.client.turns >= 8
    bingel = await licence_id(db, 1, "Bingel")
    total, taken, assigned = await seats(db, bingel)
    assert taken == 12 == len(assigned) and {int(choices[n]) for n in picked} <= assigned


async def test_the_last_two_seats_go_once_over_both_processes(start_serve, db):
    first, second = await start_serve(), await start_serve()
    pupils = [str(c) for c, _ in await pupils_of(db, KOMPAS, "Groep 6/7")][:8]
    chats = [Chat(Alternating(first, second, start=n)) for n in range(len(pupils))]
    for chat, child in zip(chats, pupils, strict=True):
        await open_school(chat, "CBS Het Kompas (34CD 01)")
        await chat.click("Kindlicenties")
        await chat.click("Open Bingel groep 3 t/m 8")
        await chat.click("Kind toevoegen")
        await chat.click("Groep 6/7")
        await chat.click("Verder", child_ids=child)
        assert "Daarna zijn er nog 1 van 12 vrij." in chat.texts()
    await asyncio.gather(*(chat.click("Toewijzen") for chat in chats))
    refused = "geen van de 12 licenties is nog vrij"
    outcomes = [("Toegewezen" in chat.texts(), refused in chat.texts()) for chat in chats]
    assert outcomes.count((True, False)) == 2 and outcomes.count((False, True)) == 6
    total, taken, assigned = await seats(db, await licence_id(db, KOMPAS, "Bingel"))
    assert (total, taken, len(assigned)) == (12, 12, 12)


class Connector:
    """The Bot Connector's proactive-message endpoint: records every card it accepts."""

    def __init__(self) -> None:
        self.delivered: list[str] = []

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.delivered.append(json.dumps(body["attachments"][0]["content"], sort_keys=True))
        await asyncio.sleep(0.01)  # a real endpoint takes a moment: the senders overlap
        return web.json_response({"id": f"activity-{len(self.delivered)}"}, status=201)


async def test_two_senders_deliver_every_notification_once(start_serve, services,
                                                           aiohttp_server):
    connector = Connector()
    app = web.Application()
    app.router.add_post("/v3/conversations/{cid}/activities", connector.handle)
    url = str((await aiohttp_server(app)).make_url("/"))
    count = 24
    alex = await services.school.resolve_actor(
        Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id=ALEX_AAD), "conv-procs")
    async with services.outbox.ctx.sessions.begin() as session:
        await session.execute(delete(OutboxMessage))
    await services.references.remember(
        alex, tenant_id=PLAYGROUND_TENANT, scope="personal", service_url=url,
        reference={"bot": {"id": "bot-id"}, "user": {"id": "user-1"},
                   "conversation": {"id": "conv-procs"}})
    async with services.outbox.ctx.sessions.begin() as session:
        for n in range(count):
            summary = SyncSummaryDTO(school_id=KOMPAS, school_name=f"School {n}", run_id=1,
                                     counts={"pupil_added": n + 1})
            services.outbox.enqueue(session, person_id=alex.person_id, school_id=None,
                                    run_id=None, kind=KIND_SYNC_SUMMARY,
                                    payload=summary.to_payload())
    env = {"NOTIFY_INTERVAL": "1", "NOTIFY_MAX_ATTEMPTS": "100"}
    await asyncio.gather(start_serve(**env), start_serve(**env))
    for _ in range(600):
        if len(connector.delivered) >= count:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.5)  # a sender that would send one twice has had its chance
    assert len(connector.delivered) == len(set(connector.delivered)) == count
    async with services.outbox.ctx.sessions() as session:
        statuses = (await session.scalars(select(OutboxMessage.status))).all()
    assert statuses == ["sent"] * count


async def test_each_waiting_lvs_coupling_is_checked_by_one_process(start_serve, services,
                                                                   aiohttp_server):
    lvs: FakeLvs = await start_fake_lvs(aiohttp_server)
    lvs.delay = 3.0  # every process's first round starts while the others' are still asking
    alex = await services.school.resolve_actor(
        Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id=ALEX_AAD), "conv-lvs")
    keys = {"12AB": GOOD_KEY, "34CD": KOMPAS_KEY}  # the fake knows each key for one school
    for school in alex.coordinator_of:
        await services.exchange.add_coupling(alex, school.id, "momento", keys[school.brin])
    env = {"LVS_ENDPOINT_MOMENTO": lvs.url, "LVS_KLANTCODE_MOMENTO": KLANTCODE,
           "LVS_KLANTNAAM": KLANTNAAM, "LVS_VERIFY_INTERVAL_SECONDS": "10",
           "LVS_KEY_CHECK_MOMENTO": "leerlinggegevens"}
    try:
        await asyncio.gather(*(start_serve(**env) for _ in range(3)))
        for _ in range(300):
            async with services.exchange.ctx.sessions() as session:
                statuses = (await session.scalars(select(LvsCoupling.status))).all()
            if set(statuses) == {"active"}:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1)
    finally:
        lvs.release()
    assert statuses == ["active", "active"]
    assert sorted(r["brincode"] for r in lvs.requests) == ["12AB", "34CD"]  # once each


async def test_serve_with_two_workers_shares_one_port(migrated_demo_db, tmp_path):
    server = ServeProcess(migrated_demo_db, tmp_path / "workers.log", workers=2)
    await server.start()
    try:
        workers = server.children()
        assert len(workers) == 2
        chat = Chat(server)
        await open_school(chat)
        os.kill(workers[0], signal.SIGKILL)  # a worker dies: the parent starts another
        for _ in range(100):
            if len(server.children()) == 2 and workers[0] not in server.children():
                break
            await asyncio.sleep(0.1)
        assert len(server.children()) == 2 and workers[0] not in server.children()
        for _ in range(4):  # whichever worker takes the turn, the chat goes on
            await chat.click("Kindlicenties")
            assert "Bingel groep 3 t/m 8" in chat.texts()
            await chat.click("Menu")
    finally:
        assert await server.stop() == 0
    log = server.log.read_text()
    assert "2 workers luisteren" in log and log.count(f"eventloop: {chosen_loop()}") >= 2
