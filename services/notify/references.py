"""Conversation references: where the bot can reach a person on its own initiative.

Stored when the bot is installed or spoken to and refreshed on later turns. A turn must not
always cost a write: the row is written only when it is new, when what Teams sent changed,
when it was marked stale (the person speaks again, so the conversation lives), or when it is
older than `REFRESH_AFTER`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from services.actor import Actor
from services.db import reading
from services.driver_rows import Read, first_row
from services.models import ConversationRef
from services.shared.context import ServiceContext

REFRESH_AFTER = timedelta(hours=6)
SCOPE_PERSONAL = "personal"
SCOPE_CHANNEL = "channel"


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; they were written as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_REF = ConversationRef.__table__
# Read at every turn Teams sends: a Core statement, built once.
_STORED = select(_REF.c.person_id, _REF.c.tenant_id, _REF.c.scope, _REF.c.service_url,
                 _REF.c.reference, _REF.c.updated_at, _REF.c.stale_at).where(
    _REF.c.conversation_id == bindparam("conversation"))
# `remember` without what `stored` read: it reads it itself.
UNREAD = object()


class ConversationRefs:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @staticmethod
    def stored_read(conversation_id: str) -> Read:
        """The statement `stored` runs, to be read ahead with a turn's other first reads."""
        return Read(_STORED, {"conversation": conversation_id})

    async def stored(self, conversation_id: str):
        """The stored reference of a conversation as `remember` compares it (a row with the
        person, tenant, scope, service URL, reference, updated_at and stale_at), or None."""
        async with reading(self.ctx.sessions) as connection:
            return await first_row(connection, _STORED, {"conversation": conversation_id})

    async def remember(
        self,
        actor: Actor,
        *,
        tenant_id: str | None,
        scope: str,
        service_url: str,
        reference: dict[str, Any],
        current: Any = UNREAD,
    ) -> bool:
        """Store or refresh the reference of the actor's conversation; True when written.
        `current` is what `stored` read for it this turn, if it was read already.

        Only a known person's conversation is kept: the outbox addresses people."""
        if actor.person_id is None or not actor.conversation_id or not service_url:
            return False
        scope = SCOPE_PERSONAL if scope == SCOPE_PERSONAL else SCOPE_CHANNEL
        # The id of the message this turn answers is new at every turn and no part of where
        # the person is reached: kept, it made every turn rewrite the row.
        text = json.dumps({k: v for k, v in reference.items() if k != "activityId"},
                          sort_keys=True, separators=(",", ":"))
        now = self.ctx.now()
        # The common case changes nothing: read without SQLite's write lock first (or take
        # what the turn's opening reads found).
        if current is UNREAD:
            current = await self.stored(actor.conversation_id)
        if current is not None and current.stale_at is None \
                and (current.person_id, current.tenant_id, current.scope, current.service_url,
                     current.reference) == (actor.person_id, tenant_id, scope, service_url, text) \
                and now - _aware(current.updated_at) < REFRESH_AFTER:
            return False
        try:
            await self._write(actor, tenant_id, scope, service_url, text, now)
        except IntegrityError:  # a parallel turn of the same conversation stored it first
            return False
        return True

    async def _write(self, actor: Actor, tenant_id: str | None, scope: str, service_url: str,
                     text: str, now: datetime) -> None:
        async with self.ctx.sessions.begin() as session:
            row = (await session.execute(
                select(ConversationRef)
                .where(ConversationRef.conversation_id == actor.conversation_id))).scalar_one_or_none()
            if row is None:
                row = ConversationRef(conversation_id=actor.conversation_id)
                session.add(row)
            row.person_id = actor.person_id
            row.tenant_id = tenant_id
            row.scope = scope
            row.service_url = service_url
            row.reference = text
            row.updated_at = now
            row.stale_at = None
