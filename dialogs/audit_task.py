"""Recente wijzigingen: the school's audit trail, for its own coördinator."""

from __future__ import annotations

from cards import actions as A
from cards.actions.audit import RECENT_CHANGES
from cards.audit import recent_changes_card
from dialogs.context import actor_of, send_card, texts_of
from dialogs.registry import Task, navigation, task
from services import intents


@task
class AuditTask(Task):
    @navigation(RECENT_CHANGES, typed=intents.RecentChanges)
    async def show_recent_changes(self, step, school, data):
        found = await self.services.audit.recent_changes(actor_of(step.context), school.id,
                                                         data.get(A.KEY_PAGE, 1))
        await send_card(step.context, recent_changes_card(texts_of(step.context), found))
