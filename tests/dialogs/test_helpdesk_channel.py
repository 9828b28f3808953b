"""The whole helpdesk loop through the real app: a coördinator's ticket, the helpdesk channel
registered by an agent, 'Uitvoeren' and 'Afwijzen' on the channel card, the seat moved once,
and everyone else refused."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.app import create_app
from cards.i18n import Texts
from cards.notifications import outbox_card
from services.models import ConversationRef, HelpdeskTicket, OutboxMessage
from tests.conftest import fixed_clock, make_settings, open_school
from tests.licence_tasks_support import licence_id, seats
from tests.pincode_support import PincodeChat

AGENT = "bbbbbbbb-0000-0000-0000-000000000002"


class ChannelChat(PincodeChat):
    """The helpdesk team's channel: messages mention the bot, buttons are Action.Execute."""

    def _activity(self, kind: str, **fields) -> dict:
        activity = super()._activity(kind, **fields)
        activity["conversation"] = {"id": "19:helpdesk@thread.tacv2;messageid=1700000000000",
                                    "conversationType": "channel", "tenantId": self.tenant}
        return activity

    async def mention(self, text: str) -> list[dict]:
        return await self.say(f"<at>beheerbot</at> {text}")


@pytest.fixture
async def client(aiohttp_client, migrated_demo_db):
    settings = make_settings(migrated_demo_db, helpdesk_agents=(AGENT,))
    return await aiohttp_client(create_app(settings, clock=fixed_clock))


async def _open_ticket(client) -> int:
    chat = PincodeChat(client)
    await open_school(chat)
    await chat.click("Kindlicenties")
    await chat.click("Open Bingel groep 3 t/m 8")
    await chat.click("Verkeerd kind gekoppeld?")
    wrong = next(iter(chat.choices("wrong_child").values()))
    groups = chat.choices("intended_group")
    await chat.click("Verder", wrong_child=wrong, reason="Verwisseld",
                     intended_group=groups["Groep 8"])
    intended = next(iter(chat.choices("intended_child").values()))
    await chat.click("Verder", intended_child=intended)
    await chat.click("Melding versturen")
    assert "Melding HD-000001 is gemaakt" in chat.texts()
    return int(wrong), int(intended)


async def _channel_card(db) -> dict:
    async with db() as session:
        (row,) = (await session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "helpdesk_ticket"))).all()
    return outbox_card(Texts("nl"), row.kind, json.loads(row.payload))


async def test_an_agent_registers_the_channel_and_others_cannot(client, db):
    stranger = ChannelChat(client, user_id="u-9", name="Mallory", aad="cccccccc-0000")
    await stranger.mention("helpdesk")
    assert "Alleen medewerkers van de Malmberg-helpdesk" in stranger.texts()
    agent = ChannelChat(client, user_id="u-1", name="Henk Helpdesk", aad=AGENT)
    await agent.mention("hallo")
    assert "Noem mij hier met 'helpdesk'" in agent.texts()
    await agent.mention("helpdesk")
    assert "Dit kanaal krijgt voortaan de meldingen" in agent.texts()
    async with db() as session:
        (ref,) = (await session.scalars(select(ConversationRef).where(
            ConversationRef.scope == "helpdesk"))).all()
    assert ref.conversation_id == "19:helpdesk@thread.tacv2" and ref.person_id is None


async def test_execute_moves_the_seat_once_and_refuses_non_agents(client, db):
    wrong, intended = await _open_ticket(client)
    bingel = await licence_id(db, 1, "Bingel")
    before = await seats(db, bingel)
    card = await _channel_card(db)
    stranger = ChannelChat(client, user_id="u-9", name="Mallory", aad="cccccccc-0000")
    delivered = [{"attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                                   "content": card}]}]
    stranger.replies = delivered
    value = await stranger.execute("Uitvoeren")
    assert "Alleen medewerkers" in json.dumps(value)
    assert await seats(db, bingel) == before

    agent = ChannelChat(client, user_id="u-1", name="Henk Helpdesk", aad=AGENT)
    agent.replies = delivered
    value = await agent.execute("Uitvoeren")
    assert "Uitgevoerd door Henk Helpdesk" in json.dumps(value, ensure_ascii=False)
    total, taken, on = await seats(db, bingel)
    assert taken == before[1] and intended in on and wrong not in on
    agent.replies = delivered  # the old card, clicked again
    value = await agent.execute("Uitvoeren")
    assert "al afgehandeld" in json.dumps(value)
    assert await seats(db, bingel) == (total, taken, on)
    async with db() as session:
        outcome = (await session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "helpdesk_outcome"))).all()
    assert len(outcome) == 1


async def test_reject_needs_a_reason_and_tells_the_coordinator(client, db):
    await _open_ticket(client)
    bingel = await licence_id(db, 1, "Bingel")
    before = await seats(db, bingel)
    card = await _channel_card(db)
    agent = ChannelChat(client, user_id="u-1", name="Henk Helpdesk", aad=AGENT)
    agent.replies = [{"attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                                       "content": card}]}]
    value = await agent.execute("Afwijzen")
    assert "Schrijf kort waarom" in json.dumps(value, ensure_ascii=False)
    value = await agent.execute("Afwijzen", reason="Het kind staat er terecht op")
    assert "Afgewezen door Henk Helpdesk: Het kind staat er terecht op" in json.dumps(
        value, ensure_ascii=False)
    assert await seats(db, bingel) == before
    async with db() as session:
        ticket = (await session.scalars(select(HelpdeskTicket))).one()
    assert ticket.status == "rejected"
