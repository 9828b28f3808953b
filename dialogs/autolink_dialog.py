"""Automatisch koppelen: show what links itself and the suggestions, confirm, link."""

from __future__ import annotations

from botbuilder.dialogs import WaterfallStepContext

from cards import autolink as cards
from cards.actions import CONFIRM, KEY_SCHOOL
from dialogs.flow import FlowDialog
from services.licences import GroupLinks

SHOWN = "shown_links"


class AutoLinkDialog(FlowDialog):
    """Options: {'school_id'} from the 'Automatisch koppelen' button or the typed words."""

    ID = "AutoLinkDialog"

    def __init__(self, links: GroupLinks) -> None:
        super().__init__(AutoLinkDialog.ID)
        self.links = links
        self.add_dialog(self.waterfall("autolink", [self.preview_step, self.link_step]))
        self.initial_dialog_id = "autolink"

    async def preview_step(self, step: WaterfallStepContext):
        flow = self.begin_flow(step)
        outcome = await self.links.auto_link_preview(self.actor(step),
                                                     step.options.get(KEY_SCHOOL))
        card = cards.autolink_preview_card(self.texts(step), outcome, flow)
        if not outcome.links:
            return await self.finish(step, card)
        # 'Koppelen' agrees to these links, not to whatever fits by the time it is clicked.
        step.values[SHOWN] = [[link.licence.id, link.group_id] for link in outcome.links]
        return await self.prompt_card(step, card, CONFIRM)

    async def link_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        outcome = await self.links.auto_link(self.actor(step), step.options.get(KEY_SCHOOL),
                                             confirmed=step.values[SHOWN])
        return await self.finish(step, cards.autolink_result_card(self.texts(step), outcome))
