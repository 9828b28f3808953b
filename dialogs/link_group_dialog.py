"""Licenties koppelen: the school's group licences; pick groups for one, confirm, link."""

from __future__ import annotations

from botbuilder.dialogs import WaterfallStepContext

from cards import actions as A
from cards import licences as cards
from cards.actions import CONFIRM, KEY_GROUP, KEY_LICENCE
from cards.actions.licences import GROUPS_CHOSEN, INPUT_GROUPS, LICENCES, LINK_START, UNLINK_START
from dialogs.context import actor_of, send_card, texts_of
from dialogs.flow import FlowDialog
from dialogs.registry import Task, navigation, reads_ahead, task
from dialogs.unlink_group_dialog import UnlinkGroupDialog
from services import intents
from services.errors import InvalidInput
from services.licences import GroupLinks

GROUP_IDS = "group_ids"


class LinkGroupDialog(FlowDialog):
    """Options: {'school_id', 'licence_id'} from the licence card's button, and 'group_id' when
    the group was chosen elsewhere (the sync summary's 'Nu koppelen'): then only the
    confirmation is asked. The preview checks the situation when the button is tapped, so a
    group gone or linked meanwhile gets a message and nothing changes."""

    ID = "LinkGroupDialog"

    def __init__(self, links: GroupLinks) -> None:
        super().__init__(LinkGroupDialog.ID)
        self.links = links
        self.add_dialog(self.waterfall("link", [
            self.pick_groups_step, self.confirm_step, self.link_step,
        ]))
        self.initial_dialog_id = "link"

    async def pick_groups_step(self, step: WaterfallStepContext):
        flow = self.begin_flow(step)
        if step.options.get(KEY_GROUP) is not None:
            return await step.next({INPUT_GROUPS: [step.options[KEY_GROUP]]})
        options = await self.links.link_options(self.actor(step), step.options.get(KEY_LICENCE))
        card = cards.pick_groups_card(self.texts(step), options, flow, self.form_error(step))
        if not options.groups:
            return await self.finish(step, card)
        return await self.prompt_card(step, card, GROUPS_CHOSEN)

    async def confirm_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        chosen = step.result if isinstance(step.result, dict) else self.answer(step)
        try:
            preview = await self.links.preview_link(
                self.actor(step), step.options.get(KEY_LICENCE), chosen.get(INPUT_GROUPS, ""))
        except InvalidInput as error:  # nothing chosen: the same card again, saying so
            if step.options.get(KEY_GROUP) is not None:
                raise
            return await self.ask_again(step, "link", step.options, error)
        step.values[GROUP_IDS] = list(preview.group_ids)  # checked once, kept as ids
        card = cards.confirm_link_card(self.texts(step), preview, step.values["flow"])
        return await self.prompt_card(step, card, CONFIRM)

    async def link_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        result = await self.links.link_groups(
            self.actor(step), step.options.get(KEY_LICENCE), step.values[GROUP_IDS])
        return await self.finish(step, cards.link_result_card(self.texts(step), result))


@task
class LinkTask(Task):
    """Licenties koppelen: the school's group licences, and the link and unlink flows."""

    def dialogs(self):
        return [LinkGroupDialog(self.services.links), UnlinkGroupDialog(self.services.links)]

    @reads_ahead(LICENCES)
    def licences_reads(self, actor, school_id, data):
        return self.services.links.list_group_licences_reads(actor, school_id)

    @navigation(LICENCES, typed=intents.Licences)
    async def show_licences(self, step, school, data):
        found = await self.services.links.list_group_licences(actor_of(step.context), school.id)
        await send_card(step.context, cards.licences_card(
            texts_of(step.context), school.id, school.name, found.school_year, found.licences,
            data.get(A.KEY_PAGE), data.get(A.KEY_LICENCE)))

    @navigation(LINK_START)
    async def start_link(self, step, school, data):
        return await step.begin_dialog(LinkGroupDialog.ID, {
            A.KEY_SCHOOL: school.id, A.KEY_LICENCE: data.get(A.KEY_LICENCE)})

    @navigation(UNLINK_START)
    async def start_unlink(self, step, school, data):
        return await step.begin_dialog(UnlinkGroupDialog.ID, {
            A.KEY_SCHOOL: school.id, A.KEY_LICENCE: data.get(A.KEY_LICENCE),
            A.KEY_GROUP: data.get(A.KEY_GROUP)})
