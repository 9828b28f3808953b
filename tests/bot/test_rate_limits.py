"""Per-user message limits and per-client download limits: over the limit a polite Dutch
answer, nothing read or changed, and other users are served as usual."""

from __future__ import annotations

from bot.app import create_app
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
