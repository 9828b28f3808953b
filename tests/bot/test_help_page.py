"""The help page is a setting (HELP_PAGE_URL) that reaches the 'Hulp' card through the real app."""

from __future__ import annotations

import pytest

from bot.app import create_app
from bot.config import ConfigError, Settings
from cards.common import HELP_PAGE
from tests.cardcheck import card_actions
from tests.conftest import Chat, fixed_clock, make_settings, open_school


def test_the_help_page_is_configurable_and_must_be_https():
    assert Settings.from_env({}).help_page == HELP_PAGE
    page = "https://help.example.nl/basisonderwijs"
    assert Settings.from_env({"HELP_PAGE_URL": page}).help_page == page
    for bad in ("http://help.example.nl", "javascript:alert(1)", "https://a b"):
        with pytest.raises(ConfigError, match="HELP_PAGE_URL"):
            Settings.from_env({"HELP_PAGE_URL": bad})


def _urls(chat: Chat) -> list[str]:
    return [a["url"] for card in chat.cards for a in card_actions(card)
            if a.get("type") == "Action.OpenUrl"]


async def test_hulp_opens_the_configured_page_and_the_helpdesk_is_tappable(aiohttp_client,
                                                                           migrated_demo_db):
    page = "https://help.example.nl/basisonderwijs"
    client = await aiohttp_client(create_app(make_settings(migrated_demo_db, help_page=page),
                                             clock=fixed_clock))
    chat = Chat(client)
    await open_school(chat)
    await chat.click("Hulp")
    assert page in _urls(chat)
    assert {"tel:+31736288722", "mailto:helpdesk.bao@malmberg.nl"} <= set(_urls(chat))
    await chat.say("help")
    assert page in _urls(chat)

