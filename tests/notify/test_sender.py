"""The sender against a local HTTP endpoint that speaks the Bot Connector protocol and enforces
Teams' limits itself: every message delivered once or marked, none doubled, no window exceeded."""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter, deque
from datetime import timedelta

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import delete, select

from bot.app import RUNTIME
from bot.config import Settings
from bot.notify_cli import notify_once
from bot.sender import (
    CARD_TYPE,
    CONVERSATION_LIMITS,
    NOTIFY_WAKE,
    TENANT_LIMITS,
    WINDOW_MARGIN,
    DrainReport,
    FairLock,
    NotifySettings,
    ProactiveSender,
    SlidingWindows,
    sender_context,
)
from services.actor import Actor, Identity
from services.db import create_engine, create_sessions
from services.models import (
    OUTBOX_PENDING,
    OUTBOX_SENDING,
    OUTBOX_SENT,
    OUTBOX_STALE,
    ConversationRef,
    OutboxMessage,
    Person,
)
from services.notify.results import OutgoingDTO
from services.registry import Services
from tests.conftest import (
    ALEX_AAD,
    PLAYGROUND_TENANT,
    Chat,
    create_schema,
    fixed_clock,
    make_settings,
)

FAST = NotifySettings(max_attempts=4, backoff_initial=0.01, backoff_max=0.05)


def render(kind: str, payload: dict, language: str | None) -> dict:
    return {"type": "AdaptiveCard", "version": "1.5",
            "body": [{"type": "TextBlock", "text": f"{kind} {payload['n']} {language}"}]}


# Teams' limits as the endpoint enforces them, written out apart from bot/sender.py.
TEAMS_PER_CONVERSATION = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
TEAMS_PER_TENANT = ((50, 1.0),)


def _over(times: deque[float], now: float, windows: tuple[tuple[int, float], ...]) -> bool:
    """Would one more request now exceed a window? (`times` holds the last hour, oldest first.)"""
    while times and now - times[0] > 3600.0:
        times.popleft()
    for count, period in windows:
        inside = 0
        for moment in reversed(times):
            if now - moment >= period:
                break
            inside += 1
        if inside >= count:
            return True
    return False


