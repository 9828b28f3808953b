"""Hostile request bodies: every one a 4xx that changes nothing, and the server keeps serving;
with authentication on, a request without a token is refused before its body is read."""

from __future__ import annotations

import json

import pytest

from bot.app import create_app
from bot.inbound import service_url_allowed
from services.errors import InvalidInput
from services.shared.inputs import as_id
from tests.conftest import Chat, fixed_clock, make_settings

APP_ID = "11111111-2222-3333-4444-555555555555"


def _nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def _activity(chat: Chat, **fields) -> dict:
    return chat._activity("message", text="help", **fields)


async def _still_serving(client) -> None:
    chat = Chat(client)
    await chat.say("help")
    assert "Hulp" in chat.texts()


@pytest.mark.parametrize("levels", [40, 1_000, 100_000])
async def test_deep_nesting_is_a_400(bot_client, levels):
    chat = Chat(bot_client)
    body = json.dumps(_activity(chat, value={"x": "PLACEHOLDER"})).replace(
        '"PLACEHOLDER"', _nested(levels))
    response = await bot_client.post("/api/messages", data=body,
                                     headers={"Content-Type": "application/json"})
    assert response.status == 400
    await _still_serving(bot_client)


async def test_without_a_token_the_body_is_never_parsed(aiohttp_client, migrated_demo_db):
    settings = make_settings(migrated_demo_db, app_id=APP_ID, app_password="not-a-real-secret",
                             allowed_tenants=("t",))
    client = await aiohttp_client(create_app(settings, clock=fixed_clock))
    for body in (_nested(1_000), "not json at all", '{"type": 5}'):
        response = await client.post("/api/messages", data=body,
                                     headers={"Content-Type": "application/json"})
        assert response.status == 401, body


@pytest.mark.parametrize("where", ["conversation", "from", "channelId", "text", "key"])
async def test_a_lone_surrogate_is_a_400_and_changes_no_state(bot_client, where):
    chat = Chat(bot_client)
    activity = _activity(chat)
    if where in ("conversation", "from"):
        activity[where] = {**activity[where], "id": "x\ud800y"}
    elif where == "key":
        activity["value"] = {"k\udfff": 1}
    else:
        activity[where] = "\ud83d"
    body = json.dumps(activity)  # ensure_ascii keeps the surrogate as \\ud800
    response = await bot_client.post("/api/messages", data=body,
                                     headers={"Content-Type": "application/json"})
    assert response.status == 400
    await _still_serving(bot_client)


async def test_replies_go_only_to_this_machine_without_authentication(bot_client):
    chat = Chat(bot_client)
    for url in ("https://attacker.example/", "http://169.254.169.254/", "file:///etc/passwd",
                "http://127.0.0.1:bad/"):
        activity = _activity(chat, serviceUrl=url)
        activity.pop("deliveryMode")
        response = await bot_client.post("/api/messages", json=activity)
        assert response.status == 400, url
    await _still_serving(bot_client)


def test_service_url_allow_lists():
    assert service_url_allowed("http://localhost:56150/", False)
    assert service_url_allowed("http://127.0.0.1:3978/", False)
    assert not service_url_allowed("https://smba.trafficmanager.net/emea/", False)
    assert service_url_allowed("https://smba.trafficmanager.net/emea/", True)
    assert not service_url_allowed("http://smba.trafficmanager.net/emea/", True)
    assert not service_url_allowed("https://smba.trafficmanager.net.evil.nl/", True)
    assert not service_url_allowed("http://localhost:3978/", True)


@pytest.mark.parametrize("value", ["²", "①", "１２", "٣", "1²", " 7 ", "7"])
def test_only_ascii_digits_are_ids(value):
    if value.strip() == "7":
        assert as_id(value) == 7
        return
    with pytest.raises(InvalidInput):
        as_id(value)


async def test_a_unicode_digit_in_a_card_changes_nothing_and_keeps_the_flow(bot_client):
    chat = Chat(bot_client)
    await chat.join()
    await chat.submit({"action": "school.set", "school_id": "²"})
    assert "ging iets mis" not in chat.texts()
    await _still_serving(bot_client)


def test_the_database_and_its_wal_files_are_private(tmp_path):
    import asyncio
    import stat

    from sqlalchemy import text

    from services.db import create_engine

    path = tmp_path / "private.db"

    async def touch():
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        async with engine.begin() as connection:
            await connection.execute(text("create table t (x int)"))
            await connection.execute(text("insert into t values (1)"))
            files = [p for p in tmp_path.iterdir() if p.name.startswith("private.db")]
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files}
        await engine.dispose()
        return modes

    modes = asyncio.run(touch())
    assert {"private.db", "private.db-wal", "private.db-shm"} <= set(modes)
    assert set(modes.values()) == {0o600}, modes


def test_links_need_https_with_authentication():
    from bot.config import ConfigError, Settings

    env = {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "x", "ALLOWED_TENANTS": "t"}
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        Settings.from_env({**env, "PUBLIC_URL": "http://bot.example.nl"})
    assert Settings.from_env({**env, "PUBLIC_URL": "https://bot.example.nl/"}
                             ).base_url == "https://bot.example.nl"


async def test_forged_download_links_write_no_audit_rows(bot_client, db):
    from sqlalchemy import func, select

    from services.models import AuditEvent

    async with db() as session:
        before = await session.scalar(select(func.count(AuditEvent.id)))
    for n in range(15):
        response = await bot_client.get(f"/downloads/pincodes/forged{n}.sig")
        assert response.status == 403
    async with db() as session:
        assert await session.scalar(select(func.count(AuditEvent.id))) == before
