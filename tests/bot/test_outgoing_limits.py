"""What the bot reads and sends is bounded: a typed message over the limit is not matched at all,
and no card over the size limit ever leaves the bot (replies, invoke answers, notifications)."""

from __future__ import annotations

import datetime
import logging

import aiohttp
import pytest
from botbuilder.core import InvokeResponse
from botbuilder.schema import Activity, ActivityTypes, AdaptiveCardInvokeResponse

from bot import outgoing
from bot.sender import ProactiveSender
from cards import common
from cards.elements import card, text
from cards.i18n import Texts
from services import intents
from tests.conftest import Chat
from tests.notify import test_sender as sender_support
from tests.notify.test_sender import FAST, Connector, _enqueue, _reference


def _huge_card(size: int) -> dict:
    """A card of pupils' lines just under `size` bytes."""
    lines = [text("Leerling 00000 " + "x" * 80)]
    while outgoing.card_bytes(card(lines)) < size - 200:
        lines.append(text(f"Leerling {len(lines):05d} " + "x" * 80))
    return card(lines)


async def _regenboog(chat: Chat) -> None:
    await chat.join()
    await chat.choose_school("OBS De Regenboog (12AB 00)")


async def test_a_message_over_the_limit_is_answered_politely_and_not_matched(chat: Chat):
    await _regenboog(chat)
    said = "pincodes 4a " + "a" * (intents.MAX_TYPED + 10)
    await chat.say(said)
    texts = chat.texts()
    assert "Dat bericht is te lang" in texts and f"{len(said)} tekens" in texts
    assert "pincodes 4a" not in texts and "Groep 4" not in texts  # neither matched nor echoed
    assert chat.button("Menu")
    await chat.say("pincodes groep 4" + " " * (intents.MAX_TYPED - 16))  # at the limit: read
    assert "te lang" not in chat.texts() and "Groep 4" in chat.texts()


async def test_the_too_long_answer_speaks_english_for_english_users(chat: Chat):
    await _regenboog(chat)
    await chat.click("Taal / Language")
    await chat.click("English")
    await chat.say("z" * 5000)
    assert "That message is too long" in chat.texts() and "5000 characters" in chat.texts()


async def test_a_reply_over_the_size_limit_is_never_sent(chat: Chat, monkeypatch, caplog):
    huge = _huge_card(outgoing.MAX_CARD_BYTES + 2500)
    assert outgoing.card_bytes(huge) > outgoing.MAX_CARD_BYTES
    monkeypatch.setattr(common, "help_card", lambda t, school_id=None, **_: huge)
    await _regenboog(chat)
    with caplog.at_level(logging.ERROR, logger="bot.outgoing"):
        await chat.say("help")
    assert len(chat.cards) == 1
    assert "Dit past niet in één bericht" in chat.texts()
    assert "Leerling 00001" not in chat.texts()
    assert outgoing.card_bytes(chat.card) < 4000
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "niet verstuurd" in logged and "Leerling" not in logged


async def test_a_reply_just_under_the_limit_goes_out_unchanged(chat: Chat, monkeypatch):
    fits = _huge_card(outgoing.MAX_CARD_BYTES)
    assert outgoing.card_bytes(fits) <= outgoing.MAX_CARD_BYTES
    monkeypatch.setattr(common, "help_card", lambda t, school_id=None, **_: fits)
    await _regenboog(chat)
    await chat.say("help")
    assert chat.card == fits


async def test_an_invoke_answer_over_the_limit_is_replaced():
    huge = _huge_card(outgoing.MAX_CARD_BYTES * 2)
    response = Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(
        status=200, body=AdaptiveCardInvokeResponse(status_code=200, type=outgoing.CARD_TYPE,
                                                    value=huge)))
    outgoing._guard(response, Texts("en"), "conv")
    assert "does not fit in one message" in str(response.value.body.value)


async def test_a_notification_over_the_limit_goes_out_as_the_apology(services, alex,
                                                                      aiohttp_server):
    """Through the real sender to a local Bot Connector: the oversized card is never posted."""
    connector = Connector()
    connector.url = str((await aiohttp_server(connector.app())).make_url("/"))
    huge = _huge_card(outgoing.MAX_CARD_BYTES * 2)
    await _reference(services, alex, connector.url)
    await _enqueue(services, alex, 2)

    def render(kind: str, payload: dict, language: str | None) -> dict:
        return huge if payload["n"] == 0 else sender_support.render(kind, payload, language)

    async with aiohttp.ClientSession() as http:
        report = await ProactiveSender(services.outbox, http, render, FAST).drain_once()
    assert report.sent == 2 and connector.bad_requests == []
    assert sorted(text for _, text in connector.delivered) == [
        "Dit past niet in één bericht", "test 1 None"]


def test_a_notification_over_the_limit_becomes_the_apology():
    huge = _huge_card(outgoing.MAX_CARD_BYTES * 2)
    assert outgoing.checked_card(huge, Texts(), "melding 1") == outgoing.too_big_card(Texts())
    small = _huge_card(2000)
    assert outgoing.checked_card(small, Texts(), "melding 1") is small


@pytest.mark.parametrize("card", [
    {},
    {"body": [{"type": "TextBlock", "text": "Zoë en Daniël, ,: ,: \u2028 \x01"}] * 40},
    {"a": [[], {}, [{}], 1, 2.5, True, None, "x"]},
    {1: "a key that is no string"},
    {"when": datetime.date(2026, 12, 4)},
])
def test_the_quick_measure_is_never_below_the_exact_one(card):
    assert outgoing.card_bytes_bound(card) >= outgoing.card_bytes(card)
