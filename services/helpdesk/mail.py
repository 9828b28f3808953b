"""The helpdesk's e-mails in the outbox: claimed before sending (so two senders never send one
twice and a crash after sending never sends it again), then marked sent or retried later."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from services.helpdesk.results import KIND_TICKET_MAIL, TicketDTO
from services.models import (
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    OUTBOX_SENDING,
    OUTBOX_SENT,
    OutboxMessage,
)
from services.shared import outbox
from services.shared.context import ServiceContext


@dataclass(frozen=True)
class MailDTO:
    id: int
    attempts: int
    ticket: TicketDTO


class HelpdeskMailbox:
    """The outbox rows of kind 'helpdesk_mail'."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def claim_due(self, limit: int = 20) -> list[MailDTO]:
        """Due e-mails, marked 'sending' and committed before anything is sent."""
        async with self.ctx.sessions.begin() as session:
            stmt = (select(OutboxMessage)
                    .where(OutboxMessage.kind == KIND_TICKET_MAIL,
                           OutboxMessage.status == OUTBOX_PENDING,
                           OutboxMessage.next_attempt_at <= self.ctx.now())
                    .order_by(OutboxMessage.id).limit(limit))
            if session.bind.dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            rows = (await session.scalars(stmt)).all()
            claimed = []
            for row in rows:
                row.status = OUTBOX_SENDING
                row.attempts += 1
                claimed.append(MailDTO(row.id, row.attempts,
                                       TicketDTO.from_payload(json.loads(row.payload))))
            return claimed

    async def sent(self, mail_id: int) -> None:
        await outbox.finish(self.ctx, mail_id, status=OUTBOX_SENT, error="", sent=True)

    async def retry(self, mail_id: int, error: str, after: timedelta) -> None:
        await outbox.retry_later(self.ctx, mail_id, error, self.ctx.now() + after)

    async def give_up(self, mail_id: int, error: str) -> None:
        await outbox.finish(self.ctx, mail_id, status=OUTBOX_FAILED, error=error)
