"""Conversation references: where the bot can reach a person on its own initiative.

Stored when the bot is installed or spoken to and refreshed on later turns. A turn must not
always cost a write: the row is written only when it is new, when what Teams sent changed,
when it was marked stale (the person speaks again, so the conversation lives), or when it is
older than `REFRESH_AFTER`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.actor import Actor
from services.db import read_only
from services.models import ConversationRef
from services.shared.context import ServiceContext

REFRESH_AFTER = timedelta(hours=6)
SCOPE_PERSONAL = "personal"
SCOPE_CHANNEL = "channel"


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; they were written as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ConversationRefs:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def remember(
        self,
        actor: Actor,
        *,
        tenant_id: str | None,
        scope: str,
        service_url: str,
        reference: dict[str, Any],
    ) -> bool:
        """Store or refresh the reference of the actor's conversation; True when written.

        Only a known person's conversation is kept: the outbox addresses people."""
        if actor.person_id is None or not actor.conversation_id or not service_url:
            return False
        scope = SCOPE_PERSONAL if scope == SCOPE_PERSONAL else SCOPE_CHANNEL
        text = json.dumps(reference, sort_keys=True, separators=(",", ":"))
        now = self.ctx.now()
        # The common case changes nothing: read without SQLite's write lock first.
        async with self.ctx.sessions() as session:
            await read_only(session)
            current = (await session.execute(
                select(ConversationRef.person_id, ConversationRef.tenant_id,
                       ConversationRef.scope, ConversationRef.service_url,
                       ConversationRef.reference, ConversationRef.updated_at,
                       ConversationRef.stale_at)
                .where(ConversationRef.conversation_id == actor.conversation_id))).first()
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
