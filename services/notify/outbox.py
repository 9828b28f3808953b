"""The notification outbox: proactive messages written in the same transaction as what they
report, and handed out to a sender.

Delivery is at most once. A message is claimed ('sending', attempts + 1) and that claim is
committed before anything is sent; only the sender's own answer moves it on. A crash between
the claim and the record leaves it 'sending': it is never resent automatically, and
`beheerbot notify` lists it so an operator can look (see docs/notifications.md)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.db import connected
from services.helpdesk.results import KIND_TICKET_CHANNEL, KIND_TICKET_MAIL, SCOPE_HELPDESK
from services.models import (
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    OUTBOX_SENDING,
    OUTBOX_SENT,
    OUTBOX_STALE,
    ConversationRef,
    OutboxMessage,
    Person,
)
from services.notify.references import SCOPE_PERSONAL
from services.notify.results import OutgoingDTO
from services.shared import outbox as shared_outbox
from services.shared.context import ServiceContext
from services.shared.outbox import ERROR_LENGTH

DEFAULT_EXPIRE_AFTER = timedelta(days=7)
# The advisory lock key of the notification sender's turn on PostgreSQL ("bbnotify").
SENDER_LOCK = 0x62626E6F74696679
NO_REFERENCE_REASON = "Geen Teams-gesprek met deze persoon gevonden; bericht verlopen."
STALE_REASON = "Teams kent dit gesprek niet meer (bot verwijderd of gebruiker weg)."


@dataclass(frozen=True)
class OutboxStatusDTO:
    """How many messages are in each status, and the ids left 'sending' (by a crash)."""

    counts: dict[str, int]
    left_sending: tuple[int, ...]


class Outbox:
    def __init__(self, ctx: ServiceContext, *, expire_after: timedelta = DEFAULT_EXPIRE_AFTER
                 ) -> None:
        self.ctx = ctx
        self.expire_after = expire_after

    # -- writing (inside the caller's transaction) ---------------------------------------------
    def enqueue(self, session: AsyncSession, *, person_id: int, school_id: int | None,
                run_id: int | None, kind: str, payload: dict[str, Any]) -> OutboxMessage:
        """Add one message to the caller's transaction (see shared.outbox.enqueue)."""
        return shared_outbox.enqueue(session, now=self.ctx.now(), person_id=person_id,
                                     school_id=school_id, run_id=run_id, kind=kind,
                                     payload=payload)

    # -- the sender's side ----------------------------------------------------------------------
    @asynccontextmanager
    async def sending_turn(self) -> AsyncIterator[bool]:
        """True for the one sender that may drain now. Teams counts a tenant's 50 messages a
        second over all the bot's processes, and each sender paces only its own: on
        PostgreSQL, where several processes run, one drains at a time (a session advisory
        lock held for the drain, released by the server if the process dies). SQLite runs
        one process: always True."""
        engine = self.ctx.sessions.kw["bind"]
        if engine.dialect.name != "postgresql":
            yield True
            return
        async with connected(engine) as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            mine = bool(await connection.scalar(
                select(func.pg_try_advisory_lock(SENDER_LOCK))))
            try:
                yield mine
            finally:
                if mine:
                    try:
                        await connection.scalar(select(func.pg_advisory_unlock(SENDER_LOCK)))
                    except BaseException:
                        # Not back to the pool holding the lock: closed, the server drops it.
                        await connection.invalidate()
                        raise

    async def claim_due(self, limit: int = 50) -> list[OutgoingDTO]:
        """Due pending messages whose recipient has a live personal conversation, marked
        'sending' and committed before they are returned (so before anything is sent).

        PostgreSQL: FOR UPDATE SKIP LOCKED, so parallel senders take different rows. SQLite:
        the transaction begins IMMEDIATE (services.db), so claims are serialised."""
        now = self.ctx.now()
        async with self.ctx.sessions.begin() as session:
            chosen = await _fair_pick(session, now, limit)
            query = select(OutboxMessage).where(OutboxMessage.id.in_(chosen),
                                                OutboxMessage.status == OUTBOX_PENDING)
            if session.bind.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            place = {message_id: n for n, message_id in enumerate(chosen)}
            messages = sorted((await session.execute(query)).scalars(),
                              key=lambda m: place[m.id])
            if not messages:
                return []
            person_ids = {m.person_id for m in messages if m.person_id is not None}
            channel = await session.scalar(
                select(ConversationRef).where(ConversationRef.scope == SCOPE_HELPDESK,
                                              ConversationRef.stale_at.is_(None))
                .order_by(ConversationRef.updated_at.desc(), ConversationRef.id.desc())
                .limit(1))
            refs = (await session.execute(
                select(ConversationRef)
                .where(ConversationRef.person_id.in_(person_ids),
                       ConversationRef.scope == SCOPE_PERSONAL,
                       ConversationRef.stale_at.is_(None))
                .order_by(ConversationRef.updated_at, ConversationRef.id))).scalars()
            newest = {ref.person_id: ref for ref in refs}  # the last one wins: the newest
            languages = dict((await session.execute(
                select(Person.id, Person.language).where(Person.id.in_(person_ids)))).all())
            claimed: list[OutgoingDTO] = []
            for message in messages:
                # The helpdesk's tickets go to its channel (the one registered last).
                ref = channel if message.kind == KIND_TICKET_CHANNEL else newest[message.person_id]
                message.status = OUTBOX_SENDING
                message.attempts += 1
                claimed.append(OutgoingDTO(
                    id=message.id, kind=message.kind, payload=json.loads(message.payload),
                    language=languages.get(message.person_id),
                    conversation_id=ref.conversation_id, service_url=ref.service_url,
                    tenant_id=ref.tenant_id, reference=json.loads(ref.reference),
                    attempts=message.attempts))
        return claimed

    async def mark_sent(self, *message_ids: int) -> None:
        """These claimed messages were accepted by Teams (one transaction)."""
        await shared_outbox.finish(self.ctx, *message_ids, status=OUTBOX_SENT, error="",
                                   sent=True)

    async def retry_later(self, message_id: int, error: str, at: datetime) -> None:
        """Back to 'pending', due at `at` (a 429's Retry-After, or the backoff)."""
        await shared_outbox.retry_later(self.ctx, message_id, error, at)

    async def give_up(self, message_id: int, error: str) -> None:
        await shared_outbox.finish(self.ctx, message_id, status=OUTBOX_FAILED, error=error)

    async def mark_stale(self, message_id: int, conversation_id: str, error: str = STALE_REASON
                         ) -> None:
        """Teams answered 403/404: the message is not sent, and the conversation is marked
        stale so nothing else is tried there until the person speaks to the bot again."""
        async with self.ctx.sessions.begin() as session:
            await session.execute(
                update(ConversationRef).where(ConversationRef.conversation_id == conversation_id)
                .values(stale_at=self.ctx.now()))
            await session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id)
                .values(status=OUTBOX_STALE, last_error=error[:ERROR_LENGTH]))

    async def expire_unreachable(self) -> int:
        """Pending messages older than `expire_after` whose recipient still has no live
        personal conversation are recorded as failed, with a Dutch reason."""
        cutoff = self.ctx.now() - self.expire_after
        async with self.ctx.sessions.begin() as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(and_(OutboxMessage.status == OUTBOX_PENDING,
                            OutboxMessage.kind != KIND_TICKET_MAIL,
                            OutboxMessage.created_at <= cutoff, ~_reachable()))
                .values(status=OUTBOX_FAILED, last_error=NO_REFERENCE_REASON)
                .execution_options(synchronize_session=False))
        return result.rowcount or 0

    async def status(self) -> OutboxStatusDTO:
        async with self.ctx.sessions() as session:
            counts = dict((await session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))).all())
            sending = (await session.execute(
                select(OutboxMessage.id).where(OutboxMessage.status == OUTBOX_SENDING)
                .order_by(OutboxMessage.id))).scalars()
            return OutboxStatusDTO(counts={k: int(v) for k, v in counts.items()},
                                   left_sending=tuple(sending))


