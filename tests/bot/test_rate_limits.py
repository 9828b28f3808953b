"""Per-user message limits and per-client download limits: over the limit a polite Dutch
answer, nothing read or changed, and other users are served as usual."""

from __future__ import annotations

from bot.app import create_app
from bot.limits import MovingWindow
from tests.conftest import Chat, fixed_clock, make_settings
from tests.pincode_support import PincodeChat


async def test_a_user_over_the_message_limit_is_asked_to_wait(aiohttp_client, migrated_demo_db):
    settings = make_settings(migrated_demo_db, message_rate="3/minute")
    client = await aiohttp_client(create_app(settings, clock=fixed_clock))
    chat = Chat(client)
    for _ in range(3):
        await chat.say("help")
        assert "Hulp" in chat.texts()
    await chat.say("help")
    assert "Je stuurt veel berichten kort na elkaar" in chat.texts()
    assert "Hulp" not in chat.texts()
    status, body = await PincodeChat(client, conversation_id=chat.conversation_id).invoke(
        {"verb": "pincodes.show", "data": {}})
    assert status == 200 and "veel berichten" in str(body)
    other = Chat(client, user_id="someone-else")
    await other.say("help")
    assert "Hulp" in other.texts()


async def test_a_client_over_the_download_limit_gets_429(aiohttp_client, migrated_demo_db):
    settings = make_settings(migrated_demo_db, download_rate="5/minute")
    client = await aiohttp_client(create_app(settings, clock=fixed_clock))
    statuses = [(await client.get(f"/downloads/pincodes/forged{n}")).status for n in range(8)]
    assert statuses == [403] * 5 + [429] * 3
    response = await client.get("/downloads/pincodes/forged")
    assert "Te veel downloads" in await response.text()


def test_a_bad_rate_stops_start_up():
    import pytest

    from bot.config import ConfigError, Settings

    with pytest.raises(ConfigError, match="RATE_MESSAGES"):
        Settings.from_env({"RATE_MESSAGES": "lots"})
    assert Settings.from_env({"RATE_DOWNLOADS": "5/minute"}).download_rate == "5/minute"


def test_the_moving_window_is_exact_and_forgets_quiet_keys():
    now = [1000.0]
    limiter = MovingWindow(3, 60.0, clock=lambda: now[0])
    assert [limiter.hit("t", "u") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit("t", "other")  # another user has a window of their own
    now[0] += 59.9
    assert not limiter.hit("t", "u")  # a refused hit is not counted, the window still full
    now[0] += 0.1
    assert [limiter.hit("t", "u") for _ in range(4)] == [True, True, True, False]
    now[0] += 3600
    for n in range(5000):  # enough hits of new keys to sweep the quiet ones away
        limiter.hit("t", f"burst-{n}")
    assert ("t", "other") not in limiter._hits
