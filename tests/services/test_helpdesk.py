"""Helpdesk tickets against a SQLite file: opened by a coördinator, resolved once by an agent."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import func, select

from services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.helpdesk import HelpdeskService
from services.models import AuditEvent, ChildAssignment, HelpdeskTicket, Licence, OutboxMessage
from services.shared.context import ServiceContext
from tests.conftest import fixed_clock
from tests.licence_tasks_support import kompas, licence_id, pupils_of, regenboog

AGENT = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
def helpdesk(sessions) -> HelpdeskService:
    return HelpdeskService(ServiceContext(sessions, clock=fixed_clock), [AGENT.upper()])


async def _seats(sessions, licence: int) -> tuple[int, set[int]]:
    async with sessions() as session:
        taken = await session.scalar(select(Licence.seats_taken).where(Licence.id == licence))
        on = set((await session.scalars(select(ChildAssignment.person_id).where(
            ChildAssignment.licence_id == licence))).all())
    return taken, on


async def _bingel(sessions, alex):
    school = regenboog(alex)
    bingel = await licence_id(sessions, school, "Bingel")
    _, on = await _seats(sessions, bingel)
    wrong = sorted(on)[0]
    intended = next(pid for pid, _ in await pupils_of(sessions, school, "Groep 8")
                    if pid not in on)
    return school, bingel, wrong, intended


async def test_a_ticket_carries_every_detail_the_helpdesk_needs(helpdesk, alex, sessions):
    _, bingel, wrong, intended = await _bingel(sessions, alex)
    ticket = await helpdesk.open_ticket(alex, bingel, wrong, intended, "  Verkeerde  Sanne ")
    assert ticket.number == f"HD-{ticket.id:06d}" and ticket.status == "open"
    assert ticket.reason == "Verkeerde Sanne" and ticket.brin == "12AB"
    assert ticket.licence_name == "Bingel groep 3/4/5/6/7/8"
    assert ticket.wrong_child_group and ticket.intended_child_group == "Groep 8"
    assert ticket.created_by_name == "Alex Wilber"
    listed = await helpdesk.list_tickets(alex, regenboog(alex))
    assert [t.id for t in listed.tickets.items] == [ticket.id]


@pytest.mark.parametrize("case", ["not_on_licence", "other_school", "intended_not_pupil",
                                  "intended_on_licence", "empty_reason", "long_reason",
                                  "garbage_child"])
async def test_bad_tickets_are_refused_and_make_nothing(helpdesk, alex, sessions, case):
    school, bingel, wrong, intended = await _bingel(sessions, alex)
    _, on = await _seats(sessions, bingel)
    args = [alex, bingel, wrong, intended, "reden"]
    expected: type[Exception] = InvalidInput
    if case == "not_on_licence":
        args[2], expected = intended, NotFound
    elif case == "other_school":
        # Het Kompas's licence and child, with a Regenboog pupil as the intended child.
        args[1] = await licence_id(sessions, kompas(alex), "Bingel")
        args[2] = sorted((await _seats(sessions, args[1]))[1])[0]
    elif case == "intended_not_pupil":
        kompas_pupil = (await pupils_of(sessions, kompas(alex), "Groep 3"))[0][0]
        args[3] = kompas_pupil
    elif case == "intended_on_licence":
        args[3], expected = sorted(on)[1], Conflict
    elif case == "empty_reason":
        args[4] = "   "
    elif case == "long_reason":
        args[4] = "x" * 501
    elif case == "garbage_child":
        args[2] = "12x"
    with pytest.raises(expected):
        await helpdesk.open_ticket(*args)
    async with sessions() as session:
        assert not await session.scalar(select(func.count(HelpdeskTicket.id)))


async def test_a_teacher_cannot_open_a_ticket(helpdesk, megan, alex, sessions):
    _, bingel, wrong, intended = await _bingel(sessions, alex)
    with pytest.raises(NotAllowed):
        await helpdesk.open_ticket(megan, bingel, wrong, intended, "reden")


async def test_execute_moves_the_seat_once_and_tells_the_coordinator(helpdesk, alex, sessions):
    _, bingel, wrong, intended = await _bingel(sessions, alex)
    taken, _ = await _seats(sessions, bingel)
    ticket = await helpdesk.open_ticket(alex, bingel, wrong, intended, "verkeerd kind")
    done = await helpdesk.execute(AGENT, "Henk Helpdesk", ticket.id)
    assert done.applied and done.ticket.status == "executed" and not done.intended_skipped
    after, on = await _seats(sessions, bingel)
    assert after == taken and intended in on and wrong not in on
    again = await helpdesk.execute(AGENT, "Henk Helpdesk", ticket.id)
    assert not again.applied and await _seats(sessions, bingel) == (after, on)
    async with sessions() as session:
        (message,) = (await session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "helpdesk_outcome"))).all()
        assert message.person_id == alex.person_id
        assert json.loads(message.payload)["resolved_by_name"] == "Henk Helpdesk"
        actions = (await session.scalars(select(AuditEvent.action))).all()
        assert "open_ticket" in actions and "execute_ticket" in actions


async def test_without_an_intended_child_the_seat_is_freed(helpdesk, alex, sessions):
    _, bingel, wrong, _ = await _bingel(sessions, alex)
    taken, _ = await _seats(sessions, bingel)
    ticket = await helpdesk.open_ticket(alex, bingel, wrong, None, "verkeerd kind")
    await helpdesk.execute(AGENT, "Henk", ticket.id)
    assert (await _seats(sessions, bingel))[0] == taken - 1


async def test_two_agents_at_once_execute_it_once(helpdesk, alex, sessions):
    _, bingel, wrong, intended = await _bingel(sessions, alex)
    taken, _ = await _seats(sessions, bingel)
    ticket = await helpdesk.open_ticket(alex, bingel, wrong, None, "verkeerd kind")
    results = await asyncio.gather(*(helpdesk.execute(AGENT, f"agent {n}", ticket.id)
                                     for n in range(5)))
    assert sum(r.applied for r in results) == 1
    assert (await _seats(sessions, bingel))[0] == taken - 1


async def test_only_agents_may_resolve_and_refusals_are_audited(helpdesk, alex, sessions):
    _, bingel, wrong, intended = await _bingel(sessions, alex)
    ticket = await helpdesk.open_ticket(alex, bingel, wrong, intended, "verkeerd kind")
    for who in (None, "", "someone-else", alex.extra.get("aad", "x")):
        with pytest.raises(NotAllowed):
            await helpdesk.execute(who, "Mallory", ticket.id)
        with pytest.raises(NotAllowed):
            await helpdesk.reject(who, "Mallory", ticket.id, "nee")
    async with sessions() as session:
        assert (await session.get(HelpdeskTicket, ticket.id)).status == "open"
        refused = await session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.outcome == "refused"))
    assert refused == 8


async def test_reject_records_the_reason_and_changes_no_seat(helpdesk, alex, sessions):
    _, bingel, wrong, intended = await _bingel(sessions, alex)
    before = await _seats(sessions, bingel)
    ticket = await helpdesk.open_ticket(alex, bingel, wrong, intended, "verkeerd kind")
    with pytest.raises(InvalidInput):
        await helpdesk.reject(AGENT, "Henk", ticket.id, "")
    done = await helpdesk.reject(AGENT, "Henk", ticket.id, "Het kind staat er terecht op.")
    assert done.applied and done.ticket.outcome == "Het kind staat er terecht op."
    assert await _seats(sessions, bingel) == before
    assert not (await helpdesk.execute(AGENT, "Henk", ticket.id)).applied
    with pytest.raises(NotFound):
        await helpdesk.execute(AGENT, "Henk", 999999)


async def test_the_ticket_card_goes_to_the_registered_helpdesk_channel(helpdesk, alex, sessions):
    from services.notify.outbox import Outbox

    outbox = Outbox(ServiceContext(sessions, clock=fixed_clock))
    _, bingel, wrong, intended = await _bingel(sessions, alex)
    ticket = await helpdesk.open_ticket(alex, bingel, wrong, intended, "verkeerd kind")
    assert [m.kind for m in await outbox.claim_due()] == []  # no channel yet, Alex never spoke
    await helpdesk.register_channel(AGENT, "Henk", "19:hd@thread.tacv2", "tenant-1",
                                    "https://smba.trafficmanager.net/emea/", {"x": 1})
    (claimed,) = await outbox.claim_due()
    assert claimed.kind == "helpdesk_ticket" and claimed.conversation_id == "19:hd@thread.tacv2"
    assert claimed.payload["number"] == ticket.number
    with pytest.raises(NotAllowed):
        await helpdesk.register_channel("someone", "Mallory", "19:evil", None, "x", {})