# How many of the oldest due messages a claim chooses from: a recipient further down the
# queue waits for a later claim.
CANDIDATES = 2000


async def _fair_pick(session: AsyncSession, now: datetime, limit: int) -> list[int]:
    """The ids a claim of `limit` takes, in the order to send them: of the oldest due
    messages, the recipients with the fewest on their way first (each one's first before
    anyone's second, counting those already claimed), then the oldest. Teams lets one
    conversation have 4 messages a second at most, so a claim of one recipient's long queue
    would leave the tenant's 50 a second unused while the others wait. Ranked here rather than
    by a window function in SQL: that ranks every due message of the outbox at every claim
    (16 ms with 6,500 waiting, on SQLite)."""
    candidates = (await session.execute(
        select(OutboxMessage.id, OutboxMessage.person_id)
        .where(OutboxMessage.status == OUTBOX_PENDING, OutboxMessage.next_attempt_at <= now,
               _reachable())
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(CANDIDATES))).all()
    if not candidates:
        return []
    on_way = Counter(dict((await session.execute(  # few: at most what is on its way
        select(OutboxMessage.person_id, func.count())
        .where(OutboxMessage.status == OUTBOX_SENDING)
        .group_by(OutboxMessage.person_id))).all()))
    ranked = []
    for position, (message_id, person) in enumerate(candidates):
        ranked.append((on_way[person], position, message_id))
        on_way[person] += 1
    return [message_id for _, _, message_id in sorted(ranked)[:limit]]


def _reachable():
    """A Teams message whose recipient can be reached now: a person with a live personal
    conversation, or a helpdesk ticket while a helpdesk channel is registered. The helpdesk's
    e-mails are not Teams messages: the SMTP sender takes those."""
    person = exists().where(
        ConversationRef.person_id == OutboxMessage.person_id,
        ConversationRef.scope == SCOPE_PERSONAL,
        ConversationRef.stale_at.is_(None))
    channel = exists().where(ConversationRef.scope == SCOPE_HELPDESK,
                             ConversationRef.stale_at.is_(None))
    return and_(OutboxMessage.kind != KIND_TICKET_MAIL,
                or_(person, and_(OutboxMessage.kind == KIND_TICKET_CHANNEL, channel)))
