"""The HTTP contract of /api/messages: expectReplies, 4xx for client mistakes, 401 with auth."""

from __future__ import annotations

import gc
import time

import pytest
from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from msrest.universal_http.requests import ClientRetryPolicy

from bot.app import create_app
from bot.config import Settings
from bot.perf import apply_msrest_fix, freeze_heap
from tests.conftest import Chat, fixed_clock, make_settings


async def test_healthz(bot_client):
    response = await bot_client.get("/healthz")
    assert response.status == 200
    assert (await response.json()) == {"status": "ok"}


async def test_expect_replies_answers_200_with_the_replies(chat: Chat):
    replies = await chat.say("help")
    assert replies and replies[0]["type"] == "message"
    assert "073 - 628 87 22" in chat.texts()


GARBAGE = [
    ("not json", "application/json", 400),
    ("[1, 2, 3]", "application/json", 400),
    ('"just a string"', "application/json", 400),
    ("{}", "application/json", 400),
    ('{"type": ""}', "application/json", 400),
    ('{"type": 42, "conversation": {"id": "c"}, "from": {"id": "u"}}', "application/json", 400),
    ('{"type": "message"}', "application/json", 400),
    ('{"type": "message", "conversation": {"id": "c"}}', "application/json", 400),
    ('{"type": "message", "conversation": "c", "from": {"id": "u"}}', "application/json", 400),
    ('{"type": "message", "conversation": {"id": "c"}, "from": {"id": "u"}}',
     "application/json", 400),  # no serviceUrl and no expectReplies: nowhere to answer
    ('{"type": "message", "text": 5, "deliveryMode": "expectReplies", '
     '"conversation": {"id": "c"}, "from": {"id": "u"}}', "application/json", 400),
    ('{"type": "message", "channelData": [], "deliveryMode": "expectReplies", '
     '"conversation": {"id": "c"}, "from": {"id": "u"}}', "application/json", 400),
    ('{"type": "message"}', "text/plain", 415),
    ("\xff\xfe garbage", "application/json", 400),
]


@pytest.mark.parametrize("body,content_type,status", GARBAGE)
async def test_malformed_requests_get_4xx_and_the_server_keeps_serving(
    bot_client, body, content_type, status
):
    response = await bot_client.post("/api/messages", data=body.encode("utf-8", "surrogateescape")
                                     if isinstance(body, str) else body,
                                     headers={"Content-Type": content_type})
    assert response.status == status
    chat = Chat(bot_client)
    await chat.say("help")
    assert "Hulp" in chat.texts()


async def test_other_methods_and_paths(bot_client):
    assert (await bot_client.get("/api/messages")).status == 405
    assert (await bot_client.get("/nope")).status == 404
    big = b'{"type": "message", "text": "' + b"x" * 300_000 + b'"}'
    response = await bot_client.post("/api/messages", data=big,
                                     headers={"Content-Type": "application/json"})
    assert response.status == 413


async def test_unknown_activity_types_are_accepted_quietly(chat: Chat):
    replies = await chat.post(chat._activity("typing"))
    assert replies == []


async def test_with_an_app_id_requests_without_a_valid_token_get_401(aiohttp_client,
                                                                     migrated_demo_db):
    settings = make_settings(migrated_demo_db, app_id="11111111-2222-3333-4444-555555555555",
                             app_password="not-a-real-secret")
    client = await aiohttp_client(create_app(settings, clock=fixed_clock))
    chat = Chat(client)
    activity = chat._activity("message", text="help")
    for header in (None, "Bearer", "Bearer garbage", "Bearer a.b.c", "Basic dXNlcjpwYXNz"):
        headers = {"Authorization": header} if header else {}
        response = await client.post("/api/messages", json=activity, headers=headers)
        assert response.status == 401, header
    assert (await client.get("/healthz")).status == 200


async def test_auth_off_is_logged_loudly(aiohttp_client, migrated_demo_db, caplog):
    await aiohttp_client(create_app(make_settings(migrated_demo_db), clock=fixed_clock))
    assert any("authenticatie staat UIT" in r.getMessage() and r.levelname == "WARNING"
               for r in caplog.records)


async def test_stock_cloud_adapter_fails_expect_replies(aiohttp_client):
    """Why BeheerAdapter.process exists: the SDK's own process() cannot answer expectReplies
    (it serializes an already-serialized dict). If this starts passing, the SDK is fixed."""
    from botbuilder.core import ActivityHandler

    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Settings().bot_auth()))

    class Echo(ActivityHandler):
        async def on_message_activity(self, turn_context):
            await turn_context.send_activity("echo")

    async def handler(request):
        return await adapter.process(request, Echo())

    app = web.Application()
    app.router.add_post("/api/messages", handler)
    client = await aiohttp_client(app)
    response = await client.post("/api/messages", json={
        "type": "message", "text": "hi", "deliveryMode": "expectReplies", "channelId": "test",
        "serviceUrl": "https://example.invalid/", "conversation": {"id": "c"},
        "from": {"id": "u"}, "recipient": {"id": "b"}})
    assert response.status == 500


def _construct(n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        ClientRetryPolicy()
    return time.perf_counter() - start


def test_msrest_retry_policy_construction_is_cheap_after_the_fix(monkeypatch):
    """CloudAdapter builds this policy twice per turn; the fix makes that ~10x cheaper."""
    monkeypatch.setattr(ClientRetryPolicy, "safe_codes",
                        [i for i in range(500) if i != 408] + [501, 505])
    before = min(_construct(100) for _ in range(3))
    apply_msrest_fix()
    assert isinstance(ClientRetryPolicy.safe_codes, frozenset)
    after = min(_construct(100) for _ in range(3))
    assert after * 4 < before, (before, after)
    assert ClientRetryPolicy().policy.status_forcelist == [
        i for i in range(999) if i == 408 or (i >= 500 and i not in (501, 505))]


async def test_app_start_applies_the_msrest_fix(bot_client):
    assert isinstance(ClientRetryPolicy.safe_codes, frozenset)


def test_serve_freezes_the_start_up_heap_after_everything_has_started(monkeypatch,
                                                                     migrated_demo_db):
    import bot.cli

    started: list[web.Application] = []
    monkeypatch.setattr(bot.cli.web, "run_app", lambda app, **_: started.append(app))
    bot.cli._run_server(make_settings(migrated_demo_db))
    assert started and started[0].on_startup[-1] is freeze_heap


async def test_freezing_the_heap_takes_the_start_up_objects_out_of_collections():
    gc.unfreeze()
    try:
        tracked = len(gc.get_objects())
        await freeze_heap()
        assert gc.get_freeze_count() > tracked // 2  # what was alive is frozen ...
        assert len(gc.get_objects()) < tracked // 2  # ... and no longer walked by a collection
    finally:
        gc.unfreeze()
