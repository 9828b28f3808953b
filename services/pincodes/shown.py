"""Messages that show pincodes right now: remembered when codes are shown, handed out to be
hidden when the coördinator moves on or when their few minutes are up (also after a restart)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.actor import Actor
from services.db import reading
from services.driver_rows import Read, all_rows
from services.models import ShownCodes
from services.pincodes.results import CODES_VISIBLE_MINUTES
from services.shared.context import ServiceContext

# Codes stay in the chat at most this long; the sweep then replaces the card.
VISIBLE_FOR = timedelta(minutes=CODES_VISIBLE_MINUTES)
# A hide that failed (Teams unreachable) is tried again after this, at most MAX_ATTEMPTS times.
RETRY_AFTER = timedelta(minutes=1)
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class ShownCardDTO:
    """A message to update: where it is and the card without codes that replaces it."""

    id: int
    conversation_id: str
    activity_id: str
    service_url: str
    tenant_id: str
    hidden_card: dict
    attempts: int


_SHOWN = ShownCodes.__table__
_IN_CONVERSATION = (
    select(_SHOWN.c.id, _SHOWN.c.conversation_id, _SHOWN.c.activity_id, _SHOWN.c.service_url,
           _SHOWN.c.tenant_id, _SHOWN.c.hidden_card, _SHOWN.c.attempts)
    .where(_SHOWN.c.conversation_id == bindparam("conversation")).order_by(_SHOWN.c.id))


def _dto(row) -> ShownCardDTO:
    """From a ShownCodes row, or a Core row of the same columns."""
    return ShownCardDTO(id=row.id, conversation_id=row.conversation_id,
                        activity_id=row.activity_id, service_url=row.service_url,
                        tenant_id=row.tenant_id, hidden_card=json.loads(row.hidden_card),
                        attempts=row.attempts)


class ShownCodesStore:
    def __init__(self, ctx: ServiceContext, *, visible_for: timedelta = VISIBLE_FOR) -> None:
        self.ctx = ctx
        self.visible_for = visible_for

    async def remember(self, actor: Actor, *, conversation_id: str, activity_id: str,
                       service_url: str, tenant_id: str | None, hidden_card: dict) -> None:
        """Message `activity_id` now shows codes; `hidden_card` is what replaces it. Showing
        them again (another page) restarts the few minutes."""
        if actor.person_id is None:
            return
        now = self.ctx.now()
        async with self.ctx.sessions.begin() as session:
            row = await self._row(session, conversation_id, activity_id)
            if row is None:
                row = ShownCodes(person_id=actor.person_id, conversation_id=conversation_id,
                                 activity_id=activity_id)
                session.add(row)
            row.service_url = service_url
            row.tenant_id = tenant_id or ""
            row.hidden_card = json.dumps(hidden_card, ensure_ascii=False)
            row.shown_at = now
            row.hide_at = now + self.visible_for
            row.attempts = 0

    async def forget(self, conversation_id: str, activity_id: str) -> None:
        """The message no longer shows codes (hidden by its own button, or just updated)."""
        async with self.ctx.sessions.begin() as session:
            await session.execute(delete(ShownCodes).where(
                ShownCodes.conversation_id == conversation_id,
                ShownCodes.activity_id == activity_id))

    async def in_conversation(self, conversation_id: str) -> list[ShownCardDTO]:
        """Every message of this conversation that still shows codes."""
        # Asked at every turn: a Core read that never waits for SQLite's write lock.
        read = self.read_in(conversation_id)
        async with reading(self.ctx.sessions) as connection:
            rows = await all_rows(connection, read.statement, read.params)
            return [_dto(row) for row in rows]

    @staticmethod
    def read_in(conversation_id: str) -> Read:
        """The statement `in_conversation` runs, to be read ahead with a turn's other first
        reads."""
        return Read(_IN_CONVERSATION, {"conversation": conversation_id})

    async def claim_due(self, limit: int = 50) -> list[ShownCardDTO]:
        """Messages whose time is up, each claimed by one sweeper (its next try moves on by
        RETRY_AFTER, so a crash mid-way is retried, not lost); given-up ones are dropped."""
        now = self.ctx.now()
        claimed = []
        async with self.ctx.sessions.begin() as session:
            await session.execute(delete(ShownCodes).where(
                ShownCodes.attempts >= MAX_ATTEMPTS))
            query = (select(ShownCodes).where(ShownCodes.hide_at <= now)
                     .order_by(ShownCodes.hide_at).limit(limit))
            if session.bind.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            for row in (await session.scalars(query)).all():
                result = await session.execute(
                    update(ShownCodes)
                    .where(ShownCodes.id == row.id, ShownCodes.hide_at == row.hide_at)
                    .values(hide_at=now + RETRY_AFTER, attempts=ShownCodes.attempts + 1))
                if result.rowcount == 1:
                    claimed.append(_dto(row))
        return claimed

    @staticmethod
    async def _row(session: AsyncSession, conversation_id: str, activity_id: str
                   ) -> ShownCodes | None:
        return await session.scalar(select(ShownCodes).where(
            ShownCodes.conversation_id == conversation_id,
            ShownCodes.activity_id == activity_id))
