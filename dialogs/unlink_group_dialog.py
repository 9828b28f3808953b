"""Ontkoppelen: confirm, then remove a group from a group licence."""

from __future__ import annotations

from botbuilder.dialogs import WaterfallStepContext

from cards import licences as cards
from cards.actions import CONFIRM, KEY_GROUP, KEY_LICENCE
from dialogs.flow import FlowDialog
from services.licences import GroupLinks


class UnlinkGroupDialog(FlowDialog):
    """Options: {'school_id', 'licence_id', 'group_id'} from the licence card's button."""

    ID = "UnlinkGroupDialog"

    def __init__(self, links: GroupLinks) -> None:
        super().__init__(UnlinkGroupDialog.ID)
        self.links = links
        self.add_dialog(self.waterfall("unlink", [self.confirm_step, self.unlink_step]))
        self.initial_dialog_id = "unlink"

    async def confirm_step(self, step: WaterfallStepContext):
        flow = self.begin_flow(step)
        preview = await self.links.preview_unlink(
            self.actor(step), step.options.get(KEY_LICENCE), step.options.get(KEY_GROUP)
        )
        card = cards.confirm_unlink_card(self.texts(step), preview, flow)
        return await self.prompt_card(step, card, CONFIRM)

    async def unlink_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        result = await self.links.unlink_group(
            self.actor(step), step.options.get(KEY_LICENCE), step.options.get(KEY_GROUP)
        )
        return await self.finish(step, cards.unlink_result_card(self.texts(step), result))
