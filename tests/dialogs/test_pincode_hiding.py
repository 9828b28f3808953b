"""Codes never stay in the chat: through the real app and a local Bot Connector, the card that
shows them is updated to its hidden version when the coördinator moves on, and the sweep of
`serve` hides what is left after a few minutes (with an injected clock, across a restart)."""

from __future__ import annotations

import json
from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import select

from bot.hide_codes import CodeHider
from services.models import ShownCodes
from services.pincodes.shown import VISIBLE_FOR, ShownCodesStore
from services.shared.context import ServiceContext
from tests.conftest import fixed_clock
from tests.connector_support import ConnectorChat
from tests.pincode_support import stored_codes

REGENBOOG = 1


async def _shown(db) -> list[ShownCodes]:
    async with db() as session:
        return list((await session.scalars(select(ShownCodes))).all())


async def _show_group_4(chat: ConnectorChat, db) -> tuple[str, set[str]]:
    """Open Groep 4 and press 'Toon pincodes': (the card's message id, the codes shown)."""
    await chat.join()
    await chat.choose_school("OBS De Regenboog (12AB 00)")
    await chat.click("Pincodes")
    await chat.click("Groep 4")
    group_message = chat.message_id
    shown = await chat.execute("Toon pincodes")
    codes = {code for _, code in (await stored_codes(db, "Groep 4", REGENBOOG)).values()}
    assert any(code in json.dumps(shown) for code in codes)
    (row,) = await _shown(db)
    assert row.activity_id == group_message
    assert not any(code in row.hidden_card for code in codes)
    return group_message, codes


@pytest.mark.parametrize("button", ["Print pincodes", "Andere groep", "Menu", "Inlogmethode"])
async def test_moving_on_updates_the_shown_card_to_hidden(cchat, connector, db, button):
    message, codes = await _show_group_4(cchat, db)
    assert connector.updated == []
    await cchat.click(button)
    ((updated_id, update),) = connector.updated
    assert updated_id == message
    hidden = update["attachments"][0]["content"]
    text = json.dumps(hidden, ensure_ascii=False)
    assert not any(code in text for code in codes)
    assert "Toon pincodes" in text and "zichtbaar" not in text
    assert await _shown(db) == []
    if button == "Print pincodes":  # the link card does not claim codes are on screen
        assert "zichtbaar" not in json.dumps(cchat.card, ensure_ascii=False)


async def test_typed_words_also_hide_the_codes(cchat, connector, db):
    message, _ = await _show_group_4(cchat, db)
    cchat.message_id = None
    await cchat.say("help")
    assert [m for m, _ in connector.updated] == [message]
    assert await _shown(db) == []


async def test_the_cards_own_buttons_do_not_hide_it_behind_the_users_back(cchat, connector,
                                                                            db):
    message, _ = await _show_group_4(cchat, db)
    await cchat.execute("Verberg")  # its own hide: the invoke answer replaces it
    assert connector.updated == [] and await _shown(db) == []
    await cchat.execute("Toon pincodes")
    assert len(await _shown(db)) == 1
    await cchat.click("Verberg")  # the Submit fallback updates the same message
    assert [m for m, _ in connector.updated] == [message]
    assert await _shown(db) == []
    await cchat.click("Toon pincodes")
    assert [m for m, _ in connector.updated] == [message, message]
    assert "Verberg" in [a["title"] for a in cchat.actions()]
    (row,) = await _shown(db)  # shown again, by the fallback's update of the same message
    assert row.activity_id == message


async def test_a_refused_update_is_left_to_the_sweep(cchat, connector, db):
    await _show_group_4(cchat, db)
    connector.refuse_updates = True
    await cchat.click("Menu")
    assert connector.updated == [] and len(await _shown(db)) == 1


async def test_a_new_code_shown_once_is_hidden_when_moving_on(cchat, connector, db):
    await cchat.join()
    await cchat.choose_school("OBS De Regenboog (12AB 00)")
    await cchat.click("Pincodes")
    await cchat.click("Groep 4")
    change = next(a for a in cchat.actions() if a["title"].startswith("Wijzig "))
    await cchat.click(change["title"])
    await cchat.click("Bedenk er een voor mij")
    result_message = cchat.message_id
    assert "Pincode gewijzigd" in cchat.texts()
    (row,) = await _shown(db)
    assert row.activity_id == result_message
    await cchat.click("Terug naar de groep")
    ((updated_id, update),) = connector.updated
    assert updated_id == result_message
    assert "is gewijzigd" in json.dumps(update["attachments"][0]["content"], ensure_ascii=False)


async def test_the_sweep_hides_after_the_timeout_also_after_a_restart(cchat, connector, db,
                                                                       migrated_demo_db):
    message, codes = await _show_group_4(cchat, db)
    now = fixed_clock()
    # A fresh store on the same database file, as after a restart of `serve`.
    store = ShownCodesStore(ServiceContext(db, clock=lambda: now))
    async with aiohttp.ClientSession() as http:
        hider = CodeHider(store, http)
        now = fixed_clock() + VISIBLE_FOR - timedelta(seconds=1)
        assert await hider.hide_due_once() == 0
        assert connector.updated == []
        now = fixed_clock() + VISIBLE_FOR
        assert await hider.hide_due_once() == 1
    ((updated_id, update),) = connector.updated
    assert updated_id == message
    assert not any(code in json.dumps(update) for code in codes)
    assert await _shown(db) == []


async def test_the_sweep_retries_a_failed_hide_and_then_gives_up(cchat, connector, db):
    await _show_group_4(cchat, db)
    connector.refuse_updates = True
    now = fixed_clock() + VISIBLE_FOR
    store = ShownCodesStore(ServiceContext(db, clock=lambda: now))
    async with aiohttp.ClientSession() as http:
        hider = CodeHider(store, http)
        assert await hider.hide_due_once() == 0
        assert await hider.hide_due_once() == 0  # not due again until the retry time
        (row,) = await _shown(db)
        assert row.attempts == 1
        connector.refuse_updates = False
        now += timedelta(minutes=1)
        assert await hider.hide_due_once() == 1
    assert await _shown(db) == []
