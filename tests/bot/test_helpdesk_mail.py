"""The helpdesk's e-mail through a real local SMTP server (aiosmtpd): every detail arrives, a
server that is down loses nothing, and the agent's command closes the loop."""

from __future__ import annotations

import asyncio
import contextlib
import email
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from bot.cli import main
from bot.mailer import HelpdeskMailer, MailSettings
from services.actor import Identity
from services.db import create_engine, create_sessions
from services.helpdesk import HelpdeskService
from services.helpdesk.mail import HelpdeskMailbox
from services.models import ChildAssignment, OutboxMessage
from services.registry import Services
from services.secrets import load_secret_box
from services.shared.context import ServiceContext
from tests.conftest import PLAYGROUND_TENANT, fixed_clock
from tests.licence_tasks_support import licence_id, pupils_of, regenboog

AGENT = "aaaaaaaa-0000-0000-0000-000000000001"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    inbox.port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    inbox.controller = controller
    yield inbox
    with contextlib.suppress(Exception):
        controller.stop()


class Clock:
    def __init__(self) -> None:
        self.now = fixed_clock()

    def __call__(self):
        return self.now


async def _ticket(sessions, alex, clock):
    helpdesk = HelpdeskService(ServiceContext(sessions, clock=clock), [AGENT])
    school = regenboog(alex)
    bingel = await licence_id(sessions, school, "Bingel")
    async with sessions() as session:
        on = set((await session.scalars(select(ChildAssignment.person_id).where(
            ChildAssignment.licence_id == bingel))).all())
    intended = next(pid for pid, _ in await pupils_of(sessions, school, "Groep 8")
                    if pid not in on)
    return helpdesk, await helpdesk.open_ticket(alex, bingel, min(on), intended,
                                                "Verwisseld met een klasgenoot")


async def test_the_ticket_arrives_by_mail_with_every_detail(sessions, alex, smtp):
    clock = Clock()
    _, ticket = await _ticket(sessions, alex, clock)
    mailer = HelpdeskMailer(HelpdeskMailbox(ServiceContext(sessions, clock=clock)),
                            MailSettings(host="127.0.0.1", port=smtp.port))
    assert (await mailer.drain())["sent"] == 1
    (message,) = smtp.messages
    assert message["To"] == "helpdesk.bao@malmberg.nl"
    assert ticket.number in message["Subject"] and "OBS De Regenboog" in message["Subject"]
    body = message.get_payload(decode=True).decode()
    for detail in (ticket.wrong_child_name, ticket.intended_child_name, "Bingel groep",
                   "Verwisseld met een klasgenoot", "Alex Wilber", "12AB 00",
                   f"beheerbot helpdesk uitvoeren {ticket.number}"):
        assert detail in body
    assert (await mailer.drain())["sent"] == 0  # sent once


async def test_a_mail_server_that_is_down_loses_nothing(sessions, alex, smtp):
    clock = Clock()
    await _ticket(sessions, alex, clock)
    mailbox = HelpdeskMailbox(ServiceContext(sessions, clock=clock))
    smtp.controller.stop()
    mailer = HelpdeskMailer(mailbox, MailSettings(host="127.0.0.1", port=smtp.port,
                                                  max_attempts=3))
    assert (await mailer.drain())["retried"] == 1
    assert (await mailer.drain()) == {"sent": 0, "retried": 0, "given_up": 0}  # not due yet
    smtp.controller = Controller(smtp, hostname="127.0.0.1", port=smtp.port)
    smtp.controller.start()
    clock.now += timedelta(hours=2)
    assert (await mailer.drain())["sent"] == 1
    assert len(smtp.messages) == 1


async def test_a_mail_that_never_goes_is_given_up_and_visible(sessions, alex):
    clock = Clock()
    await _ticket(sessions, alex, clock)
    mailer = HelpdeskMailer(HelpdeskMailbox(ServiceContext(sessions, clock=clock)),
                            MailSettings(host="127.0.0.1", port=9, max_attempts=2))
    assert (await mailer.drain())["retried"] == 1
    clock.now += timedelta(hours=2)
    assert (await mailer.drain())["given_up"] == 1
    async with sessions() as session:
        (row,) = (await session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "helpdesk_mail"))).all()
    assert row.status == "failed" and row.attempts == 2 and row.last_error


def test_the_agents_command_executes_once_and_refuses_others(tmp_path, monkeypatch, capsys):
    db = tmp_path / "hd.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    monkeypatch.setenv("BEHEERBOT_SECRET_KEY", "a-long-enough-test-passphrase")
    monkeypatch.setenv("HELPDESK_AGENTS", AGENT)
    assert main(["demo-data"]) == 0

    async def open_one():
        engine = create_engine(f"sqlite+aiosqlite:///{db}")
        sessions = create_sessions(engine)
        services = Services.build(sessions, secrets=load_secret_box(
            "a-long-enough-test-passphrase", f"sqlite+aiosqlite:///{db}"))
        alex = await services.school.resolve_actor(
            Identity(aad_object_id="00000000-0000-0000-0000-0000000000020",
                     tenant_id=PLAYGROUND_TENANT), "c")
        try:
            return await _ticket(sessions, alex, fixed_clock)
        finally:
            await engine.dispose()

    _, ticket = asyncio.run(open_one())
    assert main(["helpdesk", "lijst", "--agent", "someone-else"]) == 1
    assert "Alleen medewerkers van de Malmberg-helpdesk" in capsys.readouterr().err
    assert main(["helpdesk", "lijst", "--agent", AGENT]) == 0
    assert ticket.number in capsys.readouterr().out
    assert main(["helpdesk", "uitvoeren", ticket.number, "--agent", "someone-else"]) == 1
    assert "Alleen medewerkers van de Malmberg-helpdesk" in capsys.readouterr().err
    assert main(["helpdesk", "uitvoeren", ticket.number, "--agent", AGENT,
                 "--naam", "Henk"]) == 0
    assert "executed" in capsys.readouterr().out
    assert main(["helpdesk", "uitvoeren", ticket.number, "--agent", AGENT]) == 0
    assert "al afgehandeld" in capsys.readouterr().out
    assert main(["helpdesk", "afwijzen", "HD-12x", "--agent", AGENT, "--reden", "x"]) == 2
