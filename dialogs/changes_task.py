"""Wijzigingen: what the nightly Basispoort sync changed, and the one-tap buttons of the morning
summary ('Nu koppelen', 'Ongedaan maken'), which may be tapped days later."""

from __future__ import annotations

from cards import actions as A
from cards import changes as cards
from cards.actions import KEY_GROUP, KEY_LICENCE
from cards.actions.changes import CHANGES, CHANGES_RUN, KEY_RUN, NOTIFY_LINK, NOTIFY_UNDO
from dialogs.context import actor_of, send_card, texts_of
from dialogs.link_group_dialog import LinkGroupDialog
from dialogs.registry import Task, navigation, task
from dialogs.unlink_group_dialog import UnlinkGroupDialog
from services import intents


@task
class ChangesTask(Task):
    """The sync's runs for the coördinator's school, and the summary's buttons."""

    @navigation(CHANGES, typed=intents.Changes)
    async def show_runs(self, step, school, data):
        runs = await self.services.sync.recent_runs(actor_of(step.context), school.id,
                                                    data.get(A.KEY_PAGE, 1))
        await send_card(step.context, cards.runs_card(texts_of(step.context), runs))

    @navigation(CHANGES_RUN)
    async def show_run(self, step, school, data):
        found = await self.services.sync.run_changes(actor_of(step.context), data.get(KEY_RUN),
                                                     data.get(A.KEY_PAGE, 1))
        await send_card(step.context, cards.run_changes_card(texts_of(step.context), found))

    @navigation(NOTIFY_LINK)
    async def start_link(self, step, school, data):
        return await step.begin_dialog(LinkGroupDialog.ID, {
            A.KEY_SCHOOL: school.id, KEY_LICENCE: data.get(KEY_LICENCE),
            KEY_GROUP: data.get(KEY_GROUP)})

    @navigation(NOTIFY_UNDO)
    async def start_undo(self, step, school, data):
        return await step.begin_dialog(UnlinkGroupDialog.ID, {
            A.KEY_SCHOOL: school.id, KEY_LICENCE: data.get(KEY_LICENCE),
            KEY_GROUP: data.get(KEY_GROUP)})
