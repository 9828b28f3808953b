"""Writing to the outbox and recording what became of a message: the one way every area does
it. Which messages are due and where they go is the senders' business (notify.Outbox for Teams,
helpdesk.mail for the helpdesk's e-mail)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from services.models import OUTBOX_PENDING, OUTBOX_SENDING, OutboxMessage
from services.shared.context import ServiceContext

ERROR_LENGTH = 300


def enqueue(session: AsyncSession, *, now: datetime, person_id: int | None,
            school_id: int | None, run_id: int | None, kind: str,
            payload: dict[str, Any]) -> OutboxMessage:
    """Add one message to the caller's transaction: it exists exactly when what it reports was
    committed. The caller checked who may cause it; nothing is sent here."""
    message = OutboxMessage(
        person_id=person_id, school_id=school_id, run_id=run_id, kind=kind,
        payload=json.dumps(payload, ensure_ascii=False), status=OUTBOX_PENDING, attempts=0,
        created_at=now, next_attempt_at=now, last_error="")
    session.add(message)
    return message


async def finish(ctx: ServiceContext, *message_ids: int, status: str, error: str,
                 sent: bool = False) -> None:
    """Record claimed messages' end, in one transaction: sent, failed or stale."""
    async with ctx.sessions.begin() as session:
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(message_ids))
            .values(status=status, last_error=error[:ERROR_LENGTH],
                    sent_at=ctx.now() if sent else None))


async def retry_later(ctx: ServiceContext, message_id: int, error: str, at: datetime) -> None:
    """A claimed message back to 'pending', due at `at`."""
    async with ctx.sessions.begin() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == OUTBOX_SENDING)
            .values(status=OUTBOX_PENDING, next_attempt_at=at, last_error=error[:ERROR_LENGTH]))
