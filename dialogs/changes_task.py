"""Wijzigingen: what the nightly Basispoort sync changed, and the one-tap buttons of the morning
summary ('Nu koppelen', 'Ongedaan maken'), which may be tapped days later."""

from __future__ import annotations

from botbuilder.dialogs import WaterfallStepContext

from cards import actions as A
from cards import changes as cards
from cards import licences as link_cards
from cards.actions import CONFIRM, KEY_GROUP, KEY_LICENCE
from cards.actions.changes import CHANGES, CHANGES_RUN, KEY_RUN, NOTIFY_LINK, NOTIFY_UNDO
from dialogs.context import actor_of, send_card, texts_of
from dialogs.flow import FlowDialog
from dialogs.registry import Task, navigation, task
from dialogs.unlink_group_dialog import UnlinkGroupDialog
from services import intents
from services.licences import GroupLinks

GROUP_IDS = "group_ids"


class NotifiedLinkDialog(FlowDialog):
    """'Nu koppelen' on a summary: one confirmation, then the link. The preview checks the
    situation now, not when the summary was written: a group that is gone or linked already
    meanwhile gets a message and nothing changes."""

    ID = "NotifiedLinkDialog"

    def __init__(self, links: GroupLinks) -> None:
        super().__init__(NotifiedLinkDialog.ID)
        self.links = links
        self.add_dialog(self.waterfall("notified_link", [self.confirm_step, self.link_step]))
        self.initial_dialog_id = "notified_link"

    async def confirm_step(self, step: WaterfallStepContext):
        flow = self.begin_flow(step)
        preview = await self.links.preview_link(
            self.actor(step), step.options.get(KEY_LICENCE), [step.options.get(KEY_GROUP)])
        step.values[GROUP_IDS] = list(preview.group_ids)
        card = link_cards.confirm_link_card(self.texts(step), preview, flow)
        return await self.prompt_card(step, card, CONFIRM)

    async def link_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        result = await self.links.link_groups(
            self.actor(step), step.options.get(KEY_LICENCE), step.values[GROUP_IDS])
        return await self.finish(step, link_cards.link_result_card(self.texts(step), result))


@task
class ChangesTask(Task):
    """The sync's runs for the coördinator's school, and the summary's buttons."""

    def dialogs(self):
        return [NotifiedLinkDialog(self.services.links)]

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
        return await step.begin_dialog(NotifiedLinkDialog.ID, {
            A.KEY_SCHOOL: school.id, KEY_LICENCE: data.get(KEY_LICENCE),
            KEY_GROUP: data.get(KEY_GROUP)})

    @navigation(NOTIFY_UNDO)
    async def start_undo(self, step, school, data):
        return await step.begin_dialog(UnlinkGroupDialog.ID, {
            A.KEY_SCHOOL: school.id, KEY_LICENCE: data.get(KEY_LICENCE),
            KEY_GROUP: data.get(KEY_GROUP)})
