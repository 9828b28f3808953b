"""Kindlicenties: give children a seat of a per-child licence (pick, warn and confirm, assign)."""

from __future__ import annotations

from botbuilder.dialogs import WaterfallStepContext

from cards import child_licences as cards
from cards.actions import CONFIRM, KEY_LICENCE, KEY_SCHOOL
from dialogs.child_picker_dialog import CANCELLED, CHOSEN, ChildPickerDialog
from dialogs.flow import FLOW, FlowDialog
from services.child_licences import ChildLicences


class AssignChildDialog(FlowDialog):
    """Options: {'school_id', 'licence_id'} from the 'Kind toevoegen' button of a kindlicentie."""

    ID = "AssignChildDialog"

    def __init__(self, child_licences: ChildLicences) -> None:
        super().__init__(AssignChildDialog.ID)
        self.child_licences = child_licences
        self.add_dialog(ChildPickerDialog(child_licences))
        self.add_dialog(self.waterfall("assign_children", [
            self.pick_step, self.confirm_step, self.assign_step,
        ]))
        self.initial_dialog_id = "assign_children"

    async def pick_step(self, step: WaterfallStepContext):
        flow = self.begin_flow(step)
        return await step.begin_dialog(ChildPickerDialog.ID, {
            KEY_SCHOOL: step.options.get(KEY_SCHOOL), KEY_LICENCE: step.options.get(KEY_LICENCE),
            FLOW: flow})

    async def confirm_step(self, step: WaterfallStepContext):
        picked = step.result
        if not isinstance(picked, dict):
            return await step.end_dialog()
        if picked.get(CANCELLED):
            return await self.cancel_flow(step)
        preview = await self.child_licences.preview_assign_children(
            self.actor(step), step.options.get(KEY_LICENCE), picked[CHOSEN])
        step.values[CHOSEN] = [child.id for child in preview.children]  # checked once
        card = cards.confirm_assign_card(self.texts(step), preview, step.values[FLOW])
        return await self.prompt_card(step, card, CONFIRM)

    async def assign_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        result = await self.child_licences.assign_children(
            self.actor(step), step.options.get(KEY_LICENCE), step.values[CHOSEN])
        return await self.finish(step, cards.assign_result_card(self.texts(step), result))