class Connector:
    """The Bot Connector's proactive-message endpoint, with scripted answers per conversation
    and all of Teams' limits (per conversation 7/1 s, 8/2 s, 60/30 s, 1,800/h; per tenant
    50/1 s) enforced as sliding windows with a 429 + Retry-After."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token
        self.script: dict[str, deque[int]] = {}
        self.delivered: list[tuple[str, str]] = []
        self.recent: dict[str, deque[float]] = {}
        self.tenants: dict[str, deque[float]] = {}
        self.throttled = 0
        self.bad_requests: list[str] = []
        self.replies: list[str] = []

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations/{cid}/activities", self.handle)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self.reply)
        return app

    async def reply(self, request: web.Request) -> web.Response:
        """A reply within a turn (not a proactive message): accepted and counted."""
        self.replies.append(request.match_info["cid"])
        return web.json_response({"id": f"reply-{len(self.replies)}"}, status=201)

    async def handle(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"]
        if self.token and request.headers.get("Authorization") != f"Bearer {self.token}":
            self.bad_requests.append("auth")
            return web.json_response({"error": {"code": "Unauthorized"}}, status=401)
        body = await request.json()
        attachments = body.get("attachments") or []
        if body.get("type") != "message" or body.get("conversation", {}).get("id") != cid \
                or len(attachments) != 1 or attachments[0].get("contentType") != CARD_TYPE:
            self.bad_requests.append("body")
            return web.json_response({"error": {"code": "BadArgument"}}, status=400)
        now = time.monotonic()
        recent = self.recent.setdefault(cid, deque())
        tenant = ((body.get("channelData") or {}).get("tenant") or {}).get("id") or ""
        tenant_recent = self.tenants.setdefault(tenant, deque())
        if _over(recent, now, TEAMS_PER_CONVERSATION) or _over(tenant_recent, now,
                                                                   TEAMS_PER_TENANT):
            self.throttled += 1
            return web.Response(status=429, headers={"Retry-After": "1"})
        recent.append(now)
        tenant_recent.append(now)
        scripted = self.script.get(cid)
        if scripted:
            status = scripted.popleft()
            headers = {"Retry-After": "1"} if status == 429 else {}
            return web.json_response({}, status=status, headers=headers)
        text = attachments[0]["content"]["body"][0]["text"]
        self.delivered.append((cid, text))
        return web.json_response({"id": f"activity-{len(self.delivered)}"}, status=201)


@pytest.fixture
async def connector(aiohttp_server):
    fake = Connector()
    server = await aiohttp_server(fake.app())
    fake.url = str(server.make_url("/"))
    return fake


async def _reference(services: Services, actor, url: str) -> None:
    # The demo leaves Alex a summary of its later delivery; these tests count their own.
    async with services.outbox.ctx.sessions.begin() as session:
        await session.execute(delete(OutboxMessage).where(OutboxMessage.kind != "test"))
    await services.references.remember(
        actor, tenant_id="tenant-1", scope="personal", service_url=url,
        reference={"bot": {"id": "bot-id"}, "user": {"id": "user-1"},
                   "conversation": {"id": actor.conversation_id}})


async def _enqueue(services: Services, actor, count: int, start: int = 0) -> None:
    async with services.outbox.ctx.sessions.begin() as session:
        for n in range(start, start + count):
            services.outbox.enqueue(session, person_id=actor.person_id, school_id=None,
                                    run_id=None, kind="test", payload={"n": n})


async def _statuses(services: Services) -> Counter:
    async with services.outbox.ctx.sessions() as session:
        return Counter((await session.execute(select(OutboxMessage.status))).scalars())


async def _drain_until_done(sender: ProactiveSender, rounds: int = 10) -> None:
    for _ in range(rounds):
        await sender.drain_once()
        if not (await sender.outbox.status()).counts.get(OUTBOX_PENDING):
            return


async def test_every_message_delivered_once_through_429_503_and_the_limits(
        services, alex, connector):
    await _reference(services, alex, connector.url)
    connector.script[alex.conversation_id] = deque([429, 503, 502])
    await _enqueue(services, alex, 12)
    async with aiohttp.ClientSession() as http:
        sender = ProactiveSender(services.outbox, http, render, FAST)
        report = await sender.drain_once()
    texts = [text for _, text in connector.delivered]
    assert sorted(int(text.split()[1]) for text in texts) == list(range(12))
    assert len(set(texts)) == len(texts) == 12  # nothing doubled, nothing lost
    assert report.sent == 12 and report.retried >= 3
    assert connector.bad_requests == []
    assert (await _statuses(services)) == Counter({OUTBOX_SENT: 12})


async def test_gives_up_after_the_configured_attempts_and_records_it(services, alex, connector):
    await _reference(services, alex, connector.url)
    connector.script[alex.conversation_id] = deque([503] * 10)
    await _enqueue(services, alex, 1)
    async with aiohttp.ClientSession() as http:
        report = await ProactiveSender(services.outbox, http, render, FAST).drain_once()
    assert report.given_up == 1 and connector.delivered == []
    async with services.outbox.ctx.sessions() as session:
        message = (await session.execute(select(OutboxMessage))).scalar_one()
    assert message.status == "failed" and "4 pogingen" in message.last_error


async def test_403_marks_the_conversation_stale_and_speaking_again_revives_it(
        services, alex, connector):
    await _reference(services, alex, connector.url)
    connector.script[alex.conversation_id] = deque([403])
    await _enqueue(services, alex, 3)
    async with aiohttp.ClientSession() as http:
        sender = ProactiveSender(services.outbox, http, render,
                                 NotifySettings(batch=1, backoff_initial=0.01))
        report = await sender.drain_once()
    assert report.stale == 1 and connector.delivered == []
    assert (await _statuses(services)) == Counter({OUTBOX_STALE: 1, OUTBOX_PENDING: 2})
    await _reference(services, alex, connector.url)  # the person speaks to the bot again
    async with aiohttp.ClientSession() as http:
        report = await ProactiveSender(services.outbox, http, render, FAST).drain_once()
    assert report.sent == 2


async def test_a_crash_between_claim_and_send_leaves_it_sending_and_unsent(
        services, alex, connector):
    await _reference(services, alex, connector.url)
    await _enqueue(services, alex, 2)
    claimed = await services.outbox.claim_due(1)  # the process dies right after this commit
    assert len(claimed) == 1
    async with aiohttp.ClientSession() as http:
        report = await ProactiveSender(services.outbox, http, render, FAST).drain_once()
    assert report.sent == 1 and len(connector.delivered) == 1
    status = await services.outbox.status()
    assert status.counts == {OUTBOX_SENT: 1, OUTBOX_SENDING: 1}
    assert status.left_sending == (claimed[0].id,)


async def test_the_bearer_token_is_sent_when_authentication_is_on(services, alex,
                                                                  aiohttp_server):
    fake = Connector(token="secret-token")
    server = await aiohttp_server(fake.app())
    await _reference(services, alex, str(server.make_url("/")))
    await _enqueue(services, alex, 1)

    async def token() -> str:
        return "secret-token"

    async with aiohttp.ClientSession() as http:
        report = await ProactiveSender(services.outbox, http, render, FAST, token).drain_once()
    assert report.sent == 1 and fake.bad_requests == []


async def test_remember_writes_only_what_is_new_or_changed(services, alex):
    reference = {"conversation": {"id": alex.conversation_id}}
    args = dict(tenant_id="t", scope="personal", service_url="https://a.invalid/")
    assert await services.references.remember(alex, reference=reference, **args) is True
    assert await services.references.remember(alex, reference=reference, **args) is False
    # Each turn answers another message: its id is no part of where Alex is reached.
    assert await services.references.remember(
        alex, reference={**reference, "activityId": "act-7"}, **args) is False
    # What the turn's first reads found stored is compared without a read of its own.
    stored = await services.references.stored(alex.conversation_id)
    assert await services.references.remember(
        alex, reference=reference, current=stored, **args) is False
    assert await services.references.remember(
        alex, reference=reference, **{**args, "service_url": "https://b.invalid/"}) is True


async def test_no_reference_for_days_expires_with_a_dutch_reason(services, alex):
    await _enqueue(services, alex, 1)
    assert await services.outbox.claim_due() == []  # nowhere to send it yet
    services.outbox.expire_after = timedelta(0)
    # This one, and the demo's summary for Alex, who has not spoken to the bot either.
    assert await services.outbox.expire_unreachable() == 2
    async with services.outbox.ctx.sessions() as session:
        message = (await session.execute(select(OutboxMessage).where(
            OutboxMessage.kind == "test"))).scalar_one()
    assert message.status == "failed" and "Geen Teams-gesprek" in message.last_error


async def test_two_senders_on_one_database_never_send_one_message_twice(
        services, alex, connector, db_url):
    await _reference(services, alex, connector.url)
    await _enqueue(services, alex, 30)
    engine = create_engine(db_url)
    try:
        other = Services.build(create_sessions(engine), clock=fixed_clock)
        settings = NotifySettings(batch=3, backoff_initial=0.01, max_attempts=10)
        async with aiohttp.ClientSession() as http:
            first = ProactiveSender(services.outbox, http, render, settings)
            second = ProactiveSender(other.outbox, http, render, settings)
            await asyncio.gather(_drain_until_done(first), _drain_until_done(second))
    finally:
        await engine.dispose()
    texts = [text for _, text in connector.delivered]
    assert len(texts) == len(set(texts)) == 30


async def test_a_real_turn_stores_the_reference_once(bot_client, connector):
    chat = Chat(bot_client)
    await chat.say("help")  # expectReplies: nobody to reach later, nothing stored
    services = bot_client.server.app[RUNTIME].services
    async with services.outbox.ctx.sessions() as session:
        assert not (await session.execute(select(ConversationRef))).all()

    async def say_through_the_connector(text: str) -> None:
        activity = chat._activity("message", text=text, serviceUrl=connector.url)
        activity.pop("deliveryMode")
        response = await bot_client.post("/api/messages", json=activity)
        assert response.status in (200, 201), await response.text()

    await say_through_the_connector("help")
    assert connector.replies == [chat.conversation_id]
    async with services.outbox.ctx.sessions() as session:
        ref = (await session.execute(select(ConversationRef).where(
            ConversationRef.conversation_id == chat.conversation_id))).scalar_one()
    assert ref.scope == "personal" and ref.person_id is not None
    assert ref.service_url == connector.url
    first = ref.updated_at
    await say_through_the_connector("help")
    async with services.outbox.ctx.sessions() as session:
        again = (await session.execute(select(ConversationRef).where(
            ConversationRef.conversation_id == chat.conversation_id))).scalar_one()
    assert again.updated_at == first and again.id == ref.id


async def _alex_waiting(engine, connector, count: int) -> Services:
    """The demo's services on `engine`, with `count` messages for Alex, reachable at the
    connector."""
    services = Services.build(create_sessions(engine), clock=fixed_clock)
    alex = await services.school.resolve_actor(
        Identity(aad_object_id=ALEX_AAD, tenant_id=PLAYGROUND_TENANT), "conv-cli")
    await _reference(services, alex, connector.url)
    await _enqueue(services, alex, count)
    return services


async def test_notify_once_drains_and_prints_the_table(migrated_demo_db, connector, capsys):
    engine = create_engine(migrated_demo_db)
    try:
        services = await _alex_waiting(engine, connector, 2)
        await services.outbox.claim_due(1)  # one left 'sending' by an earlier crash
    finally:
        await engine.dispose()
    assert await notify_once(make_settings(migrated_demo_db), render) == 0
    out = capsys.readouterr().out
    assert "verstuurd" in out and "blijven hangen in 'sending'       1" in out
    assert len(connector.delivered) == 1


async def test_the_background_sender_wakes_on_the_event_and_stops_cleanly(
        services, alex, connector, aiohttp_client):
    await _reference(services, alex, connector.url)
    app = web.Application()
    app.cleanup_ctx.append(sender_context(
        Settings(), lambda a: services.outbox, render, NotifySettings(interval=3600)))
    client = await aiohttp_client(app)
    await asyncio.sleep(0.1)  # the first round found nothing
    await _enqueue(services, alex, 1)
    client.server.app[NOTIFY_WAKE].set()
    for _ in range(50):
        if connector.delivered:
            break
        await asyncio.sleep(0.05)
    assert len(connector.delivered) == 1
    await client.close()


async def test_two_senders_on_postgresql_never_send_one_message_twice(pg_url, connector):
    engines = [create_engine(pg_url), create_engine(pg_url)]
    try:
        await create_schema(engines[0])
        both = [Services.build(create_sessions(engine)) for engine in engines]
        async with both[0].outbox.ctx.sessions.begin() as session:
            person = Person(basispoort_key="p1", first_name="Alex", last_name="Wilber")
            session.add(person)
            await session.flush()
            actor = Actor(person_id=person.id, name="Alex", conversation_id="conv-pg")
        await _reference(both[0], actor, connector.url)
        await _enqueue(both[0], actor, 30)
        settings = NotifySettings(batch=3, backoff_initial=0.01, max_attempts=10)
        async with aiohttp.ClientSession() as http:
            await asyncio.gather(*(_drain_until_done(
                ProactiveSender(s.outbox, http, render, settings)) for s in both))
    finally:
        for engine in engines:
            await engine.dispose()
    texts = [text for _, text in connector.delivered]
    assert len(texts) == len(set(texts)) == 30


def earliest_sends(limits, margin, sends: int) -> list[float]:
    """Each send at the earliest moment the windows allow (simulated time)."""
    now = [0.0]
    windows = SlidingWindows(limits, clock=lambda: now[0], margin=margin)
    times = []
    for _ in range(sends):
        now[0] = windows.next_allowed(now[0])
        windows.start().finish()  # an answer in no time: only the windows count
        times.append(now[0])
    return times


@pytest.mark.parametrize("limits,teams,sends", [
    (CONVERSATION_LIMITS, TEAMS_PER_CONVERSATION, 200),
    (TENANT_LIMITS, TEAMS_PER_TENANT, 500),
])
def test_the_windows_are_never_exceeded_and_keep_90_percent_of_the_rate(limits, teams, sends):
    ours = earliest_sends(limits, WINDOW_MARGIN, sends)
    best = earliest_sends(limits, (1.0, 0.0), sends)  # what Teams permits at most
    for count, period in teams:
        assert all(ours[i + count] - ours[i] >= period for i in range(len(ours) - count))
    assert ours[-1] <= best[-1] / 0.9
    assert teams == limits


async def test_a_burst_in_one_conversation_gets_no_429_and_arrives_once(services, alex,
                                                                          connector):
    await _reference(services, alex, connector.url)
    await _enqueue(services, alex, 12)
    async with aiohttp.ClientSession() as http:
        sender = ProactiveSender(services.outbox, http, render, FAST)
        report = await sender.drain_once()
    assert report.sent == 12 and report.retried == 0
    assert connector.throttled == 0
    assert sorted(text for _, text in connector.delivered) == sorted(
        f"test {n} None" for n in range(12))


async def _people(services: Services, count: int, url: str) -> list[Actor]:
    """`count` people, each with a live personal conversation at `url`."""
    async with services.outbox.ctx.sessions.begin() as session:
        people = [Person(basispoort_key=f"fan-{i}", first_name="P", last_name=str(i))
                  for i in range(count)]
        session.add_all(people)
        await session.flush()
        actors = [Actor(person_id=p.id, name="", conversation_id=f"conv-fan-{p.id}")
                  for p in people]
    for actor in actors:
        await services.references.remember(
            actor, tenant_id="tenant-1", scope="personal", service_url=url,
            reference={"conversation": {"id": actor.conversation_id}})
    return actors


async def test_a_claim_takes_the_recipients_with_fewest_on_their_way_first(services, alex):
    async with services.outbox.ctx.sessions.begin() as session:
        await session.execute(delete(OutboxMessage))
    first, second, third = await _people(services, 3, "https://smba.example.invalid/")
    await _enqueue(services, first, 10)  # enqueued first: the oldest messages are all hers
    await _enqueue(services, second, 3)
    await _enqueue(services, third, 3)
    claimed = await services.outbox.claim_due(4)
    # Each recipient's first before anyone's second; then the oldest.
    assert [m.conversation_id for m in claimed] == [
        first.conversation_id, second.conversation_id, third.conversation_id,
        first.conversation_id]
    # Two of the first's are on their way and one of each other's: the others catch up
    # before the first has a third on its way; then the oldest again.
    claimed = await services.outbox.claim_due(3)
    assert [m.conversation_id for m in claimed] == [
        second.conversation_id, third.conversation_id, first.conversation_id]
    assert [m.payload["n"] for m in claimed] == [1, 1, 2]  # in order within a conversation


async def test_a_fan_out_sends_every_conversation_once_in_order_and_records_all(
        services, alex, connector):
    async with services.outbox.ctx.sessions.begin() as session:
        await session.execute(delete(OutboxMessage))
    actors = await _people(services, 12, connector.url)
    for actor in actors:
        await _enqueue(services, actor, 3)
    async with aiohttp.ClientSession() as http:
        report = await ProactiveSender(services.outbox, http, render,
                                       NotifySettings(batch=10)).drain_once()
    assert report.sent == 36 and connector.throttled == 0
    for actor in actors:
        texts = [text for cid, text in connector.delivered if cid == actor.conversation_id]
        assert texts == [f"test {n} None" for n in range(3)]  # in order, each once
    assert (await _statuses(services)) == Counter({OUTBOX_SENT: 36})


async def test_the_fair_lock_goes_to_the_lowest_priority_and_passes_over_the_cancelled():
    lock = FairLock()
    order: list[str] = []

    async def take(name: str, priority: int) -> None:
        async with lock.turn(priority):
            order.append(name)
            await asyncio.sleep(0)

    await lock.acquire(0)  # held: everyone below waits
    tasks = {name: asyncio.create_task(take(name, priority))
             for name, priority in (("a", 5), ("b", 1), ("c", 5), ("d", 3), ("gone", 0))}
    await asyncio.sleep(0)
    tasks["gone"].cancel()
    await asyncio.sleep(0)
    lock.release()
    await asyncio.gather(*tasks.values(), return_exceptions=True)
    assert order == ["b", "d", "a", "c"]  # lowest first, equals in the order they asked
    assert not lock.locked()


async def test_the_fair_lock_handed_to_a_cancelled_waiter_goes_on_to_the_next():
    lock = FairLock()
    await lock.acquire(0)
    first = asyncio.create_task(lock.acquire(1))
    second = asyncio.create_task(lock.acquire(2))
    await asyncio.sleep(0)
    lock.release()  # handed to `first`, which is cancelled before it runs
    first.cancel()
    await asyncio.gather(first, return_exceptions=True)
    await asyncio.wait_for(second, 1)  # it passed the lock on
    assert lock.locked()
    lock.release()
    assert not lock.locked()


async def test_the_busiest_conversation_waits_for_its_tenant_behind_the_others(services):
    sender = ProactiveSender(services.outbox, None, render)  # no HTTP: only the pacing
    sender._tenants["t"] = SlidingWindows(((1, 0.05),), margin=(1.0, 0.0))
    for cid in ("busy", "quiet"):
        sender._conversations[cid] = SlidingWindows(((100, 1.0),), margin=(1.0, 0.0))

    def message(cid: str) -> OutgoingDTO:
        return OutgoingDTO(id=0, kind="k", payload={}, language=None, conversation_id=cid,
                           service_url="https://x.invalid/", tenant_id="t", reference={},
                           attempts=1)

    for _ in range(3):  # "busy" has sent three times this hour
        (await sender._paced(message("busy")))()
    # "busy" asks first and holds the tenant's turn while its window is full; "quiet" asks
    # after it, and goes first when the window opens.
    waiting = [asyncio.create_task(sender._paced(message(cid))) for cid in ("busy", "quiet")]
    done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
    assert waiting[1] in done and waiting[0] not in done
    for task in done:
        task.result()()
    (await asyncio.wait_for(waiting[0], 5))()


async def test_on_postgresql_one_sender_drains_at_a_time_within_the_tenants_rate(
        pg_url, connector):
    engines = [create_engine(pg_url), create_engine(pg_url)]
    try:
        await create_schema(engines[0])
        both = [Services.build(create_sessions(engine)) for engine in engines]
        actors = await _people(both[0], 6, connector.url)
        for actor in actors:
            await _enqueue(both[0], actor, 10)
        async with both[0].outbox.sending_turn() as mine:
            assert mine
            async with both[1].outbox.sending_turn() as theirs:
                assert not theirs
            async with aiohttp.ClientSession() as http:
                report = await ProactiveSender(both[1].outbox, http, render,
                                               FAST).drain_once()
            assert report == DrainReport(elsewhere=True) and connector.delivered == []
        # Two processes' senders at once: one sends all 60, within the tenant's 50 a second
        # (each paces only its own sends: both sending would have gone over it).
        async with aiohttp.ClientSession() as http:
            reports = await asyncio.gather(*(ProactiveSender(
                s.outbox, http, render, NotifySettings(max_attempts=1)).drain_once()
                for s in both))
    finally:
        for engine in engines:
            await engine.dispose()
    assert sorted(r.sent for r in reports) == [0, 60]
    assert connector.throttled == 0
    assert len(set(connector.delivered)) == len(connector.delivered) == 60


async def test_notify_says_so_when_serve_is_already_sending(migrated_demo_db, connector,
                                                             capsys):
    if not migrated_demo_db.startswith("postgresql"):
        pytest.skip("one sender at a time is a PostgreSQL lock: SQLite runs one process")
    engine = create_engine(migrated_demo_db)
    try:
        services = await _alex_waiting(engine, connector, 2)
        async with services.outbox.sending_turn() as mine:  # as `serve` while it drains
            assert mine
            assert await notify_once(make_settings(migrated_demo_db), render) == 0
    finally:
        await engine.dispose()
    out = capsys.readouterr().out
    assert "Een ander proces (beheerbot serve) verstuurt de meldingen al" in out
    assert re.search(r"nog te versturen +2\n", out) and connector.delivered == []
