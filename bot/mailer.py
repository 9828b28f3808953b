"""The helpdesk's e-mail: each new ticket goes by SMTP to HELPDESK_EMAIL, from the outbox, with
every detail the helpdesk needs; a mail server that is down loses nothing (retried with
backoff, given up after a number of attempts and then visible in the outbox)."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage

import aiosmtplib
from aiohttp import web

from bot.background import go_on, stop
from cards.helpdesk import ticket_mail
from cards.i18n import Texts
from services.helpdesk.mail import HelpdeskMailbox

log = logging.getLogger(__name__)

DEFAULT_HELPDESK_EMAIL = "helpdesk.bao@malmberg.nl"


@dataclass(frozen=True)
class MailSettings:
    host: str = ""  # empty: no mail is sent (the tickets wait in the outbox)
    port: int = 25
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = False
    sender: str = "beheerbot@malmberg.nl"
    helpdesk: str = DEFAULT_HELPDESK_EMAIL
    max_attempts: int = 8
    interval: float = 30.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MailSettings:
        port = env.get("SMTP_PORT", "25")
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"SMTP_PORT moet een poortnummer zijn, niet {port!r}.")
        return cls(host=env.get("SMTP_HOST", "").strip(), port=int(port),
                   user=env.get("SMTP_USER", ""), password=env.get("SMTP_PASSWORD", ""),
                   starttls=env.get("SMTP_STARTTLS", "").lower() in ("1", "true", "ja", "yes"),
                   sender=env.get("SMTP_FROM", "beheerbot@malmberg.nl"),
                   helpdesk=env.get("HELPDESK_EMAIL", DEFAULT_HELPDESK_EMAIL))


def backoff(attempt: int) -> timedelta:
    """30 s, 1 min, 2 min, ... up to an hour, with jitter so retries do not come in waves."""
    seconds = min(3600, 30 * 2 ** max(0, attempt - 1))
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))


class HelpdeskMailer:
    def __init__(self, mailbox: HelpdeskMailbox, settings: MailSettings) -> None:
        self.mailbox = mailbox
        self.settings = settings

    def message(self, mail) -> EmailMessage:
        subject, body = ticket_mail(Texts("nl"), mail.ticket)
        message = EmailMessage()
        message["From"] = self.settings.sender
        message["To"] = self.settings.helpdesk
        message["Subject"] = subject
        message.set_content(body)
        return message

    async def drain(self) -> dict[str, int]:
        """Send every due e-mail once; returns how many were sent, retried and given up."""
        counts = {"sent": 0, "retried": 0, "given_up": 0}
        while True:
            batch = await self.mailbox.claim_due()
            if not batch:
                return counts
            for mail in batch:
                try:
                    await aiosmtplib.send(
                        self.message(mail), hostname=self.settings.host,
                        port=self.settings.port, username=self.settings.user or None,
                        password=self.settings.password or None,
                        start_tls=self.settings.starttls, timeout=20)
                except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
                    error = f"{type(exc).__name__}"
                    if mail.attempts >= self.settings.max_attempts:
                        await self.mailbox.give_up(mail.id, error)
                        counts["given_up"] += 1
                        log.error("e-mail van melding %s opgegeven na %s pogingen: %s",
                                  mail.ticket.number, mail.attempts, error)
                    else:
                        await self.mailbox.retry(mail.id, error, backoff(mail.attempts))
                        counts["retried"] += 1
                        log.warning("e-mail van melding %s niet verstuurd (%s); later opnieuw",
                                    mail.ticket.number, error)
                    continue
                await self.mailbox.sent(mail.id)
                counts["sent"] += 1
                log.info("melding %s gemaild naar de helpdesk", mail.ticket.number)


MAILER = web.AppKey("helpdesk_mailer", HelpdeskMailer)


def mailer_context(settings: MailSettings, mailbox_of: Callable[[web.Application],
                                                                HelpdeskMailbox]):
    """cleanup_ctx (after the runtime): send the helpdesk's e-mails every `interval` seconds."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        if not settings.host:
            log.warning("SMTP_HOST is leeg: meldingen voor de helpdesk wachten in de outbox.")
            yield
            return
        mailer = HelpdeskMailer(mailbox_of(app), settings)
        app[MAILER] = mailer

        async def loop() -> None:
            while True:
                go_on()
                try:
                    await mailer.drain()
                except Exception:
                    go_on()
                    log.exception("versturen van helpdeskmails mislukt")
                await asyncio.sleep(settings.interval)

        task = asyncio.create_task(loop(), name="helpdesk-mail")
        try:
            yield
        finally:
            await stop(task, "het mailen naar de helpdesk")

    return context
